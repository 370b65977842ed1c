-- 0005_event_cancelled_at: remembers when an event was cancelled, so that every feed keeps it (STATUS:CANCELLED)
-- for a window counted from its cancellation (not from a later edit), and a participant's personal feed keeps
-- it for the registrations that the cancellation itself cancelled (they were live until then).

ALTER TABLE events ADD COLUMN cancelled_at INTEGER; -- when it was last cancelled; NULL: never cancelled
-- events cancelled before this migration: their last change is the best date known
UPDATE events SET cancelled_at = updated_at WHERE status = 'cancelled';
