import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import {
  CHAT_DESCRIPTION_MAX,
  CHAT_NAME_MAX,
  type ChatListItem,
  type PatchChat,
} from "@charla/client";
import { chatsKey } from "../cache.ts";
import { errorText } from "../errors.ts";
import { t } from "../i18n.ts";
import { api } from "../session.ts";
import { Dialog, SubmitFooter } from "./Dialog.tsx";
import "./ChatDetailsDialog.css";

/** Who may rename a group and change its description (the server checks it again). */
export function canEditChat(chat: ChatListItem, myId: string): boolean {
  const role = chat.members.find((m) => m.user_id === myId)?.role;
  return chat.type === "group" && (role === "owner" || role === "admin");
}

/**
 * A group's name and description, for its owner and admins. Saved with PATCH; every member
 * (this tab too) gets `chat:updated`, which refreshes the chat list.
 */
export function ChatDetailsDialog({ chat, onClose }: { chat: ChatListItem; onClose: () => void }) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const queryClient = useQueryClient();
  const [name, setName] = useState(chat.name ?? "");
  const [description, setDescription] = useState(chat.description ?? "");

  const save = useMutation({
    mutationFn: (changes: PatchChat) => api.updateChat(chat.id, changes),
    onSuccess: (updated) => {
      // Shown at once; chat:updated brings the same to the other members.
      queryClient.setQueryData<ChatListItem[]>(chatsKey, (chats) =>
        chats?.map((c) =>
          c.id === updated.id ? { ...c, name: updated.name, description: updated.description } : c,
        ),
      );
      dialog.current?.close();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const changes: PatchChat = {};
    const nextName = name.trim();
    const nextDescription = description.trim() || null;
    if (nextName && nextName !== chat.name) changes.name = nextName;
    if (nextDescription !== chat.description) changes.description = nextDescription;
    if (Object.keys(changes).length === 0) return dialog.current?.close();
    save.mutate(changes);
  }

  return (
    <Dialog dialogRef={dialog} title={t.editGroup} onClose={onClose} onSubmit={submit} focusField>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t.groupName}</label>
        <input
          id={`${id}-name`}
          value={name}
          maxLength={CHAT_NAME_MAX}
          required
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>{t.groupDescription}</label>
        <textarea
          id={`${id}-description`}
          className="chat-description-field"
          value={description}
          maxLength={CHAT_DESCRIPTION_MAX}
          rows={3}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <SubmitFooter
        dialogRef={dialog}
        error={save.error ? errorText(save.error) : null}
        submitLabel={t.save}
        disabled={save.isPending || !name.trim()}
      />
    </Dialog>
  );
}
