/** Messages between the orchestrator and its generator processes (Node IPC). */
import type { WireProtocol } from "./connection.ts";
import type { ClientSpec } from "./setup.ts";

export interface ConnectCmd {
  cmd: "connect";
  /** Default "socket.io"; "xmpp" takes each spec's `auth` as an `XmppAuth`. */
  protocol?: WireProtocol;
  url: string;
  specs: ClientSpec[];
  /** Source addresses to spread connections over (each 127.0.0.x): past one address's ports. */
  localAddresses: string[];
  perAddress: number;
  /** How many clients this generator already holds (picks the address with `perAddress`). */
  firstIndex: number;
  concurrency: number;
  /** Socket.IO client auto-reconnection (on for the reconnect storm). */
  reconnection: boolean;
  /** Keep every seq seen per client, for the loss check of the storm. */
  track: boolean;
}

export interface ConnectResult {
  connected: number;
  /** Live sockets per chat id held by the process(es) after connecting. */
  perChat: Record<string, number>;
  failed: number;
  errors: Record<string, number>;
  seconds: number;
}

export interface LoadCmd {
  cmd: "load";
  step: number;
  /** Messages per second this generator offers (open loop). */
  rate: number;
  durationMs: number;
  /** Longest wait after the last send for acks and deliveries to settle. */
  drainMs: number;
  bodyBytes: number;
  /** Bodies of words (as people write) instead of one run of "x": what a search index sees. */
  bodyWords?: boolean;
  /** Live sockets per chat id over all generators: deliveries expected per acked message. */
  roomSizes: Record<string, number>;
  /** Stop early when told by a `stop` command (storm traffic). */
  untilStopped?: boolean;
}

export interface LoadResult {
  step: number;
  offered: number;
  sent: number;
  skipped: number;
  acked: number;
  errors: Record<string, number>;
  unacked: number;
  expected: number;
  delivered: number;
  /** Deliveries of this step counted by this process (maybe sent by another generator). */
  sendSeconds: number;
  /** Worst lag of the sending timer behind its schedule, ms: the generator's own saturation. */
  maxScheduleLagMs: number;
  latency: string;
  ackLatency: string;
  cpuSeconds: number;
  /** Per chat id, the seqs acknowledged in this step (storm loss check only). */
  ackedSeqs?: Record<string, number[]>;
}

export interface StormStartCmd {
  cmd: "storm-start";
  /** "drop": close every client's transport now; "wait": the orchestrator restarts the server. */
  mode: "drop" | "wait";
  syncLimit: number;
  /**
   * Only the clients connected to this URL take part (a node killed under them); the others
   * count as caught up already, so the loss check covers what they received live.
   */
  onlyUrl?: string;
}

export interface StormWaitCmd {
  cmd: "storm-wait";
  timeoutMs: number;
}

export interface StormResult {
  clients: number;
  reconnected: number;
  synced: number;
  /** The clients of the node that went away (all of them without one), and how many are back. */
  targeted: number;
  targetedSynced: number;
  /** Seconds from the storm's start to the last reconnect / to the last completed sync. */
  lastReconnectS: number;
  lastSyncS: number;
  syncTimes: string;
  syncErrors: Record<string, number>;
  syncedMessages: number;
  /** Failed reconnect attempts by the engine's error message. */
  reconnectErrors: Record<string, number>;
  /** Clients by the attempt (1, 2, …) at which they came back. */
  attemptsToReconnect: Record<string, number>;
}

export interface VerifyCmd {
  cmd: "verify";
  ackedSeqs: Record<string, number[]>;
}

export interface VerifyResult {
  clients: number;
  checked: number;
  missing: number;
  clientsMissing: number;
}

export type GeneratorCmd =
  | ConnectCmd
  | LoadCmd
  | { cmd: "stop" }
  | StormStartCmd
  | StormWaitCmd
  | VerifyCmd
  | { cmd: "close" };

export type Reply =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
