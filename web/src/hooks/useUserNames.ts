import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { nameOf } from "../people.ts";
import { api } from "../session.ts";

/**
 * How to name the users behind ids that come without names (reports, the audit log):
 * `id → "Display name (@username)"`, or the username alone. One request for the ids shown;
 * an id not (yet) known is missing from the map.
 */
export function useUserNames(ids: readonly string[]): ReadonlyMap<string, string> {
  const unique = [...new Set(ids)].sort();
  const users = useQuery({
    queryKey: ["user-names", unique],
    queryFn: () => api.usersByIds(unique),
    enabled: unique.length > 0,
    staleTime: 60_000,
    placeholderData: (previous) => previous,
  });
  return useMemo(
    () =>
      new Map(
        (users.data ?? []).map((user) => [
          user.id,
          user.display_name ? `${nameOf(user)} (@${user.username})` : user.username,
        ]),
      ),
    [users.data],
  );
}
