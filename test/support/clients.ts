/**
 * Test clients: real HTTP (fetch) and real socket.io-client connections, closed after the test.
 */
import { randomBytes } from "node:crypto";
import type { TestContext } from "node:test";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@charla/protocol/events";
import type { Chat, Message, User } from "@charla/protocol/schemas";

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
}

/** Any HTTP request; JSON in and out. */
export async function http<T = any>(
  url: string,
  method: string,
  path: string,
  options: {
    token?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  } else if (body !== undefined) {
    headers["content-type"] ??= "application/json";
  }
  const response = await fetch(url + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (metrics, pages)
  }
  return { status: response.status, body: parsed as T };
}

export interface TestUser {
  user: User;
  token: string;
  password: string;
}

export function uniqueName(prefix = "user"): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}

export async function registerUser(url: string, username = uniqueName()): Promise<TestUser> {
  const password = "correct-horse-battery";
  const result = await http<{ user: User; token: string }>(url, "POST", "/api/auth/register", {
    body: { username, password },
  });
  if (result.status !== 201)
    throw new Error(`register failed: ${result.status} ${JSON.stringify(result.body)}`);
  return { ...result.body, password };
}

export async function createChat(
  url: string,
  owner: TestUser,
  type: "direct" | "group",
  members: TestUser[],
  name?: string,
): Promise<Chat> {
  const result = await http<Chat>(url, "POST", "/api/chats", {
    token: owner.token,
    body: { type, name, member_ids: members.map((m) => m.user.id) },
  });
  if (result.status !== 201 && result.status !== 200) {
    throw new Error(`create chat failed: ${result.status} ${JSON.stringify(result.body)}`);
  }
  return result.body;
}

export async function postMessage(
  url: string,
  sender: TestUser,
  chatId: string,
  body: string,
): Promise<Message> {
  const result = await http<Message>(url, "POST", `/api/chats/${chatId}/messages`, {
    token: sender.token,
    body: { body },
  });
  if (result.status !== 201)
    throw new Error(`post failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

const receivedBySocket = new WeakMap<TestSocket, Array<{ event: string; payload: any }>>();

/** Every event a socket made by `connectSocket` has received since it was created. */
export function received(socket: TestSocket): Array<{ event: string; payload: any }> {
  const list = receivedBySocket.get(socket);
  if (!list) throw new Error("received() works on sockets made by connectSocket");
  return list;
}

/** The first payload of `event` received since the socket was created, waiting if needed. */
export function firstEvent<T = any>(socket: TestSocket, event: string, ms = 5000): Promise<T> {
  return eventually(() => {
    const found = received(socket).find((e) => e.event === event);
    if (!found) throw new Error(`no "${event}" within ${ms} ms`);
    return found.payload as T;
  }, ms);
}

/** A socket of its own (WebSocket only, no reconnection), disconnected after the test. */
function openSocket(t: TestContext, url: string, options: Parameters<typeof io>[1]): TestSocket {
  const socket: TestSocket = io(url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    ...options,
  });
  t.after(() => {
    socket.disconnect();
  });
  return socket;
}

/** A connected socket (resolves on `connect`), disconnected after the test. */
export async function connectSocket(
  t: TestContext,
  url: string,
  token: string | undefined,
  options: Parameters<typeof io>[1] = {},
): Promise<TestSocket> {
  const socket = openSocket(t, url, { auth: token === undefined ? {} : { token }, ...options });
  // Events sent right after the handshake (users:list) can arrive in the same read as the
  // connect packet, before the caller gets a chance to listen: keep them all.
  const received: Array<{ event: string; payload: any }> = [];
  socket.onAny((event: string, payload: unknown) => received.push({ event, payload }));
  receivedBySocket.set(socket, received);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error) => reject(error));
  });
  return socket;
}

/** Resolves with the connect_error a refused handshake produces. */
export function connectError(
  t: TestContext,
  url: string,
  options: Parameters<typeof io>[1],
): Promise<Error & { data?: unknown }> {
  const socket = openSocket(t, url, options);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("expected the handshake to be refused")));
    socket.once("connect_error", (error) => resolve(error));
  });
}

/** Records every event a socket receives, for assertions on what arrived (and what did not). */
export function recordEvents(socket: TestSocket): Array<{ event: string; payload: any }> {
  const seen: Array<{ event: string; payload: any }> = [];
  socket.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
  return seen;
}

/** Resolves with the next payload of `event` that passes `match`, or rejects after `ms`. */
export function nextEvent<T = any>(
  socket: TestSocket,
  event: string,
  match: (payload: T) => boolean = () => true,
  ms = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      (socket as any).off(event, listener);
      reject(new Error(`no matching "${event}" within ${ms} ms`));
    }, ms);
    const listener = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      (socket as any).off(event, listener);
      resolve(payload);
    };
    (socket as any).on(event, listener);
  });
}

/** Emits with an acknowledgement and resolves with it. */
export function emitWithAck(
  socket: TestSocket,
  event: string,
  payload: unknown,
  ms = 5000,
): Promise<any> {
  return (socket as any).timeout(ms).emitWithAck(event, payload);
}

/** Polls until `check` passes (no sleeps in tests). */
export async function eventually<T>(
  check: () => T | Promise<T>,
  ms = 5000,
  every = 20,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, every));
    }
  }
}

/**
 * Resolves once everything the server sent this socket before now has arrived: a command's
 * acknowledgement travels behind every earlier event on the same connection. For asserting
 * that something did NOT arrive without sleeping.
 */
export async function settle(socket: TestSocket): Promise<void> {
  await emitWithAck(socket, "typing", {
    chat_id: "00000000-0000-4000-8000-000000000000",
    typing: false,
  });
}
