/** The ModerationStore in SQL: audit_log and reports, both read newest first. */
import type { SqlQueryable } from "../drivers/driver.ts";
import type { AuditEntry, ModerationStore, StoredReport } from "../moderation-store.ts";
import { iso, type Row } from "./rows.ts";

const toEntry = (row: Row): AuditEntry => ({
  id: row.id as string,
  actor_id: row.actor_id as string,
  action: row.action as string,
  target_type: row.target_type as string,
  target_id: (row.target_id as string | null) ?? null,
  created_at: iso(row.created_at),
});

const toReport = (row: Row): StoredReport => ({
  id: row.id as string,
  message_id: row.message_id as string,
  reporter_id: row.reporter_id as string,
  reason: row.reason as string,
  created_at: iso(row.created_at),
});

/**
 * Newest first (in order of insertion, `seq`), keyset-paged after the row with id `before`
 * (when it exists).
 */
function newestFirst(table: string): string {
  return `SELECT * FROM ${table} t
           WHERE $2::uuid IS NULL
              OR t.seq < (SELECT seq FROM ${table} WHERE id = $2::uuid)
           ORDER BY t.seq DESC LIMIT $1`;
}

export function sqlModerationStore(db: SqlQueryable): ModerationStore {
  return {
    async record(entry) {
      const rows = await db.query(
        `INSERT INTO audit_log (id, actor_id, action, target_type, target_id)
         VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [entry.id, entry.actor_id, entry.action, entry.target_type, entry.target_id],
      );
      return toEntry(rows[0]!);
    },

    async audit(limit, before) {
      return (await db.query(newestFirst("audit_log"), [limit, before ?? null])).map(toEntry);
    },

    async report(report) {
      const rows = await db.query(
        `INSERT INTO reports (id, message_id, reporter_id, reason)
         VALUES ($1, $2, $3, $4) RETURNING *`,
        [report.id, report.message_id, report.reporter_id, report.reason],
      );
      return toReport(rows[0]!);
    },

    async reports(limit, before) {
      return (await db.query(newestFirst("reports"), [limit, before ?? null])).map(toReport);
    },
  };
}
