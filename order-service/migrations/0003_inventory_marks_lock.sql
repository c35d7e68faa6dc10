-- A change must never lose its mark. With ON CONFLICT DO NOTHING, a change
-- finding its ticket type already marked took no lock: the publisher could take
-- that mark and read the row as it was before the change committed, and the
-- change went unannounced. Now the changing transaction locks the mark until it
-- commits (a conflicting row is locked even when the WHERE of DO UPDATE writes
-- nothing), so the publisher, which takes marks FOR UPDATE SKIP LOCKED, leaves
-- it for its next round, when the change is visible.
CREATE OR REPLACE FUNCTION "orders"."mark_inventory_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "orders"."inventory_changes" (ticket_type_id) VALUES (NEW.ticket_type_id)
    ON CONFLICT (ticket_type_id) DO UPDATE SET ticket_type_id = excluded.ticket_type_id WHERE false;
  RETURN NULL;
END
$$;
