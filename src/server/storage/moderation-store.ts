/** The moderation part of the storage port: the admins' audit log and members' reports. */

export interface AuditEntry {
  id: string;
  actor_id: string;
  /** What was done, e.g. `user.deactivate`, `message.delete`, `invite.create`. */
  action: string;
  target_type: string;
  target_id: string | null;
  created_at: string;
}

/** An audit entry written in the same transaction (statement) as the change it records. */
export type AuditRecord = Omit<AuditEntry, "created_at">;

export interface StoredReport {
  id: string;
  message_id: string;
  reporter_id: string;
  reason: string;
  created_at: string;
}

export interface ModerationStore {
  /** An entry on its own, for an action that changes nothing else in the database. */
  record(entry: AuditRecord): Promise<AuditEntry>;
  /** Newest first; `before` is the id of the last entry of the previous page. */
  audit(limit: number, before?: string): Promise<AuditEntry[]>;
  report(report: Omit<StoredReport, "created_at">): Promise<StoredReport>;
  /** Newest first; `before` is the id of the last report of the previous page. */
  reports(limit: number, before?: string): Promise<StoredReport[]>;
}
