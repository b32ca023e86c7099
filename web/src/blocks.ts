/**
 * The people the caller blocks (`GET /api/users/me/blocks`, cached as `["blocks"]`), and
 * blocking or unblocking one. The chat list is refreshed after a change: presence between
 * the two stops (or starts again) with it.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { adminApi } from "./admin-api.ts";
import { chatsKey } from "./cache.ts";

export const blocksKey = ["blocks"] as const;

export function useBlocks() {
  const queryClient = useQueryClient();
  const blocks = useQuery({ queryKey: blocksKey, queryFn: () => adminApi.blocks() });
  const change = useMutation({
    mutationFn: ({ userId, blocked }: { userId: string; blocked: boolean }) =>
      blocked ? adminApi.block(userId) : adminApi.unblock(userId),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: blocksKey }),
        queryClient.invalidateQueries({ queryKey: chatsKey }),
      ]),
  });
  const ids = new Set((blocks.data ?? []).map((user) => user.id));
  return {
    isBlocked: (userId: string) => ids.has(userId),
    setBlocked: (userId: string, blocked: boolean) => change.mutate({ userId, blocked }),
    pending: change.isPending,
    error: change.error ?? blocks.error,
  };
}
