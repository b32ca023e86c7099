/**
 * GET /api/server (no token): whether this server takes registrations now, and its limits,
 * so that a client offers what the server will accept (an invite field, a file's size)
 * instead of learning it from a refusal after sending.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ATTACHMENTS_PER_MESSAGE_MAX, MESSAGE_BODY_MAX } from "@charla/protocol/limits";
import { ServerSettings } from "@charla/protocol/schemas";
import type { HttpDeps } from "../deps.ts";

export const serverSettingsRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.get(
    "/server",
    {
      schema: {
        tags: ["server"],
        summary: "Registration mode and limits of this server (no token needed)",
        response: { 200: ServerSettings },
      },
    },
    async () => ({
      registration: await deps.auth.registrationNow(),
      limits: {
        upload_bytes: deps.maxUploadBytes,
        attachments_per_message: ATTACHMENTS_PER_MESSAGE_MAX,
        body_characters: MESSAGE_BODY_MAX,
      },
    }),
  );
};
