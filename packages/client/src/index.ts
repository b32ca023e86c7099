/**
 * The typed Charla client, for browsers and Node: `createHttpApi` for the HTTP API and
 * `connect` for the real-time connection. Types come from the one protocol declaration.
 *
 * @example
 * ```ts
 * import { connect, createHttpApi } from "@charla/client";
 *
 * const api = createHttpApi("http://localhost:3000");
 * const { token } = await api.login({ username: "ana", password: "correct horse" });
 * const client = connect({ url: "http://localhost:3000", token });
 * client.on("message", (message) => console.log(message.body));
 * ```
 */
export { connect, randomId } from "./connection.ts";
export type {
  ChatClient,
  ChatClientEvents,
  ChatSocket,
  ConnectionState,
  ConnectOptions,
  SendOptions,
} from "./connection.ts";
export type { Unsubscribe } from "./emitter.ts";
export { createHttpApi, errorFromResponse } from "./http.ts";
export type { HttpApi, HttpApiOptions, TokenSource } from "./http.ts";
export { ChatError, ERRORS, isErrorCode } from "@charla/protocol/errors";
export type { ErrorCode, ErrorInfo } from "@charla/protocol/errors";
export type { Ack, ClientToServerEvents, ServerToClientEvents } from "@charla/protocol/events";
export type {
  AuthResult,
  Chat,
  ChatListItem,
  ChatMember,
  CreateChat,
  Credentials,
  History,
  HistoryQuery,
  MemberEvent,
  Message,
  MessageDeletedEvent,
  OnlineUser,
  ReadEvent,
  SocketErrorEvent,
  TypingEvent,
  User,
  UserListItem,
} from "@charla/protocol/schemas";
