/**
 * Preloaded into each server process the benchmark starts (`--import ./bench/probe.ts`,
 * with `--expose-gc`), so that heap and RSS are read from inside the process for Charla and
 * the baseline alike, without any code in the server. Answers `{ cmd: "mem" }` on the IPC
 * channel with `process.memoryUsage()` taken after a full garbage collection.
 */
const gc = (globalThis as { gc?: () => void }).gc;

process.on("message", (msg: unknown) => {
  if ((msg as { cmd?: unknown } | null)?.cmd !== "mem") return;
  // Two passes: the first may only schedule finalisers that free more on the second.
  gc?.();
  gc?.();
  process.send?.({ cmd: "mem", gc: gc !== undefined, ...process.memoryUsage() });
});
// The IPC channel must not keep a server alive after it has closed everything else.
process.channel?.unref();
