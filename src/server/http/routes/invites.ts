/** POST /api/invites (admin): a code and a link that let someone register. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { CreateInvite, Invite } from "@charla/protocol/schemas";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";
import { errorResponses } from "../error-responses.ts";
import { spend } from "../rate-limit.ts";
import { requestOrigin } from "../origin.ts";

export const inviteRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.addHook("onRequest", requireUser(deps.auth));

  app.post(
    "/invites",
    {
      schema: {
        tags: ["admin"],
        security: [{ bearer: [] }],
        summary: "Create an invite (admin): one use and 7 days unless told otherwise",
        body: CreateInvite,
        response: {
          201: Invite,
          ...errorResponses("VALIDATION_ERROR", "UNAUTHORIZED", "FORBIDDEN", "RATE_LIMITED"),
        },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      await spend(deps.adminLimiter, user.id);
      const invite = await deps.invites.create(
        user,
        request.body,
        requestOrigin(request, deps.publicUrl),
      );
      return reply.status(201).send(invite);
    },
  );
};
