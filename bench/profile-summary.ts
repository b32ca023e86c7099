/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --cpu-prof`): self
 * time by function and by package (node_modules/<pkg>, src/server/<area>, node internals).
 *
 *   node --conditions=source --import tsx bench/profile-summary.ts bench/results/profiles/sweep-charla-pglite/*.cpuprofile
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function area(url: string): string {
  if (!url) return "(native/vm)";
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const src = /\/(src\/[^/]+(?:\/[^/]+)?)\//.exec(url);
  if (src) return src[1]!;
  if (url.startsWith("node:")) return url.split("/")[0]!;
  return url.replace(/^file:\/\//, "");
}

export function summarise(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFn = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const where = f.url
      ? `${f.url.replace(/^.*\/(node_modules|src)\//, "$1/")}:${f.lineNumber + 1}`
      : "";
    const fn = `${f.functionName || "(anonymous)"} ${where}`.trim();
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    const a = area(f.url);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
  }
  // Each sample charged to the innermost frame of the project's own code on its stack: which
  // of our functions caused the time, including what it spent in libraries and the database.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const cached = owner.get(id);
    if (cached !== undefined) return cached;
    const f = byId.get(id)!.callFrame;
    let name: string;
    const m = /\/(src\/.*)$/.exec(f.url);
    if (m && !f.url.includes("node_modules"))
      name = `${f.functionName || "(anonymous)"} ${m[1]}:${f.lineNumber + 1}`;
    else {
      const p = parent.get(id);
      name = p === undefined ? `(no project frame) ${area(f.url)}` : ownerOf(p);
    }
    owner.set(id, name);
    return name;
  };
  const byOwner = new Map<string, number>();
  for (const [id, us] of self) {
    const o = ownerOf(id);
    byOwner.set(o, (byOwner.get(o) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const lines = [
    `total ${(total / 1e6).toFixed(1)} s sampled`,
    "",
    "by package / area (self time):",
  ];
  for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1]).slice(0, top)) {
    lines.push(`  ${pct(us)}  ${a}`);
  }
  lines.push("", "by the project's innermost function on the stack (inclusive):");
  for (const [f, us] of [...byOwner].sort((x, y) => y[1] - x[1]).slice(0, top)) {
    lines.push(`  ${pct(us)}  ${f}`);
  }
  lines.push("", "by function (self time):");
  for (const [f, us] of [...byFn].sort((x, y) => y[1] - x[1]).slice(0, top)) {
    lines.push(`  ${pct(us)}  ${f}`);
  }
  return lines.join("\n");
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: bench/profile-summary.ts <file.cpuprofile>...");
  process.exit(2);
}
for (const file of files) {
  console.log(`== ${file}`);
  console.log(summarise(JSON.parse(readFileSync(file, "utf8")) as Profile));
}
