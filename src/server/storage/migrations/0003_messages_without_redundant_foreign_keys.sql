-- A message's chat and sender are checked by the append itself (a chat_members row, whose
-- foreign keys hold both), and chats and users are never deleted. The foreign keys on
-- messages checked them again for every row, with a trigger each and a row lock on the
-- sender's users row.
ALTER TABLE messages
  DROP CONSTRAINT messages_chat_id_fkey,
  DROP CONSTRAINT messages_sender_id_fkey;
