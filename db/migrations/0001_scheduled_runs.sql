CREATE TABLE `scheduled_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`cron` text NOT NULL,
	`scheduled_at` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text NOT NULL,
	`outcome` text NOT NULL,
	`detail` text NOT NULL,
	`duration_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `scheduled_runs_started_idx` ON `scheduled_runs` (`started_at`);