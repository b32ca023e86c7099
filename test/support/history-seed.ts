/**
 * A long conversation, fast: messages appended through the store in batches (the HTTP send
 * path is rate limited and one message per request). Used by the web list's browser test
 * and its benchmark (bench/web-list.ts).
 *
 *   const seeded = await seedHistory(app, chat.id, [ana, ben], 5000);
 */
import { randomUUID } from "node:crypto";
import type { Message } from "@charla/protocol";
import type { App } from "../../src/server/app.ts";
import type { TestUser } from "./clients.ts";

const BATCH = 250;

/**
 * The body of message `i` (from 1): "Message number i", every 7th a few lines long and
 * every 11th formatted, so that rows differ in height as in a real chat.
 */
export function seededBody(i: number): string {
  if (i % 7 === 0) {
    return `Message number ${i}\nA longer one, over a few lines, as people write when they explain something.\nThird line.`;
  }
  if (i % 11 === 0) return `Message number ${i} with **bold** and _italics_`;
  return `Message number ${i}`;
}

/** Appends `count` messages to the chat, senders in turn; all of them as stored. */
export async function seedHistory(
  app: App,
  chatId: string,
  senders: readonly TestUser[],
  count: number,
  body: (i: number) => string = seededBody,
): Promise<Message[]> {
  const stored: Message[] = [];
  for (let from = 1; from <= count; from += BATCH) {
    const batch = [];
    for (let i = from; i < from + BATCH && i <= count; i++) {
      batch.push({
        id: randomUUID(),
        chat_id: chatId,
        sender_id: senders[i % senders.length]!.user.id,
        body: body(i),
        client_msg_id: null,
      });
    }
    const results = await app.store.messages.append(batch);
    for (const result of results) {
      if (result.kind !== "stored") throw new Error(`seed: message not stored (${result.kind})`);
      stored.push(result.message);
    }
  }
  return stored;
}
