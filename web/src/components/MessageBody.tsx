import { memo, useMemo } from "react";
import { isEmojiOnly, renderMarkdown } from "../markdown.tsx";

/** A message's text, formatted (see markdown.tsx); a few emoji alone are shown large. */
export const MessageBody = memo(function MessageBody({ body }: { body: string }) {
  const content = useMemo(() => renderMarkdown(body), [body]);
  const jumbo = useMemo(() => isEmojiOnly(body), [body]);
  return <div className={`message-body${jumbo ? " is-jumbo" : ""}`}>{content}</div>;
});
