/**
 * Typed functions for administration and moderation (CONTRACT.md v2, "Administration,
 * moderation and integrations"): invites, the admin API, group roles, blocks and reports,
 * bots and webhooks.
 * Each throws a {@link ChatError} when the server says no (`FORBIDDEN` for a non-admin).
 */
import type {
  AdminUser,
  AdminUsersQuery,
  AuditEntry,
  BotWithToken,
  Chat,
  CreateBot,
  CreateInvite,
  CreateOutgoingWebhook,
  IncomingWebhook,
  IncomingWebhookWithUrl,
  Invite,
  Message,
  OutgoingWebhook,
  WebhookDelivery,
  NewestFirstQuery,
  Report,
  User,
} from "#protocol/schemas";
import { createApiRequest, type HttpApiOptions, type TokenSource } from "./http.ts";

export interface AdminApi {
  /** `POST /api/invites` (admin) → `{ code, url, expires_at, max_uses }`. */
  createInvite(input?: CreateInvite): Promise<Invite>;
  /** `GET /api/admin/users?q=&limit=`: with role and `deactivated_at`. */
  users(query?: AdminUsersQuery): Promise<AdminUser[]>;
  /** `POST /api/admin/users/:id/deactivate`: its tokens and sockets end on every node. */
  deactivate(userId: string): Promise<AdminUser>;
  /** `POST /api/admin/users/:id/reactivate`: it may log in again. */
  reactivate(userId: string): Promise<AdminUser>;
  /** `DELETE /api/admin/messages/:id`: any message, broadcast as `message:delete`. */
  deleteMessage(messageId: string): Promise<void>;
  /** `GET /api/admin/reports`, newest first, each with its message. */
  reports(query?: NewestFirstQuery): Promise<Report[]>;
  /** `GET /api/admin/audit`: every admin action, newest first. */
  audit(query?: NewestFirstQuery): Promise<AuditEntry[]>;
  /**
   * `PATCH /api/chats/:id/members/:user_id { role }` (the group's owner): makes a member an
   * admin of the group, or a member again; members get `chat:member_updated`.
   */
  setMemberRole(chatId: string, userId: string, role: "admin" | "member"): Promise<Chat>;
  /** `PUT /api/users/me/blocks/:user_id`: they cannot open or send into your direct chat. */
  block(userId: string): Promise<void>;
  /** `DELETE /api/users/me/blocks/:user_id`. */
  unblock(userId: string): Promise<void>;
  /** `GET /api/users/me/blocks`: the users you block. */
  blocks(): Promise<User[]>;
  /** `POST /api/messages/:id/report` (any member, not only admins). */
  report(messageId: string, reason: string): Promise<Report>;
  /** `POST /api/bots` (admin) → `{ user, token }`: keep the token, it is shown this once. */
  createBot(input: CreateBot): Promise<BotWithToken>;
  /** `GET /api/bots` (admin). */
  bots(): Promise<User[]>;
  /** `DELETE /api/bots/:id/token` (admin): refused from now on, its sockets end. */
  revokeBotToken(botId: string): Promise<void>;
  /** `POST /api/bots/:id/token` (admin): a new token (shown once); the old one stops working. */
  reissueBotToken(botId: string): Promise<BotWithToken>;
  /** `POST /api/chats/:id/webhooks { name }` (group owner or admin): the URL is shown once. */
  createIncomingWebhook(chatId: string, name: string): Promise<IncomingWebhookWithUrl>;
  /** `GET /api/chats/:id/webhooks` (group owner or admin), without URLs. */
  incomingWebhooks(chatId: string): Promise<IncomingWebhook[]>;
  /** `DELETE /api/chats/:id/webhooks/:webhook_id`: its URL answers 404 from then on. */
  deleteIncomingWebhook(chatId: string, webhookId: string): Promise<void>;
  /** `POST /api/webhooks { url, events, secret }` (admin). */
  createOutgoingWebhook(input: CreateOutgoingWebhook): Promise<OutgoingWebhook>;
  /** `GET /api/webhooks` (admin). */
  outgoingWebhooks(): Promise<OutgoingWebhook[]>;
  /** `DELETE /api/webhooks/:id` (admin): what of its queue is undelivered goes with it. */
  deleteOutgoingWebhook(webhookId: string): Promise<void>;
  /** `GET /api/webhooks/:id/deliveries` (admin), newest first. */
  deliveries(webhookId: string, query?: { limit?: number }): Promise<WebhookDelivery[]>;
}

