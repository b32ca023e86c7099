/**
 * Webhooks: outgoing ones (/api/webhooks, server admins), a group's incoming webhooks
 * (/api/chats/:id/webhooks, owner or admins), the
 * secret URL they post through (/api/hooks/:secret, no other credential; the request log masks
 * it, see request-log.ts).
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import {
  ChatWebhookParams,
  CreateIncomingWebhook,
  CreateOutgoingWebhook,
  DeliveriesQuery,
  IdParam,
  IncomingWebhook,
  IncomingWebhookPost,
  IncomingWebhookWithUrl,
  Message,
  OutgoingWebhook,
  WebhookDelivery,
} from "@charla/protocol/schemas";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";
import { errorResponses } from "../error-responses.ts";
import { requestOrigin } from "../origin.ts";
import { spend } from "../rate-limit.ts";

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

/** Outgoing webhooks (server admins only). */
export const outgoingWebhookRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.addHook("onRequest", requireUser(deps.auth));
  const errors = errorResponses("VALIDATION_ERROR", "UNAUTHORIZED", "FORBIDDEN", "RATE_LIMITED");

  app.post(
    "/webhooks",
    {
      schema: {
        tags,
        security,
        summary: "Register an outgoing webhook (admin): these events are POSTed to the URL, signed",
        body: CreateOutgoingWebhook,
        response: { 201: OutgoingWebhook, ...errors },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      await spend(deps.adminLimiter, user.id);
      return reply.status(201).send(await deps.outgoingWebhooks.create(user, request.body));
    },
  );

  app.get(
    "/webhooks",
    {
      schema: {
        tags,
        security,
        summary: "Every outgoing webhook (admin), without secrets",
        response: { 200: Type.Object({ webhooks: Type.Array(OutgoingWebhook) }), ...errors },
      },
    },
    async (request) => ({ webhooks: await deps.outgoingWebhooks.list(caller(request)) }),
  );

  app.delete(
    "/webhooks/:id",
    {
      schema: {
        tags,
        security,
        summary: "Remove an outgoing webhook and what of its queue is undelivered (admin)",
        params: IdParam,
        response: { 204: Type.Null(), ...errors, ...errorResponses("NOT_FOUND") },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      await spend(deps.adminLimiter, user.id);
      await deps.outgoingWebhooks.remove(user, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/webhooks/:id/deliveries",
    {
      schema: {
        tags,
        security,
        summary: "The webhook's deliveries, newest first, with attempts and last status (admin)",
        params: IdParam,
        querystring: DeliveriesQuery,
        response: {
          200: Type.Object({ deliveries: Type.Array(WebhookDelivery) }),
          ...errors,
          ...errorResponses("NOT_FOUND"),
        },
      },
    },
    async (request) => ({
      deliveries: await deps.outgoingWebhooks.deliveries(
        caller(request),
        request.params.id,
        request.query.limit,
      ),
    }),
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
