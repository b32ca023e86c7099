/**
 * Every payload of the wire contract, declared once. Each schema is at the same time the
 * runtime validator (Ajv, for HTTP and socket alike), the TypeScript type (`Static<>`) and
 * a component of the OpenAPI document. Objects reject unknown properties so that typos and
 * hostile extra nesting get a clear VALIDATION_ERROR instead of being silently ignored.
 */
import { Type, type Static, type TSchema, type TProperties } from "@sinclair/typebox";
import {
  CHAT_DESCRIPTION_MAX,
  CHAT_NAME_MAX,
  EMOJI_MAX_LENGTH,
  DISPLAY_NAME_MAX,
  MESSAGE_BODY_MAX,
  REACTION_USER_IDS_MAX,
  SEARCH_QUERY_MAX,
  REPLY_QUOTE_MAX,
  ATTACHMENTS_PER_MESSAGE_MAX,
  PASSWORD_MAX,
  PASSWORD_MIN,
  USERNAME_MAX,
  USERNAME_MIN,
  WEBHOOK_NAME_MAX,
  WEBHOOK_SECRET_MAX,
  WEBHOOK_URL_MAX,
} from "./limits.ts";

/** A closed object: unknown properties are a validation error. */
const Obj = <T extends TProperties>(
  properties: T,
  options: { $id?: string; description?: string } = {},
) => Type.Object(properties, { additionalProperties: false, ...options });

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export { MESSAGE_BODY_MAX } from "./limits.ts";
/** PostgreSQL text cannot hold NUL: refuse it up front instead of failing the whole write. */
const NO_NUL = "^[^\\u0000]*$";
/** Generous bound before trimming; the trimmed body is then held to 1–4000 characters. */
const RAW_BODY_MAX = MESSAGE_BODY_MAX * 4;

/**
 * A UUID in its canonical 36-character form, in any letter case (`urn:uuid:`, braces or no
 * hyphens are refused). The server's validators lower-case it where it arrives (the
 * `x-lowercase` keyword), so ids are compared, stored and used in room names in one form.
 */
export const Uuid = Type.String({
  format: "uuid",
  "x-lowercase": true,
  description: "A UUID: 36 characters, any letter case (answered in lower case).",
});
export const Timestamp = Type.String({
  format: "date-time",
  description: "ISO-8601 UTC, e.g. 2024-09-15T10:00:00.000Z",
});
export const Username = Type.String({
  minLength: USERNAME_MIN,
  maxLength: USERNAME_MAX,
  pattern: "^[A-Za-z0-9_.-]+$",
  description: "3–32 of A–Z, a–z, 0–9, _ . -; unique regardless of case.",
});
export const Password = Type.String({
  minLength: PASSWORD_MIN,
  maxLength: PASSWORD_MAX,
  pattern: NO_NUL,
});
export const MessageBody = Type.String({
  pattern: NO_NUL,
  minLength: 1,
  maxLength: RAW_BODY_MAX,
  description: `1–${MESSAGE_BODY_MAX} characters after trimming.`,
});
export const ClientMsgId = Type.String({
  pattern: NO_NUL,
  minLength: 1,
  maxLength: 100,
  description: "Chosen by the client; a repeat from the same sender returns the original message.",
});
export const Seq = Type.Integer({ minimum: 0, maximum: 2 ** 53 - 1 });
export const ChatType = Type.Union([Type.Literal("direct"), Type.Literal("group")]);
export const MemberRole = Type.Union([
  Type.Literal("owner"),
  Type.Literal("admin"),
  Type.Literal("member"),
]);
export const MessageStatus = Type.Union([
  Type.Literal("sent"),
  Type.Literal("updated"),
  Type.Literal("deleted"),
]);

// ---------------------------------------------------------------- objects

