/** POST /api/auth/register, /login, /logout, /password, /refresh. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { AuthResult, ChangePassword, Credentials, Registration } from "@charla/protocol/schemas";
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

  app.post(
    "/auth/password",
    {
      onRequest: requireUser(deps.auth),
      schema: {
        tags,
        summary:
          "Change the password: every other token of the caller (this one included) stops working and its sockets end",
        security: [{ bearer: [] }],
        body: ChangePassword,
        response: {
          200: AuthResult,
          ...errorResponses("VALIDATION_ERROR", "UNAUTHORIZED", "RATE_LIMITED"),
        },
      },
    },
    async (request) => {
      const { id } = caller(request);
      await deps.limits.spendPasswordCheck(id);
      return deps.auth.changePassword(id, request.body.current_password, request.body.new_password);
    },
  );

  app.post(
    "/auth/refresh",
    {
      onRequest: requireUser(deps.auth),
      schema: {
        tags,
        summary: "A fresh token; the one sent keeps working until its own expiry",
        security: [{ bearer: [] }],
        response: { 200: AuthResult, ...errorResponses("UNAUTHORIZED", "RATE_LIMITED") },
      },
    },
    async (request) => {
      const { id } = caller(request);
      return deps.auth.refresh(id);
    },
  );
};
