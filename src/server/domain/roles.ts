/**
 * Who may do what beyond their own messages: the server role (`admin`, read from the database
 * on every request) and, for groups, the roles owner / admin / member. Every power is checked
 * here, on the server, per request.
 */
import { ChatError } from "@charla/protocol/errors";
import type { Chat, ChatMember } from "@charla/protocol/schemas";
import type { AuthenticatedUser } from "./auth.ts";

/** FORBIDDEN unless the caller is a server admin. */
export function requireServerAdmin(caller: Pick<AuthenticatedUser, "role">): void {
  if (caller.role !== "admin") {
    throw new ChatError("FORBIDDEN", "Only a server admin may do that.");
  }
}

/**
 * Whether a member's group role may manage the group: rename and describe it, add and remove
 * members (not the owner), delete any of its messages. The owner and the group's admins may.
 */
export function canManageGroup(role: ChatMember["role"] | null | undefined): boolean {
  return role === "owner" || role === "admin";
}

/**
 * FORBIDDEN unless `callerId` may manage the chat: a group, and the caller its owner or one
 * of its admins. The one check the group's routes use (members, messages, rename).
 */
export function requireGroupManager(
  chat: Pick<Chat, "type" | "members">,
  callerId: string,
  action = "do that",
): void {
  const role = chat.members.find((m) => m.user_id === callerId)?.role;
  if (chat.type !== "group" || !canManageGroup(role)) {
    throw new ChatError("FORBIDDEN", `Only the group's owner or an admin may ${action}.`);
  }
}
