/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded database
 * under DATA_DIR when DATABASE_URL is unset, prints what it applied, and exits. The server
 * applies them at start too; this is for deploys that migrate before rolling out nodes.
 */
import { ConfigError, loadConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { openDriver } from "../storage/open.ts";
import { migrate } from "../storage/migrate.ts";

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const log = createLogger(config.logLevel === "info" ? "warn" : config.logLevel, config.nodeId);
  const where =
    config.database.kind === "postgres"
      ? "DATABASE_URL"
      : `the embedded database in ${config.database.dataDir}`;
  const driver = await openDriver(config.database, log);
  try {
    const applied = await migrate(driver);
    if (applied.length === 0) console.log(`${where}: up to date, nothing to apply`);
    else console.log(`${where}: applied ${applied.join(", ")}`);
  } finally {
    await driver.close();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("migrate failed:", error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
