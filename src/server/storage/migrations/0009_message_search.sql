-- Message search: PostgreSQL full-text search over each message's words, the same on PGlite
-- (no extension needed). Words are compared folded: lower case and without the accents of
-- Spanish and the other Latin-script languages Charla's users write (á → a, ñ → n, ç → c),
-- with the `simple` configuration, so a word matches a whole word and nothing is stemmed
-- ("corre" does not find "correr"). Upper-case letters are listed as well because lower()
-- of a non-ASCII letter depends on the database's locale.
CREATE FUNCTION charla_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT translate(lower(t),
    'ÁÀÂÄÃÅĀÉÈÊËĒĚÍÌÎÏĪÓÒÔÖÕØŌÚÙÛÜŪŮÝŸÑŃŇÇĆČŠŽáàâäãåāéèêëēěíìîïīóòôöõøōúùûüūůýÿñńňçćčšž',
    'aaaaaaaeeeeeeiiiiiooooooouuuuuuyynnncccszaaaaaaaeeeeeeiiiiiooooooouuuuuuyynnncccsz')
$fn$;

CREATE FUNCTION charla_search_vector(body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT to_tsvector('simple'::regconfig, public.charla_fold(body))
$fn$;

CREATE FUNCTION charla_search_query(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT plainto_tsquery('simple'::regconfig, public.charla_fold(q))
$fn$;

-- Qualified by schema: PostgreSQL 17 (PGlite) builds an index with a search_path of
-- pg_catalog only.
-- Deleted messages are left out of the index (and of every search).
CREATE INDEX messages_search ON messages USING gin (charla_search_vector(body))
  WHERE status <> 'deleted';
