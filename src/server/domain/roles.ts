/**
 * Who may do what beyond their own messages: the server role (`admin`, read from the database
 * on every request) and, for groups, the roles owner / admin / member. Every power is checked
 * here, on the server, per request.
 */
import { ChatError } from "@charla/protocol/errors";
import type { ChatMember } from "@charla/protocol/schemas";
import type { AuthenticatedUser } from "./auth.ts";

/** FORBIDDEN unless the caller is a server admin. */
export function requireServerAdmin(caller: Pick<AuthenticatedUser, "role">): void {
  if (caller.role !== "admin") {
    throw new ChatError("FORBIDDEN", "Only a server admin may do that.");
  }
}

/**
 * Whether a member's group role may manage the group (rename it, describe it). The group
 * admin role is counted here so that adding it to `MemberRole` grants these powers at once.
 */
export function canManageGroup(role: ChatMember["role"] | undefined): boolean {
  const name: string | undefined = role;
  return name === "owner" || name === "admin";
}
