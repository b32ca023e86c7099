/**
 * Group commit: sends that arrive while a batch is being written wait and go together in the
 * next one, so one transaction (one fsync) carries many messages under load and a lone send
 * is written at once. One batch at a time keeps a sender's messages in the order it sent them.
 */
import { StoreUnavailable } from "./errors.ts";
import type { AppendResult, MessageStore, NewMessage } from "./message-store.ts";

interface Pending {
  message: NewMessage;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most messages in one statement; more wait for the next batch. */
  maxBatch: number;
}

export class GroupCommit {
  readonly #store: Pick<MessageStore, "append">;
  readonly #maxBatch: number;
  #queue: Pending[] = [];
  #writing: Promise<void> | undefined;
  /** Observed by metrics: how many messages each committed batch carried. */
  onBatch: ((size: number, seconds: number) => void) | undefined;

  constructor(
    store: Pick<MessageStore, "append">,
    options: GroupCommitOptions = { maxBatch: 256 },
  ) {
    this.#store = store;
    this.#maxBatch = options.maxBatch;
  }

  /** Resolves once the message is committed (or found to be a repeat); rejects if the write failed. */
  append(message: NewMessage): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ message, resolve, reject });
      this.#writing ??= this.#drain();
    });
  }

  /** Resolves when everything queued so far is written (used by shutdown). */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        const started = performance.now();
        await this.#write(batch, started);
      }
    } finally {
      this.#writing = undefined;
    }
  }

  /**
   * Writes a batch; if the statement fails for a reason other than an unreachable database,
   * the batch is split in two and each half written on its own (first half first, so a
   * sender's order holds), down to single messages: only the message that made the statement
   * fail is rejected, and the others of its batch are stored and acknowledged (one user's bad
   * input never fails another's send). A poisoned batch of n costs about 2·log2(n) statements.
   */
  async #write(batch: Pending[], started: number): Promise<void> {
    try {
      const results = await this.#store.append(batch.map((p) => p.message));
      this.onBatch?.(batch.length, (performance.now() - started) / 1000);
      batch.forEach((pending, i) => pending.resolve(results[i]!));
    } catch (error) {
      // Nothing can succeed while the database is away: retrying would only add load.
      if (batch.length === 1 || error instanceof StoreUnavailable) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.#write(batch.slice(0, half), performance.now());
      await this.#write(batch.slice(half), performance.now());
    }
  }
}
