/**
 * Files benchmark: upload and download MB/s for 1 MiB and 25 MiB files on each file backend
 * (database on PGlite, database on PostgreSQL when BENCH_DATABASE_URL is set, s3 on a local
 * s3rver), the server's RSS while 25 MiB uploads stream in (VmHWM from /proc, reset before
 * each upload, and samples every 10 ms, in a server process of its own, on the fresh server:
 * the first upload's peak and what it left, then the worst and the median of the later ones,
 * and what stayed after all; then the worst of three 25 MiB downloads), and the sweep of
 * deleted messages' attachments.
 *
 *   flock /tmp/charla-bench.lock node --conditions=source --import tsx bench/files.ts
 *
 * Prints one JSON line per backend and a Markdown table. Everything is on 127.0.0.1.
 * BENCH_FILES_ONLY=pglite (postgres, s3) runs one row; BENCH_FILES_ROUNDS (3) and
 * BENCH_FILES_RSS_UPLOADS (6) set how many uploads each figure is taken from.
 */
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { createAttachmentLinks } from "../src/server/domain/attachment-links.ts";
import { createAttachmentService } from "../src/server/domain/attachments.ts";
import type { DatabaseConfig, FileStorageConfig } from "../src/server/config.ts";
import { fileStoreFor } from "../src/server/storage/files/backends.ts";
import { openStore } from "../src/server/storage/open.ts";
import { startLocalS3 } from "../test/support/s3.ts";

const MiB = 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_FILES_ROUNDS ?? 3);
const RSS_UPLOADS = Math.max(2, Number(process.env.BENCH_FILES_RSS_UPLOADS ?? 6));
const SWEEP_MESSAGES = Number(process.env.BENCH_SWEEP_MESSAGES ?? 300);
const root = path.resolve(import.meta.dirname, "..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** The process's resident set now (VmRSS) and at its highest since the last reset (VmHWM), KiB. */
async function memoryKiB(pid: number): Promise<{ rss: number; highest: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: field("VmRSS"), highest: field("VmHWM") };
}
const rssKiB = async (pid: number) => (await memoryKiB(pid)).rss;

/**
 * Lowers VmHWM to the current RSS (Linux 4.0+: "5" into clear_refs), so that it then reads
 * the true peak of what follows: a spike between two 10 ms samples is not missed. False where
 * that is not allowed; the samples are all there is then.
 */
async function resetHighest(pid: number): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

interface Backend {
  /** What BENCH_FILES_ONLY names it by. */
  id: "pglite" | "postgres" | "s3";
  name: string;
  env: Record<string, string>;
  files: FileStorageConfig;
  database: DatabaseConfig;
}

