/**
 * The message list's scrolling. A chat opens at its first unread message (fetching older
 * pages until it is loaded) or else at the bottom; then the view follows new content while
 * at the bottom (messages, "Seen", anything that grows the list) or when the new message is
 * our own, stays still when older messages are put above it, and fetches older pages near
 * the top (at once when the first page does not fill the screen). A chat opened at a message
 * (from search) starts with it centred, and fetches newer pages near the bottom until the
 * present is loaded.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { historyKey } from "../cache.ts";
import type { ChatHistory } from "./useChatHistory.ts";

/** This close to the bottom (px) counts as at the bottom. */
const BOTTOM_SLACK = 80;
/** This close to the top (px) fetches older messages. */
const TOP_PREFETCH = 200;
/** Room left above the "New messages" divider when a chat opens there. */
const DIVIDER_MARGIN = 12;

/** Scrolls `target` to the middle of `list` and flashes it. */
export function showMessage(list: HTMLElement, target: HTMLElement) {
  const offset = target.getBoundingClientRect().top - list.getBoundingClientRect().top;
  list.scrollTop += offset - (list.clientHeight - target.offsetHeight) / 2;
  target.classList.remove("is-flash");
  void target.offsetWidth; // restart the animation
  target.classList.add("is-flash");
  target.querySelector<HTMLElement>(".bubble")?.focus({ preventScroll: true });
}

export function useMessageScroll({
  chatId,
  focusId,
  onFocused,
  history,
  firstId,
  firstSeq,
  lastId,
  lastIsMine,
  pendingCount,
  unreadFrom,
}: {
  chatId: string;
  /** The message to open at, instead of the divider or the end. */
  focusId: string | null;
  onFocused: () => void;
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

  const queryClient = useQueryClient();
  const { fetchPreviousPage, hasPreviousPage, isFetchingPreviousPage, isSuccess } = history;
  const { fetchNextPage, hasNextPage, isFetchingNextPage } = history;
  // At the bottom of a window that does not reach the present, newer pages are still to come.
  const hasNewer = useRef(hasNextPage);
  hasNewer.current = hasNextPage;
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
    stick.current = bottom && !hasNewer.current;
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
    const focus = focusId ? document.getElementById(`msg-${focusId}`) : null;
    if (focus) {
      showMessage(el, focus);
      setReady(true);
      measure();
      onFocused();
      return;
    }
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
    focusId,
    onFocused,
  ]);

  // Our own message (or send) brings the view down; others' only when already there. Only
  // a change of the end does: the first position (at a message found by search) stays.
  const end = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (!ready) return;
    const now = `${lastId}:${pendingCount}`;
    const changed = end.current !== null && end.current !== now;
    end.current = now;
    if (changed && lastIsMine) toBottom();
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
    const below = el.scrollHeight - el.scrollTop - el.clientHeight;
    if (below < TOP_PREFETCH && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }

  /** The end of the chat; from a window around an old message, the newest page anew. */
  const jumpToLatest = useCallback(() => {
    const el = listRef.current;
    if (!el) return;
    if (hasNewer.current) {
      stick.current = true;
      hasNewer.current = false;
      void queryClient.resetQueries({ queryKey: historyKey(chatId) });
      return;
    }
    el.scrollTo({ top: el.scrollHeight, behavior: "smooth" });
  }, [queryClient, chatId]);

  return {
    listRef,
    contentRef,
    ready,
    atBottom: ready && atBottom,
    onScroll,
    jumpToLatest,
    hasNewer: hasNextPage,
  };
}
