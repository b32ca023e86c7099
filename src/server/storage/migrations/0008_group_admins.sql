-- Group roles: owner, admin, member. Group admins add and remove members (not the owner) and
-- delete any message of the group; only the owner changes roles.
ALTER TABLE chat_members DROP CONSTRAINT chat_members_role_check;
ALTER TABLE chat_members ADD CONSTRAINT chat_members_role_check
  CHECK (role IN ('owner', 'admin', 'member'));
