import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { AdminService } from "../domain/admin.ts";
import type { AccountService } from "../domain/accounts.ts";
import type { AttachmentService } from "../domain/attachments.ts";
import type { AuthService } from "../domain/auth.ts";
import type { BlockService } from "../domain/blocks.ts";
import type { BotService } from "../domain/bots.ts";
import type { ChatService } from "../domain/chats.ts";
import type { IncomingWebhookService } from "../domain/incoming-webhooks.ts";
import type { InviteService } from "../domain/invites.ts";
import type { MessageService } from "../domain/messages.ts";
import type { OutgoingWebhookService } from "../domain/outgoing-webhooks.ts";
import type { ReactionService } from "../domain/reactions.ts";
import type { UserService } from "../domain/users.ts";
import type { Metrics } from "../metrics.ts";
import type { Limits } from "../rate-limits.ts";

/** What the HTTP routes are given; built once in app.ts. Routes call the domain only. */
export interface HttpDeps {
  auth: AuthService;
  users: UserService;
  accounts: AccountService;
  chats: ChatService;
  messages: MessageService;
  invites: InviteService;
  admin: AdminService;
  blocks: BlockService;
  bots: BotService;
  incomingWebhooks: IncomingWebhookService;
  attachments: AttachmentService;
  /** MAX_UPLOAD_BYTES: one uploaded file's limit. */
  maxUploadBytes: number;
  outgoingWebhooks: OutgoingWebhookService;
  metrics: Metrics;
  /**
   * Every rate limit, shared with the socket gateway. Every write under /api already draws on
   * its user's budget (a hook in http/server.ts); routes add only limits of their own.
   */
  limits: Limits;
  /** Admin writes (invites, deactivations, bots, webhooks) per admin. */
  adminLimiter: RateLimiterAbstract | undefined;
  /** Members' moderation writes (reports, blocks) per user. */
  memberWriteLimiter: RateLimiterAbstract | undefined;
  /** PUBLIC_URL: the origin absolute URLs in answers use; else the request's own. */
  publicUrl: string | undefined;
  reactions: ReactionService;
  /** METRICS_TOKEN: opens /metrics beyond loopback. */
  metricsToken: string | undefined;
  /** Each dependency's reachability, for /readyz. */
  readiness: () => Promise<Record<string, boolean>>;
}
