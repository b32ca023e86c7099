/**
 * What reaches the user outside the page: browser notifications, a chime, and the unread
 * total in the tab's title and favicon. Each degrades to nothing where the browser lacks it.
 */
import { t } from "./i18n.ts";

export const notificationsSupported = () => typeof Notification !== "undefined";

/** "granted", "denied", "default", or "unsupported". */
export function notificationPermission(): NotificationPermission | "unsupported" {
  return notificationsSupported() ? Notification.permission : "unsupported";
}

/** Asks for permission: call it only from a click (browsers ignore or punish other calls). */
export async function askNotificationPermission(): Promise<NotificationPermission | "unsupported"> {
  if (!notificationsSupported()) return "unsupported";
  if (Notification.permission !== "default") return Notification.permission;
  return Notification.requestPermission();
}

/** One notification per chat at a time (`tag`): a busy chat replaces its own. */
export function showNotification(options: {
  chatId: string;
  title: string;
  body: string;
  onClick: () => void;
}): void {
  if (notificationPermission() !== "granted") return;
  try {
    const notification = new Notification(options.title, {
      body: options.body,
      tag: options.chatId,
      icon: "/favicon.svg",
    });
    notification.onclick = () => {
      window.focus();
      options.onClick();
      notification.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker: nothing shows.
  }
}

let audio: AudioContext | null = null;
let lastChime = 0;

/** A short two-note chime, synthesised (no sound file to fetch), at most every 1.5 s. */
export function playChime(): void {
  const now = Date.now();
  if (now - lastChime < 1500 || typeof AudioContext === "undefined") return;
  lastChime = now;
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    for (const [i, frequency] of [880, 1320].entries()) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.15, start + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.12 + 0.25);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + i * 0.12);
      oscillator.stop(start + i * 0.12 + 0.3);
    }
  } catch {
    // No audio output: silence.
  }
}

/** The unread total in the tab: "(3) Charla" and a favicon with a dot. */
export function showUnreadTotal(total: number): void {
  document.title = total > 0 ? `(${total > 99 ? "99+" : total}) ${t.appName}` : t.appName;
  const icon = document.querySelector<HTMLLinkElement>("link[rel='icon']");
  // A static file rather than a drawn data: URL, so the page needs no `img-src data:`.
  const href = total > 0 ? "/favicon-unread.svg" : "/favicon.svg";
  if (icon && icon.getAttribute("href") !== href) icon.setAttribute("href", href);
}
