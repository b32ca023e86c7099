/**
 * One log line per request, at info, once the response is sent: method, route, status and
 * time. (Fastify's own request logging writes two lines, "incoming request" and "request
 * completed".) Health probes are logged at debug: a load balancer polls them all day.
 */
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";

const PROBES = new Set(["/healthz", "/readyz", "/metrics"]);

/** The URL as logged: an incoming webhook's path is its secret, so it is masked. */
export function loggedUrl(url: string): string {
  return url.startsWith("/api/hooks/") ? "/api/hooks/<secret>" : url;
}

export function logRequests(app: FastifyInstance, log: Logger): void {
  app.addHook("onResponse", async (request, reply) => {
    const line = {
      method: request.method,
      url: loggedUrl(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (PROBES.has(request.url)) log.debug(line, "request");
    else log.info(line, "request");
  });
}

/**
 * The logger Fastify itself gets: ours, from warn up. Its info lines (one "Server listening
 * at" per network interface, two per request) are replaced by the start-up line and
 * {@link logRequests}; its warnings and errors still show.
 */
export function fastifyLogger(log: Logger): Logger {
  const quiet = log.levels.values[log.level]! >= log.levels.values.warn! ? log.level : "warn";
  return log.child({}, { level: quiet });
}
