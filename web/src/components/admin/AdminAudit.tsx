import { useQuery } from "@tanstack/react-query";
import type { AuditEntry } from "@charla/client";
import { adminApi } from "../../admin-api.ts";
import { chatsKey } from "../../cache.ts";
import { chatTitle } from "../../chats.ts";
import { api } from "../../session.ts";
import { errorText } from "../../errors.ts";
import { t } from "../../i18n.ts";
import { useUserNames } from "../../hooks/useUserNames.ts";
import { formatDateTime } from "./format.ts";
import { useNewestFirst } from "./useNewestFirst.ts";

/** A bot is a user: its id names it like any account's. */
const namesUser = (entry: AuditEntry) =>
  entry.target_type === "user" || entry.target_type === "bot";

/** Every admin action, newest first: who, what, to what, when. */
export function AdminAudit({ myId }: { myId: string }) {
  const entries = useNewestFirst<AuditEntry>("audit", (query) => adminApi.audit(query));
  const names = useUserNames(
    entries.items.flatMap((e) =>
      namesUser(e) && e.target_id ? [e.actor_id, e.target_id] : [e.actor_id],
    ),
  );
  // A group (the target of its incoming webhooks' changes) is named from the admin's own
  // chat list, the same query as the shell's; one the admin is not in has no name to show.
  const chats = useQuery({ queryKey: chatsKey, queryFn: () => api.listChats() });
  const nameOf = (userId: string) => names.get(userId) ?? t.admin.someone;
  const groupName = (chatId: string) => {
    const chat = chats.data?.find((c) => c.id === chatId);
    return chat ? `“${chatTitle(chat, myId)}”` : t.admin.groupNotIn;
  };
  const targetOf = (entry: AuditEntry) => {
    if (namesUser(entry) && entry.target_id) return nameOf(entry.target_id);
    if (entry.target_type === "chat" && entry.target_id) return groupName(entry.target_id);
    // Entries written before incoming webhooks named their group (they named the webhook).
    if (entry.action.startsWith("webhook.incoming.")) return t.admin.aGroup;
    return `${entry.target_type} ${entry.target_id ?? ""}`.trim();
  };

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
