/** The UserStore in SQL. Usernames are unique regardless of case (index users_username_ci). */
import { isUniqueViolation, SQLSTATE, sqlState, type SqlQueryable } from "../drivers/driver.ts";
import { NotAdmitted, UsernameTaken } from "../errors.ts";
import type { Admission, NewUser, StoredUser, UserStore } from "../user-store.ts";
import { auditCte, auditParams } from "./audit.ts";
import { batchedReads, CANONICAL_UUID } from "./batched-reads.ts";
import { blockPeerIdsOf } from "./blocks.ts";
import { iso, type Row } from "./rows.ts";

export function toUser(row: Row): StoredUser {
  return {
    id: row.id as string,
    username: row.username as string,
    password_hash: row.password_hash as string,
    token_version: Number(row.token_version),
    created_at: iso(row.created_at),
    role: row.role === "admin" ? "admin" : "user",
    bot: row.bot === true,
    deactivated_at: row.deactivated_at == null ? null : iso(row.deactivated_at),
    display_name: (row.display_name as string | null) ?? null,
    avatar_id: (row.avatar_id as string | null) ?? null,
    deleted_at:
      row.deleted_at === null || row.deleted_at === undefined ? null : iso(row.deleted_at),
  };
}

/**
 * One statement decides admission and inserts: the first account of an empty table is
 * admitted (and made admin) whatever the mode; otherwise `$6` admits (open) or a use of the
 * invite is spent. A failed insert (username taken) rolls the spent use back with it.
 */
const ADMIT_AND_INSERT = `
  WITH first AS (SELECT NOT EXISTS (SELECT 1 FROM users) AS is_first),
  claim AS (
    UPDATE invites SET uses = uses + 1
     WHERE $5::text IS NOT NULL AND code_hash = $5 AND uses < max_uses AND expires_at > now()
       AND NOT (SELECT is_first FROM first)
    RETURNING id
  )
  INSERT INTO users (id, username, password_hash, role, bot, first_account)
  SELECT $1, $2, $3, CASE WHEN f.is_first THEN 'admin' ELSE $4 END, $7, f.is_first
    FROM first f
   WHERE f.is_first OR $6::boolean OR EXISTS (SELECT 1 FROM claim)
  RETURNING *`;

/** A lookup by an id PostgreSQL cannot read as a uuid finds nothing, as the port promises. */
async function noneIfMalformed<T>(lookup: Promise<T>): Promise<T | undefined> {
  return lookup.catch((error: unknown) => {
    if (sqlState(error) === SQLSTATE.invalidTextRepresentation) return undefined;
    throw error;
  });
}

type WithChats = { user: StoredUser; chatIds: string[]; blockPeerIds: string[] };

const withChats = (row: Row): WithChats => ({
  user: toUser(row),
  chatIds: row.chat_ids as string[],
  blockPeerIds: row.block_peer_ids as string[],
});

const WITH_CHATS_COLUMNS = `u.*,
  ARRAY(SELECT m.chat_id::text FROM chat_members m WHERE m.user_id = u.id) AS chat_ids,
  ${blockPeerIdsOf("u.id")} AS block_peer_ids`;

