CREATE TABLE `signing_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`guarantor_id` text NOT NULL,
	`alg` text NOT NULL,
	`public_jwk` text NOT NULL,
	`private_box` text NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`retired_at` text,
	FOREIGN KEY (`guarantor_id`) REFERENCES `guarantors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signing_keys_active_idx` ON `signing_keys` (`guarantor_id`) WHERE status = 'active';--> statement-breakpoint
CREATE INDEX `signing_keys_guarantor_idx` ON `signing_keys` (`guarantor_id`,`status`);--> statement-breakpoint
CREATE TABLE `verifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guarantee_id` text NOT NULL,
	`version` integer NOT NULL,
	`at` text NOT NULL,
	`client` text NOT NULL,
	`via` text NOT NULL,
	FOREIGN KEY (`guarantee_id`) REFERENCES `guarantees`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `verifications_guarantee_idx` ON `verifications` (`guarantee_id`,`at`);--> statement-breakpoint
ALTER TABLE `certificate_versions` ADD `kid` text;