import { useId, useRef, useState, type KeyboardEvent } from "react";
import type { Invite, User } from "@charla/client";
import { t } from "../../i18n.ts";
import { BackIcon } from "../../icons.tsx";
import { openChat } from "../../navigation.ts";
import { AdminAudit } from "./AdminAudit.tsx";
import { AdminInvites } from "./AdminInvites.tsx";
import { AdminReports } from "./AdminReports.tsx";
import { AdminUsers } from "./AdminUsers.tsx";
import "./admin.css";

const TABS = ["users", "invites", "reports", "audit"] as const;
type Tab = (typeof TABS)[number];

/**
 * The server admin's page (`#/admin`), in the place of a chat: users (search, deactivate,
 * reactivate), invite links, reports with the reported message, and the audit log. The
 * server checks every request; for anyone else the page only says it is not theirs.
 */
export function AdminPage({ me }: { me: User }) {
  const id = useId();
  const [tab, setTab] = useState<Tab>("users");
  // Made here, not in the invites tab: a link is shown only once, so it must outlive a tab switch.
  const [invites, setInvites] = useState<Invite[]>([]);
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());

  // The tab list is one stop for Tab; arrows move between tabs (WAI-ARIA tabs pattern).
  function onTabKey(event: KeyboardEvent) {
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -TABS.length, End: TABS.length }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const index = Math.min(TABS.length - 1, Math.max(0, TABS.indexOf(tab) + step));
    const next = TABS[index]!;
    setTab(next);
    tabRefs.current.get(next)?.focus();
  }

  const labels: Record<Tab, string> = {
    users: t.admin.users,
    invites: t.admin.invites,
    reports: t.admin.reports,
    audit: t.admin.audit,
  };
  return (
    <section className="admin" aria-labelledby={`${id}-title`}>
      <header className="chat-header admin-header">
        <button className="icon-btn" onClick={() => openChat(null)} title={t.backToChats}>
          <BackIcon />
          <span className="sr-only">{t.backToChats}</span>
        </button>
        <div className="chat-header-text">
          <h2 id={`${id}-title`}>{t.admin.title}</h2>
          <p className="chat-subtitle">{t.admin.subtitle}</p>
        </div>
      </header>
      {me.role !== "admin" ? (
        <p className="admin-empty">{t.admin.onlyAdmins}</p>
      ) : (
        <>
          <div className="admin-tabs" role="tablist" aria-label={t.admin.sections}>
            {TABS.map((key) => (
              <button
                key={key}
                ref={(node) => {
                  if (node) tabRefs.current.set(key, node);
                }}
                type="button"
                role="tab"
                id={`${id}-tab-${key}`}
                aria-selected={tab === key}
                aria-controls={`${id}-panel`}
                tabIndex={tab === key ? 0 : -1}
                className="admin-tab"
                onClick={() => setTab(key)}
                onKeyDown={onTabKey}
              >
                {labels[key]}
              </button>
            ))}
          </div>
          <div
            className="admin-panel"
            role="tabpanel"
            id={`${id}-panel`}
            aria-labelledby={`${id}-tab-${tab}`}
          >
            {tab === "users" && <AdminUsers myId={me.id} />}
            {tab === "invites" && (
              <AdminInvites
                invites={invites}
                onCreated={(invite) => setInvites((list) => [invite, ...list])}
              />
            )}
            {tab === "reports" && <AdminReports />}
            {tab === "audit" && <AdminAudit myId={me.id} />}
          </div>
        </>
      )}
    </section>
  );
}
