/**
 * The process: configuration from the environment, logger, signals, listen. The only file
 * that touches `process`.
 */
import { ConfigError, loadConfig } from "./config.ts";
import { createApp } from "./app.ts";
import { createLogger } from "./logger.ts";

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  // Readable lines on a developer's terminal; JSON in production and when piped.
  const pretty = Boolean(process.stdout.isTTY) && !config.production;
  const log = createLogger(config.logLevel, config.nodeId, pretty);
  const app = await createApp(config, { log });
  await app.listen();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "draining");
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error("Charla failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
