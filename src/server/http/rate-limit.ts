import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { ChatError } from "@charla/protocol/errors";

/** Spends `points` of `key` (one by default), or throws RATE_LIMITED saying when to try again. */
export async function spend(
  limiter: RateLimiterAbstract | undefined,
  key: string,
  points = 1,
): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (rejection instanceof Error) throw rejection;
    const seconds = Math.ceil(
      ((rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000) / 1000,
    );
    throw new ChatError("RATE_LIMITED", `Too many requests; try again in ${seconds} s.`, {
      retry_after_seconds: seconds,
    });
  }
}
