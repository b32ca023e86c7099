/**
 * The load generator's XMPP driver (`@xmpp/client`): c2s over TCP, SASL PLAIN, resource
 * binding, then a join of the client's MUC room. Messages are `groupchat` stanzas to the
 * room; the room's reflection to the sender is the acknowledgement, and it counts as
 * persisted only when it carries the archive's `<stanza-id by=room>` (mod_muc_mam adds it
 * after storing the message, before the room broadcasts it).
 */
import { client, xml, type Element, type XmppClient } from "@xmpp/client";
import type { BenchConnection, SendAck } from "./connection.ts";

/** An XMPP client spec's `auth`: who logs in where, and which room they join. */
export interface XmppAuth {
  /** `xmpp://127.0.0.1:<port>` */
  service: string;
  domain: string;
  username: string;
  password: string;
  /** Bare JID of the MUC room, e.g. `r12@rooms.bench.localhost`. */
  room: string;
}

const NS_MUC = "http://jabber.org/protocol/muc";
const NS_MUC_USER = "http://jabber.org/protocol/muc#user";
const NS_STANZA_ID = "urn:xmpp:sid:0";
const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/** The defined condition of an error stanza (`item-not-found`, …), for the error counts. */
export function errorCondition(stanza: Element): string {
  const error = stanza.getChild("error");
  const condition = error?.children.find(
    (c): c is Element => typeof c !== "string" && c.attrs.xmlns === NS_STANZAS,
  );
  return condition?.name ?? "xmpp-error";
}

/** True for the room's presence about ourselves (status 110): the join is complete. */
export function isSelfPresence(stanza: Element): boolean {
  const x = stanza.getChild("x", NS_MUC_USER);
  return x?.getChildren("status").some((s) => s.attrs.code === "110") ?? false;
}

class XmppConnection implements BenchConnection {
  private readonly xmpp: XmppClient;
  private readonly auth: XmppAuth;
  private readonly occupant: string;
  private readonly pending = new Map<string, (ack: SendAck) => void>();
  private nextId = 0;
  private joined = false;

  constructor(auth: XmppAuth, onBody: (body: string) => void) {
    this.auth = auth;
    this.occupant = `${auth.room}/${auth.username}`;
    this.xmpp = client({
      service: auth.service,
      domain: auth.domain,
      resource: "bench",
      // Each step of opening a stream waits up to this (default 2 s); under a burst of
      // logins a busy server answers later, and the generator's own 60 s limit applies.
      timeout: 60_000,
      // PLAIN without TLS: the library only picks it by itself on a secure connection, and
      // the server under test listens on loopback only.
      credentials: (authenticate) =>
        authenticate({ username: auth.username, password: auth.password }, "PLAIN"),
    });
    // A benchmark connection that drops stays dropped: it is counted, not repaired.
    this.xmpp.reconnect.stop();
    this.xmpp.on("error", () => undefined);
    this.xmpp.on("stanza", (s: Element) => {
      if (s.name !== "message") return;
      const id = s.attrs.id;
      if (s.attrs.type === "error") {
        this.settle(id, { ok: false, code: errorCondition(s) });
        return;
      }
      const body = s.getChildText("body");
      if (body === null) return;
      onBody(body);
      if (s.attrs.from !== this.occupant) return;
      const archived = s.getChild("stanza-id", NS_STANZA_ID)?.attrs.by === this.auth.room;
      this.settle(id, archived ? { ok: true } : { ok: false, code: "NOT_ARCHIVED" });
    });
  }

  get connected(): boolean {
    return this.joined && this.xmpp.status === "online";
  }

  /** Logs in, binds a resource and joins the room (without its history). */
  async open(): Promise<void> {
    // What `start()` does, minus its flaw: it waits for "online" through a promise made
    // before the stream opens, which nobody awaits when opening fails (a reset connection
    // then ends the process as an unhandled rejection).
    const online = new Promise<void>((resolve, reject) => {
      this.xmpp.once("online", () => resolve());
      this.xmpp.once("error", reject);
    });
    online.catch(() => undefined);
    await this.xmpp.connect(this.auth.service);
    await this.xmpp.open({ domain: this.auth.domain });
    await online;
    const joined = new Promise<void>((resolve, reject) => {
      const onStanza = (s: Element): void => {
        if (s.name !== "presence" || s.attrs.from !== this.occupant) return;
        this.xmpp.off("stanza", onStanza);
        if (s.attrs.type === "error") reject(new Error(`join: ${errorCondition(s)}`));
        else if (isSelfPresence(s)) resolve();
        else reject(new Error("join: unexpected presence"));
      };
      this.xmpp.on("stanza", onStanza);
    });
    await this.xmpp.send(
      xml(
        "presence",
        { to: this.occupant },
        xml("x", { xmlns: NS_MUC }, xml("history", { maxstanzas: "0" })),
      ),
    );
    await joined;
    this.joined = true;
  }

  send(body: string, onAck: (ack: SendAck) => void): void {
    const id = `m${this.nextId++}`;
    this.pending.set(id, onAck);
    this.xmpp
      .send(xml("message", { to: this.auth.room, type: "groupchat", id }, xml("body", {}, body)))
      .catch(() => this.settle(id, { ok: false, code: "SEND_FAILED" }));
  }

  private settle(id: string | undefined, ack: SendAck): void {
    if (id === undefined) return;
    const onAck = this.pending.get(id);
    if (!onAck) return;
    this.pending.delete(id);
    onAck(ack);
  }

  close(): void {
    this.joined = false;
    this.xmpp.stop().catch(() => undefined);
  }
}

/** Connects, logs in and joins; rejects with a short reason when any of it fails. */
export async function openXmpp(
  auth: XmppAuth,
  onBody: (body: string) => void,
): Promise<BenchConnection> {
  const conn = new XmppConnection(auth, onBody);
  try {
    await conn.open();
  } catch (e) {
    conn.close();
    throw e;
  }
  return conn;
}
