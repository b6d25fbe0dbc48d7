CREATE TABLE "idempotency_keys" (
	"tenant_id" uuid NOT NULL,
	"key_hash" "bytea" NOT NULL,
	"id" uuid NOT NULL,
	"fingerprint" "bytea" NOT NULL,
	"state" text NOT NULL,
	"status_code" integer,
	"response_enc" "bytea",
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_key_hash_pk" PRIMARY KEY("tenant_id","key_hash")
);
--> statement-breakpoint
CREATE INDEX "idempotency_keys_expiry_idx" ON "idempotency_keys" USING btree ("tenant_id","expires_at");