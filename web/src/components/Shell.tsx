import { useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useState } from "react";
import type { Chat, ChatListItem } from "@charla/client";
import { chatsKey } from "../cache.ts";
import { t } from "../i18n.ts";
import { BellIcon, LogOutIcon, PlusIcon, ShieldIcon, WifiOffIcon } from "../icons.tsx";
import { useNotifications, useUnreadTotal } from "../hooks/useNotifications.ts";
import { useConnection } from "../live.tsx";
import {
  openAdminPage,
  openChat,
  useActiveChatId,
  useAdminPageOpen,
  useJump,
} from "../navigation.ts";
import { api, logOut, type Session } from "../session.ts";
import { nameOf } from "../people.ts";
import { Avatar } from "./Avatar.tsx";
import { ChatFilter } from "./ChatFilter.tsx";
import { ChatList } from "./ChatList.tsx";
import { ChatView } from "./ChatView.tsx";
import { NewChatDialog } from "./NewChatDialog.tsx";
import { SearchDialog, SearchIcon } from "./SearchDialog.tsx";
import { meKey, ProfileDialog } from "./ProfileDialog.tsx";
import { SettingsDialog } from "./SettingsDialog.tsx";

// Only admins open it: its code loads when first shown.
const AdminPage = lazy(() =>
  import("./admin/AdminPage.tsx").then((module) => ({ default: module.AdminPage })),
);

function ConnectionBanner() {
  const { state, client } = useConnection();
  // The first connection is not news; a lost one is.
  if (state === "connected" || state === "connecting") return null;
  return (
    <div className={`banner banner-${state}`} role="status" aria-live="polite">
      <WifiOffIcon />
      <span>{state === "reconnecting" ? t.reconnecting : t.disconnected}</span>
      {state === "disconnected" && (
        <button className="btn btn-small" onClick={() => client.reconnect()}>
          {t.reconnect}
        </button>
      )}
    </div>
  );
}

export function Shell({ session }: { session: Session }) {
  const queryClient = useQueryClient();
  const { setActiveChat, client } = useConnection();
  const activeChatId = useActiveChatId();
  const adminOpen = useAdminPageOpen();
  const [newChatOpen, setNewChatOpen] = useState(false);
  const [filter, setFilter] = useState("");
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [profileOpen, setProfileOpen] = useState(false);
  const [searchOpen, setSearchOpen] = useState(false);
  const jump = useJump();
  // The caller as the server has them now (display name, photo): kept fresh by user:updated.
  const me = useQuery({ queryKey: meKey, queryFn: () => api.me() }).data ?? session.user;
  const chats = useQuery({ queryKey: chatsKey, queryFn: () => api.listChats() });
  const activeChat = chats.data?.find((c) => c.id === activeChatId) ?? null;

  useEffect(() => {
    setActiveChat(activeChat?.id ?? null);
  }, [activeChat?.id, setActiveChat]);
  useNotifications(session.user.id, activeChat?.id ?? null);
  // Ctrl+K (⌘K on a Mac) searches every chat, wherever the focus is.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setSearchOpen(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  useUnreadTotal(chats.data);

  async function signOut() {
    client.close();
    await api.logout().catch(() => undefined);
    logOut();
  }

  function chatCreated(chat: Chat) {
    queryClient.setQueryData<ChatListItem[]>(chatsKey, (list = []) =>
      list.some((c) => c.id === chat.id)
        ? list
        : [
            {
              ...chat,
              last_message: null,
              unread_count: 0,
              mention_count: 0,
              muted: false,
              last_read_seq: 0,
            },
            ...list,
          ],
    );
    client.track(chat.id, 0);
    setNewChatOpen(false);
    openChat(chat.id);
  }

  return (
    <div className={`shell${activeChat || adminOpen ? " has-chat" : ""}`}>
      <ConnectionBanner />
      <aside className="sidebar" aria-label={t.chats}>
        <header className="sidebar-header">
          <div className="me">
            <button
              type="button"
              className="me-button"
              onClick={() => setProfileOpen(true)}
              title={t.profile}
              aria-haspopup="dialog"
            >
              <Avatar name={nameOf(me)} src={me.avatar_url} size={36} />
              <span className="me-text">
                <span className="brand">{t.appName}</span>
                <span className="me-name">{nameOf(me)}</span>
              </span>
              {/* The name says what the button opens and keeps the visible text in it (WCAG 2.5.3). */}
              <span className="sr-only">{t.profile}</span>
            </button>
          </div>
          {me.role === "admin" && (
            <button className="icon-btn" onClick={openAdminPage} title={t.admin.title}>
              <ShieldIcon />
              <span className="sr-only">{t.admin.title}</span>
            </button>
          )}
          <button
            className="icon-btn"
            onClick={() => setSearchOpen(true)}
            title={`${t.searchMessages} (Ctrl+K)`}
            aria-haspopup="dialog"
            aria-keyshortcuts="Control+K Meta+K"
          >
            <SearchIcon />
            <span className="sr-only">{t.searchMessages}</span>
          </button>
          <button
            className="icon-btn"
            onClick={() => setSettingsOpen(true)}
            title={t.notificationSettings}
            aria-haspopup="dialog"
          >
            <BellIcon />
            <span className="sr-only">{t.notificationSettings}</span>
          </button>
          <button className="icon-btn" onClick={() => void signOut()} title={t.logOut}>
            <LogOutIcon />
            <span className="sr-only">{t.logOut}</span>
          </button>
        </header>
        <div className="sidebar-actions">
          <button className="btn btn-primary btn-block" onClick={() => setNewChatOpen(true)}>
            <PlusIcon />
            <span>{t.newChat}</span>
          </button>
        </div>
        {(chats.data?.length ?? 0) > 0 && <ChatFilter value={filter} onChange={setFilter} />}
        <ChatList
          chats={chats.data ?? []}
          activeChatId={activeChat?.id ?? null}
          myId={session.user.id}
          filter={filter}
          onOpen={openChat}
        />
      </aside>
      <main className="main">
        {adminOpen ? (
          <Suspense fallback={<div className="splash">{t.connecting}</div>}>
            <AdminPage me={me} />
          </Suspense>
        ) : activeChat ? (
          <ChatView
            // A jump from search opens the chat afresh at the message.
            key={`${activeChat.id}:${jump?.chatId === activeChat.id ? jump.nonce : 0}`}
            chat={activeChat}
            me={session.user}
            jump={jump?.chatId === activeChat.id ? jump : null}
          />
        ) : (
          <div className="empty-main">
            <div className="empty-illustration" aria-hidden="true">
              💬
            </div>
            <p>{t.pickChat}</p>
          </div>
        )}
      </main>
      {searchOpen && (
        <SearchDialog
          chats={chats.data ?? []}
          myId={session.user.id}
          onClose={() => setSearchOpen(false)}
        />
      )}
      {profileOpen && <ProfileDialog me={me} onClose={() => setProfileOpen(false)} />}
      {settingsOpen && (
        <SettingsDialog myId={session.user.id} onClose={() => setSettingsOpen(false)} />
      )}
      {newChatOpen && (
        <NewChatDialog
          myId={session.user.id}
          onClose={() => setNewChatOpen(false)}
          onCreated={chatCreated}
        />
      )}
    </div>
  );
}
