import {
  lazy,
  Suspense,
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { createPortal } from "react-dom";
import { t } from "../i18n.ts";
import { CopyIcon, EditIcon, FlagIcon, ReplyIcon, TrashIcon } from "../icons.tsx";
import { QUICK_REACTIONS } from "./Reactions.tsx";
import "./MessageMenu.css";

const EmojiPicker = lazy(() => import("./EmojiPicker.tsx"));

/** What the menu can do with its message; absent ones are not offered. */
export interface MessageMenuActions {
  reply: () => void;
  react: (emoji: string) => void;
  copy?: () => void;
  edit?: () => void;
  report?: () => void;
  remove?: () => void;
}

/**
 * A message's actions on a touch screen, opened by a long press: a sheet along the bottom
 * with the quick reactions (and every emoji behind "+"), reply, copy, edit, report and
 * delete, each at least 44 px high. It is an ARIA menu: the first item takes the focus, the
 * arrow keys move through the items, Esc, Tab or a tap outside close it and the focus goes
 * back to the message. Delete asks first, in the same sheet.
 */
export function MessageMenu({
  label,
  senderName,
  preview,
  actions,
  onClose,
}: {
  /** Names the menu for a screen reader: whose message it is. */
  label: string;
  /** Shown atop the sheet, which covers the bottom of the conversation: whose and what. */
  senderName: string;
  preview: string;
  actions: MessageMenuActions;
  /** `restoreFocus` is false when the chosen action moves the focus itself. */
  onClose: (restoreFocus: boolean) => void;
}) {
  const [step, setStep] = useState<"menu" | "confirm" | "emoji">("menu");
  const sheet = useRef<HTMLDivElement>(null);
  const questionId = useId();
  // The finger of the long press lifts once the sheet is open, and the browser may click
  // whatever is under it then, an item or the backdrop: only a touch that began after the
  // sheet opened (or a key) chooses an item or closes it.
  const touched = useRef(false);
  const pressedOutside = useRef(false);

  useEffect(() => {
    if (step === "menu") sheet.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    else if (step === "confirm") sheet.current?.querySelector<HTMLElement>(".btn-danger")?.focus();
  }, [step]);

  const choose =
    (action: () => void, restoreFocus = false) =>
    () => {
      onClose(restoreFocus);
      action();
    };

  function onMenuKey(event: KeyboardEvent<HTMLDivElement>) {
    const items = [...(sheet.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const last = items.length - 1;
    const to: Record<string, number> = {
      ArrowDown: at === last ? 0 : at + 1,
      ArrowRight: at === last ? 0 : at + 1,
      ArrowUp: at <= 0 ? last : at - 1,
      ArrowLeft: at <= 0 ? last : at - 1,
      Home: 0,
      End: last,
    };
    if (event.key in to) {
      event.preventDefault();
      items[to[event.key]!]?.focus();
    } else if (event.key === "Tab") {
      event.preventDefault();
      onClose(true);
    }
  }

  let body;
  if (step === "confirm") {
    body = (
      <div className="action-sheet" ref={sheet} role="alertdialog" aria-labelledby={questionId}>
        <p className="action-sheet-question" id={questionId}>
          {t.deleteQuestion}
        </p>
        <div className="action-sheet-confirm">
          <button type="button" className="btn btn-secondary" onClick={() => onClose(true)}>
            {t.cancel}
          </button>
          <button type="button" className="btn btn-danger" onClick={choose(actions.remove!, true)}>
            {t.delete}
          </button>
        </div>
      </div>
    );
  } else if (step === "emoji") {
    body = (
      <div className="action-sheet is-picker" ref={sheet}>
        <Suspense fallback={<p className="muted">{t.loadingEmoji}</p>}>
          <EmojiPicker
            onPick={(emoji) => choose(() => actions.react(emoji), true)()}
            onClose={() => onClose(true)}
          />
        </Suspense>
      </div>
    );
  } else {
    const item = (icon: ReactNode, text: string, onClick: () => void, danger = false) => (
      <button
        type="button"
        role="menuitem"
        tabIndex={-1}
        className={`action-sheet-item${danger ? " is-danger" : ""}`}
        onClick={onClick}
      >
        {icon}
        <span>{text}</span>
      </button>
    );
    body = (
      <div
        className="action-sheet"
        ref={sheet}
        role="menu"
        aria-label={label}
        onKeyDown={onMenuKey}
      >
        <p className="action-sheet-preview" aria-hidden="true">
          <span className="action-sheet-preview-name">{senderName}</span>
          <span className="action-sheet-preview-text">{preview}</span>
        </p>
        <div className="action-sheet-reactions" role="group" aria-label={t.addReaction}>
          {QUICK_REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="action-sheet-emoji"
              aria-label={t.reactWith(emoji)}
              onClick={choose(() => actions.react(emoji), true)}
            >
              {emoji}
            </button>
          ))}
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="action-sheet-emoji reaction-more"
            aria-haspopup="dialog"
            aria-label={t.moreEmoji}
            onClick={() => setStep("emoji")}
          >
            <span aria-hidden="true">+</span>
          </button>
        </div>
        {item(<ReplyIcon />, t.reply, choose(actions.reply))}
        {actions.copy && item(<CopyIcon />, t.copyText, choose(actions.copy, true))}
        {actions.edit && item(<EditIcon />, t.editMessage, choose(actions.edit))}
        {actions.report && item(<FlagIcon />, t.mod.reportMessage, choose(actions.report))}
        {actions.remove && item(<TrashIcon />, t.deleteMessage, () => setStep("confirm"), true)}
      </div>
    );
  }

  return createPortal(
    <div
      className="action-sheet-backdrop"
      onPointerDown={(e) => {
        touched.current = true;
        pressedOutside.current = e.target === e.currentTarget;
      }}
      onMouseDownCapture={(e) => {
        // Nor does its mousedown move the focus off the first item.
        if (!touched.current) e.preventDefault();
      }}
      onClickCapture={(e) => {
        if (touched.current || e.detail === 0) return;
        e.preventDefault();
        e.stopPropagation();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget && pressedOutside.current) onClose(true);
        pressedOutside.current = false;
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          e.preventDefault();
          onClose(true);
        }
      }}
    >
      {body}
    </div>,
    document.body,
  );
}
