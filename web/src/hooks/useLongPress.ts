import { useEffect, useRef, useSyncExternalStore, type MouseEvent, type PointerEvent } from "react";

/** How long a finger rests on something before its menu opens (Android's long press). */
export const LONG_PRESS_MS = 500;
/** A finger that moves further than this is scrolling, not pressing. */
const SLOP_PX = 10;

const TOUCH_SCREEN = "(hover: none) and (pointer: coarse)";
let touchQuery: MediaQueryList | undefined;
const query = () => (touchQuery ??= window.matchMedia(TOUCH_SCREEN));

/**
 * True on a screen used with a finger (no hover, coarse pointer): message actions live in a
 * long-press menu there instead of icons that only show on hover.
 */
export function useTouchScreen(): boolean {
  return useSyncExternalStore(
    (changed) => {
      query().addEventListener("change", changed);
      return () => query().removeEventListener("change", changed);
    },
    () => query().matches,
  );
}

/**
 * Handlers that call `onLongPress` when a finger rests on the element for LONG_PRESS_MS
 * without moving (moving, lifting, a scroll or the browser taking the gesture cancel it).
 * The click that some browsers send when that finger lifts is swallowed, so a long press on a
 * link or a reaction does not also follow or toggle it; the context menu a touch browser opens
 * on a long press is replaced by ours. Mouse and pen are left alone.
 */
export function useLongPress(onLongPress: () => void, enabled = true) {
  const latest = useRef(onLongPress);
  latest.current = onLongPress;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const origin = useRef<{ x: number; y: number } | null>(null);
  /** The current touch already opened the menu: its click and context menu are ours. */
  const fired = useRef(false);
  const lastPointer = useRef("");
  const stopListening = useRef<() => void>(() => {});

  function cancel() {
    clearTimeout(timer.current);
    origin.current = null;
    stopListening.current();
  }
  function fire() {
    cancel();
    fired.current = true;
    latest.current();
  }

  useEffect(() => cancel, []);

  return {
    onPointerDown(event: PointerEvent) {
      lastPointer.current = event.pointerType;
      fired.current = false;
      if (!enabled || event.pointerType !== "touch" || !event.isPrimary) return;
      cancel();
      origin.current = { x: event.clientX, y: event.clientY };
      timer.current = setTimeout(fire, LONG_PRESS_MS);
      // The list scrolling under the finger cancels too (pointercancel may come late).
      const onScroll = () => cancel();
      document.addEventListener("scroll", onScroll, { capture: true, passive: true });
      stopListening.current = () => {
        document.removeEventListener("scroll", onScroll, { capture: true });
        stopListening.current = () => {};
      };
    },
    onPointerMove(event: PointerEvent) {
      const from = origin.current;
      if (from && Math.hypot(event.clientX - from.x, event.clientY - from.y) > SLOP_PX) cancel();
    },
    onPointerUp: cancel,
    onPointerCancel: cancel,
    onContextMenu(event: MouseEvent) {
      if (lastPointer.current !== "touch" || !enabled) return;
      event.preventDefault();
      if (!fired.current) fire();
    },
    onClickCapture(event: MouseEvent) {
      if (!fired.current) return;
      fired.current = false;
      event.preventDefault();
      event.stopPropagation();
    },
  };
}
