/**
 * Preloaded into each server process the benchmark starts (`--import ./bench/probe.ts`,
 * with `--expose-gc`), so that heap, RSS and CPU profiles are taken from inside the process
 * for Charla and the baseline alike, without any code in the server. Commands on the IPC
 * channel:
 * - `{ cmd: "mem" }`: `process.memoryUsage()` after a full garbage collection;
 * - `{ cmd: "profile-start" }` / `{ cmd: "profile-stop", file }`: a V8 CPU profile of just
 *   the phase in between (connect, the sweep's steps, a storm), written to `file`;
 * - `{ cmd: "heap-snapshot", file }`: a V8 heap snapshot after a full GC (where the bytes of
 *   idle connections go: `bench/heap-diff.ts` compares two of them).
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { writeHeapSnapshot } from "node:v8";

const gc = (globalThis as { gc?: () => void }).gc;
let session: Session | undefined;

function post(method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    session!.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function handle(msg: { cmd?: unknown; file?: unknown }): Promise<object | undefined> {
  switch (msg.cmd) {
    case "mem":
      // Two passes: the first may only schedule finalisers that free more on the second.
      gc?.();
      gc?.();
      return { gc: gc !== undefined, ...process.memoryUsage() };
    case "heap-snapshot":
      gc?.();
      writeHeapSnapshot(String(msg.file));
      return {};
    case "profile-start":
      session = new Session();
      session.connect();
      await post("Profiler.enable");
      await post("Profiler.setSamplingInterval", { interval: 500 });
      await post("Profiler.start");
      return {};
    case "profile-stop": {
      const { profile } = (await post("Profiler.stop")) as { profile: unknown };
      session?.disconnect();
      writeFileSync(String(msg.file), JSON.stringify(profile));
      return {};
    }
    default:
      return undefined;
  }
}

process.on("message", (raw: unknown) => {
  const msg = (raw ?? {}) as { cmd?: unknown; file?: unknown };
  handle(msg).then(
    (result) => result && process.send?.({ cmd: msg.cmd, ...result }),
    (err: unknown) => process.send?.({ cmd: msg.cmd, error: String(err) }),
  );
});
// The IPC channel must not keep a server alive after it has closed everything else.
process.channel?.unref();
// Nor may a server outlive the benchmark that started it (killed, crashed, interrupted).
process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
