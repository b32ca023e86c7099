import { useMutation, useQueryClient } from "@tanstack/react-query";
import { adminApi, adminKey } from "../../admin-api.ts";

/** Deactivates or reactivates a user; the admin page's lists (users, audit) then refresh. */
export function useDeactivation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, active }: { userId: string; active: boolean }) =>
      active ? adminApi.reactivate(userId) : adminApi.deactivate(userId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminKey }),
  });
}
