ALTER TABLE "webhook_attempts" ALTER COLUMN "request_body" DROP NOT NULL;--> statement-breakpoint
-- Room on each page for the new version of a row: a claim (lease, attempt count) and an attempt's result
-- change no indexed column, so with space beside the old version they are HOT updates and add no index entries.
ALTER TABLE "webhook_deliveries" SET (fillfactor = 50);--> statement-breakpoint
ALTER TABLE "webhook_attempts" SET (fillfactor = 60);
