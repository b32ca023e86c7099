/**
 * Presence: the first socket of a user announces `user:connected` and `users:online` to
 * everyone else, the last one `user:disconnected`; each new socket gets `users:list`.
 */
import type { Logger } from "pino";
import { ChatError } from "@charla/protocol/errors";
import { UserConnectedPayload, UserDisconnectedPayload } from "@charla/protocol/schemas";
import type { Presence } from "../../domain/presence.ts";
import { command, type CommandTable } from "../command.ts";
import type { ChatServer, ChatSocket } from "../types.ts";

export function createPresenceTracking(io: ChatServer, presence: Presence, log: Logger) {
  const sendUsersList = async (socket: ChatSocket) =>
    socket.emit("users:list", { users: await presence.online() });

  // Connect and disconnect of one socket are applied in order (chained on socket.data), even
  // if the socket goes away while its connect is still being recorded.
  function connected(socket: ChatSocket): void {
    const { id: user_id, username } = socket.data.user;
    socket.data.presence = presence
      .socketConnected({ user_id, username }, socket.id)
      .then(async (first) => {
        if (first) {
          socket.broadcast.emit("user:connected", { user_id, username });
          socket.broadcast.emit("users:online", { user_id, username });
        }
        if (socket.connected) await sendUsersList(socket);
      })
      .catch((error: unknown) => log.error({ err: error }, "presence: connect failed"));
  }

  function disconnected(socket: ChatSocket): void {
    const userId = socket.data.user.id;
    socket.data.presence = socket.data.presence
      .then(() => presence.socketDisconnected(userId, socket.id))
      .then((last) => {
        if (last) io.emit("user:disconnected", { user_id: userId });
      })
      .catch((error: unknown) => log.error({ err: error }, "presence: disconnect failed"));
  }

  const commands: CommandTable = {
    "user:connected": command(UserConnectedPayload, async (socket, { user_id }) => {
      if (user_id !== socket.data.user.id) {
        throw new ChatError("FORBIDDEN", "user_id must be your own user id.");
      }
      await socket.data.presence;
      await sendUsersList(socket);
    }),
    "user:disconnected": command(UserDisconnectedPayload, async (socket, { user_id }) => {
      if (user_id !== socket.data.user.id) {
        throw new ChatError("FORBIDDEN", "user_id must be your own user id.");
      }
      // Acknowledge first, then end the socket: the ack must reach the client.
      setImmediate(() => socket.disconnect(true));
    }),
  };

  return { connected, disconnected, commands };
}
