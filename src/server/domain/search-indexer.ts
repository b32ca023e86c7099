/**
 * Keeps the search index up to date on this node, after the commit and out of the senders'
 * way (migration 0020). A committed change wakes it; it waits a moment so one pass takes many
 * changes, then indexes while there is more, each pass after the group commit has written
 * what it holds (or after `maxWaitMs`, so a node that is never idle still indexes; while a
 * backlog lasts, after `backlogWaitMs`, so a saturated node still indexes ~10 passes a second
 * and its backlog stays bounded). Search never waits for it: what is not indexed yet is read
 * from the messages, which costs more the further behind the index is.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import type { SearchIndexStore } from "../storage/search-index-store.ts";

export interface SearchIndexer {
  /** Says that messages changed: indexing follows shortly. */
  changed(): void;
  /** Stops waking and waits for a pass under way; idempotent. */
  stop(): Promise<void>;
}

export interface SearchIndexerOptions {
  index: SearchIndexStore;
  /** Resolves when the group commit has nothing left to write. */
  commitsIdle: () => Promise<void>;
  log: Logger;
  /** Hears how many changes each pass indexed (metrics). */
  onPass?: (indexed: number) => void;
  /** Changes per pass: on PGlite each pass holds its one connection this long (~50 µs each). */
  changesPerPass?: number;
  /** How long a pass waits for the group commit to be idle before it runs anyway. */
  maxWaitMs?: number;
  /** The same wait for the passes after one that left changes waiting. */
  backlogWaitMs?: number;
  /** How long after a wake the first pass starts, gathering the changes that follow. */
  gatherMs?: number;
  /** Another node holds the index, or a pass failed: try again this much later. */
  retryMs?: number;
}

export function startSearchIndexer(options: SearchIndexerOptions): SearchIndexer {
  const { index, commitsIdle, log } = options;
  const changesPerPass = options.changesPerPass ?? 128;
  const maxWaitMs = options.maxWaitMs ?? 1000;
  const backlogWaitMs = options.backlogWaitMs ?? 100;
  const gatherMs = options.gatherMs ?? 50;
  const retryMs = options.retryMs ?? 1000;

  // Stopping ends every wait at once (the waits do not hold the process open).
  const stopped = new AbortController();
  const pause = (ms: number, signal = stopped.signal) =>
    sleep(ms, undefined, { ref: false, signal }).catch(() => undefined);
  let wanted = false;
  let running: Promise<void> | undefined;
  let retry: NodeJS.Timeout | undefined;

  /** Passes until nothing is left; false when it must be tried again later. */
  const catchUp = async (): Promise<boolean> => {
    for (let backlog = false; ; backlog = true) {
      const waited = new AbortController();
      const either = AbortSignal.any([stopped.signal, waited.signal]);
      await Promise.race([commitsIdle(), pause(backlog ? backlogWaitMs : maxWaitMs, either)]);
      waited.abort();
      if (stopped.signal.aborted) return true;
      const pass = await index.indexPending(changesPerPass);
      if (pass === undefined) return false;
      options.onPass?.(pass.indexed);
      if (!pass.more) return true;
    }
  };

  const run = async () => {
    while (wanted && !stopped.signal.aborted) {
      wanted = false;
      await pause(gatherMs);
      const done = await catchUp().catch((error: unknown) => {
        log.warn({ err: error }, "search indexing failed");
        return false;
      });
      if (!done && !stopped.signal.aborted) {
        retry ??= setTimeout(() => {
          retry = undefined;
          wake();
        }, retryMs).unref();
      }
    }
    running = undefined;
  };

  const wake = () => {
    if (stopped.signal.aborted) return;
    wanted = true;
    running ??= run();
  };

  // Changes left by a node that stopped before indexing them, and other nodes' commits when
  // this one was busy, are caught at start.
  wake();

  let stopping: Promise<void> | undefined;
  return {
    changed: wake,
    stop: () =>
      (stopping ??= (async () => {
        stopped.abort();
        clearTimeout(retry);
        await running;
      })()),
  };
}
