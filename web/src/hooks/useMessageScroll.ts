/**
 * The message list's scrolling. A chat opens at its first unread message (fetching older
 * pages until it is loaded) or else at the bottom; then the view follows new content while
 * at the bottom (messages, "Seen", anything that grows the list) or when the new message is
 * our own, stays still when older messages are put above it, and fetches older pages near
 * the top (at once when the first page does not fill the screen). A chat opened at a message
 * (from search) starts with it centred, and fetches newer pages near the bottom until the
 * present is loaded.
 *
 * Only a window of the loaded messages is in the DOM (at most WINDOW_MAX, rendered
 * WINDOW_STEP more at a time as the view nears an end of it, the far end let go), so that a
 * chat scrolled back through thousands of messages stays as light as one just opened. The
 * window is kept as the seqs of its first and last message (null: open to that end of what
 * is loaded, so that older pages fetched at the top and live messages at the bottom join
 * it). Whatever changes it keeps the message at the top of the view where it was.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { Message } from "@charla/client";
import { historyKey } from "../cache.ts";
import type { ChatHistory } from "./useChatHistory.ts";

/** This close to the bottom (px) counts as at the bottom. */
const BOTTOM_SLACK = 80;
/** This close to the top (px) fetches older messages. */
const TOP_PREFETCH = 200;
/** Room left above the "New messages" divider when a chat opens there. */
const DIVIDER_MARGIN = 12;
/** At most this many messages are in the DOM (about 25 elements each). */
export const WINDOW_MAX = 150;
/** Rendered this many at a time as the view nears an end of the window. */
const WINDOW_STEP = 50;
/** Messages kept above the first unread one when a chat opens there. */
const ABOVE_UNREAD = 20;

/** The seqs of the window's first and last message; null: open to that end of the loaded. */
interface Bounds {
  from: number | null;
  to: number | null;
}

/** The window `[start, end)` of `messages` as bounds (open where it reaches an end). */
function boundsOf(messages: readonly Message[], start: number, end: number): Bounds {
  return {
    from: start <= 0 ? null : messages[start]!.seq,
    to: end >= messages.length ? null : messages[end - 1]!.seq,
  };
}

/** A full window with `before` messages above the one at `index` (as many as there are). */
function boundsAround(messages: readonly Message[], index: number, before: number): Bounds {
  const start = Math.max(0, Math.min(index - before, messages.length - WINDOW_MAX));
  return boundsOf(messages, start, start + WINDOW_MAX);
}

/** The indices `[start, end)` of the window in `messages`; the end when it holds none. */
function sliceOf(messages: readonly Message[], { from, to }: Bounds): [number, number] {
  const start = from === null ? 0 : messages.findIndex((m) => m.seq >= from);
  let end = messages.length;
  if (to !== null) while (end > 0 && messages[end - 1]!.seq > to) end--;
  // A window of messages no longer loaded (the history was fetched anew): the end.
  if (start < 0 || end <= start)
    return [Math.max(0, messages.length - WINDOW_MAX), messages.length];
  return [start, end];
}

