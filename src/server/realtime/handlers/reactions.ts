/** reaction:add and reaction:remove. */
import { ReactionPayload } from "@charla/protocol/schemas";
import type { ReactionService } from "../../domain/reactions.ts";
import { command, type CommandTable } from "../command.ts";

export function reactionCommands(reactions: ReactionService): CommandTable {
  return {
    "reaction:add": command(ReactionPayload, (socket, { message_id, emoji }) =>
      reactions.add(socket.data.user.id, message_id, emoji),
    ),
    "reaction:remove": command(ReactionPayload, (socket, { message_id, emoji }) =>
      reactions.remove(socket.data.user.id, message_id, emoji),
    ),
  };
}
