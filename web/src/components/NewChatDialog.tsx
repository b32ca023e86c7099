import { useMutation } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { CHAT_NAME_MAX, type Chat, type UserListItem } from "@charla/client";
import { errorText } from "../errors.ts";
import { t } from "../i18n.ts";
import { CheckIcon } from "../icons.tsx";
import { api } from "../session.ts";
import { useUserSearch } from "../user-search.ts";
import { Avatar } from "./Avatar.tsx";
import { UserSearchField } from "./UserSearchField.tsx";
import { nameOf } from "../people.ts";
import { Dialog, SubmitFooter } from "./Dialog.tsx";

/** Search users; one picked starts a direct chat, several a group (which needs a name). */
export function NewChatDialog({
  myId,
  onClose,
  onCreated,
}: {
  myId: string;
  onClose: () => void;
  onCreated: (chat: Chat) => void;
}) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [picked, setPicked] = useState<UserListItem[]>([]);
  const [groupName, setGroupName] = useState("");

  const { query, setQuery, users } = useUserSearch();
  const results = (users.data ?? []).filter((u) => u.id !== myId);

  const create = useMutation({
    mutationFn: () =>
      picked.length === 1
        ? api.createChat({ type: "direct", member_ids: [picked[0]!.id] })
        : api.createChat({
            type: "group",
            name: groupName.trim(),
            member_ids: picked.map((u) => u.id),
          }),
    onSuccess: onCreated,
  });

  function toggle(user: UserListItem) {
    setPicked((list) =>
      list.some((u) => u.id === user.id) ? list.filter((u) => u.id !== user.id) : [...list, user],
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (picked.length === 0 || (picked.length > 1 && !groupName.trim())) return;
    create.mutate();
  }

  const isGroup = picked.length > 1;
  return (
    <Dialog dialogRef={dialog} title={t.newChat} onClose={onClose} onSubmit={submit} focusField>
      <p className="dialog-hint">{t.directHint}</p>
      <UserSearchField
        id={`${id}-search`}
        label={t.searchUsers}
        query={query}
        onChange={setQuery}
        autoFocus
      />
      {picked.length > 0 && (
        <ul className="chips" aria-label={t.selected}>
          {picked.map((user) => (
            <li key={user.id} className="chip">
              {user.username}
              <button type="button" onClick={() => toggle(user)}>
                <span aria-hidden="true">✕</span>
                <span className="sr-only">
                  {t.remove} {user.username}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <ul className="user-results" aria-busy={users.isFetching}>
        {results.map((user) => {
          const checked = picked.some((u) => u.id === user.id);
          return (
            <li key={user.id}>
              <label className={`user-result${checked ? " is-picked" : ""}`}>
                <input
                  type="checkbox"
                  className="overlay-input"
                  checked={checked}
                  onChange={() => toggle(user)}
                />
                <Avatar name={nameOf(user)} src={user.avatar_url} online={user.online} size={34} />
                <span className="user-result-name">
                  {nameOf(user)}
                  {user.display_name && <span className="username-aside"> @{user.username}</span>}
                </span>
                <span className="check" aria-hidden="true">
                  {checked && <CheckIcon />}
                </span>
              </label>
            </li>
          );
        })}
        {users.isSuccess && results.length === 0 && (
          <li className="muted user-results-empty">{t.noUsersFound}</li>
        )}
      </ul>
      {isGroup && (
        <div className="field">
          <label htmlFor={`${id}-name`}>{t.groupName}</label>
          <input
            id={`${id}-name`}
            required
            maxLength={CHAT_NAME_MAX}
            value={groupName}
            onChange={(e) => setGroupName(e.target.value)}
          />
        </div>
      )}
      <SubmitFooter
        dialogRef={dialog}
        error={create.isError ? errorText(create.error) : null}
        submitLabel={isGroup ? t.createGroup : t.startChat}
        disabled={picked.length === 0 || (isGroup && !groupName.trim()) || create.isPending}
      />
    </Dialog>
  );
}
