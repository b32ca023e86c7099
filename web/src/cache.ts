/**
 * Writes live changes into react-query's cache: the chat list (`["chats"]`) and each
 * chat's history (`["history", chatId]`, pages of `before_seq` cursors, oldest page first).
 */
import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import type {
  ChatListItem,
  History,
  Message,
  MessageDeletedEvent,
  Reactions,
} from "@charla/client";

/** A page of history; `has_newer` on the last page of a window opened around an old message. */
export type HistoryPage = History & { has_newer?: boolean };
/** Pages oldest first, each fetched below (`before`) or above (`after`) a seq, or the newest. */
export type HistoryData = InfiniteData<HistoryPage, null | { before: number } | { after: number }>;

export const chatsKey = ["chats"] as const;
export const historyKey = (chatId: string) => ["history", chatId] as const;
/** A group's incoming webhooks, as its managers see them (GroupWebhooks). */
export const webhooksKey = (chatId: string) => ["webhooks", chatId] as const;

function sortChats(chats: ChatListItem[]): ChatListItem[] {
  const activity = (chat: ChatListItem) => chat.last_message?.created_at ?? chat.created_at;
  return [...chats].sort((a, b) => activity(b).localeCompare(activity(a)));
}

/** Puts a message into its chat's loaded history, in `seq` order; a known id is replaced. */
export function upsertHistory(queryClient: QueryClient, message: Message): void {
  queryClient.setQueryData<HistoryData>(historyKey(message.chat_id), (data) => {
    if (!data || data.pages.length === 0) return data;
    let found = false;
    const pages = data.pages.map((page) => {
      const index = page.messages.findIndex((m) => m.id === message.id);
      if (index === -1) return page;
      found = true;
      const current = page.messages[index]!;
      if (current.change_seq > message.change_seq) return page;
      const messages = [...page.messages];
      messages[index] = message;
      return { ...page, messages };
    });
    if (found) return { ...data, pages };
    // An unknown message older than what is loaded arrives when the user scrolls up.
    const first = data.pages[0]!;
    const oldestLoaded = first.messages[0]?.seq;
    if (first.has_more && oldestLoaded !== undefined && message.seq < oldestLoaded) return data;
    // Nor one newer than a window around an old message: it comes with the newer pages.
    const lastPage = data.pages[data.pages.length - 1]!;
    const newestLoaded = lastPage.messages[lastPage.messages.length - 1]?.seq;
    if (lastPage.has_newer && newestLoaded !== undefined && message.seq > newestLoaded) return data;
    const target = pages.findIndex((page) => {
      const last = page.messages[page.messages.length - 1];
      return last !== undefined && message.seq < last.seq;
    });
    const index = target === -1 ? pages.length - 1 : target;
    const page = pages[index]!;
    const messages = [...page.messages, message].sort((a, b) => a.seq - b.seq);
    pages[index] = { ...page, messages };
    return { ...data, pages };
  });
}

export function deleteInHistory(queryClient: QueryClient, event: MessageDeletedEvent): void {
  queryClient.setQueryData<HistoryData>(historyKey(event.chat_id), (data) => {
    if (!data) return data;
    return {
      ...data,
      pages: data.pages.map((page) =>
        page.messages.some((m) => m.id === event.id)
          ? {
              ...page,
              messages: page.messages.map((m) =>
                m.id === event.id
                  ? { ...m, body: "", status: "deleted" as const, change_seq: event.change_seq }
                  : m,
              ),
            }
          : page,
      ),
    };
  });
}

/**
 * Updates the chat list for a message change; returns false when the chat is unknown
 * (the caller then refetches the list).
 */
export function applyToChatList(
  queryClient: QueryClient,
  message: Message,
  options: { countUnread: boolean; mentionsMe?: boolean },
): boolean {
  let known = false;
  queryClient.setQueryData<ChatListItem[]>(chatsKey, (chats) => {
    if (!chats) return chats;
    const next = chats.map((chat) => {
      if (chat.id !== message.chat_id) return chat;
      known = true;
      const last = chat.last_message;
      const isNewer = !last || message.seq > last.seq;
      const isSame = last?.id === message.id;
      if (!isNewer && !isSame) return chat;
      const unread =
        options.countUnread && isNewer && message.seq > chat.last_read_seq
          ? chat.unread_count + 1
          : chat.unread_count;
      const mentions =
        unread > chat.unread_count && options.mentionsMe
          ? chat.mention_count + 1
          : chat.mention_count;
      return { ...chat, last_message: message, unread_count: unread, mention_count: mentions };
    });
    return known ? sortChats(next) : chats;
  });
  return known;
}

export function markReadInChatList(queryClient: QueryClient, chatId: string, seq: number): void {
  queryClient.setQueryData<ChatListItem[]>(chatsKey, (chats) =>
    chats?.map((chat) => {
      if (chat.id !== chatId || seq < chat.last_read_seq) return chat;
      const lastSeq = chat.last_message?.seq ?? 0;
      return {
        ...chat,
        last_read_seq: seq,
        unread_count: Math.max(0, Math.min(chat.unread_count, lastSeq - seq)),
        // Which unread messages mention us is not known here; read to the end, none do.
        mention_count: seq >= lastSeq ? 0 : chat.mention_count,
      };
    }),
  );
}

/** A member's read position (from a live `message:read`) kept on the chat's member list. */
export function markMemberRead(
  queryClient: QueryClient,
  chatId: string,
  userId: string,
  seq: number,
): void {
  queryClient.setQueryData<ChatListItem[]>(chatsKey, (chats) =>
    chats?.map((chat) =>
      chat.id === chatId && chat.members.some((m) => m.user_id === userId && m.last_read_seq < seq)
        ? {
            ...chat,
            members: chat.members.map((m) =>
              m.user_id === userId ? { ...m, last_read_seq: seq } : m,
            ),
          }
        : chat,
    ),
  );
}

/** A chat the user left or was removed from leaves the list, and its history the cache. */
export function dropChat(queryClient: QueryClient, chatId: string): void {
  queryClient.setQueryData<ChatListItem[]>(chatsKey, (chats) =>
    chats?.filter((chat) => chat.id !== chatId),
  );
  queryClient.removeQueries({ queryKey: historyKey(chatId) });
}

/** A deleted message that was a chat's last one shows as deleted in the list too. */
export function deleteInChatList(queryClient: QueryClient, event: MessageDeletedEvent): void {
  queryClient.setQueryData<ChatListItem[]>(chatsKey, (chats) =>
    chats?.map((chat) =>
      chat.id === event.chat_id && chat.last_message?.id === event.id
        ? {
            ...chat,
            last_message: { ...chat.last_message, body: "", status: "deleted" as const },
          }
        : chat,
    ),
  );
}

/** A message's reactions changed: its loaded copy takes them (a newer state wins). */
export function setReactionsInHistory(queryClient: QueryClient, event: Reactions): void {
  queryClient.setQueryData<HistoryData>(historyKey(event.chat_id), (data) => {
    if (!data) return data;
    return {
      ...data,
      pages: data.pages.map((page) =>
        page.messages.some((m) => m.id === event.message_id && m.change_seq <= event.change_seq)
          ? {
              ...page,
              messages: page.messages.map((m) =>
                m.id === event.message_id
                  ? { ...m, reactions: event.reactions, change_seq: event.change_seq }
                  : m,
              ),
            }
          : page,
      ),
    };
  });
}
