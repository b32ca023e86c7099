/** The administration and moderation API of the page's own origin, with the session's token. */
import { createAdminApi } from "@charla/client";
import { currentToken } from "./session.ts";

export const adminApi = createAdminApi("", currentToken);

/** Everything the admin page caches starts with this key, so one invalidation refreshes it. */
export const adminKey = ["admin"] as const;
