import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { DISPLAY_NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, type User } from "@charla/client";
import { chatsKey } from "../cache.ts";
import { errorText } from "../errors.ts";
import { t } from "../i18n.ts";
import { nameOf } from "../people.ts";
import { api, currentToken, logIn, logOut } from "../session.ts";
import { Avatar } from "./Avatar.tsx";

export const meKey = ["me"] as const;

/** The largest side sent: the server makes 256×256 of it, so more would only cost upload. */
const CROP_SIDE = 512;

/** A square from the centre of the picked image, drawn on a canvas (so EXIF stays home). */
async function cropSquare(file: File): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  const side = Math.min(bitmap.width, bitmap.height);
  const out = Math.min(side, CROP_SIDE);
  const canvas = document.createElement("canvas");
  canvas.width = out;
  canvas.height = out;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no canvas");
  context.drawImage(
    bitmap,
    (bitmap.width - side) / 2,
    (bitmap.height - side) / 2,
    side,
    side,
    0,
    0,
    out,
    out,
  );
  bitmap.close();
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no blob"))), "image/png"),
  );
}

async function uploadAvatar(blob: Blob): Promise<User> {
  // Raw body: the server reads the type from the bytes.
  const response = await fetch("/api/users/me/avatar", {
    method: "PUT",
    headers: { "content-type": blob.type || "application/octet-stream", ...authHeader() },
    body: blob,
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      error?: { message?: string };
    } | null;
    throw new Error(body?.error?.message ?? response.statusText);
  }
  return (await response.json()) as User;
}

function authHeader(): Record<string, string> {
  const token = currentToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * The caller's profile and account: display name, photo (cropped square here, before the
 * upload), password change, logging out other devices, and closing the account.
 */
