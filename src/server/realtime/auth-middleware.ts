/**
 * The handshake: a socket is let in only with a valid token, taken from `auth.token`, an
 * `Authorization: Bearer` header, or the `x-token` query (the original project's clients).
 * A refusal is `connect_error` with message "UNAUTHORIZED".
 */
import type { Logger } from "pino";
import { ChatError } from "@charla/protocol/errors";
import { UNAUTHORIZED_CONNECT_ERROR } from "@charla/protocol/events";
import type { AuthService } from "../domain/auth.ts";
import { toChatError } from "../errors.ts";
import { releaseHandshake } from "../library-shims.ts";
import { sharedRoomName, userRoom, type ChatSocket } from "./types.ts";

export function tokenFromHandshake(handshake: ChatSocket["handshake"]): unknown {
  const fromAuth = (handshake.auth as Record<string, unknown> | undefined)?.token;
  if (fromAuth !== undefined) return fromAuth;
  const header = handshake.headers.authorization;
  if (typeof header === "string" && /^Bearer /i.test(header)) return header.slice(7).trim();
  return handshake.query["x-token"];
}

export function createAuthMiddleware(deps: {
  auth: AuthService;
  log: Logger;
  /** Live sockets one user may hold on this node (MAX_SOCKETS_PER_USER). */
  maxSocketsPerUser: number;
  /** Test seam: runs after the handshake's database read, before the socket is accepted. */
  afterHandshakeRead?: ((userId: string) => Promise<void>) | undefined;
}) {
  return async (socket: ChatSocket, next: (err?: Error) => void) => {
    try {
      const { user, chatIds, blockPeerIds, recheck } = await deps.auth.verifyWithChats(
        tokenFromHandshake(socket.handshake),
      );
      await deps.afterHandshakeRead?.(user.id);
      // Joining and counting in one synchronous step: concurrent handshakes of one user
      // cannot all pass the cap. A refused or abandoned handshake leaves its rooms.
      const room = sharedRoomName(userRoom(user.id));
      socket.join(room);
      if ((socket.nsp.adapter.rooms.get(room)?.size ?? 0) > deps.maxSocketsPerUser) {
        throw new ChatError(
          "RATE_LIMITED",
          `At most ${deps.maxSocketsPerUser} connections per user; close one first.`,
        );
      }
      socket.data.user = user;
      socket.data.chatIds = chatIds;
      socket.data.blockPeerIds = blockPeerIds;
      socket.data.recheck = recheck;
      // Nothing reads a socket's handshake (token, headers) or its request after this point;
      // each idle socket would otherwise hold them.
      releaseHandshake(socket);
      next();
    } catch (error) {
      const chatError = toChatError(error, deps.log, { phase: "handshake" });
      const refusal = new Error(
        chatError.code === "UNAUTHORIZED" ? UNAUTHORIZED_CONNECT_ERROR : chatError.code,
      ) as Error & { data?: unknown };
      refusal.data = { code: chatError.code, message: chatError.message };
      next(refusal);
    }
  };
}
