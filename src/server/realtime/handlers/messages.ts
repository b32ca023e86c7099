/** message:send, message:update, message:delete and sync. */
import {
  MessageDeletePayload,
  MessageSendPayload,
  MessageUpdatePayload,
  SyncPayload,
} from "../../../protocol/schemas.ts";
import type { MessageService } from "../../domain/messages.ts";
import { onCommand, type CommandContext } from "../command.ts";
import type { ChatSocket } from "../types.ts";

export function registerMessageHandlers(
  socket: ChatSocket,
  context: CommandContext,
  messages: MessageService,
): void {
  const me = () => socket.data.user.id;

  onCommand(socket, context, "message:send", MessageSendPayload, async (payload) => {
    const { message } = await messages.send(me(), payload);
    return { message };
  });

  onCommand(socket, context, "message:update", MessageUpdatePayload, async ({ id, body }) => ({
    message: await messages.edit(me(), id, body),
  }));

  onCommand(socket, context, "message:delete", MessageDeletePayload, async ({ id }) => {
    await messages.remove(me(), id);
    return { id };
  });

  onCommand(socket, context, "sync", SyncPayload, (payload) => messages.sync(me(), payload));
}
