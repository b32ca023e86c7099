import { useRef } from "react";
import { useBlocks } from "../blocks.ts";
import { errorText } from "../errors.ts";
import { t } from "../i18n.ts";
import { useOnline } from "../live.tsx";
import { nameOf } from "../people.ts";
import { Avatar } from "./Avatar.tsx";
import { Dialog } from "./Dialog.tsx";
import "./moderation.css";

/** Who someone else is (name, photo, presence), and blocking or unblocking them. */
export interface ProfileUser {
  user_id: string;
  username: string;
  display_name: string | null;
  avatar_url: string | null;
}

export function UserProfileDialog({ user, onClose }: { user: ProfileUser; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const online = useOnline().has(user.user_id);
  const blocks = useBlocks();
  const blocked = blocks.isBlocked(user.user_id);
  const name = nameOf(user);

  return (
    <Dialog dialogRef={dialog} title={t.mod.profileOf(name)} onClose={onClose}>
      <div className="profile-photo">
        <Avatar name={name} src={user.avatar_url} online={online} size={72} />
        <div>
          <p className="profile-name">{name}</p>
          <p className="muted">
            @{user.username} · {online ? t.online : t.offline}
            {blocked && <> · {t.mod.blocked}</>}
          </p>
        </div>
      </div>
      <p className="dialog-hint">{t.mod.blockHint}</p>
      {blocks.error && (
        <p className="form-error" role="alert">
          {errorText(blocks.error)}
        </p>
      )}
      <footer className="dialog-footer">
        <button
          type="button"
          className={`btn ${blocked ? "btn-secondary" : "btn-ghost danger-text"}`}
          disabled={blocks.pending}
          onClick={() => blocks.setBlocked(user.user_id, !blocked)}
        >
          {blocked ? t.mod.unblock : t.mod.block}
          <span className="sr-only"> {user.username}</span>
        </button>
        <button type="button" className="btn btn-primary" onClick={() => dialog.current?.close()}>
          {t.done}
        </button>
      </footer>
    </Dialog>
  );
}
