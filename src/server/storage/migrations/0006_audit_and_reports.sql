-- What admins did (who, what, when, target), and reports of messages by members.
CREATE TABLE audit_log (
  id uuid PRIMARY KEY,
  actor_id uuid NOT NULL REFERENCES users (id),
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_newest ON audit_log (created_at DESC, id DESC);

-- No foreign key to messages (they have none either, see 0003); a report outlives nothing.
CREATE TABLE reports (
  id uuid PRIMARY KEY,
  message_id uuid NOT NULL,
  reporter_id uuid NOT NULL REFERENCES users (id),
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reports_newest ON reports (created_at DESC, id DESC);
