/**
 * The message list's scrolling: follow new messages while at the bottom (or when the new
 * one is our own), keep the view still when older messages are put above it, and fetch
 * older pages near the top (at once when the first page does not fill the screen).
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ChatHistory } from "./useChatHistory.ts";

/** This close to the bottom (px) counts as at the bottom. */
const BOTTOM_SLACK = 80;
/** This close to the top (px) fetches older messages. */
const TOP_PREFETCH = 200;

export function useMessageScroll({
  history,
  firstId,
  lastId,
  lastIsMine,
  pendingCount,
}: {
  history: ChatHistory;
  firstId: string | undefined;
  lastId: string | undefined;
  lastIsMine: boolean;
  pendingCount: number;
}) {
  const listRef = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const prepend = useRef<{ height: number; top: number } | null>(null);

  const { fetchPreviousPage, hasPreviousPage, isFetchingPreviousPage, isSuccess } = history;
  const loadOlder = useCallback(() => {
    const el = listRef.current;
    if (!el || !hasPreviousPage || isFetchingPreviousPage) return;
    prepend.current = { height: el.scrollHeight, top: el.scrollTop };
    void fetchPreviousPage();
  }, [fetchPreviousPage, hasPreviousPage, isFetchingPreviousPage]);

  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el || !prepend.current) return;
    el.scrollTop = prepend.current.top + (el.scrollHeight - prepend.current.height);
    prepend.current = null;
  }, [firstId]);

  useLayoutEffect(() => {
    const el = listRef.current;
    if (el && (atBottom || lastIsMine)) el.scrollTop = el.scrollHeight;
    // Only a new last message (or a pending one) moves the view.
  }, [lastId, pendingCount, isSuccess]);

  useEffect(() => {
    const el = listRef.current;
    if (el && isSuccess && el.scrollHeight <= el.clientHeight) loadOlder();
  }, [isSuccess, firstId, loadOlder]);

  function onScroll() {
    const el = listRef.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK;
    if (bottom !== atBottom) setAtBottom(bottom);
    if (el.scrollTop < TOP_PREFETCH) loadOlder();
  }

  function jumpToLatest() {
    listRef.current?.scrollTo({ top: listRef.current.scrollHeight, behavior: "smooth" });
  }

  return { listRef, atBottom, onScroll, jumpToLatest };
}
