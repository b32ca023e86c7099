/**
 * Every rate limit of a node, built once from the configuration and shared by the HTTP
 * routes and the socket gateway, so that one user's HTTP writes and socket events draw on
 * ONE budget. Each action costs its weight in points (a `sync` costs more than a send), and
 * an event the server does not know costs like any other, so nothing is free.
 *
 * The budgets are per node (in memory): behind a load balancer a user's sockets on several
 * nodes each have their own. See docs/security.md.
 */
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { RateLimits } from "./config.ts";
import { spend } from "./http/rate-limit.ts";

/** Points an action takes from its user's budget (RATE_LIMIT_SOCKET_EVENTS per window). */
export const COST = {
  /** A socket command, an unknown socket event or an HTTP write. */
  default: 1,
  /** Catch-up reads many chats at once. */
  sync: 10,
} as const;

export interface Limits {
  /** Takes `cost` points from the user's budget, or throws RATE_LIMITED. */
  spendUser(userId: string, cost?: number): Promise<void>;
  /** One more chat created by the user (on top of its cost in the user's budget). */
  spendChatCreation(userId: string): Promise<void>;
  /** A login attempt: limited per (IP, username) and per IP whatever the username. */
  spendLogin(ip: string, username: string): Promise<void>;
  spendRegistration(ip: string): Promise<void>;
  /** A password checked for a signed-in user (password change, closing the account). */
  spendPasswordCheck(userId: string): Promise<void>;
  /** A post through an incoming webhook's URL (per webhook, whoever posts). */
  spendWebhookPost(webhookId: string): Promise<void>;
}

/** No limits at all (RATE_LIMIT_DISABLED=1, benchmarks only). */
const UNLIMITED: Limits = {
  spendUser: async () => undefined,
  spendChatCreation: async () => undefined,
  spendLogin: async () => undefined,
  spendRegistration: async () => undefined,
  spendPasswordCheck: async () => undefined,
  spendWebhookPost: async () => undefined,
};

export function createLimits(config: RateLimits | undefined): Limits {
  if (!config) return UNLIMITED;
  const limiter = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterMemory({ keyPrefix, points, duration });
  const user = limiter("user", config.socketEvents, config.socketWindowSeconds);
  const chats = limiter("chats", config.chatCreations, config.chatCreationWindowSeconds);
  const login = limiter("login", config.loginAttempts, config.loginWindowSeconds);
  const loginIp = limiter("login-ip", config.loginIpAttempts, config.loginIpWindowSeconds);
  const passwordCheck = limiter("password", config.loginAttempts, config.loginWindowSeconds);
  const registration = limiter("register", config.registrations, config.registrationWindowSeconds);
  const webhookPosts = limiter("webhook", config.webhookPosts, config.webhookPostWindowSeconds);
  return {
    spendUser: (userId, cost = COST.default) => spend(user, userId, cost),
    spendChatCreation: (userId) => spend(chats, userId),
    async spendLogin(ip, username) {
      // The IP's budget first: spraying many usernames from one address is stopped there.
      await spend(loginIp, ip);
      await spend(login, `${ip}:${username.toLowerCase()}`);
    },
    spendRegistration: (ip) => spend(registration, ip),
    // As strict as logins: a stolen token must not become a way to guess the password.
    spendPasswordCheck: (userId) => spend(passwordCheck, userId),
    spendWebhookPost: (webhookId) => spend(webhookPosts, webhookId),
  };
}
