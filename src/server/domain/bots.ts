/**
 * Bots: accounts (`bot: true`) that other software drives with a long-lived API token. The
 * token is shown once, only its SHA-256 is stored, it is compared in constant time
 * (domain/auth.ts), and revoking it ends the bot's sockets on every node at once.
 */
import { randomUUID } from "node:crypto";
import { ChatError } from "@charla/protocol/errors";
import type { BotWithToken, CreateBot, User } from "@charla/protocol/schemas";
import { UsernameTaken } from "../storage/errors.ts";
import type { Store } from "../storage/store.ts";
import { BOT_TOKEN_PREFIX, type AuthenticatedUser } from "./auth.ts";
import type { ChatEvents } from "./events.ts";
import { requireServerAdmin } from "./roles.ts";
import { hashSecret, newSecret } from "./secrets.ts";
import { normalizeDisplayName, publicUser } from "./users.ts";

const NO_SUCH_BOT = "No such bot.";

export function createBotService({
  store,
  events,
}: {
  store: Store;
  events: Pick<ChatEvents, "sessionsEnded">;
}) {
  const audit = (caller: AuthenticatedUser, action: string, botId: string) => ({
    id: randomUUID(),
    actor_id: caller.id,
    action,
    target_type: "bot",
    target_id: botId,
  });

  return {
    async create(caller: AuthenticatedUser, input: CreateBot): Promise<BotWithToken> {
      requireServerAdmin(caller);
      const displayName =
        input.display_name === undefined ? null : normalizeDisplayName(input.display_name);
      const token = newSecret(BOT_TOKEN_PREFIX);
      const id = randomUUID();
      try {
        const user = await store.bots.create(
          {
            id,
            username: input.username,
            display_name: displayName,
            token_hash: hashSecret(token),
          },
          audit(caller, "bot.create", id),
        );
        return { user: publicUser(user), token };
      } catch (error) {
        if (error instanceof UsernameTaken) {
          throw new ChatError("CONFLICT", "That username is taken.");
        }
        throw error;
      }
    },

    async list(caller: AuthenticatedUser): Promise<User[]> {
      requireServerAdmin(caller);
      return (await store.bots.list()).map(publicUser);
    },

    /** Revokes the bot's token: requests with it are refused and its sockets end, everywhere. */
    async revoke(caller: AuthenticatedUser, botId: string): Promise<void> {
      requireServerAdmin(caller);
      const bot = await store.bots.setToken(botId, null, audit(caller, "bot.token.revoke", botId));
      if (!bot) throw new ChatError("NOT_FOUND", NO_SUCH_BOT);
      events.sessionsEnded(botId);
    },

    /** A new token for the bot (the old one, if any, stops working): shown once. */
    async reissue(caller: AuthenticatedUser, botId: string): Promise<BotWithToken> {
      requireServerAdmin(caller);
      const token = newSecret(BOT_TOKEN_PREFIX);
      const bot = await store.bots.setToken(
        botId,
        hashSecret(token),
        audit(caller, "bot.token.reissue", botId),
      );
      if (!bot) throw new ChatError("NOT_FOUND", NO_SUCH_BOT);
      events.sessionsEnded(botId);
      return { user: publicUser(bot), token };
    },
  };
}

export type BotService = ReturnType<typeof createBotService>;
