/**
 * A chat's history, newest page first and older pages fetched on demand. Newer messages are
 * not fetched: they arrive live and the connection writes them into this same cache.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import { historyKey } from "../cache.ts";
import { useConnection } from "../live.tsx";
import { api } from "../session.ts";

const PAGE = 50;

export function useChatHistory(chatId: string) {
  const { client } = useConnection();
  const history = useInfiniteQuery({
    queryKey: historyKey(chatId),
    queryFn: async ({ pageParam }) => {
      const page = await api.history(
        chatId,
        pageParam === null ? { limit: PAGE } : { limit: PAGE, before_seq: pageParam },
      );
      // What we loaded over HTTP must not be delivered again by the connection's catch-up.
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
  return { history, messages };
}

export type ChatHistory = ReturnType<typeof useChatHistory>["history"];
