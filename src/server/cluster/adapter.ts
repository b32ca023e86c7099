/**
 * The Socket.IO adapter across nodes: `@socket.io/redis-streams-adapter`, made to keep
 * serving this node's own sockets while Redis is unreachable.
 *
 * As shipped, a cluster adapter publishes to Redis BEFORE it delivers to local sockets; with
 * Redis down that publish waits in the client's offline queue, so even local delivery would
 * stall for the whole outage. Here, while Redis is not ready, a publish fails at once (the
 * adapter then delivers locally) and the message is kept in a bounded backlog that is
 * published, in order, when Redis is back: the other nodes' sockets then get what they
 * missed, late. Catch-up from PostgreSQL (`sync`) remains the guarantee; this only shortens
 * the time before the nodes agree again.
 */
import type { Logger } from "pino";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { MessageType, type ClusterMessage } from "socket.io-adapter";
import type { Namespace } from "socket.io";
import { wrapAdapterPublish, type Publish } from "../library-shims.ts";
import type { RedisClient } from "./redis-presence.ts";

export interface ClusterAdapterOptions {
  client: RedisClient;
  prefix: string;
  log: Logger;
  /** Most messages kept while Redis is down; older ones are dropped first. */
  maxBacklog: number;
}

export interface ClusterAdapter {
  /** For `io.adapter(...)`. */
  factory: ReturnType<typeof createAdapter>;
  /** Publishes what was kept while Redis was down; returns how many messages. */
  replay(): number;
}

/** Longest a publish may hold up delivery to this node's own sockets. */
const SLOW_MS = 500;

/** Kinds worth replaying late: deliveries and room changes. Requests with replies are not. */
const REPLAYABLE = new Set<MessageType>([
  MessageType.BROADCAST,
  MessageType.SOCKETS_JOIN,
  MessageType.SOCKETS_LEAVE,
  MessageType.DISCONNECT_SOCKETS,
  // Ending a user's older sessions (realtime/broadcaster.ts): late is better than never.
  MessageType.SERVER_SIDE_EMIT,
]);

function replayable(message: ClusterMessage): boolean {
  if (!REPLAYABLE.has(message.type)) return false;
  const data = (message as { data?: { requestId?: unknown } }).data;
  return data?.requestId === undefined;
}

export function createClusterAdapter(options: ClusterAdapterOptions): ClusterAdapter {
  const { client, log } = options;
  const streams = createAdapter(client, {
    streamName: `${options.prefix}:socket.io`,
    channelPrefix: `${options.prefix}:socket.io`,
    sessionKeyPrefix: `${options.prefix}:socket.io:session:`,
    // Skip the per-packet binary scan: chat payloads are JSON.
    onlyPlaintext: true,
    // The reader only notices close() when its blocking XREAD returns: keep shutdown short.
    blockTimeInMs: 1_000,
  });
  const replays = new Set<() => number>();

  // Said once per process: the shim found no publish to wrap (a changed socket.io-adapter).
  let warnedUnwrapped = false;

  // A function expression: Socket.IO calls it with `new`.
  const factory = function (nsp: Namespace) {
    const adapter = streams(nsp);
    const resilient = wrapAdapterPublish(adapter, (publish) => resilientPublish(publish, options));
    if (!resilient) {
      if (!warnedUnwrapped) {
        warnedUnwrapped = true;
        log.warn(
          "cluster: the adapter's publish could not be wrapped; while Redis is down, delivery on this node waits for it",
        );
      }
      return adapter;
    }
    const { replay } = resilient;
    replays.add(replay);
    const close = adapter.close.bind(adapter);
    adapter.close = () => {
      replays.delete(replay);
      return close();
    };
    return adapter;
  } as ReturnType<typeof createAdapter>;

  return {
    factory,
    replay() {
      let total = 0;
      for (const replay of replays) total += replay();
      return total;
    },
  };
}

/**
 * Publishing that never holds up this node's own sockets: fails at once while Redis is not
 * ready (the adapter then delivers locally) and keeps the message for `replay`.
 */
function resilientPublish(
  publish: Publish,
  { client, log, maxBacklog }: ClusterAdapterOptions,
): { publish: Publish; replay: () => number } {
  const backlog: ClusterMessage[] = [];
  let dropped = 0;

  const keep = (message: ClusterMessage) => {
    if (!replayable(message)) return;
    backlog.push(message);
    if (backlog.length > maxBacklog) {
      backlog.shift();
      if (dropped++ === 0) {
        log.error(
          { maxBacklog },
          "cluster: Redis down too long; dropping the oldest cross-node events (clients catch up with sync)",
        );
      }
    }
  };

  let lastFailureLog = 0;
  // A publish cut off by a dropped connection is kept for the replay (at least once);
  // one Redis refused while connected (e.g. out of memory) is only logged.
  const send = (message: ClusterMessage) => {
    const publishing = publish(message).catch((error: unknown) => {
      if (!client.isReady) keep(message);
      else if (Date.now() - lastFailureLog > 10_000) {
        lastFailureLog = Date.now();
        log.error({ err: error }, "cluster: Redis refused a cross-node event");
      }
      throw error;
    });
    // A stalled Redis (paused, overloaded, silently cut off) must not hold up this node's
    // own sockets: after a while the adapter delivers locally; the publish goes on.
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("Redis is slow: delivered here first")), SLOW_MS);
    });
    publishing.catch(() => undefined).finally(() => clearTimeout(timer));
    return Promise.race([publishing, slow]);
  };

  const replay = () => {
    const queued = backlog.splice(0);
    // Issued in order on one connection, so they reach the stream in order.
    for (const message of queued) send(message).catch(() => undefined);
    if (dropped > 0) log.warn({ dropped }, "cluster: cross-node events dropped during the outage");
    dropped = 0;
    return queued.length;
  };

  return {
    replay,
    publish(message) {
      if (!client.isReady) {
        keep(message);
        return Promise.reject(new Error("Redis is not reachable: delivered on this node only"));
      }
      // What was kept goes first, so the other nodes see events in their order.
      if (backlog.length > 0) replay();
      return send(message);
    },
  };
}
