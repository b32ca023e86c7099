/** What the client package's tests share: a registered person and a connected client. */
import type { TestContext } from "node:test";
import { connect, createHttpApi, type ChatClient } from "@charla/client";
import { uniqueName } from "../support/clients.ts";

export const PASSWORD = "correct-horse-battery";

/** A new user registered through the package's HTTP API, which then carries its token. */
export async function person(url: string, name = uniqueName()) {
  const session: { token?: string } = {};
  const api = createHttpApi(url, () => session.token);
  const result = await api.register({ username: name, password: PASSWORD });
  session.token = result.token;
  return { api, user: result.user, token: result.token };
}

/** A client connected over WebSocket only, closed after the test. */
export function openClient(t: TestContext, url: string, token: string): ChatClient {
  const client = connect({
    url,
    token,
    socketOptions: { forceNew: true, transports: ["websocket"] },
  });
  t.after(() => client.close());
  return client;
}
