-- charla_fold without its translate() for text that is all ASCII (docs/benchmarks.md, "What the
-- search index costs the send path"). translate() compares each character of the text with
-- each of the 82 letters it folds, one multibyte comparison at a time: 27 µs for a message of
-- 90 bytes on PostgreSQL 15, two thirds of what the index cost every insert, and the group
-- commit writes one batch at a time, so it came straight off the throughput. Those letters are
-- all outside ASCII, so on ASCII text translate() changes nothing and lower() alone gives the
-- same result (1 µs): every index entry and every query stays as it was, no reindex needed.
-- octet_length = char_length says "ASCII only" in UTF-8, the encoding of both backends.
CREATE OR REPLACE FUNCTION charla_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT CASE WHEN octet_length(t) = char_length(t) THEN lower(t)
    ELSE translate(lower(t),
      'ÁÀÂÄÃÅĀÉÈÊËĒĚÍÌÎÏĪÓÒÔÖÕØŌÚÙÛÜŪŮÝŸÑŃŇÇĆČŠŽáàâäãåāéèêëēěíìîïīóòôöõøōúùûüūůýÿñńňçćčšž',
      'aaaaaaaeeeeeeiiiiiooooooouuuuuuyynnncccszaaaaaaaeeeeeeiiiiiooooooouuuuuuyynnncccsz')
  END
$fn$;
