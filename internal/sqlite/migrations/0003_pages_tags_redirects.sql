-- Pages, sticky entries, nested topics, tag archives, and redirects to paths
-- that are no entry (an imported blog's category, tag, author and feed
-- addresses).

ALTER TABLE entries ADD COLUMN kind TEXT NOT NULL DEFAULT 'entry';
ALTER TABLE entries ADD COLUMN sticky INTEGER NOT NULL DEFAULT 0;
-- Pages are few: every listing's count subtracts them through this index.
CREATE INDEX entries_pages ON entries (status, published_at) WHERE kind = 'page';
CREATE INDEX entries_sticky ON entries (published_at, id) WHERE sticky = 1;

ALTER TABLE topics ADD COLUMN parent_id INTEGER REFERENCES topics (id) ON DELETE SET NULL;

-- slug is gazette.TagSlug(name), written by the store. Rows written before
-- this migration get an approximation that the next save of their entry
-- corrects.
ALTER TABLE entry_tags ADD COLUMN slug TEXT NOT NULL DEFAULT '';
UPDATE entry_tags SET slug = lower(replace(trim(name), ' ', '-'));
CREATE INDEX entry_tags_by_slug ON entry_tags (slug, entry_id);

-- A redirect leads to an entry or to a path, never both: SQLite cannot drop
-- the NOT NULL of entry_id in place, so the table is rebuilt.
CREATE TABLE redirects_new (
	path     TEXT PRIMARY KEY,
	blog_id  INTEGER NOT NULL DEFAULT 1,
	entry_id INTEGER REFERENCES entries (id) ON DELETE CASCADE,
	target   TEXT NOT NULL DEFAULT '',
	CHECK ((entry_id IS NULL) != (target = ''))
) WITHOUT ROWID;
INSERT INTO redirects_new (path, blog_id, entry_id) SELECT path, blog_id, entry_id FROM redirects;
DROP TABLE redirects;
ALTER TABLE redirects_new RENAME TO redirects;
CREATE INDEX redirects_by_entry ON redirects (entry_id);
