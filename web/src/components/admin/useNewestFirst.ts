import { useInfiniteQuery } from "@tanstack/react-query";
import type { AdminApi } from "@charla/client";
import { adminKey } from "../../admin-api.ts";

const PAGE = 50;

type NewestFirstQuery = NonNullable<Parameters<AdminApi["reports"]>[0]>;

/**
 * A newest-first admin list (reports, the audit log) read a page at a time: the next page
 * starts `before` the last item shown. `items` is every page loaded so far, in order.
 */
export function useNewestFirst<Item extends { id: string }>(
  name: string,
  fetchPage: (query: NewestFirstQuery) => Promise<Item[]>,
) {
  const query = useInfiniteQuery({
    queryKey: [...adminKey, name],
    queryFn: ({ pageParam }) =>
      fetchPage(pageParam ? { limit: PAGE, before: pageParam } : { limit: PAGE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.length < PAGE ? null : last[last.length - 1]!.id),
  });
  return { ...query, items: query.data?.pages.flat() ?? [] };
}
