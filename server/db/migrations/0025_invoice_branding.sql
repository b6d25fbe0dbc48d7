ALTER TABLE "invoice_settings" ADD COLUMN "accent_color" text;--> statement-breakpoint
ALTER TABLE "invoice_settings" ADD COLUMN "logo_sha256" text;--> statement-breakpoint
ALTER TABLE "invoice_settings" ADD COLUMN "logo_media_type" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "style_accent_color" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "style_logo_sha256" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "style_logo_media_type" text;