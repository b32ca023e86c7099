/**
 * Configuration: read from the environment once at start, validated, frozen. A bad value
 * stops the process with a message naming the variable (see `ConfigError`).
 */
import path from "node:path";
import { UPLOAD_DEFAULT_MAX_BYTES } from "@charla/protocol/limits";

export interface RateLimits {
  /**
   * Points one user may spend per window: socket events (known or not) and HTTP writes of
   * all their sockets and requests together, each costing its weight (rate-limits.ts COST).
   */
  socketEvents: number;
  socketWindowSeconds: number;
  /** Chats one user may create per window. */
  chatCreations: number;
  chatCreationWindowSeconds: number;
  /** Login attempts per (IP, username) per window: slows password guessing. */
  loginAttempts: number;
  loginWindowSeconds: number;
  /** Login attempts per IP whatever the username: stops password spraying. */
  loginIpAttempts: number;
  loginIpWindowSeconds: number;
  /** Registrations per IP per window. */
  registrations: number;
  registrationWindowSeconds: number;
  /** Admin writes (invites, deactivations, bots, webhooks) per admin per window. */
  adminActions: number;
  adminWindowSeconds: number;
  /** Members' reports and blocks per user per window. */
  memberWrites: number;
  memberWriteWindowSeconds: number;
  /** Posts through one incoming webhook's URL per window. */
  webhookPosts: number;
  webhookPostWindowSeconds: number;
}

export type DatabaseConfig =
  /** Embedded PostgreSQL (PGlite). `dataDir` undefined means in memory (tests). */
  | { kind: "pglite"; dataDir: string | undefined }
  | { kind: "postgres"; url: string; poolSize: number };

/**
 * Where uploaded files' bytes go: `database` (default; chunks in PGlite or PostgreSQL, shared
 * by every node) or `s3` (an S3-compatible service: MinIO, AWS S3, R2…).
 */
export type FileStorageConfig =
  | { kind: "database" }
  | {
      kind: "s3";
      endpoint: string | undefined;
      bucket: string;
      region: string;
      accessKeyId: string | undefined;
      secretAccessKey: string | undefined;
      forcePathStyle: boolean;
    };

export interface Config {
  port: number;
  host: string;
  /**
   * Accept queue of the listening socket (LISTEN_BACKLOG, default 4096; the kernel caps it
   * at net.core.somaxconn). Node asks for 511, which a reconnect storm of thousands
   * overflows: each refused SYN is retried by the client's kernel only after 1, 3, 7 s.
   */
  listenBacklog: number;
  /** Where the embedded database and the generated JWT secret live. */
  dataDir: string;
  database: DatabaseConfig;
  /** `redis://…` when this process is one node of many; undefined for a single node. */
  redisUrl: string | undefined;
  /**
   * Prefix of every Redis key and channel this service uses (default "charla"), so several
   * deployments or test runs can share one Redis without seeing each other.
   */
  redisPrefix: string;
  /** Token signing key; undefined means "generate once and keep under dataDir". */
  jwtSecret: string | undefined;
  tokenTtlSeconds: number;
  /** argon2id cost: memory in KiB and passes. */
  passwordHash: { memoryKib: number; timeCost: number };
  /**
   * Password hashes computed at once, and how many more may wait; past that a login or
   * registration answers RATE_LIMITED, so hashing never takes every thread from the rest.
   */
  passwordHashConcurrency: { running: number; waiting: number };
  /**
   * Bearer token that opens GET /metrics to other hosts; without it only loopback (and no
   * request relayed by a proxy) may read it.
   */
  metricsToken: string | undefined;
  /** Live sockets one user may hold on a node; one more is refused RATE_LIMITED. */
  maxSocketsPerUser: number;
  /** Origins allowed for HTTP CORS and the socket handshake; empty means same origin only. */
  corsOrigins: readonly string[];
  logLevel: string;
  production: boolean;
  /** undefined disables rate limiting (benchmarks only). */
  rateLimits: RateLimits | undefined;
  /** Socket.IO frame cap: a larger frame closes that connection. */
  maxSocketFrameBytes: number;
  /** HTTP body cap: a larger body is answered 413 PAYLOAD_TOO_LARGE. */
  maxHttpBodyBytes: number;
  /** How often a node refreshes its presence heartbeat in Redis, and when it counts as dead. */
  presenceHeartbeatSeconds: number;
  presenceExpirySeconds: number;
  /**
   * Who hears a user's presence: `shared` (default) the users sharing a chat with them,
   * `everyone` every connected client (v1; its cost grows with the square of users online).
   */
  presenceScope: PresenceScope;
  /** How long SIGTERM waits for in-flight writes before closing anyway. */
  shutdownGraceSeconds: number;
  /** Serve the web client from this folder when it exists. */
  webRoot: string;
  /** Name of this node in logs and presence (defaults to host:pid). */
  nodeId: string;
  /**
   * Who may create an account: anyone (`open`, the default), holders of an invite (`invite`),
   * or nobody (`closed`). The first account of a fresh server is always accepted (as admin).
   */
  registration: RegistrationMode;
  /** Accounts made admins at start and when they register (lower case). */
  adminUsernames: readonly string[];
  /** PUBLIC_URL: the origin of absolute URLs in answers (invite links, webhook URLs). */
  publicUrl: string | undefined;
  /** FILE_STORAGE and its S3_* settings. */
  fileStorage: FileStorageConfig;
  /** MAX_UPLOAD_BYTES: the most bytes one uploaded file may have (25 MiB). */
  maxUploadBytes: number;
  /** Uploads never attached are swept this long after they began (24 h, as the contract says). */
  unsentUploadSeconds: number;
  /** ATTACHMENT_SWEEP_SECONDS: how often each node runs the sweep (0 turns it off). */
  attachmentSweepSeconds: number;
  /**
   * SEARCH_INDEXING (default on): `off` leaves the search index as it is, so searches read
   * the messages themselves (slower, the same results); the benchmark measures the index's
   * cost with it.
   */
  searchIndexing: boolean;
  /** Outgoing webhooks: where they may go, how many requests at once, how long each waits. */
  webhooks: WebhookConfig;
}

