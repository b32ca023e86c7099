import { lang } from "../../i18n.ts";

const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });

/** A date with its time, for lists that span days (reports, the audit log, invites). */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}
