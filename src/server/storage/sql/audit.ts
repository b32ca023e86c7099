/**
 * An audit entry as one more data-modifying CTE, so the entry commits (or rolls back) with the
 * change it records, in the same statement. `source` names a CTE whose rows the entry waits
 * for: no row there (nothing changed), no entry.
 */
import type { AuditRecord } from "../moderation-store.ts";

/** `audit AS (INSERT …)` taking its values from parameters `$first`…`$first+4`. */
export function auditCte(first: number, source: string): string {
  const [id, actor, action, type, target] = [0, 1, 2, 3, 4].map((i) => `$${first + i}`);
  return `audit AS (
    INSERT INTO audit_log (id, actor_id, action, target_type, target_id)
    SELECT ${id}::uuid, ${actor}::uuid, ${action}, ${type}, ${target}
     WHERE EXISTS (SELECT 1 FROM ${source})
  )`;
}

export const auditParams = (entry: AuditRecord): unknown[] => [
  entry.id,
  entry.actor_id,
  entry.action,
  entry.target_type,
  entry.target_id,
];
