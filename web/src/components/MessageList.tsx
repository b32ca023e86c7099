import { Fragment, useCallback, useRef, useState } from "react";
import type { ChatListItem, Message, User } from "@charla/client";
import { errorText } from "../errors.ts";
import { formatDay, t } from "../i18n.ts";
import { useReads } from "../live.tsx";
import type { ChatHistory } from "../hooks/useChatHistory.ts";
import { useMessageScroll } from "../hooks/useMessageScroll.ts";
import { jumpDone, type Jump } from "../navigation.ts";
import type { Pending } from "../hooks/usePendingSends.ts";
import { useReadMarking } from "../hooks/useReadMarking.ts";
import { JumpButton } from "./JumpButton.tsx";
import { MessageItem } from "./MessageItem.tsx";
import { PendingItem } from "./PendingItem.tsx";
import { nameOf } from "../people.ts";

/** Consecutive messages of one sender within this gap share one header. */
const GROUP_GAP_MS = 5 * 60_000;

const sameDay = (a: string, b: string) => new Date(a).toDateString() === new Date(b).toDateString();

/**
 * "Seen" under the last own message that others have read: the positions the chat came
 * with, raised by what was read since the page opened.
 */
function useSeenLabel(chat: ChatListItem, myId: string, lastOwn: Message | undefined) {
  const liveReads = useReads().get(chat.id);
  if (!lastOwn) return null;
  const readers = chat.members
    .filter(
      (m) =>
        m.user_id !== myId &&
        Math.max(m.last_read_seq, liveReads?.get(m.user_id) ?? 0) >= lastOwn.seq,
    )
    .map((m) => m.username);
  if (readers.length === 0) return null;
  return chat.type === "direct" ? t.seen : t.seenBy(readers);
}

/**
 * How many messages of others are below what was last seen at the bottom (the unread ones
 * when the chat opened at its divider): the count on the jump-to-latest button.
 */
function useArrivedBelow(
  messages: Message[],
  myId: string,
  atBottom: boolean,
  unreadFrom: number | null,
): number {
  const lastSeq = messages[messages.length - 1]?.seq ?? 0;
  const [seenSeq, setSeenSeq] = useState(() => (unreadFrom === null ? lastSeq : unreadFrom - 1));
  if (atBottom && seenSeq < lastSeq) setSeenSeq(lastSeq);
  let count = 0;
  for (let i = messages.length - 1; i >= 0 && messages[i]!.seq > seenSeq; i--) {
    if (messages[i]!.sender_id !== myId) count++;
  }
  return count;
}

/**
 * The original of a reply: older pages are fetched until it is loaded; then it is put in
 * the rendered window, scrolled to and flashed.
 */
function useJumpToMessage(history: ChatHistory, showLoaded: (messageId: string) => boolean) {
  const { fetchPreviousPage, hasPreviousPage } = history;
  // The latest one after each fetched page (it knows the loaded messages).
  const show = useRef(showLoaded);
  show.current = showLoaded;
  return useCallback(
    async (messageId: string) => {
      let more = hasPreviousPage;
      for (let page = 0; page < 40; page++) {
        if (show.current(messageId)) return;
        if (!more) return;
        more = (await fetchPreviousPage()).hasPreviousPage;
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      }
    },
    [fetchPreviousPage, hasPreviousPage],
  );
}

/**
 * The conversation: day separators, grouped messages, then the sends on their way; only a
 * window of the loaded messages is rendered (useMessageScroll).
 */
