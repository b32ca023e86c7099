/**
 * Read position: what reached the bottom of a visible page has been read. The chat list
 * shows it at once; the server stores it (and tells the other members).
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { ChatListItem } from "@charla/client";
import { markReadInChatList } from "../cache.ts";
import { useConnection } from "../live.tsx";

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(document.visibilityState === "visible");
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  return visible;
}

export function useReadMarking(chat: ChatListItem, lastSeq: number, atBottom: boolean): void {
  const { client } = useConnection();
  const queryClient = useQueryClient();
  const visible = usePageVisible();
  useEffect(() => {
    if (!visible || !atBottom || lastSeq <= chat.last_read_seq) return;
    markReadInChatList(queryClient, chat.id, lastSeq);
    client.markRead(chat.id, lastSeq).catch(() => undefined);
  }, [visible, atBottom, lastSeq, chat.id, chat.last_read_seq, client, queryClient]);
}