/**
 * Posts `text` through an incoming webhook's URL (no token: the URL is the credential).
 *
 * @example
 * ```ts
 * await postToWebhook(webhook.url, "build #42 passed");
 * ```
 */
export async function postToWebhook(
  url: string,
  text: string,
  options: HttpApiOptions = {},
): Promise<Message> {
  const { origin, pathname } = new URL(url);
  const request = createApiRequest(origin, undefined, options);
  return request("POST", pathname.replace(/^\/api/, ""), { text });
}

/**
 * @example
 * ```ts
 * const admin = createAdminApi("http://localhost:3000", token);
 * const { url } = await admin.createInvite({ max_uses: 5 });
 * ```
 */
export function createAdminApi(
  baseUrl: string,
  getToken: TokenSource = undefined,
  options: HttpApiOptions = {},
): AdminApi {
  const request = createApiRequest(baseUrl, getToken, options);
  const id = (value: string) => encodeURIComponent(value);
  return {
    createInvite: (input = {}) => request("POST", "/invites", input),
    users: async (query = {}) =>
      (await request<{ users: AdminUser[] }>("GET", "/admin/users", undefined, query)).users,
    deactivate: (userId) => request("POST", `/admin/users/${id(userId)}/deactivate`),
    reactivate: (userId) => request("POST", `/admin/users/${id(userId)}/reactivate`),
    deleteMessage: async (messageId) => {
      await request("DELETE", `/admin/messages/${id(messageId)}`);
    },
    reports: async (query = {}) =>
      (await request<{ reports: Report[] }>("GET", "/admin/reports", undefined, query)).reports,
    audit: async (query = {}) =>
      (await request<{ entries: AuditEntry[] }>("GET", "/admin/audit", undefined, query)).entries,
    setMemberRole: (chatId, userId, role) =>
      request("PATCH", `/chats/${id(chatId)}/members/${id(userId)}`, { role }),
    block: async (userId) => {
      await request("PUT", `/users/me/blocks/${id(userId)}`);
    },
    unblock: async (userId) => {
      await request("DELETE", `/users/me/blocks/${id(userId)}`);
    },
    blocks: async () => (await request<{ users: User[] }>("GET", "/users/me/blocks")).users,
    report: (messageId, reason) => request("POST", `/messages/${id(messageId)}/report`, { reason }),
    createBot: (input) => request("POST", "/bots", input),
    bots: async () => (await request<{ bots: User[] }>("GET", "/bots")).bots,
    revokeBotToken: async (botId) => {
      await request("DELETE", `/bots/${id(botId)}/token`);
    },
    reissueBotToken: (botId) => request("POST", `/bots/${id(botId)}/token`),
    createIncomingWebhook: (chatId, name) =>
      request("POST", `/chats/${id(chatId)}/webhooks`, { name }),
    incomingWebhooks: async (chatId) =>
      (await request<{ webhooks: IncomingWebhook[] }>("GET", `/chats/${id(chatId)}/webhooks`))
        .webhooks,
    deleteIncomingWebhook: async (chatId, webhookId) => {
      await request("DELETE", `/chats/${id(chatId)}/webhooks/${id(webhookId)}`);
    },
    createOutgoingWebhook: (input) => request("POST", "/webhooks", input),
    outgoingWebhooks: async () =>
      (await request<{ webhooks: OutgoingWebhook[] }>("GET", "/webhooks")).webhooks,
    deleteOutgoingWebhook: async (webhookId) => {
      await request("DELETE", `/webhooks/${id(webhookId)}`);
    },
    deliveries: async (webhookId, query = {}) =>
      (
        await request<{ deliveries: WebhookDelivery[] }>(
          "GET",
          `/webhooks/${id(webhookId)}/deliveries`,
          undefined,
          query,
        )
      ).deliveries,
  };
}
