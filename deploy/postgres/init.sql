-- twenny: one database, one schema per service, one login role per service that can
-- use only its own schema. This is the SQL form of provisionDatabase() in
-- shared/db/src/provision.ts (used by `npm start`); keep the two in step, and keep the
-- role/schema list equal to shared/db/src/service-databases.ts (test/compose.test.ts
-- checks that).
--
-- The postgres image runs this once, with psql as the superuser, when it initialises
-- an empty data directory. It is idempotent, so it can also be re-run by hand:
--   docker compose exec -T postgres psql -v ON_ERROR_STOP=1 -U postgres -f - < deploy/postgres/init.sql
--
-- Passwords are the role names: the same local-development defaults as provision.ts
-- and the services' DATABASE_URL defaults. An existing role's password is left alone,
-- so rotated passwords survive a re-run. Real deployments set their own (Secrets).

\set ON_ERROR_STOP on

-- CREATE DATABASE cannot run in a transaction or a DO block: psql's \gexec runs it
-- only when the database is missing.
SELECT 'CREATE DATABASE twenny'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'twenny')\gexec

\connect twenny

BEGIN;

-- Serialises with provisionDatabase() (same advisory lock key).
SELECT pg_advisory_xact_lock(hashtext('twenny-provision'));

REVOKE ALL ON DATABASE twenny FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;

-- Roles are cluster-wide, so one may exist already (another database of the
-- cluster, a re-run): "already exists" is success and its password is kept.
-- A role may connect, and use its own schema; it cannot create schemas or temp
-- tables (shared/db/src/run-migrations.ts migrates without CREATE SCHEMA).

-- auth-service
DO $$ BEGIN
  CREATE ROLE "twenny_auth" WITH LOGIN PASSWORD 'twenny_auth';
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
REVOKE CREATE, TEMPORARY ON DATABASE twenny FROM "twenny_auth";
GRANT CONNECT ON DATABASE twenny TO "twenny_auth";
CREATE SCHEMA IF NOT EXISTS "auth" AUTHORIZATION "twenny_auth";
ALTER SCHEMA "auth" OWNER TO "twenny_auth";
REVOKE ALL ON SCHEMA "auth" FROM PUBLIC;
ALTER ROLE "twenny_auth" IN DATABASE twenny SET search_path = "auth";

-- catalog-service
DO $$ BEGIN
  CREATE ROLE "twenny_catalog" WITH LOGIN PASSWORD 'twenny_catalog';
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
REVOKE CREATE, TEMPORARY ON DATABASE twenny FROM "twenny_catalog";
GRANT CONNECT ON DATABASE twenny TO "twenny_catalog";
CREATE SCHEMA IF NOT EXISTS "catalog" AUTHORIZATION "twenny_catalog";
ALTER SCHEMA "catalog" OWNER TO "twenny_catalog";
REVOKE ALL ON SCHEMA "catalog" FROM PUBLIC;
ALTER ROLE "twenny_catalog" IN DATABASE twenny SET search_path = "catalog";
-- Typo-tolerant event search (service-databases.ts `extensions`).
CREATE EXTENSION IF NOT EXISTS "pg_trgm" WITH SCHEMA "catalog";

-- order-service (and its worker)
DO $$ BEGIN
  CREATE ROLE "twenny_orders" WITH LOGIN PASSWORD 'twenny_orders';
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
REVOKE CREATE, TEMPORARY ON DATABASE twenny FROM "twenny_orders";
GRANT CONNECT ON DATABASE twenny TO "twenny_orders";
CREATE SCHEMA IF NOT EXISTS "orders" AUTHORIZATION "twenny_orders";
ALTER SCHEMA "orders" OWNER TO "twenny_orders";
REVOKE ALL ON SCHEMA "orders" FROM PUBLIC;
ALTER ROLE "twenny_orders" IN DATABASE twenny SET search_path = "orders";

-- media-service
DO $$ BEGIN
  CREATE ROLE "twenny_media" WITH LOGIN PASSWORD 'twenny_media';
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
REVOKE CREATE, TEMPORARY ON DATABASE twenny FROM "twenny_media";
GRANT CONNECT ON DATABASE twenny TO "twenny_media";
CREATE SCHEMA IF NOT EXISTS "media" AUTHORIZATION "twenny_media";
ALTER SCHEMA "media" OWNER TO "twenny_media";
REVOKE ALL ON SCHEMA "media" FROM PUBLIC;
ALTER ROLE "twenny_media" IN DATABASE twenny SET search_path = "media";

COMMIT;
