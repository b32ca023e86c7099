/**
 * The token signing key: JWT_SECRET when given; otherwise generated once and kept in
 * DATA_DIR/jwt-secret, so tokens survive restarts and nodes sharing DATA_DIR agree.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "./config.ts";

export async function resolveJwtSecret(
  config: Pick<Config, "jwtSecret" | "dataDir">,
): Promise<Uint8Array> {
  if (config.jwtSecret) return new TextEncoder().encode(config.jwtSecret);
  const file = path.join(config.dataDir, "jwt-secret");
  await mkdir(config.dataDir, { recursive: true });
  try {
    // "wx": only the first of several processes starting together creates it.
    await writeFile(file, randomBytes(48).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return new TextEncoder().encode((await readFile(file, "utf8")).trim());
}
