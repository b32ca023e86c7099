import { Fragment } from "react";
import type { ChatListItem, Message, User } from "@charla/client";
import { errorText } from "../errors.ts";
import { formatDay, t } from "../i18n.ts";
import { useReads } from "../live.tsx";
import type { ChatHistory } from "../hooks/useChatHistory.ts";
import { useMessageScroll } from "../hooks/useMessageScroll.ts";
import type { Pending } from "../hooks/usePendingSends.ts";
import { useReadMarking } from "../hooks/useReadMarking.ts";
import { MessageItem } from "./MessageItem.tsx";
import { PendingItem } from "./PendingItem.tsx";

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

/** The conversation: day separators, grouped messages, then the sends on their way. */
export function MessageList({
  chat,
  me,
  history,
  messages,
  pending,
  onRetry,
}: {
  chat: ChatListItem;
  me: User;
  history: ChatHistory;
  messages: Message[];
  pending: Pending[];
  onRetry: (pending: Pending) => void;
}) {
  const last = messages[messages.length - 1];
  // A pending send whose message already arrived (the broadcast can beat the ack) is done.
  const delivered = new Set(messages.map((m) => m.client_msg_id));
  const waiting = pending.filter((p) => !delivered.has(p.clientMsgId));
  const { listRef, atBottom, onScroll, jumpToLatest } = useMessageScroll({
    history,
    firstId: messages[0]?.id,
    lastId: last?.id,
    lastIsMine: last?.sender_id === me.id,
    pendingCount: pending.length,
  });
  useReadMarking(chat, last?.seq ?? 0, atBottom);

  const names = new Map(chat.members.map((m) => [m.user_id, m.username]));
  const isOwner = chat.members.some((m) => m.user_id === me.id && m.role === "owner");
  const lastOwn = messages.findLast((m) => m.sender_id === me.id);
  const seenLabel = useSeenLabel(chat, me.id, lastOwn);

  return (
    <>
      <div className="messages" ref={listRef} onScroll={onScroll}>
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
            const newDay = !previous || !sameDay(previous.created_at, message.created_at);
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
          {waiting.map((p) => (
            <PendingItem key={p.clientMsgId} pending={p} onRetry={() => onRetry(p)} />
          ))}
        </ul>
      </div>
      {!atBottom && (
        <button className="jump-btn" onClick={jumpToLatest}>
          <span aria-hidden="true">↓</span>
          <span className="sr-only">{t.jumpToLatest}</span>
        </button>
      )}
    </>
  );
}
