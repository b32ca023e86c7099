/**
 * What the store reports, in the domain's words. Nothing above storage/ reads a SQLSTATE or a
 * driver's message: the store turns the few database failures that mean something to the
 * domain into these, and lets any other failure (a bug) through as it is, to be logged.
 * Modelled on Mattermost's server/channels/store/errors.go.
 */

/** Base of every error the store speaks; `instanceof StoreError` tells them from bugs. */
export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Another account has this username (usernames are unique regardless of case). */
export class UsernameTaken extends StoreError {
  constructor(readonly username: string) {
    super(`The username "${username}" is taken.`);
  }
}

/** The pair already has a direct chat (another request created it a moment ago). */
export class DirectChatExists extends StoreError {
  constructor(readonly directKey: string) {
    super(`A direct chat for ${directKey} exists.`);
  }
}

/**
 * The database could not be reached or went away mid-request (restart, network, closed):
 * nothing was stored, and the request may be retried.
 */
export class StoreUnavailable extends StoreError {
  constructor(cause: unknown) {
    super("The database is unavailable.", { cause });
  }
}

/** The sender is blocked by the other member of this direct chat: nothing was stored. */
export class SendBlocked extends StoreError {
  constructor() {
    super("The other member of this direct chat blocked the sender.");
  }
}

/** The registration was refused: registration is closed, or the invite is not valid. */
export class NotAdmitted extends StoreError {
  constructor(readonly admission: "invite" | "closed") {
    super(`Registration refused (${admission}).`);
  }
}

/** A message has as many distinct emoji as it may (REACTIONS_PER_MESSAGE_MAX). */
export class TooManyReactions extends StoreError {
  constructor(readonly messageId: string) {
    super(`Message ${messageId} has all the distinct reactions it may.`);
  }
}

/** An attachment of a send is not the sender's, not ready, unknown or attached already. */
export class AttachmentsUnavailable extends StoreError {
  constructor() {
    super("An attachment is unknown, someone else's or attached already.");
  }
}
