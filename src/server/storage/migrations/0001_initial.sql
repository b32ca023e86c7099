-- Users, chats, members and messages. Counters on chats make per-chat seq gap-free:
-- a send bumps chats.last_seq under the chat row's lock, in the same statement as the insert.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  username text NOT NULL,
  password_hash text NOT NULL,
  -- Bumped by logout: tokens carrying an older version stop working everywhere.
  token_version integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_ci ON users (lower(username));

CREATE TABLE chats (
  id uuid PRIMARY KEY,
  type text NOT NULL CHECK (type IN ('direct', 'group')),
  name text,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- "smaller-uuid:larger-uuid" for direct chats, so a pair has at most one.
  direct_key text UNIQUE,
  last_seq integer NOT NULL DEFAULT 0,
  last_change_seq integer NOT NULL DEFAULT 0,
  last_activity_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chat_members (
  chat_id uuid NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id),
  role text NOT NULL CHECK (role IN ('owner', 'member')),
  joined_at timestamptz NOT NULL DEFAULT now(),
  last_read_seq integer NOT NULL DEFAULT 0,
  PRIMARY KEY (chat_id, user_id)
);
CREATE INDEX chat_members_by_user ON chat_members (user_id);

CREATE TABLE messages (
  id uuid PRIMARY KEY,
  chat_id uuid NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  sender_id uuid NOT NULL REFERENCES users (id),
  body text NOT NULL,
  status text NOT NULL CHECK (status IN ('sent', 'updated', 'deleted')),
  seq integer NOT NULL,
  change_seq integer NOT NULL,
  client_msg_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz,
  UNIQUE (chat_id, seq),
  UNIQUE (sender_id, client_msg_id)
);
CREATE INDEX messages_by_change ON messages (chat_id, change_seq);
