/**
 * Who is online: live sockets counted per user. `user:connected` is announced on a user's
 * first socket and `user:disconnected` on the last one. This is the one-node implementation;
 * cluster/redis-presence.ts counts across nodes.
 */
import type { OnlineUser } from "@charla/protocol/schemas";

export interface Presence {
  /** Records a live socket; true when it is the user's first one anywhere. */
  socketConnected(user: OnlineUser, socketId: string): Promise<boolean>;
  /** Forgets a socket; true when it was the user's last one anywhere. */
  socketDisconnected(userId: string, socketId: string): Promise<boolean>;
  /** Every user online anywhere, once each. */
  online(): Promise<OnlineUser[]>;
  /** Those of `userIds` online anywhere, once each: work proportional to `userIds`. */
  onlineAmong(userIds: readonly string[]): Promise<OnlineUser[]>;
  /**
   * Called with users found gone without a goodbye (a dead node's users), on the one node
   * that found them (atomically, so exactly once in the cluster): the listener tells every node.
   */
  onUsersGone(listener: (userIds: string[]) => void): void;
  close(): Promise<void>;
}

export function createLocalPresence(): Presence {
  // A user's one socket id as it is (most users have one socket), a Set from the second:
  // a Set for each idle connection was about 0.1 KB of its heap.
  const users = new Map<string, { username: string; sockets: string | Set<string> }>();
  return {
    async socketConnected(user, socketId) {
      const entry = users.get(user.user_id);
      if (!entry) {
        users.set(user.user_id, { username: user.username, sockets: socketId });
        return true;
      }
      if (typeof entry.sockets === "string") entry.sockets = new Set([entry.sockets]);
      entry.sockets.add(socketId);
      return false;
    },
    async socketDisconnected(userId, socketId) {
      const entry = users.get(userId);
      if (!entry) return false;
      if (typeof entry.sockets === "string") {
        if (entry.sockets !== socketId) return false;
      } else if (!entry.sockets.delete(socketId) || entry.sockets.size > 0) return false;
      users.delete(userId);
      return true;
    },
    async online() {
      return [...users].map(([user_id, { username }]) => ({ user_id, username }));
    },
    async onlineAmong(userIds) {
      const found: OnlineUser[] = [];
      for (const user_id of new Set(userIds)) {
        const entry = users.get(user_id);
        if (entry) found.push({ user_id, username: entry.username });
      }
      return found;
    },
    onUsersGone() {
      // One node: every goodbye is seen, nobody goes without one.
    },
    async close() {
      users.clear();
    },
  };
}
