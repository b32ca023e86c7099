/**
 * The searchable emoji picker, loaded on first use (its code and its data stay out of the
 * first download): every emoji by group, or those whose name or search words start with
 * what is typed, in the page's language. The arrow keys move through the grid.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { foldForSearch } from "../chats.ts";
import { lang, t } from "../i18n.ts";
import "./EmojiPicker.css";

/** Buttons per row: the arrow keys move by this much up and down. */
const COLUMNS = 8;
/** Matches shown at most while searching. */
const MAX_MATCHES = 120;

interface EmojiData {
  /** Each emoji as [emoji, name, search words]. */
  groups: { name: string; emoji: [string, string, string][] }[];
}

function useEmojiData() {
  return useQuery({
    queryKey: ["emoji", lang],
    queryFn: async () => {
      const response = await fetch(`${import.meta.env.BASE_URL}emoji/${lang}.json`);
      if (!response.ok) throw new Error(`emoji data: ${response.status}`);
      return (await response.json()) as EmojiData;
    },
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

/** An emoji with its name and search words folded once, for matching as the user types. */
interface Searchable {
  entry: [string, string, string];
  name: string;
  nameWords: string[];
  allWords: string[];
}

function searchable(data: EmojiData): Searchable[] {
  return data.groups.flatMap((group) =>
    group.emoji.map((entry) => {
      const name = foldForSearch(entry[1]);
      return {
        entry,
        name,
        nameWords: name.split(/[\s:,]+/),
        allWords: foldForSearch(`${entry[1]} ${entry[2]}`).split(/[\s:,]+/),
      };
    }),
  );
}

/**
 * The emoji whose name or search words start with every typed word, those the query names
 * best first — the name itself, then a name that starts with it, then a word of the name,
 * then the search words only — so that "fuego" + Enter gives 🔥, not ❤️‍🔥 ("corazón en
 * llamas", tagged "fuego"), which comes first in emoji order. Emoji order within each rank.
 */
function matches(all: Searchable[], query: string): [string, string, string][] {
  const folded = foldForSearch(query).trim().replace(/\s+/g, " ");
  const words = folded.split(" ").filter(Boolean);
  const ranked: { rank: number; entry: [string, string, string] }[] = [];
  for (const e of all) {
    if (!words.every((w) => e.allWords.some((h) => h.startsWith(w)))) continue;
    const rank =
      e.name === folded
        ? 0
        : e.name.startsWith(folded)
          ? 1
          : words.every((w) => e.nameWords.some((h) => h.startsWith(w)))
            ? 2
            : 3;
    ranked.push({ rank, entry: e.entry });
  }
  // Array.prototype.sort is stable: emoji order holds within a rank.
  return ranked
    .sort((a, b) => a.rank - b.rank)
    .slice(0, MAX_MATCHES)
    .map((r) => r.entry);
}

export default function EmojiPicker({
  onPick,
  onClose,
}: {
  onPick: (emoji: string) => void;
  onClose: () => void;
}) {
  const id = useId();
  const data = useEmojiData();
  const [query, setQuery] = useState("");
  const grid = useRef<HTMLDivElement>(null);
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => field.current?.focus(), []);

  const all = useMemo(() => (data.data ? searchable(data.data) : null), [data.data]);
  const found = all && query.trim() ? matches(all, query) : null;

  /** Arrow keys move the focus through the buttons, row by row. */
  function onGridKey(event: KeyboardEvent<HTMLDivElement>) {
    const steps: Record<string, number> = {
      ArrowLeft: -1,
      ArrowRight: 1,
      ArrowUp: -COLUMNS,
      ArrowDown: COLUMNS,
    };
    const step = steps[event.key];
    if (step === undefined) return;
    const buttons = [...(grid.current?.querySelectorAll<HTMLButtonElement>(".emoji-choice") ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at === -1) return;
    event.preventDefault();
    if (at + step < 0 && event.key === "ArrowUp") return field.current?.focus();
    buttons[Math.max(0, Math.min(buttons.length - 1, at + step))]?.focus();
  }

  // One tab stop per group; the arrow keys do the rest.
  const button = ([emoji, name]: [string, string, string], index: number) => (
    <button
      key={emoji}
      type="button"
      tabIndex={index === 0 ? 0 : -1}
      className="emoji-choice"
      title={name}
      aria-label={name}
      onClick={() => onPick(emoji)}
    >
      {emoji}
    </button>
  );

  return (
    <div
      className="emoji-picker"
      role="dialog"
      aria-label={t.emojiPicker}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <label htmlFor={`${id}-q`} className="sr-only">
        {t.searchEmoji}
      </label>
      <input
        id={`${id}-q`}
        ref={field}
        type="search"
        className="emoji-search"
        placeholder={t.searchEmoji}
        autoComplete="off"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            grid.current?.querySelector<HTMLButtonElement>(".emoji-choice")?.focus();
          } else if (e.key === "Enter" && found?.[0]) {
            e.preventDefault();
            onPick(found[0][0]);
          }
        }}
      />
      <div className="emoji-grid-scroll" ref={grid} onKeyDown={onGridKey}>
        {data.isPending && <p className="muted emoji-note">{t.loadingEmoji}</p>}
        {data.isError && (
          <p className="form-error small" role="alert">
            {t.errors.UNAVAILABLE}
          </p>
        )}
        {found ? (
          <>
            <p className="sr-only" role="status">
              {t.emojiFound(found.length)}
            </p>
            {found.length === 0 && <p className="muted emoji-note">{t.noEmojiFound}</p>}
            <div className="emoji-grid" role="group" aria-label={t.searchEmoji}>
              {found.map(button)}
            </div>
          </>
        ) : (
          data.data?.groups.map((group) => (
            <section key={group.name} aria-label={group.name}>
              <h3 className="emoji-group-name">{group.name}</h3>
              <div className="emoji-grid">{group.emoji.map(button)}</div>
            </section>
          ))
        )}
      </div>
    </div>
  );
}
