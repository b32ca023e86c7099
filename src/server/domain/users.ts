/**
 * People: the caller's own account and profile, finding others by name (with who is online),
 * and the one mapping from a stored account to what anyone may see of it.
 */
import { ChatError } from "@charla/protocol/errors";
import { DISPLAY_NAME_MAX } from "@charla/protocol/limits";
import type {
  OnlineUser,
  UserUpdatedEvent,
  User,
  UserListItem,
  UsersQuery,
} from "@charla/protocol/schemas";
import { avatarUrl } from "../avatar-url.ts";
import { randomBytes } from "node:crypto";
import { makeAvatar } from "../media/images.ts";
import type { Store } from "../storage/store.ts";
import type { StoredAvatar } from "../storage/user-store.ts";
import type { StoredUser } from "../storage/user-store.ts";
import type { ChatEvents } from "./events.ts";
import type { Presence } from "./presence.ts";

/**
 * The profile part of every user-shaped payload. A closed account shows its username only,
 * marked `deleted: true`.
 */
export function publicProfile(
  user: StoredUser,
): Pick<User, "username" | "display_name" | "avatar_url" | "deleted"> {
  if (user.deleted_at !== null) {
    return { username: user.username, display_name: null, avatar_url: null, deleted: true };
  }
  return { username: user.username, display_name: user.display_name, avatar_url: avatarUrl(user) };
}

/** What anyone may see of an account (never its hash or token version). */
export function publicUser(user: StoredUser): User {
  return {
    id: user.id,
    ...publicProfile(user),
    created_at: user.created_at,
    role: user.role,
    bot: user.bot,
  };
}

/** A user as people lists show it (search, `?ids=`), with whether they are online now. */
export function userListItem(user: StoredUser, online: boolean): UserListItem {
  return { id: user.id, ...publicProfile(user), online };
}

/** A user as socket presence payloads carry it (`user:connected`, `users:list`, `user:updated`). */
export function onlineUser(user: StoredUser): UserUpdatedEvent {
  const { username, display_name, avatar_url } = publicProfile(user);
  return { user_id: user.id, username, display_name, avatar_url };
}

/** Trimmed, counted in code points: 1–64, or null (cleared). */
export function normalizeDisplayName(raw: string | null): string | null {
  if (raw === null) return null;
  const trimmed = raw.trim();
  const length = [...trimmed].length;
  if (length === 0 || length > DISPLAY_NAME_MAX) {
    throw new ChatError(
      "VALIDATION_ERROR",
      `A display name is 1–${DISPLAY_NAME_MAX} characters after trimming (or null to clear it).`,
    );
  }
  return trimmed;
}

const SEARCH_DEFAULT_LIMIT = 50;

export function createUserService({
  store,
  presence,
  events,
}: {
  store: Store;
  presence: Presence;
  events: Pick<ChatEvents, "userUpdated">;
}) {
  /**
   * Who is online as `callerId` may see it: among `ids` (everyone online when undefined),
   * without the users in a block with the caller.
   */
  async function presenceFor(callerId: string) {
    const peers = new Set(await store.blocks.peersOf(callerId));
    return async (ids: readonly string[] | undefined) => {
      const online = ids === undefined ? await presence.online() : await presence.onlineAmong(ids);
      return online.filter((user) => !peers.has(user.user_id));
    };
  }

  return {
    /** The caller's account; UNAUTHORIZED if it is gone. */
    async me(callerId: string): Promise<User> {
      const user = await store.users.findById(callerId);
      if (!user) throw new ChatError("UNAUTHORIZED");
      return publicUser(user);
    },

    /** Sets or clears the caller's display name; contacts and own sockets hear `user:updated`. */
    async setDisplayName(callerId: string, raw: string | null): Promise<User> {
      const user = await store.users.setDisplayName(callerId, normalizeDisplayName(raw));
      if (!user) throw new ChatError("UNAUTHORIZED");
      events.userUpdated(onlineUser(user));
      return publicUser(user);
    },

    /**
     * A new avatar from an uploaded image: decoded, cropped square, 256×256, re-encoded
     * without metadata, under a new random id (so a new URL).
     */
    async setAvatar(callerId: string, upload: Uint8Array): Promise<User> {
      const avatar = await makeAvatar(upload);
      const user = await store.users.setAvatar(callerId, {
        id: randomBytes(18).toString("base64url"),
        content_type: avatar.type,
        bytes: avatar.bytes,
      });
      if (!user) throw new ChatError("UNAUTHORIZED");
      events.userUpdated(onlineUser(user));
      return publicUser(user);
    },

    async clearAvatar(callerId: string): Promise<void> {
      const before = await store.users.findById(callerId);
      const user = await store.users.clearAvatar(callerId);
      if (!user) throw new ChatError("UNAUTHORIZED");
      if (before?.avatar_id !== null) events.userUpdated(onlineUser(user));
    },

    /** An avatar by its public id (anyone may fetch it; the id is unguessable). */
    async avatar(avatarId: string): Promise<StoredAvatar> {
      const found = await store.users.findAvatar(avatarId);
      if (!found) throw new ChatError("NOT_FOUND", "No such avatar.");
      return found;
    },

    /** Presence entries with their profiles, read in one query (for `users:list`). */
    async withProfiles(entries: readonly { user_id: string }[]): Promise<OnlineUser[]> {
      const found = new Map(
        (await store.users.findByIds(entries.map((e) => e.user_id))).map((u) => [u.id, u]),
      );
      return entries.flatMap((entry) => {
        const user = found.get(entry.user_id);
        return user ? [onlineUser(user)] : [];
      });
    },

    /**
     * Users whose name contains `q`; `online` keeps only those online (true) or offline.
     * Users in a block with the caller always show offline to them (not contacts for presence).
     */
    async search(
      callerId: string,
      { q = "", online, limit = SEARCH_DEFAULT_LIMIT }: UsersQuery,
    ): Promise<UserListItem[]> {
      const onlineFor = await presenceFor(callerId);
      if (online !== undefined) {
        // The filter is part of the query, so the limit counts matching users only.
        const ids = (await onlineFor(undefined)).map((u) => u.user_id);
        const found = await store.users.search(q, limit, { ids, inside: online });
        return found.map((u) => userListItem(u, online));
      }
      const found = await store.users.search(q, limit);
      const onlineIds = new Set((await onlineFor(found.map((u) => u.id))).map((u) => u.user_id));
      return found.map((u) => userListItem(u, onlineIds.has(u.id)));
    },

    /**
     * Presence on demand: the users named by `ids` (lower case, at most 200), in that order,
     * with whether each is online to the caller; ids that name nobody are left out.
     */
    async byIds(callerId: string, ids: readonly string[]): Promise<UserListItem[]> {
      const wanted = [...new Set(ids)];
      const [found, online] = await Promise.all([
        store.users.findByIds(wanted),
        presenceFor(callerId).then((onlineFor) => onlineFor(wanted)),
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
