/** What the UI says for a failure: the translated text of its error code. */
import { ChatError } from "@charla/client";
import { t } from "./i18n.ts";

/**
 * `registering`: an UNAUTHORIZED answer to a registration is not "wrong password" (the
 * server only says that to a login), so it reads as an unexpected failure.
 */
export function errorText(error: unknown, registering = false): string {
  if (error instanceof ChatError) {
    if (error.code === "UNAUTHORIZED" && registering) return t.errors.INTERNAL;
    return t.errors[error.code];
  }
  return t.errors.INTERNAL;
}
