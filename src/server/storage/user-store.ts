/** The users part of the storage port: accounts and what their tokens are checked against. */

export interface StoredUser {
  id: string;
  username: string;
  password_hash: string;
  /** Bumped by logout: tokens carrying an older version stop working everywhere. */
  token_version: number;
  created_at: string;
}

export interface NewUser {
  id: string;
  username: string;
  password_hash: string;
}

export interface UserStore {
  /** Throws UsernameTaken when the name is in use, in any case. */
  create(user: NewUser): Promise<StoredUser>;
  /** Regardless of case. */
  findByUsername(username: string): Promise<StoredUser | undefined>;
  /** An id that is not a uuid finds nobody (a token's subject comes from outside). */
  findById(id: string): Promise<StoredUser | undefined>;
  /** The user and the ids of their chats, in one round trip (socket handshakes). */
  findWithChats(id: string): Promise<{ user: StoredUser; chatIds: string[] } | undefined>;
  findByIds(ids: readonly string[]): Promise<StoredUser[]>;
  /** Users whose name contains `query` (literally, regardless of case), by name. */
  search(query: string, limit: number): Promise<StoredUser[]>;
  bumpTokenVersion(userId: string): Promise<void>;
}
