CREATE TABLE "customers" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name_enc" "bytea" NOT NULL,
	"name_bidx" "bytea" NOT NULL,
	"contact_person_enc" "bytea",
	"email_enc" "bytea",
	"email_bidx" "bytea",
	"other_emails_enc" "bytea",
	"phone_enc" "bytea",
	"street_enc" "bytea",
	"postal_code_enc" "bytea",
	"city_enc" "bytea",
	"country" text,
	"iban_enc" "bytea",
	"iban_bidx" "bytea",
	"bic" text,
	"account_holder_enc" "bytea",
	"vat_number_enc" "bytea",
	"vat_number_bidx" "bytea",
	"kvk_number_enc" "bytea",
	"kvk_number_bidx" "bytea",
	"salutation_enc" "bytea",
	"language" text DEFAULT 'nl' NOT NULL,
	"payment_term_days" integer DEFAULT 30 NOT NULL,
	"default_vat_category" text,
	"peppol_id_enc" "bytea",
	"reference_enc" "bytea",
	"notes_enc" "bytea",
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE INDEX "customers_name_bidx_idx" ON "customers" USING btree ("tenant_id","name_bidx");--> statement-breakpoint
CREATE INDEX "customers_email_bidx_idx" ON "customers" USING btree ("tenant_id","email_bidx");--> statement-breakpoint
CREATE INDEX "customers_iban_bidx_idx" ON "customers" USING btree ("tenant_id","iban_bidx");--> statement-breakpoint
CREATE INDEX "customers_vat_number_bidx_idx" ON "customers" USING btree ("tenant_id","vat_number_bidx");--> statement-breakpoint
CREATE INDEX "customers_kvk_number_bidx_idx" ON "customers" USING btree ("tenant_id","kvk_number_bidx");