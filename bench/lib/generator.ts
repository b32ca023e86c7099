/**
 * A load-generator process (forked by `gen-control.ts`): holds many connections, either
 * `socket.io-client` ones (websocket transport only, one Manager each: Charla and the
 * baseline) or XMPP ones (`xmpp-driver.ts`: Prosody, ejabberd), sends on an open-loop
 * schedule, and measures send→receive latency from the intended send time carried in each
 * message body, so that a slow server cannot slow the offered load (no coordinated omission).
 */
import { io, type Socket } from "socket.io-client";
import type {
  Ack,
  ClientToServerEvents,
  Message,
  ServerToClientEvents,
  SyncResult,
} from "@charla/protocol";
import { bodyIntendedMs, bodyStep, type BenchConnection } from "./connection.ts";
import { encode, newHistogram, recordMs, type Histogram } from "./hist.ts";
import type {
  ConnectCmd,
  ConnectResult,
  GeneratorCmd,
  LoadCmd,
  LoadResult,
  Reply,
  StormResult,
  StormStartCmd,
  VerifyResult,
} from "./protocol.ts";
import { openXmpp, type XmppAuth } from "./xmpp-driver.ts";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Client {
  conn: BenchConnection;
  /** Socket.IO clients only: the reconnect storm's catch-up speaks Charla's protocol. */
  socket: ClientSocket | undefined;
  chatId: string;
  /** The node this client is connected (or reconnecting) to. */
  url: string;
  /** Seqs seen live or through `sync` (storm only). */
  seen: Set<number> | undefined;
  /**
   * Highest change_seq below which this client has seen everything of its chat: advanced by
   * contiguous live messages and by completed syncs, so a gap is never skipped.
   */
  safe: number;
  /** Bumped on every (re)connect; a sync only counts for the connection that asked for it. */
  epoch: number;
  epochAtStorm: number;
  /** On the node the storm takes away (every client when it takes them all). */
  targeted: boolean;
  reconnectedAt: number | undefined;
  syncedAt: number | undefined;
}

interface StepState {
  step: number;
  delivered: number;
  latency: Histogram;
}

/** Wall-clock ms with sub-ms precision, comparable across processes on one machine. */
const now = (): number => performance.timeOrigin + performance.now();

const clients: Client[] = [];
let current: StepState | undefined;
let stopRequested = false;
/** The storm under way: what storm-wait reports, gathered as it happens. */
let storm:
  | ({ t0: number; syncLimit: number; errors: Record<string, number>; messages: number } & Pick<
      StormResult,
      "reconnectErrors" | "attemptsToReconnect"
    >)
  | undefined;
let stormSyncTimes: Histogram = newHistogram();

/** A message body arrived at one client: a delivery of the current step, or not ours. */
function onBody(body: string): void {
  if (current === undefined || bodyStep(body) !== current.step) return;
  current.delivered++;
  recordMs(current.latency, now() - bodyIntendedMs(body));
}

function onMessage(c: Client, m: Message): void {
  if (c.seen) {
    c.seen.add(m.seq);
    if (m.change_seq === c.safe + 1) c.safe = m.change_seq;
  }
  onBody(m.body);
}

/** `socket.io-client` behind the generator's connection interface. */
function socketConnection(socket: ClientSocket, chatId: string): BenchConnection {
  return {
    get connected() {
      return socket.connected;
    },
    send(body, onAck) {
      socket.emit("message:send", { chat_id: chatId, body }, (res) =>
        onAck(res.ok ? { ok: true, seq: res.message.seq } : { ok: false, code: res.error.code }),
      );
    },
    close() {
      socket.close();
    },
  };
}

/** Catch-up after a (re)connect, from `from`, page by page, retried while connected. */
function sync(c: Client, from: number, epoch: number): void {
  const s = storm;
  const socket = c.socket;
  if (!s || !socket || epoch !== c.epoch) return;
  let answered = false;
  const retry = (code: string): void => {
    s.errors[code] = (s.errors[code] ?? 0) + 1;
    if (socket.connected) setTimeout(() => sync(c, from, epoch), 200);
  };
  const timer = setTimeout(() => {
    if (!answered) retry("TIMEOUT");
  }, 30_000);
  socket.emit(
    "sync",
    { chats: [{ chat_id: c.chatId, after_change_seq: from }], limit: s.syncLimit },
    (res: Ack<SyncResult>) => {
      answered = true;
      clearTimeout(timer);
      if (!res.ok) {
        retry(res.error.code);
        return;
      }
      let last = from;
      let more = false;
      for (const chat of res.chats) {
        for (const m of chat.messages) {
          s.messages++;
          c.seen?.add(m.seq);
          if (m.change_seq > last) last = m.change_seq;
        }
        more ||= chat.has_more;
      }
      if (more) {
        sync(c, last, epoch);
        return;
      }
      if (last > c.safe) c.safe = last;
      if (epoch !== c.epoch) return;
      c.syncedAt = now();
      recordMs(stormSyncTimes, c.syncedAt - s.t0);
    },
  );
}

