import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import {
  Fragment,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from "react";
import { randomId, type ChatListItem, type Message, type User } from "@charla/client";
import { historyKey, markReadInChatList } from "../cache.ts";
import { formatDay, formatTime, t } from "../i18n.ts";
import { BackIcon, EditIcon, SendIcon, TrashIcon, UsersIcon } from "../icons.tsx";
import { useLive } from "../live.tsx";
import { api } from "../session.ts";
import { errorText } from "./AuthScreen.tsx";
import { Avatar, hueOf } from "./Avatar.tsx";
import { MembersDialog } from "./MembersDialog.tsx";
import { chatTitle, openChat, otherMember } from "./Shell.tsx";

const PAGE = 50;
const BODY_MAX = 4000;
/** Consecutive messages of one sender within this gap share one header. */
const GROUP_GAP_MS = 5 * 60_000;
const TYPING_IDLE_MS = 3000;

interface Pending {
  clientMsgId: string;
  body: string;
  failed: string | null;
}

export function ChatView({ chat, me }: { chat: ChatListItem; me: User }) {
  const { client, online, typing, reads, state } = useLive();
  const queryClient = useQueryClient();
  const list = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [pending, setPending] = useState<Pending[]>([]);
  const [membersOpen, setMembersOpen] = useState(false);
  const prepend = useRef<{ height: number; top: number } | null>(null);

  const history = useInfiniteQuery({
    queryKey: historyKey(chat.id),
    queryFn: async ({ pageParam }) => {
      const page = await api.history(
        chat.id,
        pageParam === null ? { limit: PAGE } : { limit: PAGE, before_seq: pageParam },
      );
      client.seen(page.messages);
      return page;
    },
    initialPageParam: null as number | null,
    getNextPageParam: () => undefined, // newer messages arrive live
    getPreviousPageParam: (first) =>
      first.has_more && first.messages[0] ? first.messages[0].seq : undefined,
    staleTime: Infinity,
    gcTime: 10 * 60_000,
  });
  const messages = history.data?.pages.flatMap((page) => page.messages) ?? [];
  const lastSeq = messages[messages.length - 1]?.seq ?? 0;
  // A pending send whose message already arrived (the broadcast can beat the ack) is done.
  const delivered = new Set(messages.map((m) => m.client_msg_id));
  const firstId = messages[0]?.id;
  const lastId = messages[messages.length - 1]?.id;

  const other = otherMember(chat, me.id);
  const title = chatTitle(chat, me.id);
  const names = new Map(chat.members.map((m) => [m.user_id, m.username]));
  const typingNames = [...(typing.get(chat.id) ?? [])]
    .filter((id) => id !== me.id)
    .map((id) => names.get(id) ?? "?");
  const isOwner = chat.members.some((m) => m.user_id === me.id && m.role === "owner");

  const { fetchPreviousPage, hasPreviousPage, isFetchingPreviousPage } = history;
  const loadOlder = useCallback(() => {
    const el = list.current;
    if (!el || !hasPreviousPage || isFetchingPreviousPage) return;
    prepend.current = { height: el.scrollHeight, top: el.scrollTop };
    void fetchPreviousPage();
  }, [fetchPreviousPage, hasPreviousPage, isFetchingPreviousPage]);

  // Keep the view still when older messages are put above it; follow new ones at the bottom.
  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    if (prepend.current) {
      el.scrollTop = prepend.current.top + (el.scrollHeight - prepend.current.height);
      prepend.current = null;
    }
  }, [firstId]);

  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    const last = messages[messages.length - 1];
    if (atBottom || last?.sender_id === me.id) el.scrollTop = el.scrollHeight;
    // Only a new last message (or a pending one) moves the view.
  }, [lastId, pending.length, history.isSuccess]);

  // A first page shorter than the screen cannot be scrolled: fetch more at once.
  useEffect(() => {
    const el = list.current;
    if (el && history.isSuccess && el.scrollHeight <= el.clientHeight) loadOlder();
  }, [history.isSuccess, firstId, loadOlder]);

  function onScroll() {
    const el = list.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (bottom !== atBottom) setAtBottom(bottom);
    if (el.scrollTop < 200) loadOlder();
  }

  // Read position: what reached the bottom of a visible page has been read.
  const [visible, setVisible] = useState(document.visibilityState === "visible");
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  useEffect(() => {
    if (!visible || !atBottom || lastSeq <= chat.last_read_seq) return;
    markReadInChatList(queryClient, chat.id, lastSeq);
    client.markRead(chat.id, lastSeq).catch(() => undefined);
  }, [visible, atBottom, lastSeq, chat.id, chat.last_read_seq, client, queryClient]);

  // "Seen" under the last own message that others have read: the positions the chat
  // came with, raised by what was read since.
  const liveReads = reads.get(chat.id);
  const readSeq = (userId: string, stored: number) => Math.max(stored, liveReads?.get(userId) ?? 0);
  const lastOwn = [...messages].reverse().find((m) => m.sender_id === me.id);
  let seenLabel: string | null = null;
  if (lastOwn) {
    const readers = chat.members
      .filter((m) => m.user_id !== me.id && readSeq(m.user_id, m.last_read_seq) >= lastOwn.seq)
      .map((m) => m.username);
    if (readers.length > 0) seenLabel = chat.type === "direct" ? t.seen : t.seenBy(readers);
  }

  function send(body: string, clientMsgId = randomId()) {
    setPending((list) => [
      ...list.filter((p) => p.clientMsgId !== clientMsgId),
      { clientMsgId, body, failed: null },
    ]);
    client
      .send(chat.id, body, { clientMsgId })
      .then(() => setPending((list) => list.filter((p) => p.clientMsgId !== clientMsgId)))
      .catch((error: unknown) =>
        setPending((list) =>
          list.map((p) => (p.clientMsgId === clientMsgId ? { ...p, failed: errorText(error) } : p)),
        ),
      );
  }

  const subtitle = other
    ? online.has(other.user_id)
      ? t.online
      : t.offline
    : [
        t.members(chat.members.length),
        `${chat.members.filter((m) => online.has(m.user_id)).length} ${t.online}`,
        chat.members.map((m) => (m.user_id === me.id ? t.you : m.username)).join(", "),
      ].join(" · ");

  return (
    <section className="chat" aria-labelledby="chat-title">
      <header className="chat-header">
        <button className="icon-btn back-btn" onClick={() => openChat(null)}>
          <BackIcon />
          <span className="sr-only">{t.backToChats}</span>
        </button>
        <Avatar
          name={title}
          online={other ? online.has(other.user_id) : undefined}
          group={chat.type === "group"}
          size={40}
        />
        <div className="chat-header-text">
          <h2 id="chat-title">{title}</h2>
          <p className={`chat-subtitle${other && online.has(other.user_id) ? " is-online" : ""}`}>
            {subtitle}
          </p>
        </div>
        {chat.type === "group" && (
          <button
            className="icon-btn members-btn"
            title={t.membersTitle}
            aria-haspopup="dialog"
            onClick={() => setMembersOpen(true)}
          >
            <UsersIcon />
            <span className="sr-only">{t.membersTitle}</span>
          </button>
        )}
      </header>
      {membersOpen && (
        <MembersDialog chat={chat} myId={me.id} onClose={() => setMembersOpen(false)} />
      )}

      <div className="messages" ref={list} onScroll={onScroll}>
        {history.isFetchingPreviousPage && (
          <p className="history-note" role="status">
            {t.loadingOlder}
          </p>
        )}
        {history.isSuccess && !history.hasPreviousPage && messages.length > 0 && (
          <p className="history-note">{t.beginning}</p>
        )}
        {history.isError && (
          <p className="form-error" role="alert">
            {errorText(history.error)}
          </p>
        )}
        <ul className="message-list" aria-label={t.messages}>
          {messages.map((message, index) => {
            const previous = messages[index - 1];
            const newDay =
              !previous ||
              new Date(previous.created_at).toDateString() !==
                new Date(message.created_at).toDateString();
            const continued =
              !newDay &&
              previous?.sender_id === message.sender_id &&
              Date.parse(message.created_at) - Date.parse(previous.created_at) < GROUP_GAP_MS;
            return (
              <Fragment key={message.id}>
                {newDay && (
                  <li
                    className="day-separator"
                    role="separator"
                    aria-label={formatDay(message.created_at)}
                  >
                    <span>{formatDay(message.created_at)}</span>
                  </li>
                )}
                <MessageItem
                  message={message}
                  mine={message.sender_id === me.id}
                  senderName={names.get(message.sender_id) ?? "?"}
                  showSender={chat.type === "group" && !continued}
                  continued={continued}
                  canDelete={message.sender_id === me.id || (chat.type === "group" && isOwner)}
                  seenLabel={message.id === lastOwn?.id ? seenLabel : null}
                />
              </Fragment>
            );
          })}
          {pending
            .filter((p) => !delivered.has(p.clientMsgId))
            .map((p) => (
              <li key={p.clientMsgId} className="message is-mine is-pending">
                <div className="bubble">
                  <p className="message-body">{p.body}</p>
                  <span className="message-meta">
                    {p.failed ? (
                      <>
                        <span className="failed">
                          {t.notSent}: {p.failed}
                        </span>
                        <button className="link-btn" onClick={() => send(p.body, p.clientMsgId)}>
                          {t.retry}
                        </button>
                      </>
                    ) : (
                      <span>{state === "connected" ? t.sending : t.waitingForConnection}</span>
                    )}
                  </span>
                </div>
              </li>
            ))}
        </ul>
      </div>
      <div className="typing-line" role="status" aria-live="polite">
        {typingNames.length > 0 && (
          <>
            <span className="typing-dots">
              <span />
              <span />
              <span />
            </span>
            {t.typing(typingNames)}
          </>
        )}
      </div>
      {!atBottom && (
        <button
          className="jump-btn"
          onClick={() =>
            list.current?.scrollTo({ top: list.current.scrollHeight, behavior: "smooth" })
          }
        >
          <span aria-hidden="true">↓</span>
          <span className="sr-only">{t.jumpToLatest}</span>
        </button>
      )}
      <Composer chatId={chat.id} onSend={(body) => send(body)} />
    </section>
  );
}

