/**
 * The Store in SQL written once for every PostgreSQL backend: the entity stores over one
 * driver, which reports a database it cannot reach as StoreUnavailable.
 */
import { withStoreUnavailable, type SqlDriver } from "../drivers/driver.ts";
import { UNSIGNED_LINKS, type AttachmentLinks } from "../attachment-store.ts";
import type { FileStore } from "../file-store.ts";
import { databaseFileStore } from "../files/database.ts";
import type { Store } from "../store.ts";
import { sqlAttachmentStore } from "./attachments.ts";
import { sqlBlockStore } from "./blocks.ts";
import { sqlBotStore } from "./bots.ts";
import { sqlChatStore } from "./chats.ts";
import { sqlInviteStore } from "./invites.ts";
import { sqlMessageStore } from "./messages.ts";
import { sqlReactionStore } from "./reactions.ts";
import { sqlSearchIndexStore } from "./search-index.ts";
import { sqlModerationStore } from "./moderation.ts";
import { sqlUserStore, toUser } from "./users.ts";
import { sqlWebhookStore } from "./webhooks.ts";

export interface SqlStoreOptions {
  /** Signs the links of messages' attachments (unsigned paths when not given). */
  links?: AttachmentLinks;
  /** Where files' bytes go, given the database (FILE_STORAGE); in the database by default. */
  files?: (db: SqlDriver) => FileStore;
}

export function createSqlStore(driver: SqlDriver, options: SqlStoreOptions = {}): Store {
  const db = withStoreUnavailable(driver);
  const links = options.links ?? UNSIGNED_LINKS;
  const files = (options.files ?? databaseFileStore)(db);
  return {
    users: sqlUserStore(db),
    chats: sqlChatStore(db, links),
    messages: sqlMessageStore(db, links),
    attachments: sqlAttachmentStore(db),
    searchIndex: sqlSearchIndexStore(db),
    files,
    invites: sqlInviteStore(db),
    reactions: sqlReactionStore(db),
    moderation: sqlModerationStore(db),
    blocks: sqlBlockStore(db, toUser),
    bots: sqlBotStore(db, toUser),
    webhooks: sqlWebhookStore(db, links),
    async ping() {
      await db.query("SELECT 1");
    },
    async close() {
      await files.close().catch(() => undefined);
      await db.close();
    },
  };
}
