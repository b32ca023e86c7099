/**
 * New messages of others reach the user outside the chat they are looking at: a browser
 * notification and/or a chime (as the settings say) when the page is hidden or the message
 * is in another chat; never for muted chats or one's own messages, nor for old messages
 * that a reconnect catches up. The unread total goes into the tab's title and favicon.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { ChatListItem, Message } from "@charla/client";
import { chatsKey } from "../cache.ts";
import { chatTitle, isMuted } from "../chats.ts";
import { useConnection } from "../live.tsx";
import { plainText } from "../markdown.tsx";
import { openChat } from "../navigation.ts";
import { playChime, showNotification, showUnreadTotal } from "../notify.ts";
import { readSettings } from "../settings.ts";
import { nameOf } from "../people.ts";

const nameOfSender = (member: { username: string; display_name?: string | null } | undefined) =>
  member ? nameOf(member) : "?";

/** Older than this, a message delivered by catch-up is history, not news. */
const FRESH_MS = 5 * 60_000;
const PREVIEW_MAX = 140;

function notificationBody(chat: ChatListItem, message: Message): string {
  const text = plainText(message.body);
  const cut = text.length > PREVIEW_MAX ? `${text.slice(0, PREVIEW_MAX - 1)}…` : text;
  if (chat.type !== "group") return cut;
  const sender = nameOfSender(chat.members.find((m) => m.user_id === message.sender_id));
  return `${sender}: ${cut}`;
}

export function useNotifications(myId: string, activeChatId: string | null): void {
  const { client } = useConnection();
  const queryClient = useQueryClient();
  const active = useRef(activeChatId);
  active.current = activeChatId;

  useEffect(
    () =>
      client.on("message:send", (message) => {
        if (message.sender_id === myId) return;
        if (Date.now() - Date.parse(message.created_at) > FRESH_MS) return;
        const looking =
          document.visibilityState === "visible" && active.current === message.chat_id;
        if (looking) return;
        const chat = queryClient
          .getQueryData<ChatListItem[]>(chatsKey)
          ?.find((c) => c.id === message.chat_id);
        if (!chat || isMuted(chat)) return;
        const settings = readSettings(myId);
        if (settings.sound) playChime();
        if (settings.notifications) {
          showNotification({
            chatId: chat.id,
            title: chatTitle(chat, myId),
            body: notificationBody(chat, message),
            onClick: () => openChat(chat.id),
          });
        }
      }),
    [client, queryClient, myId],
  );
}

/** The unread total (muted chats left out) in the tab's title and favicon. */
export function useUnreadTotal(chats: ChatListItem[] | undefined): void {
  const total = (chats ?? []).reduce(
    (sum, chat) => (isMuted(chat) ? sum : sum + chat.unread_count),
    0,
  );
  useEffect(() => showUnreadTotal(total), [total]);
}