export function MessageList({
  chat,
  me,
  history,
  messages,
  pending,
  onRetry,
  onReply,
  jump,
}: {
  chat: ChatListItem;
  me: User;
  history: ChatHistory;
  messages: Message[];
  pending: Pending[];
  onRetry: (pending: Pending) => void;
  onReply: (message: Message, senderName: string) => void;
  jump: Jump | null;
}) {
  const last = messages[messages.length - 1];
  // Fixed while the chat is open: the divider stays where the unread messages began.
  const [unreadFrom] = useState(() => (chat.unread_count > 0 ? chat.last_read_seq + 1 : null));
  // A pending send whose message already arrived (the broadcast can beat the ack) is done.
  const delivered = new Set(messages.map((m) => m.client_msg_id));
  const waiting = pending.filter((p) => !delivered.has(p.clientMsgId));
  const jumpNonce = jump?.nonce ?? 0;
  const onFocused = useCallback(() => jumpDone(jumpNonce), [jumpNonce]);
  const scroll = useMessageScroll({
    chatId: chat.id,
    focusId: jump?.messageId ?? null,
    onFocused,
    history,
    messages,
    lastIsMine: last?.sender_id === me.id,
    pendingCount: pending.length,
    unreadFrom,
  });
  const { listRef, contentRef, ready, atBottom, onScroll, jumpToLatest, start, end } = scroll;
  useReadMarking(chat, last?.seq ?? 0, atBottom);
  const arrived = useArrivedBelow(messages, me.id, atBottom, unreadFrom);
  const firstUnread =
    unreadFrom === null
      ? undefined
      : messages.find((m) => m.seq >= unreadFrom && m.sender_id !== me.id);

  const jumpToMessage = useJumpToMessage(history, scroll.showLoaded);
  const names = new Map(chat.members.map((m) => [m.user_id, nameOf(m)]));
  // A group's owner and admins delete any of its messages (src/server/domain/roles.ts).
  const myRole = chat.members.find((m) => m.user_id === me.id)?.role;
  const managesGroup = myRole === "owner" || myRole === "admin";
  const lastOwn = messages.findLast((m) => m.sender_id === me.id);
  const seenLabel = useSeenLabel(chat, me.id, lastOwn);

  return (
    <>
      <div
        // Hidden until it is in place, so a chat opening at its divider does not jump.
        className={`messages${ready || history.isError ? "" : " is-placing"}`}
        ref={listRef}
        onScroll={onScroll}
        role="log"
        aria-label={t.conversation}
        aria-busy={!ready || history.isFetchingPreviousPage}
      >
        {history.isFetchingPreviousPage && (
          <p className="history-note" role="status">
            {t.loadingOlder}
          </p>
        )}
        {history.isSuccess && !history.hasPreviousPage && start === 0 && messages.length > 0 && (
          <p className="history-note">{t.beginning}</p>
        )}
        {history.isError && (
          <p className="form-error" role="alert">
            {errorText(history.error)}
          </p>
        )}
        <ul className="message-list" aria-label={t.messages} ref={contentRef}>
          {messages.slice(start, end).map((message, offset) => {
            // Separators and grouping look at the message before, rendered or not.
            const previous = messages[start + offset - 1];
            const newDay = !previous || !sameDay(previous.created_at, message.created_at);
            const continued =
              !newDay &&
              previous?.sender_id === message.sender_id &&
              Date.parse(message.created_at) - Date.parse(previous.created_at) < GROUP_GAP_MS;
            return (
              <Fragment key={message.id}>
                {newDay && (
                  <li className="day-separator">
                    <span>{formatDay(message.created_at)}</span>
                  </li>
                )}
                {message.id === firstUnread?.id && (
                  <li className="unread-divider">
                    <span>{t.newMessages}</span>
                  </li>
                )}
                <MessageItem
                  message={message}
                  myId={me.id}
                  names={names}
                  onReply={() => onReply(message, names.get(message.sender_id) ?? "?")}
                  onJump={jumpToMessage}
                  senderName={names.get(message.sender_id) ?? "?"}
                  showSender={chat.type === "group" && !continued}
                  continued={continued}
                  canDelete={message.sender_id === me.id || (chat.type === "group" && managesGroup)}
                  seenLabel={message.id === lastOwn?.id ? seenLabel : null}
                />
              </Fragment>
            );
          })}
          {end === messages.length &&
            waiting.map((p) => (
              <PendingItem key={p.clientMsgId} pending={p} onRetry={() => onRetry(p)} />
            ))}
        </ul>
        {history.isFetchingNextPage && (
          <p className="history-note" role="status">
            {t.loadingNewer}
          </p>
        )}
      </div>
      {ready && (!atBottom || scroll.hasNewer) && (
        <JumpButton count={arrived} onClick={jumpToLatest} />
      )}
    </>
  );
}
