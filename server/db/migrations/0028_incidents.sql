CREATE TABLE "breach_notices" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"seq" integer NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"content" jsonb NOT NULL,
	CONSTRAINT "breach_notices_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "incident_scope" (
	"incident_id" uuid NOT NULL,
	"business_id" uuid NOT NULL,
	"people" integer NOT NULL,
	"records" integer NOT NULL,
	"scoped_at" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone,
	"updates_sent" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "incident_scope_incident_id_business_id_pk" PRIMARY KEY("incident_id","business_id")
);
--> statement-breakpoint
CREATE TABLE "incident_updates" (
	"incident_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"text" text NOT NULL,
	CONSTRAINT "incident_updates_incident_id_seq_pk" PRIMARY KEY("incident_id","seq")
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"discovered_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"nature" text NOT NULL,
	"systems" jsonb NOT NULL,
	"data_categories" jsonb NOT NULL,
	"description" text NOT NULL,
	"consequences" text NOT NULL,
	"measures" text NOT NULL,
	"encryption" text NOT NULL,
	"contact" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "breach_notices_incident_idx" ON "breach_notices" USING btree ("tenant_id","incident_id","seq");