/** /healthz (process up), /readyz (dependencies reachable), /metrics (Prometheus). */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { HttpDeps } from "../deps.ts";

export const operationRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  const tags = ["operations"];
  app.get("/healthz", { schema: { tags, summary: "The process is up" } }, async () => ({
    status: "ok",
  }));

  app.get(
    "/readyz",
    { schema: { tags, summary: "The database (and Redis, when configured) are reachable" } },
    async (_request, reply) => {
      const checks = await deps.readiness();
      const ready = Object.values(checks).every(Boolean);
      const states = Object.fromEntries(
        Object.entries(checks).map(([name, up]) => [name, up ? "up" : "down"]),
      );
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? "ready" : "unavailable", checks: states });
    },
  );

  app.get(
    "/metrics",
    { schema: { tags, summary: "Prometheus metrics" } },
    async (_request, reply) => {
      const body = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(body);
    },
  );
};
