import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { AuthService } from "../domain/auth.ts";
import type { ChatService } from "../domain/chats.ts";
import type { ChatEvents } from "../domain/events.ts";
import type { MessageService } from "../domain/messages.ts";
import type { Presence } from "../domain/presence.ts";
import type { Metrics } from "../metrics.ts";
import type { Store } from "../storage/store.ts";

/** What the HTTP routes are given; built once in app.ts. */
export interface HttpDeps {
  auth: AuthService;
  chats: ChatService;
  messages: MessageService;
  presence: Presence;
  store: Store;
  events: ChatEvents;
  metrics: Metrics;
  loginLimiter: RateLimiterAbstract | undefined;
  registrationLimiter: RateLimiterAbstract | undefined;
  /** Each dependency's reachability, for /readyz. */
  readiness: () => Promise<Record<string, boolean>>;
}
