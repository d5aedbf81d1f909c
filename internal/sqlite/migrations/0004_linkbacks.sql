-- Linkbacks: what a mention's source says of itself (its h-entry), the
-- permalinks of deleted entries (answered with 410 Gone), and outbound
-- webmentions, queued and recorded.

ALTER TABLE mentions ADD COLUMN type TEXT NOT NULL DEFAULT ''; -- '' is a plain mention
ALTER TABLE mentions ADD COLUMN author_name TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN author_url TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN author_photo TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX mentions_by_source ON mentions (source_url);

CREATE TABLE gone_paths (
	path       TEXT PRIMARY KEY,
	blog_id    INTEGER NOT NULL DEFAULT 1,
	deleted_at INTEGER NOT NULL
) WITHOUT ROWID;

-- entry_ping_queue holds entries whose links are to be looked at; no
-- foreign key, since a deleted entry's old targets must still be told.
CREATE TABLE entry_ping_queue (
	entry_id INTEGER PRIMARY KEY,
	blog_id  INTEGER NOT NULL DEFAULT 1,
	due_at   INTEGER NOT NULL
);
CREATE INDEX entry_ping_queue_by_due ON entry_ping_queue (due_at);

CREATE TABLE pings (
	id         INTEGER PRIMARY KEY,
	blog_id    INTEGER NOT NULL DEFAULT 1,
	entry_id   INTEGER NOT NULL,
	source     TEXT NOT NULL,
	target     TEXT NOT NULL,
	status     TEXT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    INTEGER NOT NULL DEFAULT 0,
	endpoint   TEXT NOT NULL DEFAULT '',
	response   INTEGER NOT NULL DEFAULT 0,
	error      TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL,
	UNIQUE (entry_id, target)
);
CREATE INDEX pings_due ON pings (next_at) WHERE status = 'queued';
