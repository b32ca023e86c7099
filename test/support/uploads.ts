/** Uploads for tests: POST /api/uploads with one multipart field `file`. */
import type { UploadedAttachment } from "@charla/protocol/schemas";

export async function upload(
  url: string,
  token: string | undefined,
  bytes: Uint8Array,
  name = "file.bin",
  type = "application/octet-stream",
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append("file", new Blob([bytes], { type }), name);
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const response = await fetch(`${url}/api/uploads`, { method: "POST", headers, body: form });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Uploads and returns the attachment, or throws with the answer. */
export async function uploaded(
  url: string,
  token: string,
  bytes: Uint8Array,
  name?: string,
  type?: string,
): Promise<UploadedAttachment> {
  const result = await upload(url, token, bytes, name, type);
  if (result.status !== 201) {
    throw new Error(`upload failed: ${result.status} ${JSON.stringify(result.body)}`);
  }
  return result.body.attachment;
}

export async function download(
  url: string,
  path: string,
  options: { token?: string; range?: string } = {},
): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.range) headers.range = options.range;
  const response = await fetch(url + path, { headers });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}
