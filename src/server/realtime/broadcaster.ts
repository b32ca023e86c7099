/**
 * ChatEvents over Socket.IO rooms: each change reaches only the members of its chat, on every
 * node (through the adapter). Membership changes move the user's live sockets at once.
 */
import type { ChatEvents } from "../domain/events.ts";
import { blockRoom, chatRoom, userRoom, type ChatServer } from "./types.ts";

/** `clustered`: other nodes share the user's rooms, and hear of ended sessions through the adapter. */
export function createBroadcaster(
  io: ChatServer,
  { clustered }: { clustered: boolean },
): ChatEvents {
  /**
   * This node's sockets of the user opened with a token older than `version`. Looked up by
   * each socket's own token version rather than kept in a room per session, which cost every
   * idle connection a room of its own; sockets of the new token (which may connect before
   * the news reaches their node) stay.
   */
  function endOlderSessions(userId: string, version: number) {
    const ids = io.sockets.adapter.rooms.get(userRoom(userId));
    for (const id of ids ? [...ids] : []) {
      const socket = io.sockets.sockets.get(id);
      if (socket && socket.data.user.tokenVersion < version) socket.disconnect(true);
    }
  }
  io.on("sessions:ended", endOlderSessions);

  return {
    messageSent(message) {
      io.to(chatRoom(message.chat_id)).emit("message:send", message);
    },
    messageUpdated(message) {
      io.to(chatRoom(message.chat_id)).emit("message:update", message);
    },
    messageDeleted(message) {
      const { id, chat_id, seq, change_seq } = message;
      io.to(chatRoom(chat_id)).emit("message:delete", { id, chat_id, seq, change_seq });
    },
    reactionsChanged(reactions) {
      io.to(chatRoom(reactions.chat_id)).emit("message:reactions", reactions);
    },
    chatCreated(chat) {
      const members = chat.members.map((m) => userRoom(m.user_id));
      io.in(members).socketsJoin(chatRoom(chat.id));
      io.to(members).emit("chat:created", chat);
    },
    chatUpdated(chat) {
      io.to(chatRoom(chat.id)).emit("chat:updated", chat);
    },
    memberAdded(chat, userId) {
      io.in(userRoom(userId)).socketsJoin(chatRoom(chat.id));
      io.to(chatRoom(chat.id)).emit("chat:member_added", { chat_id: chat.id, user_id: userId });
      io.to(userRoom(userId)).emit("chat:created", chat);
    },
    memberRemoved(chatId, userId) {
      io.to([chatRoom(chatId), userRoom(userId)]).emit("chat:member_removed", {
        chat_id: chatId,
        user_id: userId,
      });
      io.in(userRoom(userId)).socketsLeave(chatRoom(chatId));
    },
    memberRoleChanged(event) {
      io.to(chatRoom(event.chat_id)).emit("chat:member_updated", event);
    },
    read(event) {
      io.to(chatRoom(event.chat_id)).emit("message:read", event);
    },
    sessionsEnded(userId, keepVersion) {
      if (keepVersion === undefined) {
        io.in(userRoom(userId)).disconnectSockets(true);
        return;
      }
      endOlderSessions(userId, keepVersion);
      if (clustered) io.serverSideEmit("sessions:ended", userId, keepVersion);
    },
    userUpdated(user) {
      // Every connected client; the app wraps this in presence-scope.ts, which narrows it to
      // the user's contacts (and own sockets), without users in a block with them.
      io.emit("user:updated", user);
    },
    // Each user's sockets, on every node, join the other's block room: presence about either
    // skips the other (presence-scope.ts).
    blockStarted(blockerId, blockedId) {
      io.in(userRoom(blockerId)).socketsJoin(blockRoom(blockedId));
      io.in(userRoom(blockedId)).socketsJoin(blockRoom(blockerId));
    },
    blockEnded(blockerId, blockedId) {
      io.in(userRoom(blockerId)).socketsLeave(blockRoom(blockedId));
      io.in(userRoom(blockedId)).socketsLeave(blockRoom(blockerId));
    },
  };
}
