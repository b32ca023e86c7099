/**
 * The user's notification settings, per user in localStorage, observable with
 * `useSettings()`. Off until the user turns them on: permission is only ever asked from
 * that click.
 */
import { useSyncExternalStore } from "react";

export interface Settings {
  /** Browser notifications for new messages (needs the browser's permission). */
  notifications: boolean;
  /** A short chime for new messages. */
  sound: boolean;
}

const DEFAULTS: Settings = { notifications: false, sound: false };
const key = (userId: string) => `charla.settings.${userId}`;
const listeners = new Set<() => void>();
const cache = new Map<string, Settings>();

export function readSettings(userId: string): Settings {
  let settings = cache.get(userId);
  if (!settings) {
    try {
      const raw = localStorage.getItem(key(userId));
      settings = { ...DEFAULTS, ...(raw ? (JSON.parse(raw) as Partial<Settings>) : {}) };
    } catch {
      settings = DEFAULTS;
    }
    cache.set(userId, settings);
  }
  return settings;
}

export function updateSettings(userId: string, change: Partial<Settings>): void {
  const next = { ...readSettings(userId), ...change };
  cache.set(userId, next);
  try {
    localStorage.setItem(key(userId), JSON.stringify(next));
  } catch {
    // Not kept across reloads; still in effect now.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSettings(userId: string): Settings {
  return useSyncExternalStore(subscribe, () => readSettings(userId));
}
