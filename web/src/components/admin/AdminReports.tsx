import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Report } from "@charla/client";
import { adminApi, adminKey } from "../../admin-api.ts";
import { errorText } from "../../errors.ts";
import { t } from "../../i18n.ts";
import { useUserNames } from "../../hooks/useUserNames.ts";
import { ConfirmAction } from "../ConfirmAction.tsx";
import { formatDateTime } from "./format.ts";
import { useDeactivation } from "./useDeactivation.ts";
import { useNewestFirst } from "./useNewestFirst.ts";

/** Reports, newest first, each with the message reported and what an admin can do about it. */
export function AdminReports() {
  const queryClient = useQueryClient();
  const reports = useNewestFirst<Report>("reports", (query) => adminApi.reports(query));
  const names = useUserNames(reports.items.flatMap((r) => [r.reporter_id, r.message.sender_id]));
  const remove = useMutation({
    mutationFn: (messageId: string) => adminApi.deleteMessage(messageId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminKey }),
  });
  const deactivate = useDeactivation();
  const error = reports.error ?? remove.error ?? deactivate.error;
  const nameOf = (userId: string) => names.get(userId) ?? t.admin.someone;

  return (
    <div className="admin-section">
      <ul className="admin-list" aria-label={t.admin.reports} aria-busy={reports.isFetching}>
        {reports.items.map((report) => {
          const { message } = report;
          const deleted = message.status === "deleted";
          const sender = nameOf(message.sender_id);
          return (
            <li key={report.id} className="admin-card">
              <p className="muted small-text">
                {t.admin.reportedBy(nameOf(report.reporter_id), formatDateTime(report.created_at))}
              </p>
              <p className="report-reason">
                <span className="sr-only">{t.admin.reason}: </span>
                {report.reason}
              </p>
              <figure className="reported-message">
                <figcaption className="muted small-text">
                  {t.admin.messageFrom(sender, formatDateTime(message.created_at))}
                </figcaption>
                <blockquote className={deleted ? "is-deleted" : undefined}>
                  {deleted ? t.deleted : message.body}
                </blockquote>
              </figure>
              <div className="admin-card-actions">
                {deleted ? (
                  <span className="role-badge">{t.admin.messageDeleted}</span>
                ) : (
                  <ConfirmAction
                    triggerClass="btn btn-small btn-secondary"
                    trigger={t.deleteMessage}
                    question={t.deleteQuestion}
                    confirmLabel={t.delete}
                    disabled={remove.isPending}
                    onConfirm={() => remove.mutate(message.id)}
                  />
                )}
                <ConfirmAction
                  triggerClass="btn btn-small btn-ghost danger-text"
                  trigger={t.admin.deactivateSender}
                  question={t.admin.deactivateQuestion(sender)}
                  confirmLabel={t.admin.deactivate}
                  disabled={deactivate.isPending}
                  onConfirm={() => deactivate.mutate({ userId: message.sender_id, active: false })}
                />
              </div>
            </li>
          );
        })}
        {reports.isSuccess && reports.items.length === 0 && (
          <li className="muted admin-empty">{t.admin.noReports}</li>
        )}
      </ul>
      {reports.hasNextPage && (
        <button
          type="button"
          className="btn btn-secondary"
          disabled={reports.isFetchingNextPage}
          onClick={() => void reports.fetchNextPage()}
        >
          {t.admin.loadMore}
        </button>
      )}
      {error && (
        <p className="form-error" role="alert">
          {errorText(error)}
        </p>
      )}
    </div>
  );
}
