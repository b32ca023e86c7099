/** POST /api/auth/register, /login, /logout. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { AuthResult, Credentials, Registration } from "@charla/protocol/schemas";
import { errorResponses } from "../error-responses.ts";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";

export const authRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  const tags = ["auth"];
  app.post(
    "/auth/register",
    {
      schema: {
        tags,
        summary:
          "Create an account and get a token (REGISTRATION=invite: with `invite`; closed: refused)",
        body: Registration,
        response: {
          201: AuthResult,
          ...errorResponses("VALIDATION_ERROR", "FORBIDDEN", "CONFLICT", "RATE_LIMITED"),
        },
      },
    },
    async (request, reply) => {
      await deps.limits.spendRegistration(request.ip);
      const { username, password, invite } = request.body;
      const result = await deps.auth.register(username, password, invite);
      return reply.status(201).send(result);
    },
  );

  app.post(
    "/auth/login",
    {
      schema: {
        tags,
        summary: "Get a token",
        body: Credentials,
        response: {
          200: AuthResult,
          ...errorResponses("UNAUTHORIZED", "FORBIDDEN", "RATE_LIMITED"),
        },
      },
    },
    async (request) => {
      await deps.limits.spendLogin(request.ip, request.body.username);
      return deps.auth.login(request.body.username, request.body.password);
    },
  );

  app.post(
    "/auth/logout",
    {
      onRequest: requireUser(deps.auth),
      schema: {
        tags,
        summary: "Revoke every token of the caller and end their sockets on every node",
        security: [{ bearer: [] }],
        response: { 204: Type.Null(), ...errorResponses("UNAUTHORIZED") },
      },
    },
    async (request, reply) => {
      await deps.auth.logout(caller(request).id);
      return reply.status(204).send(null);
    },
  );
};
