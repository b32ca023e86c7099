/** The invites part of the storage port: codes an admin hands out to let people register. */

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
  create(invite: NewInvite): Promise<StoredInvite>;
  /** Newest first. */
  list(limit: number): Promise<StoredInvite[]>;
}
