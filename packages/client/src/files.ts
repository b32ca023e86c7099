/**
 * Files: uploading one (with progress and cancel), the links of an attachment, and its
 * bytes. An upload is `POST /api/uploads` with one multipart field `file`; what it answers
 * is sent with a message as `attachment_ids` (`client.send(chatId, body, { attachmentIds })`
 * or `api.postMessage(chatId, { attachment_ids })`).
 */
import { ChatError } from "#protocol/errors";
import type { Attachment, UploadedAttachment, UploadResult, User } from "#protocol/schemas";
import { errorFromResponse, type HttpApiOptions, type TokenSource } from "./http.ts";

/** How far an upload has got. */
export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  /**
   * Bytes to send: the file's size (in a browser, the request's, a few hundred bytes of
   * multipart framing more).
   */
  total: number;
}

export interface UploadOptions {
  /** The file's name as the server stores it; defaults to a `File`'s own name, else "file". */
  name?: string;
  /** Aborting it cancels the upload: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Called as the request goes out (in a browser from `XMLHttpRequest`'s upload events; on
   * Node as the body is handed to the network), and once with `loaded === total` at the end.
   */
  onProgress?: (progress: UploadProgress) => void;
}

export interface FetchAttachmentOptions {
  /** The thumbnail (images only) instead of the file. */
  thumbnail?: boolean;
  /** Bytes `start` to `end` (both included; `end` omitted: to the end): answered 206. */
  range?: { start: number; end?: number };
  signal?: AbortSignal;
}

/** Uploads, links and downloads of attachments. */
export interface FilesApi {
  /**
   * `POST /api/uploads`: stores one file (at most the server's `MAX_UPLOAD_BYTES`, 25 MiB by
   * default; larger is `PAYLOAD_TOO_LARGE`) and returns it with its id, detected content type
   * and, for images, its size in pixels. Only the caller may attach it, to one message; one
   * never attached is removed after 24 h.
   */
  upload(file: Blob, options?: UploadOptions): Promise<UploadedAttachment>;
  /**
   * The absolute URL of an attachment's file (or thumbnail) as a message carries it: signed,
   * so it works in an `<img src>` or a download link with no token, for at least an hour
   * after the payload was made (history, sync and live payloads carry fresh ones).
   * `null` for the thumbnail of a file that is not an image.
   */
  attachmentUrl(
    attachment: Pick<Attachment, "url" | "thumbnail_url">,
    thumbnail?: boolean,
  ): string | null;
  /**
   * `GET /api/attachments/:id` (or `/thumbnail`) with the caller's token: the response, to
   * read as a stream (`response.body`) or at once (`arrayBuffer()`). Throws `NOT_FOUND` for
   * an attachment the caller cannot see (not a member, or its message was deleted).
   */
  fetchAttachment(attachmentId: string, options?: FetchAttachmentOptions): Promise<Response>;
  /**
   * `PUT /api/users/me/avatar`: a PNG, JPEG, WebP or GIF of at most 5 MiB, re-encoded by the
   * server (square crops are the client's to make); returns the caller with its new
   * `avatar_url`. Everyone sharing a chat hears `user:updated`.
   */
  setAvatar(image: Blob, options?: { signal?: AbortSignal }): Promise<User>;
  /** `DELETE /api/users/me/avatar`. */
  removeAvatar(): Promise<void>;
}

/** What this file uses of a browser's XMLHttpRequest (Node has none; no DOM types here). */
interface Xhr {
  status: number;
  responseText: string;
  upload: {
    onprogress:
      ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null;
  };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
}
type XhrConstructor = new () => Xhr;

interface MultipartBody {
  stream: ReadableStream<Uint8Array>;
  contentType: string;
}

/** The form as the platform encodes it: the file is read as the body is pulled, not before. */
function multipart(file: Blob, name: string): MultipartBody {
  const form = new FormData();
  form.append("file", file, name);
  const encoded = new Response(form);
  const contentType = encoded.headers.get("content-type");
  if (!encoded.body || !contentType) throw new ChatError("INTERNAL", "Cannot encode the upload.");
  return { stream: encoded.body, contentType };
}

function aborted(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The upload was aborted.", "AbortError");
}

function fileName(file: Blob, options: UploadOptions): string {
  if (options.name) return options.name;
  const own = (file as Partial<File>).name;
  return typeof own === "string" && own !== "" ? own : "file";
}

/**
 * Creates the files API.
 *
 * @example
 * ```ts
 * import { connect, createFilesApi } from "@charla/client";
 *
 * const files = createFilesApi("http://localhost:3000", () => token);
 * const controller = new AbortController();
 * const photo = await files.upload(input.files[0], {
 *   signal: controller.signal,
 *   onProgress: ({ loaded, total }) => (bar.value = loaded / total),
 * });
 * const message = await client.send(chatId, "Look!", { attachmentIds: [photo.id] });
 * img.src = files.attachmentUrl(message.attachments[0], true) ?? "";
 * ```
 */
