/** /api/bots (server admins): bot accounts and their API tokens, each shown once. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { BotWithToken, CreateBot, IdParam, User } from "@charla/protocol/schemas";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";
import { errorResponses } from "../error-responses.ts";
import { spend } from "../rate-limit.ts";

export const botRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.addHook("onRequest", requireUser(deps.auth));
  const tags = ["integrations"];
  const security = [{ bearer: [] }];
  const errors = errorResponses("VALIDATION_ERROR", "UNAUTHORIZED", "FORBIDDEN", "RATE_LIMITED");

  app.post(
    "/bots",
    {
      schema: {
        tags,
        security,
        summary: "Create a bot (admin): its API token is in this answer only",
        body: CreateBot,
        response: { 201: BotWithToken, ...errors, ...errorResponses("CONFLICT") },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      await spend(deps.adminLimiter, user.id);
      return reply.status(201).send(await deps.bots.create(user, request.body));
    },
  );

  app.get(
    "/bots",
    {
      schema: {
        tags,
        security,
        summary: "Every bot account (admin)",
        response: { 200: Type.Object({ bots: Type.Array(User) }), ...errors },
      },
    },
    async (request) => ({ bots: await deps.bots.list(caller(request)) }),
  );

  app.delete(
    "/bots/:id/token",
    {
      schema: {
        tags,
        security,
        summary: "Revoke the bot's token (admin): requests are refused, its sockets end",
        params: IdParam,
        response: { 204: Type.Null(), ...errors, ...errorResponses("NOT_FOUND") },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      await spend(deps.adminLimiter, user.id);
      await deps.bots.revoke(user, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/bots/:id/token",
    {
      schema: {
        tags,
        security,
        summary: "A new token for the bot (admin), shown once; the old one stops working",
        params: IdParam,
        response: { 201: BotWithToken, ...errors, ...errorResponses("NOT_FOUND") },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      await spend(deps.adminLimiter, user.id);
      return reply.status(201).send(await deps.bots.reissue(user, request.params.id));
    },
  );
};
