import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { createPortal } from "react-dom";
import { MESSAGE_BODY_MAX, type Message } from "@charla/client";
import { errorText } from "../errors.ts";
import { formatTime, t } from "../i18n.ts";
import { EditIcon, ReplyIcon, SmileIcon, TrashIcon } from "../icons.tsx";
import { useLongPress, useTouchScreen } from "../hooks/useLongPress.ts";
import { useConnection } from "../live.tsx";
import { MessageAttachments } from "./Attachments.tsx";
import { hueOf } from "./Avatar.tsx";
import { ConfirmAction } from "./ConfirmAction.tsx";
import { plainText } from "../markdown.tsx";
import { MessageBody } from "./MessageBody.tsx";
import { MessageMenu } from "./MessageMenu.tsx";
import { ReactionPicker, Reactions } from "./Reactions.tsx";
import { ReplyQuote } from "./ReplyQuote.tsx";
import { ReportDialog, ReportMessage } from "./ReportMessage.tsx";

/**
 * One message: the quote it answers, its bubble, its reactions; for everyone reply and
 * react, for its sender (or a group's owner) edit and delete. With a mouse or a keyboard the
 * actions are icons beside the bubble, shown on hover and focus; on a touch screen they are in
 * a menu that a long press on the bubble opens (and a screen reader's button).
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
  const touch = useTouchScreen();
  const [menu, setMenu] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const bubble = useRef<HTMLDivElement>(null);
  /** What opened the menu (the bubble or the screen reader's button): it gets the focus back. */
  const opener = useRef<HTMLElement | null>(null);
  const press = useLongPress(() => {
    opener.current = bubble.current;
    setMenu(true);
  }, !deleted && !editing);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 2000);
    return () => clearTimeout(timer);
  }, [notice]);

  function startEditing() {
    setDraft(message.body);
    setEditing(true);
  }

  function react(emoji: string) {
    setError(null);
    client.react(message.id, emoji).catch((e: unknown) => setError(errorText(e)));
  }

  function copy() {
    navigator.clipboard.writeText(message.body).then(
      () => setNotice(t.copied),
      () => setError(t.errors.INTERNAL),
    );
  }

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
  if (menu) classes.push("is-pressed");
  return (
    <li className={classes.join(" ")} id={`msg-${message.id}`}>
      {showSender && !mine && (
        <span className="message-sender" style={{ color: `hsl(${hueOf(senderName)} 55% 45%)` }}>
          {senderName}
        </span>
      )}
      <div className="message-row">
        <div className="bubble" tabIndex={-1} ref={bubble} {...press}>
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
        {!deleted && !editing && touch && (
          <button
            type="button"
            className="sr-only"
            aria-haspopup="menu"
            aria-expanded={menu}
            onClick={(e) => {
              opener.current = e.currentTarget;
              setMenu(true);
            }}
          >
            {mine ? t.myMessageActions : t.messageActions(senderName)}
          </button>
        )}
        {!deleted && !editing && !touch && (
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
              <button className="icon-btn small" title={t.editMessage} onClick={startEditing}>
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
      {menu && (
        <MessageMenu
          label={mine ? t.myMessageActions : t.messageActions(senderName)}
          senderName={mine ? t.you : senderName}
          preview={plainText(message.body) || t.files.attachments(message.attachments.length)}
          actions={{
            reply: onReply,
            react,
            copy: message.body ? copy : undefined,
            edit: mine ? startEditing : undefined,
            report: mine ? undefined : () => setReporting(true),
            remove: canDelete ? () => void remove() : undefined,
          }}
          onClose={(restoreFocus) => {
            setMenu(false);
            if (restoreFocus) opener.current?.focus({ preventScroll: true });
          }}
        />
      )}
      {reporting &&
        createPortal(
          <ReportDialog
            messageId={message.id}
            senderName={senderName}
            onClose={() => setReporting(false)}
          />,
          document.body,
        )}
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
      {notice && (
        <p className="message-notice" role="status">
          {notice}
        </p>
      )}
      {seenLabel && <span className="seen">{seenLabel}</span>}
    </li>
  );
}