/** A server role: `admin` may use /api/admin, create invites, bots and outgoing webhooks. */
export const ServerRole = Type.Union([Type.Literal("admin"), Type.Literal("user")]);
export type ServerRole = Static<typeof ServerRole>;
/** What every user-shaped payload carries besides its id and username (profiles, v2). */
export const Profile = {
  display_name: Nullable(
    Type.String({ description: `1–${DISPLAY_NAME_MAX} characters; null when not set.` }),
  ),
  avatar_url: Nullable(
    Type.String({ description: "A path under /avatars/ that changes whenever the avatar does." }),
  ),
  deleted: Type.Optional(
    Type.Literal(true, { description: "Present (true) on a closed account only." }),
  ),
};

export const User = Obj({
  id: Uuid,
  username: Type.String(),
  created_at: Timestamp,
  role: ServerRole,
  bot: Type.Boolean({ description: "True for a bot account (POST /api/bots)." }),
  ...Profile,
});
export type User = Static<typeof User>;

export const UserListItem = Obj({
  id: Uuid,
  username: Type.String(),
  display_name: Nullable(Type.String()),
  avatar_url: Nullable(Type.String()),
  deleted: Profile.deleted,
  online: Type.Boolean(),
});
export type UserListItem = Static<typeof UserListItem>;

export const ChatMember = Obj({
  user_id: Uuid,
  username: Type.String(),
  display_name: Profile.display_name,
  avatar_url: Profile.avatar_url,
  role: MemberRole,
  last_read_seq: Type.Integer({ minimum: 0, description: "How far this member has read." }),
});
export type ChatMember = Static<typeof ChatMember>;

/** What a reply shows of the message it answers; `body` emptied once the original is deleted. */
export const ReplyQuote = Obj({
  id: Uuid,
  sender_id: Uuid,
  body: Type.String({ description: `The original's first ${REPLY_QUOTE_MAX} characters.` }),
  status: MessageStatus,
});
export type ReplyQuote = Static<typeof ReplyQuote>;

/** One emoji on a message: how many reacted with it, and the first of them. */
export const Reaction = Obj({
  emoji: Type.String(),
  count: Type.Integer({ minimum: 1 }),
  user_ids: Type.Array(Uuid, {
    maxItems: REACTION_USER_IDS_MAX,
    description: `Who reacted, the first ${REACTION_USER_IDS_MAX} in the order they did.`,
  }),
});
export type Reaction = Static<typeof Reaction>;

/** What POST /api/uploads answers: the file as stored, before any message carries it. */
export const UploadedAttachment = Obj({
  id: Uuid,
  name: Type.String({ description: "The file's name as sent, cut to 255 characters." }),
  content_type: Type.String({ description: "Detected from the bytes, never from the client." }),
  size: Type.Integer({ minimum: 0, description: "Bytes." }),
  width: Nullable(Type.Integer({ minimum: 1, description: "Images only." })),
  height: Nullable(Type.Integer({ minimum: 1, description: "Images only." })),
});
export type UploadedAttachment = Static<typeof UploadedAttachment>;

export const UploadResult = Obj({ attachment: UploadedAttachment });
export type UploadResult = Static<typeof UploadResult>;

/** An attachment as a message carries it, with signed links that need no token. */
export const Attachment = Obj({
  ...UploadedAttachment.properties,
  url: Type.String({
    description: "Signed path of the file (valid at least an hour; every payload signs anew).",
  }),
  thumbnail_url: Nullable(
    Type.String({ description: "Signed path of a WebP thumbnail (images only)." }),
  ),
});
export type Attachment = Static<typeof Attachment>;

/** At most 10 distinct upload ids, each attached once by its uploader. */
export const AttachmentIds = Type.Array(Uuid, {
  maxItems: ATTACHMENTS_PER_MESSAGE_MAX,
  description: `Up to ${ATTACHMENTS_PER_MESSAGE_MAX} ids from POST /api/uploads (the caller's, not yet attached).`,
});

