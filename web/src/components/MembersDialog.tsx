import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef } from "react";
import type { ChatListItem } from "@charla/client";
import { chatsKey, dropChat } from "../cache.ts";
import { t } from "../i18n.ts";
import { PlusIcon } from "../icons.tsx";
import { useOnline } from "../live.tsx";
import { api } from "../session.ts";
import { useUserSearch } from "../user-search.ts";
import { errorText } from "../errors.ts";
import { Avatar } from "./Avatar.tsx";
import { chatTitle } from "../chats.ts";
import { openChat } from "../navigation.ts";
import { ConfirmAction } from "./ConfirmAction.tsx";
import { UserSearchField } from "./UserSearchField.tsx";
import { nameOf } from "../people.ts";

/**
 * A group's members, with presence and roles. The owner adds people found by search and
 * removes members; anyone may leave. The list follows live changes through the chat list.
 */
export function MembersDialog({
  chat,
  myId,
  onClose,
}: {
  chat: ChatListItem;
  myId: string;
  onClose: () => void;
}) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const queryClient = useQueryClient();
  const online = useOnline();
  const isOwner = chat.members.some((m) => m.user_id === myId && m.role === "owner");

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const { query, setQuery, users } = useUserSearch(isOwner);
  const memberIds = new Set(chat.members.map((m) => m.user_id));
  const candidates = (users.data ?? []).filter((u) => !memberIds.has(u.id));

  const refresh = () => queryClient.invalidateQueries({ queryKey: chatsKey });
  const add = useMutation({
    mutationFn: (userId: string) => api.addMember(chat.id, userId),
    onSuccess: () => {
      setQuery("");
      return refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (userId: string) => api.removeMember(chat.id, userId),
    onSuccess: refresh,
  });
  const leave = useMutation({
    mutationFn: () => api.removeMember(chat.id, myId),
    onSuccess: () => {
      dropChat(queryClient, chat.id);
      dialog.current?.close();
      openChat(null);
    },
  });
  const error = add.error ?? remove.error ?? leave.error;
  const busy = add.isPending || remove.isPending || leave.isPending;

  const members = [...chat.members].sort(
    (a, b) =>
      Number(b.role === "owner") - Number(a.role === "owner") ||
      a.username.localeCompare(b.username),
  );

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={`${id}-title`}
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop closes.
        if (e.target === dialog.current) dialog.current.close();
      }}
    >
      <div className="dialog-body">
        <header className="dialog-header">
          <h2 id={`${id}-title`}>{t.membersTitle}</h2>
          <button type="button" className="icon-btn" onClick={() => dialog.current?.close()}>
            <span aria-hidden="true">✕</span>
            <span className="sr-only">{t.close}</span>
          </button>
        </header>
        <p className="dialog-hint">
          {chatTitle(chat, myId)} · {t.members(chat.members.length)}
        </p>
        <ul className="user-results member-list" aria-label={t.membersTitle}>
          {members.map((member) => {
            const isOnline = online.has(member.user_id);
            const isMe = member.user_id === myId;
            return (
              <li key={member.user_id} className="member-row">
                <Avatar name={nameOf(member)} src={member.avatar_url} online={isOnline} size={34} />
                <span className="user-result-name">
                  {nameOf(member)}
                  {member.display_name && (
                    <span className="username-aside"> @{member.username}</span>
                  )}
                  {isMe && <span className="muted"> ({t.you})</span>}
                  <span className="sr-only">, {isOnline ? t.online : t.offline}</span>
                </span>
                <span className={`role-badge${member.role === "owner" ? " is-owner" : ""}`}>
                  {member.role === "owner" ? t.owner : t.member}
                </span>
                {isOwner && !isMe && (
                  <ConfirmAction
                    triggerClass="btn btn-small btn-ghost danger-text"
                    trigger={
                      <>
                        {t.remove}
                        <span className="sr-only"> {member.username}</span>
                      </>
                    }
                    question={t.removeQuestion(member.username)}
                    confirmLabel={t.remove}
                    disabled={busy}
                    onConfirm={() => remove.mutate(member.user_id)}
                  />
                )}
              </li>
            );
          })}
        </ul>
        {isOwner && (
          <>
            <UserSearchField
              id={`${id}-search`}
              label={t.addMembers}
              query={query}
              onChange={setQuery}
            />
            <ul
              className="user-results add-results"
              aria-label={t.peopleToAdd}
              aria-busy={users.isFetching}
            >
              {candidates.map((user) => (
                <li key={user.id} className="member-row">
                  <Avatar
                    name={nameOf(user)}
                    src={user.avatar_url}
                    online={user.online}
                    size={34}
                  />
                  <span className="user-result-name">{user.username}</span>
                  <button
                    type="button"
                    className="btn btn-small btn-secondary"
                    disabled={busy}
                    onClick={() => add.mutate(user.id)}
                  >
                    <PlusIcon />
                    <span>{t.add}</span>
                    <span className="sr-only"> {user.username}</span>
                  </button>
                </li>
              ))}
              {users.isSuccess && candidates.length === 0 && (
                <li className="muted user-results-empty">{t.noUsersFound}</li>
              )}
            </ul>
          </>
        )}
        {error && (
          <p className="form-error" role="alert">
            {errorText(error)}
          </p>
        )}
        <footer className="dialog-footer">
          <ConfirmAction
            triggerClass="btn btn-ghost danger-text"
            trigger={t.leaveGroup}
            question={t.leaveQuestion}
            confirmLabel={t.leave}
            disabled={busy}
            onConfirm={() => leave.mutate()}
          />
          <button type="button" className="btn btn-primary" onClick={() => dialog.current?.close()}>
            {t.done}
          </button>
        </footer>
      </div>
    </dialog>
  );
}
