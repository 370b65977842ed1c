-- 0005_event_cancelled_at: remembers when an event was cancelled, so that every feed keeps it (STATUS:CANCELLED)
-- for a window counted from its cancellation (not from a later edit), and a participant's personal feed keeps
-- it for the registrations that the cancellation itself cancelled (they were live until then).

ALTER TABLE events ADD COLUMN cancelled_at INTEGER; -- when it was last cancelled; NULL: never cancelled
-- events cancelled before this migration: their last change is the best date known
UPDATE events SET cancelled_at = updated_at WHERE status = 'cancelled';
ALTER TABLE registrations ADD COLUMN cancelled_by_event INTEGER NOT NULL DEFAULT 0; -- 1: cancelled by the
-- cancellation of its event (it was live until then), 0 otherwise; any later change of status clears it
UPDATE registrations SET cancelled_by_event = 1 WHERE status = 'cancelled' AND event_id IN
(SELECT id FROM events WHERE status = 'cancelled') AND updated_at >= (SELECT cancelled_at FROM events
WHERE events.id = registrations.event_id);
