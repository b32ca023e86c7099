/**
 * Outgoing webhooks under load (issue 16): the sweep's clients and open-loop steps, each rate
 * run twice in turn, without any outgoing webhook and then with one on `message:send` that
 * POSTs every message to a receiver in this process (answering 200 at once). Measured:
 * - message throughput with the webhook against without (the sweep's rule of a sustained
 *   step: nothing refused, unacked or lost, ≥ 97 % acked, p99 under the SLO), whose ratio
 *   the issue wants ≥ 0.8: the queue is filled by a trigger in the send's own transaction,
 *   so its cost falls on the group commit;
 * - deliveries per second while the queue drains, and the lag from the message's commit
 *   (`created_at`) to its arrival at the receiver, p50/p99;
 * - that each acknowledged message arrived, none twice (no retry is expected: the receiver
 *   never fails), and each chat's in commit order (`seq` ascending per chat).
 * The webhook is deleted after each step once its queue has drained, so the next step
 * without it pays nothing of the backlog.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { GeneratorGroup } from "../lib/gen-control.ts";
import { newHistogram, percentiles, recordMs, type Percentiles } from "../lib/hist.ts";
import type { Options } from "../lib/options.ts";
import type { Seeds } from "../lib/seed.ts";
import { settleCpu, sleep } from "../lib/servers.ts";
import { clientSpecs } from "../lib/setup.ts";
import { withServer, type Target } from "../lib/targets.ts";
import { fmtStep, measureStep, type SweepStep } from "./sweep.ts";

export interface DeliveryStats {
  /** Messages acknowledged during the step: each should arrive once. */
  expected: number;
  /** Distinct deliveries that arrived (by `delivery_id`). */
  delivered: number;
  /** Arrivals of a `delivery_id` already seen. */
  duplicates: number;
  /** Arrivals whose `seq` was not above the last one seen for the same chat. */
  outOfOrder: number;
  /** From the step's start until the last delivery arrived (or the wait gave up). */
  seconds: number;
  /** Deliveries per second from the first arrival to the last. */
  perSecond: number;
  /** Arrival at the receiver minus the message's `created_at`, ms. */
  lag: Percentiles;
  complete: boolean;
}

export interface WebhookStep {
  rate: number;
  without: SweepStep;
  with: SweepStep;
  deliveries: DeliveryStats;
}

export interface WebhooksResult {
  target: Target;
  clients: number;
  room: number;
  machineLoad: string;
  steps: WebhookStep[];
  /** Highest acknowledged msg/s over the sustained steps of each side. */
  maxSustainedWithout: number;
  maxSustainedWith: number;
  /** maxSustainedWith / maxSustainedWithout; the issue asks ≥ 0.8. */
  ratio: number;
  /** Highest deliveries per second of a step. */
  maxDeliveriesPerSecond: number;
}

/** Longest wait after a step for the webhook's queue to drain. */
const DRAIN_MAX_MS = 120_000;

interface Arrival {
  deliveryId: string;
  chatId: string;
  seq: number;
  lagMs: number;
  at: number;
}

