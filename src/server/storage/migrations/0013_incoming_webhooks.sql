-- Incoming webhooks (CONTRACT.md v2): a secret URL that posts into one chat as the webhook's
-- own bot user, a member of that chat. Only a SHA-256 of the URL's secret is kept.
CREATE TABLE incoming_webhooks (
  id uuid PRIMARY KEY,
  chat_id uuid NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  bot_id uuid NOT NULL REFERENCES users (id),
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incoming_webhooks_by_chat ON incoming_webhooks (chat_id, created_at);
