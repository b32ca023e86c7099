/**
 * Running as one node of many: the Socket.IO adapter and presence on Redis.
 */
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { Presence } from "../domain/presence.ts";
import type { ChatServer } from "../realtime/types.ts";

export interface Cluster {
  presence: Presence;
  /** Installs the Redis adapter on the gateway. */
  attach(io: ChatServer): void;
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

export async function connectCluster(_config: Readonly<Config>, _log: Logger): Promise<Cluster> {
  throw new Error("REDIS_URL: multi-node mode is not built yet");
}
