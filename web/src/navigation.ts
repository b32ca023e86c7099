/** The open chat lives in the URL (`#/c/<id>`), so reload and Back work. */
import { useSyncExternalStore } from "react";

function subscribeHash(listener: () => void) {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

/** The id of the chat the URL opens, or null for the chat list. */
export function useActiveChatId(): string | null {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  const match = /^#\/c\/([0-9a-fA-F-]{36})$/.exec(hash);
  return match ? match[1]! : null;
}

/** Opens a chat (null: back to the list). */
export function openChat(chatId: string | null) {
  const next = chatId ? `#/c/${chatId}` : "#/";
  if (window.location.hash !== next) window.location.hash = next;
}

/** Whether the URL opens the admin page (`#/admin`). */
export function useAdminPageOpen(): boolean {
  return useSyncExternalStore(subscribeHash, () => window.location.hash === "#/admin");
}

export function openAdminPage() {
  window.location.hash = "#/admin";
}
