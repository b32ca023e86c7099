/** The blocks part of the storage port: who blocked whom. */
import type { StoredUser } from "./user-store.ts";

export interface BlockStore {
  /** Idempotent. */
  block(blockerId: string, blockedId: string): Promise<void>;
  /** Idempotent. */
  unblock(blockerId: string, blockedId: string): Promise<void>;
  /** The users `blockerId` blocked, by name. */
  blockedBy(blockerId: string): Promise<StoredUser[]>;
  /** True when `blockerId` blocks `blockedId`. */
  blocks(blockerId: string, blockedId: string): Promise<boolean>;
  /** The users `userId` blocks or is blocked by: neither is the other's contact for presence. */
  peersOf(userId: string): Promise<string[]>;
}
