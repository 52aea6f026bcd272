CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`agency_id` text NOT NULL,
	`message` text NOT NULL,
	`source_url` text,
	`contact_box` text,
	`received_at` text NOT NULL,
	`handled_at` text
);
--> statement-breakpoint
CREATE INDEX `reports_open_idx` ON `reports` (`handled_at`,`received_at`);--> statement-breakpoint
-- Reports are append-only, enforced by the database: never deleted, their content never rewritten;
-- only the operator's handled_at may be set, once (npm run cli -- reports done ID).
CREATE TRIGGER `reports_no_delete` BEFORE DELETE ON `reports`
BEGIN SELECT RAISE(ABORT, 'reports are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `reports_no_update` BEFORE UPDATE ON `reports`
WHEN OLD.`handled_at` IS NOT NULL
  OR NEW.`id` IS NOT OLD.`id` OR NEW.`agency_id` IS NOT OLD.`agency_id` OR NEW.`message` IS NOT OLD.`message`
  OR NEW.`source_url` IS NOT OLD.`source_url` OR NEW.`contact_box` IS NOT OLD.`contact_box`
  OR NEW.`received_at` IS NOT OLD.`received_at`
BEGIN SELECT RAISE(ABORT, 'reports are append-only (only handled_at may be set, once)'); END;
