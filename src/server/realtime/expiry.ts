/**
 * Ends sockets whose token expires while they are connected. Sockets are kept in one bucket
 * per expiry second and a single timer sweeps the seconds that have passed: far cheaper per
 * idle connection than a timer each.
 */
import type { ChatSocket } from "./types.ts";

export function createExpiryWheel(onExpired: (socket: ChatSocket) => void) {
  const buckets = new Map<number, Set<ChatSocket>>();
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  let swept = nowSeconds() - 1;

  const sweep = () => {
    const now = nowSeconds();
    for (; swept < now;) {
      swept++;
      const due = buckets.get(swept);
      if (!due) continue;
      buckets.delete(swept);
      for (const socket of due) onExpired(socket);
    }
  };
  const timer = setInterval(sweep, 1000);
  timer.unref();

  return {
    /** Ends the socket at `expiresAt` (epoch seconds); at once if that has passed. */
    add(socket: ChatSocket, expiresAt: number): void {
      if (expiresAt <= swept) return onExpired(socket);
      const bucket = buckets.get(expiresAt);
      if (bucket) bucket.add(socket);
      else buckets.set(expiresAt, new Set([socket]));
    },
    remove(socket: ChatSocket, expiresAt: number): void {
      const bucket = buckets.get(expiresAt);
      if (!bucket?.delete(socket)) return;
      if (bucket.size === 0) buckets.delete(expiresAt);
    },
    close(): void {
      clearInterval(timer);
      buckets.clear();
    },
  };
}
