-- A first-time commenter is one with no approved comment: the check asks
-- for the oldest approved comment by an email address. Indexed by email and
-- entry, the query was planned on comments_by_status instead, for its
-- order, and read every approved comment of the blog (the whole table, on a
-- blog of 80,000 comments) for each new commenter's comment. Indexed by
-- email, status and time, the index answers it in one search.
DROP INDEX IF EXISTS comments_by_email;
CREATE INDEX comments_by_email ON comments (email, status, created_at, id);
