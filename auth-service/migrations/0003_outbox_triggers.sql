-- auth-service's messages are written by triggers, in the transaction of the
-- change they describe, whichever Better-Auth code path (sign-up, social sign-in,
-- organization and admin plugins) or hand-run SQL made it. Each message's shape
-- is a contract in shared/contracts; auth-service's tests parse what these write.

CREATE FUNCTION "auth"."iso_time"(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
--> statement-breakpoint
-- Better-Auth keeps roles as comma-separated lists; messages carry the strongest.
CREATE FUNCTION "auth"."organization_role"(stored text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN 'owner' = ANY (string_to_array(replace(coalesce(stored, ''), ' ', ''), ',')) THEN 'owner'
    WHEN 'admin' = ANY (string_to_array(replace(coalesce(stored, ''), ' ', ''), ',')) THEN 'admin'
    ELSE 'member'
  END
$$;
--> statement-breakpoint
CREATE FUNCTION "auth"."write_outbox"(message_type text, subject text, data jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  next_version integer;
  message_id uuid := gen_random_uuid();
BEGIN
  INSERT INTO "auth"."message_versions" AS v (subject, version) VALUES (subject, 1)
  ON CONFLICT ON CONSTRAINT message_versions_pkey DO UPDATE SET version = v.version + 1
  RETURNING v.version INTO next_version;
  INSERT INTO "auth"."outbox" (message_id, type, envelope, headers)
  VALUES (
    message_id,
    message_type,
    jsonb_build_object(
      'id', message_id, 'type', message_type, 'source', 'auth-service',
      'time', "auth"."iso_time"(clock_timestamp()),
      'subject', subject, 'version', next_version, 'data', data),
    -- auth-service sets this per transaction when it knows the trace (see src/db/trace-in-transactions.ts).
    coalesce(nullif(current_setting('twenny.message_headers', true), '')::jsonb, '{}'::jsonb)
  );
  PERFORM pg_notify('twenny_outbox_auth', '');
END
$$;
--> statement-breakpoint
CREATE FUNCTION "auth"."user_outbox"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "auth"."write_outbox"('auth.user.registered.v1', NEW.id::text,
    jsonb_build_object('userId', NEW.id, 'registeredAt', "auth"."iso_time"(NEW.created_at)));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "user_registered_outbox" AFTER INSERT ON "auth"."user"
FOR EACH ROW EXECUTE FUNCTION "auth"."user_outbox"();
--> statement-breakpoint
CREATE FUNCTION "auth"."organization_outbox"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "auth"."write_outbox"('auth.organization.created.v1', NEW.id::text,
      jsonb_build_object('organizationId', NEW.id, 'name', NEW.name, 'slug', NEW.slug));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM "auth"."write_outbox"('auth.organization.updated.v1', NEW.id::text,
      jsonb_build_object('organizationId', NEW.id, 'name', NEW.name, 'slug', NEW.slug));
  ELSE
    PERFORM "auth"."write_outbox"('auth.organization.deleted.v1', OLD.id::text,
      jsonb_build_object('organizationId', OLD.id));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "organization_created_outbox" AFTER INSERT ON "auth"."organization"
FOR EACH ROW EXECUTE FUNCTION "auth"."organization_outbox"();
--> statement-breakpoint
CREATE TRIGGER "organization_updated_outbox" AFTER UPDATE OF name, slug ON "auth"."organization"
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.slug IS DISTINCT FROM NEW.slug)
EXECUTE FUNCTION "auth"."organization_outbox"();
--> statement-breakpoint
CREATE TRIGGER "organization_deleted_outbox" AFTER DELETE ON "auth"."organization"
FOR EACH ROW EXECUTE FUNCTION "auth"."organization_outbox"();
--> statement-breakpoint
CREATE FUNCTION "auth"."member_outbox"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "auth"."write_outbox"('auth.organization.member-added.v1', NEW.organization_id::text,
      jsonb_build_object('organizationId', NEW.organization_id, 'userId', NEW.user_id, 'role', "auth"."organization_role"(NEW.role)));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM "auth"."write_outbox"('auth.organization.member-role-changed.v1', NEW.organization_id::text,
      jsonb_build_object('organizationId', NEW.organization_id, 'userId', NEW.user_id, 'role', "auth"."organization_role"(NEW.role)));
  ELSE
    PERFORM "auth"."write_outbox"('auth.organization.member-removed.v1', OLD.organization_id::text,
      jsonb_build_object('organizationId', OLD.organization_id, 'userId', OLD.user_id));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "member_added_outbox" AFTER INSERT ON "auth"."member"
FOR EACH ROW EXECUTE FUNCTION "auth"."member_outbox"();
--> statement-breakpoint
CREATE TRIGGER "member_role_changed_outbox" AFTER UPDATE OF role ON "auth"."member"
FOR EACH ROW WHEN ("auth"."organization_role"(OLD.role) IS DISTINCT FROM "auth"."organization_role"(NEW.role))
EXECUTE FUNCTION "auth"."member_outbox"();
--> statement-breakpoint
CREATE TRIGGER "member_removed_outbox" AFTER DELETE ON "auth"."member"
FOR EACH ROW EXECUTE FUNCTION "auth"."member_outbox"();
