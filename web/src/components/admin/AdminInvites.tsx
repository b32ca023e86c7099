import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import type { Invite } from "@charla/client";
import { adminApi, adminKey } from "../../admin-api.ts";
import { errorText } from "../../errors.ts";
import { t } from "../../i18n.ts";
import { formatDateTime } from "./format.ts";

const HOUR = 3600;
const DAY = 24 * HOUR;
/** The validity choices, in seconds; the server's default (7 days) is preselected. */
const VALIDITY = [HOUR, DAY, 7 * DAY, 30 * DAY] as const;
const USES_MAX = 10_000;

/**
 * New invite links. The server keeps only a hash of each code, so a link can be shown (and
 * copied) only right after it is made: the list is of the links made on this page.
 */
export function AdminInvites({
  invites,
  onCreated,
}: {
  invites: readonly Invite[];
  onCreated: (invite: Invite) => void;
}) {
  const id = useId();
  const queryClient = useQueryClient();
  const [uses, setUses] = useState(1);
  const [validity, setValidity] = useState<number>(7 * DAY);
  const create = useMutation({
    mutationFn: () => adminApi.createInvite({ max_uses: uses, expires_in_seconds: validity }),
    onSuccess: (invite) => {
      onCreated(invite);
      void queryClient.invalidateQueries({ queryKey: [...adminKey, "audit"] });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <div className="admin-section">
      <p className="dialog-hint">{t.admin.invitesHint}</p>
      <form className="admin-form" onSubmit={submit} aria-busy={create.isPending}>
        <div className="field">
          <label htmlFor={`${id}-uses`}>{t.admin.maxUses}</label>
          <input
            id={`${id}-uses`}
            type="number"
            inputMode="numeric"
            min={1}
            max={USES_MAX}
            required
            value={uses}
            onChange={(e) => setUses(Math.max(1, Math.min(USES_MAX, e.target.valueAsNumber || 1)))}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-validity`}>{t.admin.expiresIn}</label>
          <select
            id={`${id}-validity`}
            value={validity}
            onChange={(e) => setValidity(Number(e.target.value))}
          >
            {VALIDITY.map((seconds) => (
              <option key={seconds} value={seconds}>
                {seconds < DAY ? t.admin.hours(seconds / HOUR) : t.admin.days(seconds / DAY)}
              </option>
            ))}
          </select>
        </div>
        <button className="btn btn-primary" type="submit" disabled={create.isPending}>
          {t.admin.createInvite}
        </button>
      </form>
      {create.isError && (
        <p className="form-error" role="alert">
          {errorText(create.error)}
        </p>
      )}
      {invites.length > 0 && (
        <>
          <h3 className="admin-subtitle">{t.admin.newInvites}</h3>
          <ul className="admin-list" aria-label={t.admin.newInvites}>
            {invites.map((invite) => (
              <InviteRow key={invite.code} invite={invite} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function InviteRow({ invite }: { invite: Invite }) {
  const id = useId();
  const field = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<string | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(invite.url);
      setStatus(t.admin.copied);
    } catch {
      // No clipboard (an insecure origin, or permission refused): leave it ready to copy by hand.
      field.current?.select();
      setStatus(t.admin.copyByHand);
    }
  }

  return (
    <li className="admin-row invite-row">
      <div className="field invite-field">
        <label htmlFor={`${id}-url`}>{t.admin.inviteLink}</label>
        <input
          id={`${id}-url`}
          ref={field}
          readOnly
          value={invite.url}
          onFocus={(e) => e.target.select()}
        />
        <span className="muted small-text">
          {t.admin.inviteMeta(invite.max_uses, formatDateTime(invite.expires_at))}
        </span>
      </div>
      <div className="invite-actions">
        <button type="button" className="btn btn-small btn-secondary" onClick={() => void copy()}>
          {t.admin.copyLink}
        </button>
        <span className="muted small-text" role="status">
          {status}
        </span>
      </div>
    </li>
  );
}
