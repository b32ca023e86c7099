/**
 * Presence: the first socket of a user announces `user:connected` and `users:online`, the
 * last one `user:disconnected`, to whoever the presence scope says hears about the user
 * (presence-scope.ts); each new socket gets `users:list`.
 */
import type { Logger } from "pino";
import { ChatError } from "@charla/protocol/errors";
import {
  UserConnectedPayload,
  UserDisconnectedPayload,
  type OnlineUser,
} from "@charla/protocol/schemas";
import type { Presence } from "../../domain/presence.ts";
import { command, type CommandTable } from "../command.ts";
import {
  blockPeersOfSocket,
  chatIdsOfSocket,
  type PresenceScopeService,
} from "../presence-scope.ts";
import { forgetWhenSettled, type ChatSocket } from "../types.ts";

export function createPresenceTracking(
  scope: PresenceScopeService,
  presence: Presence,
  log: Logger,
) {
  /** The socket's user as presence payloads show it, profile as of the handshake. */
  const asOnline = (socket: ChatSocket): OnlineUser => {
    const { id: user_id, username, displayName, avatarUrl } = socket.data.user;
    return { user_id, username, display_name: displayName, avatar_url: avatarUrl };
  };
  const sendUsersList = async (socket: ChatSocket) => {
    const users = await scope.listFor(asOnline(socket), blockPeersOfSocket(socket));
    socket.emit("users:list", { users });
  };

  // Connect and disconnect of one socket are applied in order (chained on socket.data), even
  // if the socket goes away while its connect is still being recorded.
  function connected(socket: ChatSocket): void {
    const { id: user_id, username } = socket.data.user;
    // The rooms it has joined now: its chats, kept current by membership changes.
    const chatIds = chatIdsOfSocket(socket);
    const step = presence
      .socketConnected({ user_id, username }, socket.id)
      .then(async (first) => {
        if (first) scope.announceArrival(asOnline(socket), chatIds);
        if (socket.connected) await sendUsersList(socket);
      })
      .catch((error: unknown) => log.error({ err: error }, "presence: connect failed"));
    socket.data.presence = step;
    forgetWhenSettled(socket, "presence", step);
  }

  /** Called while the socket is still in its rooms ("disconnecting"). */
  function disconnected(socket: ChatSocket): void {
    const userId = socket.data.user.id;
    const chatIds = chatIdsOfSocket(socket);
    socket.data.presence = socket.data.presence
      .then(() => presence.socketDisconnected(userId, socket.id))
      .then((last) => {
        if (last) scope.announceDeparture(userId, chatIds);
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