/** An HTTP receiver on 127.0.0.1 that answers 200 at once and remembers what arrived. */
async function startReceiver() {
  let arrivals: Arrival[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const at = Date.now();
      response.writeHead(200).end();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          delivery_id: string;
          event: string;
          data: { chat_id: string; seq: number; created_at: string };
        };
        if (body.event !== "message:send") return;
        arrivals.push({
          deliveryId: body.delivery_id,
          chatId: body.data.chat_id,
          seq: body.data.seq,
          lagMs: at - Date.parse(body.data.created_at),
          at,
        });
      } catch {
        // Not a delivery: nothing to count.
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    /** What arrived since the last call. */
    take(): Arrival[] {
      const taken = arrivals;
      arrivals = [];
      return taken;
    },
    count: () => arrivals.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function statsOf(arrivals: Arrival[], expected: number, startedAt: number): DeliveryStats {
  const seen = new Set<string>();
  const lastSeq = new Map<string, number>();
  const lag = newHistogram();
  let duplicates = 0;
  let outOfOrder = 0;
  for (const a of arrivals) {
    if (seen.has(a.deliveryId)) {
      duplicates++;
      continue;
    }
    seen.add(a.deliveryId);
    if ((lastSeq.get(a.chatId) ?? -1) >= a.seq) outOfOrder++;
    lastSeq.set(a.chatId, a.seq);
    recordMs(lag, Math.max(0, a.lagMs));
  }
  const first = arrivals[0]?.at ?? startedAt;
  const last = arrivals.at(-1)?.at ?? startedAt;
  return {
    expected,
    delivered: seen.size,
    duplicates,
    outOfOrder,
    seconds: (last - startedAt) / 1000,
    perSecond: last > first ? seen.size / ((last - first) / 1000) : 0,
    lag: percentiles(lag),
    complete: seen.size >= expected,
  };
}

async function api<T>(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const response = await fetch(`${base}/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json().catch(() => ({}))) as T;
  return { status: response.status, json };
}

/** A token of the server's admin: the seed's first registered account is its admin. */
async function adminToken(base: string, tokens: string[]): Promise<string> {
  for (const token of tokens) {
    const me = await api<{ role?: string }>(base, "GET", "/users/me", token);
    if (me.json.role === "admin") return token;
  }
  throw new Error("webhooks: no admin among the seeded users");
}

export async function runWebhooks(
  opts: Options,
  seeds: Seeds,
  target: Target,
  machineLoad: string,
  log: (s: string) => void,
): Promise<WebhooksResult> {
  const receiver = await startReceiver();
  try {
    return await withServer(
      opts,
      seeds,
      target,
      "webhooks",
      opts.clients,
      async (server, _startMs, fixture) => {
        log(`webhooks ${target}: ${opts.clients} clients in rooms of ${opts.room}`);
        const admin = await adminToken(
          server.url,
          fixture.users.map((u) => u.token),
        );
        const specs = clientSpecs("charla", fixture, opts.clients);
        const gens = new GeneratorGroup({
          maxPerProcess: opts.maxPerProcess,
          localAddresses: opts.localAddresses,
          perAddress: opts.perAddress,
        });
        try {
          const conn = await gens.connect(server.url, specs, { reconnection: false, track: false });
          if (conn.connected === 0) throw new Error(`webhooks ${target}: no connection`);
          log(`  connected ${conn.connected}/${specs.length} in ${conn.seconds.toFixed(1)} s`);
          await settleCpu(server, 30, 20_000);
          const load = {
            durationMs: 1000,
            drainMs: opts.drainMs,
            bodyBytes: opts.bodyBytes,
            roomSizes: conn.perChat,
          };
          await gens.load({ ...load, rate: Math.min(200, opts.rates[0] ?? 200) }); // warm-up (JIT)
          const steps: WebhookStep[] = [];
          let stopWithout = false;
          let stopWith = false;
          for (const rate of opts.rates) {
            if (stopWithout && stopWith) break;
            const without = await measureStep(server, gens, load, rate, false, opts);
            log(fmtStep("no webhook", without));
            const created = await api<{ id: string }>(server.url, "POST", "/webhooks", admin, {
              url: receiver.url,
              events: ["message:send"],
              secret: randomBytes(24).toString("hex"),
            });
            if (created.status !== 201) {
              throw new Error(
                `POST /api/webhooks -> ${created.status} ${JSON.stringify(created.json)}`,
              );
            }
            receiver.take();
            const startedAt = Date.now();
            const withHook = await measureStep(server, gens, load, rate, false, opts);
            log(fmtStep("webhook", withHook));
            const waitUntil = Date.now() + DRAIN_MAX_MS;
            while (receiver.count() < withHook.acked && Date.now() < waitUntil) await sleep(200);
            // Late duplicates would show within a poll or two.
            await sleep(1500);
            const deliveries = statsOf(receiver.take(), withHook.acked, startedAt);
            await api(server.url, "DELETE", `/webhooks/${created.json.id}`, admin);
            log(
              `  deliveries ${deliveries.delivered}/${deliveries.expected} at ${deliveries.perSecond.toFixed(0)}/s` +
                ` in ${deliveries.seconds.toFixed(1)} s, lag p50 ${deliveries.lag.p50} ms p99 ${deliveries.lag.p99} ms` +
                `, duplicates ${deliveries.duplicates}, out of order ${deliveries.outOfOrder}`,
            );
            steps.push({ rate, without, with: withHook, deliveries });
            stopWithout ||= !without.sustained;
            stopWith ||= !withHook.sustained;
          }
          const best = (side: "without" | "with") =>
            Math.max(0, ...steps.filter((s) => s[side].sustained).map((s) => s[side].ackedRate));
          const maxSustainedWithout = best("without");
          const maxSustainedWith = best("with");
          return {
            target,
            clients: opts.clients,
            room: opts.room,
            machineLoad,
            steps,
            maxSustainedWithout,
            maxSustainedWith,
            ratio: maxSustainedWithout > 0 ? maxSustainedWith / maxSustainedWithout : 0,
            maxDeliveriesPerSecond: Math.max(0, ...steps.map((s) => s.deliveries.perSecond)),
          };
        } finally {
          await gens.close();
        }
      },
      { WEBHOOK_ALLOW_PRIVATE: "1" },
    );
  } finally {
    await receiver.close();
  }
}

/** The scenario's table for the run's `.md`. */
export function webhooksMarkdown(r: WebhooksResult): string {
  const rows = r.steps.map(
    (s) =>
      `| ${s.rate} | ${s.without.ackedRate.toFixed(0)}${s.without.sustained ? "" : " ✗"} | ${s.without.latency.p99} | ` +
      `${s.with.ackedRate.toFixed(0)}${s.with.sustained ? "" : " ✗"} | ${s.with.latency.p99} | ` +
      `${s.deliveries.delivered}/${s.deliveries.expected} | ${s.deliveries.perSecond.toFixed(0)} | ` +
      `${s.deliveries.lag.p50} / ${s.deliveries.lag.p99} | ${s.deliveries.duplicates} | ${s.deliveries.outOfOrder} |`,
  );
  return [
    `## Outgoing webhooks (${r.target}, ${r.clients} clients, rooms of ${r.room}; ${r.machineLoad})`,
    "",
    `Sustained msg/s without a webhook ${r.maxSustainedWithout.toFixed(0)}, with one on every message ${r.maxSustainedWith.toFixed(0)}: ratio **${r.ratio.toFixed(2)}** (goal ≥ 0.8). Deliveries at most ${r.maxDeliveriesPerSecond.toFixed(0)}/s.`,
    "",
    "| offered msg/s | acked without | p99 ms | acked with | p99 ms | delivered | deliveries/s | lag p50 / p99 ms | twice | out of order |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
  ].join("\n");
}
