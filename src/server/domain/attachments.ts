/**
 * Attachments: uploading a file, serving it to who may see it, and sweeping what must go.
 *
 * - An upload streams from the request to the FileStore; its type is read from its first
 *   bytes (file-type), never from its name or the client's header, and it is refused past
 *   MAX_UPLOAD_BYTES. Images (PNG, JPEG, WebP, GIF) are decoded by sharp for their size and
 *   a thumbnail from the decoded pixels (no metadata survives); one that does not decode, or
 *   claims more than MAX_IMAGE_PIXELS (a decompression bomb), is refused.
 * - A file is served to a signed link's holder, to members of its message's chat (bearer
 *   token), and, while never attached, to its uploader; never once its message is deleted.
 * - The sweep (any node, each attachment once) removes the bytes of deleted messages'
 *   attachments and of uploads never attached within a day.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { ChatError } from "@charla/protocol/errors";
import type { UploadedAttachment } from "@charla/protocol/schemas";
import {
  detectType,
  imageSize,
  INLINE_IMAGE_TYPES,
  makeThumbnail,
  MAX_IMAGE_PIXELS,
} from "../media/images.ts";
import { fileKey, thumbnailKey, type StoredAttachment } from "../storage/attachment-store.ts";
import type { ByteRange } from "../storage/file-store.ts";
import type { Store } from "../storage/store.ts";
import type { LinkVariant, SignedLinks } from "./attachment-links.ts";

/** Bytes looked at to tell the type: file-type needs at most 4100 for what it knows. */
const SNIFF_BYTES = 4100;
/** Longest kept file name, in characters. */
const NAME_MAX = 255;
const NO_SUCH_ATTACHMENT = "No such attachment.";

export interface AttachmentLimits {
  /** MAX_UPLOAD_BYTES: the most bytes one file may have. */
  maxUploadBytes: number;
  /** Uploads never attached this long after they began are swept (24 h). */
  unsentSeconds: number;
}

/** Who asks for a file: a bearer token's user, and/or a signed link's parameters. */
export interface FileRequest {
  callerId?: string | undefined;
  signature?: { exp: number; sig: string } | undefined;
}

export interface OpenedFile {
  content_type: string;
  name: string;
  size: number;
  /** The bytes of `range` (or all), read as they are sent. */
  bytes(range?: ByteRange): AsyncIterable<Uint8Array>;
}

/** The name as shown: no control characters or path, 1–255 characters ("file" if none). */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? "").split(/[\\/]/).pop() ?? "";
  const clean = [...base.replace(/[\p{Cc}\p{Cf}]/gu, "").trim()].slice(0, NAME_MAX).join("");
  return clean || "file";
}

/** What file-type does not know: SVG and HTML (text), other text, or plain bytes. */
function sniffText(head: Uint8Array): string {
  if (head.includes(0)) return "application/octet-stream";
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(head);
  } catch {
    // A multi-byte character cut at the end of the head is still text.
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, head.length - 3));
    } catch {
      return "application/octet-stream";
    }
  }
  const start = text
    .replace(/^\uFEFF/, "")
    .trimStart()
    .slice(0, 1024)
    .toLowerCase();
  if (/<svg[\s>]/.test(start) || (start.startsWith("<?xml") && start.includes("<svg"))) {
    return "image/svg+xml";
  }
  if (/^(<!--.*?-->\s*)*<!doctype html|^<html[\s>]|<(head|body|script)[\s>]/s.test(start)) {
    return "text/html";
  }
  return "text/plain";
}

const tooLarge = (max: number) =>
  new ChatError("PAYLOAD_TOO_LARGE", `A file is at most ${max} bytes.`, { max_bytes: max });

