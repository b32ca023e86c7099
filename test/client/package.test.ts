/**
 * @charla/client as a third party gets it: `npm pack`, installed into a fresh project
 * outside the repository, used from plain Node (no TypeScript loader, no monorepo) against
 * a real server, and type-checked there with nothing but what the tarball brought.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { startServer, tempDir } from "../support/server.ts";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** A consumer written as the README shows: two people, a direct chat, one message. */
const CONSUMER = `
import { ChatError, connect, createHttpApi } from "@charla/client";

const url = process.env.CHARLA_URL;
const password = "correct-horse-battery";
const stamp = Date.now().toString(36);
const ana = await createHttpApi(url).register({ username: "ana_" + stamp, password });
const ben = await createHttpApi(url).register({ username: "ben_" + stamp, password });
const chat = await createHttpApi(url, ana.token).createChat({
  type: "direct",
  member_ids: [ben.user.id],
});

const anaClient = connect({ url, token: ana.token });
const benClient = connect({ url, token: ben.token });
const received = new Promise((resolve) => benClient.once("message:send", resolve));
await Promise.all([anaClient.ready(), benClient.ready()]);
const sent = await anaClient.send(chat.id, "¡Hola, Ben!");
const got = await received;
const refusal = await anaClient
  .send("00000000-0000-4000-8000-000000000000", "nowhere")
  .catch((error) => error);
anaClient.close();
benClient.close();
console.log(JSON.stringify({
  sent: sent.body,
  received: got.body,
  sameId: got.id === sent.id,
  refusal: refusal instanceof ChatError ? refusal.code : String(refusal),
}));
`;

/** The same in TypeScript, strict, to prove the types came with the tarball. */
const TYPED_CONSUMER = `
import { connect, ChatError, type ChatClient, type Message } from "@charla/client";

export function listen(client: ChatClient): void {
  client.on("message:send", (message: Message) => message.body.toUpperCase());
  client.on("connection:state", (state) => {
    const known: "connecting" | "connected" | "reconnecting" | "disconnected" = state;
    return known;
  });
  client.on("error", (error) => (error instanceof ChatError ? error.code : "never"));
  // @ts-expect-error: not an event of the client
  client.on("message", () => {});
}

export async function ack(client: ChatClient): Promise<number> {
  const result = await client.emitWithAck("message:send", { chat_id: "c", body: "typed" });
  return result.message.seq;
}

export const client = connect({ url: "http://localhost:3000", token: "t" });
`;

test("npm pack gives a package a fresh project installs and uses from plain Node", async (t) => {
  const work = await tempDir(t);
  const packed = await run("npm", ["pack", "--silent", "--pack-destination", work], {
    cwd: path.join(ROOT, "packages/client"),
  });
  const tarball = path.join(work, packed.stdout.trim().split("\n").at(-1)!);

  const project = path.join(work, "consumer");
  await run("mkdir", [project]);
  await writeFile(
    path.join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  const installed = await run(
    "npm",
    ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"],
    { cwd: project },
  );
  assert.doesNotMatch(installed.stderr, /EBADENGINE|deprecated/i);

  // socket.io-client is the only dependency: no protocol package, no schema library.
  const modules = await readdir(path.join(project, "node_modules"));
  assert.ok(modules.includes("socket.io-client"));
  assert.ok(!modules.includes("@sinclair"), "TypeBox is not installed");
  assert.deepEqual(await readdir(path.join(project, "node_modules/@charla")), ["client"]);
  const manifest = JSON.parse(
    await readFile(path.join(project, "node_modules/@charla/client/package.json"), "utf8"),
  );
  assert.deepEqual(Object.keys(manifest.dependencies), ["socket.io-client"]);

  const { url } = await startServer(t);
  await writeFile(path.join(project, "chat.mjs"), CONSUMER);
  const { stdout } = await run(process.execPath, ["chat.mjs"], {
    cwd: project,
    env: { PATH: process.env.PATH, CHARLA_URL: url },
    timeout: 60_000,
  });
  assert.deepEqual(JSON.parse(stdout), {
    sent: "¡Hola, Ben!",
    received: "¡Hola, Ben!",
    sameId: true,
    refusal: "NOT_FOUND",
  });

  await writeFile(path.join(project, "typed.ts"), TYPED_CONSUMER);
  await writeFile(
    path.join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2023", "DOM"],
        types: [],
        strict: true,
        noEmit: true,
      },
      files: ["typed.ts"],
    }),
  );
  const checked = await run(process.execPath, [TSC, "-p", project], { cwd: project }).catch(
    (error: { stdout: string }) => error,
  );
  assert.equal(checked.stdout, "", "the consumer type-checks against the packed types");
});
