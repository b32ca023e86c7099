/**
 * The Socket.IO event maps of the contract, for `Server<ClientToServerEvents,
 * ServerToClientEvents>` on the server and `Socket<ServerToClientEvents,
 * ClientToServerEvents>` on the client. Event names and payloads are those of the original
 * document (`websockets.es.md`); server payloads are supersets of it.
 */
import type { ErrorInfo } from "./errors.ts";
import type {
  Chat,
  MemberEvent,
  MemberRoleEvent,
  Message,
  MessageDeletedEvent,
  MessageDeletePayload,
  MessageReadPayload,
  MessageSendPayload,
  MessageUpdatePayload,
  OnlineUser,
  ReactionPayload,
  Reactions,
  ReadEvent,
  SocketErrorEvent,
  SyncPayload,
  SyncResult,
  TypingEvent,
  TypingPayload,
  UserConnectedPayload,
  UserDisconnectedPayload,
  UsersListEvent,
  UserUpdatedEvent,
} from "./schemas.ts";

/** Every acknowledgement: success with its fields, or a stable error code. */
export type Ack<T extends object = object> =
  ({ ok: true } & T) | { ok: false; error: Pick<ErrorInfo, "code" | "message"> };

export type AckCallback<T extends object = object> = (response: Ack<T>) => void;

export interface ClientToServerEvents {
  "message:send": (payload: MessageSendPayload, ack?: AckCallback<{ message: Message }>) => void;
  "message:update": (
    payload: MessageUpdatePayload,
    ack?: AckCallback<{ message: Message }>,
  ) => void;
  "message:delete": (payload: MessageDeletePayload, ack?: AckCallback<{ id: string }>) => void;
  "user:connected": (payload: UserConnectedPayload, ack?: AckCallback) => void;
  "user:disconnected": (payload: UserDisconnectedPayload, ack?: AckCallback) => void;
  typing: (payload: TypingPayload, ack?: AckCallback) => void;
  "message:read": (payload: MessageReadPayload, ack?: AckCallback) => void;
  sync: (payload: SyncPayload, ack?: AckCallback<SyncResult>) => void;
  /** Adds the caller's reaction; adding it twice changes nothing. */
  "reaction:add": (payload: ReactionPayload, ack?: AckCallback<Reactions>) => void;
  /** Removes the caller's reaction; removing what is not there changes nothing. */
  "reaction:remove": (payload: ReactionPayload, ack?: AckCallback<Reactions>) => void;
}

export interface ServerToClientEvents {
  "message:send": (message: Message) => void;
  "message:update": (message: Message) => void;
  "message:delete": (payload: MessageDeletedEvent) => void;
  /** A message's reactions changed (its `change_seq` with them). */
  "message:reactions": (payload: Reactions) => void;
  "user:connected": (user: OnlineUser) => void;
  "users:online": (user: OnlineUser) => void;
  "user:disconnected": (payload: { user_id: string }) => void;
  "users:list": (payload: UsersListEvent) => void;
  "user:updated": (payload: UserUpdatedEvent) => void;
  typing: (payload: TypingEvent) => void;
  "message:read": (payload: ReadEvent) => void;
  "chat:created": (chat: Chat) => void;
  /** A chat's name or description changed: the chat. */
  "chat:updated": (chat: Chat) => void;
  "chat:member_added": (payload: MemberEvent) => void;
  "chat:member_removed": (payload: MemberEvent) => void;
  /** A group member's role changed (owner → admin or member). */
  "chat:member_updated": (payload: MemberRoleEvent) => void;
  error: (payload: SocketErrorEvent) => void;
}

/** The events a client may emit. */
export type ClientEventName = keyof ClientToServerEvents;

/** The reason Socket.IO's `connect_error` carries when the handshake is refused for auth. */
export const UNAUTHORIZED_CONNECT_ERROR = "UNAUTHORIZED";
