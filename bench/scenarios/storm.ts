/**
 * Reconnect storm: `stormClients` sockets (users shared, `stormClients / stormUsers` sockets
 * each) in rooms of `room` users, with an open-loop trickle of messages that keeps going
 * through the storm from whoever is connected. Then every connection breaks at once:
 * - "drop": every client's transport is closed (a network cut; the server stays up);
 * - "restart": the server is stopped (SIGTERM) and started again on the same storage.
 * Each client reconnects with socket.io-client's default backoff, re-authenticates in the
 * handshake, and catches up with `sync` from the last `change_seq` it saw. Measured: time
 * until every client is back and caught up; then every acknowledged message must have
 * reached every socket of its chat, live or through `sync` (lost = 0).
 */
import { GeneratorGroup } from "../lib/gen-control.ts";
import type { Percentiles } from "../lib/hist.ts";
import type { Options } from "../lib/options.ts";
import { cpuWindow, sleep } from "../lib/servers.ts";
import type { Seeds } from "../lib/seed.ts";
import { clientSpecs } from "../lib/setup.ts";
import { machineLoadNote } from "../lib/timing.ts";
import { kindOf, withServer, type Target } from "../lib/targets.ts";

export interface StormRound {
  mode: string;
  clients: number;
  reconnected: number;
  synced: number;
  /** Seconds from the break to the last client back / the last client caught up. */
  lastReconnectS: number;
  lastSyncS: number;
  sync: Percentiles;
  /** Restart rounds: SIGTERM until the process is gone (the drain), then start until healthy. */
  stopMs?: number;
  restartMs?: number;
  syncErrors: Record<string, number>;
  /** Failed reconnect attempts by the client's error message; clients by the attempt that worked. */
  reconnectErrors: Record<string, number>;
  attemptsToReconnect: Record<string, number>;
  /**
   * Where the storm's CPU went, % of one core, from the break until every client was back (a
   * restarted server: its new process's CPU over that window): who had the cores meanwhile.
   */
  cpu: { server: number; generators: number; postgres: number; other: number };
  syncedMessages: number;
  ackedDuring: number;
  checked: number;
  missing: number;
  clientsMissing: number;
  serverRssMB: number;
}

export interface StormResult {
  target: Target;
  clients: number;
  users: number;
  connectSeconds: number;
  connectFailed: number;
  /** The machine before this server started: load average, and CPU busy over 2 s. */
  machineLoad: string;
  rounds: StormRound[];
}

