import pino, { type Logger } from "pino";

/** JSON logs (pino). Tokens and message bodies are never logged: they are redacted if present. */
export function createLogger(level: string, nodeId?: string): Logger {
  return pino({
    level,
    base: nodeId ? { node: nodeId } : undefined,
    serializers: {
      // Database errors carry the statement's parameters: message bodies and hashes stay out.
      err: (error: unknown) => {
        const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<
          string,
          unknown
        >;
        delete serialized.params;
        return serialized;
      },
    },
    redact: {
      paths: [
        "req.headers.authorization",
        "token",
        "*.token",
        "body",
        "*.body",
        "password",
        "*.password",
      ],
      censor: "[redacted]",
    },
  });
}
