/**
 * The errors Fastify answers before a route or the error handler runs, in the contract's
 * envelope `{ error: { code, message } }` too: a URL that is not valid percent-encoding
 * (`frameworkErrors`), and a request Node's parser refuses outright (`clientErrorHandler`:
 * malformed request line, headers too large, timeout), written straight to the socket.
 */
import http from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ChatError, codeForStatus } from "@charla/protocol/errors";

export function frameworkErrors(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
) {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 400;
  const message =
    error.code === "FST_ERR_BAD_URL" ? "The URL is not valid percent-encoding." : error.message;
  void reply.status(status).send({ error: new ChatError(codeForStatus(status), message).toJSON() });
}

export function clientErrorHandler(error: Error & { code?: string }, socket: Socket) {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const status =
    error.code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? 408
      : error.code === "HPE_HEADER_OVERFLOW"
        ? 431
        : 400;
  const message =
    status === 408
      ? "The request took too long to arrive."
      : status === 431
        ? "The request headers are too large."
        : "The request is not valid HTTP.";
  const body = JSON.stringify({ error: { code: codeForStatus(status), message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
