import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ChatListItem } from "@charla/client";
import { chatsKey } from "../cache.ts";
import { t } from "../i18n.ts";
import { BellIcon, BellOffIcon } from "../icons.tsx";
import { api } from "../session.ts";

/** Mutes or unmutes the chat for the caller: a muted chat never notifies. */
export function MuteButton({ chat }: { chat: ChatListItem }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (muted: boolean) => api.setChatSettings(chat.id, { muted }),
    onSuccess: ({ muted }) =>
      queryClient.setQueryData<ChatListItem[]>(chatsKey, (chats) =>
        chats?.map((c) => (c.id === chat.id ? { ...c, muted } : c)),
      ),
  });
  const label = chat.muted ? t.unmuteChat : t.muteChat;
  return (
    <button
      className="icon-btn"
      title={label}
      aria-pressed={chat.muted}
      disabled={toggle.isPending}
      onClick={() => toggle.mutate(!chat.muted)}
    >
      {chat.muted ? <BellOffIcon /> : <BellIcon />}
      <span className="sr-only">{t.muteChat}</span>
    </button>
  );
}
