import type { ReplyQuote as Quote } from "@charla/client";
import { t } from "../i18n.ts";
import { plainText } from "../markdown.tsx";

/** What a reply answers: its sender and the start of its text; a button that jumps there. */
export function ReplyQuote({
  quote,
  senderName,
  onJump,
}: {
  quote: Quote;
  senderName: string;
  onJump: () => void;
}) {
  const text = quote.status === "deleted" ? t.deleted : plainText(quote.body);
  return (
    <button type="button" className="reply-quote" onClick={onJump} title={t.jumpToOriginal}>
      <span className="sr-only">{t.inReplyTo} </span>
      <span className="reply-quote-name">{senderName}</span>
      <span className="reply-quote-text">{text}</span>
    </button>
  );
}
