import type { ChatListItem } from "@charla/client";
import { formatListTime, t } from "../i18n.ts";
import { useOnline, useTyping } from "../live.tsx";
import { BellOffIcon } from "../icons.tsx";
import { Avatar } from "./Avatar.tsx";
import { chatTitle, foldForSearch, otherMember } from "../chats.ts";
import { readDraft } from "../drafts.ts";
import { plainText } from "../markdown.tsx";
import { nameOf } from "../people.ts";

const nameOfMember = (member: { username: string; display_name?: string | null } | undefined) =>
  member && nameOf(member);

function preview(chat: ChatListItem, myId: string, typingNames: string[], draft: string): string {
  if (typingNames.length > 0) return t.typing(typingNames);
  if (draft) return `${t.draft}: ${draft.replace(/\s+/g, " ")}`;
  const last = chat.last_message;
  if (!last) return t.noMessagesYet;
  if (last.status === "deleted") return t.deleted;
  const body = plainText(last.body);
  if (last.sender_id === myId) return `${t.you}: ${body}`;
  if (chat.type === "group") {
    const sender = nameOfMember(chat.members.find((m) => m.user_id === last.sender_id));
    if (sender) return `${sender}: ${body}`;
  }
  return body;
}

export function ChatList({
  chats,
  activeChatId,
  myId,
  filter,
  onOpen,
}: {
  chats: ChatListItem[];
  activeChatId: string | null;
  myId: string;
  /** Only chats whose name contains this (any case, with or without accents). */
  filter: string;
  onOpen: (chatId: string) => void;
}) {
  const online = useOnline();
  const typing = useTyping();
  if (chats.length === 0) return <p className="chat-list-empty">{t.noChats}</p>;
  const wanted = foldForSearch(filter.trim());
  const shown = wanted
    ? chats.filter((chat) => foldForSearch(chatTitle(chat, myId)).includes(wanted))
    : chats;
  if (shown.length === 0) return <p className="chat-list-empty">{t.noChatsMatch}</p>;
  return (
    <ul className="chat-list" aria-label={t.chats}>
      {shown.map((chat) => {
        const other = otherMember(chat, myId);
        const title = chatTitle(chat, myId);
        const draft = chat.id === activeChatId ? "" : readDraft(myId, chat.id).trim();
        const isOnline = other ? online.has(other.user_id) : undefined;
        const typingNames = [...(typing.get(chat.id) ?? [])]
          .filter((id) => id !== myId)
          .map((id) => nameOfMember(chat.members.find((m) => m.user_id === id)) ?? "?");
        const unread = chat.id === activeChatId ? 0 : chat.unread_count;
        return (
          <li key={chat.id}>
            <button
              className={`chat-item${chat.id === activeChatId ? " is-active" : ""}${unread ? " has-unread" : ""}`}
              aria-current={chat.id === activeChatId ? "true" : undefined}
              onClick={() => onOpen(chat.id)}
            >
              <Avatar
                name={title}
                src={other?.avatar_url}
                online={isOnline}
                group={chat.type === "group"}
              />
              <span className="chat-item-text">
                <span className="chat-item-top">
                  <span className="chat-item-title">{title}</span>
                  {chat.muted && (
                    <span className="chat-item-muted" title={t.muted}>
                      <BellOffIcon />
                      <span className="sr-only">, {t.muted}</span>
                    </span>
                  )}
                  {chat.last_message && (
                    <time className="chat-item-time" dateTime={chat.last_message.created_at}>
                      {formatListTime(chat.last_message.created_at)}
                    </time>
                  )}
                </span>
                <span className="chat-item-bottom">
                  <span
                    className={`chat-item-preview${typingNames.length ? " is-typing" : draft ? " is-draft" : ""}`}
                  >
                    {preview(chat, myId, typingNames, draft)}
                  </span>
                  {unread > 0 && chat.mention_count > 0 && (
                    <span className="badge badge-mention">
                      <span aria-hidden="true">@</span>
                      <span className="sr-only">{t.mentions(chat.mention_count)}</span>
                    </span>
                  )}
                  {unread > 0 && (
                    <span className="badge">
                      <span aria-hidden="true">{unread > 99 ? "99+" : unread}</span>
                      <span className="sr-only">{t.unread(unread)}</span>
                    </span>
                  )}
                </span>
                {isOnline !== undefined && (
                  <span className="sr-only">{isOnline ? t.online : t.offline}</span>
                )}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
