/**
 * The one catalog of error codes: each code's HTTP status and default message.
 * HTTP answers `{ error: { code, message, details? } }` with the status below; the socket
 * answers the same `{ code, message }` in an acknowledgement or an `error` event. Every other
 * map between codes and statuses (server, client, OpenAPI) is derived from this one, so each
 * code has its own status.
 */
export const ERRORS = {
  VALIDATION_ERROR: { status: 400, message: "The request is not valid." },
  UNAUTHORIZED: { status: 401, message: "A valid token is required." },
  FORBIDDEN: { status: 403, message: "You may not do that." },
  NOT_FOUND: { status: 404, message: "Not found." },
  CONFLICT: { status: 409, message: "That conflicts with what exists." },
  PAYLOAD_TOO_LARGE: { status: 413, message: "The payload is too large." },
  RATE_LIMITED: { status: 429, message: "Too many requests; slow down." },
  INTERNAL: { status: 500, message: "Something went wrong on our side." },
  UNAVAILABLE: { status: 503, message: "The service is temporarily unavailable; try again." },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** Each catalog status back to its code. */
const CODE_BY_STATUS: ReadonlyMap<number, ErrorCode> = new Map(
  (Object.keys(ERRORS) as ErrorCode[]).map((code) => [ERRORS[code].status, code]),
);

/**
 * The code an HTTP status stands for when no body says which (a proxy's 502, a framework's
 * own 4xx): a catalog status is its code; any other 4xx is a mistake in the request
 * (VALIDATION_ERROR); any other 5xx means the service could not answer (UNAVAILABLE: a
 * gateway in front of it, say); anything else is INTERNAL.
 */
export function codeForStatus(status: number): ErrorCode {
  const code = CODE_BY_STATUS.get(status);
  if (code) return code;
  if (status >= 400 && status < 500) return "VALIDATION_ERROR";
  if (status >= 500 && status < 600) return "UNAVAILABLE";
  return "INTERNAL";
}

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** An error a client caused or may see: carries a stable code, never an internal message. */
export class ChatError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string = ERRORS[code].message, details?: unknown) {
    super(message);
    this.name = "ChatError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  toJSON(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERRORS, value);
}
