import { memo, useMemo, type ReactNode } from "react";
import { isEmojiOnly, renderMarkdown, type TextDecorator } from "../markdown.tsx";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");

/** Marks `@name` of the mentioned members (the longest name first), ours stronger. */
function mentionDecorator(mentioned: string[], myName: string): TextDecorator | undefined {
  if (mentioned.length === 0) return undefined;
  const names = [...mentioned].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![A-Za-z0-9_.-])@(${names.join("|")})(?![A-Za-z0-9_-])`, "giu");
  return (text, key) => {
    const parts: ReactNode[] = [];
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      parts.push(text.slice(last, match.index));
      const isMe = match[1]!.toLowerCase() === myName.toLowerCase();
      parts.push(
        <mark key={`${key}@${match.index}`} className={`mention${isMe ? " is-me" : ""}`}>
          {match[0]}
        </mark>,
      );
      last = match.index + match[0].length;
    }
    if (last === 0) return text;
    parts.push(text.slice(last));
    return parts;
  };
}

/** A message's text, formatted (see markdown.tsx); a few emoji alone are shown large. */
export const MessageBody = memo(function MessageBody({
  body,
  mentioned = [],
  myName = "",
}: {
  body: string;
  /** Usernames the message mentions. */
  mentioned?: string[];
  myName?: string;
}) {
  const key = mentioned.join(" ");
  const content = useMemo(
    () => renderMarkdown(body, mentionDecorator(key ? key.split(" ") : [], myName)),
    [body, key, myName],
  );
  const jumbo = useMemo(() => isEmojiOnly(body), [body]);
  return <div className={`message-body${jumbo ? " is-jumbo" : ""}`}>{content}</div>;
});
