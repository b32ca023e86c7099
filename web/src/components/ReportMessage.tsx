import { useMutation } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { createPortal } from "react-dom";
import { REPORT_REASON_MAX } from "@charla/client";
import { adminApi } from "../admin-api.ts";
import { errorText } from "../errors.ts";
import { t } from "../i18n.ts";
import { FlagIcon } from "../icons.tsx";
import { Dialog, SubmitFooter } from "./Dialog.tsx";
import "./moderation.css";

/** A message's "Report" action: a reason, sent to the server's admins. */
export function ReportMessage({
  messageId,
  senderName,
}: {
  messageId: string;
  senderName: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        className="icon-btn small"
        title={t.mod.reportMessage}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        <FlagIcon />
        <span className="sr-only">{t.mod.reportMessage}</span>
      </button>
      {/* In document.body: inside the message's action bar it would take the bar's fading
          opacity (and fail contrast while it fades). */}
      {open &&
        createPortal(
          <ReportDialog
            messageId={messageId}
            senderName={senderName}
            onClose={() => setOpen(false)}
          />,
          document.body,
        )}
    </>
  );
}

/** The report form on its own, for the long-press menu of a touch screen. */
export function ReportDialog({
  messageId,
  senderName,
  onClose,
}: {
  messageId: string;
  senderName: string;
  onClose: () => void;
}) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const report = useMutation({ mutationFn: () => adminApi.report(messageId, reason.trim()) });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (reason.trim()) report.mutate();
  }

  return (
    <Dialog
      dialogRef={dialog}
      title={t.mod.reportTitle}
      onClose={onClose}
      onSubmit={submit}
      busy={report.isPending}
      closeButton={false}
    >
      <p className="dialog-hint">{t.mod.reportHint(senderName)}</p>
      {report.isSuccess ? (
        <p className="report-sent" role="status">
          {t.mod.reportSent}
        </p>
      ) : (
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t.mod.reportReason}</label>
          <textarea
            id={`${id}-reason`}
            className="report-reason-field"
            required
            maxLength={REPORT_REASON_MAX}
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            autoFocus
          />
        </div>
      )}
      {report.isSuccess ? (
        <footer className="dialog-footer">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => dialog.current?.close()}
            autoFocus
          >
            {t.done}
          </button>
        </footer>
      ) : (
        <SubmitFooter
          dialogRef={dialog}
          error={report.isError ? errorText(report.error) : null}
          submitLabel={t.mod.sendReport}
          disabled={report.isPending || !reason.trim()}
        />
      )}
    </Dialog>
  );
}
