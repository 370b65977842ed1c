-- 0002_import_uid: remembers the iCalendar UID an event was imported from (POST /api/v1/events/import), so
-- that importing the same file again into the same organisation creates nothing twice.

ALTER TABLE events ADD COLUMN import_uid TEXT; -- UID of the VEVENT it was imported from; NULL: not imported
CREATE UNIQUE INDEX events_import_uid ON events(org_id, import_uid) WHERE import_uid IS NOT NULL;