/** A body that may be empty: a message with attachments needs no text. */
export const SendBody = Type.String({
  pattern: NO_NUL,
  maxLength: RAW_BODY_MAX,
  description: `0–${MESSAGE_BODY_MAX} characters after trimming; at least 1 without attachments.`,
});

export const Message = Obj({
  id: Uuid,
  chat_id: Uuid,
  sender_id: Uuid,
  body: Type.String(),
  status: MessageStatus,
  seq: Type.Integer({ description: "1, 2, 3 … per chat, without gaps, in commit order." }),
  change_seq: Type.Integer({
    description:
      "Per-chat change counter: bumped by every send, edit and delete. Catch-up cursor for edits and deletes.",
  }),
  client_msg_id: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Nullable(Timestamp),
  reply_to_id: Nullable(Uuid),
  reply_to: Nullable(ReplyQuote),
  reactions: Type.Array(Reaction, { description: "In the order each emoji was first used." }),
  mentions: Type.Array(Uuid, { description: "Members mentioned as @username in the body." }),
  attachments: Type.Array(Attachment, {
    description: "In the order they were sent; emptied when the message is deleted.",
  }),
});
export type Message = Static<typeof Message>;

export const Chat = Obj({
  id: Uuid,
  type: ChatType,
  name: Nullable(Type.String()),
  description: Nullable(Type.String()),
  created_by: Uuid,
  created_at: Timestamp,
  members: Type.Array(ChatMember),
});
export type Chat = Static<typeof Chat>;

export const ChatListItem = Obj({
  ...Chat.properties,
  last_message: Nullable(Message),
  unread_count: Type.Integer({ minimum: 0 }),
  muted: Type.Boolean({ description: "The caller muted this chat (no notifications)." }),
  mention_count: Type.Integer({
    minimum: 0,
    description: "Unread messages that mention the caller.",
  }),
  last_read_seq: Type.Integer({ minimum: 0 }),
});
export type ChatListItem = Static<typeof ChatListItem>;

export const ErrorBody = Obj({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});

export const OnlineUser = Obj({
  user_id: Uuid,
  username: Type.String(),
  display_name: Type.Optional(Profile.display_name),
  avatar_url: Type.Optional(Profile.avatar_url),
});
export type OnlineUser = Static<typeof OnlineUser>;

/** `user:updated`: a user's display name or avatar changed. */
export const UserUpdatedEvent = Obj({
  user_id: Uuid,
  username: Type.String(),
  display_name: Profile.display_name,
  avatar_url: Profile.avatar_url,
});
export type UserUpdatedEvent = Static<typeof UserUpdatedEvent>;

// ---------------------------------------------------------------- HTTP requests

export const Credentials = Obj({ username: Username, password: Password });
export type Credentials = Static<typeof Credentials>;

export const InviteCode = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: "^[A-Za-z0-9_-]+$",
  description: "The code of an invite (POST /api/invites).",
});

/** Registration: with REGISTRATION=invite, `invite` is required. */
export const Registration = Obj({
  username: Username,
  password: Password,
  invite: Type.Optional(InviteCode),
});
export type Registration = Static<typeof Registration>;

/**
 * `GET /api/server` (no token): what a client needs before it acts. `registration` is what
 * POST /api/auth/register would admit now (`open` on a server with no account yet, whatever
 * REGISTRATION says); `limits` are this server's own, MAX_UPLOAD_BYTES included.
 */
export const ServerSettings = Obj({
  registration: Type.Union([Type.Literal("open"), Type.Literal("invite"), Type.Literal("closed")]),
  limits: Obj({
    upload_bytes: Type.Integer({ minimum: 1, description: "MAX_UPLOAD_BYTES: one file's most." }),
    attachments_per_message: Type.Integer({ minimum: 1 }),
    body_characters: Type.Integer({ minimum: 1, description: "A message body's most." }),
  }),
});
export type ServerSettings = Static<typeof ServerSettings>;

