import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "./session.ts";

/**
 * People search for the dialogs: what the user types, debounced by 200 ms, and the matching
 * users (the previous results stay on screen while the next ones load).
 */
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
    enabled,
  });
  return { query, setQuery, users };
}
