/** The UserStore in SQL. Usernames are unique regardless of case (index users_username_ci). */
import { isUniqueViolation, SQLSTATE, sqlState, type SqlQueryable } from "../drivers/driver.ts";
import { UsernameTaken } from "../errors.ts";
import type { NewUser, StoredUser, UserStore } from "../user-store.ts";
import { iso, type Row } from "./rows.ts";

function toUser(row: Row): StoredUser {
  return {
    id: row.id as string,
    username: row.username as string,
    password_hash: row.password_hash as string,
    token_version: Number(row.token_version),
    created_at: iso(row.created_at),
  };
}

/** A lookup by an id PostgreSQL cannot read as a uuid finds nothing, as the port promises. */
async function noneIfMalformed<T>(lookup: Promise<T>): Promise<T | undefined> {
  return lookup.catch((error: unknown) => {
    if (sqlState(error) === SQLSTATE.invalidTextRepresentation) return undefined;
    throw error;
  });
}

export function sqlUserStore(db: SqlQueryable): UserStore {
  return {
    async create(user: NewUser) {
      try {
        const rows = await db.query(
          "INSERT INTO users (id, username, password_hash) VALUES ($1, $2, $3) RETURNING *",
          [user.id, user.username, user.password_hash],
        );
        return toUser(rows[0]!);
      } catch (error) {
        if (isUniqueViolation(error, "users_username_ci")) throw new UsernameTaken(user.username);
        throw error;
      }
    },

    async findByUsername(username) {
      const rows = await db.query("SELECT * FROM users WHERE lower(username) = lower($1)", [
        username,
      ]);
      return rows[0] && toUser(rows[0]);
    },

    async findById(id) {
      const rows = await noneIfMalformed(db.query("SELECT * FROM users WHERE id = $1", [id]));
      return rows?.[0] && toUser(rows[0]);
    },

    async findWithChats(id) {
      const rows = await noneIfMalformed(
        db.query(
          `SELECT u.*, ARRAY(SELECT m.chat_id::text FROM chat_members m WHERE m.user_id = u.id) AS chat_ids
             FROM users u WHERE u.id = $1`,
          [id],
        ),
      );
      const row = rows?.[0];
      return row && { user: toUser(row), chatIds: row.chat_ids as string[] };
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await db.query("SELECT * FROM users WHERE id = ANY($1::uuid[])", [ids]);
      return rows.map(toUser);
    },

    async search(query, limit) {
      // Escape LIKE wildcards so a search for "a_b" means exactly that.
      const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = await db.query(
        "SELECT * FROM users WHERE username ILIKE $1 ORDER BY lower(username) LIMIT $2",
        [pattern, limit],
      );
      return rows.map(toUser);
    },

    async bumpTokenVersion(userId) {
      await db.query("UPDATE users SET token_version = token_version + 1 WHERE id = $1", [userId]);
    },
  };
}
