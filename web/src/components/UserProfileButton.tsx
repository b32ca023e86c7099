import { useState } from "react";
import { t } from "../i18n.ts";
import { UserIcon } from "../icons.tsx";
import { UserProfileDialog, type ProfileUser } from "./UserProfileDialog.tsx";
import "./moderation.css";

/** A direct chat's way to the other person's profile (and to blocking them). */
export function UserProfileButton({ user }: { user: ProfileUser }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        className="icon-btn profile-btn"
        title={t.mod.viewProfile}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        <UserIcon />
        <span className="sr-only">{t.mod.viewProfile}</span>
      </button>
      {open && <UserProfileDialog user={user} onClose={() => setOpen(false)} />}
    </>
  );
}
