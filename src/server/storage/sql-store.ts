/**
 * The Store, in SQL written once for every PostgreSQL backend. Each send is a single
 * statement that checks membership, bumps the chat's counters under its row lock and inserts:
 * seq stays gap-free in commit order however many nodes send at once.
 */
import type { Chat, ChatListItem, ChatMember, Message } from "@charla/protocol";
import { SQLSTATE, sqlState, type SqlDriver, type SqlQueryable } from "./driver.ts";
import type {
  AppendResult,
  HistoryPage,
  MessageAccess,
  NewMessage,
  Store,
  StoredUser,
} from "./store.ts";

type Row = Record<string, unknown>;

const iso = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
const isoOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : iso(value);

function toUser(row: Row): StoredUser {
  return {
    id: row.id as string,
    username: row.username as string,
    password_hash: row.password_hash as string,
    token_version: Number(row.token_version),
    created_at: iso(row.created_at),
  };
}

export function toMessage(row: Row): Message {
  return {
    id: row.id as string,
    chat_id: row.chat_id as string,
    sender_id: row.sender_id as string,
    body: row.body as string,
    status: row.status as Message["status"],
    seq: Number(row.seq),
    change_seq: Number(row.change_seq),
    client_msg_id: (row.client_msg_id as string | null) ?? null,
    created_at: iso(row.created_at),
    updated_at: isoOrNull(row.updated_at),
  };
}

/** A message just stored: as sent, with what the append assigned. */
function appendedMessage(sent: NewMessage, row: Row): Message {
  return {
    id: sent.id,
    chat_id: sent.chat_id,
    sender_id: sent.sender_id,
    body: sent.body,
    status: "sent",
    seq: Number(row.seq),
    change_seq: Number(row.change_seq),
    client_msg_id: sent.client_msg_id,
    created_at: iso(row.created_at),
    updated_at: null,
  };
}

const MESSAGE_COLUMNS =
  "id, chat_id, sender_id, body, status, seq, change_seq, client_msg_id, created_at, updated_at";

/**
 * The whole batch in one call of `charla_append_messages` (migration 0002): members only,
 * per-chat counters bumped once by the number of messages, seq assigned in input order,
 * repeated client_msg_ids left out (answered with the original afterwards). A PL/pgSQL
 * function because its plan is cached per connection: the same statement sent as SQL is
 * planned on every call, which cost 3× the time on PGlite.
 */
const APPEND_ARGS = "($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[])";
/**
 * Only what the database decides comes back; the rest of each message is what was sent
 * (half the bytes to receive and parse per message, the body among them).
 */
const APPENDED_COLUMNS = "id, seq, change_seq, created_at";
const APPEND_SET_WISE = `SELECT ${APPENDED_COLUMNS} FROM charla_append_messages${APPEND_ARGS}`;
/** Message by message: measured cheaper than the set-wise plan up to about this many. */
const APPEND_EACH = `SELECT ${APPENDED_COLUMNS} FROM charla_append_each${APPEND_ARGS}`;
const SET_WISE_FROM = 5;

export class SqlStore implements Store {
  readonly #db: SqlDriver;

  constructor(driver: SqlDriver) {
    this.#db = driver;
  }

  get kind(): SqlDriver["kind"] {
    return this.#db.kind;
  }

  // ------------------------------------------------------------------ users

