-- A chat's description (groups; set by the owner or a group admin), and each member's mute.
ALTER TABLE chats ADD COLUMN description text;
ALTER TABLE chat_members ADD COLUMN muted boolean NOT NULL DEFAULT false;
