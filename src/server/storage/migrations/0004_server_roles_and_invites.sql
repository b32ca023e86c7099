-- Server roles, deactivation, bots and invites (CONTRACT.md v2, "Administration").
ALTER TABLE users ADD COLUMN role text NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user'));
ALTER TABLE users ADD COLUMN bot boolean NOT NULL DEFAULT false;
-- Set while an admin has deactivated the account: its tokens are refused and it cannot log in.
ALTER TABLE users ADD COLUMN deactivated_at timestamptz;
-- The first account of a fresh server (made admin whatever REGISTRATION says). The unique index
-- on a constant lets at most one row claim it, so two registrations racing on an empty server
-- cannot both become "the first".
ALTER TABLE users ADD COLUMN first_account boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX users_one_first_account ON users ((true)) WHERE first_account;

-- Invites: only a SHA-256 of the code is kept, so a database dump does not hand out accounts.
CREATE TABLE invites (
  id uuid PRIMARY KEY,
  code_hash text NOT NULL UNIQUE,
  created_by uuid NOT NULL REFERENCES users (id),
  max_uses integer NOT NULL CHECK (max_uses > 0),
  uses integer NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
