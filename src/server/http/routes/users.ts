/** GET /api/users/me and GET /api/users (search, online filter). */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { ErrorBody, User, UserListItem, UsersQuery } from "@charla/protocol/schemas";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";

export const userRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.addHook("onRequest", requireUser(deps.auth));
  const tags = ["users"];
  const security = [{ bearer: [] }];

  app.get(
    "/users/me",
    { schema: { tags, security, summary: "The caller", response: { 200: User, 401: ErrorBody } } },
    async (request) => deps.users.me(caller(request).id),
  );

  app.get(
    "/users",
    {
      schema: {
        tags,
        security,
        summary: "Find users by part of their name; `online=true` keeps those online",
        querystring: UsersQuery,
        response: { 200: Type.Object({ users: Type.Array(UserListItem) }), 401: ErrorBody },
      },
    },
    async (request) => ({ users: await deps.users.search(request.query) }),
  );
};
