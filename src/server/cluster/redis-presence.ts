/**
 * Presence across nodes, kept in Redis by atomic scripts (see scripts.ts): a user is online
 * while any node has a live socket of theirs. Every node refreshes a heartbeat; a node whose
 * heartbeat lapses (killed, crashed, cut off) is reaped by the first survivor that notices,
 * which announces its users who have no socket left anywhere.
 *
 * This node's own sockets are also kept in memory: they are the truth Redis is rebuilt from
 * after an outage (`resync`), and the fallback answer while Redis cannot be reached.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { createClient } from "redis";
import type { OnlineUser } from "@charla/protocol/schemas";
import type { Presence } from "../domain/presence.ts";
import { CONNECT, DISCONNECT, HEARTBEAT, REAP, RESYNC, type Script } from "./scripts.ts";

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisPresenceOptions {
  client: RedisClient;
  /**
   * Carries the heartbeats and the reaping only. On the shared connection a heartbeat waited
   * behind every presence and adapter command queued before it: 5 to 58 s while 600 members
   * of a group of 5,000 connected at once, so the other nodes reaped a live node, and each
   * reap and re-registration sent a wave of presence events to every member.
   */
  heartbeatClient: RedisClient;
  /** Key prefix (REDIS_PREFIX). */
  prefix: string;
  /** Unique per process start: two processes never share one. */
  nodeKey: string;
  heartbeatMs: number;
  expiryMs: number;
  log: Logger;
}

export interface ClusterPresence extends Presence {
  /**
   * Starts the heartbeats. `announceOnline` tells every node's clients about users back
   * online after this node had been reaped while it was cut off from Redis.
   */
  start(announceOnline: (users: OnlineUser[]) => void): void;
  /** Redis is reachable again: rebuild this node's entries before trusting Redis. */
  reconnected(): void;
}

class RedisUnavailable extends Error {
  constructor() {
    super("Redis is not reachable");
  }
}

interface ResyncOutcome {
  online: string[];
  offline: string[];
  /** True when the resync itself announced its changes (this node had been reaped). */
  announced: boolean;
  /** The sockets it registered: a socket connected meanwhile still needs its own CONNECT. */
  included: ReadonlySet<string>;
}

