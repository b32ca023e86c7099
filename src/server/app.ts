/**
 * Assembles one Charla node: storage, domain services, HTTP API and Socket.IO gateway on one
 * HTTP server. `createApp` picks the concrete backends; nothing else does.
 */
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Config } from "./config.ts";
import { createAdminService } from "./domain/admin.ts";
import { createAccountService } from "./domain/accounts.ts";
import { createAuthService } from "./domain/auth.ts";
import { createAttachmentLinks, type SignedLinks } from "./domain/attachment-links.ts";
import { createAttachmentService } from "./domain/attachments.ts";
import { startSearchIndexer } from "./domain/search-indexer.ts";
import { startSweeper } from "./domain/sweeper.ts";
import { fileStoreFor } from "./storage/files/backends.ts";
import { createBlockService } from "./domain/blocks.ts";
import { createBotService } from "./domain/bots.ts";
import { createChatService } from "./domain/chats.ts";
import { createIncomingWebhookService } from "./domain/incoming-webhooks.ts";
import { createInviteService } from "./domain/invites.ts";
import { createMessageService } from "./domain/messages.ts";
import { createReactionService } from "./domain/reactions.ts";
import { createLocalPresence, type Presence } from "./domain/presence.ts";
import { createSessions } from "./domain/sessions.ts";
import { createUserService } from "./domain/users.ts";
import { createHttpServer } from "./http/server.ts";
import { createLogger } from "./logger.ts";
import { createMetrics } from "./metrics.ts";
import { createLimits } from "./rate-limits.ts";
import { createBroadcaster } from "./realtime/broadcaster.ts";
import { createSocketServer, startGateway } from "./realtime/gateway.ts";
import { createPresenceScope } from "./realtime/presence-scope.ts";
import type { ChatServer } from "./realtime/types.ts";
import { resolveJwtSecret } from "./secret.ts";
import { startupLine } from "./startup-line.ts";
import { GroupCommit } from "./storage/group-commit.ts";
import { openStore } from "./storage/open.ts";
import type { Store } from "./storage/store.ts";
import { connectCluster, type Cluster } from "./cluster/cluster.ts";
import { createOutgoingWebhookService } from "./domain/outgoing-webhooks.ts";
import { problemWithUrl } from "./webhooks/addresses.ts";
import { createDispatcher, wakingDispatcher } from "./webhooks/dispatcher.ts";
import { createSealer } from "./webhooks/sealed.ts";

export interface App {
  readonly config: Readonly<Config>;
  readonly http: FastifyInstance;
  readonly io: ChatServer;
  readonly store: Store;
  readonly log: Logger;
  /** Starts listening on config.host:config.port; resolves with the base URL. */
  listen(): Promise<string>;
  /** The base URL once listening, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Drains and closes everything, in order; safe to call more than once. */
  close(): Promise<void>;
}

export interface AppOptions {
  log?: Logger;
  /** Seams for tests that reproduce races; never set in production. */
  testHooks?: {
    /** Runs after a socket handshake's database read, before the socket is accepted. */
    afterHandshakeRead?: (userId: string) => Promise<void>;
    /** Hears of every SQL statement the store runs (to count what a request costs). */
    onQuery?: (text: string) => void;
  };
}

