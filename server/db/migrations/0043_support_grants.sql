CREATE TABLE "support_grants" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"scope" text NOT NULL,
	"reason_enc" "bytea" NOT NULL,
	"operator_id" uuid,
	"granted_by" uuid NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"first_used_at" timestamp with time zone,
	CONSTRAINT "support_grants_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
