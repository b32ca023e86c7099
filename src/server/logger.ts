import pino, { type Logger } from "pino";

/**
 * Pino logs: JSON lines (for production and log collectors), or, with `pretty`, one
 * coloured readable line each through pino's own pretty transport (a developer's
 * terminal). Tokens and message bodies are never logged: they are redacted if present.
 */
export function createLogger(level: string, nodeId?: string, pretty = false): Logger {
  return pino({
    ...(pretty && {
      transport: {
        target: "pino-pretty",
        options: { translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,node", singleLine: true },
      },
    }),
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
