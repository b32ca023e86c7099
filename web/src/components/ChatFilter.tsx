import { useId } from "react";
import { t } from "../i18n.ts";

/** The field above the chat list that narrows it by name; Escape clears it. */
export function ChatFilter({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="chat-filter">
      <label htmlFor={id} className="sr-only">
        {t.filterChats}
      </label>
      <input
        id={id}
        type="search"
        placeholder={t.filterChats}
        value={value}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") onChange("");
        }}
      />
    </div>
  );
}
