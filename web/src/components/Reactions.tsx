import { lazy, Suspense, useEffect, useState } from "react";
import type { Reaction } from "@charla/client";
import { errorText } from "../errors.ts";
import { t } from "../i18n.ts";
import { useLongPress } from "../hooks/useLongPress.ts";
import { useConnection } from "../live.tsx";
import "./Reactions.css";

// Its code and data load when first opened.
const EmojiPicker = lazy(() => import("./EmojiPicker.tsx"));

/** The row offered first: the reactions people use most. */
export const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"];

function who(reaction: Reaction, names: ReadonlyMap<string, string>, myId: string): string {
  const listed = reaction.user_ids.map((id) => (id === myId ? t.you : (names.get(id) ?? "?")));
  const more = reaction.count - listed.length;
  return more > 0 ? `${listed.join(", ")} ${t.andMore(more)}` : listed.join(", ");
}

/**
 * A message's reactions: one chip per emoji with its count, pressed when it is ours (a
 * click takes it back or adds it). Who reacted shows on hover, and on a long press for touch
 * (until the next tap anywhere).
 */
export function Reactions({
  messageId,
  reactions,
  names,
  myId,
}: {
  messageId: string;
  reactions: Reaction[];
  names: ReadonlyMap<string, string>;
  myId: string;
}) {
  const { client } = useConnection();
  const [showing, setShowing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!showing) return;
    const hide = () => setShowing(null);
    // The next touch after the long press (which itself is already down) hides it.
    document.addEventListener("pointerdown", hide, { capture: true, once: true });
    return () => document.removeEventListener("pointerdown", hide, { capture: true });
  }, [showing]);
  if (reactions.length === 0) return null;

  function toggle(reaction: Reaction) {
    setError(null);
    const mine = reaction.user_ids.includes(myId);
    (mine
      ? client.unreact(messageId, reaction.emoji)
      : client.react(messageId, reaction.emoji)
    ).catch((e: unknown) => setError(errorText(e)));
  }

  return (
    <div className="reactions">
      {reactions.map((reaction) => {
        const mine = reaction.user_ids.includes(myId);
        const people = who(reaction, names, myId);
        return (
          <ReactionChip
            key={reaction.emoji}
            reaction={reaction}
            mine={mine}
            people={people}
            showing={showing === reaction.emoji}
            onToggle={() => toggle(reaction)}
            onShow={() => setShowing(reaction.emoji)}
          />
        );
      })}
      {error && (
        <span className="form-error small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** One reaction's chip; a long press on it says who reacted. */
function ReactionChip({
  reaction,
  mine,
  people,
  showing,
  onToggle,
  onShow,
}: {
  reaction: Reaction;
  mine: boolean;
  people: string;
  showing: boolean;
  onToggle: () => void;
  onShow: () => void;
}) {
  const press = useLongPress(onShow);
  return (
    <span className="reaction-wrap">
      <button
        type="button"
        className={`reaction${mine ? " is-mine" : ""}`}
        aria-pressed={mine}
        aria-label={t.reactionLabel(reaction.emoji, reaction.count, people)}
        title={people}
        onClick={onToggle}
        {...press}
      >
        <span aria-hidden="true">{reaction.emoji}</span>
        <span aria-hidden="true" className="reaction-count">
          {reaction.count}
        </span>
      </button>
      {showing && (
        <span className="reaction-who" role="status">
          {people}
        </span>
      )}
    </span>
  );
}

/** The quick row of reactions, opened from a message's actions; "+" opens every emoji. */
export function ReactionPicker({
  messageId,
  onDone,
}: {
  messageId: string;
  onDone: (error?: string) => void;
}) {
  const { client } = useConnection();
  const [all, setAll] = useState(false);
  const react = (emoji: string) =>
    client.react(messageId, emoji).then(
      () => onDone(),
      (e: unknown) => onDone(errorText(e)),
    );
  return (
    <>
      <div
        className="reaction-picker"
        role="group"
        aria-label={t.addReaction}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.stopPropagation();
            onDone();
          }
        }}
      >
        {QUICK_REACTIONS.map((emoji, i) => (
          <button
            key={emoji}
            type="button"
            className="reaction-choice"
            aria-label={t.reactWith(emoji)}
            autoFocus={i === 0}
            onClick={() => void react(emoji)}
          >
            {emoji}
          </button>
        ))}
        <button
          type="button"
          className="reaction-choice reaction-more"
          aria-expanded={all}
          title={t.moreEmoji}
          onClick={() => setAll(!all)}
        >
          <span aria-hidden="true">+</span>
          <span className="sr-only">{t.moreEmoji}</span>
        </button>
      </div>
      {all && (
        <Suspense fallback={<p className="muted">{t.loadingEmoji}</p>}>
          <EmojiPicker onPick={(emoji) => void react(emoji)} onClose={() => setAll(false)} />
        </Suspense>
      )}
    </>
  );
}
