/**
 * What a {@link ChatClient} emits. One naming scheme: an event that comes from the server
 * keeps its wire name and payload (see the contract), delivered once each however it
 * arrived (live, in an acknowledgement, or in catch-up); the client's own events use the
 * same `area:verb` form under `connection:` and `presence:`.
 */
import type { ChatError } from "#protocol/errors";
import type {
  Chat,
  MemberEvent,
  MemberRoleEvent,
  Message,
  MessageDeletedEvent,
  OnlineUser,
  Reactions,
  UserUpdatedEvent,
  ReadEvent,
  TypingEvent,
} from "#protocol/schemas";

/**
 * - `connecting`: the first connection is being opened.
 * - `connected`: live; commands go out at once.
 * - `reconnecting`: the connection dropped and is being reopened on its own; commands wait.
 * - `disconnected`: closed for good (by {@link ChatClient.close}, by the server, or because
 *   the token was refused); call {@link ChatClient.reconnect} to try again.
 */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "disconnected";

export interface ChatClientEvents {
  /** A message seen for the first time (live, acknowledged to this client, or caught up). */
  "message:send": (message: Message) => void;
  /**
   * A later state of a known message: an edit (status `updated`), or, from catch-up, any
   * newer state (reactions included): replace the message you show with it.
   */
  "message:update": (message: Message) => void;
  /**
   * A message was deleted (its body is gone everywhere). The server may announce a delete
   * as `message:update` with status `deleted`; the client always delivers it here.
   */
  "message:delete": (event: MessageDeletedEvent) => void;
  /**
   * A message's reactions changed (anyone's, the caller's own included). A message caught up
   * after a reconnect carries its reactions and arrives as `message:update` instead.
   */
  "message:reactions": (event: Reactions) => void;
  /** Someone else started or stopped typing in a chat. */
  typing: (event: TypingEvent) => void;
  /** A member's read position moved. */
  "message:read": (event: ReadEvent) => void;
  /** A user came online (their first live socket anywhere). Sent once, not also as `users:online`. */
  "user:connected": (user: OnlineUser) => void;
  /** A user's display name or avatar changed (a contact's, or the caller's own). */
  "user:updated": (user: UserUpdatedEvent) => void;
  /** A user went offline (their last live socket anywhere closed). */
  "user:disconnected": (payload: { user_id: string }) => void;
  "chat:created": (chat: Chat) => void;
  /** A chat's name or description changed: the chat as it is now. */
  "chat:updated": (chat: Chat) => void;
  "chat:member_added": (event: MemberEvent) => void;
  "chat:member_removed": (event: MemberEvent) => void;
  /** A group member's role changed (the owner made them an admin, or a member again). */
  "chat:member_updated": (event: MemberRoleEvent) => void;
  /**
   * A failure with no promise to reject: a server `error` event (a command sent without an
   * acknowledgement failed; `details` is `{ event }`) or a failed catch-up. Always a
   * {@link ChatError}, like every rejection of the client.
   */
  error: (error: ChatError) => void;

  /** The connection state changed. */
  "connection:state": (state: ConnectionState) => void;
  /** A catch-up after a (re)connect finished: every change missed so far was delivered. */
  "connection:synced": () => void;
  /** The handshake refused the token (`UNAUTHORIZED`); the client stops reconnecting. */
  "connection:unauthorized": () => void;
  /** The set of users online changed: `user_id → username`. */
  "presence:change": (online: ReadonlyMap<string, string>) => void;
}

export type ChatClientEventName = keyof ChatClientEvents;
