/**
 * The ceiling of the stack: a minimal in-memory Socket.IO server on the same socket.io
 * version as Charla, with `perMessageDeflate` off. It checks a trivial handshake token,
 * joins each socket to the rooms named in its handshake, and on `message:send` stamps
 * `{ id, created_at, seq }`, fans the message out with `io.to(room).emit(...)` and acks
 * `{ ok: true, message }`. It keeps the last messages of each room in memory so that the
 * `sync` catch-up of a reconnect storm works the same way as against Charla.
 *
 * Env: PORT (default 3300), HOST (default 127.0.0.1), BASELINE_TOKEN (default "baseline"),
 * LISTEN_BACKLOG (default 4096, as Charla's),
 * BASELINE_RELEASE_REQUEST=1 to drop each connection's reference to its first HTTP request
 * (socket.io's documented memory saving; the idle scenario measures it as "baseline-lean").
 * Handshake: `auth: { token, user_id, rooms: string[] }`.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { Server } from "socket.io";
import type {
  ClientToServerEvents,
  Message,
  ServerToClientEvents,
  SyncResult,
} from "@charla/protocol";

interface SocketData {
  userId: string;
  rooms: string[];
}

interface RoomLog {
  seq: number;
  /** The newest messages, oldest first; capped so long runs stay bounded. */
  messages: Message[];
}

const LOG_CAP = 2000;
const port = Number(process.env.PORT ?? 3300);
const host = process.env.HOST ?? "127.0.0.1";
const token = process.env.BASELINE_TOKEN ?? "baseline";

const http = createServer((req, res) => {
  res.writeHead(req.url === "/healthz" ? 200 : 404, { "content-type": "application/json" });
  res.end(req.url === "/healthz" ? '{"ok":true}' : '{"error":{"code":"NOT_FOUND"}}');
});
const io = new Server<ClientToServerEvents, ServerToClientEvents, object, SocketData>(http, {
  perMessageDeflate: false,
  maxHttpBufferSize: 64 * 1024,
});
const logs = new Map<string, RoomLog>();
if (process.env.BASELINE_RELEASE_REQUEST === "1") {
  io.engine.on("connection", (raw: { request: unknown }) => {
    raw.request = null;
  });
}

function roomLog(room: string): RoomLog {
  let log = logs.get(room);
  if (!log) {
    log = { seq: 0, messages: [] };
    logs.set(room, log);
  }
  return log;
}

io.use((socket, next) => {
  const auth = socket.handshake.auth as { token?: unknown; user_id?: unknown; rooms?: unknown };
  if (auth.token !== token || typeof auth.user_id !== "string" || !Array.isArray(auth.rooms)) {
    next(new Error("UNAUTHORIZED"));
    return;
  }
  socket.data.userId = auth.user_id;
  socket.data.rooms = auth.rooms.filter((r): r is string => typeof r === "string");
  next();
});

io.on("connection", (socket) => {
  void socket.join(socket.data.rooms);

  socket.on("message:send", (payload, ack) => {
    const room = payload?.chat_id;
    if (typeof room !== "string" || !socket.rooms.has(room) || typeof payload.body !== "string") {
      ack?.({ ok: false, error: { code: "NOT_FOUND", message: "Not found." } });
      return;
    }
    const log = roomLog(room);
    const seq = ++log.seq;
    const message: Message = {
      id: randomUUID(),
      chat_id: room,
      sender_id: socket.data.userId,
      body: payload.body,
      status: "sent",
      seq,
      change_seq: seq,
      client_msg_id: payload.client_msg_id ?? null,
      created_at: new Date().toISOString(),
      reply_to_id: null,
      reply_to: null,
      reactions: [],
      mentions: [],
      updated_at: null,
      attachments: [],
    };
    log.messages.push(message);
    if (log.messages.length > LOG_CAP) log.messages.splice(0, log.messages.length - LOG_CAP);
    io.to(room).emit("message:send", message);
    ack?.({ ok: true, message });
  });

  socket.on("sync", (payload, ack) => {
    const limit = payload?.limit ?? 100;
    const cursors = new Map((payload?.chats ?? []).map((c) => [c.chat_id, c.after_change_seq]));
    const chats: SyncResult["chats"] = socket.data.rooms.map((room) => {
      const after = cursors.get(room) ?? 0;
      const newer = roomLog(room).messages.filter((m) => m.change_seq > after);
      return { chat_id: room, messages: newer.slice(0, limit), has_more: newer.length > limit };
    });
    ack?.({ ok: true, chats });
  });
});

// The kernel caps the accept queue at net.core.somaxconn; Node asks for 511 by default,
// which a reconnect storm of thousands overflows (its SYNs are then retried after 1, 3, 7 s).
const backlog = Number(process.env.LISTEN_BACKLOG ?? 4096);
http.listen({ port, host, backlog }, () => {
  console.log(`baseline listening on http://${host}:${port}`);
});

function shutdown(): void {
  void io.close();
  http.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