export const CreateInvite = Obj({
  max_uses: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
  expires_in_seconds: Type.Optional(
    Type.Integer({ minimum: 60, maximum: 31_536_000, default: 604_800 }),
  ),
});
export type CreateInvite = Static<typeof CreateInvite>;

export const Invite = Obj({
  code: InviteCode,
  url: Type.String({ description: "The web client's register page with this invite." }),
  expires_at: Timestamp,
  max_uses: Type.Integer({ minimum: 1 }),
});
export type Invite = Static<typeof Invite>;
export const DisplayName = Type.String({
  pattern: NO_NUL,
  // Generous before trimming; the trimmed name is then held to 1–64 characters.
  maxLength: DISPLAY_NAME_MAX * 4,
  description: `1–${DISPLAY_NAME_MAX} characters after trimming.`,
});
export const PatchMe = Obj({ display_name: Nullable(DisplayName) });
export type PatchMe = Static<typeof PatchMe>;

/** A password to check (not to set): any length up to the maximum, so a wrong one is 401. */
const PasswordToCheck = Type.String({ minLength: 1, maxLength: PASSWORD_MAX, pattern: NO_NUL });

export const ChangePassword = Obj({ current_password: PasswordToCheck, new_password: Password });
export type ChangePassword = Static<typeof ChangePassword>;

export const DeleteAccount = Obj({
  password: PasswordToCheck,
  erase_messages: Type.Optional(Type.Boolean()),
});
export type DeleteAccount = Static<typeof DeleteAccount>;

export const AuthResult = Obj({ user: User, token: Type.String(), expires_at: Timestamp });
export type AuthResult = Static<typeof AuthResult>;

/** Comma-separated UUIDs (canonical form, any case), at most 200: `?ids=a,b,c`. */
export const USER_IDS_PATTERN = (() => {
  const uuid = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
  return `^${uuid}(,${uuid}){0,199}$`;
})();

