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

/**
 * A message to show when its chat opens (from search): `nonce` changes with every jump, so
 * the chat view opens afresh at the message even when it is the chat already on screen.
 * `messageId` null: open at the latest messages (leaving a window around an old one).
 */
export interface Jump {
  chatId: string;
  messageId: string | null;
  nonce: number;
}

let jump: Jump | null = null;
const jumpListeners = new Set<() => void>();

function setJump(next: Jump | null) {
  jump = next;
  for (const listener of jumpListeners) listener();
}

export function useJump(): Jump | null {
  return useSyncExternalStore(
    (listener) => {
      jumpListeners.add(listener);
      return () => jumpListeners.delete(listener);
    },
    () => jump,
  );
}

/** Opens `chatId` at `messageId` (its history must hold it: see `loadAround`). */
export function openAtMessage(chatId: string, messageId: string | null) {
  setJump({ chatId, messageId, nonce: (jump?.nonce ?? 0) + 1 });
  openChat(chatId);
}

/** The jump was made: a later opening of the chat starts as usual. */
export function jumpDone(nonce: number) {
  if (jump?.nonce === nonce && jump.messageId !== null) setJump({ ...jump, messageId: null });
}