/** Where a chat opens: at the message jumped to, its first unread message, or the end. */
function initialBounds(
  messages: readonly Message[],
  focusId: string | null,
  unreadFrom: number | null,
): Bounds {
  if (messages.length <= WINDOW_MAX) return { from: null, to: null };
  const focus = focusId === null ? -1 : messages.findIndex((m) => m.id === focusId);
  if (focus >= 0) return boundsAround(messages, focus, WINDOW_MAX / 2);
  if (unreadFrom !== null) {
    const unread = messages.findIndex((m) => m.seq >= unreadFrom);
    if (unread >= 0) return boundsAround(messages, unread, ABOVE_UNREAD);
  }
  return boundsAround(messages, messages.length - 1, WINDOW_MAX);
}

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
  messages,
  lastIsMine,
  pendingCount,
  unreadFrom,
}: {
  chatId: string;
  /** The message to open at, instead of the divider or the end. */
  focusId: string | null;
  onFocused: () => void;
  history: ChatHistory;
  /** The loaded messages, oldest first. */
  messages: readonly Message[];
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
  const [bounds, setBounds] = useState(() => initialBounds(messages, focusId, unreadFrom));
  const [start, end] = sliceOf(messages, bounds);
  // The window reaches the newest loaded message: its bottom is the chat's.
  const atEnd = useRef(true);
  atEnd.current = end === messages.length;
  const firstId = messages[0]?.id;
  const firstSeq = messages[0]?.seq;
  const lastId = messages[messages.length - 1]?.id;
  /**
   * The message at the top of the view and its offset, to put back after the window changes
   * (or, for `fetch`, once the older page is in).
   */
  const anchor = useRef<{
    id: string;
    top: number;
    /** For a fetch: the first message's id before it, and whether it has started. */
    fetch: string | undefined;
    started: boolean;
  } | null>(null);
  /** A message to scroll to once the window holds it. */
  const reveal = useRef<string | null>(null);
  const toEnd = useRef(false);

  const queryClient = useQueryClient();
  const { fetchPreviousPage, hasPreviousPage, isFetchingPreviousPage, isSuccess } = history;
  const { fetchNextPage, hasNextPage, isFetchingNextPage } = history;
  // At the bottom of a window that does not reach the present, newer pages are still to come.
  const hasNewer = useRef(hasNextPage);
  hasNewer.current = hasNextPage;

  /** Notes the message at the top of the view, to keep it there through the next change. */
  const keepView = useCallback((fetch?: string) => {
    const el = listRef.current;
    const content = contentRef.current;
    if (!el || !content) return;
    const top = el.getBoundingClientRect().top;
    for (const item of content.querySelectorAll<HTMLElement>(":scope > .message")) {
      const box = item.getBoundingClientRect();
      if (box.bottom > top) {
        anchor.current = { id: item.id, top: box.top - top, fetch, started: false };
        return;
      }
    }
  }, []);

  const loadOlder = useCallback(() => {
    if (!hasPreviousPage || isFetchingPreviousPage) return;
    keepView(firstId ?? "");
    // The window (at the first loaded message here) takes in the page when it comes.
    setBounds((now) => (now.from === null ? now : { ...now, from: null }));
    void fetchPreviousPage();
  }, [fetchPreviousPage, hasPreviousPage, isFetchingPreviousPage, keepView, firstId]);

  const measure = useCallback(() => {
    const el = listRef.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK && atEnd.current;
    stick.current = bottom && !hasNewer.current;
    setAtBottom(bottom);
  }, []);

  const toBottom = useCallback(() => {
    const el = listRef.current;
    if (!el) return;
    if (!atEnd.current) {
      // The end is not rendered: the last full window, scrolled down once it is in.
      setBounds(boundsAround(messages, messages.length - 1, WINDOW_MAX));
      toEnd.current = true;
    }
    el.scrollTop = el.scrollHeight;
    stick.current = true;
    setAtBottom(true);
  }, [messages]);

  // After each change: what was at the top of the view goes back where it was; a message
  // asked for is scrolled to; the end, when asked for.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const kept = anchor.current;
    if (kept) {
      const item = document.getElementById(kept.id);
      if (item) {
        el.scrollTop +=
          item.getBoundingClientRect().top - el.getBoundingClientRect().top - kept.top;
      }
      // A fetch's anchor holds until its page is in (the "loading" note comes and goes first).
      if (isFetchingPreviousPage) kept.started = true;
      const fetched = kept.fetch !== firstId || (kept.started && !isFetchingPreviousPage);
      if (kept.fetch === undefined || fetched) anchor.current = null;
    }
    if (reveal.current) {
      const target = document.getElementById(`msg-${reveal.current}`);
      if (target) {
        reveal.current = null;
        showMessage(el, target);
      }
    }
    if (toEnd.current && atEnd.current) {
      toEnd.current = false;
      el.scrollTop = el.scrollHeight;
    }
  });

  // A window grown past its size lets go of its far end: the newer messages while the chat
  // is being placed at its first unread one or the view is nearer the top, else the older.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el || end - start <= WINDOW_MAX) return;
    if (!ready && unreadFrom !== null) {
      const unread = messages.findIndex((m) => m.seq >= unreadFrom);
      setBounds(boundsAround(messages, Math.max(0, unread), ABOVE_UNREAD));
      return;
    }
    const below = el.scrollHeight - el.scrollTop - el.clientHeight;
    keepView();
    setBounds(
      el.scrollTop < below
        ? boundsOf(messages, start, start + WINDOW_MAX)
        : boundsOf(messages, end - WINDOW_MAX, end),
    );
  }, [messages, start, end, ready, unreadFrom, keepView]);

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
  const last = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (!ready) return;
    const now = `${lastId}:${pendingCount}`;
    const changed = last.current !== null && last.current !== now;
    last.current = now;
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
    // Scrolled while an older page loads: that is the view to keep.
    const pending = anchor.current;
    if (pending?.fetch !== undefined) {
      keepView(pending.fetch);
      if (anchor.current) anchor.current.started = pending.started;
    }
    if (el.scrollTop < TOP_PREFETCH) {
      if (start > 0) {
        keepView();
        const from = Math.max(0, start - WINDOW_STEP);
        setBounds(boundsOf(messages, from, Math.min(end, from + WINDOW_MAX)));
      } else loadOlder();
    }
    const below = el.scrollHeight - el.scrollTop - el.clientHeight;
    if (below < TOP_PREFETCH) {
      if (end < messages.length) {
        keepView();
        const to = Math.min(messages.length, end + WINDOW_STEP);
        setBounds(boundsOf(messages, Math.max(start, to - WINDOW_MAX), to));
      } else if (hasNextPage && !isFetchingNextPage) {
        setBounds((now) => (now.to === null ? now : { ...now, to: null }));
        void fetchNextPage();
      }
    }
  }

  /** The end of the chat; from a window around an old message, the newest page anew. */
  const jumpToLatest = useCallback(() => {
    const el = listRef.current;
    if (!el) return;
    if (hasNewer.current) {
      stick.current = true;
      hasNewer.current = false;
      toEnd.current = true;
      setBounds({ from: null, to: null });
      void queryClient.resetQueries({ queryKey: historyKey(chatId) });
      return;
    }
    if (!atEnd.current) return toBottom();
    el.scrollTo({ top: el.scrollHeight, behavior: "smooth" });
  }, [queryClient, chatId, toBottom]);

  /** Scrolls to a loaded message (putting it in the window first) and flashes it. */
  const showLoaded = useCallback(
    (messageId: string): boolean => {
      const el = listRef.current;
      const index = messages.findIndex((m) => m.id === messageId);
      if (!el || index < 0) return false;
      // Away from the bottom now: a resize before the scroll event must not pull it back.
      stick.current = false;
      const target = document.getElementById(`msg-${messageId}`);
      if (target) {
        showMessage(el, target);
      } else {
        reveal.current = messageId;
        setBounds(boundsAround(messages, index, WINDOW_MAX / 2));
      }
      return true;
    },
    [messages],
  );

  return {
    listRef,
    contentRef,
    ready,
    atBottom: ready && atBottom && end === messages.length,
    onScroll,
    jumpToLatest,
    showLoaded,
    hasNewer: hasNextPage,
    /** The rendered window: `messages.slice(start, end)`. */
    start,
    end,
  };
}
