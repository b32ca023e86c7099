/** The caller's account (GET, PATCH, DELETE /api/users/me) and GET /api/users (search). */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { DeleteAccount, PatchMe, User, UserListItem, UsersQuery } from "@charla/protocol/schemas";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";
import { errorResponses } from "../error-responses.ts";

export const userRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.addHook("onRequest", requireUser(deps.auth));
  const tags = ["users"];
  const security = [{ bearer: [] }];

  app.get(
    "/users/me",
    {
      schema: {
        tags,
        security,
        summary: "The caller",
        response: { 200: User, ...errorResponses("UNAUTHORIZED") },
      },
    },
    async (request) => deps.users.me(caller(request).id),
  );

  app.patch(
    "/users/me",
    {
      schema: {
        tags,
        security,
        summary: "Set or clear (null) the caller's display name",
        body: PatchMe,
        response: {
          200: User,
          ...errorResponses("VALIDATION_ERROR", "UNAUTHORIZED", "RATE_LIMITED"),
        },
      },
    },
    async (request) => {
      const { id } = caller(request);
      return deps.users.setDisplayName(id, request.body.display_name);
    },
  );

  app.delete(
    "/users/me",
    {
      schema: {
        tags,
        security,
        summary:
          "Close the caller's account: sessions end, it leaves every chat, optionally its messages are erased",
        body: DeleteAccount,
        response: {
          204: Type.Null(),
          ...errorResponses("VALIDATION_ERROR", "UNAUTHORIZED", "RATE_LIMITED"),
        },
      },
    },
    async (request, reply) => {
      const { id } = caller(request);
      await deps.limits.spendPasswordCheck(id);
      await deps.accounts.close(id, request.body.password, request.body.erase_messages ?? false);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/users",
    {
      schema: {
        tags,
        security,
        summary:
          "Find users by part of their name (`online` keeps those online or offline), or get some by id (`ids`), with whether each is online",
        querystring: UsersQuery,
        response: {
          200: Type.Object({ users: Type.Array(UserListItem) }),
          ...errorResponses("VALIDATION_ERROR", "UNAUTHORIZED"),
        },
      },
    },
    async (request) => {
      const { ids } = request.query;
      const callerId = caller(request).id;
      if (ids === undefined) return { users: await deps.users.search(callerId, request.query) };
      return { users: await deps.users.byIds(callerId, ids.toLowerCase().split(",")) };
    },
  );
};
