-- 0006_registration_pending_link: a personal link mailed again works before its mail can reach the
-- participant. Before the notifications worker hands a link mail to the mail server it stores the new link's
-- hash here, in its own commit; the personal link and the QR ticket answer to token_hash or to this one. When
-- the mail server accepts the mail the new hash replaces token_hash (the old link stops working); when the
-- mail is given up it is cleared (the old link goes on working); after a temporary failure it stays until the
-- next try, which mails the same link.

ALTER TABLE registrations ADD COLUMN pending_token_hash TEXT; -- SHA-256 hex of the new personal link's secret
-- while the mail carrying it is under way; NULL otherwise
CREATE UNIQUE INDEX registrations_pending_token ON registrations(pending_token_hash)
WHERE pending_token_hash IS NOT NULL;
