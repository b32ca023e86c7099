/**
 * Mentions: `@username` of a member of the chat, in any letter case, after the start of the
 * body or a character that cannot be part of a username; where several member usernames
 * match at one `@` (`@ana` and `@anabel`), the longest wins.
 */

/** A character a username may contain (the registration rule: A–Z, a–z, 0–9, _ . -). */
const USERNAME_CHAR = /[A-Za-z0-9_.-]/;

export interface Mentionable {
  user_id: string;
  username: string;
}

/** The members a body mentions, each once, in the order first mentioned. */
export function findMentions(body: string, members: readonly Mentionable[]): string[] {
  if (!body.includes("@") || members.length === 0) return [];
  // Longest first, so the first username that matches at an `@` is the longest one.
  const candidates = members
    .map((member) => ({ id: member.user_id, name: member.username.toLowerCase() }))
    .sort((a, b) => b.name.length - a.name.length);
  const found = new Set<string>();
  for (let at = body.indexOf("@"); at !== -1; at = body.indexOf("@", at + 1)) {
    if (at > 0 && USERNAME_CHAR.test(body[at - 1]!)) continue;
    const rest = body.slice(at + 1, at + 1 + candidates[0]!.name.length).toLowerCase();
    const match = candidates.find((candidate) => rest.startsWith(candidate.name));
    if (match) found.add(match.id);
  }
  return [...found];
}
