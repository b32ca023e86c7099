/**
 * Presence: the first socket of a user announces `user:connected` and `users:online` to
 * everyone else, the last one `user:disconnected`; each new socket gets `users:list`.
 */
import { ChatError } from "../../../protocol/errors.ts";
import { UserConnectedPayload, UserDisconnectedPayload } from "../../../protocol/schemas.ts";
import type { Presence } from "../../domain/presence.ts";
import { onCommand, type CommandContext } from "../command.ts";
import type { ChatServer, ChatSocket } from "../types.ts";

export function registerPresenceHandlers(
  io: ChatServer,
  socket: ChatSocket,
  context: CommandContext,
  presence: Presence,
): void {
  const { id: userId, username } = socket.data.user;
  const sendUsersList = async () => socket.emit("users:list", { users: await presence.online() });

  // Connect and disconnect of one socket are applied in order, even if the socket goes
  // away while its connect is still being recorded.
  let steps: Promise<unknown> = presence
    .socketConnected({ user_id: userId, username }, socket.id)
    .then(async (first) => {
      if (first) {
        socket.broadcast.emit("user:connected", { user_id: userId, username });
        socket.broadcast.emit("users:online", { user_id: userId, username });
      }
      if (socket.connected) await sendUsersList();
    })
    .catch((error: unknown) => context.log.error({ err: error }, "presence: connect failed"));

  socket.on("disconnect", () => {
    steps = steps
      .then(() => presence.socketDisconnected(userId, socket.id))
      .then((last) => {
        if (last) io.emit("user:disconnected", { user_id: userId });
      })
      .catch((error: unknown) => context.log.error({ err: error }, "presence: disconnect failed"));
  });

  onCommand(socket, context, "user:connected", UserConnectedPayload, async ({ user_id }) => {
    if (user_id !== userId) throw new ChatError("FORBIDDEN", "user_id must be your own user id.");
    await steps;
    await sendUsersList();
  });

  onCommand(socket, context, "user:disconnected", UserDisconnectedPayload, async ({ user_id }) => {
    if (user_id !== userId) throw new ChatError("FORBIDDEN", "user_id must be your own user id.");
    // Acknowledge first, then end the socket: the ack must reach the client.
    setImmediate(() => socket.disconnect(true));
  });
}
