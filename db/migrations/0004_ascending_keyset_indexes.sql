DROP INDEX "audit_log_merchant_created_idx";--> statement-breakpoint
DROP INDEX "payment_links_merchant_created_idx";--> statement-breakpoint
DROP INDEX "provider_notifications_merchant_created_idx";--> statement-breakpoint
DROP INDEX "webhook_deliveries_merchant_created_idx";--> statement-breakpoint
DROP INDEX "webhook_deliveries_merchant_status_idx";--> statement-breakpoint
DROP INDEX "webhook_deliveries_endpoint_idx";--> statement-breakpoint
CREATE INDEX "audit_log_merchant_created_idx" ON "audit_log" USING btree ("merchant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "payment_links_merchant_created_idx" ON "payment_links" USING btree ("merchant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "provider_notifications_merchant_created_idx" ON "provider_notifications" USING btree ("merchant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_merchant_created_idx" ON "webhook_deliveries" USING btree ("merchant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_merchant_status_idx" ON "webhook_deliveries" USING btree ("merchant_id","status","created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" USING btree ("endpoint_id","created_at");