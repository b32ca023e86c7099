/**
 * Signed links to attachments, so that an `<img>` or a download link works without the token:
 * `/api/attachments/<id>?exp=<unix seconds>&sig=<HMAC>` (and `/thumbnail` for the thumbnail).
 * The HMAC binds the id, the variant and the expiry; its key is derived from the token
 * signing key, so every node of a service signs and checks alike.
 *
 * Expiry is rounded up to the next whole hour plus one: a link is valid between one and two
 * hours, and a payload read twice in the same hour carries the same link (browsers cache it).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { AttachmentLinks } from "../storage/attachment-store.ts";

export type LinkVariant = "file" | "thumbnail";

/** The shortest validity the contract allows is one hour. */
const HOUR_SECONDS = 3600;

export interface SignedLinks extends AttachmentLinks {
  /** True when `sig` is this service's signature of (id, variant, exp) and exp is ahead. */
  verify(attachmentId: string, variant: LinkVariant, exp: number, sig: string): boolean;
}

export function createAttachmentLinks(
  secret: Uint8Array,
  now: () => number = Date.now,
): SignedLinks {
  // A key of its own: a link's signature can never be replayed as anything else.
  const key = createHmac("sha256", secret).update("charla attachment links v1").digest();
  const sign = (id: string, variant: LinkVariant, exp: number) =>
    createHmac("sha256", key).update(`${variant}\n${id}\n${exp}`).digest("base64url");
  const expiry = () => (Math.floor(now() / 1000 / HOUR_SECONDS) + 2) * HOUR_SECONDS;
  const link = (id: string, variant: LinkVariant) => {
    const exp = expiry();
    const path = variant === "file" ? `/api/attachments/${id}` : `/api/attachments/${id}/thumbnail`;
    return `${path}?exp=${exp}&sig=${sign(id, variant, exp)}`;
  };
  return {
    file: (id) => link(id, "file"),
    thumbnail: (id) => link(id, "thumbnail"),
    verify(id, variant, exp, sig) {
      if (!Number.isSafeInteger(exp) || exp * 1000 <= now()) return false;
      const expected = Buffer.from(sign(id, variant, exp));
      const given = Buffer.from(sig);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
