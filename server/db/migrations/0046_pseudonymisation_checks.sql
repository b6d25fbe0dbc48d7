-- Tightens kluis_pseudonymise_invoice (ADR 0059) after review:
-- * a filed request is not enough to unlock it: the request must carry the recorded outcome
--   'erased' and the invoice's customer must be restricted, as erasure leaves it;
-- * the retention end is compared on the database's date in UTC, whatever TimeZone the calling
--   session set, so a caller cannot bring the date forward by changing its time zone.
CREATE OR REPLACE FUNCTION kluis_pseudonymise_invoice(p_invoice uuid, p_request uuid, p_name_enc bytea, p_at timestamptz)
  RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET TimeZone = 'UTC'
  AS $$
DECLARE
  v_tenant uuid := kluis_current_tenant();
  v_issue date;
  v_status text;
  v_customer uuid;
BEGIN
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'tenant_required: no tenant in this transaction' USING ERRCODE = 'P0001';
  END IF;
  SELECT issue_date, status, customer_id INTO v_issue, v_status, v_customer FROM invoices
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
  -- Only the invoices of a customer the business erased on this request: the request carries the
  -- recorded outcome 'erased' (a filed request alone, which anyone can make, is not enough), and
  -- the invoice's customer is restricted, as erasure leaves it.
  IF NOT EXISTS (SELECT 1 FROM subject_request_outcomes
                 WHERE tenant_id = v_tenant AND request_id = p_request AND outcome = 'erased')
     OR NOT EXISTS (SELECT 1 FROM customer_restrictions
                    WHERE tenant_id = v_tenant AND customer_id = v_customer AND kind = 'restriction') THEN
    RAISE EXCEPTION 'customer_not_erased: only an erased customer''s invoices are pseudonymised' USING ERRCODE = 'P0001';
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
