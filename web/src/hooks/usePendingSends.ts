/**
 * Messages on their way: shown at once, in order, until the server acknowledges them (then
 * they are in the history) or refuses them (then they stay, marked, with a retry that
 * reuses the same `client_msg_id`, so a retry never stores a message twice).
 */
import { useState } from "react";
import { randomId, type UploadedAttachment } from "@charla/client";
import { errorText } from "../errors.ts";
import { useConnection } from "../live.tsx";

export interface Pending {
  clientMsgId: string;
  body: string;
  /** The message it answers, if any. */
  replyToId: string | null;
  /** Files uploaded for it (sent as `attachment_ids`). */
  attachments: UploadedAttachment[];
  /** Why the server refused it, or null while it is still on its way. */
  failed: string | null;
}

export function usePendingSends(chatId: string) {
  const { client } = useConnection();
  const [pending, setPending] = useState<Pending[]>([]);

  function send(
    body: string,
    replyToId: string | null,
    attachments: UploadedAttachment[] = [],
    clientMsgId = randomId(),
  ) {
    setPending((list) => [
      ...list.filter((p) => p.clientMsgId !== clientMsgId),
      { clientMsgId, body, replyToId, attachments, failed: null },
    ]);
    client
      .send(chatId, body, {
        clientMsgId,
        ...(replyToId ? { replyToId } : {}),
        ...(attachments.length > 0 ? { attachmentIds: attachments.map((a) => a.id) } : {}),
      })
      .then(() => setPending((list) => list.filter((p) => p.clientMsgId !== clientMsgId)))
      .catch((error: unknown) =>
        setPending((list) =>
          list.map((p) => (p.clientMsgId === clientMsgId ? { ...p, failed: errorText(error) } : p)),
        ),
      );
  }

  return {
    pending,
    send,
    retry: (p: Pending) => send(p.body, p.replyToId, p.attachments, p.clientMsgId),
  };
}