export function createRedisPresence(options: RedisPresenceOptions): ClusterPresence {
  const { client, log, nodeKey, heartbeatMs, expiryMs } = options;
  // One hash tag, so every key (and the scripts touching several) lives in one cluster slot.
  const base = `${options.prefix}:{presence}`;
  const keys = {
    nodes: `${base}:nodes`,
    nodePrefix: `${base}:node:`,
    node: `${base}:node:${nodeKey}`,
    counts: `${base}:counts`,
    names: `${base}:names`,
    epoch: `${base}:epoch`,
  };

  const sockets = new Map<string, OnlineUser>();
  const perUser = new Map<string, number>();
  const goneListeners: Array<(userIds: string[]) => void> = [];
  let announceOnline: ((users: OnlineUser[]) => void) | undefined;
  /** The Redis epoch this node registered under; a different one means Redis lost its data. */
  let epoch: string | undefined;
  let needResync = true;
  /** When the connection last became ready: reaping waits for slower nodes to come back. */
  let readySince: number | undefined = client.isReady ? Date.now() : undefined;
  let resyncing: Promise<ResyncOutcome> | undefined;
  let ticking: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  /** When this node's deadline was last pushed forward (local clock), to report lapses. */
  let lastHeartbeatAt: number | undefined;
  /** When the last tick started, and ticks skipped since because one was still waiting. */
  let lastTickAt: number | undefined;
  let ticksSkipped = 0;

  async function run(
    script: Script,
    scriptKeys: string[],
    args: string[],
    via: RedisClient = client,
  ): Promise<unknown> {
    if (!via.isReady) throw new RedisUnavailable();
    const options = { keys: scriptKeys, arguments: args };
    try {
      return await via.evalSha(script.sha, options);
    } catch (error) {
      // After a Redis restart its script cache is empty: send the source once.
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return via.eval(script.source, options);
    }
  }

  function failed(error: unknown, what: string) {
    needResync = true;
    if (!(error instanceof RedisUnavailable)) log.warn({ err: error }, `presence: ${what} failed`);
  }

  function userOf(userId: string): OnlineUser | undefined {
    for (const user of sockets.values()) if (user.user_id === userId) return user;
    return undefined;
  }

  function notifyGone(userIds: string[]) {
    if (userIds.length === 0) return;
    for (const listener of goneListeners) listener(userIds);
  }

  async function doResync(): Promise<ResyncOutcome> {
    needResync = false;
    const previousEpoch = epoch;
    const args = [nodeKey, String(expiryMs), randomUUID()];
    for (const [socketId, user] of sockets) args.push(socketId, user.user_id, user.username);
    const included = new Set(sockets.keys());
    let reply: [string, number, string[], string[]];
    try {
      reply = (await run(
        RESYNC,
        [keys.nodes, keys.node, keys.counts, keys.names, keys.epoch],
        args,
      )) as typeof reply;
    } catch (error) {
      needResync = true;
      throw error;
    }
    const [newEpoch, registered, online, offline] = reply;
    epoch = newEpoch;
    // Reaped while cut off (same epoch, no longer registered): the others were told this
    // node's users left, so tell them who is still here. After Redis lost its data (new
    // epoch) nobody was told anything, so there is nothing to correct.
    const announced = registered === 0 && previousEpoch !== undefined && previousEpoch === newEpoch;
    if (announced) {
      log.warn(
        { back: online.length, gone: offline.length },
        "presence: this node had been reaped while cut off from Redis; re-registered its sockets",
      );
      const back = online.map(userOf).filter((user) => user !== undefined);
      if (back.length > 0) announceOnline?.(back);
      notifyGone(offline);
    } else {
      log.info({ sockets: sockets.size }, "presence: registered this node's sockets in Redis");
    }
    return { online, offline, announced, included };
  }

  /** Rebuilds this node's entries if needed; one at a time. */
  async function synced(): Promise<ResyncOutcome | undefined> {
    if (!needResync && !resyncing) return undefined;
    return (resyncing ??= doResync().finally(() => (resyncing = undefined)));
  }

  /**
   * A heartbeat that lands late brings this node near being reaped by the others. Says by how
   * much, and whether the wait was for this process (its timer fired late: a busy event loop)
   * or for the reply (queued behind other commands, or Redis slow).
   */
  function reportLateHeartbeat(startedAt: number, timerLateMs: number, skipped: number) {
    const now = Date.now();
    const previous = lastHeartbeatAt;
    lastHeartbeatAt = now;
    if (previous === undefined) return;
    const sinceLastMs = now - previous;
    if (sinceLastMs < heartbeatMs + expiryMs / 3) return;
    log.warn(
      { sinceLastMs, expiryMs, timerLateMs, roundTripMs: now - startedAt, ticksSkipped: skipped },
      "presence: heartbeat late; the other nodes reap this one if it passes the expiry",
    );
  }

  async function tick() {
    if (closed || !client.isReady || !options.heartbeatClient.isReady) return;
    const startedAt = Date.now();
    const skipped = ticksSkipped;
    ticksSkipped = 0;
    const timerLateMs =
      lastTickAt === undefined
        ? 0
        : Math.max(0, startedAt - lastTickAt - heartbeatMs * (1 + skipped));
    lastTickAt = startedAt;
    try {
      if (!(await synced())) {
        const alive = await run(
          HEARTBEAT,
          [keys.nodes, keys.epoch],
          [nodeKey, String(expiryMs), epoch ?? ""],
          options.heartbeatClient,
        );
        if (alive !== 1) {
          needResync = true;
          await synced();
        }
      }
      reportLateHeartbeat(startedAt, timerLateMs, skipped);
      // Right after (re)connecting, other nodes may not have refreshed their heartbeat yet
      // (Redis was down for everyone): give them one expiry period before reaping.
      if (readySince !== undefined && Date.now() - readySince >= expiryMs) {
        const gone = (await run(
          REAP,
          [keys.nodes, keys.counts, keys.names],
          [keys.nodePrefix, nodeKey, "0"],
          options.heartbeatClient,
        )) as string[];
        if (gone.length > 0) {
          log.warn(
            { users: gone.length },
            "presence: reaped dead nodes; announcing their users gone",
          );
          notifyGone(gone);
        }
      }
    } catch (error) {
      failed(error, "heartbeat");
    }
  }

  function tickOnce() {
    if (closed) return;
    if (ticking) {
      ticksSkipped += 1;
      return;
    }
    ticking = tick().finally(() => (ticking = undefined));
  }

  function localUsers(): OnlineUser[] {
    const users = new Map<string, OnlineUser>();
    for (const user of sockets.values()) users.set(user.user_id, user);
    return [...users.values()];
  }

  return {
    start(announce) {
      announceOnline = announce;
      timer = setInterval(tickOnce, heartbeatMs);
      timer.unref();
      tickOnce();
    },

    reconnected() {
      readySince = Date.now();
      needResync = true;
      tickOnce();
    },

    async socketConnected(user, socketId) {
      if (sockets.has(socketId)) return false;
      sockets.set(socketId, user);
      const mine = (perUser.get(user.user_id) ?? 0) + 1;
      perUser.set(user.user_id, mine);
      try {
        if (client.isReady) {
          const outcome = await synced();
          if (outcome?.included.has(socketId)) {
            return !outcome.announced && outcome.online.includes(user.user_id);
          }
          const first = await run(
            CONNECT,
            [keys.nodes, keys.node, keys.counts, keys.names],
            [socketId, user.user_id, user.username, nodeKey],
          );
          if (first !== -1) return first === 1;
          needResync = true;
          const after = await synced();
          return (
            after !== undefined &&
            after.included.has(socketId) &&
            !after.announced &&
            after.online.includes(user.user_id)
          );
        }
      } catch (error) {
        failed(error, "connect");
      }
      // Redis unreachable: this node answers for its own sockets only.
      needResync = true;
      return mine === 1;
    },

    async socketDisconnected(userId, socketId) {
      if (!sockets.delete(socketId)) return false;
      const mine = (perUser.get(userId) ?? 1) - 1;
      if (mine > 0) perUser.set(userId, mine);
      else perUser.delete(userId);
      try {
        if (client.isReady) {
          const outcome = await synced();
          if (outcome && !outcome.included.has(socketId)) {
            return !outcome.announced && outcome.offline.includes(userId);
          }
          return (
            (await run(DISCONNECT, [keys.node, keys.counts, keys.names], [socketId, userId])) === 1
          );
        }
      } catch (error) {
        failed(error, "disconnect");
      }
      needResync = true;
      return mine === 0;
    },

    async online() {
      try {
        if (client.isReady) {
          await synced();
          const names = await client.hGetAll(keys.names);
          return Object.entries(names).map(([user_id, username]) => ({ user_id, username }));
        }
      } catch (error) {
        failed(error, "list");
      }
      return localUsers();
    },

    async onlineAmong(userIds) {
      const ids = [...new Set(userIds)];
      if (ids.length === 0) return [];
      try {
        if (client.isReady) {
          await synced();
          const names = await client.hmGet(keys.names, ids);
          const found: OnlineUser[] = [];
          names.forEach((username, i) => {
            if (typeof username === "string") found.push({ user_id: ids[i]!, username });
          });
          return found;
        }
      } catch (error) {
        failed(error, "list");
      }
      const wanted = new Set(ids);
      return localUsers().filter((user) => wanted.has(user.user_id));
    },

    onUsersGone(listener) {
      goneListeners.push(listener);
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await ticking;
      await resyncing?.catch(() => undefined);
      // A goodbye: this node's remaining users are announced now, not after the expiry.
      try {
        const gone = (await run(
          REAP,
          [keys.nodes, keys.counts, keys.names],
          [keys.nodePrefix, nodeKey, "1"],
        )) as string[];
        notifyGone(gone);
      } catch (error) {
        if (!(error instanceof RedisUnavailable))
          log.warn({ err: error }, "presence: leave failed");
      }
      sockets.clear();
      perUser.clear();
    },
  };
}
