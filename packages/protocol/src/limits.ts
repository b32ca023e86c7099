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
