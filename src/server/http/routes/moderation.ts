/** What members do to keep a community civil: POST /api/messages/:id/report. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { CreateReport, IdParam, Report } from "@charla/protocol/schemas";
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
};
