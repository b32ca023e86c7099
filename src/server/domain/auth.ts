/**
 * Accounts and tokens: argon2id password hashes, HS256 JWTs (jose) that carry the user's
 * token version so that logout revokes every token of that user at once.
 */
import { randomUUID } from "node:crypto";
import argon2 from "argon2";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { ChatError } from "@charla/protocol/errors";
import type { AuthResult } from "@charla/protocol/schemas";
import type { RegistrationMode } from "../config.ts";
import { NotAdmitted, UsernameTaken } from "../storage/errors.ts";
import type { Store } from "../storage/store.ts";
import type { Admission, StoredUser } from "../storage/user-store.ts";
import { avatarUrl } from "../avatar-url.ts";
import { hashSecret, secretMatches } from "./secrets.ts";
import { createSemaphore } from "../semaphore.ts";
import type { Sessions } from "./sessions.ts";
import { publicUser } from "./users.ts";

export interface AuthenticatedUser {
  id: string;
  username: string;
  /** Read from the database on every request, so a role change applies at once. */
  role: StoredUser["role"];
  displayName: string | null;
  avatarUrl: string | null;
  /** Token expiry, epoch seconds: a socket is ended when its token expires. */
  expiresAt: number;
  /** The token's version (domain/sessions.ts): a revocation that keeps newer tokens uses it. */
  tokenVersion: number;
}

export interface AuthServiceOptions {
  store: Store;
  sessions: Sessions;
  secret: Uint8Array;
  tokenTtlSeconds: number;
  /** argon2id cost; hashes made with other costs still verify (the cost is in the hash). */
  passwordHash: { memoryKib: number; timeCost: number };
  /** Who may register (the first account of a fresh server always may). */
  registration?: RegistrationMode;
  /** Lower-case usernames that become admins when they register. */
  adminUsernames?: readonly string[];
  /** Hashes at once and waiting; more answer RATE_LIMITED (logins never starve the rest). */
  hashing: { running: number; waiting: number };
}

const ISSUER = "charla";

/** What a bot's API token starts with (a JWT never does): tells the two kinds apart. */
export const BOT_TOKEN_PREFIX = "cbot_";
/**
 * A bot token does not expire (it lives until revoked): its sockets get an expiry no clock
 * reaches (9999-12-31), so the expiry wheel never ends them.
 */
const BOT_TOKEN_EXPIRES_AT = 253_402_300_799;

const isBotToken = (token: unknown): token is string =>
  typeof token === "string" && token.startsWith(BOT_TOKEN_PREFIX) && token.length <= 256;

