import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { adminApi, adminKey } from "../../admin-api.ts";
import { errorText } from "../../errors.ts";
import { t } from "../../i18n.ts";
import { nameOf } from "../../people.ts";
import { Avatar } from "../Avatar.tsx";
import { ConfirmAction } from "../ConfirmAction.tsx";
import { UserSearchField } from "../UserSearchField.tsx";
import { useDeactivation } from "./useDeactivation.ts";

/** Every account (deactivated ones too), searched by username, with its state and role. */
export function AdminUsers({ myId }: { myId: string }) {
  const id = useId();
  const [query, setQuery] = useState("");
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), 200);
    return () => clearTimeout(timer);
  }, [query]);
  const users = useQuery({
    queryKey: [...adminKey, "users", debounced],
    queryFn: () => adminApi.users(debounced ? { q: debounced } : {}),
    placeholderData: (previous) => previous,
  });
  const change = useDeactivation();
  const error = users.error ?? change.error;

  return (
    <div className="admin-section">
      <UserSearchField id={`${id}-q`} label={t.admin.findUsers} query={query} onChange={setQuery} />
      <ul className="admin-list" aria-label={t.admin.users} aria-busy={users.isFetching}>
        {users.data?.map((user) => {
          const name = nameOf(user);
          const active = user.deactivated_at === null;
          return (
            <li key={user.id} className={`admin-row${active ? "" : " is-deactivated"}`}>
              <Avatar name={name} src={user.avatar_url} size={36} />
              <span className="admin-row-text">
                <span className="admin-row-name">
                  {name}
                  {user.display_name && <span className="username-aside"> @{user.username}</span>}
                  {user.id === myId && <span className="muted"> ({t.you})</span>}
                </span>
                <span className="admin-badges">
                  {user.role === "admin" && (
                    <span className="role-badge is-owner">{t.admin.roleAdmin}</span>
                  )}
                  {user.bot && <span className="role-badge">{t.admin.bot}</span>}
                  {!active && <span className="role-badge is-danger">{t.admin.deactivated}</span>}
                </span>
              </span>
              {user.id !== myId &&
                (active ? (
                  <ConfirmAction
                    triggerClass="btn btn-small btn-ghost danger-text"
                    trigger={
                      <>
                        {t.admin.deactivate}
                        <span className="sr-only"> {user.username}</span>
                      </>
                    }
                    question={t.admin.deactivateQuestion(user.username)}
                    confirmLabel={t.admin.deactivate}
                    disabled={change.isPending}
                    onConfirm={() => change.mutate({ userId: user.id, active: false })}
                  />
                ) : (
                  <button
                    type="button"
                    className="btn btn-small btn-secondary"
                    disabled={change.isPending}
                    onClick={() => change.mutate({ userId: user.id, active: true })}
                  >
                    {t.admin.reactivate}
                    <span className="sr-only"> {user.username}</span>
                  </button>
                ))}
            </li>
          );
        })}
        {users.isSuccess && users.data.length === 0 && (
          <li className="muted admin-empty">{t.noUsersFound}</li>
        )}
      </ul>
      {error && (
        <p className="form-error" role="alert">
          {errorText(error)}
        </p>
      )}
    </div>
  );
}