  async createUser(user: { id: string; username: string; password_hash: string }) {
    const rows = await this.#db.query(
      "INSERT INTO users (id, username, password_hash) VALUES ($1, $2, $3) RETURNING *",
      [user.id, user.username, user.password_hash],
    );
    return toUser(rows[0]!);
  }

  async findUserByUsername(username: string) {
    const rows = await this.#db.query("SELECT * FROM users WHERE lower(username) = lower($1)", [
      username,
    ]);
    return rows[0] && toUser(rows[0]);
  }

  async findUserById(id: string) {
    const rows = await this.#db.query("SELECT * FROM users WHERE id = $1", [id]);
    return rows[0] && toUser(rows[0]);
  }

  async findUserWithChats(id: string) {
    const rows = await this.#db.query(
      `SELECT u.*, ARRAY(SELECT m.chat_id::text FROM chat_members m WHERE m.user_id = u.id) AS chat_ids
         FROM users u WHERE u.id = $1`,
      [id],
    );
    const row = rows[0];
    return row && { user: toUser(row), chatIds: row.chat_ids as string[] };
  }

  async findUsersByIds(ids: readonly string[]) {
    if (ids.length === 0) return [];
    const rows = await this.#db.query("SELECT * FROM users WHERE id = ANY($1::uuid[])", [ids]);
    return rows.map(toUser);
  }

  async searchUsers(query: string, limit: number) {
    // Escape LIKE wildcards so a search for "a_b" means exactly that.
    const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.#db.query(
      "SELECT * FROM users WHERE username ILIKE $1 ORDER BY lower(username) LIMIT $2",
      [pattern, limit],
    );
    return rows.map(toUser);
  }

  async bumpTokenVersion(userId: string) {
    await this.#db.query("UPDATE users SET token_version = token_version + 1 WHERE id = $1", [
      userId,
    ]);
  }

  // ------------------------------------------------------------------ chats

  async createChat(chat: {
    id: string;
    type: "direct" | "group";
    name: string | null;
    created_by: string;
    direct_key: string | null;
    member_ids: readonly string[];
  }): Promise<Chat> {
    await this.#db.transaction(async (tx) => {
      await tx.query(
        "INSERT INTO chats (id, type, name, created_by, direct_key) VALUES ($1, $2, $3, $4, $5)",
        [chat.id, chat.type, chat.name, chat.created_by, chat.direct_key],
      );
      const others = chat.member_ids.filter((id) => id !== chat.created_by);
      await tx.query(
        `INSERT INTO chat_members (chat_id, user_id, role)
         SELECT $1::uuid, $2::uuid, 'owner'
         UNION ALL SELECT $1::uuid, u, 'member' FROM unnest($3::uuid[]) AS u`,
        [chat.id, chat.created_by, others],
      );
    });
    return (await this.getChat(chat.id))!;
  }

  async findDirectChat(directKey: string) {
    const rows = await this.#db.query<{ id: string }>(
      "SELECT id FROM chats WHERE direct_key = $1",
      [directKey],
    );
    return rows[0] ? this.getChat(rows[0].id) : undefined;
  }

  async getChat(chatId: string): Promise<Chat | undefined> {
    const rows = await this.#db.query("SELECT * FROM chats WHERE id = $1", [chatId]);
    if (!rows[0]) return undefined;
    const members = await this.#membersOf([chatId]);
    return toChat(rows[0], members.get(chatId) ?? []);
  }

  async #membersOf(chatIds: readonly string[]): Promise<Map<string, ChatMember[]>> {
    const rows = await this.#db.query<{
      chat_id: string;
      user_id: string;
      username: string;
      role: string;
      last_read_seq: number;
    }>(
      `SELECT m.chat_id, m.user_id, u.username, m.role, m.last_read_seq
         FROM chat_members m JOIN users u ON u.id = m.user_id
        WHERE m.chat_id = ANY($1::uuid[])
        ORDER BY m.role DESC, m.joined_at, lower(u.username)`,
      [chatIds],
    );
    const byChat = new Map<string, ChatMember[]>();
    for (const row of rows) {
      const list = byChat.get(row.chat_id) ?? [];
      list.push({
        user_id: row.user_id,
        username: row.username,
        role: row.role as ChatMember["role"],
        last_read_seq: Number(row.last_read_seq),
      });
      byChat.set(row.chat_id, list);
    }
    return byChat;
  }

  async listChatsOf(userId: string): Promise<ChatListItem[]> {
    const chats = await this.#db.query(
      `SELECT c.*, m.last_read_seq,
              (SELECT count(*)::int FROM messages x
                WHERE x.chat_id = c.id AND x.seq > m.last_read_seq
                  AND x.sender_id <> $1 AND x.status <> 'deleted') AS unread_count
         FROM chat_members m JOIN chats c ON c.id = m.chat_id
        WHERE m.user_id = $1
        ORDER BY c.last_activity_at DESC, c.id`,
      [userId],
    );
    if (chats.length === 0) return [];
    const ids = chats.map((row) => row.id as string);
    const [members, lastMessages] = await Promise.all([
      this.#membersOf(ids),
      this.#db.query(
        `SELECT DISTINCT ON (chat_id) ${MESSAGE_COLUMNS} FROM messages
          WHERE chat_id = ANY($1::uuid[]) ORDER BY chat_id, seq DESC`,
        [ids],
      ),
    ]);
    const lastByChat = new Map(lastMessages.map((row) => [row.chat_id as string, toMessage(row)]));
    return chats.map((row) => ({
      ...toChat(row, members.get(row.id as string) ?? []),
      last_message: lastByChat.get(row.id as string) ?? null,
      unread_count: Number(row.unread_count),
      last_read_seq: Number(row.last_read_seq),
    }));
  }

  async chatIdsOf(userId: string) {
    const rows = await this.#db.query<{ chat_id: string }>(
      "SELECT chat_id FROM chat_members WHERE user_id = $1",
      [userId],
    );
    return rows.map((row) => row.chat_id);
  }

  async memberRole(chatId: string, userId: string) {
    const rows = await this.#db.query<{ role: "owner" | "member" }>(
      "SELECT role FROM chat_members WHERE chat_id = $1 AND user_id = $2",
      [chatId, userId],
    );
    return rows[0]?.role;
  }

  async addMember(chatId: string, userId: string) {
    const rows = await this.#db.query(
      `INSERT INTO chat_members (chat_id, user_id, role) VALUES ($1, $2, 'member')
       ON CONFLICT DO NOTHING RETURNING user_id`,
      [chatId, userId],
    );
    return rows.length > 0;
  }

  async removeMember(chatId: string, userId: string) {
    return this.#db.transaction(async (tx) => {
      const rows = await tx.query<{ role: string }>(
        "DELETE FROM chat_members WHERE chat_id = $1 AND user_id = $2 RETURNING role",
        [chatId, userId],
      );
      if (rows[0]?.role === "owner") {
        // A group whose owner left is handed to its longest-standing member, so it can still
        // be managed.
        await tx.query(
          `UPDATE chat_members SET role = 'owner'
            WHERE chat_id = $1 AND user_id = (
              SELECT user_id FROM chat_members WHERE chat_id = $1 ORDER BY joined_at, user_id LIMIT 1)`,
          [chatId],
        );
      }
      return rows.length > 0;
    });
  }

  // ------------------------------------------------------------------ messages

  async appendMessages(batch: readonly NewMessage[]): Promise<AppendResult[]> {
    if (batch.length === 0) return [];
    // A retry can arrive while its first attempt is still in the same batch: only the first
    // goes to the database, the repeat is answered with its result.
    const firstByKey = new Map<string, number>();
    const unique: NewMessage[] = [];
    const repeat: boolean[] = [];
    const slot = batch.map((message) => {
      const key =
        message.client_msg_id === null
          ? undefined
          : `${message.sender_id}\u0000${message.client_msg_id}`;
      const seen = key === undefined ? undefined : firstByKey.get(key);
      repeat.push(seen !== undefined);
      if (seen !== undefined) return seen;
      if (key !== undefined) firstByKey.set(key, unique.length);
      return unique.push(message) - 1;
    });

    let results: AppendResult[];
    try {
      results = await this.#appendUnique(this.#db, unique);
    } catch (error) {
      const state = sqlState(error);
      // Another node stored the same client_msg_id at the same moment, or two batches locked
      // the same chats in opposite order: the statement rolled back whole, so nothing was
      // stored. Retry one by one, each in its own statement.
      if (state !== SQLSTATE.uniqueViolation && state !== SQLSTATE.deadlockDetected) throw error;
      results = [];
      for (const message of unique) results.push(await this.#appendOneWithRetry(message));
    }
    return batch.map((_, index) => {
      const result = results[slot[index]!]!;
      return repeat[index] && result.kind === "stored"
        ? { kind: "duplicate", message: result.message }
        : result;
    });
  }

  async #appendOneWithRetry(message: NewMessage): Promise<AppendResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.#appendUnique(this.#db, [message]))[0]!;
      } catch (error) {
        if (attempt >= 5) throw error;
        const state = sqlState(error);
        if (state !== SQLSTATE.uniqueViolation && state !== SQLSTATE.deadlockDetected) throw error;
      }
    }
  }

  async #appendUnique(db: SqlQueryable, batch: readonly NewMessage[]): Promise<AppendResult[]> {
    const rows = await db.query(batch.length >= SET_WISE_FROM ? APPEND_SET_WISE : APPEND_EACH, [
      batch.map((m) => m.id),
      batch.map((m) => m.chat_id),
      batch.map((m) => m.sender_id),
      batch.map((m) => m.body),
      batch.map((m) => m.client_msg_id),
    ]);
    const appended = new Map(rows.map((row) => [row.id as string, row]));
    const missing = batch.filter((m) => !appended.has(m.id) && m.client_msg_id !== null);
    const originals = new Map<string, Message>();
    if (missing.length > 0) {
      const found = await db.query(
        `SELECT ${MESSAGE_COLUMNS} FROM messages
          WHERE (sender_id, client_msg_id) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`,
        [missing.map((m) => m.sender_id), missing.map((m) => m.client_msg_id)],
      );
      for (const row of found)
        originals.set(`${row.sender_id}\u0000${row.client_msg_id}`, toMessage(row));
    }
    return batch.map((m): AppendResult => {
      const row = appended.get(m.id);
      if (row) return { kind: "stored", message: appendedMessage(m, row) };
      const original = originals.get(`${m.sender_id}\u0000${m.client_msg_id}`);
      return original ? { kind: "duplicate", message: original } : { kind: "not_member" };
    });
  }

  async findMessageForAccess(
    messageId: string,
    callerId: string,
  ): Promise<MessageAccess | undefined> {
    const rows = await this.#db.query(
      `SELECT m.id, m.chat_id, m.sender_id, m.body, m.status, m.seq, m.change_seq, m.client_msg_id,
              m.created_at, m.updated_at, c.type AS chat_type, cm.role AS caller_role
         FROM messages m
         JOIN chats c ON c.id = m.chat_id
         LEFT JOIN chat_members cm ON cm.chat_id = m.chat_id AND cm.user_id = $2
        WHERE m.id = $1`,
      [messageId, callerId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      message: toMessage(row),
      callerRole: (row.caller_role as MessageAccess["callerRole"]) ?? null,
      chatType: row.chat_type as MessageAccess["chatType"],
    };
  }

  /** Applies an edit or delete to a live message, with the chat's next change_seq. */
  async #changeMessage(messageId: string, body: string, status: "updated" | "deleted") {
    const rows = await this.#db.query(
      `WITH target AS (
         SELECT chat_id FROM messages WHERE id = $1 AND status <> 'deleted'
       ), bumped AS (
         UPDATE chats SET last_change_seq = last_change_seq + 1
          WHERE id = (SELECT chat_id FROM target)
         RETURNING last_change_seq
       )
       UPDATE messages m SET body = $2, status = $3, updated_at = now(),
                             change_seq = (SELECT last_change_seq FROM bumped)
        WHERE m.id = $1 AND m.status <> 'deleted' AND EXISTS (SELECT 1 FROM bumped)
       RETURNING ${MESSAGE_COLUMNS}`,
      [messageId, body, status],
    );
    return rows[0] && toMessage(rows[0]);
  }

  editMessage(messageId: string, body: string) {
    return this.#changeMessage(messageId, body, "updated");
  }

  deleteMessage(messageId: string) {
    return this.#changeMessage(messageId, "", "deleted");
  }

  async history(
    chatId: string,
    page: { limit: number; before_seq?: number | undefined; after_seq?: number | undefined },
  ): Promise<HistoryPage> {
    const { limit } = page;
    if (page.after_seq !== undefined) {
      const rows = await this.#db.query(
        `SELECT ${MESSAGE_COLUMNS} FROM messages
          WHERE chat_id = $1 AND seq > $2::bigint AND ($3::bigint IS NULL OR seq < $3)
          ORDER BY seq ASC LIMIT $4`,
        [chatId, page.after_seq, page.before_seq ?? null, limit + 1],
      );
      return { messages: rows.slice(0, limit).map(toMessage), has_more: rows.length > limit };
    }
    const rows = await this.#db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages
        WHERE chat_id = $1 AND ($2::bigint IS NULL OR seq < $2)
        ORDER BY seq DESC LIMIT $3`,
      [chatId, page.before_seq ?? null, limit + 1],
    );
    return {
      messages: rows.slice(0, limit).reverse().map(toMessage),
      has_more: rows.length > limit,
    };
  }

  async changesSince(chatId: string, afterChangeSeq: number, limit: number): Promise<HistoryPage> {
    const rows = await this.#db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages
        WHERE chat_id = $1 AND change_seq > $2::bigint ORDER BY change_seq ASC LIMIT $3`,
      [chatId, afterChangeSeq, limit + 1],
    );
    return { messages: rows.slice(0, limit).map(toMessage), has_more: rows.length > limit };
  }

  async markRead(chatId: string, userId: string, seq: number) {
    const rows = await this.#db.query<{ last_read_seq: number }>(
      `UPDATE chat_members m
          SET last_read_seq = GREATEST(m.last_read_seq, LEAST($3::bigint, c.last_seq))
         FROM chats c
        WHERE m.chat_id = $1 AND m.user_id = $2 AND c.id = m.chat_id
       RETURNING m.last_read_seq`,
      [chatId, userId, seq],
    );
    return rows[0] ? Number(rows[0].last_read_seq) : undefined;
  }

  async ping() {
    await this.#db.query("SELECT 1");
  }

  close() {
    return this.#db.close();
  }
}

function toChat(row: Row, members: ChatMember[]): Chat {
  return {
    id: row.id as string,
    type: row.type as Chat["type"],
    name: (row.name as string | null) ?? null,
    created_by: row.created_by as string,
    created_at: iso(row.created_at),
    members,
  };
}
