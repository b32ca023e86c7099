/** FILE_STORAGE → the FileStore backend, built on the store's database when it needs it. */
import type { FileStorageConfig } from "../../config.ts";
import type { SqlDriver } from "../drivers/driver.ts";
import type { FileStore } from "../file-store.ts";
import { databaseFileStore } from "./database.ts";
import { s3FileStore } from "./s3.ts";

export function fileStoreFor(config: FileStorageConfig): (db: SqlDriver) => FileStore {
  switch (config.kind) {
    case "database":
      return databaseFileStore;
    case "s3":
      return () => s3FileStore(config);
  }
}