export function sqlUserStore(db: SqlQueryable): UserStore {
  async function withChatsOf(id: string): Promise<WithChats | undefined> {
    const rows = await noneIfMalformed(
      db.query(`SELECT ${WITH_CHATS_COLUMNS} FROM users u WHERE u.id = $1`, [id]),
    );
    return rows?.[0] && withChats(rows[0]);
  }
  // Concurrent handshakes (a reconnect storm) read their users in one statement.
  const withChatsBatched = batchedReads(async (ids) => {
    const rows = await db.query(
      `SELECT ${WITH_CHATS_COLUMNS} FROM users u WHERE u.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id as string, withChats(row)]));
  });

  // Every connect's users:list reads its online contacts' profiles: one statement for all the
  // connects of a burst (a user's contacts are one call: thousands fit in one batch).
  const usersBatched = batchedReads(
    async (ids) => {
      const rows = await db.query("SELECT * FROM users WHERE id = ANY($1::uuid[])", [ids]);
      return new Map(rows.map((row) => [row.id as string, toUser(row)]));
    },
    { maxBatch: 5000 },
  );

  return {
    async create(user: NewUser, admission: Admission = { kind: "open" }) {
      const params = [
        user.id,
        user.username,
        user.password_hash,
        user.role ?? "user",
        admission.kind === "invite" ? (admission.codeHash ?? null) : null,
        admission.kind === "open",
        user.bot ?? false,
      ];
      for (let attempt = 0; ; attempt++) {
        try {
          const rows = await db.query(ADMIT_AND_INSERT, params);
          if (!rows[0])
            throw new NotAdmitted(admission.kind === "open" ? "closed" : admission.kind);
          return toUser(rows[0]);
        } catch (error) {
          if (isUniqueViolation(error, "users_username_ci")) {
            throw new UsernameTaken(user.username);
          }
          // Two registrations on an empty server both saw it empty; one won "first": the
          // other is an ordinary registration now.
          if (attempt === 0 && isUniqueViolation(error, "users_one_first_account")) continue;
          throw error;
        }
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
      // A token's subject is a canonical uuid: batched. Anything else, alone, as before (an
      // id PostgreSQL reads as a uuid in another spelling still finds its user).
      return CANONICAL_UUID.test(id) ? withChatsBatched(id) : withChatsOf(id);
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      if (!ids.every((id) => CANONICAL_UUID.test(id))) {
        const rows = await db.query("SELECT * FROM users WHERE id = ANY($1::uuid[])", [ids]);
        return rows.map(toUser);
      }
      const found = await Promise.all([...new Set(ids)].map(usersBatched));
      return found.filter((user) => user !== undefined);
    },

    async search(query, limit, among) {
      // Escape LIKE wildcards so a search for "a_b" means exactly that.
      const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = among
        ? await db.query(
            `SELECT * FROM users WHERE username ILIKE $1 AND (id = ANY($3::uuid[])) = $4
              ORDER BY lower(username) LIMIT $2`,
            [pattern, limit, among.ids, among.inside],
          )
        : await db.query(
            "SELECT * FROM users WHERE username ILIKE $1 ORDER BY lower(username) LIMIT $2",
            [pattern, limit],
          );
      return rows.map(toUser);
    },

    async bumpTokenVersion(userId) {
      const rows = await db.query(
        "UPDATE users SET token_version = token_version + 1 WHERE id = $1 RETURNING token_version",
        [userId],
      );
      return Number(rows[0]?.token_version ?? 0);
    },

    async setDisplayName(userId, displayName) {
      const rows = await db.query(
        "UPDATE users SET display_name = $2 WHERE id = $1 AND deleted_at IS NULL RETURNING *",
        [userId, displayName],
      );
      return rows[0] && toUser(rows[0]);
    },

    async setPasswordHash(userId, passwordHash) {
      const rows = await db.query(
        `UPDATE users SET password_hash = $2, token_version = token_version + 1
          WHERE id = $1 RETURNING token_version`,
        [userId, passwordHash],
      );
      return Number(rows[0]?.token_version ?? 0);
    },

    async setAvatar(userId, avatar) {
      // One statement: the new image is stored, the user points at it and the old one goes.
      const rows = await db.query(
        `WITH old AS (
           SELECT avatar_id FROM users WHERE id = $1 AND deleted_at IS NULL
         ), added AS (
           INSERT INTO avatars (id, user_id, content_type, bytes)
           SELECT $2, $1, $3, $4 WHERE EXISTS (SELECT 1 FROM old)
           RETURNING id
         ), removed AS (
           DELETE FROM avatars WHERE user_id = $1 AND id <> $2 AND EXISTS (SELECT 1 FROM added)
         )
         UPDATE users SET avatar_id = (SELECT id FROM added)
          WHERE id = $1 AND EXISTS (SELECT 1 FROM added) RETURNING *`,
        [userId, avatar.id, avatar.content_type, avatar.bytes],
      );
      return rows[0] && toUser(rows[0]);
    },

    async clearAvatar(userId) {
      const rows = await db.query(
        `WITH removed AS (DELETE FROM avatars WHERE user_id = $1)
         UPDATE users SET avatar_id = NULL WHERE id = $1 AND deleted_at IS NULL RETURNING *`,
        [userId],
      );
      return rows[0] && toUser(rows[0]);
    },

    async findAvatar(avatarId) {
      const rows = await db.query(
        `SELECT a.content_type, a.bytes FROM avatars a
           JOIN users u ON u.id = a.user_id AND u.avatar_id = a.id WHERE a.id = $1`,
        [avatarId],
      );
      const row = rows[0];
      return row && { content_type: row.content_type as string, bytes: row.bytes as Uint8Array };
    },

    async close(userId) {
      const rows = await noneIfMalformed(
        db.query(
          `WITH removed AS (DELETE FROM avatars WHERE user_id = $1)
           UPDATE users SET deleted_at = now(), display_name = NULL, avatar_id = NULL,
                            token_version = token_version + 1
            WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
          [userId],
        ),
      );
      return (rows?.length ?? 0) > 0;
    },

    async setDeactivated(userId, deactivated, audit) {
      const change = deactivated
        ? `UPDATE users SET deactivated_at = coalesce(deactivated_at, now()),
                  token_version = token_version + 1
            WHERE id = $1 RETURNING *`
        : "UPDATE users SET deactivated_at = NULL WHERE id = $1 RETURNING *";
      const rows = await noneIfMalformed(
        db.query(`WITH target AS (${change}), ${auditCte(2, "target")} SELECT * FROM target`, [
          userId,
          ...auditParams(audit),
        ]),
      );
      return rows?.[0] && toUser(rows[0]);
    },

    async promoteAdmins(usernames) {
      if (usernames.length === 0) return 0;
      const rows = await db.query(
        `UPDATE users SET role = 'admin'
          WHERE lower(username) = ANY($1::text[]) AND role <> 'admin' RETURNING id`,
        [usernames.map((name) => name.toLowerCase())],
      );
      return rows.length;
    },

    async anyExists() {
      const rows = await db.query("SELECT EXISTS (SELECT 1 FROM users) AS any");
      return rows[0]?.any === true;
    },
  };
}
