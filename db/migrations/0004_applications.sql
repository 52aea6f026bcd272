CREATE TABLE `applications` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`created_by` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`body` text NOT NULL,
	`agency_id` text,
	`branch_id` text,
	`guarantor_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`submitted_at` text,
	`rejection_reason` text,
	`warnings` text,
	`create_key` text,
	`submit_key` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`guarantor_id`) REFERENCES `guarantors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `applications_company_updated_idx` ON `applications` (`company_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `applications_queue_idx` ON `applications` (`guarantor_id`,`status`,`submitted_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `applications_create_key_idx` ON `applications` (`company_id`,`create_key`);