/** Blocking: a user stops another from opening or sending into their direct chat. */
import { ChatError } from "@charla/protocol/errors";
import type { User } from "@charla/protocol/schemas";
import type { Store } from "../storage/store.ts";
import { publicUser } from "./users.ts";

export function createBlockService({ store }: { store: Store }) {
  return {
    async block(callerId: string, userId: string): Promise<void> {
      if (userId === callerId)
        throw new ChatError("VALIDATION_ERROR", "You cannot block yourself.");
      if (!(await store.users.findById(userId))) throw new ChatError("NOT_FOUND", "No such user.");
      await store.blocks.block(callerId, userId);
    },
    async unblock(callerId: string, userId: string): Promise<void> {
      await store.blocks.unblock(callerId, userId);
    },
    async list(callerId: string): Promise<User[]> {
      return (await store.blocks.blockedBy(callerId)).map(publicUser);
    },
  };
}

export type BlockService = ReturnType<typeof createBlockService>;
