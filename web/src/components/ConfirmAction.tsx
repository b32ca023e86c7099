import { useEffect, useRef, useState, type ReactNode } from "react";
import { t } from "../i18n.ts";

/**
 * A destructive action behind a second step: the trigger turns into a question with
 * Cancel and the action's own button (focused, so Enter confirms and Escape cancels).
 */
export function ConfirmAction({
  trigger,
  triggerClass,
  triggerTitle,
  question,
  confirmLabel,
  disabled,
  onConfirm,
}: {
  trigger: ReactNode;
  triggerClass: string;
  triggerTitle?: string;
  question: string;
  confirmLabel: string;
  disabled?: boolean;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button
        type="button"
        className={triggerClass}
        title={triggerTitle}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {trigger}
      </button>
    );
  }
  return (
    <span
      className="confirm"
      role="group"
      aria-label={question}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          e.preventDefault();
          setAsking(false);
        }
      }}
    >
      <span className="confirm-question">{question}</span>
      <button type="button" className="btn btn-small btn-ghost" onClick={() => setAsking(false)}>
        {t.cancel}
      </button>
      <button
        type="button"
        ref={confirm}
        className="btn btn-small btn-danger"
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
    </span>
  );
}
