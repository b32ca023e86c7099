/** /healthz (process up), /readyz (dependencies reachable), /metrics (Prometheus). */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { ChatError } from "@charla/protocol/errors";
import { bearerToken } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";

/**
 * Metrics tell the Node version, memory, descriptors and route latencies: loopback reads them
 * (a scraper on the host), others only with the token. A request relayed by a proxy on the
 * same host arrives from loopback too, so one that says it was forwarded needs the token.
 */
function mayReadMetrics(request: FastifyRequest, token: string | undefined): boolean {
  const given = bearerToken(request);
  if (token !== undefined && given !== undefined) {
    const [a, b] = [Buffer.from(given), Buffer.from(token)];
    if (a.length === b.length && timingSafeEqual(a, b)) return true;
  }
  const address = request.socket.remoteAddress ?? "";
  const loopback =
    address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
  const forwarded =
    request.headers["x-forwarded-for"] !== undefined || request.headers.forwarded !== undefined;
  return loopback && !forwarded;
}

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
    {
      schema: {
        tags,
        summary: "Prometheus metrics (loopback, or with Authorization: Bearer <METRICS_TOKEN>)",
      },
    },
    async (request, reply) => {
      if (!mayReadMetrics(request, deps.metricsToken)) {
        throw new ChatError(
          "FORBIDDEN",
          "Metrics are served to loopback, or with the METRICS_TOKEN bearer token.",
        );
      }
      const body = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(body);
    },
  );
};
