/** Chats, members, history, posting and read positions under /api/chats. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import {
  AddMember,
  Chat,
  ChatSettings,
  ChatListItem,
  CreateChat,
  History,
  HistoryQuery,
  IdParam,
  MemberParams,
  PatchChat,
  Message,
  PostMessage,
  ReadPosition,
  SetMemberRole,
} from "@charla/protocol/schemas";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";
import { errorResponses } from "../error-responses.ts";

export const chatRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.addHook("onRequest", requireUser(deps.auth));
  const tags = ["chats"];
  const security = [{ bearer: [] }];
  const errors = errorResponses(
    "VALIDATION_ERROR",
    "UNAUTHORIZED",
    "FORBIDDEN",
    "NOT_FOUND",
    "RATE_LIMITED",
  );

  app.post(
    "/chats",
    {
      schema: {
        tags,
        security,
        summary: "Create a group, or open the direct chat with one user (200 when it exists)",
        body: CreateChat,
        response: { 200: Chat, 201: Chat, ...errors },
      },
    },
    async (request, reply) => {
      await deps.limits.spendChatCreation(caller(request).id);
      const { chat, created } = await deps.chats.create(caller(request).id, request.body);
      return reply.status(created ? 201 : 200).send(chat);
    },
  );

  app.get(
    "/chats",
    {
      schema: {
        tags,
        security,
        summary: "The caller's chats, most recent activity first",
        response: {
          200: Type.Object({ chats: Type.Array(ChatListItem) }),
          ...errorResponses("UNAUTHORIZED"),
        },
      },
    },
    async (request) => ({ chats: await deps.chats.list(caller(request).id) }),
  );

  app.get(
    "/chats/:id",
    {
      schema: {
        tags,
        security,
        summary: "One chat",
        params: IdParam,
        response: { 200: Chat, ...errors },
      },
    },
    async (request) => deps.chats.visibleChat(caller(request).id, request.params.id),
  );

  app.patch(
    "/chats/:id",
    {
      schema: {
        tags,
        security,
        summary: "Rename or describe a group (owner or group admin; broadcast as chat:updated)",
        params: IdParam,
        body: PatchChat,
        response: { 200: Chat, ...errorResponses("RATE_LIMITED"), ...errors },
      },
    },
    async (request) => deps.chats.update(caller(request).id, request.params.id, request.body),
  );

  app.put(
    "/chats/:id/settings",
    {
      schema: {
        tags,
        security,
        summary: "The caller's own settings of a chat: mute",
        params: IdParam,
        body: ChatSettings,
        response: { 200: ChatSettings, ...errorResponses("RATE_LIMITED"), ...errors },
      },
    },
    async (request) =>
      deps.chats.setMuted(caller(request).id, request.params.id, request.body.muted),
  );

  app.post(
    "/chats/:id/members",
    {
      schema: {
        tags,
        security,
        summary: "Add a member to a group (its owner or an admin)",
        params: IdParam,
        body: AddMember,
        response: { 201: Chat, ...errorResponses("CONFLICT"), ...errors },
      },
    },
    async (request, reply) => {
      const chat = await deps.chats.addMember(
        caller(request).id,
        request.params.id,
        request.body.user_id,
      );
      return reply.status(201).send(chat);
    },
  );

  app.delete(
    "/chats/:id/members/:user_id",
    {
      schema: {
        tags,
        security,
        summary: "Remove a member (the owner or an admin; not the owner), or leave (the member)",
        params: MemberParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deps.chats.removeMember(caller(request).id, request.params.id, request.params.user_id);
      return reply.status(204).send(null);
    },
  );

  app.patch(
    "/chats/:id/members/:user_id",
    {
      schema: {
        tags,
        security,
        summary: "Make a member an admin of the group, or a member again (the owner only)",
        params: MemberParams,
        body: SetMemberRole,
        response: { 200: Chat, ...errors },
      },
    },
    async (request) =>
      deps.chats.setRole(
        caller(request).id,
        request.params.id,
        request.params.user_id,
        request.body.role,
      ),
  );

  app.get(
    "/chats/:id/messages",
    {
      schema: {
        tags,
        security,
        summary:
          "History, ascending by seq: the newest `limit`, or below `before_seq`, or the first `limit` above `after_seq`",
        params: IdParam,
        querystring: HistoryQuery,
        response: { 200: History, ...errors },
      },
    },
    async (request) => deps.messages.history(caller(request).id, request.params.id, request.query),
  );

  app.post(
    "/chats/:id/messages",
    {
      schema: {
        tags,
        security,
        summary: "Send a message (a repeated client_msg_id returns the original with 200)",
        params: IdParam,
        body: PostMessage,
        response: { 200: Message, 201: Message, ...errors },
      },
    },
    async (request, reply) => {
      const { message, duplicate } = await deps.messages.send(caller(request).id, {
        chat_id: request.params.id,
        ...request.body,
      });
      return reply.status(duplicate ? 200 : 201).send(message);
    },
  );

  app.post(
    "/chats/:id/read",
    {
      schema: {
        tags,
        security,
        summary: "Move the caller's read position forward",
        params: IdParam,
        body: ReadPosition,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deps.chats.markRead(caller(request).id, request.params.id, request.body.seq);
      return reply.status(204).send(null);
    },
  );
};
