/** GET /api/users/me and GET /api/users (search, online filter). */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { ErrorBody, User, UserListItem, UsersQuery } from "@charla/protocol/schemas";
import { ChatError } from "@charla/protocol/errors";
import { publicUser } from "../../domain/auth.ts";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";

export const userRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.addHook("onRequest", requireUser(deps.auth));
  const tags = ["users"];
  const security = [{ bearer: [] }];

  app.get(
    "/users/me",
    { schema: { tags, security, summary: "The caller", response: { 200: User, 401: ErrorBody } } },
    async (request) => {
      const user = await deps.store.findUserById(caller(request).id);
      if (!user) throw new ChatError("UNAUTHORIZED");
      return publicUser(user);
    },
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
    async (request) => {
      const { q = "", online, limit = 50 } = request.query;
      const onlineIds = new Set((await deps.presence.online()).map((u) => u.user_id));
      const found = await deps.store.searchUsers(q, online === undefined ? limit : 1000);
      const users = found
        .map((u) => ({ id: u.id, username: u.username, online: onlineIds.has(u.id) }))
        .filter((u) => online === undefined || u.online === online)
        .slice(0, limit);
      return { users };
    },
  );
};
