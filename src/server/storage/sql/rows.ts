/** Rows as the drivers return them, turned into the protocol's shapes; shared by sql/. */
import type { Message } from "@charla/protocol";

export type Row = Record<string, unknown>;

export const iso = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();

const isoOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : iso(value);

/** The columns `toMessage` reads, in the order of the protocol's Message. */
export const MESSAGE_COLUMNS =
  "id, chat_id, sender_id, body, status, seq, change_seq, client_msg_id, created_at, updated_at";

export function toMessage(row: Row): Message {
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
  };
}
