/**
 * Running as one node of many: the Socket.IO adapter and presence on Redis.
 *
 * One Redis connection publishes (adapter) and keeps presence, one more carries presence
 * heartbeats only, and the streams adapter opens two of its own (stream reader, pub/sub). While Redis is unreachable the node keeps
 * serving its own clients, says so loudly in the log and on `/readyz`, and converges when
 * Redis returns: queued cross-node events are replayed and this node's sockets re-registered.
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { createClient } from "redis";
import type { Config } from "../config.ts";
import type { Presence } from "../domain/presence.ts";
import type { OnlineUser } from "@charla/protocol/schemas";
import type { ChatServer } from "../realtime/types.ts";
import { createClusterAdapter } from "./adapter.ts";
import { createRedisPresence, type RedisClient } from "./redis-presence.ts";

export interface Cluster {
  presence: Presence;
  /**
   * Installs the Redis adapter on the gateway. `announceBack` tells the clients who hear
   * about them that this node's users are online again after it had been reaped.
   */
  attach(io: ChatServer, announceBack: (users: OnlineUser[]) => void): void;
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

/** How long the first connection may take before the process gives up starting. */
const CONNECT_TIMEOUT_MS = 10_000;
/** While Redis stays down, the log repeats the warning this often. */
const STILL_DOWN_LOG_MS = 10_000;

export async function connectCluster(config: Readonly<Config>, log: Logger): Promise<Cluster> {
  const url = config.redisUrl;
  if (!url) throw new Error("REDIS_URL is not set");
  const clusterLog = log.child({ component: "cluster" });
  const startedAt = Date.now();
  let connected = false;
  const client: RedisClient = createClient({
    url,
    socket: {
      connectTimeout: 2_000,
      // Retry quickly: every second of reconnecting is a second of a split cluster. Only the
      // very first connection gives up (the process then fails to start, saying why).
      reconnectStrategy: (retries, cause) =>
        !connected && Date.now() - startedAt > CONNECT_TIMEOUT_MS
          ? cause
          : Math.min(100 * 2 ** retries, 1_000),
    },
  });

  // Loud while Redis is unreachable, once when it comes back.
  let downSince: number | undefined;
  let lastLoud = 0;
  const reportDown = (error: unknown) => {
    const now = Date.now();
    if (downSince === undefined) {
      downSince = now;
      lastLoud = now;
      clusterLog.error(
        { err: error },
        "REDIS UNREACHABLE: serving this node's clients only; cross-node delivery and global presence paused until it returns",
      );
    } else if (now - lastLoud >= STILL_DOWN_LOG_MS) {
      lastLoud = now;
      clusterLog.error(
        { downSeconds: Math.round((now - downSince) / 1000) },
        "REDIS STILL UNREACHABLE: serving this node's clients only",
      );
    }
  };
  client.on("error", reportDown);
  const heartbeatClient: RedisClient = client.duplicate();
  heartbeatClient.on("error", reportDown);

  const nodeKey = `${config.nodeId}-${randomBytes(4).toString("hex")}`;
  const presence = createRedisPresence({
    client,
    heartbeatClient,
    prefix: config.redisPrefix,
    nodeKey,
    heartbeatMs: config.presenceHeartbeatSeconds * 1000,
    expiryMs: config.presenceExpirySeconds * 1000,
    log: clusterLog,
  });
  // Made in attach(): the streams adapter opens its own connections as soon as it exists.
  let adapter: ReturnType<typeof createClusterAdapter> | undefined;

  client.on("ready", () => {
    presence.reconnected();
    if (downSince === undefined) return;
    const downSeconds = Math.round((Date.now() - downSince) / 1000);
    downSince = undefined;
    const replayed = adapter?.replay() ?? 0;
    clusterLog.warn(
      { downSeconds, replayed },
      "Redis reachable again: replayed queued cross-node events, re-registering presence",
    );
  });

  try {
    await Promise.all([client.connect(), heartbeatClient.connect()]);
  } catch (error) {
    if (client.isOpen) client.destroy();
    if (heartbeatClient.isOpen) heartbeatClient.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`REDIS_URL: cannot reach Redis (${reason})`, { cause: error });
  }
  connected = true;
  downSince = undefined;
  clusterLog.info({ nodeKey, prefix: config.redisPrefix }, "connected to Redis");

  let closing: Promise<void> | undefined;
  return {
    presence,
    attach(io, announceBack) {
      adapter ??= createClusterAdapter({
        client,
        prefix: config.redisPrefix,
        log: clusterLog,
        maxBacklog: 10_000,
      });
      io.adapter(adapter.factory);
      presence.start(announceBack);
    },
    async isReachable() {
      if (!client.isReady) return false;
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          client.ping().then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), 1_000);
          }),
        ]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    close: () =>
      (closing ??= (async () => {
        await presence.close();
        // Nothing must hang shutdown: a graceful QUIT if Redis answers, else drop the socket.
        await Promise.all(
          [client, heartbeatClient].map(async (connection) => {
            if (connection.isReady) await connection.close().catch(() => connection.destroy());
            else connection.destroy();
          }),
        );
      })()),
  };
}
