import { useId, useState, type KeyboardEvent } from "react";
import { MESSAGE_BODY_MAX, type Message } from "@charla/client";
import { errorText } from "../errors.ts";
import { formatTime, t } from "../i18n.ts";
import { EditIcon, ReplyIcon, SmileIcon, TrashIcon } from "../icons.tsx";
import { useConnection } from "../live.tsx";
import { MessageAttachments } from "./Attachments.tsx";
import { hueOf } from "./Avatar.tsx";
import { ConfirmAction } from "./ConfirmAction.tsx";
import { MessageBody } from "./MessageBody.tsx";
import { ReactionPicker, Reactions } from "./Reactions.tsx";
import { ReplyQuote } from "./ReplyQuote.tsx";
import { ReportMessage } from "./ReportMessage.tsx";

/**
 * One message: the quote it answers, its bubble, its reactions; for everyone reply and
 * react, for its sender (or a group's owner) edit and delete.
 */
export function MessageItem({
  message,
  myId,
  names,
  senderName,
  showSender,
  continued,
  canDelete,
  seenLabel,
  onReply,
  onJump,
}: {
  message: Message;
  myId: string;
  /** user id → username, of the chat's members. */
  names: ReadonlyMap<string, string>;
  senderName: string;
  showSender: boolean;
  continued: boolean;
  canDelete: boolean;
  seenLabel: string | null;
  onReply: () => void;
  onJump: (messageId: string) => void;
}) {
  const mine = message.sender_id === myId;
  const [reacting, setReacting] = useState(false);
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
  if (message.mentions.includes(myId)) classes.push("mentions-me");
  if (continued) classes.push("is-continued");
  if (deleted) classes.push("is-deleted");
  return (
    <li className={classes.join(" ")} id={`msg-${message.id}`}>
      {showSender && !mine && (
        <span className="message-sender" style={{ color: `hsl(${hueOf(senderName)} 55% 45%)` }}>
          {senderName}
        </span>
      )}
      <div className="message-row">
        <div className="bubble" tabIndex={-1}>
          {!mine && <span className="sr-only">{senderName}: </span>}
          {message.reply_to && !deleted && (
            <ReplyQuote
              quote={message.reply_to}
              senderName={names.get(message.reply_to.sender_id) ?? "?"}
              onJump={() => onJump(message.reply_to!.id)}
            />
          )}
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
            <>
              <MessageAttachments attachments={message.attachments} />
              {message.body !== "" && (
                <MessageBody
                  body={message.body}
                  mentioned={message.mentions
                    .map((id) => names.get(id))
                    .filter((n) => n !== undefined)}
                  myName={names.get(myId) ?? ""}
                />
              )}
            </>
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
        {!deleted && !editing && (
          <div className="message-actions">
            <button className="icon-btn small" title={t.reply} onClick={onReply}>
              <ReplyIcon />
              <span className="sr-only">{t.reply}</span>
            </button>
            <button
              className="icon-btn small"
              title={t.addReaction}
              aria-expanded={reacting}
              onClick={() => setReacting(!reacting)}
            >
              <SmileIcon />
              <span className="sr-only">{t.addReaction}</span>
            </button>
            {!mine && <ReportMessage messageId={message.id} senderName={senderName} />}
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
      {reacting && (
        <ReactionPicker
          messageId={message.id}
          onDone={(failure) => {
            setReacting(false);
            setError(failure ?? null);
          }}
        />
      )}
      {!deleted && (
        <Reactions messageId={message.id} reactions={message.reactions} names={names} myId={myId} />
      )}
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
      {seenLabel && <span className="seen">{seenLabel}</span>}
    </li>
  );
}
