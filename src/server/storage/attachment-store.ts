/**
 * The attachments part of the storage port: what is known about each uploaded file (its
 * bytes are in the FileStore). An upload is written, made ready, attached once by its owner
 * to one message (MessageStore.appendWithAttachments), and swept when its message is
 * deleted or when it was never attached.
 */

/** How a message's attachments link to their bytes: signed paths, made at each read. */
export interface AttachmentLinks {
  file(attachmentId: string): string;
  thumbnail(attachmentId: string): string;
}

/** Plain paths, for stores opened without a signer (tools, tests): they need a token. */
export const UNSIGNED_LINKS: AttachmentLinks = {
  file: (id) => `/api/attachments/${id}`,
  thumbnail: (id) => `/api/attachments/${id}/thumbnail`,
};

export interface StoredAttachment {
  id: string;
  owner_id: string;
  name: string;
  content_type: string;
  size: number;
  width: number | null;
  height: number | null;
  has_thumbnail: boolean;
  ready: boolean;
  message_id: string | null;
  chat_id: string | null;
  /** Its message was deleted (or removed): it is no longer served, and will be swept. */
  doomed: boolean;
}

export interface AttachmentAccess {
  attachment: StoredAttachment;
  /** True when the caller (if any) is a member of the chat its message is in. */
  callerIsMember: boolean;
}

/** The storage keys of an attachment's files. */
export const fileKey = (attachmentId: string) => attachmentId;
export const thumbnailKey = (attachmentId: string) => `${attachmentId}.thumb`;

export interface AttachmentStore {
  /** Records an upload that has started (not ready: not attachable, not served). */
  begin(upload: {
    id: string;
    owner_id: string;
    name: string;
    content_type: string;
  }): Promise<void>;
  /** The upload's bytes are stored: it becomes ready with what was learnt of them. */
  finish(
    id: string,
    facts: { size: number; width: number | null; height: number | null; has_thumbnail: boolean },
  ): Promise<StoredAttachment>;
  /** Forgets uploads whose bytes were removed (a failed upload, the sweep). */
  forget(ids: readonly string[]): Promise<void>;
  /** The attachment, with whether `callerId` is a member of its message's chat. */
  find(id: string, callerId: string | undefined): Promise<AttachmentAccess | undefined>;
  /**
   * Claims up to `limit` attachments whose bytes must go: doomed ones, and those never
   * attached `unsentSeconds` after their upload began. Each is claimed by ONE caller (on any
   * node); a claim older than `reclaimSeconds` (its node died half-way) may be taken again.
   */
  claimSweep(options: {
    limit: number;
    unsentSeconds: number;
    reclaimSeconds: number;
  }): Promise<Array<{ id: string; has_thumbnail: boolean }>>;
}
