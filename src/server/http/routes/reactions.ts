/** PUT and DELETE /api/messages/:id/reactions/:emoji (the emoji URL-encoded). */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ReactionParams, Reactions } from "@charla/protocol/schemas";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";
import { errorResponses } from "../error-responses.ts";

export const reactionRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.addHook("onRequest", requireUser(deps.auth));
  const tags = ["messages"];
  const security = [{ bearer: [] }];
  const schema = {
    tags,
    security,
    params: ReactionParams,
    response: {
      200: Reactions,
      ...errorResponses("VALIDATION_ERROR", "UNAUTHORIZED", "NOT_FOUND", "RATE_LIMITED"),
    },
  };

  app.put(
    "/messages/:id/reactions/:emoji",
    {
      schema: {
        ...schema,
        summary: "React to a message with one emoji (members; adding twice changes nothing)",
      },
    },
    async (request) => {
      const { id } = caller(request);
      return deps.reactions.add(id, request.params.id, request.params.emoji);
    },
  );

  app.delete(
    "/messages/:id/reactions/:emoji",
    {
      schema: {
        ...schema,
        summary: "Take back your reaction (removing what is not there changes nothing)",
      },
    },
    async (request) => {
      const { id } = caller(request);
      return deps.reactions.remove(id, request.params.id, request.params.emoji);
    },
  );
};
