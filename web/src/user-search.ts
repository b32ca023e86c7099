import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "./session.ts";

/**
 * People search for the dialogs: what the user types, debounced by 200 ms, and the matching
 * users (the previous results stay on screen while the next ones load). The server pushes
 * presence only for contacts (PRESENCE_SCOPE=shared), so the results' `online` is asked for
 * again while a dialog shows them.
 */
/** How often shown search results refresh who is online. */
const PRESENCE_REFRESH_MS = 15_000;

export function useUserSearch(enabled = true) {
  const [query, setQuery] = useState("");
  const [debounced, setDebounced] = useState("");

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), 200);
    return () => clearTimeout(timer);
  }, [query]);

  const users = useQuery({
    queryKey: ["users", debounced],
    queryFn: () => api.searchUsers(debounced ? { q: debounced, limit: 20 } : { limit: 20 }),
    placeholderData: (previous) => previous,
    refetchInterval: enabled ? PRESENCE_REFRESH_MS : false,
    enabled,
  });
  return { query, setQuery, users };
}