export function ProfileDialog({ me, onClose }: { me: User; onClose: () => void }) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const queryClient = useQueryClient();
  const [displayName, setDisplayName] = useState(me.display_name ?? "");
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [othersPassword, setOthersPassword] = useState("");
  const [confirmName, setConfirmName] = useState("");
  const [deletePassword, setDeletePassword] = useState("");
  const [erase, setErase] = useState(false);
  const file = useRef<HTMLInputElement>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  async function run(action: () => Promise<string | null>) {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      setStatus(await action());
    } catch (caught) {
      setError(caught instanceof Error && caught.message ? caught.message : errorText(caught));
    } finally {
      setBusy(false);
    }
  }
  const updated = (user: User) => {
    queryClient.setQueryData(meKey, user);
    void queryClient.invalidateQueries({ queryKey: chatsKey });
  };

  const saveName = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      updated(await api.updateMe({ display_name: displayName.trim() || null }));
      return t.saved;
    });
  };
  const pickPhoto = (picked: File | undefined) => {
    if (!picked) return;
    void run(async () => {
      updated(await uploadAvatar(await cropSquare(picked)));
      return t.saved;
    });
  };
  const removePhoto = () =>
    void run(async () => {
      await fetch("/api/users/me/avatar", { method: "DELETE", headers: authHeader() });
      updated(await api.me());
      return t.saved;
    });
  const changePassword = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      logIn(await api.changePassword({ current_password: current, new_password: next }));
      setCurrent("");
      setNext("");
      return t.passwordChanged;
    });
  };
  // The contract's way to end every other session: a password change to the same password.
  const logOutOthers = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      logIn(
        await api.changePassword({
          current_password: othersPassword,
          new_password: othersPassword,
        }),
      );
      setOthersPassword("");
      return t.othersLoggedOut;
    });
  };
  const deleteAccount = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api.deleteAccount({ password: deletePassword, erase_messages: erase });
      logOut();
      return null;
    });
  };

  return (
    <dialog
      ref={dialog}
      className="dialog profile-dialog"
      aria-labelledby={`${id}-title`}
      onClose={onClose}
    >
      <div className="dialog-body">
        <header className="dialog-header">
          <h2 id={`${id}-title`}>{t.profile}</h2>
        </header>
        <div className="profile-photo">
          <Avatar name={nameOf(me)} src={me.avatar_url} size={96} />
          <div className="profile-photo-actions">
            <button
              type="button"
              className="btn btn-secondary"
              disabled={busy}
              onClick={() => file.current?.click()}
            >
              {t.changePhoto}
            </button>
            {me.avatar_url && (
              <button
                type="button"
                className="btn btn-secondary"
                disabled={busy}
                onClick={removePhoto}
              >
                {t.removePhoto}
              </button>
            )}
            <input
              ref={file}
              type="file"
              accept="image/png,image/jpeg,image/webp,image/gif"
              hidden
              aria-label={t.changePhoto}
              onChange={(e) => pickPhoto(e.target.files?.[0])}
            />
            <p className="dialog-hint">{t.cropHint}</p>
          </div>
        </div>
        <form onSubmit={saveName} className="profile-form">
          <label htmlFor={`${id}-name`}>{t.displayName}</label>
          <input
            id={`${id}-name`}
            value={displayName}
            maxLength={DISPLAY_NAME_MAX}
            placeholder={me.username}
            onChange={(e) => setDisplayName(e.target.value)}
          />
          <p className="dialog-hint">{t.displayNameHint}</p>
          <button className="btn btn-primary" disabled={busy}>
            {t.save}
          </button>
        </form>
        <form onSubmit={changePassword} className="profile-form">
          <h3>{t.changePassword}</h3>
          <label htmlFor={`${id}-current`}>{t.currentPassword}</label>
          <input
            id={`${id}-current`}
            type="password"
            autoComplete="current-password"
            value={current}
            required
            onChange={(e) => setCurrent(e.target.value)}
          />
          <label htmlFor={`${id}-new`}>{t.newPassword}</label>
          <input
            id={`${id}-new`}
            type="password"
            autoComplete="new-password"
            minLength={PASSWORD_MIN}
            maxLength={PASSWORD_MAX}
            value={next}
            required
            onChange={(e) => setNext(e.target.value)}
          />
          <button className="btn btn-secondary" disabled={busy}>
            {t.changePassword}
          </button>
        </form>
        <form onSubmit={logOutOthers} className="profile-form">
          <h3>{t.logOutOthers}</h3>
          <p className="dialog-hint">{t.logOutOthersHint}</p>
          <input
            type="password"
            aria-label={t.password}
            autoComplete="current-password"
            value={othersPassword}
            required
            onChange={(e) => setOthersPassword(e.target.value)}
          />
          <button className="btn btn-secondary" disabled={busy}>
            {t.logOutOthers}
          </button>
        </form>
        <form onSubmit={deleteAccount} className="profile-form profile-danger">
          <h3>{t.deleteAccount}</h3>
          <p className="dialog-hint">{t.deleteAccountHint(me.username)}</p>
          <input
            aria-label={t.typeToConfirm}
            placeholder={t.typeToConfirm}
            value={confirmName}
            onChange={(e) => setConfirmName(e.target.value)}
          />
          <input
            type="password"
            aria-label={t.password}
            autoComplete="current-password"
            value={deletePassword}
            required
            onChange={(e) => setDeletePassword(e.target.value)}
          />
          <label className="toggle-row">
            <input type="checkbox" checked={erase} onChange={(e) => setErase(e.target.checked)} />
            <span>{t.eraseMessages}</span>
          </label>
          <button className="btn btn-danger" disabled={busy || confirmName !== me.username}>
            {t.deleteAccount}
          </button>
        </form>
        {status && (
          <p className="dialog-hint" role="status">
            {status}
          </p>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <footer className="dialog-footer">
          <button type="button" className="btn btn-primary" onClick={() => dialog.current?.close()}>
            {t.done}
          </button>
        </footer>
      </div>
    </dialog>
  );
}
