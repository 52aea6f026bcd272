CREATE TABLE `certificate_versions` (
	`guarantee_id` text NOT NULL,
	`version` integer NOT NULL,
	`reason` text NOT NULL,
	`content` text NOT NULL,
	`issued_at` text NOT NULL,
	`created_by` text NOT NULL,
	`jws` text,
	PRIMARY KEY(`guarantee_id`, `version`),
	FOREIGN KEY (`guarantee_id`) REFERENCES `guarantees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `guarantees` (
	`id` text PRIMARY KEY NOT NULL,
	`contract_number` text NOT NULL,
	`seq` integer NOT NULL,
	`guarantor_id` text NOT NULL,
	`branch_id` text NOT NULL,
	`application_id` text NOT NULL,
	`position` integer NOT NULL,
	`company_id` text NOT NULL,
	`agency_id` text,
	`kind` text NOT NULL,
	`delivery` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`current_version` integer DEFAULT 1 NOT NULL,
	`auth_key_hash` text,
	`auth_key_box` text,
	`key_generation` integer DEFAULT 1 NOT NULL,
	`issued_at` text NOT NULL,
	`issued_by` text NOT NULL,
	`agency_viewed_at` text,
	FOREIGN KEY (`guarantor_id`) REFERENCES `guarantors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`application_id`) REFERENCES `applications`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `guarantees_number_idx` ON `guarantees` (`contract_number`);--> statement-breakpoint
CREATE UNIQUE INDEX `guarantees_application_position_idx` ON `guarantees` (`application_id`,`position`);--> statement-breakpoint
CREATE INDEX `guarantees_company_idx` ON `guarantees` (`company_id`,`issued_at`);--> statement-breakpoint
CREATE INDEX `guarantees_guarantor_idx` ON `guarantees` (`guarantor_id`,`issued_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`template` text NOT NULL,
	`to` text NOT NULL,
	`data` text NOT NULL,
	`origin` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`provider_id` text,
	`created_at` text NOT NULL,
	`sent_at` text
);
--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_created_idx` ON `outbox` (`created_at`);--> statement-breakpoint
ALTER TABLE `applications` ADD `decided_at` text;--> statement-breakpoint
ALTER TABLE `applications` ADD `decided_by` text;--> statement-breakpoint
ALTER TABLE `applications` ADD `issue_token` text;