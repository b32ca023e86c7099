/** The bots part of the storage port: bot accounts and the hashes of their API tokens. */
import type { AuditRecord } from "./moderation-store.ts";
import type { StoredUser } from "./user-store.ts";

export type { AuditRecord };

export interface NewBot {
  id: string;
  username: string;
  display_name: string | null;
  /** SHA-256 of the API token: the token itself is shown once and never stored. */
  token_hash: string;
}

export interface BotStore {
  /**
   * Creates the bot's account and its token, with the audit entry, in one transaction.
   * Throws UsernameTaken when the name is in use (regardless of case).
   */
  create(bot: NewBot, audit: AuditRecord): Promise<StoredUser>;
  /** Every bot account, by name. */
  list(): Promise<StoredUser[]>;
  /** The bot whose token hashes to `tokenHash`, with that stored hash (for the final compare). */
  findByTokenHash(tokenHash: string): Promise<{ user: StoredUser; tokenHash: string } | undefined>;
  /**
   * Replaces (with a hash) or deletes (with null) the bot's token and bumps its token version,
   * with the audit entry, in one transaction; undefined when `botId` is not a bot.
   */
  setToken(
    botId: string,
    tokenHash: string | null,
    audit: AuditRecord,
  ): Promise<StoredUser | undefined>;
}
