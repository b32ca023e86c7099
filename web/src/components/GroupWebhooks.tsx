import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { WEBHOOK_NAME_MAX, type ChatListItem, type IncomingWebhookWithUrl } from "@charla/client";
import { adminApi } from "../admin-api.ts";
import { webhooksKey } from "../cache.ts";
import { errorText } from "../errors.ts";
import { t } from "../i18n.ts";
import { formatDateTime } from "./admin/format.ts";
import { chatTitle } from "../chats.ts";
import { ConfirmAction } from "./ConfirmAction.tsx";
import { Dialog } from "./Dialog.tsx";
import "./GroupWebhooks.css";

/**
 * A group's incoming webhooks, for its owner and admins (the server checks it again): make
 * one by name, copy its URL (shown once: the server keeps only a hash of its secret), see
 * the others, delete one (its URL answers 404 from then on). Opened from the members
 * dialog, above it; a chunk of its own, since most people never manage webhooks.
 */
export default function GroupWebhooks({
  chat,
  myId,
  onClose,
}: {
  chat: ChatListItem;
  myId: string;
  onClose: () => void;
}) {
  const chatId = chat.id;
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const queryClient = useQueryClient();
  const key = webhooksKey(chatId);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<IncomingWebhookWithUrl | null>(null);

  const webhooks = useQuery({ queryKey: key, queryFn: () => adminApi.incomingWebhooks(chatId) });
  const create = useMutation({
    mutationFn: (webhookName: string) => adminApi.createIncomingWebhook(chatId, webhookName),
    onSuccess: (webhook) => {
      setName("");
      setCreated(webhook);
      return queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: (webhookId: string) => adminApi.deleteIncomingWebhook(chatId, webhookId),
    onSuccess: (_, webhookId) => {
      if (created?.id === webhookId) setCreated(null);
      return queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const error = create.error ?? remove.error ?? webhooks.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed) create.mutate(trimmed);
  }

  return (
    <Dialog dialogRef={dialog} title={t.hooks.title} onClose={onClose} focusField>
      <p className="dialog-hint">
        {chatTitle(chat, myId)} · {t.hooks.hint}
      </p>
      <form className="webhook-form" onSubmit={submit} aria-busy={create.isPending}>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t.hooks.name}</label>
          <input
            id={`${id}-name`}
            value={name}
            maxLength={WEBHOOK_NAME_MAX}
            required
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <button
          type="submit"
          className="btn btn-secondary"
          disabled={create.isPending || !name.trim()}
        >
          {t.hooks.create}
        </button>
      </form>
      {created && <CreatedWebhook webhook={created} />}
      <ul
        className="user-results webhook-list"
        aria-label={t.hooks.list}
        aria-busy={webhooks.isFetching}
      >
        {(webhooks.data ?? []).map((webhook) => (
          <li key={webhook.id} className="member-row">
            <span className="user-result-name">
              {webhook.name}
              <span className="muted webhook-meta">
                {" · "}
                {t.hooks.createdOn(formatDateTime(webhook.created_at))}
              </span>
            </span>
            <ConfirmAction
              triggerClass="btn btn-small btn-ghost danger-text"
              trigger={
                <>
                  {t.delete}
                  <span className="sr-only"> {webhook.name}</span>
                </>
              }
              question={t.hooks.deleteQuestion(webhook.name)}
              confirmLabel={t.delete}
              disabled={remove.isPending}
              onConfirm={() => remove.mutate(webhook.id)}
            />
          </li>
        ))}
        {webhooks.isSuccess && webhooks.data.length === 0 && (
          <li className="muted user-results-empty">{t.hooks.none}</li>
        )}
      </ul>
      {error && (
        <p className="form-error" role="alert">
          {errorText(error)}
        </p>
      )}
      <footer className="dialog-footer">
        <button type="button" className="btn btn-primary" onClick={() => dialog.current?.close()}>
          {t.done}
        </button>
      </footer>
    </Dialog>
  );
}

/** The URL of the webhook just made, the one time it can be read, with a copy button. */
function CreatedWebhook({ webhook }: { webhook: IncomingWebhookWithUrl }) {
  const id = useId();
  const field = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<string | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(webhook.url);
      setStatus(t.admin.copied);
    } catch {
      // No clipboard (an insecure origin, or permission refused): leave it ready to copy by hand.
      field.current?.select();
      setStatus(t.admin.copyByHand);
    }
  }

  return (
    <div className="webhook-created">
      <div className="field">
        <label htmlFor={`${id}-url`}>{t.hooks.url}</label>
        <input
          id={`${id}-url`}
          ref={field}
          readOnly
          value={webhook.url}
          aria-describedby={`${id}-hint`}
          onFocus={(e) => e.target.select()}
        />
        <span id={`${id}-hint`} className="muted webhook-meta">
          {t.hooks.urlHint}
        </span>
      </div>
      <div className="webhook-copy">
        <button type="button" className="btn btn-small btn-secondary" onClick={() => void copy()}>
          {t.hooks.copy}
        </button>
        <span className="muted webhook-meta" role="status">
          {status}
        </span>
      </div>
    </div>
  );
}
