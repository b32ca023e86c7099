import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
} from "react";
import {
  MESSAGE_BODY_MAX,
  type ChatMember,
  type Message,
  type UploadedAttachment,
} from "@charla/client";
import { t } from "../i18n.ts";
import { PaperclipIcon, SendIcon } from "../icons.tsx";
import { readDraft, saveDraft } from "../drafts.ts";
import { useConnection } from "../live.tsx";
import { plainText } from "../markdown.tsx";
import { useUploads } from "../hooks/useUploads.ts";
import { UploadTray } from "./Attachments.tsx";
import { useMentionMenu } from "./MentionMenu.tsx";

/** Typing is announced at most this often, and "stopped" after this long without a key. */
const TYPING_IDLE_MS = 3000;
/** The counter shows this close to the limit. */
const COUNTER_FROM = MESSAGE_BODY_MAX - 500;

/**
 * The message field: Enter sends, Shift+Enter breaks the line; it announces typing and keeps
 * what is not sent yet as the chat's draft. Files come by the paperclip, by pasting, or by
 * dropping them anywhere on the chat; they upload at once and go with the next message.
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
  onSend: (body: string, attachments: UploadedAttachment[]) => void;
}) {
  const { client } = useConnection();
  const id = useId();
  const [body, setBody] = useState(() => readDraft(myId, chatId));
  const field = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const files = useUploads();
  const addFiles = useRef(files.add);
  addFiles.current = files.add;
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

  // Files dropped anywhere on the conversation, not only on this field.
  useEffect(() => {
    const chat = field.current?.closest<HTMLElement>(".chat");
    if (!chat) return;
    let depth = 0;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes("Files") ?? false;
    const show = (on: boolean) => chat.classList.toggle("is-dropping", on);
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth += 1;
      show(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) show(false);
    };
    const over = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      show(false);
      addFiles.current([...(e.dataTransfer?.files ?? [])]);
      field.current?.focus();
    };
    chat.dataset.drop = t.files.dropHere;
    chat.addEventListener("dragenter", enter);
    chat.addEventListener("dragleave", leave);
    chat.addEventListener("dragover", over);
    chat.addEventListener("drop", drop);
    return () => {
      chat.removeEventListener("dragenter", enter);
      chat.removeEventListener("dragleave", leave);
      chat.removeEventListener("dragover", over);
      chat.removeEventListener("drop", drop);
      show(false);
    };
  }, []);

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
    if (text.length > MESSAGE_BODY_MAX || files.busy) return;
    if (!text && files.ready.length === 0) return;
    stopTyping();
    onSend(text, files.ready);
    files.clear();
    setBody("");
    saveDraft(myId, chatId, "");
    field.current?.focus();
  }

  const tooLong = body.trim().length > MESSAGE_BODY_MAX;
  const canSend = (body.trim() !== "" || files.ready.length > 0) && !tooLong && !files.busy;
  const withTray = files.uploads.length > 0 || files.notice !== null;
  return (
    <form
      className={`composer${replyTo || withTray ? " has-reply" : ""}`}
      onSubmit={submit}
      aria-busy={files.busy}
    >
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
      {withTray && (
        <UploadTray uploads={files.uploads} notice={files.notice} onRemove={files.remove} />
      )}
      {mentions.menu}
      <span className="sr-only" role="status">
        {mentions.status}
      </span>
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        onChange={(e) => {
          files.add([...(e.target.files ?? [])]);
          e.target.value = "";
        }}
      />
      <button
        type="button"
        className="icon-btn attach-btn"
        title={t.files.attach}
        onClick={() => picker.current?.click()}
      >
        <PaperclipIcon />
        <span className="sr-only">{t.files.attach}</span>
      </button>
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
        onPaste={(e) => {
          const pasted = [...e.clipboardData.files];
          if (pasted.length === 0) return;
          e.preventDefault();
          files.add(pasted);
        }}
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
      <button className="send-btn" type="submit" disabled={!canSend} title={t.send}>
        <SendIcon />
        <span className="sr-only">{t.send}</span>
      </button>
    </form>
  );
}
