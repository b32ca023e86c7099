/** Rows as the drivers return them, turned into the protocol's shapes; shared by sql/. */
import type { Attachment, Message, Reaction, ReplyQuote } from "@charla/protocol";
import type { AttachmentLinks } from "../attachment-store.ts";

export type Row = Record<string, unknown>;

export const iso = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();

const isoOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : iso(value);

/** A jsonb value: parsed by both drivers, but a string when a driver leaves it as text. */
const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value);

/** A uuid[] column: an array from both drivers, or PostgreSQL's `{a,b}` text form. */
export function uuidArray(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  if (typeof value !== "string" || value === "{}" || value === "") return [];
  return value.replace(/^\{|\}$/g, "").split(",");
}

/** The columns `toMessage` reads, in the order of the protocol's Message. */
export const MESSAGE_COLUMNS =
  "id, chat_id, sender_id, body, status, seq, change_seq, client_msg_id, created_at, updated_at, " +
  "reply_to_id, reply_to, reactions, mentions, attachments";

/**
 * A read of many messages with its rows sent as one JSON array, one value in one row
 * (`select` must name its columns; `order` orders them, as json_agg would not otherwise
 * promise; without it, no order): read it back with `fromJsonRows`. Getting rows out of PGlite costs far more than
 * finding them — output functions, its JavaScript protocol and type parsers, the copy from
 * its thread, per column and row (a catch-up page of 201 rows: 4.3 ms p50 as 16 columns,
 * 2.0 ms as one JSON value; docs/benchmarks.md "History and catch-up at size"). What the rows
 * hold is the same: timestamps come as ISO 8601 text, which `iso` reads as it reads a Date.
 */
export const selectAsJsonRows = (select: string, order?: string): string =>
  `SELECT json_agg(r${order ? ` ORDER BY ${order}` : ""})::text AS rows FROM (${select}) r`;

/** The rows of `json_agg(…)::text`: NULL when there were none. */
export const fromJsonRows = (value: unknown): Row[] =>
  value === null || value === undefined ? [] : (JSON.parse(value as string) as Row[]);

/** One entry of messages.attachments (migration 0015) as the row keeps it. */
export interface AttachmentEntry {
  id: string;
  name: string;
  content_type: string;
  size: number;
  width: number | null;
  height: number | null;
  thumbnail: boolean;
}

/** A message's attachments with links signed now (every read signs anew). */
export function toAttachments(value: unknown, links: AttachmentLinks): Attachment[] {
  const entries = (json(value) as AttachmentEntry[] | null) ?? [];
  return entries.map(({ thumbnail, ...entry }) => ({
    ...entry,
    size: Number(entry.size),
    url: links.file(entry.id),
    thumbnail_url: thumbnail ? links.thumbnail(entry.id) : null,
  }));
}

export function toMessage(row: Row, links: AttachmentLinks): Message {
  return {
    id: row.id as string,
    chat_id: row.chat_id as string,
    sender_id: row.sender_id as string,
    body: row.body as string,
    status: row.status as Message["status"],
    seq: Number(row.seq),
    change_seq: Number(row.change_seq),
    client_msg_id: (row.client_msg_id as string | null) ?? null,
    created_at: iso(row.created_at),
    updated_at: isoOrNull(row.updated_at),
    reply_to_id: (row.reply_to_id as string | null) ?? null,
    reply_to: (json(row.reply_to) as ReplyQuote | null) ?? null,
    reactions: (json(row.reactions) as Reaction[] | null) ?? [],
    mentions: uuidArray(row.mentions),
    attachments: toAttachments(row.attachments, links),
  };
}
