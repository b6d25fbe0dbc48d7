CREATE TABLE "invoice_lines" (
	"tenant_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"position" integer NOT NULL,
	"description_enc" "bytea" NOT NULL,
	"quantity" text NOT NULL,
	"unit" text NOT NULL,
	"unit_price" text NOT NULL,
	"price_base_quantity" text,
	"discount_percent" text,
	"discount_amount" text,
	"vat_category" text NOT NULL,
	"vat_rate" text NOT NULL,
	"net_minor" bigint NOT NULL,
	"credited_line_id" uuid,
	CONSTRAINT "invoice_lines_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "invoice_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"seller_name_enc" "bytea" NOT NULL,
	"seller_street_enc" "bytea",
	"seller_postal_code_enc" "bytea",
	"seller_city_enc" "bytea",
	"seller_country" text NOT NULL,
	"seller_vat_number_enc" "bytea",
	"seller_kvk_number_enc" "bytea",
	"seller_iban_enc" "bytea",
	"seller_bic" text,
	"seller_email_enc" "bytea",
	"seller_phone_enc" "bytea",
	"is_kor" boolean DEFAULT false NOT NULL,
	"number_format" text DEFAULT '{YYYY}-{seq:4}' NOT NULL,
	"default_payment_term_days" integer DEFAULT 30 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"customer_id" uuid NOT NULL,
	"series" text,
	"seq" bigint,
	"number" text,
	"issue_date" date,
	"due_date" date,
	"supply_date" date,
	"period_start" date,
	"period_end" date,
	"currency" text NOT NULL,
	"exchange_rate" text,
	"buyer_name_enc" "bytea",
	"buyer_contact_person_enc" "bytea",
	"buyer_street_enc" "bytea",
	"buyer_postal_code_enc" "bytea",
	"buyer_city_enc" "bytea",
	"buyer_country" text,
	"buyer_vat_number_enc" "bytea",
	"buyer_kvk_number_enc" "bytea",
	"buyer_email_enc" "bytea",
	"buyer_peppol_id_enc" "bytea",
	"seller_name_enc" "bytea",
	"seller_street_enc" "bytea",
	"seller_postal_code_enc" "bytea",
	"seller_city_enc" "bytea",
	"seller_country" text,
	"seller_vat_number_enc" "bytea",
	"seller_kvk_number_enc" "bytea",
	"seller_iban_enc" "bytea",
	"seller_bic" text,
	"seller_email_enc" "bytea",
	"seller_is_kor" boolean,
	"buyer_reference_enc" "bytea",
	"order_reference_enc" "bytea",
	"payment_term_days" integer,
	"payment_terms_enc" "bytea",
	"notes_enc" "bytea",
	"delivery_country" text,
	"exemption_reason" text,
	"exemption_reason_code" text,
	"allowances" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"charges" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"line_extension_minor" bigint NOT NULL,
	"allowance_total_minor" bigint NOT NULL,
	"charge_total_minor" bigint NOT NULL,
	"tax_exclusive_minor" bigint NOT NULL,
	"tax_minor" bigint NOT NULL,
	"tax_inclusive_minor" bigint NOT NULL,
	"payable_minor" bigint NOT NULL,
	"tax_accounting_minor" bigint,
	"vat_breakdown" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"credited_invoice_id" uuid,
	"credited_invoice_number" text,
	"credited_invoice_date" date,
	"paid_minor" bigint DEFAULT 0 NOT NULL,
	"issued_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"credited_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "invoices_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "invoices_kind" CHECK ("invoices"."kind" IN ('invoice', 'credit_note')),
	CONSTRAINT "invoices_status" CHECK ("invoices"."status" IN ('draft', 'issued', 'sent', 'partially_paid', 'paid', 'credited')),
	CONSTRAINT "invoices_issued_complete" CHECK ("invoices"."status" = 'draft' OR ("invoices"."number" IS NOT NULL AND "invoices"."seq" IS NOT NULL AND "invoices"."issue_date" IS NOT NULL
        AND "invoices"."issued_at" IS NOT NULL AND "invoices"."buyer_name_enc" IS NOT NULL AND "invoices"."seller_name_enc" IS NOT NULL)),
	CONSTRAINT "invoices_credit_note_reference" CHECK (("invoices"."kind" = 'credit_note') = ("invoices"."credited_invoice_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "number_series" (
	"tenant_id" uuid NOT NULL,
	"series" text NOT NULL,
	"next_value" bigint NOT NULL,
	CONSTRAINT "number_series_tenant_id_series_pk" PRIMARY KEY("tenant_id","series"),
	CONSTRAINT "number_series_next_positive" CHECK ("number_series"."next_value" >= 1)
);
--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_fk" FOREIGN KEY ("tenant_id","invoice_id") REFERENCES "public"."invoices"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_credited_invoice_fk" FOREIGN KEY ("tenant_id","credited_invoice_id") REFERENCES "public"."invoices"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_lines_position_key" ON "invoice_lines" USING btree ("tenant_id","invoice_id","position");--> statement-breakpoint
CREATE INDEX "invoice_lines_credited_idx" ON "invoice_lines" USING btree ("tenant_id","credited_line_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_series_seq_key" ON "invoices" USING btree ("tenant_id","series","seq");--> statement-breakpoint
CREATE INDEX "invoices_status_idx" ON "invoices" USING btree ("tenant_id","status","issue_date");--> statement-breakpoint
CREATE INDEX "invoices_customer_idx" ON "invoices" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "invoices_credited_idx" ON "invoices" USING btree ("tenant_id","credited_invoice_id");