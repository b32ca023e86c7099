/**
 * Typed functions for administration and moderation (CONTRACT.md v2, "Administration,
 * moderation and integrations"): invites, the admin API, group roles, blocks and reports.
 * Each throws a {@link ChatError} when the server says no (`FORBIDDEN` for a non-admin).
 */
import type {
  AdminUser,
  AdminUsersQuery,
  AuditEntry,
  Chat,
  CreateInvite,
  Invite,
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
  };
}
