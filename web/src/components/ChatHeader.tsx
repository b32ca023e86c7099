import type { ChatListItem } from "@charla/client";
import { chatTitle, otherMember } from "../chats.ts";
import { t } from "../i18n.ts";
import { BackIcon, EditIcon, UsersIcon } from "../icons.tsx";
import { useOnline } from "../live.tsx";
import { openChat } from "../navigation.ts";
import { Avatar } from "./Avatar.tsx";
import { canEditChat } from "./ChatDetailsDialog.tsx";
import { MuteButton } from "./MuteButton.tsx";
import { UserProfileButton } from "./UserProfileButton.tsx";
import { nameOf } from "../people.ts";

/**
 * The chat's name and who is online in it (a group's description instead of its member
 * names); a group's members button, and its details for those who may change them.
 */
export function ChatHeader({
  chat,
  myId,
  onMembers,
  onEdit,
}: {
  chat: ChatListItem;
  myId: string;
  onMembers: () => void;
  onEdit: () => void;
}) {
  const online = useOnline();
  const other = otherMember(chat, myId);
  const title = chatTitle(chat, myId);
  const subtitle = other
    ? online.has(other.user_id)
      ? t.online
      : t.offline
    : [
        t.members(chat.members.length),
        `${chat.members.filter((m) => online.has(m.user_id)).length} ${t.online}`,
        chat.description ??
          chat.members.map((m) => (m.user_id === myId ? t.you : nameOf(m))).join(", "),
      ].join(" · ");

  return (
    <header className="chat-header">
      <button className="icon-btn back-btn" onClick={() => openChat(null)}>
        <BackIcon />
        <span className="sr-only">{t.backToChats}</span>
      </button>
      <Avatar
        name={title}
        src={other?.avatar_url}
        online={other ? online.has(other.user_id) : undefined}
        group={chat.type === "group"}
        size={40}
      />
      <div className="chat-header-text">
        <h2 id="chat-title">{title}</h2>
        <p className={`chat-subtitle${other && online.has(other.user_id) ? " is-online" : ""}`}>
          {subtitle}
        </p>
      </div>
      {canEditChat(chat, myId) && (
        <button className="icon-btn" title={t.editGroup} aria-haspopup="dialog" onClick={onEdit}>
          <EditIcon />
          <span className="sr-only">{t.editGroup}</span>
        </button>
      )}
      {other && other.user_id !== myId && <UserProfileButton user={other} />}
      <MuteButton chat={chat} />
      {chat.type === "group" && (
        <button
          className="icon-btn members-btn"
          title={t.membersTitle}
          aria-haspopup="dialog"
          onClick={onMembers}
        >
          <UsersIcon />
          <span className="sr-only">{t.membersTitle}</span>
        </button>
      )}
    </header>
  );
}
