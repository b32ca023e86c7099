import type { ChatListItem } from "@charla/client";
import { t } from "../i18n.ts";
import { useTyping } from "../live.tsx";
import { nameOf } from "../people.ts";

const nameOrUnknown = (member: { username: string; display_name?: string | null } | undefined) =>
  member ? nameOf(member) : "?";

/** "Ana is typing…" under the conversation; the only part of a chat that typing redraws. */
export function TypingLine({ chat, myId }: { chat: ChatListItem; myId: string }) {
  const typing = useTyping().get(chat.id);
  const names = [...(typing ?? [])]
    .filter((id) => id !== myId)
    .map((id) => nameOrUnknown(chat.members.find((m) => m.user_id === id)));
  return (
    <div className="typing-line" role="status" aria-live="polite">
      {names.length > 0 && (
        <>
          <span className="typing-dots">
            <span />
            <span />
            <span />
          </span>
          {t.typing(names)}
        </>
      )}
    </div>
  );
}
