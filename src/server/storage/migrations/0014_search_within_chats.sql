-- Search within the caller's chats inside the index (docs/benchmarks.md, "Search on 1,000,000
-- messages"). The index of 0009 held the words only: a common word's search fetched every
-- message of the whole database containing it (a third of them) and only then kept the
-- caller's chats. Each indexed document now also holds one lexeme naming its chat, and a
-- search ANDs the word with the OR of the caller's chats' lexemes, so GIN intersects the
-- posting lists (skipping through the word's long list with the chats' short ones) and
-- returns only the caller's matches. No extension needed (btree_gin is not on every
-- PostgreSQL), so the SQL stays the same on PGlite. (OR REPLACE and IF EXISTS: this landed
-- for a few minutes as a second 0013, so a development database may have applied it.)

-- 'chat:<uuid>' does not come out of ordinary words (the parser splits a word at ':' and
-- '-'), and the query checks each message's chat as well, so a collision could cost time,
-- never a wrong result.
CREATE OR REPLACE FUNCTION charla_chat_lexeme(chat_id uuid) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT 'chat:' || chat_id::text
$fn$;

CREATE OR REPLACE FUNCTION charla_search_document(chat_id uuid, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT public.charla_search_vector(body) || array_to_tsvector(ARRAY[public.charla_chat_lexeme(chat_id)])
$fn$;

-- The query for `q` restricted to `chat_ids`; NULL when `q` has no word (nothing matches
-- then, as before: tsquery's AND with an empty side would match all the chats' messages).
CREATE OR REPLACE FUNCTION charla_search_in_chats(q text, chat_ids uuid[]) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT CASE WHEN numnode(w) = 0 OR cardinality(chat_ids) = 0 THEN NULL
              ELSE w && (SELECT string_agg(quote_literal(public.charla_chat_lexeme(c)), ' | ')
                           FROM unnest(chat_ids) c)::tsquery
         END
    FROM public.charla_search_query(q) w
$fn$;

DROP INDEX IF EXISTS messages_search;
CREATE INDEX messages_search ON messages USING gin (charla_search_document(chat_id, body))
  WHERE status <> 'deleted';
