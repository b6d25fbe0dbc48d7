CREATE TABLE "invoice_pseudonymisations" (
	"tenant_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"pseudonymised_at" timestamp with time zone NOT NULL,
	CONSTRAINT "invoice_pseudonymisations_tenant_id_invoice_id_pk" PRIMARY KEY("tenant_id","invoice_id")
);
