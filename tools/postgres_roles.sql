-- The PostgreSQL role the Médiathèque desks connect with: rows only, no schema changes,
-- and the audit trail is append-only (UPDATE/DELETE on audit_entry are refused).
--
-- Run as the database owner, in the library's database, after every upgrade:
--   psql -d mediatheque -v role=mediatheque_desk -v password='a long secret' \
--        -f tools/postgres_roles.sql
-- Then give the desks: postgresql+psycopg://mediatheque_desk:PASSWORD@server/mediatheque
-- Upgrades and restores are run with the owner's address (mediatheque --db ... restore).
-- The same is done by `mediatheque staff pg-role --role NAME` (password on stdin).

\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'role', :'password') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'role') \gexec

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"role";
REVOKE CREATE ON SCHEMA public FROM :"role";
GRANT USAGE ON SCHEMA public TO :"role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"role";
REVOKE UPDATE, DELETE, TRUNCATE ON public.audit_entry FROM :"role";
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public.alembic_version FROM :"role";
