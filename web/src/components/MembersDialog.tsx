import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useId, useRef, useState } from "react";
import type { ChatListItem, ChatMember } from "@charla/client";
import { adminApi } from "../admin-api.ts";
import { chatsKey, dropChat, webhooksKey } from "../cache.ts";
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
import { UserProfileDialog, type ProfileUser } from "./UserProfileDialog.tsx";
import { Dialog } from "./Dialog.tsx";

// Its own chunk: few people manage webhooks, and the main bundle is near its budget.
const GroupWebhooks = lazy(() => import("./GroupWebhooks.tsx"));

const RANK: Record<ChatMember["role"], number> = { owner: 0, admin: 1, member: 2 };

/**
 * A group's members, with presence and roles. The owner and the group's admins add people
 * found by search and remove members (not the owner); the owner makes members admins and
 * back; they also manage the group's incoming webhooks, whose bots they see listed under
 * the webhook's name; anyone may leave, and open a member's profile (to block them). The list
 * follows live changes through the chat list.
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
  const myRole = chat.members.find((m) => m.user_id === myId)?.role;
  const isOwner = myRole === "owner";
  // What the server allows (src/server/domain/roles.ts canManageGroup).
  const canManage = myRole === "owner" || myRole === "admin";
  const [profile, setProfile] = useState<ProfileUser | null>(null);
  const [showWebhooks, setShowWebhooks] = useState(false);

  // GroupWebhooks' own query, so that a webhook made or deleted there shows here at once.
  // Only the owner and admins may list them; to others a webhook's bot is a member like any.
  const webhooks = useQuery({
    queryKey: webhooksKey(chat.id),
    queryFn: () => adminApi.incomingWebhooks(chat.id),
    enabled: canManage,
  });
  const hookNames = new Map((webhooks.data ?? []).map((hook) => [hook.bot_id, hook.name]));

  const { query, setQuery, users } = useUserSearch(canManage);
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
    // A webhook's bot takes its webhook with it (the server deletes both).
    onSuccess: () =>
      Promise.all([refresh(), queryClient.invalidateQueries({ queryKey: webhooksKey(chat.id) })]),
  });
  const setRole = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: "admin" | "member" }) =>
      adminApi.setMemberRole(chat.id, userId, role),
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
  const error = add.error ?? remove.error ?? setRole.error ?? leave.error;
  const busy = add.isPending || remove.isPending || setRole.isPending || leave.isPending;

  const members = [...chat.members].sort(
    (a, b) => RANK[a.role] - RANK[b.role] || a.username.localeCompare(b.username),
  );

  return (
    <>
      {/* A sibling, not a child: the profile's own close must not reach this dialog. */}
      {profile && <UserProfileDialog user={profile} onClose={() => setProfile(null)} />}
      {showWebhooks && canManage && (
        <Suspense fallback={null}>
          <GroupWebhooks chat={chat} myId={myId} onClose={() => setShowWebhooks(false)} />
        </Suspense>
      )}
      <Dialog dialogRef={dialog} title={t.membersTitle} onClose={onClose}>
        <p className="dialog-hint">
          {chatTitle(chat, myId)} · {t.members(chat.members.length)}
        </p>
        <ul className="user-results member-list" aria-label={t.membersTitle}>
          {members.map((member) => {
            const isOnline = online.has(member.user_id);
            const isMe = member.user_id === myId;
            // A webhook's bot has a random username (domain/incoming-webhooks.ts): the
            // webhook's name is the one its managers know it by.
            const hook = hookNames.get(member.user_id);
            const name = hook ?? nameOf(member);
            const label = hook ?? member.username;
            return (
              <li key={member.user_id} className="member-row">
                <Avatar name={name} src={member.avatar_url} online={isOnline} size={34} />
                <span className="user-result-name">
                  {isMe ? (
                    nameOf(member)
                  ) : (
                    <button
                      type="button"
                      className="link-btn member-name-btn"
                      aria-haspopup="dialog"
                      onClick={() => setProfile(member)}
                    >
                      {name}
                    </button>
                  )}
                  {hook !== undefined && <span className="muted"> ({t.hooks.bot})</span>}
                  {member.display_name && hook === undefined && (
                    <span className="username-aside"> @{member.username}</span>
                  )}
                  {isMe && <span className="muted"> ({t.you})</span>}
                  <span className="sr-only">, {isOnline ? t.online : t.offline}</span>
                </span>
                <span className={`role-badge${member.role === "member" ? "" : " is-owner"}`}>
                  {member.role === "owner"
                    ? t.owner
                    : member.role === "admin"
                      ? t.mod.groupAdmin
                      : t.member}
                </span>
                <span className="member-actions">
                  {isOwner && !isMe && (
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      disabled={busy}
                      onClick={() =>
                        setRole.mutate({
                          userId: member.user_id,
                          role: member.role === "admin" ? "member" : "admin",
                        })
                      }
                    >
                      {member.role === "admin" ? t.mod.removeAdmin : t.mod.makeAdmin}
                      <span className="sr-only"> {label}</span>
                    </button>
                  )}
                  {canManage && !isMe && member.role !== "owner" && (
                    <ConfirmAction
                      triggerClass="btn btn-small btn-ghost danger-text"
                      trigger={
                        <>
                          {t.remove}
                          <span className="sr-only"> {label}</span>
                        </>
                      }
                      question={
                        hook === undefined
                          ? t.removeQuestion(member.username)
                          : t.hooks.removeQuestion(hook)
                      }
                      confirmLabel={t.remove}
                      disabled={busy}
                      onConfirm={() => remove.mutate(member.user_id)}
                    />
                  )}
                </span>
              </li>
            );
          })}
        </ul>
        {isOwner && <p className="dialog-hint">{t.mod.rolesHint}</p>}
        {canManage && (
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
              {/* Nothing typed yet, and everyone listed is a member already: no "nobody
                  found", since nobody was looked for. */}
              {users.isSuccess && candidates.length === 0 && query.trim() !== "" && (
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
          {canManage && (
            <button
              type="button"
              className="btn btn-secondary"
              aria-haspopup="dialog"
              onClick={() => setShowWebhooks(true)}
            >
              {t.hooks.title}
            </button>
          )}
          <button type="button" className="btn btn-primary" onClick={() => dialog.current?.close()}>
            {t.done}
          </button>
        </footer>
      </Dialog>
    </>
  );
}
