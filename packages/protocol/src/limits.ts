/**
 * The contract's size limits, as plain numbers: the schemas are built from them, and clients
 * (the web client's form fields, a third party's UI) show the same bounds before sending.
 * No dependencies, so @charla/client can carry this module as is.
 */

/** A message body, counted in characters after trimming. */
export const MESSAGE_BODY_MAX = 4000;
export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
/** A group's name. */
export const CHAT_NAME_MAX = 100;
/** A search's text. */
export const SEARCH_QUERY_MAX = 200;
/** A chat's description. */
export const CHAT_DESCRIPTION_MAX = 500;
/** A reply's quote of the original: its first characters. */
export const REPLY_QUOTE_MAX = 200;
/** Distinct emoji on one message. */
export const REACTIONS_PER_MESSAGE_MAX = 20;
/** Users listed per emoji in a message's `reactions` (the count goes on). */
export const REACTION_USER_IDS_MAX = 20;
/** UTF-16 units of one emoji sequence (the longest RGI sequences are 14). */
export const EMOJI_MAX_LENGTH = 32;
/** A report's reason, counted in characters after trimming. */
export const REPORT_REASON_MAX = 500;
/** A user's display name, counted in characters after trimming. */
export const DISPLAY_NAME_MAX = 64;
/** An incoming webhook's name, counted in characters after trimming. */
export const WEBHOOK_NAME_MAX = 80;
/** An outgoing webhook's URL, in characters. */
export const WEBHOOK_URL_MAX = 2048;
/** An outgoing webhook's signing secret, in characters. */
export const WEBHOOK_SECRET_MAX = 512;
/** Attachments on one message. */
export const ATTACHMENTS_PER_MESSAGE_MAX = 10;
/** MAX_UPLOAD_BYTES' default: one uploaded file (25 MiB). */
export const UPLOAD_DEFAULT_MAX_BYTES = 25 * 1024 * 1024;
