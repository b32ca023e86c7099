/**
 * Where the bytes of idle connections go: compares two V8 heap snapshots of one server (taken
 * by `npm run bench -- --scenarios idle --heap-snapshots DIR`, or any `.heapsnapshot`) and
 * prints, per kind of heap object, how many more there are and their bytes per connection.
 *
 *   node --conditions=source --import tsx bench/heap-diff.ts <a.heapsnapshot> <b.heapsnapshot> <connections b - a>
 *
 * Objects are grouped by constructor name, closures by function name, strings and arrays by
 * their V8 type; self sizes only (what each object itself takes), so that the rows add up to
 * the heap's growth.
 */
import { readFileSync } from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

interface Group {
  count: number;
  bytes: number;
}

function groups(file: string): Map<string, Group> {
  const snap = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const out = new Map<string, Group>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const name = snap.strings[snap.nodes[i + nameAt]!] ?? "";
    let key: string;
    if (type === "object" || type === "closure" || type === "native") {
      key = `${type} ${name.slice(0, 60)}`;
    } else if (type === "hidden" || type === "code" || type === "array") {
      key = `${type} ${name.replace(/\d+/g, "#").slice(0, 60)}`;
    } else key = type;
    const g = out.get(key) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += snap.nodes[i + sizeAt]!;
    out.set(key, g);
  }
  return out;
}

const [fileA, fileB, connsArg] = process.argv.slice(2);
if (!fileA || !fileB || !connsArg) {
  console.error("usage: heap-diff.ts <a.heapsnapshot> <b.heapsnapshot> <connections b - a>");
  process.exit(2);
}
const conns = Number(connsArg);
const a = groups(fileA);
const b = groups(fileB);
const rows: { key: string; count: number; bytes: number }[] = [];
for (const [key, gb] of b) {
  const ga = a.get(key) ?? { count: 0, bytes: 0 };
  rows.push({ key, count: gb.count - ga.count, bytes: gb.bytes - ga.bytes });
}
rows.sort((x, y) => y.bytes - x.bytes);
const total = rows.reduce((s, r) => s + r.bytes, 0);
console.log(
  `heap growth ${(total / 1024 / 1024).toFixed(1)} MB, ${(total / conns).toFixed(0)} B per connection`,
);
console.log(`${"bytes/conn".padStart(10)} ${"objs/conn".padStart(9)}  kind`);
for (const r of rows.slice(0, Number(process.env.ROWS ?? 45))) {
  if (Math.abs(r.bytes / conns) < 8) continue;
  console.log(
    `${(r.bytes / conns).toFixed(0).padStart(10)} ${(r.count / conns).toFixed(2).padStart(9)}  ${r.key}`,
  );
}