export function createFilesApi(
  baseUrl: string,
  getToken: TokenSource = undefined,
  options: HttpApiOptions = {},
): FilesApi {
  const origin = baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const token = () => (typeof getToken === "function" ? getToken() : getToken);
  const authorization = (): Record<string, string> => {
    const value = token();
    return value ? { authorization: `Bearer ${value}` } : {};
  };
  // Browsers report upload progress only through XMLHttpRequest (a streamed fetch body needs
  // HTTP/2 there); Node has no XMLHttpRequest and streams the body through fetch instead.
  const Xhr =
    options.fetch === undefined
      ? (globalThis as { XMLHttpRequest?: XhrConstructor }).XMLHttpRequest
      : undefined;

  function uploadWithXhr(
    XhrClass: XhrConstructor,
    file: Blob,
    name: string,
    opts: UploadOptions,
  ): Promise<UploadResult> {
    return new Promise((resolve, reject) => {
      const { signal, onProgress } = opts;
      const xhr = new XhrClass();
      const onAbort = () => xhr.abort();
      const settle = () => signal?.removeEventListener("abort", onAbort);
      xhr.open("POST", `${origin}/api/uploads`);
      for (const [key, value] of Object.entries(authorization())) xhr.setRequestHeader(key, value);
      xhr.setRequestHeader("accept", "application/json");
      if (onProgress) {
        xhr.upload.onprogress = (event) =>
          onProgress({
            loaded: event.loaded,
            total: event.lengthComputable ? event.total : file.size,
          });
      }
      xhr.onload = () => {
        settle();
        const response = new Response(xhr.responseText, {
          status: xhr.status,
          headers: { "content-type": "application/json" },
        });
        if (xhr.status === 201) resolve(JSON.parse(xhr.responseText) as UploadResult);
        else void errorFromResponse(response).then(reject);
      };
      xhr.onerror = () => {
        settle();
        reject(new ChatError("UNAVAILABLE", "The server cannot be reached."));
      };
      xhr.onabort = () => {
        settle();
        reject(signal ? aborted(signal) : new DOMException("Aborted", "AbortError"));
      };
      const form = new FormData();
      form.append("file", file, name);
      signal?.addEventListener("abort", onAbort, { once: true });
      xhr.send(form);
    });
  }

  /** The request, or `UNAVAILABLE` when it never got an answer (the signal's reason if aborted). */
  async function reach(path: string, init: RequestInit): Promise<Response> {
    try {
      return await doFetch(`${origin}${path}`, init);
    } catch (cause) {
      if (init.signal?.aborted) throw aborted(init.signal);
      throw new ChatError("UNAVAILABLE", "The server cannot be reached.", {
        cause: cause instanceof Error ? cause.message : String(cause),
      });
    }
  }

  async function send(
    method: string,
    path: string,
    body?: FormData,
    signal?: AbortSignal,
  ): Promise<Response> {
    const response = await reach(path, {
      method,
      headers: { ...authorization(), accept: "application/json" },
      body: body ?? null,
      signal: signal ?? null,
    });
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  async function uploadWithFetch(
    file: Blob,
    name: string,
    opts: UploadOptions,
  ): Promise<UploadResult> {
    const { signal, onProgress } = opts;
    const body = multipart(file, name);
    let loaded = 0;
    const total = file.size;
    const counted = onProgress
      ? body.stream.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              loaded += chunk.byteLength;
              // The framing before the file counts too, so the end is capped at the file's size.
              onProgress({ loaded: Math.min(loaded, total), total });
              controller.enqueue(chunk);
            },
          }),
        )
      : body.stream;
    const response = await reach("/api/uploads", {
      method: "POST",
      headers: {
        ...authorization(),
        accept: "application/json",
        "content-type": body.contentType,
      },
      body: counted,
      signal: signal ?? null,
      // Node's fetch needs it to send a stream; browsers ignore it over XMLHttpRequest.
      duplex: "half",
    } as RequestInit);
    if (response.status !== 201) throw await errorFromResponse(response);
    const result = (await response.json()) as UploadResult;
    onProgress?.({ loaded: total, total });
    return result;
  }

  return {
    async upload(file, uploadOptions = {}) {
      const { signal } = uploadOptions;
      if (signal?.aborted) throw aborted(signal);
      const name = fileName(file, uploadOptions);
      const result = Xhr
        ? await uploadWithXhr(Xhr, file, name, uploadOptions)
        : await uploadWithFetch(file, name, uploadOptions);
      return result.attachment;
    },

    attachmentUrl(attachment, thumbnail = false) {
      const path = thumbnail ? attachment.thumbnail_url : attachment.url;
      if (path === null) return null;
      return /^[a-z][a-z0-9+.-]*:/i.test(path) ? path : `${origin}${path}`;
    },

    async fetchAttachment(attachmentId, fetchOptions = {}) {
      const { thumbnail = false, range, signal } = fetchOptions;
      const headers: Record<string, string> = authorization();
      if (range) headers.range = `bytes=${range.start}-${range.end ?? ""}`;
      const path = `/api/attachments/${encodeURIComponent(attachmentId)}${thumbnail ? "/thumbnail" : ""}`;
      const response = await reach(path, { headers, signal: signal ?? null });
      if (!response.ok) throw await errorFromResponse(response);
      return response;
    },

    async setAvatar(image, avatarOptions = {}) {
      const form = new FormData();
      form.append("file", image, fileName(image, {}));
      const response = await send("PUT", "/api/users/me/avatar", form, avatarOptions.signal);
      return (await response.json()) as User;
    },

    async removeAvatar() {
      await send("DELETE", "/api/users/me/avatar");
    },
  };
}
