/**
 * The web client at `/`: the files `npm run build:web` wrote to WEB_ROOT (web/dist).
 * Vite names every asset after a hash of its content, so an asset never changes under its
 * name and browsers may keep it for a year without asking; index.html names the current
 * assets, so it is revalidated on every load (cheap: an ETag answers 304). The build also
 * writes each text file brotli- and gzip-compressed next to it (scripts/precompress-web.ts),
 * and the server sends the smallest one the browser accepts, without compressing per
 * request.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Logger } from "pino";

const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

/** Hashed build output (Vite's `assets/` folder) never changes under its name. */
function cacheControlFor(filePath: string): string {
  return filePath.split(path.sep).includes("assets") ? IMMUTABLE : REVALIDATE;
}

/**
 * Serves the web client, when it is built, and returns whether it is. Paths of the
 * single-page app are answered with its index by the not-found handler (see server.ts).
 */
export async function registerWebClient(
  app: FastifyInstance,
  webRoot: string,
  log: Logger,
): Promise<boolean> {
  if (!existsSync(path.join(webRoot, "index.html"))) {
    log.warn({ webRoot }, "web client not built (run `npm run build:web`); serving the API only");
    return false;
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    wildcard: false,
    // The page at `/` is a route of our own: @fastify/static's index lookup misses the
    // precompressed index.html.br/.gz and answered a compressed request for `/` with 404.
    index: false,
    preCompressed: true,
    // The compressed copies are found by preCompressed; they need no routes of their own.
    // Source maps stay on the build machine: they would publish the whole client source.
    globIgnore: ["**/*.br", "**/*.gz", "**/*.map"],
    cacheControl: false,
    setHeaders: (reply: FastifyReply, filePath: string) => {
      reply.header("cache-control", cacheControlFor(filePath));
    },
  });
  app.get("/", { schema: { hide: true } }, (_request, reply) => reply.sendFile("index.html"));
  return true;
}
