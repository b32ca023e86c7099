/** GET /api/search: messages of the caller's chats, by their words. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { SearchQuery, SearchResults } from "@charla/protocol/schemas";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";
import { errorResponses } from "../error-responses.ts";

export const searchRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.addHook("onRequest", requireUser(deps.auth));

  app.get(
    "/search",
    {
      schema: {
        tags: ["messages"],
        security: [{ bearer: [] }],
        summary:
          "Messages of the caller's chats (or of chat_id) with every word of q, in any case and with or without accents, newest first; before = the last result's id",
        querystring: SearchQuery,
        response: {
          200: SearchResults,
          ...errorResponses("VALIDATION_ERROR", "UNAUTHORIZED", "NOT_FOUND"),
        },
      },
    },
    async (request) => deps.messages.search(caller(request).id, request.query),
  );
};
