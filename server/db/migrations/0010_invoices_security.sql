-- Tenant isolation, grants and immutability of invoices (invariants 1 and 5). Hand-written:
-- drizzle-kit does not express RLS, grants or triggers. See docs/adr/0020-invoice-numbering-and-immutability.md.
SELECT kluis_protect_tenant_table('invoice_settings');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('number_series');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('invoices');
--> statement-breakpoint
SELECT kluis_protect_tenant_table('invoice_lines');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON invoice_settings TO kluis_app;
--> statement-breakpoint
-- No DELETE: a removed series row would restart its numbers and hand out duplicates.
GRANT SELECT, INSERT, UPDATE ON number_series TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO kluis_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON invoice_lines TO kluis_app;
--> statement-breakpoint
-- A series only counts up: a lowered counter would reuse numbers that are already on invoices.
CREATE OR REPLACE FUNCTION kluis_number_series_forward() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF NEW.next_value < OLD.next_value OR NEW.series <> OLD.series OR NEW.tenant_id <> OLD.tenant_id THEN
    RAISE EXCEPTION 'number_series_backwards: a number series only counts up' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER number_series_forward BEFORE UPDATE ON number_series
  FOR EACH ROW EXECUTE FUNCTION kluis_number_series_forward();
--> statement-breakpoint
-- Once issued, an invoice's content never changes and it is never deleted. Only the lifecycle and
-- payment columns may move, and the status only forward. This holds for every client of the
-- database, not just the use cases, which refuse earlier with invoice_already_issued.
CREATE OR REPLACE FUNCTION kluis_invoice_immutable() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  movable CONSTANT text[] := ARRAY['status', 'paid_minor', 'sent_at', 'paid_at', 'credited_at', 'updated_at', 'version'];
  lifecycle CONSTANT text[] := ARRAY['draft', 'issued', 'sent', 'partially_paid', 'paid', 'credited'];
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'invoice_already_issued: an issued invoice cannot be deleted' USING ERRCODE = 'P0001';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'draft' THEN
    RETURN NEW;
  END IF;
  IF (to_jsonb(NEW) - movable) IS DISTINCT FROM (to_jsonb(OLD) - movable) THEN
    RAISE EXCEPTION 'invoice_already_issued: the content of an issued invoice cannot change' USING ERRCODE = 'P0001';
  END IF;
  IF array_position(lifecycle, NEW.status) < array_position(lifecycle, OLD.status)
     OR NEW.paid_minor < OLD.paid_minor THEN
    RAISE EXCEPTION 'invoice_status_backwards: an issued invoice only moves forward' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION kluis_invoice_immutable();
--> statement-breakpoint
-- Lines belong to the content: no line of a non-draft invoice is added, changed or removed. FOR SHARE
-- waits for a concurrent issuing transaction (which holds the invoice FOR UPDATE) and then sees its
-- outcome, so a line cannot slip in after the totals were computed. A parent that is gone is a draft
-- being deleted (its own trigger already allowed that), so its lines may go with it.
CREATE OR REPLACE FUNCTION kluis_invoice_line_immutable() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  parent_status text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT status INTO parent_status FROM invoices
      WHERE tenant_id = OLD.tenant_id AND id = OLD.invoice_id FOR SHARE;
    IF parent_status IS NOT NULL AND parent_status <> 'draft' THEN
      RAISE EXCEPTION 'invoice_already_issued: the lines of an issued invoice cannot change' USING ERRCODE = 'P0001';
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT status INTO parent_status FROM invoices
      WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id FOR SHARE;
    IF parent_status IS NOT NULL AND parent_status <> 'draft' THEN
      RAISE EXCEPTION 'invoice_already_issued: the lines of an issued invoice cannot change' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
  END IF;
  RETURN OLD;
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_immutable BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION kluis_invoice_line_immutable();
