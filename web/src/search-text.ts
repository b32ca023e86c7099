/**
 * How a search result is shown: the message as plain text, cut to the part around the first
 * word that matched, with the matching words marked. The server decides what matches
 * (whole words, any case and accents, stemmed); this only finds them again to mark them.
 */
import { foldForSearch } from "./chats.ts";

/** Characters of context kept in a result. */
const SNIPPET = 160;
/** Of those, this many before the first match. */
const BEFORE = 50;

export interface Snippet {
  /** Alternating plain and marked pieces, starting with plain. */
  pieces: string[];
}

/** Whether a word of the text answers a word of the query (either may be a stem). */
function answers(word: string, term: string): boolean {
  return word.startsWith(term) || (word.length >= 3 && term.startsWith(word));
}

export function snippetOf(text: string, query: string): Snippet {
  const terms = foldForSearch(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const spans: [number, number][] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = foldForSearch(match[0]);
    if (terms.some((term) => answers(word, term))) {
      spans.push([match.index, match.index + match[0].length]);
    }
  }
  let start = 0;
  let end = text.length;
  if (text.length > SNIPPET) {
    start = Math.max(0, (spans[0]?.[0] ?? 0) - BEFORE);
    end = Math.min(text.length, start + SNIPPET);
    start = Math.max(0, end - SNIPPET);
  }
  const pieces: string[] = [];
  let at = start;
  for (const [from, to] of spans) {
    if (to <= start || from >= end) continue;
    pieces.push(
      text.slice(at, Math.max(at, from)),
      text.slice(Math.max(at, from), Math.min(to, end)),
    );
    at = Math.min(to, end);
  }
  pieces.push(text.slice(at, end));
  if (start > 0) pieces[0] = `…${pieces[0]!.trimStart()}`;
  if (end < text.length) pieces[pieces.length - 1] = `${pieces[pieces.length - 1]!.trimEnd()}…`;
  return { pieces };
}
