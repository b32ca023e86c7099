import { useRef, useState } from "react";
import { t } from "../i18n.ts";
import { askNotificationPermission, notificationPermission } from "../notify.ts";
import { updateSettings, useSettings } from "../settings.ts";
import { Dialog } from "./Dialog.tsx";

/**
 * Notification settings: browser notifications (the permission is asked here, from the
 * click that turns them on) and a sound.
 */
export function SettingsDialog({ myId, onClose }: { myId: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const settings = useSettings(myId);
  const [permission, setPermission] = useState(notificationPermission);

  async function toggleNotifications(on: boolean) {
    if (!on) return updateSettings(myId, { notifications: false });
    const answer = await askNotificationPermission();
    setPermission(answer);
    updateSettings(myId, { notifications: answer === "granted" });
  }

  const blocked = permission === "denied";
  return (
    <Dialog dialogRef={dialog} title={t.notificationSettings} onClose={onClose} closeButton={false}>
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
    </Dialog>
  );
}
