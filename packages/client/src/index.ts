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
 * client.on("message:send", (message) => console.log(message.body));
 * ```
 */
export { connect } from "./connection.ts";
export type { ChatClient, ConnectOptions, SendOptions } from "./connection.ts";
export type { ChatClientEventName, ChatClientEvents, ConnectionState } from "./events.ts";
export type { CommandName, CommandPayload, CommandResult } from "./commands.ts";
export type { ChatSocket } from "./socket.ts";
export type { Unsubscribe } from "./emitter.ts";
export { randomId } from "./ids.ts";
export { createHttpApi, errorFromResponse } from "./http.ts";
export type { HttpApi, HttpApiOptions, TokenSource } from "./http.ts";
export { createFilesApi } from "./files.ts";
export type { FetchAttachmentOptions, FilesApi, UploadOptions, UploadProgress } from "./files.ts";
export { createAdminApi, postToWebhook } from "./admin.ts";
export type { AdminApi } from "./admin.ts";
export { ChatError, ERRORS, isErrorCode } from "#protocol/errors";
export type { ErrorCode, ErrorInfo } from "#protocol/errors";
export type { Ack, ClientToServerEvents, ServerToClientEvents } from "#protocol/events";
export {
  ATTACHMENTS_PER_MESSAGE_MAX,
  CHAT_DESCRIPTION_MAX,
  CHAT_NAME_MAX,
  DISPLAY_NAME_MAX,
  MESSAGE_BODY_MAX,
  PASSWORD_MAX,
  REACTIONS_PER_MESSAGE_MAX,
  REACTION_USER_IDS_MAX,
  REPLY_QUOTE_MAX,
  REPORT_REASON_MAX,
  SEARCH_QUERY_MAX,
  PASSWORD_MIN,
  USERNAME_MAX,
  USERNAME_MIN,
  UPLOAD_DEFAULT_MAX_BYTES,
  WEBHOOK_NAME_MAX,
} from "#protocol/limits";
export type {
  ServerSettings,
  Attachment,
  UploadedAttachment,
  AuthResult,
  ChangePassword,
  DeleteAccount,
  PatchMe,
  Chat,
  ChatListItem,
  ChatMember,
  ChatSettings,
  PatchChat,
  SearchQuery,
  SearchResults,
  CreateChat,
  Credentials,
  CreateInvite,
  AdminUser,
  AuditEntry,
  BotWithToken,
  CreateBot,
  CreateOutgoingWebhook,
  IncomingWebhook,
  IncomingWebhookWithUrl,
  OutgoingWebhook,
  WebhookDelivery,
  Report,
  History,
  HistoryQuery,
  MemberEvent,
  MemberRoleEvent,
  Message,
  MessageDeletedEvent,
  OnlineUser,
  Reaction,
  Reactions,
  ReadEvent,
  Invite,
  Registration,
  ServerRole,
  ReplyQuote,
  SocketErrorEvent,
  TypingEvent,
  User,
  UserListItem,
  UserUpdatedEvent,
} from "#protocol/schemas";