function fileStorage(env: Env): FileStorageConfig {
  const kind = env.FILE_STORAGE || "database";
  if (kind === "database") return { kind };
  if (kind !== "s3") {
    throw new ConfigError("FILE_STORAGE", `must be database or s3, got "${kind}"`);
  }
  const bucket = env.S3_BUCKET;
  if (!bucket) throw new ConfigError("S3_BUCKET", "is required when FILE_STORAGE=s3");
  const forcePathStyle = env.S3_FORCE_PATH_STYLE ?? "";
  if (!["", "0", "1", "true", "false"].includes(forcePathStyle)) {
    throw new ConfigError("S3_FORCE_PATH_STYLE", "must be true or false (1 or 0)");
  }
  return {
    kind,
    endpoint: url(env, "S3_ENDPOINT", ["http:", "https:"]),
    bucket,
    region: env.S3_REGION || "us-east-1",
    accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
    forcePathStyle: forcePathStyle === "1" || forcePathStyle === "true",
  };
}

export interface WebhookConfig {
  /** WEBHOOK_ALLOW_PRIVATE=1: loopback and private addresses allowed (tests, closed networks). */
  allowPrivate: boolean;
  /** Requests in flight at once per node. */
  concurrency: number;
  timeoutMs: number;
  /** How often each node looks at the queue when nothing local said there is work. */
  pollMs: number;
  retry: { firstMs: number; maxMs: number; giveUpMs: number };
}

function searchIndexing(env: Env): boolean {
  const raw = env.SEARCH_INDEXING || "on";
  if (raw === "on" || raw === "off") return raw === "on";
  throw new ConfigError("SEARCH_INDEXING", `must be on or off, got "${raw}"`);
}

function flag(env: Env, name: string): boolean {
  const raw = env[name] ?? "";
  if (raw === "" || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new ConfigError(name, `must be 0 or 1, got "${raw}"`);
}

export type RegistrationMode = "open" | "invite" | "closed";
const REGISTRATION_MODES: readonly RegistrationMode[] = ["open", "invite", "closed"];

function registration(env: Env): RegistrationMode {
  const raw = env.REGISTRATION || "open";
  if (!(REGISTRATION_MODES as readonly string[]).includes(raw)) {
    throw new ConfigError("REGISTRATION", `must be open, invite or closed, got "${raw}"`);
  }
  return raw as RegistrationMode;
}

/** "Ana, ben" → ["ana", "ben"]: comma-separated, spaces ignored, any letter case. */
function adminUsernames(env: Env): readonly string[] {
  const names = (env.ADMIN_USERNAMES ?? "")
    .split(",")
    .map((name) => name.replace(/\s+/g, "").toLowerCase())
    .filter(Boolean);
  return Object.freeze([...new Set(names)]);
}

export const PRESENCE_SCOPES = ["shared", "everyone"] as const;
export type PresenceScope = (typeof PRESENCE_SCOPES)[number];

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL (${protocols.join(" or ")}…), got something else`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.join(" or ")}//`);
  }
  return raw;
}

