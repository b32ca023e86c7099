/** PATCH and DELETE /api/messages/:id. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { IdParam, Message, PatchMessage } from "@charla/protocol/schemas";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";
import { errorResponses } from "../error-responses.ts";

export const messageRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.addHook("onRequest", requireUser(deps.auth));
  const tags = ["messages"];
  const security = [{ bearer: [] }];
  const errors = errorResponses("VALIDATION_ERROR", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND");

  app.patch(
    "/messages/:id",
    {
      schema: {
        tags,
        security,
        summary: "Edit your message (broadcast as message:update)",
        params: IdParam,
        body: PatchMessage,
        response: { 200: Message, ...errors },
      },
    },
    async (request) => deps.messages.edit(caller(request).id, request.params.id, request.body.body),
  );

  app.delete(
    "/messages/:id",
    {
      schema: {
        tags,
        security,
        summary: "Delete a message: the sender, or the group's owner (broadcast as message:delete)",
        params: IdParam,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deps.messages.remove(caller(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