async function startNode(backend: Backend, dataDir: string) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "src/server/main.ts"],
    {
      cwd: root,
      env: {
        ...process.env,
        ...backend.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        JWT_SECRET: "bench-secret-that-is-long-enough-for-hs256-signing",
        RATE_LIMIT_DISABLED: "1",
        LOG_LEVEL: "warn",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error("the server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench reads a few fields of known answers
async function json(url: string, method: string, body: unknown, token?: string): Promise<any> {
  const response = await fetch(url, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status}`);
  return response.json();
}

async function upload(url: string, token: string, bytes: Uint8Array): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([bytes]), "bench.bin");
  const response = await fetch(`${url}/api/uploads`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  if (response.status !== 201) throw new Error(`upload: ${response.status}`);
  return ((await response.json()) as { attachment: { id: string } }).attachment.id;
}

async function download(url: string, token: string, id: string): Promise<number> {
  const response = await fetch(`${url}/api/attachments/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  let size = 0;
  for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += piece.length;
  }
  return size;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

async function throughput(backend: Backend) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "charla-bench-files-"));
  const node = await startNode(backend, dataDir);
  try {
    const { token, user } = await json(`${node.url}/api/auth/register`, "POST", {
      username: `bench_${randomBytes(3).toString("hex")}`,
      password: "correct-horse-battery",
    });
    const chat = await json(
      `${node.url}/api/chats`,
      "POST",
      { type: "group", name: "bench", member_ids: [] },
      token,
    );
    void user;
    // RSS while 25 MiB uploads stream in, on the fresh server first: each upload's peak
    // (VmHWM, and samples every 10 ms) over the settled RSS before it, and what is left a
    // second after. The first shows any one-time warm-up; the later ones, what each costs.
    const rssRounds: { peak: number; left: number }[] = [];
    let rssBefore = 0;
    let rssAfter = 0;
    let exactPeaks = true;
    let lastUpload = "";
    for (let round = 0; round < RSS_UPLOADS; round++) {
      const bytes = randomBytes(25 * MiB);
      await new Promise((r) => setTimeout(r, 1000));
      const before = await rssKiB(node.pid);
      if (round === 0) rssBefore = before;
      exactPeaks = (await resetHighest(node.pid)) && exactPeaks;
      let peak = before;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, await rssKiB(node.pid));
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      lastUpload = await upload(node.url, token, bytes);
      sampling = false;
      await sampler;
      if (exactPeaks) peak = Math.max(peak, (await memoryKiB(node.pid)).highest);
      await new Promise((r) => setTimeout(r, 1000));
      rssAfter = await rssKiB(node.pid);
      rssRounds.push({ peak: (peak - before) / 1024, left: (rssAfter - before) / 1024 });
    }
    // The same while the last of them streams out, three times (its uploader may read it).
    const downloadPeaks: number[] = [];
    for (let round = 0; round < 3; round++) {
      await new Promise((r) => setTimeout(r, 1000));
      const before = await rssKiB(node.pid);
      exactPeaks = (await resetHighest(node.pid)) && exactPeaks;
      if ((await download(node.url, token, lastUpload)) !== 25 * MiB) throw new Error("short read");
      const peak = exactPeaks ? (await memoryKiB(node.pid)).highest : await rssKiB(node.pid);
      downloadPeaks.push((peak - before) / 1024);
    }
    const mb = (kib: number) => Number(kib.toFixed(1));
    const first = rssRounds[0]!;
    const steady = rssRounds.slice(1);
    const result: Record<string, number> = {
      rssBeforeMB: mb(rssBefore / 1024),
      rssFirstPeakMB: mb(first.peak),
      rssFirstLeftMB: mb(first.left),
      // 1 when the peaks are VmHWM's (exact), 0 when they are the 10 ms samples' only
      rssPeaksExact: exactPeaks ? 1 : 0,
      // the worst and the median of the later uploads: each one's own rise, not a sum
      rssSteadyPeakMB: mb(Math.max(...steady.map((r) => r.peak))),
      rssSteadyMedianPeakMB: mb(median(steady.map((r) => r.peak))),
      rssSteadyLeftMB: mb(Math.max(...steady.map((r) => r.left))),
      // the worst of three 25 MiB downloads (without VmHWM: the RSS at the end only)
      rssDownloadPeakMB: mb(Math.max(...downloadPeaks)),
      // the RSS after all of them over the RSS before the first: what stays
      rssRetainedMB: mb((rssAfter - rssBefore) / 1024),
    };
    // (figures keyed by name, read back by the table below)
    for (const size of [1, 25]) {
      const bytes = randomBytes(size * MiB);
      const up: number[] = [];
      const down: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        let t0 = performance.now();
        const id = await upload(node.url, token, bytes);
        up.push(size / ((performance.now() - t0) / 1000));
        await json(
          `${node.url}/api/chats/${chat.id}/messages`,
          "POST",
          { body: "", attachment_ids: [id] },
          token,
        );
        t0 = performance.now();
        const got = await download(node.url, token, id);
        if (got !== bytes.length) throw new Error(`downloaded ${got} of ${bytes.length}`);
        down.push(size / ((performance.now() - t0) / 1000));
      }
      result[`upload${size}MiB_MBps`] = Number(median(up).toFixed(1));
      result[`download${size}MiB_MBps`] = Number(median(down).toFixed(1));
    }

    return result;
  } finally {
    await node.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The sweep, in process: SWEEP_MESSAGES messages with one 64 KiB attachment each, deleted. */
async function sweep(backend: Backend) {
  const log = pino({ level: "silent" });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "charla-bench-sweep-"));
  const database: DatabaseConfig =
    backend.database.kind === "pglite" ? { kind: "pglite", dataDir } : backend.database;
  const store = await openStore(database, log, { files: fileStoreFor(backend.files) });
  try {
    const attachments = createAttachmentService({
      store,
      links: createAttachmentLinks(randomBytes(32)),
      limits: { maxUploadBytes: 10 * MiB, unsentSeconds: 86_400 },
      log,
    });
    const user = randomUUID();
    const chat = randomUUID();
    await store.users.create({ id: user, username: `s${user.slice(0, 8)}`, password_hash: "x" });
    await store.chats.create({
      id: chat,
      type: "group",
      name: "sweep",
      created_by: user,
      direct_key: null,
      member_ids: [],
    });
    const bytes = randomBytes(64 * 1024);
    for (let i = 0; i < SWEEP_MESSAGES; i++) {
      const up = await attachments.upload(user, {
        filename: "s.bin",
        stream: (async function* () {
          yield bytes;
        })(),
      });
      const sent = await store.messages.appendWithAttachments(
        { id: randomUUID(), chat_id: chat, sender_id: user, body: "", client_msg_id: null },
        [up.id],
      );
      if (sent.kind !== "stored") throw new Error("not stored");
      await store.messages.delete(sent.message.id);
    }
    const t0 = performance.now();
    let swept = 0;
    for (let n = await attachments.sweep(); n > 0; n = await attachments.sweep()) swept += n;
    const seconds = (performance.now() - t0) / 1000;
    return { sweptAttachments: swept, sweepPerSecond: Math.round(swept / seconds) };
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const s3 = await startLocalS3("charla-bench");
const backends: Backend[] = [
  {
    id: "pglite",
    name: "database (PGlite)",
    env: { FILE_STORAGE: "database" },
    files: { kind: "database" },
    database: { kind: "pglite", dataDir: undefined },
  },
];
const pg = process.env.BENCH_DATABASE_URL;
if (pg) {
  backends.push({
    id: "postgres",
    name: "database (PostgreSQL)",
    env: { FILE_STORAGE: "database", DATABASE_URL: pg },
    files: { kind: "database" },
    database: { kind: "postgres", url: pg, poolSize: 5 },
  });
}
backends.push({
  id: "s3",
  name: "s3 (s3rver, metadata in PGlite)",
  env: {
    FILE_STORAGE: "s3",
    S3_ENDPOINT: s3.config.endpoint!,
    S3_BUCKET: s3.config.bucket,
    S3_REGION: s3.config.region,
    S3_ACCESS_KEY_ID: s3.config.accessKeyId!,
    S3_SECRET_ACCESS_KEY: s3.config.secretAccessKey!,
    S3_FORCE_PATH_STYLE: "true",
  },
  files: s3.config,
  database: { kind: "pglite", dataDir: undefined },
});

// BENCH_FILES_ONLY=pglite (or postgres, s3; comma-separated) runs those rows alone.
const only = process.env.BENCH_FILES_ONLY?.split(",").map((name) => name.trim().toLowerCase());
const chosen = backends.filter((backend) => !only || only.includes(backend.id));

const rows: string[] = [];
try {
  for (const backend of chosen) {
    const figures: Record<string, number> = {
      ...(await throughput(backend)),
      ...(await sweep(backend)),
    };
    console.log(JSON.stringify({ backend: backend.name, ...figures }));
    rows.push(
      `| ${backend.name} | ${figures.upload1MiB_MBps} / ${figures.download1MiB_MBps} | ` +
        `${figures.upload25MiB_MBps} / ${figures.download25MiB_MBps} | ` +
        `${figures.rssFirstPeakMB} / ${figures.rssFirstLeftMB} MB | ` +
        `${figures.rssSteadyPeakMB} (median ${figures.rssSteadyMedianPeakMB}) / ${figures.rssSteadyLeftMB} MB | ` +
        `${figures.rssRetainedMB} MB (from ${figures.rssBeforeMB}) | ` +
        `${figures.rssDownloadPeakMB} MB | ` +
        `${figures.sweptAttachments} in ${((figures.sweptAttachments! / figures.sweepPerSecond!) * 1000).toFixed(0)} ms (${figures.sweepPerSecond}/s) |`,
    );
  }
} finally {
  await s3.close();
}
console.log(
  [
    "| backend | 1 MiB up / down MB/s | 25 MiB up / down MB/s | RSS, 1st 25 MiB upload: peak / left | later uploads: worst peak (median) / left | kept after all | RSS, 25 MiB download: worst peak | sweep |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n"),
);
