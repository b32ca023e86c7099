/** Socket.IO typed with the protocol's event maps (STYLE.md, habit 1). */
import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents } from "@charla/protocol/events";
import type { AuthenticatedUser, HandshakeRead } from "../domain/auth.ts";

export interface InterServerEvents {
  /** A password change moved the user to `version`: end their sockets of older tokens. */
  "sessions:ended": (userId: string, version: number) => void;
}

export interface SocketData {
  user: AuthenticatedUser;
  /** The chats the user belonged to at the handshake; joined as rooms on connect. */
  chatIds: readonly string[];
  /** The users in a block with the user at the handshake; their block rooms joined on connect. */
  blockPeerIds: readonly string[];
  /** This socket's presence updates, chained so that they apply in order. */
  presence: Promise<unknown>;
  /** Until connect: re-reads the user's token state and chats (auth-middleware.ts). */
  recheck: (() => Promise<HandshakeRead>) | undefined;
  /**
   * Settles once the connection is consistent with every change committed before it was
   * accepted (rooms re-checked); commands wait for it, and fail if the token was revoked.
   */
  ready: Promise<void>;
}

/**
 * What a socket keeps in `data` once a promise has settled or a list was used up: one shared
 * value for every idle socket instead of one of each per socket.
 */
export const SETTLED: Promise<void> = Promise.resolve();
export const NO_IDS: readonly string[] = Object.freeze([]);

/**
 * Once `promise` has fulfilled, and if `socket.data[key]` still holds it, puts SETTLED in its
 * place: a settled promise kept by every idle socket costs ~50 B each. A rejected one stays
 * (whoever awaits it must see the failure); its rejection counts as handled here.
 */
export function forgetWhenSettled(
  socket: ChatSocket,
  key: "ready" | "presence",
  promise: Promise<unknown>,
): void {
  promise.then(
    () => {
      if (socket.data[key] === promise) socket.data[key] = SETTLED;
    },
    () => undefined,
  );
}

export type ChatServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type ChatSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/**
 * The one copy of `room` the process already holds, if any: a room name built for each socket
 * (`chat:<id>`, ~64 B) is otherwise kept by every socket in the room, in its set of rooms. A
 * property name is always V8's internalized (shared) string, and the string table drops it
 * once nothing holds it, so there is no table of our own to clean up. For joins; a broadcast
 * need not pay for it.
 */
export const sharedRoomName = (room: string): string => Object.keys({ [room]: 0 })[0]!;

/** Room of a chat's members' sockets, on every node. */
export const chatRoom = (chatId: string) => `chat:${chatId}`;
/** Room of one user's sockets, on every node: used to move them in and out of chat rooms. */
export const userRoom = (userId: string) => `user:${userId}`;
/**
 * Room of the sockets of every user in a block with `userId` (either way): presence about
 * `userId` skips it, since while a block lasts neither user is the other's contact.
 */
export const blockRoom = (userId: string) => `blocks:${userId}`;
