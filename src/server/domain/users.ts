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

const SEARCH_DEFAULT_LIMIT = 50;
/** How many matches the online filter looks through. */
const ONLINE_FILTER_SCAN = 1000;

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
      const onlineIds = new Set((await presence.online()).map((u) => u.user_id));
      const found = await store.users.search(q, online === undefined ? limit : ONLINE_FILTER_SCAN);
      return found
        .map((u) => ({ id: u.id, username: u.username, online: onlineIds.has(u.id) }))
        .filter((u) => online === undefined || u.online === online)
        .slice(0, limit);
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
