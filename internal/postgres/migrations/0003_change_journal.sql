-- The change journal: the page-cache keys each journaled transaction
-- changed (see gazette.ChangeJournal), so that a static build renders again
-- only the pages that show them. change_state.version counts the statements
-- that write the tables public pages show, by trigger, so that a write that
-- names no keys (another program, a raw UPDATE) is seen: a journaled
-- transaction records the version it began at and the one it ended at, and
-- a gap between one row's end and the next one's start is a write nobody
-- journaled. The trigger counts a transaction's own bumps in a setting
-- local to it, so that its starting version is known without a read at
-- every BEGIN; the row lock on change_state keeps the bumps of two
-- transactions from interleaving.
CREATE TABLE change_state (
	id             integer PRIMARY KEY CHECK (id = 1),
	journal        text NOT NULL,
	version        bigint NOT NULL,
	pruned_through bigint NOT NULL
);
INSERT INTO change_state (id, journal, version, pruned_through)
	VALUES (1, substr(md5(random()::text || clock_timestamp()::text), 1, 16), 1, 0);

CREATE TABLE change_journal (
	seq    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at     timestamptz NOT NULL,
	before bigint NOT NULL,
	after  bigint NOT NULL,
	keys   text[] NOT NULL
);
CREATE INDEX change_journal_by_time ON change_journal (at);

CREATE FUNCTION change_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE change_state SET version = version + 1;
	PERFORM set_config('gazette.change_bumps',
		(coalesce(nullif(current_setting('gazette.change_bumps', true), ''), '0')::bigint + 1)::text, true);
	RETURN NULL;
END
$$;

CREATE TRIGGER change_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON authors
	FOR EACH STATEMENT EXECUTE FUNCTION change_version_bump();
CREATE TRIGGER change_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON topics
	FOR EACH STATEMENT EXECUTE FUNCTION change_version_bump();
CREATE TRIGGER change_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON entries
	FOR EACH STATEMENT EXECUTE FUNCTION change_version_bump();
CREATE TRIGGER change_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON entry_topics
	FOR EACH STATEMENT EXECUTE FUNCTION change_version_bump();
CREATE TRIGGER change_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON entry_tags
	FOR EACH STATEMENT EXECUTE FUNCTION change_version_bump();
CREATE TRIGGER change_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON comments
	FOR EACH STATEMENT EXECUTE FUNCTION change_version_bump();
CREATE TRIGGER change_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON mentions
	FOR EACH STATEMENT EXECUTE FUNCTION change_version_bump();
CREATE TRIGGER change_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
	FOR EACH STATEMENT EXECUTE FUNCTION change_version_bump();
CREATE TRIGGER change_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON media
	FOR EACH STATEMENT EXECUTE FUNCTION change_version_bump();
