-- A static build writes a page for the redirect of each old address, so
-- public pages now show the redirects table: a write to it that names no
-- keys in the change journal must, like one to any other such table, make
-- the next build a full one.
CREATE TRIGGER change_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON redirects
	FOR EACH STATEMENT EXECUTE FUNCTION change_version_bump();
