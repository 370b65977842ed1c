-- 0003_outbox_delivery: what the notifications worker needs to give up on a message (no address,
-- refused by the mail server, too many attempts) without sending it again, and to find what is due.

ALTER TABLE outbox ADD COLUMN failed_at INTEGER; -- when delivery was given up (last_error says why); NULL otherwise
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox(not_before) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_created ON outbox(created_at); -- "was the link mailed in the last minutes?" (re-registering)
ALTER TABLE outbox ADD COLUMN event_id INTEGER; -- the event a notification is about (from its payload), for organisers' lists
UPDATE outbox SET event_id = json_extract(payload, '$.event_id');
CREATE INDEX outbox_event ON outbox(event_id, id) WHERE event_id IS NOT NULL;
