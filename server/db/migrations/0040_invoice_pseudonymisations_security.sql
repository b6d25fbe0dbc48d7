-- Pseudonymising an erased customer's issued invoices once their retention period ended (ADR 0059).
-- Hand-written: drizzle-kit does not express RLS, grants, functions or triggers.
-- The record is tenant data (forced RLS). The app role may only read it: rows are written by
-- kluis_pseudonymise_invoice, in the same statement sequence as the one change it makes.
SELECT kluis_protect_tenant_table('invoice_pseudonymisations');
--> statement-breakpoint
GRANT SELECT ON invoice_pseudonymisations TO kluis_app;
--> statement-breakpoint
-- Issued invoices stay frozen (ADR 0020) with one exception: inside kluis_pseudonymise_invoice —
-- the only code that runs as another role than kluis_app and sets the flag to this invoice's id —
-- the buyer's personal columns may be replaced by a pseudonym name and NULLs, and nothing else.
-- kluis_app can set the flag itself, but its updates still run as kluis_app and are refused.
CREATE OR REPLACE FUNCTION kluis_invoice_immutable() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  movable CONSTANT text[] := ARRAY['status', 'paid_minor', 'sent_at', 'paid_at', 'credited_at', 'updated_at', 'version'];
  lifecycle CONSTANT text[] := ARRAY['draft', 'issued', 'sent', 'partially_paid', 'paid', 'credited'];
  personal CONSTANT text[] := ARRAY['buyer_name_enc', 'buyer_contact_person_enc', 'buyer_street_enc',
    'buyer_postal_code_enc', 'buyer_city_enc', 'buyer_vat_number_enc', 'buyer_kvk_number_enc',
    'buyer_email_enc', 'buyer_peppol_id_enc', 'buyer_reference_enc'];
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
  IF current_user <> 'kluis_app'
     AND current_setting('kluis.pseudonymise_invoice', true) = OLD.id::text THEN
    IF (to_jsonb(NEW) - personal) IS DISTINCT FROM (to_jsonb(OLD) - personal)
       OR NEW.buyer_name_enc IS NULL
       OR num_nonnulls(NEW.buyer_contact_person_enc, NEW.buyer_street_enc, NEW.buyer_postal_code_enc,
            NEW.buyer_city_enc, NEW.buyer_vat_number_enc, NEW.buyer_kvk_number_enc, NEW.buyer_email_enc,
            NEW.buyer_peppol_id_enc, NEW.buyer_reference_enc) > 0 THEN
      RAISE EXCEPTION 'invoice_already_issued: pseudonymising changes only the buyer''s personal fields' USING ERRCODE = 'P0001';
    END IF;
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
-- The one way to pseudonymise an issued invoice: of the current tenant, issued, on a request of
-- that tenant, not done before, and only after the retention period (7 years after the end of
-- the calendar year of issue, art. 52 AWR) on the database's own clock — so a caller cannot
-- bring the date forward. The name becomes the given envelope (the app seals the pseudonym for
-- this row); every other personal buyer field becomes NULL. Runs as the function's owner, which
-- the trigger above recognises; the flag is transaction-local and cleared before returning.
CREATE OR REPLACE FUNCTION kluis_pseudonymise_invoice(p_invoice uuid, p_request uuid, p_name_enc bytea, p_at timestamptz)
  RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
DECLARE
  v_tenant uuid := kluis_current_tenant();
  v_issue date;
  v_status text;
BEGIN
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'tenant_required: no tenant in this transaction' USING ERRCODE = 'P0001';
  END IF;
  SELECT issue_date, status INTO v_issue, v_status FROM invoices
    WHERE tenant_id = v_tenant AND id = p_invoice FOR UPDATE;
  IF NOT FOUND OR v_status = 'draft' THEN
    RAISE EXCEPTION 'invoice_not_issued: only an issued invoice is pseudonymised' USING ERRCODE = 'P0001';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM subject_requests WHERE tenant_id = v_tenant AND id = p_request) THEN
    RAISE EXCEPTION 'subject_request_not_found: pseudonymising needs the request' USING ERRCODE = 'P0001';
  END IF;
  IF current_date <= (make_date(extract(year FROM v_issue)::int, 12, 31) + interval '7 years')::date THEN
    RAISE EXCEPTION 'retention_not_over: the invoice must still be kept as it is' USING ERRCODE = 'P0001';
  END IF;
  IF p_name_enc IS NULL THEN
    RAISE EXCEPTION 'pseudonym_required: the buyer keeps a pseudonym as its name' USING ERRCODE = 'P0001';
  END IF;
  -- The primary key refuses a second pseudonymisation of the same invoice.
  INSERT INTO invoice_pseudonymisations (tenant_id, invoice_id, request_id, pseudonymised_at)
    VALUES (v_tenant, p_invoice, p_request, p_at);
  PERFORM set_config('kluis.pseudonymise_invoice', p_invoice::text, true);
  UPDATE invoices SET buyer_name_enc = p_name_enc, buyer_contact_person_enc = NULL,
      buyer_street_enc = NULL, buyer_postal_code_enc = NULL, buyer_city_enc = NULL,
      buyer_vat_number_enc = NULL, buyer_kvk_number_enc = NULL, buyer_email_enc = NULL,
      buyer_peppol_id_enc = NULL, buyer_reference_enc = NULL
    WHERE tenant_id = v_tenant AND id = p_invoice;
  PERFORM set_config('kluis.pseudonymise_invoice', '', true);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION kluis_pseudonymise_invoice(uuid, uuid, bytea, timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION kluis_pseudonymise_invoice(uuid, uuid, bytea, timestamptz) TO kluis_app;
