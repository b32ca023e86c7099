/**
 * Typed functions for administration and moderation (CONTRACT.md v2, "Administration,
 * moderation and integrations"): invites, the admin API, group roles, blocks and reports.
 * Each throws a {@link ChatError} when the server says no (`FORBIDDEN` for a non-admin).
 */
import type { CreateInvite, Invite } from "#protocol/schemas";
import { createApiRequest, type HttpApiOptions, type TokenSource } from "./http.ts";

export interface AdminApi {
  /** `POST /api/invites` (admin) → `{ code, url, expires_at, max_uses }`. */
  createInvite(input?: CreateInvite): Promise<Invite>;
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
  return {
    createInvite: (input = {}) => request("POST", "/invites", input),
  };
}
