CREATE TABLE "business_notices" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone,
	"read_by" text,
	CONSTRAINT "business_notices_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "operator_alerts" (
	"key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"mailed" boolean NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "business_notices_subject_key" ON "business_notices" USING btree ("tenant_id","kind","subject_id");