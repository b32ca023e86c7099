/**
 * Reactions: members react to a live message with one emoji each (several emoji per
 * member, at most 20 distinct per message). Adding twice or removing what is not there
 * changes nothing: no event, no change_seq.
 */
import { ChatError } from "@charla/protocol/errors";
import { REACTIONS_PER_MESSAGE_MAX } from "@charla/protocol/limits";
import type { Reactions } from "@charla/protocol/schemas";
import { TooManyReactions } from "../storage/errors.ts";
import type { ReactionChange } from "../storage/reaction-store.ts";
import type { Store } from "../storage/store.ts";
import { normaliseEmoji } from "./emoji.ts";
import type { ChatEvents } from "./events.ts";

const NO_SUCH_MESSAGE = "No such message.";

export function createReactionService({ store, events }: { store: Store; events: ChatEvents }) {
  async function change(
    callerId: string,
    messageId: string,
    rawEmoji: string,
    apply: (emoji: string) => Promise<ReactionChange | undefined>,
  ): Promise<Reactions> {
    const emoji = normaliseEmoji(rawEmoji);
    if (emoji === undefined) {
      throw new ChatError("VALIDATION_ERROR", "A reaction is one emoji.");
    }
    const access = await store.messages.findForAccess(messageId, callerId);
    if (!access || access.callerRole === null || access.message.status === "deleted") {
      throw new ChatError("NOT_FOUND", NO_SUCH_MESSAGE);
    }
    let result: ReactionChange | undefined;
    try {
      result = await apply(emoji);
    } catch (error) {
      if (error instanceof TooManyReactions) {
        throw new ChatError(
          "VALIDATION_ERROR",
          `A message has at most ${REACTIONS_PER_MESSAGE_MAX} different reactions.`,
        );
      }
      throw error;
    }
    if (!result) throw new ChatError("NOT_FOUND", NO_SUCH_MESSAGE);
    const { changed, ...reactions } = result;
    if (changed) events.reactionsChanged(reactions);
    return reactions;
  }

  return {
    add: (callerId: string, messageId: string, emoji: string) =>
      change(callerId, messageId, emoji, (e) => store.reactions.add(messageId, callerId, e)),
    remove: (callerId: string, messageId: string, emoji: string) =>
      change(callerId, messageId, emoji, (e) => store.reactions.remove(messageId, callerId, e)),
  };
}

export type ReactionService = ReturnType<typeof createReactionService>;
