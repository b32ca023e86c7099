/**
 * Invite links (CONTRACT.md: `POST /api/invites` answers a `url`, the web client's
 * `/register?invite=<code>`): what the page was opened with, and the code in what someone
 * pasted, a whole link or the code alone.
 */

/** The page was opened as the register page: `/register`, or any address with `?invite=`. */
export function openedToRegister(): boolean {
  return window.location.pathname === "/register" || inviteInUrl() !== null;
}

/** The invite code in the page's address, or null. */
export function inviteInUrl(): string | null {
  return new URLSearchParams(window.location.search).get("invite");
}

/** `https://host/register?invite=abc` → `abc`; `abc` → `abc`; blank → undefined. */
export function inviteCode(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    const fromLink = new URL(trimmed).searchParams.get("invite");
    if (fromLink) return fromLink;
  } catch {
    // Not a link: the code itself.
  }
  return trimmed;
}

/**
 * Back to `/` once the invite is used (or the user goes to log in): the code leaves the
 * address bar, and a reload does not show the register page again.
 */
export function leaveRegisterPage(): void {
  if (window.location.pathname !== "/" || window.location.search) {
    window.history.replaceState(null, "", `/${window.location.hash}`);
  }
}
