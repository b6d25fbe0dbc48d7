CREATE TABLE "invoice_payments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"paid_on" date NOT NULL,
	"method" text,
	"reference_enc" "bytea",
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "invoice_payments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "invoice_payments_amount_positive" CHECK ("invoice_payments"."amount_minor" > 0),
	CONSTRAINT "invoice_payments_method" CHECK ("invoice_payments"."method" IS NULL OR "invoice_payments"."method" IN ('bank_transfer', 'direct_debit', 'card', 'cash', 'ideal', 'other'))
);
--> statement-breakpoint
CREATE TABLE "recurring_invoices" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"template_enc" "bytea" NOT NULL,
	"currency" text NOT NULL,
	"frequency" text NOT NULL,
	"interval_unit" text NOT NULL,
	"interval_count" integer NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"mode" text NOT NULL,
	"status" text NOT NULL,
	"next_index" integer NOT NULL,
	"next_date" date,
	"last_date" date,
	"last_error" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "recurring_invoices_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "recurring_invoices_frequency" CHECK ("recurring_invoices"."frequency" IN ('monthly', 'quarterly', 'yearly', 'custom')),
	CONSTRAINT "recurring_invoices_unit" CHECK ("recurring_invoices"."interval_unit" IN ('day', 'week', 'month')),
	CONSTRAINT "recurring_invoices_count" CHECK ("recurring_invoices"."interval_count" BETWEEN 1 AND 366),
	CONSTRAINT "recurring_invoices_mode" CHECK ("recurring_invoices"."mode" IN ('draft', 'issue')),
	CONSTRAINT "recurring_invoices_status" CHECK ("recurring_invoices"."status" IN ('active', 'paused')),
	CONSTRAINT "recurring_invoices_end" CHECK ("recurring_invoices"."end_date" IS NULL OR "recurring_invoices"."end_date" >= "recurring_invoices"."start_date")
);
--> statement-breakpoint
CREATE TABLE "recurring_occurrences" (
	"tenant_id" uuid NOT NULL,
	"schedule_id" uuid NOT NULL,
	"occurrence_date" date NOT NULL,
	"invoice_id" uuid NOT NULL,
	"state" text NOT NULL,
	"error_code" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "recurring_occurrences_tenant_id_schedule_id_occurrence_date_pk" PRIMARY KEY("tenant_id","schedule_id","occurrence_date"),
	CONSTRAINT "recurring_occurrences_state" CHECK ("recurring_occurrences"."state" IN ('created', 'pending_issue', 'issued', 'issue_failed'))
);
--> statement-breakpoint
ALTER TABLE "invoice_payments" ADD CONSTRAINT "invoice_payments_invoice_fk" FOREIGN KEY ("tenant_id","invoice_id") REFERENCES "public"."invoices"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recurring_occurrences" ADD CONSTRAINT "recurring_occurrences_schedule_fk" FOREIGN KEY ("tenant_id","schedule_id") REFERENCES "public"."recurring_invoices"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoice_payments_invoice_idx" ON "invoice_payments" USING btree ("tenant_id","invoice_id");--> statement-breakpoint
CREATE INDEX "recurring_invoices_customer_idx" ON "recurring_invoices" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "recurring_occurrences_invoice_idx" ON "recurring_occurrences" USING btree ("tenant_id","invoice_id");