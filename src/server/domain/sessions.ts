/**
 * Revoking sessions, the one mechanism for it: every token carries its user's token version
 * (users.token_version), checked against the database on every request and socket handshake,
 * so bumping the version ends every token issued before, on every node at once. Live sockets
 * are ended through the user's room, which the cluster adapter reaches on every node.
 *
 * Logout, password change, account closing (and deactivation by an admin) all end sessions
 * through here.
 */
import type { Store } from "../storage/store.ts";
import type { ChatEvents } from "./events.ts";

export function createSessions({
  store,
  events,
}: {
  store: Store;
  events: Pick<ChatEvents, "sessionsEnded">;
}) {
  return {
    /** Ends every token of the user and every live socket of theirs, on every node. */
    async endAll(userId: string): Promise<void> {
      await store.users.bumpTokenVersion(userId);
      events.sessionsEnded(userId);
    },

    /**
     * After the store moved the user to `version` (a password change bumps it in the same
     * statement): ends every live socket opened with an older token. Sockets of tokens of
     * `version` itself (issued after the change) stay, even if they connect before this
     * reaches their node.
     */
    endBefore(userId: string, version: number): void {
      events.sessionsEnded(userId, version);
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
