-- A static build writes a page for the redirect of each old address, so
-- public pages now show the redirects table: a write to it that names no
-- keys in the change journal must, like one to any other such table, make
-- the next build a full one.
CREATE TRIGGER change_version_redirects_insert AFTER INSERT ON redirects BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_redirects_update AFTER UPDATE ON redirects BEGIN
	UPDATE change_state SET version = version + 1;
END;
CREATE TRIGGER change_version_redirects_delete AFTER DELETE ON redirects BEGIN
	UPDATE change_state SET version = version + 1;
END;
