-- change_state.version now moves once for each transaction that writes the
-- tables public pages show, at its first such statement, rather than at
-- every statement: one transaction updating the one row of change_state
-- again and again leaves a longer chain of its versions at each update,
-- for the next to walk, and an import (all of a blog in one transaction,
-- some 200,000 statements for 10,000 entries and their comments) took
-- longer with every row, minutes where it had taken seconds.
--
-- The setting local to the transaction now holds the ID of the transaction
-- that bumped, rather than a count: a value set for the session, the role
-- or the database cannot pass for this transaction's bump and stop it, and
-- the journal counts one bump when the setting names the transaction. A
-- savepoint rolled back takes back its bump and the setting alike, and the
-- next statement bumps again.
CREATE OR REPLACE FUNCTION change_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('gazette.change_bumps', true) IS DISTINCT FROM pg_current_xact_id()::text THEN
		UPDATE change_state SET version = version + 1;
		PERFORM set_config('gazette.change_bumps', pg_current_xact_id()::text, true);
	END IF;
	RETURN NULL;
END
$$;
