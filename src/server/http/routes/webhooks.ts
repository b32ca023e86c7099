/**
 * Webhooks: a group's incoming webhooks (/api/chats/:id/webhooks, owner or admins), the
 * secret URL they post through (/api/hooks/:secret, no other credential; the request log masks
 * it, see request-log.ts).
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import {
  ChatWebhookParams,
  CreateIncomingWebhook,
  IdParam,
  IncomingWebhook,
  IncomingWebhookPost,
  IncomingWebhookWithUrl,
  Message,
} from "@charla/protocol/schemas";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";
import { errorResponses } from "../error-responses.ts";
import { requestOrigin } from "../origin.ts";

const tags = ["integrations"];
const security = [{ bearer: [] }];

/** The routes a signed-in group manager uses. */
export const webhookRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.addHook("onRequest", requireUser(deps.auth));
  const errors = errorResponses(
    "VALIDATION_ERROR",
    "UNAUTHORIZED",
    "FORBIDDEN",
    "NOT_FOUND",
    "RATE_LIMITED",
  );

  app.post(
    "/chats/:id/webhooks",
    {
      schema: {
        tags,
        security,
        summary: "Create an incoming webhook (group owner or admin): its URL is shown once",
        params: IdParam,
        body: CreateIncomingWebhook,
        response: { 201: IncomingWebhookWithUrl, ...errors },
      },
    },
    async (request, reply) => {
      const webhook = await deps.incomingWebhooks.create(
        caller(request).id,
        request.params.id,
        request.body.name,
        requestOrigin(request, deps.publicUrl),
      );
      return reply.status(201).send(webhook);
    },
  );

  app.get(
    "/chats/:id/webhooks",
    {
      schema: {
        tags,
        security,
        summary: "The group's incoming webhooks (owner or admin), without their URLs",
        params: IdParam,
        response: { 200: Type.Object({ webhooks: Type.Array(IncomingWebhook) }), ...errors },
      },
    },
    async (request) => ({
      webhooks: await deps.incomingWebhooks.list(caller(request).id, request.params.id),
    }),
  );

  app.delete(
    "/chats/:id/webhooks/:webhook_id",
    {
      schema: {
        tags,
        security,
        summary: "Delete an incoming webhook: its URL answers 404 from then on",
        params: ChatWebhookParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deps.incomingWebhooks.remove(
        caller(request).id,
        request.params.id,
        request.params.webhook_id,
      );
      return reply.status(204).send(null);
    },
  );
};

/** The secret URL itself: the secret in the path is the only credential. */
export const webhookPostRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.post(
    "/hooks/:secret",
    {
      schema: {
        tags,
        summary: "Post `text` into the webhook's chat as its bot (rate limited per webhook)",
        params: Type.Object(
          { secret: Type.String({ minLength: 1, maxLength: 256 }) },
          { additionalProperties: false },
        ),
        body: IncomingWebhookPost,
        response: {
          201: Message,
          ...errorResponses("VALIDATION_ERROR", "NOT_FOUND", "RATE_LIMITED", "PAYLOAD_TOO_LARGE"),
        },
      },
    },
    async (request, reply) => {
      const message = await deps.incomingWebhooks.post(request.params.secret, request.body.text);
      return reply.status(201).send(message);
    },
  );
};
