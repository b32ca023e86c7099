/**
 * Runs the attachment sweep on this node every ATTACHMENT_SWEEP_SECONDS. Every node runs
 * it; the store's claim (SKIP LOCKED) gives each attachment to one of them, once.
 */
import type { Logger } from "pino";
import type { AttachmentService } from "./attachments.ts";

export interface Sweeper {
  /** Stops the timer and waits for a pass under way; idempotent. */
  stop(): Promise<void>;
}

export function startSweeper(
  attachments: Pick<AttachmentService, "sweep">,
  everySeconds: number,
  log: Logger,
): Sweeper {
  if (everySeconds <= 0) return { stop: async () => undefined };
  let running: Promise<void> | undefined;
  const pass = () => {
    running ??= attachments
      .sweep()
      .then((removed) => {
        if (removed > 0) log.info({ removed }, "attachments swept");
      })
      .catch((error: unknown) => log.warn({ err: error }, "attachment sweep failed"))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(pass, everySeconds * 1000);
  timer.unref();
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(timer);
        await running;
      })()),
  };
}
