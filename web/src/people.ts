/** How a person is shown: their display name when they set one, else their username. */
export function nameOf(user: { username: string; display_name?: string | null }): string {
  return user.display_name ?? user.username;
}
