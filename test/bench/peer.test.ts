/**
 * The peer scenario's pure logic, without Prosody: the rendered config, the XMPP clients'
 * specs, how stanzas are read, and the ratios and tables taken from runs.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { xml } from "@xmpp/client";
import { bodyIntendedMs, bodyStep } from "../../bench/lib/connection.ts";
import { computePeerRatios, moderateRate, peerMarkdown } from "../../bench/lib/peer-report.ts";
import { renderProsodyConfig } from "../../bench/lib/prosody.ts";
import { xmppSpecs } from "../../bench/lib/xmpp-fixture.ts";
import { errorCondition, isSelfPresence, type XmppAuth } from "../../bench/lib/xmpp-driver.ts";
import type { PeerResults, PeerRun } from "../../bench/scenarios/peer.ts";
import type { SweepStep } from "../../bench/scenarios/sweep.ts";

test("the Prosody config listens on loopback only and stores on the database it is given", () => {
  const cfg = renderProsodyConfig({
    dir: "/tmp/x",
    c2sPort: 40001,
    logFile: "/tmp/x/p.log",
    storage: "sql",
    database: { name: "charla_bench_prosody_ab", host: "127.0.0.1", port: 5432, user: "root" },
  });
  assert.doesNotMatch(cfg, /\{\{/);
  assert.match(cfg, /^c2s_ports = \{ 40001 \}$/m);
  assert.match(cfg, /^c2s_interfaces = \{ "127\.0\.0\.1" \}$/m);
  assert.match(cfg, /^modules_disabled = \{ "s2s", "offline" \}$/m);
  assert.match(cfg, /database = "charla_bench_prosody_ab", host = "127\.0\.0\.1", port = 5432/);
  assert.match(cfg, /^ {2}modules_enabled = \{ "muc_mam" \}$/m);
  assert.match(cfg, /^ {2}muc_log_all_rooms = true$/m);
  const internal = renderProsodyConfig({
    dir: "/tmp/x",
    c2sPort: 1,
    logFile: "/tmp/x/p.log",
    storage: "internal",
  });
  assert.match(internal, /^storage = "internal"$/m);
  assert.doesNotMatch(internal, /PostgreSQL/);
});

test("XMPP clients are one user each, ten to a room, on the server's port", () => {
  const specs = xmppSpecs(40001, 25, 10, 25);
  assert.equal(specs.length, 25);
  const auth = (k: number) => specs[k]!.auth as unknown as XmppAuth;
  assert.equal(auth(0).service, "xmpp://127.0.0.1:40001");
  assert.equal(auth(9).room, auth(0).room);
  assert.notEqual(auth(10).room, auth(9).room);
  assert.equal(auth(24).room, "r2@rooms.bench.localhost");
  assert.equal(new Set(specs.map((s) => s.userId)).size, 25);
  assert.equal(specs[24]!.chatId, auth(24).room);
});

test("bench bodies carry their step and intended send time; other bodies are ignored", () => {
  assert.equal(bodyStep("b|7|1234.500|xxxx"), 7);
  assert.equal(bodyIntendedMs("b|7|1234.500|xxxx"), 1234.5);
  assert.ok(Number.isNaN(bodyStep("hello|7|1")));
});

test("stanzas: the room's self-presence completes a join; errors name their condition", () => {
  const self = xml(
    "presence",
    { from: "r0@rooms/u0" },
    xml(
      "x",
      { xmlns: "http://jabber.org/protocol/muc#user" },
      xml("status", { code: "201" }),
      xml("status", { code: "110" }),
    ),
  );
  const other = xml(
    "presence",
    { from: "r0@rooms/u1" },
    xml(
      "x",
      { xmlns: "http://jabber.org/protocol/muc#user" },
      xml("item", { role: "participant" }),
    ),
  );
  assert.equal(isSelfPresence(self), true);
  assert.equal(isSelfPresence(other), false);
  const error = xml(
    "message",
    { type: "error" },
    xml(
      "error",
      { type: "cancel" },
      xml("not-acceptable", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" }),
      xml("text", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" }, "Only occupants"),
    ),
  );
  assert.equal(errorCondition(error), "not-acceptable");
  assert.equal(errorCondition(xml("message", { type: "error" })), "xmpp-error");
});

function step(offered: number, p99: number, sustained: boolean, cpuUsPerMsg = 100): SweepStep {
  const latency = { count: 1, p50: p99 / 4, p90: p99 / 2, p99, p999: p99, max: p99, mean: 1 };
  return {
    offered,
    seconds: 4,
    sent: offered * 4,
    skipped: 0,
    acked: offered * 4,
    ackedRate: offered,
    errors: {},
    unacked: 0,
    expected: offered * 40,
    delivered: offered * 40,
    lost: 0,
    deliveredRate: offered * 10,
    latency,
    ackLatency: latency,
    maxScheduleLagMs: 1,
    generatorCpuPct: 10,
    serverCpuPct: 50,
    serverRssMB: 100,
    cpuUsPerMsg,
    postgresCpuPct: 10,
    otherCpuPct: 0,
    retried: false,
    sustained,
    generatorBound: false,
  };
}

function run(server: string, round: number, connectSeconds: number, steps: SweepStep[]): PeerRun {
  const ok = steps.filter((s) => s.sustained);
  const top = Math.max(0, ...ok.map((s) => s.ackedRate));
  return {
    server,
    round,
    clients: 2000,
    room: 10,
    startMs: 100,
    setupSeconds: 1,
    connectSeconds,
    connectFailed: 0,
    connectErrors: {},
    connectServerCpuPct: 50,
    connectPostgresCpuPct: 10,
    connectGeneratorCpuPct: 40,
    connectOtherCpuPct: 5,
    rssEmptyMB: 100,
    rssIdleMB: 140,
    rssPerIdleConnKB: 20,
    steps,
    maxSustained: top,
    maxSustainedDeliveries: top * 10,
    peakAcked: top,
    cpuUsPerMsg: 100,
    saturatedAt: null,
  };
}

test("peer ratios use each server's best round and the moderate rate both reached", () => {
  assert.equal(moderateRate([100, 200, 300, 500, 750, 1000], 1000), 500);
  assert.equal(moderateRate([100, 200], 50), 100);
  const res: PeerResults = {
    clients: 2000,
    room: 10,
    rates: [100, 200, 300, 500, 750, 1000, 1500, 2000, 3000],
    servers: [
      { server: "charla-pg", version: "x", storage: "PostgreSQL" },
      { server: "prosody", version: "0.12.3", storage: "PostgreSQL via LuaDBI" },
    ],
    machineLoad: "quiet",
    runs: [
      run("charla-pg", 1, 6, [
        step(500, 30, true, 300),
        step(1000, 40, true, 200),
        step(3000, 2000, false),
      ]),
      run("prosody", 1, 4, [step(500, 80, true, 900), step(1000, 3000, false)]),
      run("charla-pg", 2, 5, [
        step(500, 20, true),
        step(1000, 50, true),
        step(2000, 60, true),
        step(3000, 2000, false),
      ]),
      run("prosody", 2, 3, [step(500, 60, true), step(750, 90, true), step(1000, 3000, false)]),
    ],
  };
  const q = computePeerRatios(res, "charla-pg", "prosody");
  assert.equal(q.throughput, 2000 / 750);
  assert.deepEqual(q.throughputByRound, [1000 / 500, 2000 / 750]);
  // Half of the slower server's best (750) is 375: the ladder's 300.
  assert.equal(q.moderateRate, 300);
  assert.equal(q.p99AtModerate, null, "no step at 300 in these runs");
  assert.equal(q.connect, 5 / 3);
  assert.ok(q.cpuCost !== null && q.cpuCost > 0);
  const md = peerMarkdown(res, [q]);
  assert.match(md, /\| charla-pg #2 \| 5\.0 \| 0 \|/);
  assert.match(md, /\| 500 \| 5 \/ 20 \| 15 \/ 60 \|/);
  assert.match(md, /persisted throughput, best round of each .*\| 2\.67 \| ≥ 1\.5 \| met \|/);
  assert.match(md, /connect time for 2000 clients.*\| 1\.67 \| ≤ 1 \| missed \|/);

  // A peer that sustained not even the lowest rate: any sustained rate of Charla's beats it.
  const none: PeerResults = {
    ...res,
    runs: [
      run("charla-pg", 1, 6, [step(100, 30, true), step(200, 2000, false)]),
      run("prosody", 1, 4, [step(100, 6000, false)]),
    ],
  };
  const q0 = computePeerRatios(none, "charla-pg", "prosody");
  assert.equal(q0.throughput, Infinity);
  assert.equal(q0.moderateRate, 100);
  assert.equal(q0.p99AtModerate, 30 / 6000);
  assert.match(peerMarkdown(none, [q0]), /best round of each \| ∞ \| ≥ 1\.5 \| met \|/);
});
