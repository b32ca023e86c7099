/**
 * Images are decoded, never trusted: the type comes from the bytes (file-type), and what is
 * shown (avatars, thumbnails) is re-encoded by sharp from the decoded pixels, so metadata
 * (EXIF, GPS) never survives and a file that only pretends to be an image is refused.
 */
import { fileTypeFromBuffer } from "file-type";
import sharp from "sharp";
import { ChatError } from "@charla/protocol/errors";

/** The image types shown inline; anything else (SVG included) is a plain file. */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  "image/png",
  "image/jpeg",
  "image/webp",
  "image/gif",
]);

/**
 * The most pixels an image may claim. sharp checks it from the header, before decoding, so a
 * decompression bomb (a tiny PNG that says 50,000 × 50,000) is refused without allocating
 * its pixels. 50 MP covers every phone camera.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

export const AVATAR_SIZE = 256;
export const THUMBNAIL_MAX = 480;

// Decoded images are not kept between requests: memory stays bounded under many uploads.
sharp.cache(false);

/** The MIME type the bytes say they are, or undefined when file-type cannot tell. */
export async function detectType(head: Uint8Array): Promise<string | undefined> {
  return (await fileTypeFromBuffer(head))?.mime;
}

function decode(bytes: Uint8Array) {
  return sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: "error" })
    .rotate() // apply the EXIF orientation before the metadata is dropped
    .toColourspace("srgb");
}

/** A 256×256 WebP cropped square from the centre (smaller images are scaled up). */
export async function makeAvatar(bytes: Uint8Array): Promise<{ bytes: Buffer; type: string }> {
  const type = await detectType(bytes.subarray(0, 4100));
  if (!type || !INLINE_IMAGE_TYPES.has(type)) {
    throw new ChatError("VALIDATION_ERROR", "An avatar is a PNG, JPEG, WebP or GIF image.");
  }
  try {
    const out = await decode(bytes)
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover", position: "centre" })
      .webp({ quality: 85 })
      .toBuffer();
    return { bytes: out, type: "image/webp" };
  } catch {
    throw new ChatError("VALIDATION_ERROR", "The image could not be decoded (or is too large).");
  }
}

/** Width and height from the header (no decoding), or undefined when it is not an image. */
export async function imageSize(
  bytes: Uint8Array,
): Promise<{ width: number; height: number } | undefined> {
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
    if (!meta.width || !meta.height) return undefined;
    // Orientations 5–8 swap the sides once the image is shown upright.
    const swapped = (meta.orientation ?? 1) >= 5;
    return swapped
      ? { width: meta.height, height: meta.width }
      : { width: meta.width, height: meta.height };
  } catch {
    return undefined;
  }
}

/** A WebP thumbnail that fits in THUMBNAIL_MAX × THUMBNAIL_MAX, never enlarged. */
export async function makeThumbnail(bytes: Uint8Array): Promise<Buffer> {
  return decode(bytes)
    .resize(THUMBNAIL_MAX, THUMBNAIL_MAX, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
}
