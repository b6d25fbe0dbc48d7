CREATE TABLE "customer_restrictions" (
	"tenant_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"request_id" uuid NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"lifted_at" timestamp with time zone,
	CONSTRAINT "customer_restrictions_tenant_id_customer_id_kind_pk" PRIMARY KEY("tenant_id","customer_id","kind")
);
