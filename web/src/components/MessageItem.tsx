import { useId, useState, type KeyboardEvent } from "react";
import { MESSAGE_BODY_MAX, type Message } from "@charla/client";
import { errorText } from "../errors.ts";
import { formatTime, t } from "../i18n.ts";
import { EditIcon, TrashIcon } from "../icons.tsx";
import { useConnection } from "../live.tsx";
import { hueOf } from "./Avatar.tsx";
import { ConfirmAction } from "./ConfirmAction.tsx";
import { MessageBody } from "./MessageBody.tsx";

/** One message: its bubble, and for its sender (or a group's owner) edit and delete. */
export function MessageItem({
  message,
  mine,
  senderName,
  showSender,
  continued,
  canDelete,
  seenLabel,
}: {
  message: Message;
  mine: boolean;
  senderName: string;
  showSender: boolean;
  continued: boolean;
  canDelete: boolean;
  seenLabel: string | null;
}) {
  const { client } = useConnection();
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.body);
  const [error, setError] = useState<string | null>(null);
  const deleted = message.status === "deleted";

  async function save() {
    const body = draft.trim();
    if (!body || body === message.body) return setEditing(false);
    try {
      setError(null);
      await client.edit(message.id, body);
      setEditing(false);
    } catch (e) {
      setError(errorText(e));
    }
  }

  async function remove() {
    try {
      setError(null);
      await client.remove(message.id);
    } catch (e) {
      setError(errorText(e));
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void save();
    } else if (event.key === "Escape") {
      event.preventDefault();
      setEditing(false);
    }
  }

  const classes = ["message", mine ? "is-mine" : "is-theirs"];
  if (continued) classes.push("is-continued");
  if (deleted) classes.push("is-deleted");
  return (
    <li className={classes.join(" ")}>
      {showSender && !mine && (
        <span className="message-sender" style={{ color: `hsl(${hueOf(senderName)} 55% 45%)` }}>
          {senderName}
        </span>
      )}
      <div className="message-row">
        <div className="bubble">
          {!mine && <span className="sr-only">{senderName}: </span>}
          {editing ? (
            <div className="edit-box">
              <label htmlFor={`${id}-edit`} className="sr-only">
                {t.editField}
              </label>
              <textarea
                id={`${id}-edit`}
                value={draft}
                maxLength={MESSAGE_BODY_MAX}
                rows={Math.min(6, draft.split("\n").length)}
                onChange={(e) => setDraft(e.target.value)}
                onKeyDown={onKeyDown}
                autoFocus
              />
              <div className="edit-actions">
                <button className="btn btn-small btn-ghost" onClick={() => setEditing(false)}>
                  {t.cancel}
                </button>
                <button className="btn btn-small btn-light" onClick={() => void save()}>
                  {t.save}
                </button>
              </div>
            </div>
          ) : deleted ? (
            <p className="message-body">{t.deleted}</p>
          ) : (
            <MessageBody body={message.body} />
          )}
          <span className="message-meta">
            {message.status === "updated" && (
              <>
                <span>{t.edited}</span>
                <span aria-hidden="true">·</span>
              </>
            )}
            <time dateTime={message.created_at}>{formatTime(message.created_at)}</time>
          </span>
        </div>
        {!deleted && !editing && (mine || canDelete) && (
          <div className="message-actions">
            {mine && (
              <button
                className="icon-btn small"
                title={t.editMessage}
                onClick={() => {
                  setDraft(message.body);
                  setEditing(true);
                }}
              >
                <EditIcon />
                <span className="sr-only">{t.editMessage}</span>
              </button>
            )}
            {canDelete && (
              <ConfirmAction
                triggerClass="icon-btn small danger"
                triggerTitle={t.deleteMessage}
                trigger={
                  <>
                    <TrashIcon />
                    <span className="sr-only">{t.deleteMessage}</span>
                  </>
                }
                question={t.deleteQuestion}
                confirmLabel={t.delete}
                onConfirm={() => void remove()}
              />
            )}
          </div>
        )}
      </div>
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
      {seenLabel && <span className="seen">{seenLabel}</span>}
    </li>
  );
}
