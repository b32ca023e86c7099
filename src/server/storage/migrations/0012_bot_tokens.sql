-- Bots' API tokens (CONTRACT.md v2, "Bots"): one live token per bot, of which only a SHA-256
-- is kept (domain/secrets.ts), so a database dump hands out no bot. Revoking deletes the row.
CREATE TABLE bot_tokens (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
