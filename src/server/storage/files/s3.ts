/**
 * FILE_STORAGE=s3: each file as one object in an S3-compatible bucket (meant for MinIO, AWS
 * S3, Cloudflare R2 and the like; tested against a local s3rver). Every node reaching the
 * bucket serves every file. Uploads stream: a file up to one part goes as one PutObject,
 * a larger one as a multipart upload one part at a time (at most one part, 5 MiB, in
 * memory), aborted when the source fails. Reads are ranged GetObjects, streamed.
 */
import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  S3Client,
  S3ServiceException,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { FileStorageConfig } from "../../config.ts";
import type { ByteRange, FileStore } from "../file-store.ts";

type S3Config = Extract<FileStorageConfig, { kind: "s3" }>;

/** S3's smallest part (but the last): the most one upload holds in memory. */
const PART_BYTES = 5 * 1024 * 1024;
/** DeleteObject requests in flight at once. */
const DELETES_AT_ONCE = 8;

export function s3ClientConfig(config: S3Config): S3ClientConfig {
  return {
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.accessKeyId && config.secretAccessKey
      ? {
          credentials: {
            accessKeyId: config.accessKeyId,
            secretAccessKey: config.secretAccessKey,
          },
        }
      : {}),
    // The SDK's default CRC32 checksums on every request are not understood by every
    // S3-compatible service; send and check them only where the API requires them.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  };
}

const missing = (error: unknown): boolean =>
  error instanceof S3ServiceException &&
  (error.name === "NoSuchKey" ||
    error.name === "InvalidRange" ||
    error.$metadata.httpStatusCode === 404 ||
    error.$metadata.httpStatusCode === 416);

export function s3FileStore(config: S3Config): FileStore {
  const client = new S3Client(s3ClientConfig(config));
  const Bucket = config.bucket;

  return {
    kind: "s3",

    async write(key, source) {
      let size = 0;
      let sourceError: { error: unknown } | undefined;
      async function* counted(): AsyncGenerator<Uint8Array> {
        try {
          for await (const piece of source) {
            size += piece.length;
            yield piece;
          }
        } catch (error) {
          sourceError = { error };
          throw error;
        }
      }
      const upload = new Upload({
        client,
        params: { Bucket, Key: key, Body: Readable.from(counted(), { objectMode: false }) },
        partSize: PART_BYTES,
        queueSize: 1,
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (error) {
        // lib-storage aborts a multipart upload itself; an object may still exist if the
        // failure came after a one-part PutObject, so it goes too.
        await this.remove([key]).catch(() => undefined);
        // The source's own error (too large, the client went away), not what S3 said after.
        throw sourceError ? sourceError.error : error;
      }
      return size;
    },

    async *read(key, range?: ByteRange) {
      let body: unknown;
      let ranged: boolean;
      try {
        const answer = await client.send(
          new GetObjectCommand({
            Bucket,
            Key: key,
            ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
          }),
        );
        body = answer.Body;
        ranged = answer.ContentRange !== undefined;
      } catch (error) {
        if (missing(error)) return;
        throw error;
      }
      if (!body) return;
      // Some servers answer a range they do not like (s3rver: `bytes=0-0`) with the whole
      // object: the bytes before and after the range are then dropped here.
      let skip = range && !ranged ? range.start : 0;
      let left = range ? range.end - range.start + 1 : Number.POSITIVE_INFINITY;
      const stream = body as Readable;
      try {
        for await (const piece of stream as AsyncIterable<Uint8Array>) {
          let bytes = piece;
          if (skip > 0) {
            const dropped = Math.min(skip, bytes.length);
            bytes = bytes.subarray(dropped);
            skip -= dropped;
          }
          if (bytes.length > left) bytes = bytes.subarray(0, left);
          if (bytes.length > 0) {
            left -= bytes.length;
            yield bytes;
          }
          if (left <= 0) return;
        }
      } finally {
        // A consumer that stopped early (or a range cut short) lets the connection go.
        if (left > 0 || !stream.readableEnded) stream.destroy?.();
      }
    },

    async remove(keys) {
      // One DeleteObject per key, a few at a time: every S3-compatible service has it (not
      // all sign or accept DeleteObjects' checksummed body the same way), deleting a key that
      // is not there succeeds, and the sweep removes a few hundred keys at most per pass.
      for (let i = 0; i < keys.length; i += DELETES_AT_ONCE) {
        await Promise.all(
          keys
            .slice(i, i + DELETES_AT_ONCE)
            .map((Key) => client.send(new DeleteObjectCommand({ Bucket, Key }))),
        );
      }
    },

    close: async () => {
      client.destroy();
    },
  };
}
