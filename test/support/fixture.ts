/**
 * The setup most tests share: a real server for this test (port 0, closed when the test
 * ends), users registered through the public API, and chats among them, with helpers bound
 * to that server. New tests start here:
 *
 *   const { url, users: [ana, ben, eve], direct, group, connect } = await chatFixture(t, [
 *     "ana", "ben", "eve",
 *   ]);
 *   const chat = await direct(ana, ben);
 *   const socket = await connect(ben);
 *
 * Several nodes (Redis, one PostgreSQL database) are test/cluster/support.ts's; a store on
 * its own is test/support/stores.ts's.
 */
import type { TestContext } from "node:test";
import type { App } from "../../src/server/app.ts";
import type { Config } from "../../src/server/config.ts";
import type { Chat, Message } from "@charla/protocol/schemas";
import {
  connectSocket,
  createChat,
  postMessage,
  registerUser,
  type TestSocket,
  type TestUser,
} from "./clients.ts";
import { startServer } from "./server.ts";

export interface ChatFixture<Users extends readonly TestUser[]> {
  url: string;
  app: App;
  /** The users asked for, in the same order, each with a token. */
  users: Users;
  /** Registers one more user (a unique name when none is given). */
  register(name?: string): Promise<TestUser>;
  /** Opens the direct chat of `a` and `b` (as `a`). */
  direct(a: TestUser, b: TestUser): Promise<Chat>;
  /** Creates a group owned by `owner`. */
  group(owner: TestUser, members: readonly TestUser[], name?: string): Promise<Chat>;
  /** Posts a message over HTTP and returns it as stored. */
  post(sender: TestUser, chatId: string, body: string): Promise<Message>;
  /** A socket of `user`, connected over WebSocket and closed when the test ends. */
  connect(user: TestUser, options?: Parameters<typeof connectSocket>[3]): Promise<TestSocket>;
}

/** Starts a server for this test with the named users registered (concurrently). */
export async function chatFixture<const Names extends readonly string[]>(
  t: TestContext,
  names: Names,
  server: Partial<Config> = {},
): Promise<ChatFixture<{ [K in keyof Names]: TestUser }>> {
  const { url, app } = await startServer(t, server);
  const users = (await Promise.all(names.map((name) => registerUser(url, name)))) as {
    [K in keyof Names]: TestUser;
  };
  return {
    url,
    app,
    users,
    register: (name) => registerUser(url, name),
    direct: (a, b) => createChat(url, a, "direct", [b]),
    group: (owner, members, name) => createChat(url, owner, "group", [...members], name),
    post: (sender, chatId, body) => postMessage(url, sender, chatId, body),
    connect: (user, options) => connectSocket(t, url, user.token, options),
  };
}
