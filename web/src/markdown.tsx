/**
 * The contract's safe Markdown subset, rendered as React elements (never as HTML): bold,
 * italic, strike-through, inline code, fenced code blocks, block quotes, lists, and links
 * (bare `http(s)://` URLs and `[text](url)` to http, https or mailto). `marked` only
 * tokenizes; every token outside the subset (headings, tables, images, HTML, …) shows as
 * the text that was typed.
 */
import { Lexer, type Token, type Tokens } from "marked";
import type { ReactNode } from "react";

const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The link's target when the contract allows it, else null (the token shows as text). */
function allowedHref(token: Tokens.Link): string | null {
  // `[text](url)` or a bare http(s) URL; reference links, `www.` and bare e-mail addresses
  // (which GFM would also link) stay text.
  const written = token.raw.startsWith("[") && token.raw.endsWith(")");
  const bare = token.autolink === true && /^https?:\/\//i.test(token.raw);
  if (!written && !bare) return null;
  try {
    return LINK_PROTOCOLS.has(new URL(token.href).protocol) ? token.href : null;
  } catch {
    return null; // relative or malformed
  }
}

/** A hook to decorate plain text (mentions use it); the default returns the text. */
export type TextDecorator = (text: string, key: string) => ReactNode;
const plain: TextDecorator = (text) => text;

function inline(tokens: Token[] | undefined, key: string, text: TextDecorator): ReactNode[] {
  return (tokens ?? []).map((token, i) => {
    const k = `${key}.${i}`;
    switch (token.type) {
      case "text":
        // Inside tight list items a text token holds further inline tokens.
        return "tokens" in token && token.tokens?.length
          ? inline(token.tokens, k, text)
          : text(token.text, k);
      case "escape":
        return text(token.text, k);
      case "strong":
        return <strong key={k}>{inline(token.tokens, k, text)}</strong>;
      case "em":
        return <em key={k}>{inline(token.tokens, k, text)}</em>;
      case "del":
        return <del key={k}>{inline(token.tokens, k, text)}</del>;
      case "codespan":
        return <code key={k}>{token.text}</code>;
      case "br":
        return <br key={k} />;
      case "link": {
        const href = allowedHref(token as Tokens.Link);
        if (!href) return text(token.raw, k);
        return (
          <a key={k} href={href} target="_blank" rel="noopener noreferrer">
            {inline(token.tokens, k, text)}
          </a>
        );
      }
      default:
        return text(token.raw, k);
    }
  });
}

function blocks(tokens: Token[], key: string, text: TextDecorator): ReactNode[] {
  return tokens.map((token, i) => {
    const k = `${key}.${i}`;
    switch (token.type) {
      case "space":
        return null;
      case "paragraph":
        return <p key={k}>{inline(token.tokens, k, text)}</p>;
      case "text":
        return <p key={k}>{inline(token.tokens ?? [token], k, text)}</p>;
      case "blockquote":
        return <blockquote key={k}>{blocks(token.tokens ?? [], k, text)}</blockquote>;
      case "code":
        // Fenced blocks only: four spaces of indentation are usually not meant as code.
        if ((token as Tokens.Code).codeBlockStyle === "indented") {
          return <p key={k}>{text(token.raw.replace(/\n+$/, ""), k)}</p>;
        }
        return (
          <pre key={k}>
            <code>{token.text}</code>
          </pre>
        );
      case "list": {
        const list = token as Tokens.List;
        const items = list.items.map((item, j) => (
          <li key={`${k}.${j}`}>{listItem(item, `${k}.${j}`, text)}</li>
        ));
        return list.ordered ? (
          <ol key={k} start={list.start === "" || list.start === 1 ? undefined : list.start}>
            {items}
          </ol>
        ) : (
          <ul key={k}>{items}</ul>
        );
      }
      default:
        // Headings, tables, rules, HTML and the rest: what was typed.
        return <p key={k}>{text(token.raw.replace(/\n+$/, ""), k)}</p>;
    }
  });
}

function listItem(item: Tokens.ListItem, key: string, text: TextDecorator): ReactNode {
  const tokens = item.tokens ?? [];
  // A tight item is one line of text: no paragraph around it.
  if (!item.loose && tokens.length === 1 && tokens[0]?.type === "text") {
    return inline([tokens[0]], key, text);
  }
  return blocks(tokens, key, text);
}

/** The message body as elements. */
export function renderMarkdown(body: string, text: TextDecorator = plain): ReactNode[] {
  return blocks(Lexer.lex(body, { gfm: true, breaks: true }), "m", text);
}

/** At most this many emoji and nothing else make a message shown large. */
const JUMBO_MAX = 3;
const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const EMOJI_GRAPHEME =
  /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator})(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\u200d|\ufe0f|\u20e3)*$/u;

/** Whether the body is only a few emoji (whitespace between them allowed). */
export function isEmojiOnly(body: string): boolean {
  const compact = body.replace(/\s+/g, "");
  if (!compact || compact.length > 40) return false;
  let count = 0;
  for (const { segment } of segmenter.segment(compact)) {
    if (!EMOJI_GRAPHEME.test(segment) || ++count > JUMBO_MAX) return false;
  }
  return true;
}

function plainInline(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((token) => {
      if (token.type === "br") return " ";
      if (token.type === "codespan" || token.type === "escape") return token.text;
      if (token.type === "link" && !allowedHref(token as Tokens.Link)) return token.raw;
      if ("tokens" in token && token.tokens?.length) return plainInline(token.tokens);
      return token.type === "text" ? token.text : token.raw;
    })
    .join("");
}

/** The body without its formatting marks, on one line: the chat list's preview. */
export function plainText(body: string): string {
  const lines: string[] = [];
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === "space") continue;
      if (token.type === "blockquote") walk(token.tokens ?? []);
      else if (token.type === "list")
        for (const item of (token as Tokens.List).items) walk(item.tokens);
      else if (token.type === "code") lines.push(token.text);
      else if (token.type === "paragraph" || token.type === "text")
        lines.push(plainInline(token.tokens ?? [token]));
      else lines.push(token.raw);
    }
  };
  walk(Lexer.lex(body, { gfm: true, breaks: true }));
  return lines.join(" ").replace(/\s+/g, " ").trim();
}
