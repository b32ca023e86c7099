/**
 * The client library against a real server: the typed HTTP API, sends retried with the
 * same client_msg_id stored once, and catch-up after a reconnect delivering each change once.
 */
import assert from "node:assert/strict";
import { test, type TestContext } from "node:test";
import {
  ChatError,
  connect,
  createHttpApi,
  type ChatClient,
  type ConnectOptions,
  type HttpApi,
  type Message,
} from "@charla/client";
import { eventually, uniqueName } from "../support/clients.ts";
import { startServer } from "../support/server.ts";

const PASSWORD = "correct-horse-battery";

async function person(url: string, name = uniqueName()) {
  const session: { token?: string } = {};
  const api = createHttpApi(url, () => session.token);
  const result = await api.register({ username: name, password: PASSWORD });
  session.token = result.token;
  return { api, user: result.user, token: result.token };
}

function open(t: TestContext, options: ConnectOptions): ChatClient {
  const client = connect({
    ...options,
    socketOptions: { forceNew: true, transports: ["websocket"], ...options.socketOptions },
  });
  t.after(() => client.close());
  return client;
}

/** Every change a client delivers, as "kind:id:change_seq". */
function record(client: ChatClient): string[] {
  const seen: string[] = [];
  client.on("message:send", (m) => seen.push(`message:${m.id}:${m.change_seq}`));
  client.on("message:update", (m) => seen.push(`update:${m.id}:${m.change_seq}`));
  client.on("message:delete", (e) => seen.push(`delete:${e.id}:${e.change_seq}`));
  return seen;
}

async function allMessages(api: HttpApi, chatId: string): Promise<Message[]> {
  return (await api.history(chatId, { limit: 200 })).messages;
}

test("the HTTP API is typed end to end and errors are ChatErrors", async (t) => {
  const { url } = await startServer(t);
  const ana = await person(url, "ana_http");
  const ben = await person(url, "ben_http");
  assert.equal((await ana.api.me()).username, "ana_http");
  const found = await ana.api.searchUsers({ q: "ben_http" });
  assert.ok(found.some((u) => u.id === ben.user.id));

  const chat = await ana.api.createChat({ type: "direct", member_ids: [ben.user.id] });
  const again = await ana.api.createChat({ type: "direct", member_ids: [ben.user.id] });
  assert.equal(again.id, chat.id);
  const first = await ana.api.postMessage(chat.id, { body: "one", client_msg_id: "c-1" });
  const repeat = await ana.api.postMessage(chat.id, { body: "one", client_msg_id: "c-1" });
  assert.equal(repeat.id, first.id);
  const edited = await ana.api.editMessage(first.id, "one, edited");
  assert.equal(edited.status, "updated");
  await ben.api.markRead(chat.id, first.seq);
  const [listed] = await ben.api.listChats();
  assert.equal(listed?.id, chat.id);
  assert.equal(listed?.last_message?.body, "one, edited");
  await ana.api.deleteMessage(first.id);
  const history = await ben.api.history(chat.id);
  assert.deepEqual(
    history.messages.map((m) => [m.status, m.body]),
    [["deleted", ""]],
  );

  await assert.rejects(ben.api.editMessage(first.id, "x"), (error: unknown) => {
    assert.ok(error instanceof ChatError);
    assert.equal(error.code, "NOT_FOUND");
    return true;
  });
  await assert.rejects(
    createHttpApi(url).login({ username: "ana_http", password: "wrong-password" }),
    (error: unknown) => error instanceof ChatError && error.code === "UNAUTHORIZED",
  );
  await assert.rejects(
    createHttpApi(url).listChats(),
    (error: unknown) => error instanceof ChatError && error.code === "UNAUTHORIZED",
  );
  await ana.api.logout();
  await assert.rejects(
    ana.api.me(),
    (error: unknown) => error instanceof ChatError && error.code === "UNAUTHORIZED",
  );
});

test("a send whose acknowledgement is lost is retried with the same client_msg_id and stored once", async (t) => {
  const { url } = await startServer(t);
  const ana = await person(url);
  const ben = await person(url);
  const chat = await ana.api.createChat({ type: "direct", member_ids: [ben.user.id] });
  const client = open(t, { url, token: ana.token });
  await client.ready();

  // Lose the first acknowledgement, as if the connection died right after the server
  // stored the message: the client must reconnect and send again.
  const socket = client.socket;
  const realEmit = socket.emit.bind(socket);
  const sentIds: string[] = [];
  let lost = 0;
  socket.emit = ((
    event: string,
    payload: { client_msg_id?: string },
    ack: (r: unknown) => void,
  ) => {
    if (event !== "message:send") return realEmit(event as "typing", payload as never, ack);
    sentIds.push(payload.client_msg_id ?? "");
    return realEmit("message:send", payload as never, (response) => {
      if (lost === 0) {
        lost += 1;
        socket.io.engine.close();
        return;
      }
      ack(response);
    });
  }) as typeof socket.emit;

  const states: string[] = [];
  client.on("connection:state", (s) => states.push(s));
  const message = await client.send(chat.id, "stored once");
  assert.equal(lost, 1);
  assert.equal(sentIds.length, 2, "sent twice");
  assert.equal(sentIds[0], sentIds[1], "with the same client_msg_id");
  assert.equal(message.client_msg_id, sentIds[0]);
  assert.ok(states.includes("reconnecting"));
  const stored = await allMessages(ana.api, chat.id);
  assert.deepEqual(
    stored.map((m) => m.body),
    ["stored once"],
  );
  assert.equal(stored[0]?.id, message.id);
});

