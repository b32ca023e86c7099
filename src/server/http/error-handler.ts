/**
 * Every HTTP error as `{ error: { code, message, details? } }` with the catalog's status.
 * Fastify's own errors (bad JSON, body too large, schema mismatch) are mapped to codes.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { ChatError, codeForStatus } from "@charla/protocol/errors";
import { toChatError } from "../errors.ts";
import { describeAjvErrors } from "../validation.ts";

function fromFastify(error: FastifyError): ChatError | undefined {
  if (error.validation) {
    const details = error.validation.map((e) => ({ path: e.instancePath, message: e.message }));
    return new ChatError(
      "VALIDATION_ERROR",
      describeAjvErrors(error.validation as never, error.validationContext),
      details,
    );
  }
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return new ChatError("PAYLOAD_TOO_LARGE", "The request body is too large.");
  }
  if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    return new ChatError("VALIDATION_ERROR", "Send the body as application/json.");
  }
  if (error instanceof SyntaxError || error.code === "FST_ERR_CTP_EMPTY_JSON_BODY") {
    return new ChatError("VALIDATION_ERROR", `The body is not valid JSON: ${error.message}`);
  }
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    // Fastify's own 4xx messages describe the client's mistake and reveal nothing internal.
    return new ChatError(codeForStatus(status), error.message || undefined);
  }
  return undefined;
}

export function createErrorHandler(log: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const chatError =
      error instanceof ChatError
        ? error
        : (fromFastify(error) ?? toChatError(error, log, { route: request.routeOptions.url }));
    return reply.status(chatError.status).send({ error: chatError.toJSON() });
  };
}
