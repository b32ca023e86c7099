/** The reactions part of the storage port: who reacted with which emoji to a message. */
import type { Reactions } from "@charla/protocol";

/** What a reaction change did: the message's reactions now, and whether they changed. */
export interface ReactionChange extends Reactions {
  /** False when there was nothing to do (added twice, removed what was not there). */
  changed: boolean;
}

export interface ReactionStore {
  /**
   * Adds the user's reaction to a live message and, when it is new, bumps the message's
   * change_seq. Undefined when the message is gone (missing or deleted); throws
   * TooManyReactions when it would be the message's 21st distinct emoji.
   */
  add(messageId: string, userId: string, emoji: string): Promise<ReactionChange | undefined>;
  /** Removes the user's reaction; the same answers as `add`. */
  remove(messageId: string, userId: string, emoji: string): Promise<ReactionChange | undefined>;
}
