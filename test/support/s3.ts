/**
 * A local S3-compatible server for tests and benchmarks: s3rver (its maintained fork,
 * @20minutes/s3rver) on 127.0.0.1, port 0, with its objects in a temporary directory and one
 * bucket made for the caller. It checks request signatures, so the credentials are its own.
 */
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import S3rver from "@20minutes/s3rver";
import type { FileStorageConfig } from "../../src/server/config.ts";

export type S3Config = Extract<FileStorageConfig, { kind: "s3" }>;

export interface LocalS3 {
  config: S3Config;
  close(): Promise<void>;
}

export async function startLocalS3(bucket = "charla-test"): Promise<LocalS3> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "charla-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = (await server.run()) as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    config: {
      kind: "s3",
      endpoint: `http://127.0.0.1:${address.port}`,
      bucket,
      region: "us-east-1",
      accessKeyId: "S3RVER",
      secretAccessKey: "S3RVER",
      forcePathStyle: true,
    },
    close: () =>
      (closing ??= (async () => {
        await server.close();
        await rm(directory, { recursive: true, force: true });
      })()),
  };
}
