import type { AuditEntry } from "@charla/client";
import { adminApi } from "../../admin-api.ts";
import { errorText } from "../../errors.ts";
import { t } from "../../i18n.ts";
import { useUserNames } from "../../hooks/useUserNames.ts";
import { formatDateTime } from "./format.ts";
import { useNewestFirst } from "./useNewestFirst.ts";

/** A bot is a user: its id names it like any account's. */
const namesUser = (entry: AuditEntry) =>
  entry.target_type === "user" || entry.target_type === "bot";

/** Every admin action, newest first: who, what, to what, when. */
export function AdminAudit() {
  const entries = useNewestFirst<AuditEntry>("audit", (query) => adminApi.audit(query));
  const names = useUserNames(
    entries.items.flatMap((e) =>
      namesUser(e) && e.target_id ? [e.actor_id, e.target_id] : [e.actor_id],
    ),
  );
  const nameOf = (userId: string) => names.get(userId) ?? t.admin.someone;
  const targetOf = (entry: AuditEntry) =>
    namesUser(entry) && entry.target_id
      ? nameOf(entry.target_id)
      : `${entry.target_type} ${entry.target_id ?? ""}`.trim();

  return (
    <div className="admin-section">
      <ol className="admin-list" aria-label={t.admin.audit} aria-busy={entries.isFetching}>
        {entries.items.map((entry) => (
          <li key={entry.id} className="admin-row audit-row">
            <span className="admin-row-text">
              <span className="audit-what">
                {t.admin.action(entry.action, nameOf(entry.actor_id), targetOf(entry))}
              </span>
              <time className="muted small-text" dateTime={entry.created_at}>
                {formatDateTime(entry.created_at)}
              </time>
            </span>
          </li>
        ))}
        {entries.isSuccess && entries.items.length === 0 && (
          <li className="muted admin-empty">{t.admin.noAudit}</li>
        )}
      </ol>
      {entries.hasNextPage && (
        <button
          type="button"
          className="btn btn-secondary"
          disabled={entries.isFetchingNextPage}
          onClick={() => void entries.fetchNextPage()}
        >
          {t.admin.loadMore}
        </button>
      )}
      {entries.error && (
        <p className="form-error" role="alert">
          {errorText(entries.error)}
        </p>
      )}
    </div>
  );
}
