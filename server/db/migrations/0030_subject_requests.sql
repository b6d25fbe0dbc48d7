CREATE TABLE "subject_request_outcomes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"reason_enc" "bytea",
	"deadline_at" timestamp with time zone,
	"decided_at" timestamp with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	CONSTRAINT "subject_request_outcomes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "subject_requests" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name_enc" "bytea" NOT NULL,
	"email_enc" "bytea" NOT NULL,
	"description_enc" "bytea" NOT NULL,
	"lang" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "subject_requests_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
