-- Comment intake: the form tokens comments were accepted with, the blog's
-- signing secrets, and what the spam filter has learnt.

-- Lookups by email: the first-time moderation policy and duplicate checks.
CREATE INDEX comments_by_email ON comments (email, entry_id);

CREATE TABLE comment_tokens (
	token      TEXT PRIMARY KEY,
	blog_id    INTEGER NOT NULL DEFAULT 1,
	comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
	expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX comment_tokens_by_expiry ON comment_tokens (expires_at);
CREATE INDEX comment_tokens_by_comment ON comment_tokens (comment_id);

CREATE TABLE secrets (
	blog_id INTEGER NOT NULL DEFAULT 1,
	name    TEXT NOT NULL,
	value   BLOB NOT NULL,
	PRIMARY KEY (blog_id, name)
) WITHOUT ROWID;

CREATE TABLE spam_tokens (
	blog_id INTEGER NOT NULL DEFAULT 1,
	token   TEXT NOT NULL,
	ham     INTEGER NOT NULL DEFAULT 0,
	spam    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (blog_id, token)
) WITHOUT ROWID;

CREATE TABLE spam_totals (
	blog_id INTEGER PRIMARY KEY,
	ham     INTEGER NOT NULL DEFAULT 0,
	spam    INTEGER NOT NULL DEFAULT 0
);

-- spam_trained says which way each comment was learnt, so that a changed
-- decision moves its counts instead of counting it twice.
CREATE TABLE spam_trained (
	comment_id INTEGER PRIMARY KEY REFERENCES comments (id) ON DELETE CASCADE,
	blog_id    INTEGER NOT NULL DEFAULT 1,
	spam       INTEGER NOT NULL
);