export function createAuthService(options: AuthServiceOptions) {
  const { store, sessions, secret, tokenTtlSeconds } = options;
  // Imported once: given the raw bytes, jose imports a key for every verification, which
  // doubles the CPU of each handshake's token check (~73 -> ~36 µs measured), and a
  // reconnect storm is thousands of them at once.
  const verifyKey = crypto.subtle.importKey(
    "raw",
    secret,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const registration = options.registration ?? "open";
  const adminUsernames = new Set(options.adminUsernames ?? []);
  const hashOptions = {
    type: argon2.argon2id,
    memoryCost: options.passwordHash.memoryKib,
    timeCost: options.passwordHash.timeCost,
    parallelism: 1,
  } as const;
  async function checkPassword(userId: string, password: string): Promise<StoredUser> {
    const user = await store.users.findById(userId);
    const valid =
      user !== undefined &&
      user.deleted_at === null &&
      user.deactivated_at === null &&
      (await hashSlots.run(() => argon2.verify(user.password_hash, password).catch(() => false)));
    if (!valid) throw new ChatError("UNAUTHORIZED", "Wrong password.");
    return user;
  }

  // A fixed hash to verify against when the username does not exist, so that a failed login
  // costs the same either way and does not reveal which usernames are taken.
  const dummyHash = argon2.hash("charla-timing-equaliser", hashOptions);
  // Every hash and verification of a request goes through these slots: argon2 takes a libuv
  // thread and ~19 MiB each, and a burst of logins must not take them all.
  const hashSlots = createSemaphore(options.hashing.running, options.hashing.waiting);

  async function issue(user: StoredUser): Promise<AuthResult> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + tokenTtlSeconds;
    // A random id makes two tokens issued in the same second distinct (refresh).
    const token = await new SignJWT({ name: user.username, ver: user.token_version })
      .setJti(randomUUID())
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(secret);
    return { user: publicUser(user), token, expires_at: new Date(exp * 1000).toISOString() };
  }

  async function decode(token: unknown): Promise<Claims> {
    if (typeof token !== "string" || token.length === 0 || token.length > 4096) {
      throw new ChatError("UNAUTHORIZED");
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, await verifyKey, {
        issuer: ISSUER,
        algorithms: ["HS256"],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) {
        const expired = error instanceof joseErrors.JWTExpired;
        throw new ChatError(
          "UNAUTHORIZED",
          expired ? "The token has expired." : "The token is not valid.",
        );
      }
      throw error;
    }
    if (typeof payload.sub !== "string" || typeof payload.exp !== "number") {
      throw new ChatError("UNAUTHORIZED", "The token is not valid.");
    }
    return { userId: payload.sub, version: payload.ver, expiresAt: payload.exp };
  }

  /**
   * The bot a token belongs to: found by the token's SHA-256 through the index, then the
   * stored hash compared in constant time; revoked (row gone), deactivated or closed bots
   * are refused like any revoked token.
   */
  async function verifyBot(token: string): Promise<AuthenticatedUser> {
    const found = await store.bots.findByTokenHash(hashSecret(token));
    if (!found || !secretMatches(token, found.tokenHash)) {
      throw new ChatError("UNAUTHORIZED", "The token is not valid.");
    }
    return current(
      { userId: found.user.id, version: found.user.token_version, expiresAt: BOT_TOKEN_EXPIRES_AT },
      found.user,
    );
  }

  // Accounts are never removed (a closed one keeps its row): once one exists, it always will.
  let anyAccount = false;

  return {
    /**
     * Who may register now: REGISTRATION, except that a server with no account yet admits its
     * first one whatever REGISTRATION says (so the web client offers it).
     */
    async registrationNow(): Promise<RegistrationMode> {
      anyAccount ||= await store.users.anyExists();
      return anyAccount ? registration : "open";
    },

    /** Creates an account as REGISTRATION allows (`invite`: with a valid invite's code). */
    async register(username: string, password: string, invite?: string): Promise<AuthResult> {
      const admission: Admission =
        registration === "invite"
          ? { kind: "invite", codeHash: invite === undefined ? undefined : hashSecret(invite) }
          : { kind: registration };
      const passwordHash = await hashSlots.run(() => argon2.hash(password, hashOptions));
      try {
        const user = await store.users.create(
          {
            id: randomUUID(),
            username,
            password_hash: passwordHash,
            role: adminUsernames.has(username.toLowerCase()) ? "admin" : "user",
          },
          admission,
        );
        return await issue(user);
      } catch (error) {
        if (error instanceof UsernameTaken) {
          throw new ChatError("CONFLICT", "That username is taken.");
        }
        if (error instanceof NotAdmitted) {
          throw new ChatError(
            "FORBIDDEN",
            error.admission === "closed"
              ? "Registration is closed on this server."
              : "Registration needs a valid invite: this one is missing, unknown, used up or expired.",
          );
        }
        throw error;
      }
    },

    async login(username: string, password: string): Promise<AuthResult> {
      const user = await store.users.findByUsername(username);
      const hash = user?.password_hash ?? (await dummyHash);
      const valid = await hashSlots.run(() => argon2.verify(hash, password).catch(() => false));
      // A closed account answers exactly like a wrong password.
      if (!user || !valid || user.deleted_at !== null) {
        throw new ChatError("UNAUTHORIZED", "Wrong username or password.");
      }
      // Only after the right password, so a deactivation is not revealed to guessers.
      if (user.deactivated_at !== null) {
        throw new ChatError("FORBIDDEN", "This account is deactivated.");
      }
      return issue(user);
    },

    /** Ends every token of the user and their live sockets (all devices, all nodes). */
    async logout(userId: string): Promise<void> {
      await sessions.endAll(userId);
    },

    /** The live account, when `password` is its password; UNAUTHORIZED otherwise. */
    checkPassword,

    /**
     * A new password: every other token of the user (the calling one included) stops working
     * and its sockets end on every node; the answer carries the one token that survives.
     */
    async changePassword(
      userId: string,
      currentPassword: string,
      newPassword: string,
    ): Promise<AuthResult> {
      await checkPassword(userId, currentPassword);
      const version = await store.users.setPasswordHash(
        userId,
        await hashSlots.run(() => argon2.hash(newPassword, hashOptions)),
      );
      sessions.endBefore(userId, version);
      const user = await store.users.findById(userId);
      if (!user || user.deleted_at !== null) throw new ChatError("UNAUTHORIZED");
      return issue(user);
    },

    /** A fresh token for the caller (whose token was just verified); the old one stays valid. */
    async refresh(userId: string): Promise<AuthResult> {
      const user = await store.users.findById(userId);
      if (!user || user.deleted_at !== null) throw new ChatError("UNAUTHORIZED");
      return issue(user);
    },

    /** The user a token belongs to; UNAUTHORIZED when it is bad, expired or revoked. */
    async verify(token: unknown): Promise<AuthenticatedUser> {
      if (isBotToken(token)) return verifyBot(token);
      const claims = await decode(token);
      return current(claims, await store.users.findById(claims.userId));
    },

    /**
     * For a socket handshake: the user, the chats they belong to and the users in a block
     * with them, read in one query, so a reconnect storm costs one round trip per socket.
     */
    async verifyWithChats(token: unknown): Promise<
      HandshakeRead & {
        user: AuthenticatedUser;
        /**
         * The same read again, for after the socket joined its rooms: the chats and blocks
         * now, or UNAUTHORIZED if the token was revoked meanwhile (a change committed during
         * the handshake reached no room the socket was in yet).
         */
        recheck: () => Promise<HandshakeRead>;
      }
    > {
      if (isBotToken(token)) {
        const bot = await verifyBot(token);
        const read = async (): Promise<HandshakeRead> => {
          const found = await store.users.findWithChats(bot.id);
          return { chatIds: found?.chatIds ?? [], blockPeerIds: found?.blockPeerIds ?? [] };
        };
        return {
          user: bot,
          ...(await read()),
          recheck: async () => {
            // Revoked meanwhile: the row is gone or the version moved on.
            if ((await verifyBot(token)).tokenVersion !== bot.tokenVersion) {
              throw new ChatError("UNAUTHORIZED", "The token has been revoked.");
            }
            return read();
          },
        };
      }
      const claims = await decode(token);
      const found = await store.users.findWithChats(claims.userId);
      return {
        user: current(claims, found?.user),
        chatIds: found?.chatIds ?? [],
        blockPeerIds: found?.blockPeerIds ?? [],
        recheck: async () => {
          const now = await store.users.findWithChats(claims.userId);
          current(claims, now?.user);
          return { chatIds: now?.chatIds ?? [], blockPeerIds: now?.blockPeerIds ?? [] };
        },
      };
    },
  };
}

/** What a socket handshake reads besides the user: the rooms it joins. */
export interface HandshakeRead {
  chatIds: string[];
  /** Users who block the user or whom the user blocks (not contacts for presence). */
  blockPeerIds: string[];
}

interface Claims {
  userId: string;
  version: unknown;
  expiresAt: number;
}

/**
 * The user, when the token is still current: logout and deactivation bump the version and
 * revoke it (and a deactivated account's tokens are refused even if that bump was missed).
 */
function current(claims: Claims, user: StoredUser | undefined): AuthenticatedUser {
  if (
    !user ||
    user.token_version !== claims.version ||
    user.deactivated_at !== null ||
    user.deleted_at !== null
  ) {
    throw new ChatError("UNAUTHORIZED", "The token has been revoked.");
  }
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    displayName: user.display_name,
    avatarUrl: avatarUrl(user),
    expiresAt: claims.expiresAt,
    tokenVersion: user.token_version,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
