/**
 * The message list's scrolling. A chat opens at its first unread message (fetching older
 * pages until it is loaded) or else at the bottom; then the view follows new content while
 * at the bottom (messages, "Seen", anything that grows the list) or when the new message is
 * our own, stays still when older messages are put above it, and fetches older pages near
 * the top (at once when the first page does not fill the screen).
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ChatHistory } from "./useChatHistory.ts";

/** This close to the bottom (px) counts as at the bottom. */
const BOTTOM_SLACK = 80;
/** This close to the top (px) fetches older messages. */
const TOP_PREFETCH = 200;
/** Room left above the "New messages" divider when a chat opens there. */
const DIVIDER_MARGIN = 12;

export function useMessageScroll({
  history,
  firstId,
  firstSeq,
  lastId,
  lastIsMine,
  pendingCount,
  unreadFrom,
}: {
  history: ChatHistory;
  firstId: string | undefined;
  firstSeq: number | undefined;
  lastId: string | undefined;
  lastIsMine: boolean;
  pendingCount: number;
  /** The seq the chat's unread messages start at (null: none), fixed while it is open. */
  unreadFrom: number | null;
}) {
  const listRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLUListElement>(null);
  // Until the first position is set, nothing counts as seen at the bottom.
  const [ready, setReady] = useState(false);
  const [atBottom, setAtBottom] = useState(false);
  const stick = useRef(false);
  const prepend = useRef<{ height: number; top: number } | null>(null);

  const { fetchPreviousPage, hasPreviousPage, isFetchingPreviousPage, isSuccess } = history;
  const loadOlder = useCallback(() => {
    const el = listRef.current;
    if (!el || !hasPreviousPage || isFetchingPreviousPage) return;
    prepend.current = { height: el.scrollHeight, top: el.scrollTop };
    void fetchPreviousPage();
  }, [fetchPreviousPage, hasPreviousPage, isFetchingPreviousPage]);

  const measure = useCallback(() => {
    const el = listRef.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK;
    stick.current = bottom;
    setAtBottom(bottom);
  }, []);

  const toBottom = useCallback(() => {
    const el = listRef.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    stick.current = true;
    setAtBottom(true);
  }, []);

  // Older messages put above: keep what was on screen where it was.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el || !prepend.current) return;
    el.scrollTop = prepend.current.top + (el.scrollHeight - prepend.current.height);
    prepend.current = null;
  }, [firstId]);

  // The first position: the "New messages" divider once its message is loaded, else the end.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (ready || !el || !isSuccess) return;
    if (unreadFrom !== null && firstSeq !== undefined && firstSeq > unreadFrom && hasPreviousPage) {
      if (!isFetchingPreviousPage) void fetchPreviousPage();
      return;
    }
    const divider = el.querySelector(".unread-divider");
    if (divider) {
      el.scrollTop +=
        divider.getBoundingClientRect().top - el.getBoundingClientRect().top - DIVIDER_MARGIN;
    } else {
      el.scrollTop = el.scrollHeight;
    }
    setReady(true);
    measure();
  }, [
    ready,
    isSuccess,
    unreadFrom,
    firstSeq,
    hasPreviousPage,
    isFetchingPreviousPage,
    fetchPreviousPage,
    measure,
  ]);

  // Our own message (or send) brings the view down; others' only when already there.
  useLayoutEffect(() => {
    if (ready && lastIsMine) toBottom();
  }, [lastId, pendingCount, ready, lastIsMine, toBottom]);

  // Whatever grows the list (a message, "Seen", an edit) keeps a view at the bottom there.
  useEffect(() => {
    const el = listRef.current;
    const content = contentRef.current;
    if (!el || !content) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(content);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const el = listRef.current;
    if (el && ready && el.scrollHeight <= el.clientHeight) loadOlder();
  }, [ready, firstId, loadOlder]);

  function onScroll() {
    const el = listRef.current;
    if (!el || !ready) return;
    measure();
    if (el.scrollTop < TOP_PREFETCH) loadOlder();
  }

  function jumpToLatest() {
    listRef.current?.scrollTo({ top: listRef.current.scrollHeight, behavior: "smooth" });
  }

  return { listRef, contentRef, ready, atBottom: ready && atBottom, onScroll, jumpToLatest };
}
