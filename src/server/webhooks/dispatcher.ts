/**
 * Sends queued outgoing-webhook deliveries (webhook_deliveries, filled by triggers in the
 * changes' own transactions). Every node runs one: it claims due items with FOR UPDATE SKIP
 * LOCKED and a lease, so one node sends each item (another only after the lease ran out, i.e.
 * a retry), and only the oldest undelivered item of each (webhook, chat) lane, so a chat's
 * deliveries go one at a time in commit order and a failing one holds back the later ones.
 *
 * Sending never slows message sending: it runs beside the send path, at most `concurrency`
 * requests at once per node, each cut off after `timeoutMs`; redirects are not followed; the
 * socket's DNS lookup refuses private addresses (addresses.ts). Results are written in batches.
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { Logger } from "pino";
import type { ChatEvents } from "../domain/events.ts";
import type { Store } from "../storage/store.ts";
import type { ClaimedDelivery, DeliveryResult } from "../storage/webhook-store.ts";
import { guardedLookup } from "./addresses.ts";
import { nextAttemptAt, type RetryPolicy } from "./backoff.ts";
import type { Sealer } from "./sealed.ts";

export interface DispatcherOptions {
  store: Store;
  sealer: Sealer;
  log: Logger;
  /** Requests in flight at once on this node. */
  concurrency: number;
  /** A request without a complete answer by then is a failure. */
  timeoutMs: number;
  /** How often the queue is looked at when nothing on this node said there is work. */
  pollMs: number;
  allowPrivate: boolean;
  retry: RetryPolicy;
}

/** Answer bytes read before a connection is dropped: only the status matters. */
const MAX_ANSWER_BYTES = 64 * 1024;
const USER_AGENT = "Charla-Webhooks/1";
/** Settled deliveries are kept this long for GET …/deliveries, then purged (hourly). */
const KEEP_SETTLED_MS = 7 * 24 * 3600_000;
const PURGE_EVERY_MS = 3600_000;

interface Outcome {
  status: number | null;
  error?: string;
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

export function createDispatcher(options: DispatcherOptions) {
  const { store, sealer, log, concurrency, timeoutMs, retry } = options;
  // A lease outlives any attempt (timeout) with room for writing its result.
  const leaseSeconds = Math.ceil((timeoutMs * 2) / 1000) + 5;
  const agentOptions = { keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency };
  const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent(agentOptions) };
  const lookup = guardedLookup(options.allowPrivate);
  const aborts = new AbortController();
  const inflight = new Set<Promise<void>>();
  const finished: DeliveryResult[] = [];
  let running = false;
  let again = false;
  let stopped = false;
  /** Whether any outgoing webhook exists: local commits wake the loop only then. */
  let hasWebhooks = true;

