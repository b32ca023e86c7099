import {
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type RefObject,
} from "react";
import type { ChatMember } from "@charla/client";
import { foldForSearch } from "../chats.ts";
import { t } from "../i18n.ts";
import { nameOf } from "../people.ts";
import { Avatar } from "./Avatar.tsx";
import "./MentionMenu.css";

/** At most this many people are offered at once. */
const MAX_SHOWN = 6;

/** The `@word` being typed just before the caret (after a space or at the start), if any. */
function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(?:^|\s)@([\p{L}\p{N}_.-]*)$/u.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[1]!.length - 1, query: match[1]! };
}

/**
 * `@` autocompletion from the chat's members, for the message field. The field keeps the
 * focus (a textbox with `aria-autocomplete="list"`, `aria-controls` and
 * `aria-activedescendant`: the combobox pattern as a textarea can carry it); ↑ ↓ move
 * through the people, Enter or Tab picks one, Escape closes.
 */
export function useMentionMenu({
  members,
  myId,
  field,
  text,
  onPick,
}: {
  members: ChatMember[];
  myId: string;
  field: RefObject<HTMLTextAreaElement | null>;
  text: string;
  /** The new text and where the caret goes. */
  onPick: (text: string, caret: number) => void;
}) {
  const id = useId();
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  // Where the caret goes after a pick, set in the same commit as the new text: deferred to
  // a later frame, it raced the next key (typed after the caret had already moved to the end,
  // then moved back before it) and the message went out wrong or not at all.
  const caretAfterPick = useRef<number | null>(null);
  useLayoutEffect(() => {
    const el = field.current;
    const position = caretAfterPick.current;
    if (!el || position === null) return;
    caretAfterPick.current = null;
    el.focus();
    el.setSelectionRange(position, position);
  });

  const at = mentionAt(text, caret);
  const query = at ? foldForSearch(at.query) : "";
  const people = at
    ? members
        .filter((m) => m.user_id !== myId)
        .filter(
          (m) =>
            foldForSearch(m.username).startsWith(query) ||
            foldForSearch(nameOf(m))
              .split(/\s+/)
              .some((word) => word.startsWith(query)),
        )
        .sort((x, y) => nameOf(x).localeCompare(nameOf(y)))
        .slice(0, MAX_SHOWN)
    : [];
  const open = at !== null && people.length > 0 && dismissedAt !== at.start;
  const activeIndex = Math.min(active, people.length - 1);

  /** Call on every change and caret move of the field. */
  function track() {
    const el = field.current;
    if (!el) return;
    setCaret(el.selectionStart);
    setActive(0);
  }

  function pick(member: ChatMember) {
    if (!at) return;
    const inserted = `@${member.username} `;
    const next = text.slice(0, at.start) + inserted + text.slice(caret);
    const nextCaret = at.start + inserted.length;
    onPick(next, nextCaret);
    setCaret(nextCaret);
    caretAfterPick.current = nextCaret;
  }

  /** Handles the menu's keys; true when the key was the menu's. */
  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (!open) return false;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((activeIndex + step + people.length) % people.length);
      return true;
    }
    if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
      event.preventDefault();
      pick(people[activeIndex]!);
      return true;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      setDismissedAt(at.start);
      return true;
    }
    return false;
  }

  const listId = `${id}-mentions`;
  const fieldProps = {
    "aria-autocomplete": "list" as const,
    "aria-controls": open ? listId : undefined,
    "aria-activedescendant": open ? `${listId}-${activeIndex}` : undefined,
  };

  const menu = open ? (
    <ul className="mention-menu" id={listId} role="listbox" aria-label={t.mentionSomeone}>
      {people.map((member, index) => (
        <li
          key={member.user_id}
          id={`${listId}-${index}`}
          role="option"
          aria-selected={index === activeIndex}
          className={`mention-option${index === activeIndex ? " is-active" : ""}`}
          // Keep the focus in the field.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => pick(member)}
          onMouseMove={() => setActive(index)}
        >
          <Avatar name={nameOf(member)} src={member.avatar_url} size={26} />
          <span className="mention-option-name">{nameOf(member)}</span>
          <span className="mention-option-username">@{member.username}</span>
        </li>
      ))}
    </ul>
  ) : null;
  const status = open ? t.mentionChoices(people.length) : "";

  return { menu, status, fieldProps, track, onKeyDown };
}
