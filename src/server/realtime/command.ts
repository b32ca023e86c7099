/**
 * Client events: a table of commands (schema + handler) per area, and ONE dispatcher shared by
 * every socket. For each event: rate limit, validate against the protocol schema, run, then
 * acknowledge `{ ok: true, ... }` or `{ ok: false, error }`. A client that passed no callback
 * (as in the original document) gets an `error` event on failure instead.
 *
 * Why one shared dispatcher: per-socket listeners and closures cost memory on every idle
 * connection; Socket.IO calls `onAny` listeners with the socket as `this`, so a single
 * function serves them all.
 */
import type { TSchema, Static } from "@sinclair/typebox";
import type { Logger } from "pino";
import { ChatError } from "@charla/protocol/errors";
import type { ClientEventName } from "@charla/protocol/events";
import { toChatError } from "../errors.ts";
import { validate } from "../validation.ts";
import type { Metrics } from "../metrics.ts";
import { COST, type Limits } from "../rate-limits.ts";
import type { ChatSocket } from "./types.ts";

export interface CommandContext {
  log: Logger;
  metrics: Metrics;
  /** The user's budget, shared with their HTTP writes. */
  limits: Limits;
  /** True while the node shuts down: new commands are refused so clients retry elsewhere. */
  isDraining: () => boolean;
}

export interface Command<S extends TSchema = TSchema> {
  schema: S;
  /** Points taken from the user's budget (COST.default unless the command says otherwise). */
  cost: number;
  run(socket: ChatSocket, payload: Static<S>): Promise<object | void>;
}

export type CommandTable = Partial<Record<ClientEventName, Command>>;

/** A command: what its payload must look like, and what it does for the socket that sent it. */
export function command<S extends TSchema>(
  schema: S,
  run: (socket: ChatSocket, payload: Static<S>) => Promise<object | void>,
  options: { cost?: number } = {},
): Command {
  return { schema, run, cost: options.cost ?? COST.default } as Command;
}

type Ack = (response: unknown) => void;

/** The `onAny` listener every socket shares; `this` is the socket that sent the event. */
export function createDispatcher(commands: CommandTable, context: CommandContext) {
  return function dispatch(this: ChatSocket, event: unknown, ...args: unknown[]): void {
    const ack = typeof args.at(-1) === "function" ? (args.pop() as Ack) : undefined;
    const spec =
      typeof event === "string" && Object.hasOwn(commands, event)
        ? commands[event as ClientEventName]
        : undefined;
    if (!spec) {
      void unknownEvent(this, ack, context);
      return;
    }
    void execute(this, event as ClientEventName, spec, args[0], ack, context);
  };
}

/** Not part of the protocol: it costs like any event, and says so when the client waits. */
async function unknownEvent(socket: ChatSocket, ack: Ack | undefined, context: CommandContext) {
  try {
    await context.limits.spendUser(socket.data.user.id, COST.default);
  } catch (error) {
    const { code, message } = toChatError(error, context.log, { event: "unknown" });
    ack?.({ ok: false, error: { code, message } });
    return;
  }
  ack?.({ ok: false, error: { code: "VALIDATION_ERROR", message: "Unknown event." } });
}

async function execute(
  socket: ChatSocket,
  event: ClientEventName,
  spec: Command,
  raw: unknown,
  ack: Ack | undefined,
  context: CommandContext,
) {
  const stop = context.metrics.socketEventSeconds.startTimer({ event });
  let result: object | void;
  try {
    if (context.isDraining()) {
      throw new ChatError("UNAVAILABLE", "This node is shutting down; try again.");
    }
    await context.limits.spendUser(socket.data.user.id, spec.cost);
    // A command runs on a connection already consistent with its handshake's re-check.
    await socket.data.ready;
    result = await spec.run(socket, validate(spec.schema, raw));
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
