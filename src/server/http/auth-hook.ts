/** Bearer-token authentication for the routes that need a user. */
import type { FastifyReply, FastifyRequest } from "fastify";
import { ChatError } from "@charla/protocol/errors";
import type { AuthenticatedUser, AuthService } from "../domain/auth.ts";

declare module "fastify" {
  interface FastifyRequest {
    user: AuthenticatedUser | undefined;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return typeof header === "string" && /^Bearer /i.test(header)
    ? header.slice(7).trim()
    : undefined;
}

/** onRequest hook: sets `request.user` or answers 401 UNAUTHORIZED. */
export function requireUser(auth: AuthService) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const token = bearerToken(request);
    if (!token) throw new ChatError("UNAUTHORIZED", "Send Authorization: Bearer <token>.");
    request.user = await auth.verify(token);
  };
}

/** The authenticated caller; only for routes behind `requireUser`. */
export function caller(request: FastifyRequest): AuthenticatedUser {
  if (!request.user) throw new ChatError("UNAUTHORIZED");
  return request.user;
}
