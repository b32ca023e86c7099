/**
 * Accounts and tokens: argon2id password hashes, HS256 JWTs (jose) that carry the user's
 * token version so that logout revokes every token of that user at once.
 */
import { randomUUID } from "node:crypto";
import argon2 from "argon2";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { ChatError } from "../../protocol/errors.ts";
import type { AuthResult, User } from "../../protocol/schemas.ts";
import { SQLSTATE, sqlState } from "../storage/driver.ts";
import type { Store, StoredUser } from "../storage/store.ts";

export interface AuthenticatedUser {
  id: string;
  username: string;
  /** Token expiry, epoch seconds: a socket is ended when its token expires. */
  expiresAt: number;
}

export interface AuthServiceOptions {
  store: Store;
  secret: Uint8Array;
  tokenTtlSeconds: number;
}

const ISSUER = "charla";

// A fixed hash to verify against when the username does not exist, so that a failed login
// costs the same either way and does not reveal which usernames are taken.
const DUMMY_HASH_PROMISE = argon2.hash("charla-timing-equaliser", { type: argon2.argon2id });

export function publicUser(user: StoredUser): User {
  return { id: user.id, username: user.username, created_at: user.created_at };
}

export function createAuthService({ store, secret, tokenTtlSeconds }: AuthServiceOptions) {
  async function issue(user: StoredUser): Promise<AuthResult> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + tokenTtlSeconds;
    const token = await new SignJWT({ name: user.username, ver: user.token_version })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(secret);
    return { user: publicUser(user), token, expires_at: new Date(exp * 1000).toISOString() };
  }

  return {
    async register(username: string, password: string): Promise<AuthResult> {
      const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
      try {
        const user = await store.createUser({
          id: randomUUID(),
          username,
          password_hash: passwordHash,
        });
        return await issue(user);
      } catch (error) {
        if (sqlState(error) === SQLSTATE.uniqueViolation) {
          throw new ChatError("CONFLICT", "That username is taken.");
        }
        throw error;
      }
    },

    async login(username: string, password: string): Promise<AuthResult> {
      const user = await store.findUserByUsername(username);
      const hash = user?.password_hash ?? (await DUMMY_HASH_PROMISE);
      const valid = await argon2.verify(hash, password).catch(() => false);
      if (!user || !valid) throw new ChatError("UNAUTHORIZED", "Wrong username or password.");
      return issue(user);
    },

    /** Ends every token of the user (all devices, all nodes). */
    async logout(userId: string): Promise<void> {
      await store.bumpTokenVersion(userId);
    },

    /** The user a token belongs to; UNAUTHORIZED when it is bad, expired or revoked. */
    async verify(token: unknown): Promise<AuthenticatedUser> {
      if (typeof token !== "string" || token.length === 0 || token.length > 4096) {
        throw new ChatError("UNAUTHORIZED");
      }
      let payload;
      try {
        ({ payload } = await jwtVerify(token, secret, { issuer: ISSUER, algorithms: ["HS256"] }));
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) {
          throw new ChatError(
            "UNAUTHORIZED",
            error instanceof joseErrors.JWTExpired
              ? "The token has expired."
              : "The token is not valid.",
          );
        }
        throw error;
      }
      const userId = payload.sub;
      if (typeof userId !== "string" || typeof payload.exp !== "number") {
        throw new ChatError("UNAUTHORIZED", "The token is not valid.");
      }
      const user = await store.findUserById(userId).catch((error: unknown) => {
        // A malformed subject cannot come from our signer, but do not let it become a 500.
        if (sqlState(error) === "22P02") return undefined;
        throw error;
      });
      if (!user || user.token_version !== payload.ver) {
        throw new ChatError("UNAUTHORIZED", "The token has been revoked.");
      }
      return { id: user.id, username: user.username, expiresAt: payload.exp };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
