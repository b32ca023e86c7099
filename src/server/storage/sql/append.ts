/**
 * The append path: a batch of sends stored in one statement. The whole batch goes in one
 * call of `charla_append_messages` (migration 0002): members only, per-chat counters bumped
 * once by the number of messages under the chat row's lock, seq assigned in input order,
 * repeated client_msg_ids left out (answered with the original afterwards). seq stays
 * gap-free in commit order however many nodes send at once.
 */
import type { Message } from "@charla/protocol";
import { SQLSTATE, sqlState, type SqlQueryable } from "../drivers/driver.ts";
import type { AttachmentLinks } from "../attachment-store.ts";
import type { AppendResult, NewMessage } from "../message-store.ts";
import { iso, MESSAGE_COLUMNS, toMessage, type Row } from "./rows.ts";
import type { ReplyQuote } from "@charla/protocol";

/**
 * A PL/pgSQL function because its plan is cached per connection: the same statement sent as
 * SQL is planned on every call, which cost 3× the time on PGlite.
 */
const APPEND_ARGS =
  "($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::text[])";
/**
 * Only what the database decides comes back; the rest of each message is what was sent
 * (half the bytes to receive and parse per message, the body among them).
 */
const APPENDED_COLUMNS = "id, seq, change_seq, created_at, reply_to";
const APPEND_SET_WISE = `SELECT ${APPENDED_COLUMNS} FROM charla_append_messages${APPEND_ARGS}`;
/** Message by message: measured cheaper than the set-wise plan up to about this many. */
const APPEND_EACH = `SELECT ${APPENDED_COLUMNS} FROM charla_append_each${APPEND_ARGS}`;
const SET_WISE_FROM = 5;
/** Single-message retries after a conflict, before the conflict is let through. */
const MAX_RETRIES = 5;

/** A message just stored: as sent, with what the append assigned. */
function appendedMessage(sent: NewMessage, row: Row): Message {
  return {
    id: sent.id,
    chat_id: sent.chat_id,
    sender_id: sent.sender_id,
    body: sent.body,
    status: "sent",
    seq: Number(row.seq),
    change_seq: Number(row.change_seq),
    client_msg_id: sent.client_msg_id,
    created_at: iso(row.created_at),
    updated_at: null,
    reply_to_id: sent.reply_to_id ?? null,
    reply_to: (row.reply_to as ReplyQuote | null) ?? null,
    reactions: [],
    mentions: [...(sent.mentions ?? [])],
    // Sends through the batch path carry none (appendWithAttachments sets them after).
    attachments: [],
  };
}

/** A uuid[] as the text the append functions take: null for none (the common case). */
const mentionsArg = (mentions: readonly string[] | undefined) =>
  mentions && mentions.length > 0 ? `{${mentions.join(",")}}` : null;

const senderKey = (senderId: string, clientMsgId: unknown) => `${senderId}\u0000${clientMsgId}`;

/**
 * Another node stored the same client_msg_id at the same moment, or two batches locked the
 * same chats in opposite order: the statement rolled back whole, so nothing was stored.
 */
function isConflict(error: unknown): boolean {
  const state = sqlState(error);
  return state === SQLSTATE.uniqueViolation || state === SQLSTATE.deadlockDetected;
}

export async function appendMessages(
  db: SqlQueryable,
  batch: readonly NewMessage[],
  links: AttachmentLinks,
): Promise<AppendResult[]> {
  if (batch.length === 0) return [];
  // A retry can arrive while its first attempt is still in the same batch: only the first
  // goes to the database, the repeat is answered with its result.
  const firstByKey = new Map<string, number>();
  const unique: NewMessage[] = [];
  const repeat: boolean[] = [];
  const slot = batch.map((message) => {
    const key =
      message.client_msg_id === null
        ? undefined
        : senderKey(message.sender_id, message.client_msg_id);
    const seen = key === undefined ? undefined : firstByKey.get(key);
    repeat.push(seen !== undefined);
    if (seen !== undefined) return seen;
    if (key !== undefined) firstByKey.set(key, unique.length);
    return unique.push(message) - 1;
  });

  let results: AppendResult[];
  try {
    results = await appendUnique(db, unique, links);
  } catch (error) {
    // Retry one by one, each in its own statement.
    if (!isConflict(error)) throw error;
    results = [];
    for (const message of unique) results.push(await appendOneWithRetry(db, message, links));
  }
  return batch.map((_, index) => {
    const result = results[slot[index]!]!;
    return repeat[index] && result.kind === "stored"
      ? { kind: "duplicate", message: result.message }
      : result;
  });
}

async function appendOneWithRetry(
  db: SqlQueryable,
  message: NewMessage,
  links: AttachmentLinks,
): Promise<AppendResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await appendUnique(db, [message], links))[0]!;
    } catch (error) {
      if (attempt >= MAX_RETRIES || !isConflict(error)) throw error;
    }
  }
}

/** Appends messages whose (sender, client_msg_id) are distinct within the batch. */
async function appendUnique(
  db: SqlQueryable,
  batch: readonly NewMessage[],
  links: AttachmentLinks,
): Promise<AppendResult[]> {
  const rows = await db.query(batch.length >= SET_WISE_FROM ? APPEND_SET_WISE : APPEND_EACH, [
    batch.map((m) => m.id),
    batch.map((m) => m.chat_id),
    batch.map((m) => m.sender_id),
    batch.map((m) => m.body),
    batch.map((m) => m.client_msg_id),
    batch.map((m) => m.reply_to_id ?? null),
    batch.map((m) => mentionsArg(m.mentions)),
  ]);
  const appended = new Map(rows.map((row) => [row.id as string, row]));
  const missing = batch.filter((m) => !appended.has(m.id) && m.client_msg_id !== null);
  const originals = new Map<string, Message>();
  if (missing.length > 0) {
    const found = await db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM messages
        WHERE (sender_id, client_msg_id) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`,
      [missing.map((m) => m.sender_id), missing.map((m) => m.client_msg_id)],
    );
    for (const row of found)
      originals.set(senderKey(row.sender_id as string, row.client_msg_id), toMessage(row, links));
  }
  return batch.map((m): AppendResult => {
    const row = appended.get(m.id);
    if (row) return { kind: "stored", message: appendedMessage(m, row) };
    const original = originals.get(senderKey(m.sender_id, m.client_msg_id));
    return original ? { kind: "duplicate", message: original } : { kind: "not_member" };
  });
}
