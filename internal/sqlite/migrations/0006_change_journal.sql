-- The change journal: the page-cache keys each journaled transaction
-- changed (see gazette.ChangeJournal), so that a static build renders again
-- only the pages that show them. change_state.version counts every write to
-- the tables that public pages show, by trigger, so that a write that names
-- no keys (another program, a raw UPDATE) is seen: a journaled transaction
-- records the version it began at and the one it ended at, and a gap between
-- one row's end and the next one's start is a write nobody journaled.
CREATE TABLE change_state (
	id             INTEGER PRIMARY KEY CHECK (id = 1),
	journal        TEXT NOT NULL,
	version        INTEGER NOT NULL,
	pruned_through INTEGER NOT NULL
);
INSERT INTO change_state (id, journal, version, pruned_through)
	VALUES (1, lower(hex(randomblob(8))), 1, 0);

-- AUTOINCREMENT: a sequence number is never given twice, even once the
-- newest rows are pruned.
CREATE TABLE change_journal (
	seq    INTEGER PRIMARY KEY AUTOINCREMENT,
	at     INTEGER NOT NULL,
	before INTEGER NOT NULL,
	after  INTEGER NOT NULL,
	keys   TEXT NOT NULL -- one a line
);

-- The triggers are named change_version_* so that a bulk load can drop
-- them all and bump the version once at its end.
CREATE TRIGGER change_version_authors_insert AFTER INSERT ON authors BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_authors_update AFTER UPDATE ON authors BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_authors_delete AFTER DELETE ON authors BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_topics_insert AFTER INSERT ON topics BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_topics_update AFTER UPDATE ON topics BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_topics_delete AFTER DELETE ON topics BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_entries_insert AFTER INSERT ON entries BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_entries_update AFTER UPDATE ON entries BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_entries_delete AFTER DELETE ON entries BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_entry_texts_insert AFTER INSERT ON entry_texts BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_entry_texts_update AFTER UPDATE ON entry_texts BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_entry_texts_delete AFTER DELETE ON entry_texts BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_entry_topics_insert AFTER INSERT ON entry_topics BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_entry_topics_update AFTER UPDATE ON entry_topics BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_entry_topics_delete AFTER DELETE ON entry_topics BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_entry_tags_insert AFTER INSERT ON entry_tags BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_entry_tags_update AFTER UPDATE ON entry_tags BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_entry_tags_delete AFTER DELETE ON entry_tags BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_comments_insert AFTER INSERT ON comments BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_comments_update AFTER UPDATE ON comments BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_comments_delete AFTER DELETE ON comments BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_mentions_insert AFTER INSERT ON mentions BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_mentions_update AFTER UPDATE ON mentions BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_mentions_delete AFTER DELETE ON mentions BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_settings_insert AFTER INSERT ON settings BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_settings_update AFTER UPDATE ON settings BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_settings_delete AFTER DELETE ON settings BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_media_insert AFTER INSERT ON media BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_media_update AFTER UPDATE ON media BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_media_delete AFTER DELETE ON media BEGIN
	UPDATE change_state SET version = version + 1;
END;