async function connect(cmd: ConnectCmd): Promise<ConnectResult> {
  const t0 = performance.now();
  const errors: Record<string, number> = {};
  let connected = 0;
  let failed = 0;
  let next = 0;
  const newClient = (conn: BenchConnection, chatId: string, url = cmd.url): Client => ({
    conn,
    socket: undefined,
    chatId,
    url,
    seen: cmd.track ? new Set() : undefined,
    safe: 0,
    epoch: 0,
    epochAtStorm: 0,
    targeted: false,
    reconnectedAt: undefined,
    syncedAt: undefined,
  });
  const settled = (c: Client | undefined, err?: string): void => {
    if (err === undefined && c) {
      connected++;
      clients.push(c);
    } else {
      failed++;
      const key = err ?? "unknown";
      errors[key] = (errors[key] ?? 0) + 1;
      c?.conn.close();
    }
  };
  const oneXmpp = async (i: number): Promise<void> => {
    const spec = cmd.specs[i]!;
    let timer: NodeJS.Timeout | undefined;
    try {
      const conn = await Promise.race([
        openXmpp(spec.auth as unknown as XmppAuth, onBody),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("connect timeout")), 60_000);
        }),
      ]);
      settled(newClient(conn, spec.chatId));
    } catch (e) {
      settled(undefined, e instanceof Error ? e.message : String(e));
    } finally {
      clearTimeout(timer);
    }
  };
  const oneSocketIo = (i: number): Promise<void> => {
    const spec = cmd.specs[i]!;
    const global = cmd.firstIndex + i;
    const localAddress =
      cmd.localAddresses[Math.floor(global / cmd.perAddress) % cmd.localAddresses.length];
    const urls = spec.urls ?? [cmd.url];
    const socket: ClientSocket = io(urls[0]!, {
      auth: spec.auth,
      transports: ["websocket"],
      forceNew: true,
      reconnection: cmd.reconnection,
      // A first connect may queue behind thousands of others; a reconnect uses the client's
      // default (20 s), as Charla's client library does.
      timeout: cmd.reconnection ? 20_000 : 60_000,
      ...(localAddress ? { localAddress } : {}),
    });
    const c = newClient(socketConnection(socket, spec.chatId), spec.chatId, urls[0]);
    c.socket = socket;
    if (urls.length > 1) {
      // The Manager opens its next engine on `uri`: each attempt tries the next node.
      let at = 0;
      socket.io.on("reconnect_attempt", () => {
        c.url = urls[++at % urls.length]!;
        (socket.io as unknown as { uri: string }).uri = c.url;
      });
    }
    socket.on("message:send", (m) => onMessage(c, m));
    // Why a storm takes the time it takes: attempts that failed, and at which one each came back.
    socket.io.on("reconnect_error", (e) => {
      if (storm) storm.reconnectErrors[e.message] = (storm.reconnectErrors[e.message] ?? 0) + 1;
    });
    socket.io.on("reconnect", (attempt) => {
      if (storm) storm.attemptsToReconnect[attempt] = (storm.attemptsToReconnect[attempt] ?? 0) + 1;
    });
    socket.on("connect", () => {
      c.epoch++;
      c.syncedAt = undefined;
      // Every reconnect during a storm catches up, including one to a server that was
      // itself about to stop: only the sync of the latest connection counts.
      if (storm) {
        c.reconnectedAt = now();
        sync(c, c.safe, c.epoch);
      }
    });
    return new Promise<void>((resolve) => {
      const done = (err?: string): void => {
        socket.off("connect", ok);
        socket.off("connect_error", bad);
        clearTimeout(timer);
        settled(c, err);
        resolve();
      };
      const ok = (): void => done();
      const bad = (e: Error): void => done(e.message);
      const timer = setTimeout(() => done("connect timeout"), 60_000);
      socket.once("connect", ok);
      socket.once("connect_error", bad);
    });
  };
  const one = cmd.protocol === "xmpp" ? oneXmpp : oneSocketIo;
  await Promise.all(
    Array.from({ length: Math.min(cmd.concurrency, cmd.specs.length) }, async () => {
      while (next < cmd.specs.length) await one(next++);
    }),
  );
  const perChat: Record<string, number> = {};
  for (const c of clients) perChat[c.chatId] = (perChat[c.chatId] ?? 0) + 1;
  return { connected, perChat, failed, errors, seconds: (performance.now() - t0) / 1000 };
}

