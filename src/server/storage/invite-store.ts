/** The invites part of the storage port: codes an admin hands out to let people register. */
import type { AuditRecord } from "./moderation-store.ts";

export interface NewInvite {
  id: string;
  /** SHA-256 of the code: the code itself is shown once and never stored. */
  code_hash: string;
  created_by: string;
  max_uses: number;
  expires_at: Date;
}

export interface StoredInvite {
  id: string;
  created_by: string;
  max_uses: number;
  uses: number;
  expires_at: string;
  created_at: string;
}

export interface InviteStore {
  /** The invite, with the admin's audit entry in the same statement. */
  create(invite: NewInvite, audit: AuditRecord): Promise<StoredInvite>;
  /** Newest first. */
  list(limit: number): Promise<StoredInvite[]>;
}
