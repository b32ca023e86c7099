/**
 * SIGTERM drains: the real process (src/server/main.ts) stops accepting, finishes in-flight
 * writes, closes sockets and exits 0; every acknowledged message is in the database when the
 * server comes back on the same DATA_DIR. Tokens and message bodies never reach the logs.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { test, type TestContext } from "node:test";
import {
  connectSocket,
  createChat,
  emitWithAck,
  eventually,
  http,
  registerUser,
} from "../support/clients.ts";
import { tempDir } from "../support/server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

interface Child {
  process: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function startProcess(t: TestContext, dataDir: string): Promise<Child> {
  const { JWT_SECRET: _a, DATABASE_URL: _b, REDIS_URL: _c, ...env } = process.env;
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "src/server/main.ts"],
    {
      cwd: ROOT,
      env: { ...env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "debug" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "listening" log line:\n${output}`)),
      60_000,
    );
    const look = () => {
      for (const line of output.split("\n")) {
        if (!line.startsWith("{")) continue;
        const entry = JSON.parse(line);
        if (String(entry.msg).startsWith("Charla listening on")) {
          clearTimeout(timer);
          child.stdout.off("data", look);
          return resolve(entry.url);
        }
      }
    };
    child.stdout.on("data", look);
    child.on("exit", (code) => reject(new Error(`exited ${code} before listening:\n${output}`)));
  });
  return { process: child, url, output: () => output, exited };
}

test("SIGTERM drains and exits 0; acknowledged messages survive the restart", async (t) => {
  const dataDir = await tempDir(t);
  const first = await startProcess(t, dataDir);
  const ana = await registerUser(first.url, "ana");
  const ben = await registerUser(first.url, "ben");
  const chat = await createChat(first.url, ana, "direct", [ben]);
  const socket = await connectSocket(t, first.url, ana.token);
  const viaQuery = await connectSocket(t, first.url, undefined, {
    auth: {},
    query: { "x-token": ben.token },
  });
  assert.equal(viaQuery.connected, true);
  const polling = await connectSocket(t, first.url, undefined, {
    auth: {},
    query: { "x-token": ben.token },
    transports: ["polling"],
  });
  assert.equal(polling.connected, true);

  // Five senders, each sending until refused; SIGTERM arrives while sends are in flight.
  const acked: string[] = [];
  const refused: string[] = [];
  let n = 0;
  const sends = Array.from({ length: 5 }, async () => {
    while (n < 2000) {
      const i = n++;
      try {
        const ack = await emitWithAck(socket, "message:send", {
          chat_id: chat.id,
          body: `secret body ${i}`,
          client_msg_id: `m-${i}`,
        });
        if (!ack.ok) return refused.push(ack.error.code);
        acked.push(ack.message.id);
      } catch {
        return refused.push("no answer");
      }
    }
  });
  await eventually(() => assert.ok(acked.length >= 10, `${acked.length} acks`), 30_000, 5);
  first.process.kill("SIGTERM");
  await Promise.all(sends);
  assert.equal(await first.exited, 0, first.output());
  assert.equal(socket.connected, false, "sockets were closed");
  assert.ok(acked.length >= 10);
  assert.ok(refused.length > 0, "the senders were still sending when the server went");
  for (const code of refused) assert.ok(["UNAVAILABLE", "no answer"].includes(code), code);
  const log = first.output();
  assert.match(log, /"msg":"draining"/);
  assert.match(log, /"msg":"closed"/);
  for (const secret of [ana.token, ben.token, "secret body", ben.password]) {
    assert.ok(!log.includes(secret), `the log contains ${secret.slice(0, 20)}…`);
  }

  // Back on the same DATA_DIR: same key (the token still works), every ack is stored, once.
  const second = await startProcess(t, dataDir);
  const history = await http(second.url, "GET", `/api/chats/${chat.id}/messages?limit=200`, {
    token: ana.token,
  });
  assert.equal(history.status, 200, JSON.stringify(history.body));
  const stored = history.body.messages.map((m: any) => m.id);
  for (const id of acked) assert.ok(stored.includes(id), `acknowledged ${id} was lost`);
  assert.deepEqual(
    history.body.messages.map((m: any) => m.seq),
    Array.from({ length: stored.length }, (_, i) => i + 1),
  );
  second.process.kill("SIGTERM");
  assert.equal(await second.exited, 0);
});
