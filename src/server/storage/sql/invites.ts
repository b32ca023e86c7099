/** The InviteStore in SQL. Spending a use happens in UserStore.create, with the insert. */
import type { SqlQueryable } from "../drivers/driver.ts";
import type { InviteStore, StoredInvite } from "../invite-store.ts";
import { auditCte, auditParams } from "./audit.ts";
import { iso, type Row } from "./rows.ts";

function toInvite(row: Row): StoredInvite {
  return {
    id: row.id as string,
    created_by: row.created_by as string,
    max_uses: Number(row.max_uses),
    uses: Number(row.uses),
    expires_at: iso(row.expires_at),
    created_at: iso(row.created_at),
  };
}

export function sqlInviteStore(db: SqlQueryable): InviteStore {
  return {
    async create(invite, audit) {
      const rows = await db.query(
        `WITH invite AS (
           INSERT INTO invites (id, code_hash, created_by, max_uses, expires_at)
           VALUES ($1, $2, $3, $4, $5) RETURNING *
         ), ${auditCte(6, "invite")}
         SELECT * FROM invite`,
        [
          invite.id,
          invite.code_hash,
          invite.created_by,
          invite.max_uses,
          invite.expires_at,
          ...auditParams(audit),
        ],
      );
      return toInvite(rows[0]!);
    },

    async list(limit) {
      const rows = await db.query("SELECT * FROM invites ORDER BY created_at DESC LIMIT $1", [
        limit,
      ]);
      return rows.map(toInvite);
    },
  };
}
