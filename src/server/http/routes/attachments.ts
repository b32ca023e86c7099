/**
 * Attachments over HTTP: POST /api/uploads (multipart field `file`, streamed to storage) and
 * GET /api/attachments/:id (and /thumbnail), with a signed link or a member's bearer token,
 * with `Range`. What is served is never run by the browser: the stored (detected) type,
 * nosniff, a sandboxing CSP, and a download for everything but the four inline image types.
 */
import { Readable } from "node:stream";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import multipart from "@fastify/multipart";
import { Type } from "@sinclair/typebox";
import { ChatError } from "@charla/protocol/errors";
import { IdParam, UploadResult } from "@charla/protocol/schemas";
import type { LinkVariant } from "../../domain/attachment-links.ts";
import type { OpenedFile } from "../../domain/attachments.ts";
import { INLINE_IMAGE_TYPES } from "../../media/images.ts";
import type { ByteRange } from "../../storage/file-store.ts";
import { bearerToken, caller, requireUser } from "../auth-hook.ts";
import type { HttpDeps } from "../deps.ts";
import { errorResponses } from "../error-responses.ts";

/** Points an upload takes from its user's budget: more work than a message. */
const UPLOAD_COST = 5;

const SignedQuery = Type.Object(
  {
    exp: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 53 - 1 })),
    sig: Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9_-]+$" })),
  },
  { additionalProperties: false },
);

/**
 * One `bytes=` range of a file of `size` bytes: the range, "unsatisfiable", or undefined for
 * the whole file (no header, several ranges or a form this server does not serve).
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | "unsatisfiable" | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  let start: number;
  let end: number;
  if (match[1] === "") {
    // The last N bytes.
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}

/** RFC 6266: an ASCII fallback and the UTF-8 name. */
export function contentDisposition(type: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export const attachmentRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  await app.register(multipart, {
    // One byte more than allowed reaches the upload, which then refuses it (busboy would
    // cut the file at its limit and end it as if it were complete).
    limits: { fileSize: deps.maxUploadBytes + 1, files: 1, fields: 0, parts: 1 },
    throwFileSizeLimit: true,
  });
  const tags = ["attachments"];
  const security = [{ bearer: [] }];

  app.post(
    "/uploads",
    {
      onRequest: requireUser(deps.auth),
      config: { cost: UPLOAD_COST },
      schema: {
        tags,
        security,
        summary: `Upload a file (multipart field \`file\`, at most MAX_UPLOAD_BYTES) to attach to one message`,
        consumes: ["multipart/form-data"],
        response: {
          201: UploadResult,
          ...errorResponses(
            "VALIDATION_ERROR",
            "UNAUTHORIZED",
            "PAYLOAD_TOO_LARGE",
            "RATE_LIMITED",
          ),
        },
      },
    },
    async (request, reply) => {
      const { id } = caller(request);
      if (!request.isMultipart()) {
        throw new ChatError("VALIDATION_ERROR", "Send multipart/form-data with one field `file`.");
      }
      const part = await request.file();
      if (!part || part.type !== "file" || part.fieldname !== "file") {
        throw new ChatError("VALIDATION_ERROR", "Send the file in the multipart field `file`.");
      }
      try {
        const attachment = await deps.attachments.upload(id, {
          filename: part.filename,
          stream: part.file,
        });
        return reply.status(201).send({ attachment });
      } catch (error) {
        // What the client still sends is not read: the connection ends with the answer.
        part.file.resume();
        if (error instanceof ChatError && error.code === "PAYLOAD_TOO_LARGE") {
          reply.header("connection", "close");
        }
        throw error;
      }
    },
  );

  const serve = (variant: LinkVariant) =>
    async function (
      request: {
        params: { id: string };
        query: { exp?: number | undefined; sig?: string | undefined };
        headers: Record<string, string | string[] | undefined>;
      },
      reply: FastifyReply,
    ) {
      const token = bearerToken(request as never);
      const callerId = token ? (await deps.auth.verify(token)).id : undefined;
      const { exp, sig } = request.query;
      const file = await deps.attachments.open(request.params.id, variant, {
        callerId,
        signature: exp !== undefined && sig !== undefined ? { exp, sig } : undefined,
      });
      return send(reply, file, request.headers.range as string | undefined);
    };

  const getSchema = (summary: string) => ({
    tags,
    summary,
    params: IdParam,
    querystring: SignedQuery,
    response: errorResponses("VALIDATION_ERROR", "UNAUTHORIZED", "NOT_FOUND"),
  });

  app.get(
    "/attachments/:id",
    {
      schema: getSchema(
        "An attachment's bytes: with its signed link (no token), or a member's bearer token; supports Range",
      ),
    },
    serve("file"),
  );
  app.get(
    "/attachments/:id/thumbnail",
    { schema: getSchema("An image attachment's WebP thumbnail (at most 480×480)") },
    serve("thumbnail"),
  );
};

function send(reply: FastifyReply, file: OpenedFile, rangeHeader?: string) {
  const inline = INLINE_IMAGE_TYPES.has(file.content_type);
  reply
    .header("content-type", file.content_type)
    .header("x-content-type-options", "nosniff")
    .header("content-security-policy", "sandbox")
    .header("content-disposition", contentDisposition(inline ? "inline" : "attachment", file.name))
    .header("accept-ranges", "bytes")
    .header("cache-control", "private, max-age=300");
  const range = parseRange(rangeHeader, file.size);
  if (range === "unsatisfiable") {
    return reply
      .status(416)
      .header("content-range", `bytes */${file.size}`)
      .header("content-type", "application/json; charset=utf-8")
      .send({
        error: { code: "VALIDATION_ERROR", message: `The file has ${file.size} bytes.` },
      });
  }
  if (range) {
    reply
      .status(206)
      .header("content-range", `bytes ${range.start}-${range.end}/${file.size}`)
      .header("content-length", range.end - range.start + 1);
  } else {
    reply.header("content-length", file.size);
  }
  return reply.send(Readable.from(file.bytes(range)));
}
