/** /api/admin/* (server admins only, FORBIDDEN to others): users, moderation, audit log. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import {
  AdminUser,
  AdminUsersQuery,
  AuditEntry,
  IdParam,
  NewestFirstQuery,
  Report,
} from "@charla/protocol/schemas";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";
import { errorResponses } from "../error-responses.ts";
import { spend } from "../rate-limit.ts";

export const adminRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.addHook("onRequest", requireUser(deps.auth));
  const tags = ["admin"];
  const security = [{ bearer: [] }];
  const errors = errorResponses("VALIDATION_ERROR", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND");
  const writeErrors = { ...errors, ...errorResponses("RATE_LIMITED") };

  app.get(
    "/admin/users",
    {
      schema: {
        tags,
        security,
        summary: "Users whose name contains `q`, with role and deactivation",
        querystring: AdminUsersQuery,
        response: { 200: Type.Object({ users: Type.Array(AdminUser) }), ...errors },
      },
    },
    async (request) => ({ users: await deps.admin.users(caller(request), request.query) }),
  );

  for (const [verb, run] of [
    ["deactivate", deps.admin.deactivate],
    ["reactivate", deps.admin.reactivate],
  ] as const) {
    app.post(
      `/admin/users/:id/${verb}`,
      {
        schema: {
          tags,
          security,
          summary:
            verb === "deactivate"
              ? "Deactivate: every token and socket of the user ends, on every node, for good"
              : "Reactivate: the user may log in again (old tokens stay revoked)",
          params: IdParam,
          response: { 200: AdminUser, ...writeErrors },
        },
      },
      async (request) => {
        const user = caller(request);
        await spend(deps.adminLimiter, user.id);
        return run(user, request.params.id);
      },
    );
  }

  app.delete(
    "/admin/messages/:id",
    {
      schema: {
        tags,
        security,
        summary: "Delete any message (broadcast as message:delete)",
        params: IdParam,
        response: { 204: Type.Null(), ...writeErrors },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      await spend(deps.adminLimiter, user.id);
      await deps.admin.deleteMessage(user, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/admin/reports",
    {
      schema: {
        tags,
        security,
        summary: "Reports of messages, newest first, each with the message",
        querystring: NewestFirstQuery,
        response: { 200: Type.Object({ reports: Type.Array(Report) }), ...errors },
      },
    },
    async (request) => ({ reports: await deps.admin.reports(caller(request), request.query) }),
  );

  app.get(
    "/admin/audit",
    {
      schema: {
        tags,
        security,
        summary: "Every admin action (who, what, when, target), newest first",
        querystring: NewestFirstQuery,
        response: { 200: Type.Object({ entries: Type.Array(AuditEntry) }), ...errors },
      },
    },
    async (request) => ({ entries: await deps.admin.auditLog(caller(request), request.query) }),
  );
};
