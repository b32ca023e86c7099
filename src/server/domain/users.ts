/** People: the caller's own account, and finding others by name (with who is online). */
import { ChatError } from "@charla/protocol/errors";
import type { User, UserListItem, UsersQuery } from "@charla/protocol/schemas";
import type { Store } from "../storage/store.ts";
import type { StoredUser } from "../storage/user-store.ts";
import type { Presence } from "./presence.ts";

/** What anyone may see of an account (never its hash or token version). */
export function publicUser(user: StoredUser): User {
  return {
    id: user.id,
    username: user.username,
    created_at: user.created_at,
    role: user.role,
    bot: user.bot,
  };
}

/** A user as people lists show it (search, `?ids=`), with whether they are online now. */
export function userListItem(user: StoredUser, online: boolean): UserListItem {
  return { id: user.id, username: user.username, display_name: null, avatar_url: null, online };
}

const SEARCH_DEFAULT_LIMIT = 50;

export function createUserService({ store, presence }: { store: Store; presence: Presence }) {
  return {
    /** The caller's account; UNAUTHORIZED if it is gone. */
    async me(callerId: string): Promise<User> {
      const user = await store.users.findById(callerId);
      if (!user) throw new ChatError("UNAUTHORIZED");
      return publicUser(user);
    },

    /** Users whose name contains `q`; `online` keeps only those online (true) or offline. */
    async search({
      q = "",
      online,
      limit = SEARCH_DEFAULT_LIMIT,
    }: UsersQuery): Promise<UserListItem[]> {
      if (online !== undefined) {
        // The filter is part of the query, so the limit counts matching users only.
        const ids = (await presence.online()).map((u) => u.user_id);
        const found = await store.users.search(q, limit, { ids, inside: online });
        return found.map((u) => userListItem(u, online));
      }
      const found = await store.users.search(q, limit);
      const onlineIds = new Set(
        (await presence.onlineAmong(found.map((u) => u.id))).map((u) => u.user_id),
      );
      return found.map((u) => userListItem(u, onlineIds.has(u.id)));
    },

    /**
     * Presence on demand: the users named by `ids` (lower case, at most 200), in that order,
     * with whether each is online; ids that name nobody are left out.
     */
    async byIds(ids: readonly string[]): Promise<UserListItem[]> {
      const wanted = [...new Set(ids)];
      const [found, online] = await Promise.all([
        store.users.findByIds(wanted),
        presence.onlineAmong(wanted),
      ]);
      const byId = new Map(found.map((u) => [u.id, u]));
      const onlineIds = new Set(online.map((u) => u.user_id));
      return wanted.flatMap((id) => {
        const user = byId.get(id);
        return user ? [userListItem(user, onlineIds.has(id))] : [];
      });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
