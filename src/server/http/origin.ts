import type { FastifyRequest } from "fastify";

/**
 * The server's own origin as the caller reached it (`http://host:port`), for absolute URLs in
 * answers (invite links, incoming webhook URLs). PUBLIC_URL, when set, wins: behind a proxy
 * the request's host is not the one people use.
 */
export function requestOrigin(request: FastifyRequest, publicUrl?: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, "");
  return `${request.protocol}://${request.host}`;
}
