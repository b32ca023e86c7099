/**
 * Presence: the users online anywhere, kept from `users:list` (the full set, on connect)
 * and `user:connected` / `users:online` / `user:disconnected` (changes). The server sends
 * `user:connected` and `users:online` for the same moment; the app hears it once.
 */
import type { OnlineUser } from "#protocol/schemas";
import type { Emitter } from "./emitter.ts";
import type { ChatClientEvents } from "./events.ts";
import type { ChatSocket } from "./socket.ts";

/** Follows presence on `socket`; returns the live map (`user_id → username`). */
export function trackPresence(
  socket: ChatSocket,
  events: Emitter<ChatClientEvents>,
): ReadonlyMap<string, string> {
  const online = new Map<string, string>();

  socket.on("users:list", ({ users }) => {
    online.clear();
    for (const user of users) online.set(user.user_id, user.username);
    events.emit("presence:change", online);
  });
  const userConnected = (user: OnlineUser) => {
    if (online.get(user.user_id) === user.username) return; // already heard
    online.set(user.user_id, user.username);
    events.emit("user:connected", user);
    events.emit("presence:change", online);
  };
  socket.on("user:connected", userConnected);
  socket.on("users:online", userConnected);
  // Profiles (display name, avatar) change independently of presence.
  socket.on("user:updated", (user) => events.emit("user:updated", user));
  socket.on("user:disconnected", (payload) => {
    if (!online.delete(payload.user_id)) return;
    events.emit("user:disconnected", payload);
    events.emit("presence:change", online);
  });
  return online;
}
