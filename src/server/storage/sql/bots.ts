/** The BotStore in SQL: bot accounts are users with `bot`; their tokens' hashes in bot_tokens. */
import type { BotStore } from "../bot-store.ts";
import { isUniqueViolation, type SqlQueryable } from "../drivers/driver.ts";
import { UsernameTaken } from "../errors.ts";
import type { StoredUser } from "../user-store.ts";
import { auditCte, auditParams } from "./audit.ts";
import type { Row } from "./rows.ts";

/**
 * A password hash no password verifies against (argon2 rejects it as malformed): a bot signs
 * in with its API token only.
 */
const NO_PASSWORD = "!bot";

export function sqlBotStore(db: SqlQueryable, toUser: (row: Row) => StoredUser): BotStore {
  return {
    async create(bot, audit) {
      try {
        const rows = await db.query(
          `WITH bot AS (
             INSERT INTO users (id, username, password_hash, role, bot, display_name)
             VALUES ($1, $2, '${NO_PASSWORD}', 'user', true, $3) RETURNING *
           ), token AS (
             INSERT INTO bot_tokens (user_id, token_hash) SELECT id, $4 FROM bot
           ), ${auditCte(5, "bot")}
           SELECT * FROM bot`,
          [bot.id, bot.username, bot.display_name, bot.token_hash, ...auditParams(audit)],
        );
        return toUser(rows[0]!);
      } catch (error) {
        if (isUniqueViolation(error, "users_username_ci")) throw new UsernameTaken(bot.username);
        throw error;
      }
    },

    async list() {
      const rows = await db.query("SELECT * FROM users WHERE bot ORDER BY lower(username)");
      return rows.map(toUser);
    },

    async findByTokenHash(tokenHash) {
      const rows = await db.query(
        `SELECT u.*, t.token_hash AS stored_token_hash
           FROM bot_tokens t JOIN users u ON u.id = t.user_id
          WHERE t.token_hash = $1 AND u.bot`,
        [tokenHash],
      );
      const row = rows[0];
      return row && { user: toUser(row), tokenHash: row.stored_token_hash as string };
    },

    async setToken(botId, tokenHash, audit) {
      // The version bump ends the sockets of the old token on every node (domain/sessions.ts).
      const bot = `bot AS (
        UPDATE users SET token_version = token_version + 1 WHERE id = $1 AND bot RETURNING *
      )`;
      const rows =
        tokenHash === null
          ? await db.query(
              `WITH ${bot},
               token AS (DELETE FROM bot_tokens WHERE user_id IN (SELECT id FROM bot)),
               ${auditCte(2, "bot")}
               SELECT * FROM bot`,
              [botId, ...auditParams(audit)],
            )
          : await db.query(
              `WITH ${bot},
               token AS (
                 INSERT INTO bot_tokens (user_id, token_hash) SELECT id, $2 FROM bot
                 ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash,
                                                     created_at = now()
               ), ${auditCte(3, "bot")}
               SELECT * FROM bot`,
              [botId, tokenHash, ...auditParams(audit)],
            );
      return rows[0] && toUser(rows[0]);
    },
  };
}
