import { t } from "../i18n.ts";
import { useConnection } from "../live.tsx";
import type { Pending } from "../hooks/usePendingSends.ts";

/** A message on its way: "sending", "waiting for connection", or refused with a retry. */
export function PendingItem({ pending, onRetry }: { pending: Pending; onRetry: () => void }) {
  const { state } = useConnection();
  return (
    <li className="message is-mine is-pending">
      <div className="bubble">
        {pending.attachments.length > 0 && (
          <p className="pending-files">
            {t.files.attachments(pending.attachments.length)}:{" "}
            {pending.attachments.map((a) => a.name).join(", ")}
          </p>
        )}
        {pending.body !== "" && <p className="message-body">{pending.body}</p>}
        <span className="message-meta">
          {pending.failed ? (
            <>
              <span className="failed">
                {t.notSent}: {pending.failed}
              </span>
              <button className="link-btn" onClick={onRetry}>
                {t.retry}
              </button>
            </>
          ) : (
            <span>{state === "connected" ? t.sending : t.waitingForConnection}</span>
          )}
        </span>
      </div>
    </li>
  );
}