/** The next piece of the upload; @fastify/multipart's own size limit becomes ours. */
async function nextPiece(
  source: AsyncIterator<Uint8Array>,
  max: number,
): Promise<IteratorResult<Uint8Array>> {
  try {
    return await source.next();
  } catch (error) {
    if ((error as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE") throw tooLarge(max);
    throw error;
  }
}

/** The file's pieces with a running count: past `max` bytes it stops, PAYLOAD_TOO_LARGE. */
async function* counted(
  head: Uint8Array[],
  rest: AsyncIterator<Uint8Array>,
  max: number,
  onSize: (size: number) => void,
): AsyncGenerator<Uint8Array> {
  let size = 0;
  for (const piece of head) {
    size += piece.length;
    if (size > max) throw tooLarge(max);
    yield piece;
  }
  for (;;) {
    const next = await nextPiece(rest, max);
    if (next.done) break;
    size += next.value.length;
    if (size > max) throw tooLarge(max);
    yield next.value;
  }
  onSize(size);
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const pieces: Uint8Array[] = [];
  for await (const piece of source) pieces.push(piece);
  return Buffer.concat(pieces);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

export const toUploaded = (a: StoredAttachment): UploadedAttachment => ({
  id: a.id,
  name: a.name,
  content_type: a.content_type,
  size: a.size,
  width: a.width,
  height: a.height,
});

export function createAttachmentService(deps: {
  store: Store;
  links: SignedLinks;
  limits: AttachmentLimits;
  log: Logger;
}) {
  const { store, links, limits, log } = deps;
  const { files } = store;

  /** Width, height and a thumbnail of a stored image; VALIDATION_ERROR when it does not decode. */
  async function describeImage(id: string) {
    // sharp needs the whole encoded image (libvips decodes from memory); only images are
    // read back, and the pixel limit is checked from the header before anything is decoded.
    const bytes = await collect(files.read(fileKey(id)));
    const size = await imageSize(bytes);
    if (!size) throw new ChatError("VALIDATION_ERROR", "The image could not be decoded.");
    if (size.width * size.height > MAX_IMAGE_PIXELS) {
      throw new ChatError(
        "VALIDATION_ERROR",
        `An image has at most ${MAX_IMAGE_PIXELS} pixels (this one claims ${size.width}×${size.height}).`,
      );
    }
    let thumbnail: Buffer;
    try {
      thumbnail = await makeThumbnail(bytes);
    } catch {
      throw new ChatError("VALIDATION_ERROR", "The image could not be decoded.");
    }
    await files.write(thumbnailKey(id), once(thumbnail));
    return size;
  }

  return {
    /**
     * Stores an uploaded file from `stream` (never whole in memory) for `ownerId` to attach.
     * Nothing is left behind when it fails.
     */
    async upload(
      ownerId: string,
      file: { filename: string | undefined; stream: AsyncIterable<Uint8Array> },
    ): Promise<UploadedAttachment> {
      const id = randomUUID();
      const rest = file.stream[Symbol.asyncIterator]();
      // The first pieces, until the type can be told (or the file ends).
      const head: Uint8Array[] = [];
      let headBytes = 0;
      while (headBytes < SNIFF_BYTES) {
        const next = await nextPiece(rest, limits.maxUploadBytes);
        if (next.done) break;
        head.push(next.value);
        headBytes += next.value.length;
      }
      const first = Buffer.concat(head).subarray(0, SNIFF_BYTES);
      const contentType = (await detectType(first)) ?? sniffText(first);
      const isImage = INLINE_IMAGE_TYPES.has(contentType);

      await store.attachments.begin({
        id,
        owner_id: ownerId,
        name: cleanFileName(file.filename),
        content_type: contentType,
      });
      let size = 0;
      try {
        await files.write(
          fileKey(id),
          counted(head, rest, limits.maxUploadBytes, (n) => (size = n)),
        );
        const dimensions = isImage ? await describeImage(id) : undefined;
        const stored = await store.attachments.finish(id, {
          size,
          width: dimensions?.width ?? null,
          height: dimensions?.height ?? null,
          has_thumbnail: dimensions !== undefined,
        });
        return toUploaded(stored);
      } catch (error) {
        await files.remove([fileKey(id), thumbnailKey(id)]).catch(() => undefined);
        await store.attachments.forget([id]).catch(() => undefined);
        throw error;
      }
    },

    /**
     * The file (or its thumbnail) for who asks: a valid signed link, a member of its chat, or
     * its uploader before it is attached. Anything else is NOT_FOUND (UNAUTHORIZED with
     * neither a token nor a signature), so ids cannot be probed.
     */
    async open(id: string, variant: LinkVariant, who: FileRequest): Promise<OpenedFile> {
      if (!who.callerId && !who.signature) {
        throw new ChatError(
          "UNAUTHORIZED",
          "Use the attachment's signed link, or send Authorization: Bearer <token>.",
        );
      }
      const access = await store.attachments.find(id, who.callerId);
      const attachment = access?.attachment;
      if (!attachment || !attachment.ready || attachment.doomed) {
        throw new ChatError("NOT_FOUND", NO_SUCH_ATTACHMENT);
      }
      const signed =
        who.signature !== undefined &&
        attachment.message_id !== null &&
        links.verify(id, variant, who.signature.exp, who.signature.sig);
      const byToken =
        who.callerId !== undefined &&
        (access.callerIsMember ||
          (attachment.message_id === null && attachment.owner_id === who.callerId));
      if (!signed && !byToken) throw new ChatError("NOT_FOUND", NO_SUCH_ATTACHMENT);

      if (variant === "thumbnail") {
        if (!attachment.has_thumbnail) throw new ChatError("NOT_FOUND", "No thumbnail.");
        // Small (at most 480×480 WebP): its size is learnt by reading it.
        const bytes = await collect(files.read(thumbnailKey(id)));
        return {
          content_type: "image/webp",
          name: attachment.name.replace(/(\.[^.]*)?$/, ".webp"),
          size: bytes.length,
          bytes: (range) => once(range ? bytes.subarray(range.start, range.end + 1) : bytes),
        };
      }
      return {
        content_type: attachment.content_type,
        name: attachment.name,
        size: attachment.size,
        bytes: (range) => files.read(fileKey(id), range),
      };
    },

    /**
     * One pass of the sweep: claims what must go (each attachment by one node only), removes
     * its bytes, then its row. Returns how many were removed.
     */
    async sweep(batch = 100): Promise<number> {
      let removed = 0;
      for (;;) {
        const claimed = await store.attachments.claimSweep({
          limit: batch,
          unsentSeconds: limits.unsentSeconds,
          reclaimSeconds: 600,
        });
        if (claimed.length === 0) return removed;
        const keys = claimed.flatMap((a) =>
          a.has_thumbnail ? [fileKey(a.id), thumbnailKey(a.id)] : [fileKey(a.id)],
        );
        await files.remove(keys);
        await store.attachments.forget(claimed.map((a) => a.id));
        removed += claimed.length;
        log.debug({ removed: claimed.length }, "attachments swept");
        if (claimed.length < batch) return removed;
      }
    },
  };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
