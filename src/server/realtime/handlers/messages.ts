/** message:send, message:update, message:delete and sync. */
import {
  MessageDeletePayload,
  MessageSendPayload,
  MessageUpdatePayload,
  SyncPayload,
} from "@charla/protocol/schemas";
import type { MessageService } from "../../domain/messages.ts";
import { COST } from "../../rate-limits.ts";
import { command, type CommandTable } from "../command.ts";

export function messageCommands(messages: MessageService): CommandTable {
  return {
    "message:send": command(MessageSendPayload, async (socket, payload) => {
      const { message } = await messages.send(socket.data.user.id, payload);
      return { message };
    }),
    "message:update": command(MessageUpdatePayload, async (socket, { id, body }) => ({
      message: await messages.edit(socket.data.user.id, id, body),
    })),
    "message:delete": command(MessageDeletePayload, async (socket, { id }) => {
      await messages.remove(socket.data.user.id, id);
      return { id };
    }),
    sync: command(SyncPayload, (socket, payload) => messages.sync(socket.data.user.id, payload), {
      cost: COST.sync,
    }),
  };
}
