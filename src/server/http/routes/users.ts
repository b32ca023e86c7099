/** GET /api/users/me and GET /api/users (search, online filter). */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { User, UserListItem, UsersQuery } from "@charla/protocol/schemas";
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
      if (ids === undefined) return { users: await deps.users.search(request.query) };
      return { users: await deps.users.byIds(ids.toLowerCase().split(",")) };
    },
  );
};
