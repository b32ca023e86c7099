/**
 * Users, chats and handshake credentials for one scenario on one server. Charla's users are
 * registered through the public HTTP API (argon2 on the server: the slow part of set-up, done
 * in parallel batches); the baseline's are made up, since it checks nothing but a token.
 * Nothing is cached across runs: every scenario starts on fresh storage.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { AuthResult, Chat } from "@charla/protocol";
import type { ServerKind } from "./servers.ts";

export const BASELINE_TOKEN = "baseline";

export interface FixtureUser {
  id: string;
  token: string;
  /** Index into `Fixture.chats`. */
  chat: number;
}

export interface Fixture {
  users: FixtureUser[];
  chats: { id: string; members: number[] }[];
  /** Seconds spent registering users and creating chats. */
  setupSeconds: number;
  /** Users registered per second (Charla only). */
  registerRate?: number;
}

export interface ClientSpec {
  auth: Record<string, unknown>;
  userId: string;
  chatId: string;
  /**
   * Several nodes (scenarios/hundredk.ts): the first is connected to, the others are tried in
   * turn on each reconnect attempt, as a load balancer would when the first node is gone.
   */
  urls?: string[];
}

async function api<T>(
  base: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${base}/api${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as T;
  if (res.status >= 300) {
    throw new Error(`POST ${path} -> ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  }
  return { status: res.status, json };
}

/** Runs `fn` over 0..n-1 with at most `limit` in flight. */
export async function pool(n: number, limit: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await fn(next++);
  });
  await Promise.all(workers);
}

/**
 * `userCount` users in group chats of `roomSize` users each (the last chat may be smaller).
 */
export async function makeFixture(
  kind: ServerKind,
  baseUrl: string,
  userCount: number,
  roomSize: number,
  log: (line: string) => void = () => undefined,
): Promise<Fixture> {
  const t0 = performance.now();
  const chatCount = Math.ceil(userCount / roomSize);
  const users: FixtureUser[] = new Array<FixtureUser>(userCount);
  const chats: Fixture["chats"] = [];
  for (let c = 0; c < chatCount; c++) {
    const members: number[] = [];
    for (let i = c * roomSize; i < Math.min(userCount, (c + 1) * roomSize); i++) members.push(i);
    chats.push({ id: "", members });
  }
  if (kind === "baseline") {
    for (const chat of chats) chat.id = randomUUID();
    for (let i = 0; i < userCount; i++) {
      users[i] = { id: randomUUID(), token: BASELINE_TOKEN, chat: Math.floor(i / roomSize) };
    }
    return { users, chats, setupSeconds: (performance.now() - t0) / 1000 };
  }
  const tag = randomBytes(3).toString("hex");
  let done = 0;
  await pool(userCount, 16, async (i) => {
    const { json } = await api<AuthResult>(baseUrl, "/auth/register", {
      username: `b${tag}_${i}`,
      password: "bench-password",
    });
    users[i] = { id: json.user.id, token: json.token, chat: Math.floor(i / roomSize) };
    if (++done % 250 === 0) log(`  registered ${done}/${userCount} users`);
  });
  const registerSeconds = (performance.now() - t0) / 1000;
  await pool(chats.length, 8, async (c) => {
    const chat = chats[c]!;
    const [owner, ...rest] = chat.members.map((i) => users[i]!);
    const { json } = await api<Chat>(
      baseUrl,
      "/chats",
      { type: "group", name: `bench ${c}`, member_ids: rest.map((u) => u.id) },
      owner!.token,
    );
    chat.id = json.id;
  });
  return {
    users,
    chats,
    setupSeconds: (performance.now() - t0) / 1000,
    registerRate: userCount / registerSeconds,
  };
}

/** Client `k` of `count` connects as user `k % users`; returns one spec per client. */
export function clientSpecs(kind: ServerKind, fixture: Fixture, count: number): ClientSpec[] {
  const specs: ClientSpec[] = [];
  for (let k = 0; k < count; k++) {
    const user = fixture.users[k % fixture.users.length]!;
    const chatId = fixture.chats[user.chat]!.id;
    const auth =
      kind === "baseline"
        ? { token: BASELINE_TOKEN, user_id: user.id, rooms: [chatId] }
        : { token: user.token };
    specs.push({ auth, userId: user.id, chatId });
  }
  return specs;
}