test("sending twice with the same clientMsgId acknowledges the same message", async (t) => {
  const { url } = await startServer(t);
  const ana = await person(url);
  const ben = await person(url);
  const chat = await ana.api.createChat({ type: "direct", member_ids: [ben.user.id] });
  const client = open(t, { url, token: ana.token });
  const seen = record(client);
  await client.ready();
  const [one, two] = await Promise.all([
    client.send(chat.id, "hello", { clientMsgId: "same-id" }),
    client.send(chat.id, "hello", { clientMsgId: "same-id" }),
  ]);
  assert.equal(one.id, two.id);
  assert.equal((await allMessages(ana.api, chat.id)).length, 1);
  await eventually(() => assert.deepEqual(seen, [`message:${one.id}:${one.change_seq}`]));
  await assert.rejects(
    client.send("00000000-0000-4000-8000-000000000000", "nowhere"),
    (error: unknown) => error instanceof ChatError && error.code === "NOT_FOUND",
  );
});

test("after a reconnect every missed change is delivered exactly once", async (t) => {
  const { url } = await startServer(t);
  const ana = await person(url);
  const ben = await person(url);
  const chat = await ana.api.createChat({ type: "direct", member_ids: [ben.user.id] });
  const old = await ana.api.postMessage(chat.id, { body: "before anyone connected" });

  const client = open(t, { url, token: ben.token });
  const seen = record(client);
  let synced = 0;
  client.on("connection:synced", () => (synced += 1));
  await client.ready();
  // Unknown chats are caught up from the start: the old message arrives once.
  assert.deepEqual(seen, [`message:${old.id}:${old.change_seq}`]);

  const live = await ana.api.postMessage(chat.id, { body: "live" });
  await eventually(() => assert.equal(seen.length, 2));

  // The connection drops; while it is down, ana sends, edits and deletes.
  const reconnecting = new Promise<void>((resolve) =>
    client.on("connection:state", (s) => s === "reconnecting" && resolve()),
  );
  // The reconnect is held until the missed changes exist, so none of them can arrive live.
  client.socket.io.reconnection(false);
  client.socket.io.engine.close();
  await reconnecting;
  const missed = await ana.api.postMessage(chat.id, { body: "missed" });
  const edited = await ana.api.editMessage(live.id, "live, edited");
  await ana.api.deleteMessage(old.id);
  assert.equal(seen.length, 2, "nothing arrives while disconnected");
  client.socket.io.reconnection(true);
  client.socket.connect();

  await eventually(() => assert.equal(synced, 2), 10_000);
  const afterFirstReconnect = [...seen];
  assert.deepEqual(
    afterFirstReconnect.slice(2).sort(),
    [
      `delete:${old.id}:${edited.change_seq + 1}`,
      `message:${missed.id}:${missed.change_seq}`,
      `update:${live.id}:${edited.change_seq}`,
    ].sort(),
  );

  // Another reconnect with nothing new delivers nothing again.
  client.socket.io.engine.close();
  await eventually(() => assert.equal(synced, 3), 10_000);
  assert.deepEqual(seen, afterFirstReconnect);
  assert.deepEqual(new Set(seen).size, seen.length);
  assert.equal(client.cursors()[chat.id], edited.change_seq + 1);
});

test("a refused token ends the connection with unauthorized", async (t) => {
  const { url } = await startServer(t);
  const client = open(t, { url, token: "not-a-token" });
  let unauthorized = false;
  client.on("connection:unauthorized", () => (unauthorized = true));
  await assert.rejects(
    client.ready(),
    (error: unknown) => error instanceof ChatError && error.code === "UNAUTHORIZED",
  );
  assert.equal(unauthorized, true);
  assert.equal(client.state, "disconnected");
});

test("logging out ends the connection and pending commands fail", async (t) => {
  const { url } = await startServer(t);
  const ana = await person(url);
  const ben = await person(url);
  const chat = await ana.api.createChat({ type: "direct", member_ids: [ben.user.id] });
  const client = open(t, { url, token: ana.token });
  await client.ready();
  const ended = new Promise<void>((resolve) =>
    client.on("connection:state", (s) => s === "disconnected" && resolve()),
  );
  await ana.api.logout();
  await ended;
  await assert.rejects(
    client.send(chat.id, "after logout"),
    (error: unknown) => error instanceof ChatError && error.code === "UNAVAILABLE",
  );
  assert.equal((await allMessages(ben.api, chat.id)).length, 0);
});

test("serverSettings tells a client, before it signs in, what the server admits", async (t) => {
  const { url } = await startServer(t, { registration: "invite", maxUploadBytes: 1_234_567 });
  const anonymous = createHttpApi(url);
  assert.equal((await anonymous.serverSettings()).registration, "open", "no account yet");
  await person(url);
  const settings = await anonymous.serverSettings();
  assert.equal(settings.registration, "invite");
  assert.equal(settings.limits.upload_bytes, 1_234_567);
});
