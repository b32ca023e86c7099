import { t } from "../i18n.ts";

/** The labelled people-search box of the New chat and Members dialogs. */
export function UserSearchField({
  id,
  label,
  query,
  onChange,
  autoFocus = false,
}: {
  id: string;
  label: string;
  query: string;
  onChange: (query: string) => void;
  autoFocus?: boolean;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        placeholder={t.searchPlaceholder}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        value={query}
        onChange={(e) => onChange(e.target.value)}
        autoFocus={autoFocus}
      />
    </div>
  );
}
