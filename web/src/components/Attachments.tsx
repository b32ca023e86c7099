/**
 * Files in messages and in the composer: pictures as thumbnails whose box is reserved from
 * their width and height (the list does not jump when they load) that open full size in a
 * viewer; every other file (SVG and HTML included: the server never shows them inline) as a
 * card with its name, size and a download link.
 */
import { useEffect, useRef, useState } from "react";
import type { Attachment } from "@charla/client";
import { formatSize, t } from "../i18n.ts";
import { DownloadIcon, FileIcon } from "../icons.tsx";
import type { Upload } from "../hooks/useUploads.ts";
import "./Attachments.css";

/** What the server shows inline (and makes thumbnails of). */
const PICTURE_TYPES = new Set(["image/png", "image/jpeg", "image/webp", "image/gif"]);
/** The largest side of a thumbnail on screen, in CSS pixels. */
const THUMB_SIDE = 280;

const isPicture = (a: Attachment) =>
  PICTURE_TYPES.has(a.content_type) && a.thumbnail_url !== null && a.width !== null;

/** The on-screen size of a thumbnail: the picture's shape, at most THUMB_SIDE a side. */
function thumbSize(a: Attachment): { width: number; height: number } {
  const width = a.width ?? THUMB_SIDE;
  const height = a.height ?? THUMB_SIDE;
  const scale = Math.min(1, THUMB_SIDE / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

export function MessageAttachments({ attachments }: { attachments: readonly Attachment[] }) {
  const [open, setOpen] = useState<Attachment | null>(null);
  if (attachments.length === 0) return null;
  const pictures = attachments.filter(isPicture);
  const others = attachments.filter((a) => !isPicture(a));
  return (
    <div className="attachments">
      {pictures.length > 0 && (
        <div className={`attachment-pictures${pictures.length > 1 ? " is-grid" : ""}`}>
          {pictures.map((a) => {
            const size = thumbSize(a);
            return (
              <button
                key={a.id}
                type="button"
                className="attachment-picture"
                onClick={() => setOpen(a)}
                style={{ aspectRatio: `${size.width} / ${size.height}` }}
              >
                <img
                  src={a.thumbnail_url ?? a.url}
                  alt={a.name}
                  width={size.width}
                  height={size.height}
                  loading="lazy"
                  decoding="async"
                />
                <span className="sr-only">{t.files.open(a.name)}</span>
              </button>
            );
          })}
        </div>
      )}
      {others.map((a) => (
        <a key={a.id} className="attachment-file" href={a.url} download={a.name}>
          <span className="attachment-file-icon">
            <FileIcon />
          </span>
          <span className="attachment-file-text">
            <span className="attachment-file-name">{a.name}</span>
            <span className="attachment-file-size">{formatSize(a.size)}</span>
          </span>
          <DownloadIcon />
          <span className="sr-only">{t.files.download(a.name)}</span>
        </a>
      ))}
      {open && <PictureViewer picture={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** The full-size picture in a modal dialog: Esc, the close button or the backdrop close it. */
function PictureViewer({ picture, onClose }: { picture: Attachment; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    el?.showModal();
    return () => el?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="picture-viewer"
      aria-label={t.files.viewer}
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop (the dialog itself, outside its content) closes it.
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <img
        src={picture.url}
        alt={picture.name}
        width={picture.width ?? undefined}
        height={picture.height ?? undefined}
      />
      <div className="picture-viewer-bar">
        <span className="picture-viewer-name">{picture.name}</span>
        <span className="picture-viewer-size">{formatSize(picture.size)}</span>
        <a
          className="btn btn-small btn-light"
          href={picture.url}
          download={picture.name}
          aria-label={t.files.download(picture.name)}
        >
          <DownloadIcon />
          <span>{t.files.downloadShort}</span>
        </a>
        <button type="button" className="btn btn-small btn-light" onClick={onClose} autoFocus>
          {t.files.close}
        </button>
      </div>
    </dialog>
  );
}

/** The files picked for the next message, each with its progress and a cancel button. */
export function UploadTray({
  uploads,
  notice,
  onRemove,
}: {
  uploads: readonly Upload[];
  notice: string | null;
  onRemove: (key: string) => void;
}) {
  return (
    <div className="upload-tray">
      {uploads.length > 0 && (
        <ul className="upload-list" aria-label={t.files.attachments(uploads.length)}>
          {uploads.map((u) => {
            const done = u.attachment !== null;
            const label = done ? t.files.removeFile(u.name) : t.files.cancelUpload(u.name);
            return (
              <li key={u.key} className={`upload${u.error ? " is-failed" : ""}`}>
                {u.preview ? (
                  <img className="upload-preview" src={u.preview} alt="" />
                ) : (
                  <span className="upload-preview">
                    <FileIcon />
                  </span>
                )}
                <span className="upload-text">
                  <span className="upload-name">{u.name}</span>
                  {u.error ? (
                    <span className="upload-error" role="alert">
                      {t.files.failed}: {u.error}
                    </span>
                  ) : done ? (
                    <span className="upload-size">{formatSize(u.size)}</span>
                  ) : (
                    <progress
                      value={u.loaded}
                      max={Math.max(u.size, 1)}
                      aria-label={t.files.uploading(u.name)}
                    />
                  )}
                </span>
                <button
                  type="button"
                  className="icon-btn small"
                  title={label}
                  onClick={() => onRemove(u.key)}
                >
                  <span aria-hidden="true">✕</span>
                  <span className="sr-only">{label}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {notice && (
        <p className="upload-notice" role="alert">
          {notice}
        </p>
      )}
    </div>
  );
}
