/**
 * Two users, one direct chat, one message, end to end through the typed client.
 *
 *   npm start                                   # a server on http://localhost:3000
 *   node --conditions=source --import tsx examples/send-message.ts  # CHARLA_URL=… for another server
 *
 * Registers (or logs in) "ana_example" and "ben_example", opens their direct chat, connects
 * both over Socket.IO, sends from ana and prints what ben receives.
 */
import { ChatError, connect, createHttpApi, type HttpApi } from "@charla/client";

const url = process.env.CHARLA_URL ?? "http://localhost:3000";
const password = "example-password";

/** Logs in, registering first when the user does not exist yet. */
async function signIn(username: string): Promise<{ api: HttpApi; token: string; id: string }> {
  const session: { token?: string } = {};
  const api = createHttpApi(url, () => session.token);
  const result = await api.login({ username, password }).catch(async (error: unknown) => {
    if (error instanceof ChatError && error.code === "UNAUTHORIZED") {
      return api.register({ username, password });
    }
    throw error;
  });
  session.token = result.token;
  return { api, token: result.token, id: result.user.id };
}

const ana = await signIn("ana_example");
const ben = await signIn("ben_example");
// A direct chat is created once; asking again returns the same one.
const chat = await ana.api.createChat({ type: "direct", member_ids: [ben.id] });
console.log(`chat ${chat.id} between ${chat.members.map((m) => m.username).join(" and ")}`);

const anaClient = connect({ url, token: ana.token });
const benClient = connect({ url, token: ben.token });
benClient.on("connection:state", (state) => console.log(`ben's connection: ${state}`));
const arrived = new Map<string, () => void>();
benClient.on("message:send", (message) => {
  if (message.chat_id !== chat.id) return;
  console.log(`ben received #${message.seq}: ${JSON.stringify(message.body)}`);
  arrived.get(message.id)?.();
  arrived.set(message.id, () => undefined);
});
// ready(): connected and caught up. Ben sees the chat's earlier messages first, once each.
await Promise.all([anaClient.ready(), benClient.ready()]);

const sent = await anaClient.send(chat.id, `¡Hola, Ben! (${new Date().toISOString()})`);
console.log(`ana's message stored as #${sent.seq} (id ${sent.id})`);
// The broadcast may have reached ben before ana's acknowledgement.
if (!arrived.has(sent.id)) {
  await new Promise<void>((resolve) => arrived.set(sent.id, resolve));
}

anaClient.close();
benClient.close();
