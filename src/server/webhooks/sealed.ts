/**
 * Outgoing webhooks' signing secrets, sealed at rest: they must be read back to sign (so they
 * cannot be hashed like the other secrets), and a database dump alone must not give them
 * away. AES-256-GCM under a key derived (HKDF-SHA256) from the server's JWT secret; changing
 * JWT_SECRET therefore means registering the webhooks again (docs/operations.md).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";

export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function createSealer(serverSecret: Uint8Array): Sealer {
  const key = Buffer.from(
    hkdfSync("sha256", serverSecret, "charla", "outgoing webhook secrets", 32),
  );
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), data]
        .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
        .join(".");
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split(".");
      if (version !== VERSION || !iv || !tag || data === undefined) {
        throw new Error("not a sealed webhook secret");
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([
        decipher.update(Buffer.from(data, "base64url")),
        decipher.final(),
      ]).toString("utf8");
    },
  };
}