  async function tick(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        if (finished.length > 0) await store.webhooks.finishDeliveries(finished.splice(0));
        const free = concurrency - inflight.size;
        if (free <= 0 || stopped) break;
        const claimed = await store.webhooks.claimDeliveries(free, leaseSeconds);
        for (const delivery of claimed) start(delivery);
        // A full claim may have left more behind: look again (slots permitting).
        if (claimed.length === free) again = true;
      } while (again && !stopped);
    } catch (error) {
      log.warn({ err: error }, "webhook queue: claim or result write failed");
    } finally {
      running = false;
    }
  }

  function kick(): void {
    if (stopped) return;
    if (running) again = true;
    else setImmediate(() => void tick());
  }

  function start(delivery: ClaimedDelivery): void {
    const done = attempt(delivery)
      .then((result) => {
        finished.push(result);
      })
      .finally(() => {
        inflight.delete(done);
        kick();
      });
    inflight.add(done);
  }

  /** The payload: as stored, or for chat:created read once and kept for the retries. */
  async function dataOf(delivery: ClaimedDelivery): Promise<unknown> {
    if (delivery.data !== null) return delivery.data;
    const chat = await store.chats.get(delivery.chat_id);
    if (chat) await store.webhooks.setDeliveryData(delivery.id, chat);
    return chat ?? null;
  }

  async function attempt(delivery: ClaimedDelivery): Promise<DeliveryResult> {
    const failed = (outcome: Outcome): DeliveryResult => {
      const retryAt = stopped
        ? new Date() // shutting down: another node (or this one, restarted) takes it at once
        : nextAttemptAt(delivery.attempts, new Date(delivery.created_at), retry);
      log.info(
        {
          webhook_id: delivery.webhook_id,
          delivery_id: delivery.id,
          attempt: delivery.attempts,
          status: outcome.status,
          error: outcome.error,
          gave_up: retryAt === null,
        },
        "webhook delivery failed",
      );
      return {
        id: delivery.id,
        attempts: delivery.attempts,
        delivered: false,
        status: outcome.status,
        error: outcome.error ?? `HTTP ${outcome.status}`,
        retryAt,
      };
    };
    try {
      const data = await dataOf(delivery);
      const body = JSON.stringify({
        delivery_id: delivery.id,
        event: delivery.event,
        data,
        created_at: delivery.created_at,
      });
      const outcome = await post(new URL(delivery.url), body, {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "x-charla-signature": signature(sealer.open(delivery.secret_sealed), body),
        "x-charla-delivery": delivery.id,
        "x-charla-event": delivery.event,
      });
      if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) {
        return {
          id: delivery.id,
          attempts: delivery.attempts,
          delivered: true,
          status: outcome.status,
        };
      }
      return failed(outcome);
    } catch (error) {
      return failed({ status: null, error: error instanceof Error ? error.message : "failed" });
    }
  }

  function post(url: URL, body: string, headers: Record<string, string>): Promise<Outcome> {
    return new Promise((resolve) => {
      const client = url.protocol === "https:" ? https : http;
      const agent = url.protocol === "https:" ? agents["https:"] : agents["http:"];
      let settled = false;
      const settle = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const request = client.request(
        url,
        {
          method: "POST",
          headers: { ...headers, "content-length": Buffer.byteLength(body) },
          agent,
          lookup,
          signal: aborts.signal,
        },
        (response) => {
          let read = 0;
          response.on("data", (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) response.destroy();
          });
          response.on("end", () => settle({ status: response.statusCode ?? null }));
          response.on("close", () => settle({ status: response.statusCode ?? null }));
          response.on("error", () => settle({ status: response.statusCode ?? null }));
        },
      );
      const timer = setTimeout(() => {
        request.destroy(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      request.on("error", (error) => settle({ status: null, error: error.message }));
      request.end(body);
    });
  }

  const poller = setInterval(() => {
    if (inflight.size < concurrency) kick();
  }, options.pollMs);
  poller.unref();
  const watcher = setInterval(() => void refreshHasWebhooks(), 5000);
  watcher.unref();
  const purger = setInterval(() => {
    store.webhooks
      .purgeDeliveries(new Date(Date.now() - KEEP_SETTLED_MS), 10_000)
      .catch((error: unknown) => log.warn({ err: error }, "webhook deliveries purge"));
  }, PURGE_EVERY_MS);
  purger.unref();
  async function refreshHasWebhooks() {
    try {
      hasWebhooks = (await store.webhooks.listOutgoing()).length > 0;
    } catch {
      hasWebhooks = true;
    }
  }
  void refreshHasWebhooks();
  kick();

  let closing: Promise<void> | undefined;
  return {
    /** A change was committed on this node: deliveries may be waiting. */
    changed(): void {
      if (hasWebhooks) kick();
    },
    /** A webhook was registered here: from now on local commits wake the loop. */
    webhooksChanged(): void {
      void refreshHasWebhooks().then(kick);
    },
    /** Stops claiming, cuts requests in flight short and hands their items back. */
    close(): Promise<void> {
      return (closing ??= (async () => {
        stopped = true;
        clearInterval(poller);
        clearInterval(watcher);
        clearInterval(purger);
        aborts.abort();
        // A claim still running may start (aborted) requests: wait for those too.
        do {
          await Promise.allSettled([...inflight]);
          while (running) await new Promise((resolve) => setTimeout(resolve, 5));
        } while (inflight.size > 0);
        if (finished.length > 0) {
          await store.webhooks
            .finishDeliveries(finished.splice(0))
            .catch((error: unknown) => log.warn({ err: error }, "webhook results at close"));
        }
        agents["http:"].destroy();
        agents["https:"].destroy();
      })());
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

/**
 * The events, with the dispatcher told after each committed change that webhooks may want,
 * so a delivery leaves at once instead of at the next poll.
 */
export function wakingDispatcher(events: ChatEvents, changed: () => void): ChatEvents {
  return {
    ...events,
    messageSent(message) {
      events.messageSent(message);
      changed();
    },
    messageUpdated(message) {
      events.messageUpdated(message);
      changed();
    },
    messageDeleted(message) {
      events.messageDeleted(message);
      changed();
    },
    chatCreated(chat) {
      events.chatCreated(chat);
      changed();
    },
  };
}
