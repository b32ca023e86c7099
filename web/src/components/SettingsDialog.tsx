import { useEffect, useId, useRef, useState } from "react";
import { t } from "../i18n.ts";
import { askNotificationPermission, notificationPermission } from "../notify.ts";
import { updateSettings, useSettings } from "../settings.ts";

/**
 * Notification settings: browser notifications (the permission is asked here, from the
 * click that turns them on) and a sound.
 */
export function SettingsDialog({ myId, onClose }: { myId: string; onClose: () => void }) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const settings = useSettings(myId);
  const [permission, setPermission] = useState(notificationPermission);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  async function toggleNotifications(on: boolean) {
    if (!on) return updateSettings(myId, { notifications: false });
    const answer = await askNotificationPermission();
    setPermission(answer);
    updateSettings(myId, { notifications: answer === "granted" });
  }

  const blocked = permission === "denied";
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={`${id}-title`}
      onClose={onClose}
      onClick={(e) => {
        if (e.target === dialog.current) dialog.current.close();
      }}
    >
      <div className="dialog-body">
        <header className="dialog-header">
          <h2 id={`${id}-title`}>{t.notificationSettings}</h2>
        </header>
        <div className="settings">
          <label className="toggle-row">
            <input
              type="checkbox"
              checked={settings.notifications && permission === "granted"}
              disabled={permission === "unsupported"}
              onChange={(e) => void toggleNotifications(e.target.checked)}
              autoFocus
            />
            <span>{t.showNotifications}</span>
          </label>
          {permission === "unsupported" && (
            <p className="dialog-hint">{t.notificationsUnsupported}</p>
          )}
          {blocked && (
            <p className="dialog-hint" role="status">
              {t.notificationsBlocked}
            </p>
          )}
          <label className="toggle-row">
            <input
              type="checkbox"
              checked={settings.sound}
              onChange={(e) => updateSettings(myId, { sound: e.target.checked })}
            />
            <span>{t.playSound}</span>
          </label>
          <p className="dialog-hint">{t.notificationsHint}</p>
        </div>
        <footer className="dialog-footer">
          <button type="button" className="btn btn-primary" onClick={() => dialog.current?.close()}>
            {t.done}
          </button>
        </footer>
      </div>
    </dialog>
  );
}
