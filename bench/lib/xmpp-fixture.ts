/** Accounts and rooms of the XMPP servers under test (Prosody, ejabberd): the same for both. */
import type { ClientSpec } from "./setup.ts";
import type { XmppAuth } from "./xmpp-driver.ts";

export const XMPP_DOMAIN = "bench.localhost";
export const MUC_DOMAIN = `rooms.${XMPP_DOMAIN}`;
export const XMPP_PASSWORD = "bench-password";

/** User `i`'s account name. */
export const xmppUser = (i: number): string => `u${i}`;

/** Client `k` of `count`: user `u<k % users>`, in room `r<user / room>`. */
export function xmppSpecs(port: number, users: number, room: number, count: number): ClientSpec[] {
  const specs: ClientSpec[] = [];
  for (let k = 0; k < count; k++) {
    const user = k % users;
    const auth: XmppAuth = {
      service: `xmpp://127.0.0.1:${port}`,
      domain: XMPP_DOMAIN,
      username: xmppUser(user),
      password: XMPP_PASSWORD,
      room: `r${Math.floor(user / room)}@${MUC_DOMAIN}`,
    };
    specs.push({ auth: { ...auth }, userId: auth.username, chatId: auth.room });
  }
  return specs;
}
