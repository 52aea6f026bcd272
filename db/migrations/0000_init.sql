CREATE TABLE `branches` (
	`id` text PRIMARY KEY NOT NULL,
	`guarantor_id` text NOT NULL,
	`name` text NOT NULL,
	`tel` text,
	`fax` text,
	`postal_code` text,
	`address` text,
	`email` text,
	FOREIGN KEY (`guarantor_id`) REFERENCES `guarantors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `branches_guarantor_idx` ON `branches` (`guarantor_id`);--> statement-breakpoint
CREATE TABLE `guarantors` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`short_name` text NOT NULL,
	`portal` text NOT NULL,
	`url` text,
	`address` text
);
