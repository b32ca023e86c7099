/** The BlockStore in SQL (user_blocks; sends are refused by a trigger, migration 0008). */
import type { BlockStore } from "../block-store.ts";
import type { SqlQueryable } from "../drivers/driver.ts";
import type { StoredUser } from "../user-store.ts";
import type { Row } from "./rows.ts";

/**
 * The users who block $1 or whom $1 blocks, as an array of text ids: one expression, so the
 * handshake reads it in the statement that reads the user and their chats.
 */
export const blockPeerIdsOf = (userId: string) => `ARRAY(
  SELECT blocked_id::text FROM user_blocks WHERE blocker_id = ${userId}
   UNION SELECT blocker_id::text FROM user_blocks WHERE blocked_id = ${userId})`;
export const BLOCK_PEER_IDS = blockPeerIdsOf("$1");

export function sqlBlockStore(db: SqlQueryable, toUser: (row: Row) => StoredUser): BlockStore {
  return {
    async block(blockerId, blockedId) {
      await db.query(
        "INSERT INTO user_blocks (blocker_id, blocked_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        [blockerId, blockedId],
      );
    },
    async unblock(blockerId, blockedId) {
      await db.query("DELETE FROM user_blocks WHERE blocker_id = $1 AND blocked_id = $2", [
        blockerId,
        blockedId,
      ]);
    },
    async blockedBy(blockerId) {
      const rows = await db.query(
        `SELECT u.* FROM user_blocks b JOIN users u ON u.id = b.blocked_id
          WHERE b.blocker_id = $1 ORDER BY lower(u.username)`,
        [blockerId],
      );
      return rows.map(toUser);
    },
    async blocks(blockerId, blockedId) {
      const rows = await db.query(
        "SELECT 1 FROM user_blocks WHERE blocker_id = $1 AND blocked_id = $2",
        [blockerId, blockedId],
      );
      return rows.length > 0;
    },
    async peersOf(userId) {
      const rows = await db.query(`SELECT ${BLOCK_PEER_IDS} AS ids`, [userId]);
      return rows[0]?.ids as string[];
    },
  };
}
