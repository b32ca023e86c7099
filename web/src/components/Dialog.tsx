import { useEffect, useId, type FormEvent, type ReactNode, type RefObject } from "react";
import { t } from "../i18n.ts";

interface DialogProps {
  /** The owner's ref: its `close()` closes the dialog from a button inside it. */
  dialogRef: RefObject<HTMLDialogElement | null>;
  title: ReactNode;
  /** Called once the dialog has closed (Esc, the ✕ button, a click on the backdrop, close()). */
  onClose: () => void;
  /** Extra class on the <dialog>, for a dialog with its own layout. */
  className?: string;
  /** Makes the body a form, so Enter in a field submits it. */
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
  /** Marks the body busy while its request runs. */
  busy?: boolean;
  /** The ✕ in the header; off for a dialog whose footer has the only way out. */
  closeButton?: boolean;
  /**
   * Focus the first field on open: showModal() focuses the first control, the ✕, when the
   * field is what one wants.
   */
  focusField?: boolean;
  children: ReactNode;
}

/**
 * The modal frame every dialog shares: opened on mount with showModal() (so focus is trapped
 * and Esc closes it), a header whose title names the dialog, and a click on the backdrop
 * closing it.
 */
export function Dialog({
  dialogRef,
  title,
  onClose,
  className,
  onSubmit,
  busy,
  closeButton = true,
  focusField,
  children,
}: DialogProps) {
  const titleId = `${useId()}-title`;

  useEffect(() => {
    dialogRef.current?.showModal();
    if (focusField) dialogRef.current?.querySelector<HTMLElement>("input, textarea")?.focus();
  }, [dialogRef, focusField]);

  const frame = (
    <>
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        {closeButton && (
          <button type="button" className="icon-btn" onClick={() => dialogRef.current?.close()}>
            <span aria-hidden="true">✕</span>
            <span className="sr-only">{t.close}</span>
          </button>
        )}
      </header>
      {children}
    </>
  );

  return (
    <dialog
      ref={dialogRef}
      className={className ? `dialog ${className}` : "dialog"}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(e) => {
        if (e.target === dialogRef.current) dialogRef.current.close();
      }}
    >
      {onSubmit ? (
        <form className="dialog-body" onSubmit={onSubmit} aria-busy={busy}>
          {frame}
        </form>
      ) : (
        <div className="dialog-body" aria-busy={busy}>
          {frame}
        </div>
      )}
    </dialog>
  );
}

/**
 * The end of a dialog that is a form (`Dialog`'s `onSubmit`): what went wrong with the last
 * submit, if anything, then Cancel and the submit button.
 */
export function SubmitFooter({
  dialogRef,
  error,
  submitLabel,
  disabled,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  /** What went wrong with the last submit (errorText), or null. */
  error: string | null;
  submitLabel: string;
  disabled: boolean;
}) {
  return (
    <>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <footer className="dialog-footer">
        <button type="button" className="btn btn-ghost" onClick={() => dialogRef.current?.close()}>
          {t.cancel}
        </button>
        <button type="submit" className="btn btn-primary" disabled={disabled}>
          {submitLabel}
        </button>
      </footer>
    </>
  );
}