function MessageItem({
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
  const { client } = useLive();
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
                maxLength={BODY_MAX}
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
            <p className="message-body">{message.body}</p>
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
              <button
                className="icon-btn small danger"
                title={t.deleteMessage}
                onClick={() => void remove()}
              >
                <TrashIcon />
                <span className="sr-only">{t.deleteMessage}</span>
              </button>
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

function Composer({ chatId, onSend }: { chatId: string; onSend: (body: string) => void }) {
  const { client } = useLive();
  const id = useId();
  const [body, setBody] = useState("");
  const field = useRef<HTMLTextAreaElement>(null);
  const typingSince = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const stopTyping = useCallback(() => {
    clearTimeout(idle.current);
    if (typingSince.current) client.typing(chatId, false);
    typingSince.current = 0;
  }, [client, chatId]);

  useEffect(() => stopTyping, [stopTyping]);

  // Grow with the text, up to a limit.
  useLayoutEffect(() => {
    const el = field.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
  }, [body]);

  function change(value: string) {
    setBody(value);
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

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const text = body.trim();
    if (!text || text.length > BODY_MAX) return;
    stopTyping();
    onSend(text);
    setBody("");
    field.current?.focus();
  }

  const tooLong = body.trim().length > BODY_MAX;
  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor={`${id}-message`} className="sr-only">
        {t.message}
      </label>
      <textarea
        id={`${id}-message`}
        ref={field}
        rows={1}
        placeholder={t.messagePlaceholder}
        value={body}
        onChange={(e) => change(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
        aria-invalid={tooLong}
        // On a phone, focusing would pop the keyboard over the conversation.
        autoFocus={window.matchMedia("(pointer: fine)").matches}
      />
      {body.length > BODY_MAX - 500 && (
        <span className={`counter${tooLong ? " is-over" : ""}`}>
          {body.trim().length}/{BODY_MAX}
        </span>
      )}
      <button className="send-btn" type="submit" disabled={!body.trim() || tooLong} title={t.send}>
        <SendIcon />
        <span className="sr-only">{t.send}</span>
      </button>
    </form>
  );
}
