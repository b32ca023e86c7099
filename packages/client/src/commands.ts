/**
 * Commands and retries: every client command is sent until the server acknowledges it
 * (at-least-once), which is safe because every command is idempotent on the server (a
 * repeated `client_msg_id` stores nothing and acknowledges the original).
 */
import type { Ack, ClientToServerEvents } from "#protocol/events";
import { ChatError, isErrorCode, type ErrorCode } from "#protocol/errors";
import type { ChatSocket } from "./socket.ts";

/** Every command a client can emit, with its payload and what a success carries. */
export type CommandMap = {
  [E in keyof ClientToServerEvents]: ClientToServerEvents[E] extends (
    payload: infer Payload,
    ack?: (response: Ack<infer Result>) => void,
  ) => void
    ? { payload: Payload; result: Result }
    : never;
};
export type CommandName = keyof CommandMap;
export type CommandPayload<E extends CommandName> = CommandMap[E]["payload"];
/** What a command resolves with: the acknowledgement's fields, `ok: true` included. */
export type CommandResult<E extends CommandName> = { ok: true } & CommandMap[E]["result"];

type Emitter = {
  [E in CommandName]: (
    socket: ChatSocket,
    payload: CommandPayload<E>,
    ack: (response: Ack<CommandMap[E]["result"]>) => void,
  ) => void;
};

/** One literal emit per command, so each is checked against the contract's event map. */
const EMIT: Emitter = {
  "message:send": (socket, payload, ack) => socket.emit("message:send", payload, ack),
  "message:update": (socket, payload, ack) => socket.emit("message:update", payload, ack),
  "message:delete": (socket, payload, ack) => socket.emit("message:delete", payload, ack),
  "user:connected": (socket, payload, ack) => socket.emit("user:connected", payload, ack),
  "user:disconnected": (socket, payload, ack) => socket.emit("user:disconnected", payload, ack),
  typing: (socket, payload, ack) => socket.emit("typing", payload, ack),
  "message:read": (socket, payload, ack) => socket.emit("message:read", payload, ack),
  sync: (socket, payload, ack) => socket.emit("sync", payload, ack),
  "reaction:add": (socket, payload, ack) => socket.emit("reaction:add", payload, ack),
  "reaction:remove": (socket, payload, ack) => socket.emit("reaction:remove", payload, ack),
};

/** Codes worth trying again with the same payload (the server did not act on it). */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set(["UNAVAILABLE", "RATE_LIMITED"]);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** An acknowledgement, or "retry" when none came (timeout or disconnect). */
export type Attempt<E extends CommandName> = Ack<CommandMap[E]["result"]> | "retry";

export interface CommandSenderOptions {
  socket: ChatSocket;
  /** Wait this long for an acknowledgement before sending again. */
  ackTimeoutMs: number;
  /** Give up a command after this long (`UNAVAILABLE`); undefined: never. */
  commandTimeoutMs: number | undefined;
  /** Resolves when the socket is connected; rejects when the client is closed for good. */
  whenConnected: () => Promise<void>;
}

export interface CommandSender {
  /** One emit with an acknowledgement; "retry" on timeout or disconnect. */
  attempt<E extends CommandName>(event: E, payload: CommandPayload<E>): Promise<Attempt<E>>;
  /**
   * Sends until acknowledged. `onRetriedError` may settle a refusal of a retry as a success
   * (a retried delete that finds the message gone means the first attempt worked).
   */
  run<E extends CommandName>(
    event: E,
    payload: CommandPayload<E>,
    onRetriedError?: (code: ErrorCode) => CommandResult<E> | undefined,
  ): Promise<CommandResult<E>>;
}

export function createCommandSender(options: CommandSenderOptions): CommandSender {
  const { socket, ackTimeoutMs } = options;

  function attempt<E extends CommandName>(
    event: E,
    payload: CommandPayload<E>,
  ): Promise<Attempt<E>> {
    return new Promise((resolve) => {
      if (!socket.connected) return resolve("retry");
      let settled = false;
      const finish = (result: Attempt<E>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off("disconnect", onDisconnect);
        resolve(result);
      };
      const onDisconnect = () => finish("retry");
      // Our own timer rather than socket.timeout(): its typings lose the acknowledgement's
      // type. A late acknowledgement is ignored; socket.io-client drops the handler on
      // disconnect.
      const timer = setTimeout(() => finish("retry"), ackTimeoutMs);
      socket.on("disconnect", onDisconnect);
      EMIT[event](socket, payload, finish);
    });
  }

  async function run<E extends CommandName>(
    event: E,
    payload: CommandPayload<E>,
    onRetriedError?: (code: ErrorCode) => CommandResult<E> | undefined,
  ): Promise<CommandResult<E>> {
    const deadline =
      options.commandTimeoutMs === undefined ? Infinity : Date.now() + options.commandTimeoutMs;
    for (let attemptNo = 1; ; attemptNo++) {
      if (Date.now() > deadline) {
        throw new ChatError("UNAVAILABLE", `No acknowledgement for ${event}.`);
      }
      await (deadline === Infinity
        ? options.whenConnected()
        : Promise.race([options.whenConnected(), sleep(deadline - Date.now())]));
      if (!socket.connected) continue; // the deadline check above ends it
      const result = await attempt(event, payload);
      if (result === "retry") continue;
      if (result.ok) return result;
      const code = isErrorCode(result.error.code) ? result.error.code : "INTERNAL";
      if (attemptNo > 1 && onRetriedError) {
        const settled = onRetriedError(code);
        if (settled) return settled;
      }
      if (RETRYABLE.has(code)) {
        await sleep(Math.min(250 * 2 ** Math.min(attemptNo, 5), 5000));
        continue;
      }
      throw new ChatError(code, result.error.message);
    }
  }

  return { attempt, run };
}