function redisPrefix(env: Env): string {
  const raw = env.REDIS_PREFIX || "charla";
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(raw)) {
    throw new ConfigError("REDIS_PREFIX", "must be 1–64 of A-Z a-z 0-9 _ . : -");
  }
  return raw;
}

function metricsToken(env: Env): string | undefined {
  const raw = env.METRICS_TOKEN || undefined;
  if (raw !== undefined && (raw.length < 16 || /\s/.test(raw))) {
    throw new ConfigError("METRICS_TOKEN", "must be at least 16 characters, without spaces");
  }
  return raw;
}

function presenceScope(env: Env): PresenceScope {
  const raw = env.PRESENCE_SCOPE || "shared";
  if (!(PRESENCE_SCOPES as readonly string[]).includes(raw)) {
    throw new ConfigError(
      "PRESENCE_SCOPE",
      `must be one of ${PRESENCE_SCOPES.join(", ")}, got "${raw}"`,
    );
  }
  return raw as PresenceScope;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** Parses the environment (CONTRACT.md, "Running it") into a frozen Config. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const production = env.NODE_ENV === "production";
  const dataDir = path.resolve(env.DATA_DIR || "./data");
  const databaseUrl = url(env, "DATABASE_URL", ["postgres:", "postgresql:"]);
  const jwtSecret = env.JWT_SECRET || undefined;
  if (production && !jwtSecret) {
    throw new ConfigError("JWT_SECRET", "is required when NODE_ENV=production");
  }
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError("JWT_SECRET", "must be at least 32 characters long");
  }
  const logLevel = env.LOG_LEVEL || "info";
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")}`);
  }
  const corsOrigins = (env.CORS_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (
      origin !== "*" &&
      url({ CORS_ORIGINS: origin }, "CORS_ORIGINS", ["http:", "https:"]) === undefined
    ) {
      throw new ConfigError("CORS_ORIGINS", `has an invalid origin "${origin}"`);
    }
  }
  const rateLimitsDisabled = env.RATE_LIMIT_DISABLED === "1" || env.RATE_LIMIT_DISABLED === "true";
  const host = env.HOST || "0.0.0.0";
  const heartbeat = integer(env, "PRESENCE_HEARTBEAT_SECONDS", 5, 1, 60);

  return Object.freeze({
    port: integer(env, "PORT", 3000, 0, 65535),
    host,
    listenBacklog: integer(env, "LISTEN_BACKLOG", 4096, 1, 1_000_000),
    dataDir,
    database: databaseUrl
      ? {
          kind: "postgres",
          url: databaseUrl,
          poolSize: integer(env, "DATABASE_POOL_SIZE", 10, 1, 200),
        }
      : { kind: "pglite", dataDir: path.join(dataDir, "pglite") },
    redisUrl: url(env, "REDIS_URL", ["redis:", "rediss:"]),
    redisPrefix: redisPrefix(env),
    jwtSecret,
    tokenTtlSeconds: integer(env, "TOKEN_TTL_SECONDS", 86_400, 1, 31_536_000),
    // OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane): about 8× cheaper than the
    // library's default of 64 MiB × 3 passes, which let a login burst eat both cores here.
    passwordHash: {
      memoryKib: integer(env, "PASSWORD_HASH_MEMORY_KIB", 19_456, 8_192, 4_194_304),
      timeCost: integer(env, "PASSWORD_HASH_TIME_COST", 2, 1, 100),
    },
    // argon2 runs on libuv's pool of 4 threads, which file and DNS work share: two hashes
    // at most leave it room, and a queue of 32 absorbs a burst of honest logins.
    passwordHashConcurrency: {
      running: integer(env, "PASSWORD_HASH_CONCURRENCY", 2, 1, 64),
      waiting: integer(env, "PASSWORD_HASH_QUEUE", 32, 0, 100_000),
    },
    metricsToken: metricsToken(env),
    // Far above any real user's tabs and devices; 2000 sockets of one user is an attack.
    maxSocketsPerUser: integer(env, "MAX_SOCKETS_PER_USER", 50, 1, 1_000_000),
    corsOrigins: Object.freeze(corsOrigins),
    logLevel,
    production,
    rateLimits: rateLimitsDisabled
      ? undefined
      : {
          // A person types a few messages a second at most; 200 events in 10 s also leaves room
          // for typing indicators and read receipts of a busy chat.
          socketEvents: integer(env, "RATE_LIMIT_SOCKET_EVENTS", 200, 1, 1_000_000),
          socketWindowSeconds: integer(env, "RATE_LIMIT_SOCKET_WINDOW_SECONDS", 10, 1, 3600),
          // A person creates a handful of chats a day; 20 a minute is generous.
          chatCreations: integer(env, "RATE_LIMIT_CHAT_CREATIONS", 20, 1, 1_000_000),
          chatCreationWindowSeconds: integer(
            env,
            "RATE_LIMIT_CHAT_CREATION_WINDOW_SECONDS",
            60,
            1,
            86_400,
          ),
          loginAttempts: integer(env, "RATE_LIMIT_LOGIN_ATTEMPTS", 10, 1, 1_000_000),
          loginWindowSeconds: integer(env, "RATE_LIMIT_LOGIN_WINDOW_SECONDS", 60, 1, 86_400),
          // An office behind one address logs in a few dozen times a minute at most.
          loginIpAttempts: integer(env, "RATE_LIMIT_LOGIN_IP_ATTEMPTS", 30, 1, 1_000_000),
          loginIpWindowSeconds: integer(env, "RATE_LIMIT_LOGIN_IP_WINDOW_SECONDS", 60, 1, 86_400),
          registrations: integer(env, "RATE_LIMIT_REGISTRATIONS", 30, 1, 1_000_000),
          registrationWindowSeconds: integer(
            env,
            "RATE_LIMIT_REGISTRATION_WINDOW_SECONDS",
            60,
            1,
            86_400,
          ),
          adminActions: integer(env, "RATE_LIMIT_ADMIN_ACTIONS", 120, 1, 1_000_000),
          adminWindowSeconds: integer(env, "RATE_LIMIT_ADMIN_WINDOW_SECONDS", 60, 1, 86_400),
          memberWrites: integer(env, "RATE_LIMIT_MODERATION_WRITES", 30, 1, 1_000_000),
          memberWriteWindowSeconds: integer(
            env,
            "RATE_LIMIT_MODERATION_WRITES_WINDOW_SECONDS",
            60,
            1,
            86_400,
          ),
          // A CI or monitoring system posts a few messages a minute; a loop gone wrong is
          // stopped at one a second on average.
          webhookPosts: integer(env, "RATE_LIMIT_WEBHOOK_POSTS", 60, 1, 1_000_000),
          webhookPostWindowSeconds: integer(
            env,
            "RATE_LIMIT_WEBHOOK_POSTS_WINDOW_SECONDS",
            60,
            1,
            86_400,
          ),
        },
    maxSocketFrameBytes: integer(env, "MAX_SOCKET_FRAME_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024),
    maxHttpBodyBytes: integer(env, "MAX_HTTP_BODY_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024),
    presenceHeartbeatSeconds: heartbeat,
    presenceExpirySeconds: integer(env, "PRESENCE_EXPIRY_SECONDS", 15, heartbeat * 2, 600),
    presenceScope: presenceScope(env),
    shutdownGraceSeconds: integer(env, "SHUTDOWN_GRACE_SECONDS", 10, 0, 600),
    webRoot: path.resolve(env.WEB_ROOT || path.join(import.meta.dirname, "../../web/dist")),
    nodeId: env.NODE_ID || `${process.pid}`,
    registration: registration(env),
    adminUsernames: adminUsernames(env),
    publicUrl: url(env, "PUBLIC_URL", ["http:", "https:"]),
    fileStorage: fileStorage(env),
    maxUploadBytes: integer(env, "MAX_UPLOAD_BYTES", UPLOAD_DEFAULT_MAX_BYTES, 1, 2 ** 40),
    unsentUploadSeconds: 86_400,
    attachmentSweepSeconds: integer(env, "ATTACHMENT_SWEEP_SECONDS", 60, 0, 86_400),
    searchIndexing: searchIndexing(env),
    webhooks: {
      allowPrivate: flag(env, "WEBHOOK_ALLOW_PRIVATE"),
      // Enough for many receivers at once; a dead one holds only its lanes' slots, for at
      // most the timeout each.
      concurrency: integer(env, "WEBHOOK_CONCURRENCY", 16, 1, 1000),
      timeoutMs: integer(env, "WEBHOOK_TIMEOUT_SECONDS", 10, 1, 120) * 1000,
      pollMs: integer(env, "WEBHOOK_POLL_MS", 1000, 10, 60_000),
      // The contract: first retry within 10 s, then up to 10 min apart, for 24 h.
      retry: {
        firstMs: integer(env, "WEBHOOK_RETRY_FIRST_SECONDS", 10, 1, 10) * 1000,
        maxMs: 600_000,
        giveUpMs: 24 * 3600_000,
      },
    },
  } satisfies Config);
}
