-- Times are integer microseconds since the Unix epoch, UTC: they sort as
-- numbers and keep the precision PostgreSQL keeps. Every table carries
-- blog_id so that one install can later hold many blogs.

CREATE TABLE authors (
	id            INTEGER PRIMARY KEY,
	blog_id       INTEGER NOT NULL DEFAULT 1,
	slug          TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL UNIQUE,
	email         TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL,
	password_hash TEXT NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL
);

CREATE TABLE topics (
	id          INTEGER PRIMARY KEY,
	blog_id     INTEGER NOT NULL DEFAULT 1,
	slug        TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL UNIQUE,
	description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE entries (
	id               INTEGER PRIMARY KEY,
	blog_id          INTEGER NOT NULL DEFAULT 1,
	basename         TEXT NOT NULL,
	path             TEXT NOT NULL UNIQUE,
	title            TEXT NOT NULL DEFAULT '',
	format           TEXT NOT NULL,
	status           TEXT NOT NULL,
	published_at     INTEGER NOT NULL,
	author_id        INTEGER NOT NULL REFERENCES authors (id),
	-- primary_topic_id repeats the first of the entry's topics so that the
	-- related-entries query of every entry page is one index range.
	primary_topic_id INTEGER REFERENCES topics (id) ON DELETE SET NULL,
	allow_comments   INTEGER NOT NULL DEFAULT 1,
	allow_pings      INTEGER NOT NULL DEFAULT 1,
	comment_count    INTEGER NOT NULL DEFAULT 0, -- approved comments, kept by triggers
	import_key       TEXT UNIQUE,                -- NULL for entries written here
	created_at       INTEGER NOT NULL,
	updated_at       INTEGER NOT NULL
);
CREATE INDEX entries_by_status_time ON entries (status, published_at, id);

-- The texts of an entry live apart from the rest of it, so that the rows that
-- listings, counts, neighbours and the comment-count triggers read and write
-- stay a few dozen bytes long instead of carrying kilobytes of text through
-- overflow pages. body_html and extended_html are NULL when the rendered text
-- is the source itself (HTML entries, most imported ones), so it is not
-- stored twice.
CREATE TABLE entry_texts (
	entry_id      INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
	body          TEXT NOT NULL DEFAULT '',
	extended_body TEXT NOT NULL DEFAULT '',
	excerpt       TEXT NOT NULL DEFAULT '',
	keywords      TEXT NOT NULL DEFAULT '',
	body_html     TEXT,
	extended_html TEXT
);
CREATE INDEX entries_by_author ON entries (author_id, status, published_at, id);
CREATE INDEX entries_by_primary_topic ON entries (primary_topic_id, status, published_at, id);

-- entry_counts holds the number of entries of each status, so that the
-- number of visible entries every listing shows needs no scan of them all.
CREATE TABLE entry_counts (
	blog_id INTEGER NOT NULL DEFAULT 1,
	status  TEXT NOT NULL,
	n       INTEGER NOT NULL,
	PRIMARY KEY (blog_id, status)
) WITHOUT ROWID;
CREATE TRIGGER entries_count_insert AFTER INSERT ON entries BEGIN
	INSERT INTO entry_counts (blog_id, status, n) VALUES (NEW.blog_id, NEW.status, 1)
		ON CONFLICT (blog_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER entries_count_delete AFTER DELETE ON entries BEGIN
	UPDATE entry_counts SET n = n - 1 WHERE blog_id = OLD.blog_id AND status = OLD.status;
END;
CREATE TRIGGER entries_count_update AFTER UPDATE OF status ON entries
WHEN OLD.status != NEW.status BEGIN
	UPDATE entry_counts SET n = n - 1 WHERE blog_id = OLD.blog_id AND status = OLD.status;
	INSERT INTO entry_counts (blog_id, status, n) VALUES (NEW.blog_id, NEW.status, 1)
		ON CONFLICT (blog_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TABLE entry_topics (
	entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
	topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
	blog_id  INTEGER NOT NULL DEFAULT 1,
	position INTEGER NOT NULL, -- 0 is the primary topic
	PRIMARY KEY (entry_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX entry_topics_by_topic ON entry_topics (topic_id, entry_id);

CREATE TABLE entry_tags (
	entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	blog_id  INTEGER NOT NULL DEFAULT 1,
	name     TEXT NOT NULL,
	PRIMARY KEY (entry_id, position)
) WITHOUT ROWID;
CREATE INDEX entry_tags_by_name ON entry_tags (name);

CREATE TABLE comments (
	id         INTEGER PRIMARY KEY,
	blog_id    INTEGER NOT NULL DEFAULT 1,
	entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
	parent_id  INTEGER REFERENCES comments (id) ON DELETE SET NULL,
	name       TEXT NOT NULL DEFAULT '',
	email      TEXT NOT NULL DEFAULT '',
	url        TEXT NOT NULL DEFAULT '',
	ip         TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT '',
	body       TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL,
	import_key TEXT,
	created_at INTEGER NOT NULL
);
-- A named index rather than a UNIQUE column constraint, so that a bulk load
-- into an empty blog can build it once at its end (see internal/sqlite/bulk.go).
CREATE UNIQUE INDEX comments_by_import_key ON comments (import_key);
CREATE INDEX comments_by_entry ON comments (entry_id, created_at, id);
CREATE INDEX comments_by_status ON comments (status, created_at, id);
CREATE INDEX comments_by_parent ON comments (parent_id) WHERE parent_id IS NOT NULL;

CREATE TRIGGER comments_count_insert AFTER INSERT ON comments
WHEN NEW.status = 'approved' BEGIN
	UPDATE entries SET comment_count = comment_count + 1 WHERE id = NEW.entry_id;
END;
CREATE TRIGGER comments_count_delete AFTER DELETE ON comments
WHEN OLD.status = 'approved' BEGIN
	UPDATE entries SET comment_count = comment_count - 1 WHERE id = OLD.entry_id;
END;
CREATE TRIGGER comments_count_update AFTER UPDATE OF status, entry_id ON comments
WHEN (OLD.status = 'approved') != (NEW.status = 'approved') OR OLD.entry_id != NEW.entry_id BEGIN
	UPDATE entries SET comment_count = comment_count - 1
		WHERE id = OLD.entry_id AND OLD.status = 'approved';
	UPDATE entries SET comment_count = comment_count + 1
		WHERE id = NEW.entry_id AND NEW.status = 'approved';
END;

CREATE TABLE mentions (
	id         INTEGER PRIMARY KEY,
	blog_id    INTEGER NOT NULL DEFAULT 1,
	entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	source_url TEXT NOT NULL DEFAULT '',
	title      TEXT NOT NULL DEFAULT '',
	excerpt    TEXT NOT NULL DEFAULT '',
	blog_name  TEXT NOT NULL DEFAULT '',
	ip         TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL,
	import_key TEXT UNIQUE,
	created_at INTEGER NOT NULL
);
CREATE INDEX mentions_by_entry ON mentions (entry_id, created_at, id);

CREATE TABLE redirects (
	path     TEXT PRIMARY KEY,
	blog_id  INTEGER NOT NULL DEFAULT 1,
	entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX redirects_by_entry ON redirects (entry_id);

CREATE TABLE settings (
	blog_id INTEGER NOT NULL DEFAULT 1,
	key     TEXT NOT NULL,
	value   TEXT NOT NULL,
	PRIMARY KEY (blog_id, key)
) WITHOUT ROWID;

-- The search index: rowid is the entry's ID, body the plain text of its
-- rendered body and extended body. It holds only the index, no copy of the
-- text (contentless): the entries' texts are stored once, in entry_texts, and
-- the store makes search snippets from them (snippet.go). A copy would be a
-- quarter of the database and of an import's time.
CREATE VIRTUAL TABLE entry_search USING fts5 (
	title, body,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 2'
);
