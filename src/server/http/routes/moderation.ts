/**
 * What members do to keep a community civil: POST /api/messages/:id/report, and blocking
 * (PUT / DELETE /api/users/me/blocks/:user_id, GET /api/users/me/blocks).
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { CreateReport, IdParam, Report, User } from "@charla/protocol/schemas";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";
import { errorResponses } from "../error-responses.ts";
import { spend } from "../rate-limit.ts";

export const moderationRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.addHook("onRequest", requireUser(deps.auth));
  const security = [{ bearer: [] }];

  app.post(
    "/messages/:id/report",
    {
      schema: {
        tags: ["moderation"],
        security,
        summary: "Report a message of one of your chats to the server's admins",
        params: IdParam,
        body: CreateReport,
        response: {
          201: Report,
          ...errorResponses("VALIDATION_ERROR", "UNAUTHORIZED", "NOT_FOUND", "RATE_LIMITED"),
        },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      await spend(deps.memberWriteLimiter, user.id);
      const report = await deps.admin.report(user.id, request.params.id, request.body.reason);
      return reply.status(201).send(report);
    },
  );

  const BlockParams = Type.Object(
    { user_id: IdParam.properties.id },
    { additionalProperties: false },
  );
  for (const method of ["PUT", "DELETE"] as const) {
    app.route({
      method,
      url: "/users/me/blocks/:user_id",
      schema: {
        tags: ["moderation"],
        security,
        summary:
          method === "PUT"
            ? "Block a user: they cannot open or send into your direct chat"
            : "Unblock a user",
        params: BlockParams,
        response: {
          204: Type.Null(),
          ...errorResponses("VALIDATION_ERROR", "UNAUTHORIZED", "NOT_FOUND", "RATE_LIMITED"),
        },
      },
      handler: async (request, reply) => {
        const user = caller(request);
        await spend(deps.memberWriteLimiter, user.id);
        const { user_id } = request.params as { user_id: string };
        if (method === "PUT") await deps.blocks.block(user.id, user_id.toLowerCase());
        else await deps.blocks.unblock(user.id, user_id.toLowerCase());
        return reply.status(204).send(null);
      },
    });
  }

  app.get(
    "/users/me/blocks",
    {
      schema: {
        tags: ["moderation"],
        security,
        summary: "The users you block",
        response: {
          200: Type.Object({ users: Type.Array(User) }),
          ...errorResponses("UNAUTHORIZED"),
        },
      },
    },
    async (request) => ({ users: await deps.blocks.list(caller(request).id) }),
  );
};
