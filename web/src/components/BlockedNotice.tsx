import type { ChatListItem } from "@charla/client";
import { useBlocks } from "../blocks.ts";
import { otherMember } from "../chats.ts";
import { t } from "../i18n.ts";
import { nameOf } from "../people.ts";
import "./moderation.css";

/** Above a direct chat's composer while the caller blocks the other person: why it is quiet. */
export function BlockedNotice({ chat, myId }: { chat: ChatListItem; myId: string }) {
  const blocks = useBlocks();
  const other = otherMember(chat, myId);
  if (!other || other.user_id === myId || !blocks.isBlocked(other.user_id)) return null;
  return (
    <div className="blocked-notice" role="status">
      <span>{t.mod.blockedNotice(nameOf(other))}</span>
      <button
        type="button"
        className="btn btn-small btn-secondary"
        disabled={blocks.pending}
        onClick={() => blocks.setBlocked(other.user_id, false)}
      >
        {t.mod.unblock}
        <span className="sr-only"> {other.username}</span>
      </button>
    </div>
  );
}
