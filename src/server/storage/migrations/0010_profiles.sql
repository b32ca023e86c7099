-- Profiles and accounts (v2): a display name, an avatar, and closed accounts, whose row stays
-- so that the username stays taken and old messages still name their sender.
ALTER TABLE users
  ADD COLUMN display_name text,
  ADD COLUMN avatar_id text,
  ADD COLUMN deleted_at timestamptz;

-- Avatars as re-encoded, metadata-free images. The id is random (it is the public path) and
-- a new one is made on every change, so a path can be cached forever.
CREATE TABLE avatars (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  content_type text NOT NULL,
  bytes bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX avatars_by_user ON avatars (user_id);
