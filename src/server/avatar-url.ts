/**
 * The public path of an avatar, from its random id: shared by the domain (user objects) and
 * the SQL that builds chat members, so both spell it the same. A new avatar has a new id, so
 * a new path, which is why the path may be cached forever.
 */
export const AVATAR_PATH_PREFIX = "/avatars/";

export function avatarUrl(user: { avatar_id: string | null }): string | null {
  return user.avatar_id === null ? null : `${AVATAR_PATH_PREFIX}${user.avatar_id}`;
}
