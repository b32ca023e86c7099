/**
 * A bound on how much of one kind of work runs at once, with a bounded queue behind it: past
 * both, the work is refused at once instead of piling up (argon2 hashes, see domain/auth.ts).
 */
import { ChatError } from "@charla/protocol/errors";

export interface Semaphore {
  /** Runs `work` when a slot is free; RATE_LIMITED when every slot and queue place is taken. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Work running now and work waiting, for metrics and tests. */
  readonly running: number;
  readonly waiting: number;
}

export function createSemaphore(slots: number, maxWaiting: number): Semaphore {
  let running = 0;
  const queue: Array<() => void> = [];

  function release() {
    const next = queue.shift();
    if (next) next();
    else running -= 1;
  }

  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running < slots) running += 1;
      else if (queue.length < maxWaiting) {
        // The slot passes straight from the releaser to the next in line.
        await new Promise<void>((resolve) => queue.push(resolve));
      } else {
        throw new ChatError("RATE_LIMITED", "The server is busy; try again in a moment.");
      }
      try {
        return await work();
      } finally {
        release();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}
