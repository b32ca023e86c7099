import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
} from "react";
import { MESSAGE_BODY_MAX, type ChatMember, type Message } from "@charla/client";
import { t } from "../i18n.ts";
import { SendIcon } from "../icons.tsx";
import { readDraft, saveDraft } from "../drafts.ts";
import { useConnection } from "../live.tsx";
import { plainText } from "../markdown.tsx";
import { useMentionMenu } from "./MentionMenu.tsx";

/** Typing is announced at most this often, and "stopped" after this long without a key. */
const TYPING_IDLE_MS = 3000;
/** The counter shows this close to the limit. */
const COUNTER_FROM = MESSAGE_BODY_MAX - 500;

/**
 * The message field: Enter sends, Shift+Enter breaks the line; it announces typing and keeps
 * what is not sent yet as the chat's draft.
 */
export function Composer({
  chatId,
  myId,
  members,
  replyTo,
  onCancelReply,
  onSend,
}: {
  chatId: string;
  myId: string;
  /** Offered after `@`. */
  members: ChatMember[];
  /** The message being answered, with its sender's name. */
  replyTo: { message: Message; senderName: string } | null;
  onCancelReply: () => void;
  onSend: (body: string) => void;
}) {
  const { client } = useConnection();
  const id = useId();
  const [body, setBody] = useState(() => readDraft(myId, chatId));
  const field = useRef<HTMLTextAreaElement>(null);
  const typingSince = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const stopTyping = useCallback(() => {
    clearTimeout(idle.current);
    if (typingSince.current) client.typing(chatId, false);
    typingSince.current = 0;
  }, [client, chatId]);

  useEffect(() => stopTyping, [stopTyping]);
  // Choosing a message to answer moves the focus here.
  useEffect(() => {
    if (replyTo) field.current?.focus();
  }, [replyTo]);

  // Grow with the text, up to a limit.
  useLayoutEffect(() => {
    const el = field.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
  }, [body]);

  function change(value: string) {
    setBody(value);
    saveDraft(myId, chatId, value);
    if (!value.trim()) return stopTyping();
    // Announce at most every few seconds; stop after a pause.
    const now = Date.now();
    if (now - typingSince.current > TYPING_IDLE_MS) {
      client.typing(chatId, true);
      typingSince.current = now;
    }
    clearTimeout(idle.current);
    idle.current = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  const mentions = useMentionMenu({
    members,
    myId,
    field,
    text: body,
    onPick: (text) => change(text),
  });

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const text = body.trim();
    if (!text || text.length > MESSAGE_BODY_MAX) return;
    stopTyping();
    onSend(text);
    setBody("");
    saveDraft(myId, chatId, "");
    field.current?.focus();
  }

  const tooLong = body.trim().length > MESSAGE_BODY_MAX;
  return (
    <form className={`composer${replyTo ? " has-reply" : ""}`} onSubmit={submit}>
      {replyTo && (
        <div className="composer-reply">
          <span className="composer-reply-text">
            <span className="composer-reply-label">{t.replyingTo(replyTo.senderName)}</span>
            <span className="reply-quote-text">
              {replyTo.message.status === "deleted" ? t.deleted : plainText(replyTo.message.body)}
            </span>
          </span>
          <button type="button" className="icon-btn small" onClick={onCancelReply}>
            <span aria-hidden="true">✕</span>
            <span className="sr-only">{t.cancelReply}</span>
          </button>
        </div>
      )}
      {mentions.menu}
      <span className="sr-only" role="status">
        {mentions.status}
      </span>
      <label htmlFor={`${id}-message`} className="sr-only">
        {t.message}
      </label>
      <textarea
        id={`${id}-message`}
        ref={field}
        rows={1}
        placeholder={t.messagePlaceholder}
        value={body}
        {...mentions.fieldProps}
        onChange={(e) => {
          change(e.target.value);
          mentions.track();
        }}
        onSelect={mentions.track}
        onKeyDown={(e) => {
          if (mentions.onKeyDown(e)) return;
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            submit();
          } else if (e.key === "Escape" && replyTo) {
            e.preventDefault();
            onCancelReply();
          }
        }}
        aria-invalid={tooLong}
        // On a phone, focusing would pop the keyboard over the conversation.
        autoFocus={window.matchMedia("(pointer: fine)").matches}
      />
      {body.length > COUNTER_FROM && (
        <span className={`counter${tooLong ? " is-over" : ""}`}>
          {body.trim().length}/{MESSAGE_BODY_MAX}
        </span>
      )}
      <button className="send-btn" type="submit" disabled={!body.trim() || tooLong} title={t.send}>
        <SendIcon />
        <span className="sr-only">{t.send}</span>
      </button>
    </form>
  );
}
