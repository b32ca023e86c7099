/**
 * The Store in SQL written once for every PostgreSQL backend: the entity stores over one
 * driver, which reports a database it cannot reach as StoreUnavailable.
 */
import { withStoreUnavailable, type SqlDriver } from "../drivers/driver.ts";
import type { Store } from "../store.ts";
import { sqlBlockStore } from "./blocks.ts";
import { sqlBotStore } from "./bots.ts";
import { sqlChatStore } from "./chats.ts";
import { sqlInviteStore } from "./invites.ts";
import { sqlMessageStore } from "./messages.ts";
import { sqlReactionStore } from "./reactions.ts";
import { sqlModerationStore } from "./moderation.ts";
import { sqlUserStore, toUser } from "./users.ts";
import { sqlWebhookStore } from "./webhooks.ts";

export function createSqlStore(driver: SqlDriver): Store {
  const db = withStoreUnavailable(driver);
  return {
    users: sqlUserStore(db),
    chats: sqlChatStore(db),
    messages: sqlMessageStore(db),
    invites: sqlInviteStore(db),
    reactions: sqlReactionStore(db),
    moderation: sqlModerationStore(db),
    blocks: sqlBlockStore(db, toUser),
    bots: sqlBotStore(db, toUser),
    webhooks: sqlWebhookStore(db),
    async ping() {
      await db.query("SELECT 1");
    },
    close: () => db.close(),
  };
}
