/**
 * The files picked for the next message: each uploads at once (POST /api/uploads, with
 * progress from XMLHttpRequest) and can be cancelled or removed until the message is sent.
 */
import { useEffect, useRef, useState } from "react";
import { ATTACHMENTS_PER_MESSAGE_MAX, randomId, type UploadedAttachment } from "@charla/client";
import { errorText } from "../errors.ts";
import { formatSize, t } from "../i18n.ts";
import { useUploadLimit } from "../server-settings.ts";
import { api } from "../session.ts";

export interface Upload {
  key: string;
  name: string;
  size: number;
  /** A local preview of an image (an object URL), else null. */
  preview: string | null;
  loaded: number;
  /** What the server stored, once the upload is done. */
  attachment: UploadedAttachment | null;
  error: string | null;
}

const PREVIEWABLE = /^image\/(png|jpeg|webp|gif)$/;

export function useUploads() {
  // The server's MAX_UPLOAD_BYTES: a larger file is refused here before a byte is sent (the
  // server would refuse it too, but only after reading up to the limit).
  const maxUploadBytes = useUploadLimit();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const controllers = useRef(new Map<string, AbortController>());
  const previews = useRef(new Set<string>());

  // Leaving the chat cancels what is still on its way and frees the previews.
  useEffect(() => {
    const running = controllers.current;
    const urls = previews.current;
    return () => {
      for (const controller of running.values()) controller.abort();
      for (const url of urls) URL.revokeObjectURL(url);
    };
  }, []);

  const patch = (key: string, change: Partial<Upload>) =>
    setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...change } : u)));

  function start(upload: Upload, file: File) {
    const controller = new AbortController();
    controllers.current.set(upload.key, controller);
    api
      .upload(file, {
        signal: controller.signal,
        onProgress: ({ loaded }) => patch(upload.key, { loaded }),
      })
      .then((attachment) => patch(upload.key, { attachment, loaded: upload.size }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) patch(upload.key, { error: errorText(error) });
      })
      .finally(() => controllers.current.delete(upload.key));
  }

  function add(files: readonly File[]) {
    if (files.length === 0) return;
    const tooLarge = files.find((file) => file.size > maxUploadBytes);
    const fitting = files.filter((file) => file.size <= maxUploadBytes);
    const room = ATTACHMENTS_PER_MESSAGE_MAX - uploads.length;
    setNotice(
      tooLarge
        ? t.files.tooLarge(tooLarge.name || "file", formatSize(maxUploadBytes))
        : fitting.length > room
          ? t.files.tooMany(ATTACHMENTS_PER_MESSAGE_MAX)
          : null,
    );
    const added = fitting.slice(0, Math.max(0, room)).map((file) => {
      const preview = PREVIEWABLE.test(file.type) ? URL.createObjectURL(file) : null;
      if (preview) previews.current.add(preview);
      const upload: Upload = {
        key: randomId(),
        name: file.name || "file",
        size: file.size,
        preview,
        loaded: 0,
        attachment: null,
        error: null,
      };
      start(upload, file);
      return upload;
    });
    setUploads((list) => [...list, ...added]);
  }

  function forget(upload: Upload) {
    if (upload.preview) {
      URL.revokeObjectURL(upload.preview);
      previews.current.delete(upload.preview);
    }
  }

  /** Cancels an upload on its way, or drops a finished one (the server sweeps it later). */
  function remove(key: string) {
    controllers.current.get(key)?.abort();
    controllers.current.delete(key);
    setNotice(null);
    setUploads((list) => {
      const upload = list.find((u) => u.key === key);
      if (upload) forget(upload);
      return list.filter((u) => u.key !== key);
    });
  }

  /** After sending: the files now belong to the message. */
  function clear() {
    for (const upload of uploads) forget(upload);
    setUploads([]);
    setNotice(null);
  }

  const busy = uploads.some((u) => !u.attachment && !u.error);
  const ready = uploads.filter((u) => u.attachment).map((u) => u.attachment!);
  return { uploads, notice, add, remove, clear, busy, ready };
}
