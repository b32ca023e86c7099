/** The ChatStore in SQL: chats, members (chat_members) and read positions. */
import type { Chat, ChatListItem, ChatMember } from "@charla/protocol";
import { batchedReads, CANONICAL_UUID } from "./batched-reads.ts";
import type { ChatStore, NewChat } from "../chat-store.ts";
import { isUniqueViolation, type SqlDriver } from "../drivers/driver.ts";
import { DirectChatExists } from "../errors.ts";
import { avatarUrl } from "../../avatar-url.ts";
import type { AttachmentLinks } from "../attachment-store.ts";
import {
  fromJsonRows,
  iso,
  MESSAGE_COLUMNS,
  selectAsJsonRows,
  toMessage,
  type Row,
} from "./rows.ts";

function toChat(row: Row, members: ChatMember[]): Chat {
  return {
    id: row.id as string,
    type: row.type as Chat["type"],
    name: (row.name as string | null) ?? null,
    description: (row.description as string | null) ?? null,
    created_by: row.created_by as string,
    created_at: iso(row.created_at),
    members,
  };
}

export function sqlChatStore(db: SqlDriver, links: AttachmentLinks): ChatStore {
  async function contactIdsOfOne(userId: string): Promise<string[]> {
    const rows = await db.query<{ user_id: string }>(
      `SELECT DISTINCT other.user_id
         FROM chat_members mine JOIN chat_members other ON other.chat_id = mine.chat_id
        WHERE mine.user_id = $1 AND other.user_id <> $1`,
      [userId],
    );
    return rows.map((row) => row.user_id);
  }
  // Every connect lists its user's online contacts: in a reconnect storm, one statement for
  // the contacts of every user connecting at once (users in no chat are absent: none).
  const contactsBatched = batchedReads(async (userIds) => {
    const rows = await db.query<{ of: string; user_id: string }>(
      `SELECT DISTINCT mine.user_id AS of, other.user_id
         FROM chat_members mine JOIN chat_members other ON other.chat_id = mine.chat_id
        WHERE mine.user_id = ANY($1::uuid[]) AND other.user_id <> mine.user_id`,
      [userIds],
    );
    const byUser = new Map<string, string[]>();
    for (const row of rows) {
      const list = byUser.get(row.of);
      if (list) list.push(row.user_id);
      else byUser.set(row.of, [row.user_id]);
    }
    return byUser;
  });

  /**
   * The members of these chats, or of every chat of `chats.ofUser` (read in the statement:
   * sending back thousands of chat ids as an array costs more than the query).
   */
  async function membersOf(
    chats: readonly string[] | { ofUser: string },
  ): Promise<Map<string, ChatMember[]>> {
    const ofUser = "ofUser" in chats;
    // A user in 2,000 chats has thousands of members: one JSON value, not a row each (rows.ts).
    const [result] = await db.query(
      selectAsJsonRows(
        `SELECT m.chat_id, m.user_id, u.username, u.display_name, u.avatar_id, m.role,
                m.last_read_seq, m.joined_at
           FROM chat_members m JOIN users u ON u.id = m.user_id
          WHERE ${ofUser ? "m.chat_id IN (SELECT chat_id FROM chat_members WHERE user_id = $1)" : "m.chat_id = ANY($1::uuid[])"}`,
        "r.role DESC, r.joined_at, lower(r.username)",
      ),
      [ofUser ? chats.ofUser : chats],
    );
    const rows = fromJsonRows(result?.rows) as {
      chat_id: string;
      user_id: string;
      username: string;
      display_name: string | null;
      avatar_id: string | null;
      role: ChatMember["role"];
      last_read_seq: number;
    }[];
    const byChat = new Map<string, ChatMember[]>();
    for (const row of rows) {
      const list = byChat.get(row.chat_id) ?? [];
      list.push({
        user_id: row.user_id,
        username: row.username,
        display_name: row.display_name ?? null,
        avatar_url: avatarUrl(row),
        role: row.role,
        last_read_seq: Number(row.last_read_seq),
      });
      byChat.set(row.chat_id, list);
    }
    return byChat;
  }

  async function get(chatId: string): Promise<Chat | undefined> {
    const rows = await db.query("SELECT * FROM chats WHERE id = $1", [chatId]);
    if (!rows[0]) return undefined;
    const members = await membersOf([chatId]);
    return toChat(rows[0], members.get(chatId) ?? []);
  }

  async function insert(chat: NewChat): Promise<void> {
    await db.transaction(async (tx) => {
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
  }

  return {
    get,

    async create(chat) {
      try {
        await insert(chat);
      } catch (error) {
        if (chat.direct_key !== null && isUniqueViolation(error, "chats_direct_key_key")) {
          throw new DirectChatExists(chat.direct_key);
        }
        throw error;
      }
      return (await get(chat.id))!;
    },

    async findDirect(directKey) {
      const rows = await db.query<{ id: string }>("SELECT id FROM chats WHERE direct_key = $1", [
        directKey,
      ]);
      return rows[0] ? get(rows[0].id) : undefined;
    },

    async listOf(userId): Promise<ChatListItem[]> {
      // Per chat, one pass over its unread messages counts both figures, and its last
      // message is one probe of the (chat_id, seq) index: a chat of a million messages costs
      // what a chat of ten does, unless a million are unread (counted one by one). Each of
      // the three statements sends its thousands of rows as one JSON value (rows.ts).
      const [listed] = await db.query(
        selectAsJsonRows(
          `SELECT c.*, m.last_read_seq, m.muted, unread.unread_count, unread.mention_count
           FROM chat_members m JOIN chats c ON c.id = m.chat_id
           CROSS JOIN LATERAL (
             SELECT count(*)::int AS unread_count,
                    (count(*) FILTER (WHERE $1 = ANY (x.mentions)))::int AS mention_count
               FROM messages x
              WHERE x.chat_id = c.id AND x.seq > m.last_read_seq
                AND x.sender_id <> $1 AND x.status <> 'deleted'
                -- A chat read to its end (most of them) is not looked into at all.
                AND c.last_seq > m.last_read_seq
           ) unread
          WHERE m.user_id = $1`,
          "r.last_activity_at DESC, r.id",
        ),
        [userId],
      );
      const chats = fromJsonRows(listed?.rows);
      if (chats.length === 0) return [];
      const [members, [last]] = await Promise.all([
        membersOf({ ofUser: userId }),
        db.query(
          selectAsJsonRows(
            `SELECT last.* FROM chat_members mine
               CROSS JOIN LATERAL (
                 SELECT ${MESSAGE_COLUMNS} FROM messages
                  WHERE chat_id = mine.chat_id ORDER BY seq DESC LIMIT 1
               ) last
              WHERE mine.user_id = $1`,
          ),
          [userId],
        ),
      ]);
      const lastByChat = new Map(
        fromJsonRows(last?.rows).map((row) => [row.chat_id as string, toMessage(row, links)]),
      );
      return chats.map((row) => ({
        ...toChat(row, members.get(row.id as string) ?? []),
        last_message: lastByChat.get(row.id as string) ?? null,
        unread_count: Number(row.unread_count),
        mention_count: Number(row.mention_count),
        muted: row.muted === true,
        last_read_seq: Number(row.last_read_seq),
      }));
    },

    async idsOf(userId) {
      const rows = await db.query<{ chat_id: string }>(
        "SELECT chat_id FROM chat_members WHERE user_id = $1",
        [userId],
      );
      return rows.map((row) => row.chat_id);
    },

    async idsOfUsers(userIds) {
      const byUser = new Map<string, string[]>();
      if (userIds.length === 0) return byUser;
      const rows = await db.query<{ user_id: string; chat_id: string }>(
        "SELECT user_id, chat_id FROM chat_members WHERE user_id = ANY($1::uuid[])",
        [userIds],
      );
      for (const row of rows) {
        const list = byUser.get(row.user_id);
        if (list) list.push(row.chat_id);
        else byUser.set(row.user_id, [row.chat_id]);
      }
      return byUser;
    },

    async contactIdsOf(userId) {
      return CANONICAL_UUID.test(userId)
        ? ((await contactsBatched(userId)) ?? [])
        : contactIdsOfOne(userId);
    },

    async memberRole(chatId, userId) {
      const rows = await db.query<{ role: ChatMember["role"] }>(
        "SELECT role FROM chat_members WHERE chat_id = $1 AND user_id = $2",
        [chatId, userId],
      );
      return rows[0]?.role;
    },

    async addMember(chatId, userId) {
      const rows = await db.query(
        `INSERT INTO chat_members (chat_id, user_id, role) VALUES ($1, $2, 'member')
         ON CONFLICT DO NOTHING RETURNING user_id`,
        [chatId, userId],
      );
      return rows.length > 0;
    },

    async setRole(chatId, userId, role) {
      const rows = await db.query(
        `UPDATE chat_members SET role = $3
          WHERE chat_id = $1 AND user_id = $2 AND role <> 'owner' RETURNING user_id`,
        [chatId, userId, role],
      );
      return rows.length > 0;
    },

    async removeMember(chatId, userId) {
      return db.transaction(async (tx) => {
        const rows = await tx.query<{ role: string }>(
          "DELETE FROM chat_members WHERE chat_id = $1 AND user_id = $2 RETURNING role",
          [chatId, userId],
        );
        if (rows[0]?.role === "owner") {
          // A group whose owner left is handed to an admin of it (else its longest-standing
          // member), so it can still be managed.
          await tx.query(
            `UPDATE chat_members SET role = 'owner'
              WHERE chat_id = $1 AND user_id = (
                SELECT user_id FROM chat_members WHERE chat_id = $1
                 ORDER BY (role = 'admin') DESC, joined_at, user_id LIMIT 1)`,
            [chatId],
          );
        }
        return rows.length > 0;
      });
    },

    async update(chatId, changes) {
      const rows = await db.query(
        `UPDATE chats SET name = CASE WHEN $2::boolean THEN $3::text ELSE name END,
                          description = CASE WHEN $4::boolean THEN $5::text ELSE description END
          WHERE id = $1 RETURNING id`,
        [
          chatId,
          changes.name !== undefined,
          changes.name ?? null,
          changes.description !== undefined,
          changes.description ?? null,
        ],
      );
      return rows[0] ? get(chatId) : undefined;
    },

    async setMuted(chatId, userId, muted) {
      const rows = await db.query(
        "UPDATE chat_members SET muted = $3 WHERE chat_id = $1 AND user_id = $2 RETURNING muted",
        [chatId, userId, muted],
      );
      return rows.length > 0;
    },

    async markRead(chatId, userId, seq) {
      const rows = await db.query<{ last_read_seq: number }>(
        `UPDATE chat_members m
            SET last_read_seq = GREATEST(m.last_read_seq, LEAST($3::bigint, c.last_seq))
           FROM chats c
          WHERE m.chat_id = $1 AND m.user_id = $2 AND c.id = m.chat_id
         RETURNING m.last_read_seq`,
        [chatId, userId, seq],
      );
      return rows[0] ? Number(rows[0].last_read_seq) : undefined;
    },
  };
}
