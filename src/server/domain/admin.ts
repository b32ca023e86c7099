/**
 * The server admin's powers (/api/admin): find users, deactivate and reactivate them, delete
 * any message, read reports and the audit log. Each action is checked per request
 * (requireServerAdmin) and written to the audit log in the same statement as the change, so
 * neither commits without the other.
 */
import { randomUUID } from "node:crypto";
import { ChatError } from "@charla/protocol/errors";
import { REPORT_REASON_MAX } from "@charla/protocol/limits";
import type {
  AdminUser,
  AdminUsersQuery,
  AuditEntry,
  NewestFirstQuery,
  Report,
} from "@charla/protocol/schemas";
import type { AuditRecord } from "../storage/moderation-store.ts";
import type { Store } from "../storage/store.ts";
import type { StoredUser } from "../storage/user-store.ts";
import type { AuthenticatedUser } from "./auth.ts";
import type { ChatEvents } from "./events.ts";
import { requireServerAdmin } from "./roles.ts";
import { publicUser } from "./users.ts";

const DEFAULT_LIMIT = 50;

export function adminView(user: StoredUser): AdminUser {
  return { ...publicUser(user), deactivated_at: user.deactivated_at };
}

/** The audit log's words for what an admin did to what. */
export interface AuditedAction {
  action: string;
  target_type: "user" | "message" | "invite" | "bot" | "webhook";
  target_id: string | null;
}

export function createAdminService(deps: {
  store: Store;
  events: Pick<ChatEvents, "sessionsEnded" | "messageDeleted">;
}) {
  const { store, events } = deps;

  const entry = (caller: AuthenticatedUser, what: AuditedAction): AuditRecord => ({
    id: randomUUID(),
    actor_id: caller.id,
    ...what,
  });

  async function setDeactivated(
    caller: AuthenticatedUser,
    userId: string,
    deactivated: boolean,
  ): Promise<AdminUser> {
    requireServerAdmin(caller);
    if (deactivated && userId === caller.id) {
      throw new ChatError("FORBIDDEN", "You cannot deactivate your own account.");
    }
    const user = await store.users.setDeactivated(
      userId,
      deactivated,
      entry(caller, {
        action: deactivated ? "user.deactivate" : "user.reactivate",
        target_type: "user",
        target_id: userId,
      }),
    );
    if (!user) throw new ChatError("NOT_FOUND", "No such user.");
    // The version bump already refuses the tokens on every node; this ends the live sockets.
    if (deactivated) events.sessionsEnded(userId);
    return adminView(user);
  }

  return {
    async users(caller: AuthenticatedUser, query: AdminUsersQuery): Promise<AdminUser[]> {
      requireServerAdmin(caller);
      return (await store.users.search(query.q ?? "", query.limit ?? DEFAULT_LIMIT)).map(adminView);
    },

    deactivate: (caller: AuthenticatedUser, userId: string) => setDeactivated(caller, userId, true),

    reactivate: (caller: AuthenticatedUser, userId: string) =>
      setDeactivated(caller, userId, false),

    /** Deletes any message, member or not; broadcast to its chat as any delete is. */
    async deleteMessage(caller: AuthenticatedUser, messageId: string): Promise<void> {
      requireServerAdmin(caller);
      const deleted = await store.messages.delete(
        messageId,
        entry(caller, { action: "message.delete", target_type: "message", target_id: messageId }),
      );
      if (!deleted) throw new ChatError("NOT_FOUND", "No such message.");
      events.messageDeleted(deleted);
    },

    /** A member reports a message of a chat they are in (their own too, repeats too). */
    async report(callerId: string, messageId: string, rawReason: string): Promise<Report> {
      const reason = rawReason.trim();
      if (reason.length === 0 || [...reason].length > REPORT_REASON_MAX) {
        throw new ChatError(
          "VALIDATION_ERROR",
          `A reason has 1–${REPORT_REASON_MAX} characters after trimming.`,
        );
      }
      const access = await store.messages.findForAccess(messageId, callerId);
      if (!access || access.callerRole === null || access.message.status === "deleted") {
        throw new ChatError("NOT_FOUND", "No such message.");
      }
      const report = await store.moderation.report({
        id: randomUUID(),
        message_id: messageId,
        reporter_id: callerId,
        reason,
      });
      return {
        id: report.id,
        message: access.message,
        reporter_id: callerId,
        reason,
        created_at: report.created_at,
      };
    },

    async reports(caller: AuthenticatedUser, query: NewestFirstQuery): Promise<Report[]> {
      requireServerAdmin(caller);
      const reports = await store.moderation.reports(query.limit ?? DEFAULT_LIMIT, query.before);
      const withMessages = await Promise.all(
        reports.map(async (report) => {
          const access = await store.messages.findForAccess(report.message_id, report.reporter_id);
          return (
            access && {
              id: report.id,
              message: access.message,
              reporter_id: report.reporter_id,
              reason: report.reason,
              created_at: report.created_at,
            }
          );
        }),
      );
      return withMessages.filter((report) => report !== undefined);
    },

    async auditLog(caller: AuthenticatedUser, query: NewestFirstQuery): Promise<AuditEntry[]> {
      requireServerAdmin(caller);
      return store.moderation.audit(query.limit ?? DEFAULT_LIMIT, query.before);
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
