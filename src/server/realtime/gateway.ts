/**
 * The Socket.IO gateway: authenticated sockets, each in its user's room and its chats' rooms,
 * with the handlers of each area registered per socket.
 */
import type { Server as HttpServer, IncomingMessage } from "node:http";
import { Server } from "socket.io";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { AuthService, HandshakeRead } from "../domain/auth.ts";
import type { ChatService } from "../domain/chats.ts";
import type { MessageService } from "../domain/messages.ts";
import type { ReactionService } from "../domain/reactions.ts";
import type { Presence } from "../domain/presence.ts";
import type { UserService } from "../domain/users.ts";
import type { Metrics } from "../metrics.ts";
import type { Limits } from "../rate-limits.ts";
import { toChatError } from "../errors.ts";
import { compactConnection } from "../library-shims.ts";
import { createAuthMiddleware } from "./auth-middleware.ts";
import { coalesceQueuedFrames } from "./coalesce-writes.ts";
import { createDispatcher, type CommandContext } from "./command.ts";
import { createExpiryWheel } from "./expiry.ts";
import { chatCommands } from "./handlers/chats.ts";
import { messageCommands } from "./handlers/messages.ts";
import { reactionCommands } from "./handlers/reactions.ts";
import { createPresenceTracking } from "./handlers/presence.ts";
import type { PresenceScopeService } from "./presence-scope.ts";
import {
  blockRoom,
  chatRoom,
  forgetWhenSettled,
  NO_IDS,
  sharedRoomName,
  userRoom,
  type ChatServer,
  type ChatSocket,
} from "./types.ts";

export interface GatewayDeps {
  config: Readonly<Config>;
  log: Logger;
  metrics: Metrics;
  auth: AuthService;
  users: Pick<UserService, "withProfiles">;
  chats: ChatService;
  messages: MessageService;
  reactions: ReactionService;
  presence: Presence;
  limits: Limits;
  presenceScope: PresenceScopeService;
  /** Test seam (AppOptions.testHooks): delays the handshake after its database read. */
  afterHandshakeRead?: ((userId: string) => Promise<void>) | undefined;
  isDraining: () => boolean;
}

/** Same origin, or one listed in CORS_ORIGINS; clients that send no Origin (scripts) pass. */
function isAllowedOrigin(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes("*") || allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * The Socket.IO server, not yet attached: the domain's broadcaster needs it before the
 * handlers (which need the domain) are registered by `startGateway`.
 */
export function createSocketServer(
  config: Readonly<Config>,
  isDraining: () => boolean,
): ChatServer {
  return new Server({
    maxHttpBufferSize: config.maxSocketFrameBytes,
    // Compression costs CPU on every frame and chat frames are small.
    perMessageDeflate: false,
    allowRequest: (req, callback) => {
      if (isDraining()) return callback("Shutting down", false);
      const allowed = isAllowedOrigin(req, config.corsOrigins);
      callback(allowed ? null : "Origin not allowed", allowed);
    },
    cors:
      config.corsOrigins.length > 0
        ? { origin: [...config.corsOrigins], credentials: true }
        : undefined,
  });
}

/** Authenticates sockets, dispatches their events, attaches to the HTTP server; returns a stop. */
export function startGateway(
  io: ChatServer,
  httpServer: HttpServer,
  deps: GatewayDeps,
): { close(): void } {
  const { config, log, metrics, presence } = deps;
  const context: CommandContext = {
    log,
    metrics,
    limits: deps.limits,
    isDraining: deps.isDraining,
  };

  const tracking = createPresenceTracking(deps.presenceScope, presence, log);
  const dispatch = createDispatcher(
    {
      ...tracking.commands,
      ...messageCommands(deps.messages),
      ...reactionCommands(deps.reactions),
      ...chatCommands(deps.chats),
    },
    context,
  );
  const expiry = createExpiryWheel((socket) => {
    socket.emit("error", {
      event: "auth",
      code: "UNAUTHORIZED",
      message: "The token has expired.",
    });
    socket.disconnect(true);
  });
  // Shared by every socket (EventEmitter calls listeners with the socket as `this`): no
  // per-connection closure.
  function onDisconnect(this: ChatSocket) {
    expiry.remove(this, this.data.user.expiresAt);
    metrics.socketsConnected.dec();
  }
  // Before the socket leaves its rooms: they say whose presence hears of the departure.
  function onDisconnecting(this: ChatSocket) {
    tracking.disconnected(this);
  }

  io.use(
    createAuthMiddleware({
      ...deps,
      maxSocketsPerUser: config.maxSocketsPerUser,
      afterHandshakeRead: deps.afterHandshakeRead,
    }),
  );

  io.on("connection", (socket) => {
    const { user, chatIds, blockPeerIds, recheck } = socket.data;
    // The handlers first, so that whatever ends the socket from here on (an expiry just
    // below included) undoes its count and its presence exactly once.
    socket.on("disconnecting", onDisconnecting);
    socket.on("disconnect", onDisconnect);
    metrics.socketsConnected.inc();
    // In its user's room first, then its chats': room changes from now on reach it.
    socket.join(
      [userRoom(user.id), ...chatIds.map(chatRoom), ...blockPeerIds.map(blockRoom)].map(
        sharedRoomName,
      ),
    );
    // Socket.IO puts every socket in a room named by its id; Charla never addresses one
    // socket through the adapter (nor uses socket.to / socket.broadcast, which exclude the
    // sender by that room), and the room cost each idle connection a Set of its own.
    socket.leave(socket.id);
    socket.data.chatIds = NO_IDS;
    socket.data.blockPeerIds = NO_IDS;
    socket.data.recheck = undefined;
    tracking.connected(socket);
    socket.onAny(dispatch);
    const ready = settleRooms(socket, { chatIds, blockPeerIds }, recheck);
    socket.data.ready = ready;
    // A rejection is handled there; each command that waits for it reports the failure itself.
    forgetWhenSettled(socket, "ready", ready);
    expiry.add(socket, user.expiresAt);
    // Last: every listener of this connection is in place.
    compactConnection(socket);
  });

  /**
   * A logout or a member change committed while the handshake was reading reached no room
   * this socket was in yet: read again now that it is in them, and catch up.
   */
  async function settleRooms(
    socket: ChatSocket,
    joined: { chatIds: readonly string[]; blockPeerIds: readonly string[] },
    recheck: (() => Promise<HandshakeRead>) | undefined,
  ): Promise<void> {
    if (!recheck) return;
    let now: HandshakeRead;
    try {
      now = await recheck();
    } catch (error) {
      const { code, message } = toChatError(error, log, { phase: "handshake recheck" });
      socket.emit("error", { event: "auth", code, message });
      socket.disconnect(true);
      throw error;
    }
    moveRooms(socket, joined.chatIds.map(chatRoom), now.chatIds.map(chatRoom));
    moveRooms(socket, joined.blockPeerIds.map(blockRoom), now.blockPeerIds.map(blockRoom));
  }

  /** The socket leaves the rooms of `was` that `now` lacks and joins those it adds. */
  function moveRooms(socket: ChatSocket, was: readonly string[], now: readonly string[]) {
    const current = new Set(now);
    for (const room of was) if (!current.has(room)) socket.leave(room);
    const before = new Set(was);
    socket.join(now.filter((room) => !before.has(room)).map(sharedRoomName));
  }

  // Called on the one node that found them gone (it reaped a dead node): tell every node.
  presence.onUsersGone((userIds) => deps.presenceScope.announceGone(userIds));

  io.attach(httpServer);
  coalesceQueuedFrames(io);
  return { close: () => expiry.close() };
}
