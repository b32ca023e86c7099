/**
 * Blocking: a user stops another from opening or sending into their direct chat, and while
 * the block lasts neither is the other's contact for presence.
 */
import { ChatError } from "@charla/protocol/errors";
import type { User } from "@charla/protocol/schemas";
import type { Store } from "../storage/store.ts";
import type { ChatEvents } from "./events.ts";
import { publicUser } from "./users.ts";

export function createBlockService({
  store,
  events,
}: {
  store: Store;
  events: Pick<ChatEvents, "blockStarted" | "blockEnded">;
}) {
  return {
    async block(callerId: string, userId: string): Promise<void> {
      if (userId === callerId)
        throw new ChatError("VALIDATION_ERROR", "You cannot block yourself.");
      if (!(await store.users.findById(userId))) throw new ChatError("NOT_FOUND", "No such user.");
      await store.blocks.block(callerId, userId);
      events.blockStarted(callerId, userId);
    },
    async unblock(callerId: string, userId: string): Promise<void> {
      if (!(await store.blocks.blocks(callerId, userId))) return;
      await store.blocks.unblock(callerId, userId);
      // A block the other way still keeps them apart.
      if (!(await store.blocks.blocks(userId, callerId))) events.blockEnded(callerId, userId);
    },
    async list(callerId: string): Promise<User[]> {
      return (await store.blocks.blockedBy(callerId)).map(publicUser);
    },
  };
}

export type BlockService = ReturnType<typeof createBlockService>;