export async function runStorm(
  opts: Options,
  seeds: Seeds,
  target: Target,
  log: (s: string) => void,
): Promise<StormResult> {
  // Other engineers' work shares the box: a storm's seconds mean little without it.
  const load = await machineLoadNote();
  log(`storm ${target}: ${load}`);
  return withServer(
    opts,
    seeds,
    target,
    "storm",
    opts.stormUsers,
    async (server, _startMs, fixture) => {
      const kind = kindOf(target);
      const specs = clientSpecs(kind, fixture, opts.stormClients);
      const gens = new GeneratorGroup({
        maxPerProcess: opts.maxPerProcess,
        localAddresses: opts.localAddresses,
        perAddress: opts.perAddress,
      });
      try {
        await server.profileStart();
        const conn = await gens.connect(server.url, specs, {
          reconnection: true,
          track: true,
          concurrency: 400,
        });
        const connectProfile = await server.profileStop("storm-connect");
        if (connectProfile) log(`  profile of the connect: ${connectProfile}`);
        log(
          `storm ${target}: ${conn.connected} clients (${opts.stormUsers} users) connected in ` +
            `${conn.seconds.toFixed(1)} s${conn.failed ? ` failed ${conn.failed} ${JSON.stringify(conn.errors)}` : ""}`,
        );
        const roomSizes = conn.perChat;
        const acked: Record<string, number[]> = {};
        const keep = (seqs: Record<string, number[]> | undefined) => {
          for (const [k, v] of Object.entries(seqs ?? {})) (acked[k] ??= []).push(...v);
        };
        const traffic = { rate: opts.stormRate, bodyBytes: opts.bodyBytes, roomSizes };
        keep((await gens.load({ ...traffic, durationMs: 2000, drainMs: 3000 })).ackedSeqs);
        const rounds: StormRound[] = [];
        const modes = opts.stormModes.filter(
          (m) => m === "drop" || (m === "restart" && kind === "charla"),
        );
        for (const mode of modes) {
          // Traffic through the storm, from whichever clients are connected at each send.
          if (mode === "drop") await server.profileStart();
          const during = gens.load({
            ...traffic,
            durationMs: 0,
            drainMs: 5000,
            untilStopped: true,
          });
          await sleep(1000);
          const window = cpuWindow(gens);
          let serverBefore = server.cpu().seconds;
          await gens.stormStart(mode === "drop" ? "drop" : "wait", 1000);
          let stopMs: number | undefined;
          let restartMs: number | undefined;
          if (mode === "restart") {
            const stopping = performance.now();
            await server.stop();
            stopMs = performance.now() - stopping;
            restartMs = await server.start();
            serverBefore = 0; // the new process: all of its CPU is the storm's
          }
          const res = await gens.stormWait(opts.stormTimeoutS * 1000);
          const serverSeconds = server.cpu().seconds - serverBefore;
          const used = window.end(serverSeconds);
          const pct = (seconds: number) =>
            Math.round((100 * Math.max(0, seconds)) / used.wallSeconds);
          const cpu = {
            server: pct(serverSeconds),
            generators: pct(used.generatorSeconds),
            postgres: pct(used.postgresSeconds),
            other: pct(used.otherSeconds),
          };
          const stormProfile = mode === "drop" ? await server.profileStop("storm-drop") : undefined;
          if (stormProfile) log(`  profile of the storm: ${stormProfile}`);
          await sleep(1000);
          await gens.stop();
          const d = await during;
          keep(d.ackedSeqs);
          await sleep(1000);
          const v = await gens.verify(acked);
          const round: StormRound = {
            mode,
            clients: res.clients,
            reconnected: res.reconnected,
            synced: res.synced,
            lastReconnectS: res.lastReconnectS,
            lastSyncS: res.lastSyncS,
            sync: res.syncPercentiles,
            ...(stopMs !== undefined ? { stopMs } : {}),
            ...(restartMs !== undefined ? { restartMs } : {}),
            syncErrors: res.syncErrors,
            reconnectErrors: res.reconnectErrors,
            attemptsToReconnect: res.attemptsToReconnect,
            cpu,
            syncedMessages: res.syncedMessages,
            ackedDuring: d.acked,
            checked: v.checked,
            missing: v.missing,
            clientsMissing: v.clientsMissing,
            serverRssMB: Math.round(server.rss() / 1048576),
          };
          rounds.push(round);
          log(
            `  ${mode.padEnd(8)} ${round.synced}/${round.clients} back and caught up; last reconnect ` +
              `${round.lastReconnectS.toFixed(2)} s, last sync ${round.lastSyncS.toFixed(2)} s ` +
              `(p50 ${(round.sync.p50 / 1000).toFixed(2)} s p99 ${(round.sync.p99 / 1000).toFixed(2)} s)` +
              `${restartMs !== undefined ? `, stop ${stopMs!.toFixed(0)} ms, start ${restartMs.toFixed(0)} ms` : ""}; ` +
              `${round.ackedDuring} acked during, ${round.syncedMessages} via sync; missing ${round.missing} of ${round.checked}` +
              `${Object.keys(round.syncErrors).length ? ` sync errors ${JSON.stringify(round.syncErrors)}` : ""}` +
              `; back at attempt ${JSON.stringify(round.attemptsToReconnect)}` +
              `${Object.keys(round.reconnectErrors).length ? `, failed attempts ${JSON.stringify(round.reconnectErrors)}` : ""}` +
              `; cpu % of a core: server ${cpu.server}, generators ${cpu.generators}, postgres ${cpu.postgres}, other ${cpu.other}`,
          );
        }
        return {
          target,
          clients: conn.connected,
          users: opts.stormUsers,
          connectSeconds: conn.seconds,
          connectFailed: conn.failed,
          machineLoad: load,
          rounds,
        };
      } finally {
        await gens.close();
      }
    },
  );
}
