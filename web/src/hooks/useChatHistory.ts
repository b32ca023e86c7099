/**
 * A chat's history, oldest page first. It normally starts at the newest page and fetches
 * older pages on demand, newer messages arriving live. A jump to a message far back (from
 * search) starts it at a window around that message instead: then newer pages are fetched
 * too, until the window reaches the present and live messages join it again.
 */
import { useInfiniteQuery, type QueryClient } from "@tanstack/react-query";
import type { History } from "@charla/client";
import { historyKey, type HistoryData, type HistoryPage } from "../cache.ts";
import { useConnection } from "../live.tsx";
import { api } from "../session.ts";

const PAGE = 50;
/** Messages loaded on each side of a message jumped to. */
const AROUND = 25;

export function useChatHistory(chatId: string) {
  const { client } = useConnection();
  const history = useInfiniteQuery({
    queryKey: historyKey(chatId),
    queryFn: async ({ pageParam }): Promise<HistoryPage> => {
      const page: History = await api.history(
        chatId,
        pageParam === null
          ? { limit: PAGE }
          : "before" in pageParam
            ? { limit: PAGE, before_seq: pageParam.before }
            : { limit: PAGE, after_seq: pageParam.after },
      );
      // What we loaded over HTTP must not be delivered again by the connection's catch-up.
      client.seen(page.messages);
      if (pageParam !== null && "after" in pageParam) {
        return { messages: page.messages, has_more: true, has_newer: page.has_more };
      }
      return page;
    },
    initialPageParam: null as HistoryData["pageParams"][number],
    getNextPageParam: (last) => {
      const newest = last.messages[last.messages.length - 1];
      return last.has_newer && newest ? { after: newest.seq } : undefined;
    },
    getPreviousPageParam: (first) =>
      first.has_more && first.messages[0] ? { before: first.messages[0].seq } : undefined,
    staleTime: Infinity,
    gcTime: 10 * 60_000,
  });
  const messages = history.data?.pages.flatMap((page) => page.messages) ?? [];
  return { history, messages };
}

export type ChatHistory = ReturnType<typeof useChatHistory>["history"];

/**
 * Fetches the messages around `seq`, unless that message is loaded already; the answer is
 * put in place by calling what this returns. Call it in the same task as the navigation
 * that opens the chat there, so that the chat view on screen before never renders it.
 */
export async function loadAround(
  queryClient: QueryClient,
  chatId: string,
  messageId: string,
  seq: number,
): Promise<() => void> {
  const loaded = queryClient.getQueryData<HistoryData>(historyKey(chatId));
  if (loaded?.pages.some((page) => page.messages.some((m) => m.id === messageId))) {
    return () => undefined;
  }
  const [older, newer] = await Promise.all([
    api.history(chatId, { limit: AROUND + 1, before_seq: seq + 1 }),
    api.history(chatId, { limit: AROUND, after_seq: seq }),
  ]);
  return () =>
    queryClient.setQueryData<HistoryData>(historyKey(chatId), {
      pages: [
        {
          messages: [...older.messages, ...newer.messages],
          has_more: older.has_more,
          has_newer: newer.has_more,
        },
      ],
      pageParams: [{ before: seq + 1 }],
    });
}
