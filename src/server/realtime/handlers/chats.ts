/** typing and message:read: per-chat signals of a member. */
import { ChatError } from "@charla/protocol/errors";
import { MessageReadPayload, TypingPayload } from "@charla/protocol/schemas";
import type { ChatService } from "../../domain/chats.ts";
import { command, type CommandTable } from "../command.ts";
import { chatRoom, userRoom } from "../types.ts";

export function chatCommands(chats: ChatService): CommandTable {
  return {
    typing: command(TypingPayload, async (socket, { chat_id, typing }) => {
      // The socket is in a chat's room exactly while its user is a member: no query needed.
      if (!socket.rooms.has(chatRoom(chat_id))) throw new ChatError("NOT_FOUND", "No such chat.");
      // To the other members: not back to the typist's own other sockets (other devices).
      const { id } = socket.data.user;
      socket
        .to(chatRoom(chat_id))
        .except(userRoom(id))
        .emit("typing", { chat_id, user_id: id, typing });
    }),
    "message:read": command(MessageReadPayload, async (socket, { chat_id, seq }) => {
      await chats.markRead(socket.data.user.id, chat_id, seq);
    }),
  };
}
