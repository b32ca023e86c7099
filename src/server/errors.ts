/**
 * Turns anything thrown into a ChatError the client may see. Only ChatErrors keep their
 * message; a lost database connection is UNAVAILABLE; everything else is logged here and
 * answered INTERNAL without its message, which could leak internals.
 */
import type { Logger } from "pino";
import { ChatError } from "@charla/protocol/errors";
import { StoreUnavailable } from "./storage/errors.ts";

export function toChatError(
  error: unknown,
  log: Logger,
  context: Record<string, unknown> = {},
): ChatError {
  if (error instanceof ChatError) return error;
  if (error instanceof StoreUnavailable) {
    log.warn({ err: error, ...context }, "database unavailable");
    return new ChatError(
      "UNAVAILABLE",
      "The database is unavailable; nothing was saved. Try again.",
    );
  }
  log.error({ err: error, ...context }, "unexpected error");
  return new ChatError("INTERNAL");
}