export const UsersQuery = Obj({
  ids: Type.Optional(
    Type.String({
      pattern: USER_IDS_PATTERN,
      description:
        "Up to 200 user ids, comma-separated: those users (unknown ids left out), with whether each is online; `q`, `online` and `limit` then do not apply.",
    }),
  ),
  q: Type.Optional(Type.String({ maxLength: 64, pattern: NO_NUL })),
  online: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type UsersQuery = Static<typeof UsersQuery>;

export const CreateChat = Obj({
  type: ChatType,
  name: Type.Optional(
    Nullable(Type.String({ minLength: 1, maxLength: CHAT_NAME_MAX, pattern: NO_NUL })),
  ),
  member_ids: Type.Array(Uuid, { maxItems: 200, uniqueItems: true }),
});
export type CreateChat = Static<typeof CreateChat>;

/** `PATCH /api/chats/:id`: what to change; `null` clears. */
export const PatchChat = Type.Object(
  {
    name: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: CHAT_NAME_MAX, pattern: NO_NUL })),
    ),
    description: Type.Optional(
      Nullable(Type.String({ maxLength: CHAT_DESCRIPTION_MAX, pattern: NO_NUL })),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchChat = Static<typeof PatchChat>;

/** `PUT /api/chats/:id/settings`: the caller's own settings of a chat. */
export const ChatSettings = Obj({ muted: Type.Boolean() });
export type ChatSettings = Static<typeof ChatSettings>;

export const AddMember = Obj({ user_id: Uuid });
export type AddMember = Static<typeof AddMember>;

export const HistoryQuery = Obj({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  before_seq: Type.Optional(Seq),
  after_seq: Type.Optional(Seq),
});
export type HistoryQuery = Static<typeof HistoryQuery>;

/** `GET /api/search`: every word of `q` must be a whole word of the message. */
export const SearchQuery = Obj({
  q: Type.String({ minLength: 1, maxLength: SEARCH_QUERY_MAX, pattern: NO_NUL }),
  chat_id: Type.Optional(Uuid),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  before: Type.Optional(Uuid),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchResults = Obj({
  results: Type.Array(Obj({ message: Message, chat_id: Uuid })),
  has_more: Type.Boolean(),
});
export type SearchResults = Static<typeof SearchResults>;

export const History = Obj({ messages: Type.Array(Message), has_more: Type.Boolean() });
export type History = Static<typeof History>;

export const PostMessage = Obj({
  body: Type.Optional(SendBody),
  client_msg_id: Type.Optional(ClientMsgId),
  reply_to_id: Type.Optional(Uuid),
  attachment_ids: Type.Optional(AttachmentIds),
});
export type PostMessage = Static<typeof PostMessage>;

export const PatchMessage = Obj({ body: MessageBody });
export type PatchMessage = Static<typeof PatchMessage>;

export const ReadPosition = Obj({ seq: Seq });
export type ReadPosition = Static<typeof ReadPosition>;

export const IdParam = Obj({ id: Uuid });
/** One emoji (an RGI emoji sequence); checked by the server beyond this bound. */
export const Emoji = Type.String({
  minLength: 1,
  maxLength: EMOJI_MAX_LENGTH,
  pattern: NO_NUL,
  description: "One emoji: an RGI emoji sequence (👍, 👍🏽, 🇪🇸, 👨‍👩‍👧).",
});
export const ReactionParams = Obj({ id: Uuid, emoji: Emoji });

export const Reactions = Obj({
  message_id: Uuid,
  chat_id: Uuid,
  reactions: Type.Array(Reaction),
  change_seq: Type.Integer(),
});
export type Reactions = Static<typeof Reactions>;
export const MemberParams = Obj({ id: Uuid, user_id: Uuid });

// ---------------------------------------------------------------- socket payloads (client → server)

export const MessageSendPayload = Obj({
  chat_id: Uuid,
  sender_id: Type.Optional(Uuid),
  body: Type.Optional(SendBody),
  status: Type.Optional(Type.Literal("sent")),
  client_msg_id: Type.Optional(ClientMsgId),
  reply_to_id: Type.Optional(Uuid),
  attachment_ids: Type.Optional(AttachmentIds),
});
export type MessageSendPayload = Static<typeof MessageSendPayload>;

export const MessageUpdatePayload = Obj({
  id: Uuid,
  body: MessageBody,
  status: Type.Optional(Type.Literal("updated")),
});
export type MessageUpdatePayload = Static<typeof MessageUpdatePayload>;

export const MessageDeletePayload = Obj({ id: Uuid });
export type MessageDeletePayload = Static<typeof MessageDeletePayload>;

/** `reaction:add` and `reaction:remove`. */
export const ReactionPayload = Obj({ message_id: Uuid, emoji: Emoji });
export type ReactionPayload = Static<typeof ReactionPayload>;

export const UserConnectedPayload = Obj({
  user_id: Uuid,
  username: Type.String({ maxLength: 64 }),
});
export type UserConnectedPayload = Static<typeof UserConnectedPayload>;

export const UserDisconnectedPayload = Obj({ user_id: Uuid });
export type UserDisconnectedPayload = Static<typeof UserDisconnectedPayload>;

export const TypingPayload = Obj({ chat_id: Uuid, typing: Type.Boolean() });
export type TypingPayload = Static<typeof TypingPayload>;

export const MessageReadPayload = Obj({ chat_id: Uuid, seq: Seq });
export type MessageReadPayload = Static<typeof MessageReadPayload>;

/**
 * Catch-up after a reconnect: for each chat, the highest `change_seq` the client has seen.
 * Chats the caller belongs to but does not list are caught up from 0 (their whole history,
 * up to `limit` changes each).
 */
export const SyncPayload = Obj({
  chats: Type.Optional(
    Type.Array(Obj({ chat_id: Uuid, after_change_seq: Seq }), { maxItems: 1000 }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
export type SyncPayload = Static<typeof SyncPayload>;

// ---------------------------------------------------------------- socket payloads (server → client)

export const MessageDeletedEvent = Obj({
  id: Uuid,
  chat_id: Uuid,
  seq: Type.Integer(),
  change_seq: Type.Integer(),
});
export type MessageDeletedEvent = Static<typeof MessageDeletedEvent>;

export const UsersListEvent = Obj({ users: Type.Array(OnlineUser) });
export type UsersListEvent = Static<typeof UsersListEvent>;

export const TypingEvent = Obj({ chat_id: Uuid, user_id: Uuid, typing: Type.Boolean() });
export type TypingEvent = Static<typeof TypingEvent>;

export const ReadEvent = Obj({
  chat_id: Uuid,
  user_id: Uuid,
  seq: Type.Integer(),
  read_at: Timestamp,
});
export type ReadEvent = Static<typeof ReadEvent>;

export const MemberEvent = Obj({ chat_id: Uuid, user_id: Uuid });
export type MemberEvent = Static<typeof MemberEvent>;

export const SyncResult = Obj({
  chats: Type.Array(
    Obj({ chat_id: Uuid, messages: Type.Array(Message), has_more: Type.Boolean() }),
  ),
});
export type SyncResult = Static<typeof SyncResult>;

export const SocketErrorEvent = Obj({
  event: Type.String(),
  code: Type.String(),
  message: Type.String(),
});
export type SocketErrorEvent = Static<typeof SocketErrorEvent>;

// ---------------------------------------------------------------- administration and moderation

/** A user as admins see it (GET /api/admin/users). */
export const AdminUser = Obj({
  ...User.properties,
  deactivated_at: Nullable(Timestamp),
});
export type AdminUser = Static<typeof AdminUser>;

export const AdminUsersQuery = Obj({
  q: Type.Optional(Type.String({ maxLength: 64, pattern: NO_NUL })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type AdminUsersQuery = Static<typeof AdminUsersQuery>;

/** A page of a newest-first list; `before` is the id of the last item of the previous page. */
export const NewestFirstQuery = Obj({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  before: Type.Optional(Uuid),
});
export type NewestFirstQuery = Static<typeof NewestFirstQuery>;

export const AuditEntry = Obj({
  id: Uuid,
  actor_id: Uuid,
  action: Type.String({ description: "e.g. user.deactivate, message.delete, invite.create" }),
  target_type: Type.String({
    description: "user, message, invite, bot, webhook (outgoing), chat (its incoming webhooks)",
  }),
  target_id: Nullable(Type.String()),
  created_at: Timestamp,
});
export type AuditEntry = Static<typeof AuditEntry>;

export const ReportReason = Type.String({
  minLength: 1,
  maxLength: 2000,
  pattern: NO_NUL,
  description: "1–500 characters after trimming.",
});
export const CreateReport = Obj({ reason: ReportReason });
export type CreateReport = Static<typeof CreateReport>;

export const Report = Obj({
  id: Uuid,
  message: Message,
  reporter_id: Uuid,
  reason: Type.String(),
  created_at: Timestamp,
});
export type Report = Static<typeof Report>;

/** PATCH /api/chats/:id/members/:user_id (the group's owner). */
export const SetMemberRole = Obj({
  role: Type.Union([Type.Literal("admin"), Type.Literal("member")]),
});
export type SetMemberRole = Static<typeof SetMemberRole>;

export const MemberRoleEvent = Obj({ chat_id: Uuid, user_id: Uuid, role: MemberRole });
export type MemberRoleEvent = Static<typeof MemberRoleEvent>;

// ---------------------------------------------------------------- integrations: bots, webhooks

/** POST /api/bots (server admin). */
export const CreateBot = Obj({ username: Username, display_name: Type.Optional(DisplayName) });
export type CreateBot = Static<typeof CreateBot>;

/** A bot with its API token: the token is in this answer only (the server keeps a hash). */
export const BotWithToken = Obj({
  user: User,
  token: Type.String({
    description: "The bot's API token, shown once: send it as `Authorization: Bearer <token>`.",
  }),
});
export type BotWithToken = Static<typeof BotWithToken>;

/** The events an outgoing webhook may ask for: the socket events of the same names. */
export const WEBHOOK_EVENTS = [
  "message:send",
  "message:update",
  "message:delete",
  "chat:created",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const WebhookEventName = Type.Union(WEBHOOK_EVENTS.map((event) => Type.Literal(event)));

export const WebhookName = Type.String({
  minLength: 1,
  maxLength: WEBHOOK_NAME_MAX * 4,
  pattern: NO_NUL,
  description: `1–${WEBHOOK_NAME_MAX} characters after trimming.`,
});

/** POST /api/chats/:id/webhooks (the group's owner or an admin). */
export const CreateIncomingWebhook = Obj({ name: WebhookName });
export type CreateIncomingWebhook = Static<typeof CreateIncomingWebhook>;

export const IncomingWebhook = Obj({
  id: Uuid,
  name: Type.String(),
  chat_id: Uuid,
  bot_id: Uuid,
  created_by: Uuid,
  created_at: Timestamp,
});
export type IncomingWebhook = Static<typeof IncomingWebhook>;

/** An incoming webhook as created: with its secret URL, shown this once. */
export const IncomingWebhookWithUrl = Obj({
  ...IncomingWebhook.properties,
  url: Type.String({
    description: "POST `{ text }` here, with no other credential; shown once (it is the secret).",
  }),
});
export type IncomingWebhookWithUrl = Static<typeof IncomingWebhookWithUrl>;

/** POST <incoming webhook url>. */
export const IncomingWebhookPost = Obj({ text: MessageBody });
export type IncomingWebhookPost = Static<typeof IncomingWebhookPost>;

export const ChatWebhookParams = Obj({ id: Uuid, webhook_id: Uuid });
export type ChatWebhookParams = Static<typeof ChatWebhookParams>;

/** POST /api/webhooks (server admin). */
export const CreateOutgoingWebhook = Obj({
  url: Type.String({ minLength: 1, maxLength: WEBHOOK_URL_MAX, pattern: NO_NUL }),
  events: Type.Array(WebhookEventName, { minItems: 1, maxItems: WEBHOOK_EVENTS.length }),
  secret: Type.String({
    minLength: 1,
    maxLength: WEBHOOK_SECRET_MAX,
    pattern: NO_NUL,
    description: "Signs each delivery: X-Charla-Signature: sha256=<hex HMAC-SHA256 of the body>.",
  }),
});
export type CreateOutgoingWebhook = Static<typeof CreateOutgoingWebhook>;

export const OutgoingWebhook = Obj({
  id: Uuid,
  url: Type.String(),
  events: Type.Array(WebhookEventName),
  created_by: Uuid,
  created_at: Timestamp,
});
export type OutgoingWebhook = Static<typeof OutgoingWebhook>;

export const WebhookDelivery = Obj({
  delivery_id: Uuid,
  event: WebhookEventName,
  chat_id: Uuid,
  attempts: Type.Integer({ minimum: 0 }),
  last_status: Nullable(
    Type.Integer({ description: "HTTP status of the last attempt; null: no answer." }),
  ),
  last_error: Nullable(Type.String({ description: "Why the last attempt failed, if it did." })),
  delivered_at: Nullable(Timestamp),
  next_attempt_at: Nullable(
    Type.String({ format: "date-time", description: "null once delivered or given up." }),
  ),
  created_at: Timestamp,
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const DeliveriesQuery = Obj({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type DeliveriesQuery = Static<typeof DeliveriesQuery>;
