/**
 * Frames queued for one connection leave in one system call instead of one each.
 *
 * A group commit releases many messages at once, so a connection is often sent several
 * frames in the same tick. engine.io writes the first and queues the rest until that write
 * completes, then flushes the queue to the WebSocket frame by frame: one `writev` per frame.
 * Corking the connection's TCP socket for the length of that flush lets Node write the
 * whole queue with one `writev`. engine.io emits "flush" just before and "drain" just after
 * handing the queue to the transport, synchronously, so the cork never outlives the flush.
 */
import type { Socket as TcpSocket } from "node:net";
import { tcpSocketOf, type EngineSocketLike } from "../library-shims.ts";
import type { ChatServer } from "./types.ts";

export function coalesceQueuedFrames(io: ChatServer): void {
  let corked: TcpSocket | undefined;
  const release = () => {
    corked?.uncork();
    corked = undefined;
  };
  io.engine.on("flush", (socket: EngineSocketLike, queue: readonly unknown[]) => {
    release(); // in case a flush threw before its "drain"
    if (queue.length < 2) return;
    corked = tcpSocketOf(socket);
    corked?.cork();
  });
  io.engine.on("drain", release);
}
