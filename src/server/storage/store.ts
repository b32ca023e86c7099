/**
 * The storage port: everything the domain asks of the database, one entity store per
 * entity (Mattermost's store.go). The SQL is written once (sql/), one file per entity store,
 * for both backends (drivers/: PGlite, PostgreSQL); the store speaks domain errors
 * (errors.ts). Each entity store has a contract suite in test/storage/ run on both backends.
 *
 * A new entity (reactions, attachments…) is a port file beside this one, its SQL in sql/,
 * a field here and its contract suite.
 */
import type { AttachmentStore } from "./attachment-store.ts";
import type { BlockStore } from "./block-store.ts";
import type { BotStore } from "./bot-store.ts";
import type { FileStore } from "./file-store.ts";
import type { ChatStore } from "./chat-store.ts";
import type { InviteStore } from "./invite-store.ts";
import type { MessageStore } from "./message-store.ts";
import type { ReactionStore } from "./reaction-store.ts";
import type { SearchIndexStore } from "./search-index-store.ts";
import type { ModerationStore } from "./moderation-store.ts";
import type { UserStore } from "./user-store.ts";
import type { WebhookStore } from "./webhook-store.ts";

export interface Store {
  readonly users: UserStore;
  readonly chats: ChatStore;
  readonly messages: MessageStore;
  readonly invites: InviteStore;
  readonly reactions: ReactionStore;
  readonly moderation: ModerationStore;
  readonly blocks: BlockStore;
  readonly bots: BotStore;
  readonly webhooks: WebhookStore;
  readonly attachments: AttachmentStore;
  readonly searchIndex: SearchIndexStore;
  /** The bytes of uploaded files: in the database, or in S3 (FILE_STORAGE). */
  readonly files: FileStore;
  /** Resolves when the database answers; throws StoreUnavailable otherwise. */
  ping(): Promise<void>;
  /** Closes the connections; idempotent. */
  close(): Promise<void>;
}
