/**
 * Closing an account (DELETE /api/users/me): its sessions end everywhere, it leaves every
 * chat as if it had left itself (a group it owned passes on), its messages are erased when
 * asked, and its row stays so that its username stays taken and it shows as deleted.
 */
import { ChatError } from "@charla/protocol/errors";
import type { Store } from "../storage/store.ts";
import type { AuthService } from "./auth.ts";
import type { ChatEvents } from "./events.ts";

export function createAccountService({
  store,
  auth,
  events,
}: {
  store: Store;
  auth: Pick<AuthService, "checkPassword">;
  events: Pick<ChatEvents, "sessionsEnded" | "memberRemoved" | "messageDeleted">;
}) {
  return {
    /** A wrong password is UNAUTHORIZED and changes nothing. */
    async close(userId: string, password: string, eraseMessages: boolean): Promise<void> {
      await auth.checkPassword(userId, password);
      // Tokens first: from here on nothing the account still has open can act.
      if (!(await store.users.close(userId))) throw new ChatError("UNAUTHORIZED");
      events.sessionsEnded(userId);
      if (eraseMessages) {
        for (const message of await store.messages.deleteAllBySender(userId)) {
          events.messageDeleted(message);
        }
      }
      for (const chatId of await store.chats.idsOf(userId)) {
        if (await store.chats.removeMember(chatId, userId)) events.memberRemoved(chatId, userId);
      }
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
