/** The users part of the storage port: accounts and what their tokens are checked against. */
import type { AuditRecord } from "./moderation-store.ts";

export type StoredRole = "admin" | "user";

export interface StoredUser {
  id: string;
  username: string;
  password_hash: string;
  /** Bumped by logout: tokens carrying an older version stop working everywhere. */
  token_version: number;
  created_at: string;
  role: StoredRole;
  bot: boolean;
  /** Set while an admin has deactivated the account. */
  deactivated_at: string | null;
  display_name: string | null;
  /** The current avatar's public id (its path under /avatars/), or null. */
  avatar_id: string | null;
  /** Set when the account was closed: it cannot log in; its row keeps the username taken. */
  deleted_at: string | null;
}

export interface StoredAvatar {
  content_type: string;
  bytes: Uint8Array;
}

export interface NewUser {
  id: string;
  username: string;
  password_hash: string;
  /** Default `user`; the first account of a fresh server is `admin` whatever this says. */
  role?: StoredRole;
  bot?: boolean;
}

/**
 * Who may create an account, decided in the same statement as the insert: the first account
 * of a fresh server always; otherwise anyone (`open`), the holder of a valid invite whose use
 * is then spent (`invite`, by the SHA-256 of its code), or nobody (`closed`).
 */
export type Admission =
  { kind: "open" } | { kind: "invite"; codeHash: string | undefined } | { kind: "closed" };

export interface UserStore {
  /**
   * Throws UsernameTaken when the name is in use, in any case, and NotAdmitted when the
   * admission refuses it (nothing is stored and no invite use is spent then).
   */
  create(user: NewUser, admission?: Admission): Promise<StoredUser>;
  /** Regardless of case. */
  findByUsername(username: string): Promise<StoredUser | undefined>;
  /** An id that is not a uuid finds nobody (a token's subject comes from outside). */
  findById(id: string): Promise<StoredUser | undefined>;
  /**
   * The user, the ids of their chats and of the users in a block with them (either way), in
   * one round trip (socket handshakes). Concurrent calls may share one statement (a
   * reconnect storm), but always one that started after the call.
   */
  findWithChats(
    id: string,
  ): Promise<{ user: StoredUser; chatIds: string[]; blockPeerIds: string[] } | undefined>;
  findByIds(ids: readonly string[]): Promise<StoredUser[]>;
  /**
   * Users whose name contains `query` (literally, regardless of case), by name; with `among`,
   * only those whose id is (`inside: true`) or is not (`false`) in `among.ids`, filtered by
   * the query itself so that the limit applies after the filter.
   */
  search(
    query: string,
    limit: number,
    among?: { ids: readonly string[]; inside: boolean },
  ): Promise<StoredUser[]>;
  /**
   * Ends every token issued so far (logout, password change, account closed). Returns the
   * new version, for a token to be issued that survives it.
   */
  bumpTokenVersion(userId: string): Promise<number>;
  /**
   * Deactivates (revoking every token: the version is bumped) or reactivates the account;
   * the user after the change, or undefined when there is no such user. The admin's audit
   * entry commits in the same statement (none when there is no such user).
   */
  setDeactivated(
    userId: string,
    deactivated: boolean,
    audit: AuditRecord,
  ): Promise<StoredUser | undefined>;
  /** Sets (or, with null, clears) the display name; undefined when there is no such user. */
  setDisplayName(userId: string, displayName: string | null): Promise<StoredUser | undefined>;
  /** Replaces the password hash and ends every token, in one statement; the new version. */
  setPasswordHash(userId: string, passwordHash: string): Promise<number>;
  /**
   * Stores a new avatar under a fresh id and makes it the user's (the old one is removed);
   * undefined when there is no such live user.
   */
  setAvatar(userId: string, avatar: StoredAvatar & { id: string }): Promise<StoredUser | undefined>;
  /** Removes the user's avatar; undefined when there is no such live user. */
  clearAvatar(userId: string): Promise<StoredUser | undefined>;
  /** The avatar with this public id, if it is someone's current one. */
  findAvatar(avatarId: string): Promise<StoredAvatar | undefined>;
  /**
   * Closes the account: tokens end, profile and avatar go, the row stays (username taken).
   * False when it was closed already or does not exist.
   */
  close(userId: string): Promise<boolean>;
  /** Makes the named accounts (regardless of case) admins; returns how many changed. */
  promoteAdmins(usernames: readonly string[]): Promise<number>;
  /** Whether any account was ever created (closed ones count: their rows stay). */
  anyExists(): Promise<boolean>;
}
