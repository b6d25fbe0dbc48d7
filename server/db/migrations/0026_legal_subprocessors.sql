CREATE TABLE "agreement_acceptances" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"document" text NOT NULL,
	"version" text NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"ip_enc" "bytea",
	CONSTRAINT "agreement_acceptances_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "privacy_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"contact_name_enc" "bytea" NOT NULL,
	"contact_email_enc" "bytea" NOT NULL,
	"contact_phone_enc" "bytea",
	"contact_confirmed_at" timestamp with time zone NOT NULL,
	"subprocessor_policy" text DEFAULT 'notify_object' NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subprocessor_decisions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"subprocessor_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason_enc" "bytea",
	"actor_type" text NOT NULL,
	"actor_id" text,
	"decided_at" timestamp with time zone NOT NULL,
	CONSTRAINT "subprocessor_decisions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "subprocessors" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"purpose" text NOT NULL,
	"data_categories" jsonb NOT NULL,
	"country" text NOT NULL,
	"parent_jurisdiction" text NOT NULL,
	"agreement_reference" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"removed_at" timestamp with time zone
);
