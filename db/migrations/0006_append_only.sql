-- Issued history is append-only, enforced by the database itself (not only by the code):
-- a certificate version is never deleted, and never changed but for its signature, set once.
CREATE TRIGGER `certificate_versions_no_delete` BEFORE DELETE ON `certificate_versions`
BEGIN SELECT RAISE(ABORT, 'certificate_versions is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `certificate_versions_no_update` BEFORE UPDATE ON `certificate_versions`
WHEN OLD.`jws` IS NOT NULL
  OR NEW.`guarantee_id` IS NOT OLD.`guarantee_id` OR NEW.`version` IS NOT OLD.`version`
  OR NEW.`reason` IS NOT OLD.`reason` OR NEW.`content` IS NOT OLD.`content`
  OR NEW.`issued_at` IS NOT OLD.`issued_at` OR NEW.`created_by` IS NOT OLD.`created_by`
BEGIN SELECT RAISE(ABORT, 'certificate_versions is append-only (only a missing signature may be set)'); END;
--> statement-breakpoint
-- An issued guarantee is never deleted, and its number, guarantor, kind and issue are never rewritten.
CREATE TRIGGER `guarantees_no_delete` BEFORE DELETE ON `guarantees`
BEGIN SELECT RAISE(ABORT, 'guarantees are never deleted'); END;
--> statement-breakpoint
CREATE TRIGGER `guarantees_fixed_identity` BEFORE UPDATE ON `guarantees`
WHEN NEW.`contract_number` IS NOT OLD.`contract_number` OR NEW.`seq` IS NOT OLD.`seq`
  OR NEW.`guarantor_id` IS NOT OLD.`guarantor_id` OR NEW.`application_id` IS NOT OLD.`application_id`
  OR NEW.`kind` IS NOT OLD.`kind` OR NEW.`issued_at` IS NOT OLD.`issued_at`
BEGIN SELECT RAISE(ABORT, 'a guarantee''s identity is fixed at issue'); END;
--> statement-breakpoint
-- The audit log: entries are never deleted, and only an unset hash may be filled (by the sealer).
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
WHEN OLD.`hash` IS NOT NULL
  OR NEW.`seq` IS NOT OLD.`seq` OR NEW.`at` IS NOT OLD.`at` OR NEW.`actor` IS NOT OLD.`actor`
  OR NEW.`action` IS NOT OLD.`action` OR NEW.`subject` IS NOT OLD.`subject` OR NEW.`detail` IS NOT OLD.`detail`
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only (only the seal may be set)'); END;
