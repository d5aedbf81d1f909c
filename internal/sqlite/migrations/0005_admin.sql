-- The authors' area: sessions and failed sign-ins (kept here so that every
-- instance sees them), uploaded media, revisions of entries and the trash.

CREATE TABLE sessions (
	id         TEXT PRIMARY KEY, -- a hash of the browser's secret
	blog_id    INTEGER NOT NULL DEFAULT 1,
	author_id  INTEGER NOT NULL, -- 0: the setup link
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_author ON sessions (author_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE login_failures (
	id      INTEGER PRIMARY KEY,
	blog_id INTEGER NOT NULL DEFAULT 1,
	key     TEXT NOT NULL,
	at      INTEGER NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);

CREATE TABLE media (
	id         INTEGER PRIMARY KEY,
	blog_id    INTEGER NOT NULL DEFAULT 1,
	path       TEXT NOT NULL UNIQUE,
	type       TEXT NOT NULL,
	size       INTEGER NOT NULL,
	width      INTEGER NOT NULL DEFAULT 0,
	height     INTEGER NOT NULL DEFAULT 0,
	alt        TEXT NOT NULL,
	author_id  INTEGER NOT NULL DEFAULT 0,
	variants   TEXT NOT NULL DEFAULT '', -- one "path width height" a line
	created_at INTEGER NOT NULL
);

-- Revisions outlive their entry, so that a restored entry keeps its history
-- to read; hence no foreign key.
CREATE TABLE revisions (
	id            INTEGER PRIMARY KEY,
	blog_id       INTEGER NOT NULL DEFAULT 1,
	entry_id      INTEGER NOT NULL,
	author_id     INTEGER NOT NULL,
	title         TEXT NOT NULL DEFAULT '',
	body          TEXT NOT NULL DEFAULT '',
	extended_body TEXT NOT NULL DEFAULT '',
	excerpt       TEXT NOT NULL DEFAULT '',
	format        TEXT NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL
);
CREATE INDEX revisions_by_entry ON revisions (entry_id, id);

CREATE TABLE trash (
	id         INTEGER PRIMARY KEY,
	blog_id    INTEGER NOT NULL DEFAULT 1,
	entry_id   INTEGER NOT NULL,
	title      TEXT NOT NULL DEFAULT '',
	author_id  INTEGER NOT NULL,
	data       BLOB NOT NULL,
	deleted_at INTEGER NOT NULL
);
