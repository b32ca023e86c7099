/**
 * Secrets handed out once (invite codes, bot tokens, incoming webhook URLs): high-entropy
 * random strings of which only a SHA-256 is stored. With 192 bits of randomness a plain hash
 * is enough (nothing to brute-force, unlike a password), and it lets a secret be looked up
 * by its hash through an index.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A new random secret, URL-safe, with an optional prefix that tells what it is. */
export function newSecret(prefix = ""): string {
  return prefix + randomBytes(24).toString("base64url");
}

/** The stored form of a secret: hex SHA-256. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** True when `secret` hashes to `hash`, compared in constant time. */
export function secretMatches(secret: string, hash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), "hex");
  const expected = Buffer.from(hash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
