/**
 * Avatars: PUT / DELETE /api/users/me/avatar (the caller's), and GET /avatars/:id for anyone,
 * cached forever (a new avatar has a new id). The upload is a raw image body or a multipart
 * field `file`, at most 5 MiB; its type is read from its bytes, never from its headers.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import multipart from "@fastify/multipart";
import { Type } from "@sinclair/typebox";
import { ChatError } from "@charla/protocol/errors";
import { User } from "@charla/protocol/schemas";
import { caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";
import { errorResponses } from "../error-responses.ts";

export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;

/** Under /api: the caller's avatar. */
export const avatarRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  // Scoped to this plugin: any body type is read as bytes here (and only here), so that what
  // is not an image answers VALIDATION_ERROR after looking at it, not 415.
  app.addContentTypeParser(
    "*",
    { parseAs: "buffer", bodyLimit: AVATAR_MAX_BYTES },
    (_r, body, done) => done(null, body),
  );
  await app.register(multipart, {
    limits: { fileSize: AVATAR_MAX_BYTES, files: 1, fields: 0, parts: 1 },
    throwFileSizeLimit: true,
  });
  const tags = ["users"];
  const security = [{ bearer: [] }];

  app.put(
    "/users/me/avatar",
    {
      onRequest: requireUser(deps.auth),
      bodyLimit: AVATAR_MAX_BYTES,
      schema: {
        tags,
        security,
        summary:
          "Set the caller's avatar: a PNG, JPEG, WebP or GIF (raw body or multipart `file`), at most 5 MiB",
        response: {
          200: User,
          ...errorResponses(
            "VALIDATION_ERROR",
            "UNAUTHORIZED",
            "PAYLOAD_TOO_LARGE",
            "RATE_LIMITED",
          ),
        },
      },
    },
    async (request) => {
      const { id } = caller(request);
      let bytes: Uint8Array;
      if (request.isMultipart()) {
        const part = await request.file();
        if (!part || part.fieldname !== "file") {
          throw new ChatError("VALIDATION_ERROR", "Send the image in the multipart field `file`.");
        }
        bytes = await part.toBuffer();
        if (part.file.truncated) {
          throw new ChatError("PAYLOAD_TOO_LARGE", "An avatar is at most 5 MiB.");
        }
      } else if (Buffer.isBuffer(request.body) && request.body.length > 0) {
        bytes = request.body;
      } else {
        throw new ChatError("VALIDATION_ERROR", "Send an image as the body.");
      }
      return deps.users.setAvatar(id, bytes);
    },
  );

  app.delete(
    "/users/me/avatar",
    {
      onRequest: requireUser(deps.auth),
      schema: {
        tags,
        security,
        summary: "Remove the caller's avatar",
        response: { 204: Type.Null(), ...errorResponses("UNAUTHORIZED", "RATE_LIMITED") },
      },
    },
    async (request, reply) => {
      const { id } = caller(request);
      await deps.users.clearAvatar(id);
      return reply.status(204).send(null);
    },
  );
};

/** Outside /api, no token: the image itself. Its path tells nothing about its user. */
export const avatarFiles: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.get(
    "/avatars/:id",
    {
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      },
    },
    async (request, reply) => {
      // Any other path under /avatars/ (the bare folder included) is simply not there.
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(request.params.id)) {
        throw new ChatError("NOT_FOUND", "No such avatar.");
      }
      const avatar = await deps.users.avatar(request.params.id);
      return reply
        .header("content-type", avatar.content_type)
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox")
        .header("cross-origin-resource-policy", "same-site")
        .send(Buffer.from(avatar.bytes));
    },
  );
};
