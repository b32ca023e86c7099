/** The AttachmentStore in SQL. */
import type { SqlQueryable } from "../drivers/driver.ts";
import type { AttachmentStore, StoredAttachment } from "../attachment-store.ts";
import type { Row } from "./rows.ts";

const COLUMNS =
  "id, owner_id, name, content_type, size, width, height, has_thumbnail, ready, message_id, " +
  "chat_id, doomed_at";

function toStored(row: Row): StoredAttachment {
  return {
    id: row.id as string,
    owner_id: row.owner_id as string,
    name: row.name as string,
    content_type: row.content_type as string,
    size: Number(row.size),
    width: row.width === null ? null : Number(row.width),
    height: row.height === null ? null : Number(row.height),
    has_thumbnail: row.has_thumbnail === true,
    ready: row.ready === true,
    message_id: (row.message_id as string | null) ?? null,
    chat_id: (row.chat_id as string | null) ?? null,
    doomed: row.doomed_at !== null && row.doomed_at !== undefined,
  };
}

export function sqlAttachmentStore(db: SqlQueryable): AttachmentStore {
  return {
    async begin({ id, owner_id, name, content_type }) {
      await db.query(
        "INSERT INTO attachments (id, owner_id, name, content_type) VALUES ($1, $2, $3, $4)",
        [id, owner_id, name, content_type],
      );
    },

    async finish(id, facts) {
      const rows = await db.query(
        `UPDATE attachments SET size = $2, width = $3, height = $4, has_thumbnail = $5, ready = true
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, facts.size, facts.width, facts.height, facts.has_thumbnail],
      );
      return toStored(rows[0]!);
    },

    async forget(ids) {
      if (ids.length === 0) return;
      await db.query("DELETE FROM attachments WHERE id = ANY($1::uuid[])", [[...ids]]);
    },

    async find(id, callerId) {
      const rows = await db.query(
        `SELECT ${COLUMNS.split(", ")
          .map((c) => `a.${c}`)
          .join(", ")},
                EXISTS (SELECT 1 FROM chat_members cm
                         WHERE cm.chat_id = a.chat_id AND cm.user_id = $2::uuid) AS caller_is_member
           FROM attachments a WHERE a.id = $1`,
        [id, callerId ?? null],
      );
      const row = rows[0];
      if (!row) return undefined;
      return { attachment: toStored(row), callerIsMember: row.caller_is_member === true };
    },

    async claimSweep({ limit, unsentSeconds, reclaimSeconds }) {
      // SKIP LOCKED: nodes sweeping at the same moment claim different rows, never the same.
      const rows = await db.query(
        `UPDATE attachments SET sweep_claimed_at = now()
          WHERE id IN (
            SELECT id FROM attachments
             WHERE (doomed_at IS NOT NULL
                    OR (message_id IS NULL AND created_at < now() - make_interval(secs => $2)))
               AND (sweep_claimed_at IS NULL
                    OR sweep_claimed_at < now() - make_interval(secs => $3))
             ORDER BY created_at
             LIMIT $1
             FOR UPDATE SKIP LOCKED)
         RETURNING id, has_thumbnail`,
        [limit, unsentSeconds, reclaimSeconds],
      );
      return rows.map((row) => ({
        id: row.id as string,
        has_thumbnail: row.has_thumbnail === true,
      }));
    },
  };
}
