/** A round avatar with the name's initials on a colour derived from the name. */
export function hueOf(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 360;
}

function initials(name: string): string {
  const parts = name.split(/[\s._-]+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0]![0]! + parts[1]![0]! : name.slice(0, 2);
  return letters.toUpperCase();
}

export function Avatar({
  name,
  src,
  online,
  size = 40,
  group = false,
}: {
  name: string;
  /** The user's avatar_url; without one, initials on a colour. */
  src?: string | null | undefined;
  online?: boolean | undefined;
  size?: number;
  group?: boolean;
}) {
  const hue = hueOf(name);
  if (src) {
    return (
      <span
        className="avatar avatar-photo"
        style={{ width: size, height: size }}
        aria-hidden="true"
      >
        {/* Sized up front, so nothing moves when the image arrives. */}
        <img src={src} alt="" width={size} height={size} loading="lazy" decoding="async" />
        {online !== undefined && <span className={`presence-dot${online ? " is-online" : ""}`} />}
      </span>
    );
  }
  return (
    <span
      className={`avatar${group ? " avatar-group" : ""}`}
      style={{
        width: size,
        height: size,
        fontSize: size * 0.38,
        background: `linear-gradient(135deg, hsl(${hue} 70% 60%), hsl(${(hue + 40) % 360} 65% 50%))`,
      }}
      aria-hidden="true"
    >
      {initials(name)}
      {online !== undefined && <span className={`presence-dot${online ? " is-online" : ""}`} />}
    </span>
  );
}
