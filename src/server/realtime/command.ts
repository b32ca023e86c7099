/**
 * One wrapper for every client event: rate limit, validate against the protocol schema, run,
 * then acknowledge `{ ok: true, ... }` or `{ ok: false, error }`. A client that passed no
 * callback (as in the original document) gets an `error` event on failure instead.
 */
import type { TSchema, Static } from "@sinclair/typebox";
import type { Logger } from "pino";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { ChatError } from "../../protocol/errors.ts";
import type { ClientEventName } from "../../protocol/events.ts";
import { toChatError } from "../errors.ts";
import { validate } from "../validation.ts";
import type { Metrics } from "../metrics.ts";
import type { ChatSocket } from "./types.ts";

export interface CommandContext {
  log: Logger;
  metrics: Metrics;
  limiter: RateLimiterAbstract | undefined;
  /** True while the node shuts down: new commands are refused so clients retry elsewhere. */
  isDraining: () => boolean;
}

type Ack = (response: unknown) => void;

export function onCommand<S extends TSchema>(
  socket: ChatSocket,
  context: CommandContext,
  event: ClientEventName,
  schema: S,
  handler: (payload: Static<S>) => Promise<object | void>,
): void {
  // Registered untyped: what arrives is whatever the client sent, checked below.
  (socket as unknown as { on(event: string, listener: (...args: unknown[]) => void): void }).on(
    event,
    (...args: unknown[]) => {
      const ack = typeof args.at(-1) === "function" ? (args.pop() as Ack) : undefined;
      void run(args[0], ack);
    },
  );

  async function run(raw: unknown, ack: Ack | undefined) {
    const stop = context.metrics.socketEventSeconds.startTimer({ event });
    let result: object | void;
    try {
      if (context.isDraining())
        throw new ChatError("UNAVAILABLE", "This node is shutting down; try again.");
      if (context.limiter) {
        await context.limiter.consume(socket.data.user.id).catch((rejection: unknown) => {
          if (rejection instanceof Error) throw rejection;
          throw new ChatError("RATE_LIMITED", "Too many events; slow down.");
        });
      }
      result = await handler(validate(schema, raw));
    } catch (error) {
      const { code, message } = toChatError(error, context.log, {
        event,
        user_id: socket.data.user.id,
      });
      stop({ result: code });
      if (ack) ack({ ok: false, error: { code, message } });
      else socket.emit("error", { event, code, message });
      return;
    }
    stop({ result: "ok" });
    ack?.({ ok: true, ...(result ?? {}) });
  }
}
