CREATE TABLE "products" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"unit" text NOT NULL,
	"unit_price" text NOT NULL,
	"vat_category" text NOT NULL,
	"vat_rate" text NOT NULL,
	"archived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "products_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "products_vat_category" CHECK ("products"."vat_category" IN ('S', 'Z', 'E', 'AE', 'K', 'G', 'O'))
);
--> statement-breakpoint
CREATE TABLE "quote_lines" (
	"tenant_id" uuid NOT NULL,
	"quote_id" uuid NOT NULL,
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
	CONSTRAINT "quote_lines_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "quote_number_series" (
	"tenant_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"next_value" integer NOT NULL,
	CONSTRAINT "quote_number_series_tenant_id_year_pk" PRIMARY KEY("tenant_id","year"),
	CONSTRAINT "quote_number_series_next_positive" CHECK ("quote_number_series"."next_value" >= 1)
);
--> statement-breakpoint
CREATE TABLE "quotes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"customer_id" uuid NOT NULL,
	"number" text,
	"quote_date" date,
	"valid_until" date,
	"currency" text NOT NULL,
	"notes_enc" "bytea",
	"allowances" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"charges" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"line_extension_minor" bigint NOT NULL,
	"allowance_total_minor" bigint NOT NULL,
	"charge_total_minor" bigint NOT NULL,
	"tax_exclusive_minor" bigint NOT NULL,
	"tax_minor" bigint NOT NULL,
	"tax_inclusive_minor" bigint NOT NULL,
	"vat_breakdown" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"invoice_id" uuid,
	"sent_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"declined_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "quotes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "quotes_status" CHECK ("quotes"."status" IN ('draft', 'sent', 'accepted', 'declined')),
	CONSTRAINT "quotes_sent_complete" CHECK ("quotes"."status" = 'draft' OR ("quotes"."number" IS NOT NULL AND "quotes"."quote_date" IS NOT NULL
        AND "quotes"."valid_until" IS NOT NULL AND "quotes"."sent_at" IS NOT NULL)),
	CONSTRAINT "quotes_accepted_invoice" CHECK (("quotes"."status" = 'accepted') = ("quotes"."invoice_id" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "quote_lines" ADD CONSTRAINT "quote_lines_quote_fk" FOREIGN KEY ("tenant_id","quote_id") REFERENCES "public"."quotes"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "products_name_idx" ON "products" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "quote_lines_position_key" ON "quote_lines" USING btree ("tenant_id","quote_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_number_key" ON "quotes" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE INDEX "quotes_status_idx" ON "quotes" USING btree ("tenant_id","status","valid_until");--> statement-breakpoint
CREATE INDEX "quotes_customer_idx" ON "quotes" USING btree ("tenant_id","customer_id");