/**
 * The HTTP side: Fastify with the protocol's schemas as validators and OpenAPI document,
 * the API under /api, operations endpoints, and the web client at /.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import cors from "@fastify/cors";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { Logger } from "pino";
import { ChatError } from "@charla/protocol/errors";
import type { Config } from "../config.ts";
import { queryAjv, strictAjv } from "../validation.ts";
import type { HttpDeps } from "./deps.ts";
import { createErrorHandler } from "./error-handler.ts";
import { clientErrorHandler, frameworkErrors } from "./framework-errors.ts";
import { registerSecurityHeaders } from "./security-headers.ts";
import { attachmentRoutes } from "./routes/attachments.ts";
import { authRoutes } from "./routes/auth.ts";
import { adminRoutes } from "./routes/admin.ts";
import { avatarFiles, avatarRoutes } from "./routes/avatars.ts";
import { botRoutes } from "./routes/bots.ts";
import { chatRoutes } from "./routes/chats.ts";
import { inviteRoutes } from "./routes/invites.ts";
import { messageRoutes } from "./routes/messages.ts";
import { moderationRoutes } from "./routes/moderation.ts";
import { operationRoutes } from "./routes/operations.ts";
import { reactionRoutes } from "./routes/reactions.ts";
import { searchRoutes } from "./routes/search.ts";
import { serverSettingsRoutes } from "./routes/server-settings.ts";
import { userRoutes } from "./routes/users.ts";
import { outgoingWebhookRoutes, webhookPostRoutes, webhookRoutes } from "./routes/webhooks.ts";
import { fastifyLogger, logRequests } from "./request-log.ts";
import { registerWebClient } from "./web-client.ts";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

declare module "fastify" {
  interface FastifyContextConfig {
    /** Points a write takes from its user's budget (rate-limits.ts COST; 1 by default). */
    cost?: number;
  }
}

export async function createHttpServer(
  config: Readonly<Config>,
  log: Logger,
  deps: HttpDeps,
  isDraining: () => boolean,
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: fastifyLogger(log) as FastifyBaseLogger,
    bodyLimit: config.maxHttpBodyBytes,
    // Bodies with __proto__ or constructor.prototype are refused, not merged.
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    trustProxy: false,
    frameworkErrors,
    clientErrorHandler,
  });
  // Fastify's own two lines per request are below its logger's level: one line instead.
  logRequests(app, log);

  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === "querystring" ? queryAjv : strictAjv).compile(schema),
  );
  app.setErrorHandler(createErrorHandler(log));

  app.addHook("onResponse", async (request, reply) => {
    deps.metrics.httpRequestSeconds.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unknown",
        status: reply.statusCode,
      },
      reply.elapsedTime / 1000,
    );
  });
  app.addHook("onRequest", async (request) => {
    // While shutting down, writes go to another node instead of being cut off half-way.
    if (isDraining() && request.method !== "GET") {
      throw new ChatError("UNAVAILABLE", "This node is shutting down; try again.");
    }
  });

  await registerSecurityHeaders(app);
  if (config.corsOrigins.length > 0) {
    await app.register(cors, { origin: [...config.corsOrigins], credentials: true });
  }

  await app.register(swagger, {
    openapi: {
      info: {
        title: "Charla API",
        version: "1.0.0",
        description:
          "HTTP API of Charla. Real-time events use Socket.IO on the same origin: see docs/protocol.md.",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    // Its own policy on its pages (the UI needs inline styles), never framed either.
    staticCSP: true,
    transformStaticCSP: (header) =>
      header.replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });

  await app.register(operationRoutes, deps);
  await app.register(avatarFiles, deps);
  await app.register(
    async (api) => {
      // Every write of a signed-in user draws on the budget their socket events draw on; it
      // runs before validation, so invalid writes cost too.
      api.addHook("preValidation", async (request) => {
        if (!request.user || READS.has(request.method)) return;
        await deps.limits.spendUser(request.user.id, request.routeOptions.config.cost);
      });
      await api.register(serverSettingsRoutes, deps);
      await api.register(authRoutes, deps);
      await api.register(userRoutes, deps);
      await api.register(avatarRoutes, deps);
      await api.register(chatRoutes, deps);
      await api.register(messageRoutes, deps);
      await api.register(inviteRoutes, deps);
      await api.register(reactionRoutes, deps);
      await api.register(adminRoutes, deps);
      await api.register(moderationRoutes, deps);
      await api.register(searchRoutes, deps);
      await api.register(botRoutes, deps);
      await api.register(webhookRoutes, deps);
      await api.register(webhookPostRoutes, deps);
      await api.register(attachmentRoutes, deps);
      await api.register(outgoingWebhookRoutes, deps);
    },
    { prefix: "/api" },
  );

  const hasWeb = await registerWebClient(app, config.webRoot, log);

  app.setNotFoundHandler((request, reply) => {
    // Paths of the single-page web client load its index; API paths are real 404s.
    const wantsPage =
      hasWeb &&
      request.method === "GET" &&
      !request.url.startsWith("/api/") &&
      request.headers.accept?.includes("text/html");
    if (wantsPage) return reply.sendFile("index.html");
    return reply.status(404).send({ error: new ChatError("NOT_FOUND", "No such route.").toJSON() });
  });

  return app;
}