async function load(cmd: LoadCmd): Promise<LoadResult> {
  const state: StepState = { step: cmd.step, delivered: 0, latency: newHistogram() };
  current = state;
  stopRequested = false;
  const ackLatency = newHistogram();
  const errors: Record<string, number> = {};
  const ackedSeqs: Record<string, number[]> = {};
  let sent = 0;
  let skipped = 0;
  let acked = 0;
  let pending = 0;
  let expected = 0;
  let maxLag = 0;
  let rr = 0;
  const cpu0 = process.cpuUsage();
  const total = cmd.untilStopped ? Infinity : Math.round((cmd.rate * cmd.durationMs) / 1000);
  const padBytes = Math.max(0, cmd.bodyBytes - 30);
  const pads = cmd.bodyWords ? wordPads(padBytes) : ["x".repeat(padBytes)];
  const start = now();

  const sendOne = (intended: number): void => {
    // Round-robin over clients, skipping those that are not connected right now.
    for (let tries = 0; tries < clients.length; tries++) {
      const c = clients[rr++ % clients.length]!;
      if (!c.conn.connected) continue;
      pending++;
      sent++;
      const body = `b|${cmd.step}|${intended.toFixed(3)}|${pads[sent % pads.length]}`;
      c.conn.send(body, (res) => {
        pending--;
        if (res.ok) {
          acked++;
          expected += cmd.roomSizes[c.chatId] ?? 0;
          recordMs(ackLatency, now() - intended);
          if (c.seen && res.seq !== undefined) (ackedSeqs[c.chatId] ??= []).push(res.seq);
        } else {
          errors[res.code] = (errors[res.code] ?? 0) + 1;
        }
      });
      return;
    }
    skipped++;
  };

  await new Promise<void>((resolve) => {
    let scheduled = 0;
    const tick = (): void => {
      const t = now();
      const due = Math.min(total, Math.floor(((t - start) * cmd.rate) / 1000) + 1);
      while (scheduled < due) {
        const intended = start + (scheduled * 1000) / cmd.rate;
        maxLag = Math.max(maxLag, t - intended);
        scheduled++;
        sendOne(intended);
      }
      if (scheduled >= total || stopRequested) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 1);
  });
  const sendSeconds = (now() - start) / 1000;

  // Drain: until acks are in and deliveries stop arriving, bounded by drainMs.
  const drainEnd = performance.now() + cmd.drainMs;
  let last = -1;
  let stableSince = performance.now();
  while (performance.now() < drainEnd) {
    await new Promise((r) => setTimeout(r, 50));
    if (state.delivered !== last) {
      last = state.delivered;
      stableSince = performance.now();
    }
    const settled = pending === 0 && (state.delivered >= expected || clients.length === 0);
    if (settled && performance.now() - stableSince > 300) break;
    if (pending === 0 && performance.now() - stableSince > 1500) break;
  }
  current = undefined;
  const cpu = process.cpuUsage(cpu0);
  return {
    step: cmd.step,
    offered: cmd.rate,
    sent,
    skipped,
    acked,
    errors,
    unacked: pending,
    expected,
    delivered: state.delivered,
    sendSeconds,
    maxScheduleLagMs: Math.round(maxLag),
    latency: encode(state.latency),
    ackLatency: encode(ackLatency),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    ...(clients[0]?.seen ? { ackedSeqs } : {}),
  };
}

function stormStart(cmd: StormStartCmd): { clients: number } {
  storm = {
    t0: now(),
    syncLimit: cmd.syncLimit,
    errors: {},
    messages: 0,
    reconnectErrors: {},
    attemptsToReconnect: {},
  };
  stormSyncTimes = newHistogram();
  for (const c of clients) {
    c.reconnectedAt = undefined;
    c.syncedAt = undefined;
    c.epochAtStorm = c.epoch;
    c.targeted = cmd.onlyUrl === undefined || c.url === cmd.onlyUrl;
    if (cmd.onlyUrl !== undefined && c.url !== cmd.onlyUrl) {
      // Not on the node that goes away: back (it never left) and caught up (live).
      c.epochAtStorm = c.epoch - 1;
      c.syncedAt = storm.t0;
    }
  }
  // Closing the engine (not `socket.disconnect()`) looks like a network cut to the client,
  // which then reconnects with its usual backoff, as after a server restart.
  if (cmd.mode === "drop") for (const c of clients) c.socket?.io.engine?.close();
  return { clients: clients.length };
}

