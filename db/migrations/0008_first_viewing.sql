-- A guarantee's first viewing by the agency follows from its recorded verifications: set by the
-- database when the first one is recorded, so verification records a viewing in one statement.
CREATE TRIGGER `verifications_first_viewing` AFTER INSERT ON `verifications`
BEGIN
  UPDATE `guarantees` SET `agency_viewed_at` = NEW.`at`
  WHERE `id` = NEW.`guarantee_id` AND `agency_viewed_at` IS NULL;
END;
