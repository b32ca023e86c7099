import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ChatError } from "@charla/client";
import { App } from "./App.tsx";
import { lang } from "./i18n.ts";
import { logOut } from "./session.ts";
import "./styles.css";

/** An expired or revoked token, seen by any request, ends the session. */
function onError(error: Error): void {
  if (error instanceof ChatError && error.code === "UNAUTHORIZED") logOut();
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      // Live events keep the cache current; refetching on focus would only flicker.
      refetchOnWindowFocus: false,
      retry: (count, error) =>
        count < 3 && !(error instanceof ChatError && error.code !== "UNAVAILABLE"),
    },
  },
});

document.documentElement.lang = lang;

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
