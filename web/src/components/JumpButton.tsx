import { t } from "../i18n.ts";

/** Back to the latest messages, with how many arrived below while scrolled up. */
export function JumpButton({ count, onClick }: { count: number; onClick: () => void }) {
  return (
    <button className={`jump-btn${count > 0 ? " has-count" : ""}`} onClick={onClick}>
      <span aria-hidden="true">↓</span>
      {count > 0 && (
        <span className="jump-count" aria-hidden="true">
          {count > 99 ? "99+" : count}
        </span>
      )}
      <span className="sr-only">{count > 0 ? t.jumpToNew(count) : t.jumpToLatest}</span>
    </button>
  );
}
