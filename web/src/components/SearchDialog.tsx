import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { SEARCH_QUERY_MAX, type ChatListItem, type Message } from "@charla/client";
import { chatTitle } from "../chats.ts";
import { errorText } from "../errors.ts";
import { formatListTime, t } from "../i18n.ts";
import { loadAround } from "../hooks/useChatHistory.ts";
import { plainText } from "../markdown.tsx";
import { openAtMessage } from "../navigation.ts";
import { nameOf } from "../people.ts";
import { snippetOf } from "../search-text.ts";
import { api } from "../session.ts";
import { Dialog } from "./Dialog.tsx";
import "./SearchDialog.css";

/** Typing pauses this long before a search is sent. */
const DEBOUNCE_MS = 250;
const PAGE = 20;

export const SearchIcon = () => (
  <svg
    width={20}
    height={20}
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth="2"
    strokeLinecap="round"
    aria-hidden="true"
    focusable="false"
  >
    <circle cx="11" cy="11" r="7" />
    <path d="m20 20-4-4" />
  </svg>
);

function useDebounced(value: string): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

/**
 * Search over every chat (Ctrl/Cmd+K): a combobox whose results show the chat, the sender,
 * the time and the words around the match. Choosing one loads the history around the
 * message and opens its chat there.
 */
export function SearchDialog({
  chats,
  myId,
  onClose,
}: {
  chats: ChatListItem[];
  myId: string;
  onClose: () => void;
}) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const queryClient = useQueryClient();
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const [opening, setOpening] = useState<string | null>(null);
  const [openError, setOpenError] = useState<unknown>(null);
  const term = useDebounced(query.trim());

  const search = useInfiniteQuery({
    queryKey: ["search", term],
    queryFn: ({ pageParam }) =>
      api.search(
        pageParam ? { q: term, limit: PAGE, before: pageParam } : { q: term, limit: PAGE },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) =>
      last.has_more ? (last.results[last.results.length - 1]?.message.id ?? null) : null,
    enabled: term.length > 0,
    staleTime: 30_000,
  });
  const byId = new Map(chats.map((chat) => [chat.id, chat]));
  // A result of a chat no longer in the list (just left) cannot be opened.
  const results = (search.data?.pages.flatMap((page) => page.results) ?? []).filter((r) =>
    byId.has(r.chat_id),
  );
  const shown = term.length > 0 && search.isSuccess;
  const activeIndex = Math.min(active, results.length - 1);

  async function open(message: Message) {
    setOpening(message.id);
    setOpenError(null);
    try {
      const putInPlace = await loadAround(queryClient, message.chat_id, message.id, message.seq);
      dialog.current?.close();
      openAtMessage(message.chat_id, message.id);
      putInPlace();
    } catch (error) {
      setOpenError(error);
      setOpening(null);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (results.length === 0) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = (activeIndex + step + results.length) % results.length;
      setActive(next);
      document.getElementById(`${id}-result-${next}`)?.scrollIntoView({ block: "nearest" });
    } else if (event.key === "Escape") {
      // A search field would only clear itself; Escape closes the search, as anywhere else.
      event.preventDefault();
      dialog.current?.close();
    } else if (event.key === "Enter") {
      event.preventDefault();
      const chosen = results[activeIndex];
      if (chosen) void open(chosen.message);
    }
  }

  return (
    <Dialog
      dialogRef={dialog}
      title={t.searchMessages}
      onClose={onClose}
      className="search-dialog"
      focusField
    >
      <div className="search-field">
        <SearchIcon />
        <label htmlFor={`${id}-q`} className="sr-only">
          {t.searchMessages}
        </label>
        <input
          id={`${id}-q`}
          type="search"
          role="combobox"
          aria-expanded={shown && results.length > 0}
          aria-controls={`${id}-results`}
          aria-autocomplete="list"
          aria-activedescendant={
            shown && results.length > 0 ? `${id}-result-${activeIndex}` : undefined
          }
          placeholder={t.searchMessagesPlaceholder}
          maxLength={SEARCH_QUERY_MAX}
          autoComplete="off"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      <p className="sr-only" role="status">
        {shown ? t.searchResults(results.length) : ""}
      </p>
      <ul
        id={`${id}-results`}
        className="search-results"
        role="listbox"
        aria-label={t.searchResultsLabel}
        aria-busy={search.isFetching}
      >
        {shown &&
          results.map(({ message }, index) => {
            const chat = byId.get(message.chat_id)!;
            const sender = chat.members.find((m) => m.user_id === message.sender_id);
            const { pieces } = snippetOf(plainText(message.body), term);
            return (
              <li
                key={message.id}
                id={`${id}-result-${index}`}
                role="option"
                aria-selected={index === activeIndex}
                className={`search-result${index === activeIndex ? " is-active" : ""}`}
                aria-busy={opening === message.id}
                onClick={() => void open(message)}
                onMouseMove={() => setActive(index)}
              >
                <span className="search-result-head">
                  <span className="search-result-chat">{chatTitle(chat, myId)}</span>
                  <span className="search-result-sender">
                    {message.sender_id === myId ? t.you : sender ? nameOf(sender) : "?"}
                  </span>
                  <time dateTime={message.created_at}>{formatListTime(message.created_at)}</time>
                </span>
                <span className="search-result-text">
                  {pieces.map((piece, i) => (i % 2 === 1 ? <mark key={i}>{piece}</mark> : piece))}
                </span>
              </li>
            );
          })}
      </ul>
      {shown && results.length === 0 && <p className="muted search-empty">{t.noMessagesFound}</p>}
      {search.hasNextPage && shown && (
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={search.isFetchingNextPage}
          onClick={() => void search.fetchNextPage()}
        >
          {t.moreResults}
        </button>
      )}
      {(search.error ?? openError) !== null && (
        <p className="form-error" role="alert">
          {errorText(search.error ?? openError)}
        </p>
      )}
      <p className="dialog-hint search-hint">{t.searchHint}</p>
    </Dialog>
  );
}
