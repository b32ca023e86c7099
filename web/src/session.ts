/**
 * The logged-in user and token, kept in localStorage so a reload stays logged in, and
 * observable with `useSession()` (React's `useSyncExternalStore`).
 */
import { useSyncExternalStore } from "react";
import { createHttpApi, type AuthResult, type User } from "@charla/client";

export interface Session {
  token: string;
  user: User;
  expires_at: string;
}

const KEY = "charla.session";
const listeners = new Set<() => void>();

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (!session.token || !session.user || Date.parse(session.expires_at) <= Date.now()) {
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

let current: Session | null = read();

function set(next: Session | null): void {
  current = next;
  if (next) localStorage.setItem(KEY, JSON.stringify(next));
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

// Another tab logging in or out.
window.addEventListener("storage", (event) => {
  if (event.key !== KEY) return;
  current = read();
  for (const listener of listeners) listener();
});

/** The HTTP API of the page's own origin, with the session's token. */
export const api = createHttpApi("", () => current?.token);

export function logIn(result: AuthResult): void {
  set({ token: result.token, user: result.user, expires_at: result.expires_at });
}

export function logOut(): void {
  set(null);
}

export function useSession(): Session | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}
