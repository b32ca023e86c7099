/** Invites: an admin hands out a code (in a link) that lets someone register. */
import { randomUUID } from "node:crypto";
import type { CreateInvite, Invite } from "@charla/protocol/schemas";
import type { Store } from "../storage/store.ts";
import type { AuthenticatedUser } from "./auth.ts";
import { requireServerAdmin } from "./roles.ts";
import { hashSecret, newSecret } from "./secrets.ts";

const DEFAULT_MAX_USES = 1;
const DEFAULT_LIFETIME_SECONDS = 7 * 24 * 3600;

/** The web client's page that registers with an invite. */
export function inviteUrl(origin: string, code: string): string {
  return `${origin}/register?invite=${encodeURIComponent(code)}`;
}

export function createInviteService({ store }: { store: Store }) {
  return {
    /** A new invite; its code is in the answer only (the store keeps a hash). */
    async create(caller: AuthenticatedUser, input: CreateInvite, origin: string): Promise<Invite> {
      requireServerAdmin(caller);
      const code = newSecret();
      const maxUses = input.max_uses ?? DEFAULT_MAX_USES;
      const expiresAt = new Date(
        Date.now() + (input.expires_in_seconds ?? DEFAULT_LIFETIME_SECONDS) * 1000,
      );
      const id = randomUUID();
      await store.invites.create(
        {
          id,
          code_hash: hashSecret(code),
          created_by: caller.id,
          max_uses: maxUses,
          expires_at: expiresAt,
        },
        {
          id: randomUUID(),
          actor_id: caller.id,
          action: "invite.create",
          target_type: "invite",
          target_id: id,
        },
      );
      return {
        code,
        url: inviteUrl(origin, code),
        expires_at: expiresAt.toISOString(),
        max_uses: maxUses,
      };
    },
  };
}

export type InviteService = ReturnType<typeof createInviteService>;