async function stormWait(timeoutMs: number): Promise<StormResult> {
  const s = storm;
  if (!s) throw new Error("no storm started");
  const deadline = performance.now() + timeoutMs;
  const back = (c: Client): boolean =>
    c.epoch > c.epochAtStorm && c.syncedAt !== undefined && c.conn.connected;
  const count = () => clients.filter(back).length;
  while (performance.now() < deadline && count() < clients.length) {
    await new Promise((r) => setTimeout(r, 50));
  }
  let lastReconnect = 0;
  let lastSync = 0;
  let reconnected = 0;
  for (const c of clients) {
    if (c.reconnectedAt !== undefined) {
      reconnected++;
      lastReconnect = Math.max(lastReconnect, c.reconnectedAt - s.t0);
    }
    if (c.syncedAt !== undefined) lastSync = Math.max(lastSync, c.syncedAt - s.t0);
  }
  const result: StormResult = {
    clients: clients.length,
    reconnected,
    synced: count(),
    targeted: clients.filter((c) => c.targeted).length,
    targetedSynced: clients.filter((c) => c.targeted && back(c)).length,
    lastReconnectS: lastReconnect / 1000,
    lastSyncS: lastSync / 1000,
    syncTimes: encode(stormSyncTimes),
    syncErrors: s.errors,
    syncedMessages: s.messages,
    reconnectErrors: s.reconnectErrors,
    attemptsToReconnect: s.attemptsToReconnect,
  };
  storm = undefined;
  return result;
}

function verify(ackedSeqs: Record<string, number[]>): VerifyResult {
  let checked = 0;
  let missing = 0;
  let clientsMissing = 0;
  for (const c of clients) {
    // A client that never caught up is reported as such by storm-wait, not as loss here.
    if (c.syncedAt === undefined || !c.conn.connected) continue;
    let miss = 0;
    for (const seq of ackedSeqs[c.chatId] ?? []) {
      checked++;
      if (!c.seen?.has(seq)) miss++;
    }
    missing += miss;
    if (miss > 0) clientsMissing++;
  }
  return { clients: clients.length, checked, missing, clientsMissing };
}

async function handle(msg: GeneratorCmd): Promise<unknown> {
  switch (msg.cmd) {
    case "connect":
      return connect(msg);
    case "load":
      return load(msg);
    case "stop":
      stopRequested = true;
      return {};
    case "storm-start":
      return stormStart(msg);
    case "storm-wait":
      return stormWait(msg.timeoutMs);
    case "verify":
      return verify(msg.ackedSeqs);
    case "close":
      for (const c of clients) c.conn.close();
      clients.length = 0;
      setTimeout(() => process.exit(0), 100);
      return {};
  }
}

process.on("message", (raw: unknown) => {
  const { id, ...msg } = raw as { id: number } & GeneratorCmd;
  handle(msg as GeneratorCmd).then(
    (result) => process.send?.({ id, ok: true, result } satisfies Reply),
    (err: unknown) => process.send?.({ id, ok: false, error: String(err) } satisfies Reply),
  );
});
// Never outlive the orchestrator.
process.on("disconnect", () => process.exit(0));

/**
 * 256 fillers of `bytes` bytes, each of words drawn from 2,000 made-up ones with a steep skew
 * (a few common, most rare, as in bench/scenarios/search.ts), so that a search index takes
 * apart about as many words per message as people write, not one run of "x".
 */
function wordPads(bytes: number): string[] {
  const syllables = ["ca", "sa", "me", "lo", "ti", "na", "ro", "de", "mu", "pe", "chi", "va"];
  const vocabulary = Array.from({ length: 2000 }, (_, i) => {
    let w = "";
    for (let n = i + 1; n > 0; n = Math.floor(n / syllables.length)) {
      w += syllables[n % syllables.length];
    }
    return w;
  });
  let seed = 42;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: 256 }, () => {
    let pad = "";
    while (pad.length < bytes) {
      pad += `${vocabulary[Math.floor(random() ** 3 * vocabulary.length)]} `;
    }
    return pad.slice(0, bytes);
  });
}
