-- The audit log and reports are read newest first. created_at alone cannot order them: two
-- entries written within one tick of the clock (PGlite's is coarse) tie, and the random uuid
-- then decides. An identity column gives the order of insertion.
ALTER TABLE audit_log ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX audit_log_by_seq ON audit_log (seq DESC);
DROP INDEX audit_log_newest;

ALTER TABLE reports ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX reports_by_seq ON reports (seq DESC);
DROP INDEX reports_newest;
