/**
 * What the load generator needs from one client connection, whatever the protocol: whether
 * it can send right now, a send with its acknowledgement, and a way to close it. Deliveries
 * come back through the `onBody` callback each driver is opened with.
 */

/**
 * A send's outcome. Socket.IO (Charla, baseline): the command's ack. XMPP: the room's
 * reflection of the message to its sender, with the archive's stanza id (persisted).
 */
export type SendAck = { ok: true; seq?: number } | { ok: false; code: string };

export interface BenchConnection {
  readonly connected: boolean;
  send(body: string, onAck: (ack: SendAck) => void): void;
  close(): void;
}

/** Which driver a generator opens its connections with. */
export type WireProtocol = "socket.io" | "xmpp";

/** Bench bodies are `b|<step>|<intended send time>|<padding>`: the step, or NaN if foreign. */
export function bodyStep(body: string): number {
  if (body.charCodeAt(0) !== 98 || body.charCodeAt(1) !== 124) return NaN;
  return Number(body.slice(2, body.indexOf("|", 2)));
}

/** The intended send time carried in a bench body (ms, wall clock). */
export function bodyIntendedMs(body: string): number {
  const i1 = body.indexOf("|", 2);
  return Number(body.slice(i1 + 1, body.indexOf("|", i1 + 1)));
}
