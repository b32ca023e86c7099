/** The BlockStore in SQL (user_blocks; sends are refused by a trigger, migration 0008). */
import type { BlockStore } from "../block-store.ts";
import type { SqlQueryable } from "../drivers/driver.ts";
import type { StoredUser } from "../user-store.ts";
import type { Row } from "./rows.ts";

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
  };
}