export async function createApp(config: Readonly<Config>, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? createLogger(config.logLevel, config.nodeId);
  const secret = await resolveJwtSecret(config);
  const links = createAttachmentLinks(secret);
  const store = await openStore(config.database, log, {
    links,
    files: fileStoreFor(config.fileStorage),
    onQuery: options.testHooks?.onQuery,
  });
  let cluster: Cluster | undefined;
  try {
    cluster = config.redisUrl ? await connectCluster(config, log) : undefined;
    return await assemble(config, options, log, store, cluster, { secret, links });
  } catch (error) {
    // A start that fails part-way gives back what it opened, so a supervisor retrying a bad
    // start does not pile up connections on the shared PostgreSQL and Redis.
    await cluster?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
}

/** Everything built on the open store (and Redis): services, HTTP, the gateway. */
async function assemble(
  config: Readonly<Config>,
  options: AppOptions,
  log: Logger,
  store: Store,
  cluster: Cluster | undefined,
  keys: { secret: Uint8Array; links: SignedLinks },
): Promise<App> {
  const metrics = createMetrics({ searchChatsBehind: () => store.searchIndex.chatsBehind() });
  const presence: Presence = cluster?.presence ?? createLocalPresence();
  // ADMIN_USERNAMES applies at every start (and to those who register later, in auth).
  await store.users.promoteAdmins(config.adminUsernames);
  const { secret, links } = keys;

  let draining = false;
  const io = createSocketServer(config, () => draining);
  const presenceScope = createPresenceScope({
    io,
    scope: config.presenceScope,
    presence,
    chats: store.chats,
    users: store.users,
    log,
  });
  const sealer = createSealer(secret);
  const dispatcher = createDispatcher({ store, sealer, log, ...config.webhooks });
  const commits = new GroupCommit(store.messages);
  const searchIndexer = config.searchIndexing
    ? startSearchIndexer({
        index: store.searchIndex,
        commitsIdle: () => commits.flush(),
        onPass: (indexed) => metrics.searchChangesIndexed.inc(indexed),
        log,
      })
    : undefined;
  const events = wakingDispatcher(
    presenceScope.introducing(createBroadcaster(io, { clustered: cluster !== undefined })),
    () => {
      dispatcher.changed();
      searchIndexer?.changed();
    },
  );
  const sessions = createSessions({ store, events });
  const auth = createAuthService({
    store,
    sessions,
    secret,
    tokenTtlSeconds: config.tokenTtlSeconds,
    passwordHash: config.passwordHash,
    registration: config.registration,
    adminUsernames: config.adminUsernames,
    hashing: config.passwordHashConcurrency,
  });

  commits.onBatch = (size, seconds) => {
    metrics.commitBatchSize.observe(size);
    metrics.commitSeconds.observe(seconds);
    metrics.messagesStored.inc(size);
  };

  const users = createUserService({ store, presence, events });
  const accounts = createAccountService({ store, auth, events });
  const chats = createChatService({ store, events });
  const messages = createMessageService({ store, commits, events });
  const invites = createInviteService({ store });
  const reactions = createReactionService({ store, events });
  const admin = createAdminService({ store, events });
  const blocks = createBlockService({ store, events });
  const bots = createBotService({ store, events });
  const attachments = createAttachmentService({
    store,
    links,
    limits: { maxUploadBytes: config.maxUploadBytes, unsentSeconds: config.unsentUploadSeconds },
    log,
  });
  const sweeper = startSweeper(attachments, config.attachmentSweepSeconds, log);

  const limits = createLimits(config.rateLimits);
  const incomingWebhooks = createIncomingWebhookService({
    store,
    messages,
    events,
    spendPost: (webhookId) => limits.spendWebhookPost(webhookId),
  });
  const outgoingWebhooks = createOutgoingWebhookService({
    store,
    problemWithUrl: (url) => problemWithUrl(url, config.webhooks.allowPrivate),
    seal: (plain) => sealer.seal(plain),
    onChange: () => dispatcher.webhooksChanged(),
  });
  const http = await createHttpServer(
    config,
    log,
    {
      auth,
      users,
      accounts,
      chats,
      messages,
      invites,
      reactions,
      admin,
      blocks,
      bots,
      incomingWebhooks,
      attachments,
      maxUploadBytes: config.maxUploadBytes,
      outgoingWebhooks,
      metrics,
      publicUrl: config.publicUrl,
      adminLimiter: config.rateLimits
        ? new RateLimiterMemory({
            keyPrefix: "admin",
            points: config.rateLimits.adminActions,
            duration: config.rateLimits.adminWindowSeconds,
          })
        : undefined,
      memberWriteLimiter: config.rateLimits
        ? new RateLimiterMemory({
            keyPrefix: "member-writes",
            points: config.rateLimits.memberWrites,
            duration: config.rateLimits.memberWriteWindowSeconds,
          })
        : undefined,
      limits,
      metricsToken: config.metricsToken,
      readiness: async (): Promise<Record<string, boolean>> => {
        const database = await store.ping().then(
          () => true,
          () => false,
        );
        return cluster ? { database, redis: await cluster.isReachable() } : { database };
      },
    },
    () => draining,
  );

  const gateway = startGateway(io, http.server, {
    config,
    log,
    metrics,
    auth,
    users,
    chats,
    messages,
    reactions,
    presence,
    limits,
    presenceScope,
    afterHandshakeRead: options.testHooks?.afterHandshakeRead,
    isDraining: () => draining,
  });
  if (cluster) cluster.attach(io, (users) => presenceScope.announceBack(users));

  let url = "";
  let closing: Promise<void> | undefined;

  async function doClose() {
    draining = true;
    const grace = new Promise((resolve) =>
      setTimeout(resolve, config.shutdownGraceSeconds * 1000).unref(),
    );
    // Writes already accepted are committed and acknowledged before sockets close.
    await Promise.race([commits.flush(), grace]);
    gateway.close();
    await io.close().catch(() => undefined);
    await http.close().catch((error: unknown) => log.warn({ err: error }, "http close"));
    await sweeper.stop();
    // Deliveries in flight are cut short and handed back to the queue before it closes.
    await dispatcher.close();
    await searchIndexer?.stop();
    await presence.close().catch((error: unknown) => log.warn({ err: error }, "presence close"));
    await cluster?.close().catch((error: unknown) => log.warn({ err: error }, "cluster close"));
    await store.close();
    log.info("closed");
  }

  return {
    config,
    http,
    io,
    store,
    log,
    get url() {
      return url;
    },
    async listen() {
      await http.listen({ port: config.port, host: config.host, backlog: config.listenBacklog });
      const address = http.server.address() as AddressInfo;
      const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
      url = `http://${host === "0.0.0.0" || host === "[::]" ? "127.0.0.1" : host}:${address.port}`;
      log.info({ url, port: address.port }, startupLine(config, url));
      return url;
    },
    close: () => (closing ??= doClose()),
  };
}
