-- A first-time commenter is one with no approved comment: the check asks
-- for the oldest approved comment by an email address. SQLite planned it on
-- the index by status and time, for its order, and read every approved
-- comment; PostgreSQL used the index by email but sorted what it found. By
-- email, status and time, the index answers it in one search, as SQLite's
-- does (its migration 0007).
DROP INDEX IF EXISTS comments_by_email;
CREATE INDEX comments_by_email ON comments (email, status, created_at, id);
