/**
 * The logged-in user and token, kept in localStorage so a reload stays logged in, and
 * observable with `useSession()` (React's `useSyncExternalStore`).
 */
import { useSyncExternalStore } from "react";
import { ChatError, createHttpApi, type AuthResult, type User } from "@charla/client";

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
  scheduleRefresh();
  for (const listener of listeners) listener();
}

// Another tab logging in or out (or refreshing the token).
window.addEventListener("storage", (event) => {
  if (event.key !== KEY) return;
  current = read();
  scheduleRefresh();
  for (const listener of listeners) listener();
});

/** After a failed refresh that may pass (the server unreachable), try again this soon. */
const REFRESH_RETRY_MS = 30_000;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * A page left open stays logged in without keeping the password: the token is exchanged for
 * a fresh one (POST /api/auth/refresh) once half of its remaining lifetime has passed.
 */
function scheduleRefresh(delay?: number): void {
  clearTimeout(refreshTimer);
  if (!current) return;
  const left = Date.parse(current.expires_at) - Date.now();
  const wait = delay ?? Math.max(left / 2, 1000);
  refreshTimer = setTimeout(() => void refreshNow(), Math.min(wait, 2 ** 31 - 1));
}

async function refreshNow(): Promise<void> {
  const before = current;
  if (!before) return;
  try {
    const result = await api.refresh();
    // Unless another login or logout happened meanwhile.
    if (current?.token === before.token) logIn(result);
  } catch (error) {
    if (error instanceof ChatError && error.code === "UNAUTHORIZED") {
      if (current?.token === before.token) set(null);
    } else {
      scheduleRefresh(REFRESH_RETRY_MS);
    }
  }
}

/** The session's token, for requests the typed API does not make (binary uploads). */
export function currentToken(): string | undefined {
  return current?.token;
}

/** The HTTP API of the page's own origin, with the session's token. */
export const api = createHttpApi("", () => current?.token);

export function logIn(result: AuthResult): void {
  set({ token: result.token, user: result.user, expires_at: result.expires_at });
}

export function logOut(): void {
  set(null);
}

scheduleRefresh();

export function useSession(): Session | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}
