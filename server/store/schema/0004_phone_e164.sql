-- 0004_phone_e164: one phone number, one person. Phones were stored as typed, so "+212 612 34 56 78",
-- "+212612345678", "00212612345678" and "0612345678" were four people with four seats. Every phone
-- becomes E.164 ("+212612345678") as new ones are stored (text_phone_e164, through the SQL function
-- majlis_phone_e164() that the store registers before it migrates), and the people of one
-- organisation that thereby turn out to be one person are merged. No column changes.
--
-- * A phone that does not parse is kept as it was: nothing is lost. majlisd logs the ids of those
--   people (never the numbers) at each start until someone corrects them.
-- * Merged are people not erased, of the same organisation (or both of none), with the same E.164
--   phone, the same name (trimmed, ASCII case ignored) and no two different e-mail addresses. People
--   who share a phone under different names (a family's one phone) stay apart.
-- * The oldest (smallest id) is kept; its empty name_ar, nationality and e-mail are filled from the
--   others (oldest first). Registrations, facilitated sessions, outbox rows and calendar tokens move
--   to it; the other rows are deleted.
-- * Two registrations of merged people to one event become one: the better status is kept
--   (confirmed > pending > waitlisted > declined > cancelled > rejected; on a tie the earlier on the
--   waitlist, then the older). The other's attendance moves to it where it says more (present >
--   excused > absent, or where it has none), and so does its attendance confirmation; then the other
--   is deleted: its personal link stops working and its seat is released. Seats are only released,
--   never taken, so no event is overbooked; a released seat goes to the waitlist at the event's next
--   promotion (a cancellation, a capacity change).
-- * A migration is no one's change, but clients replay the change log: one "person.merged" row per
--   kept person ({"id","merged_ids"}) and one "registrations.merged" row per event that lost
--   registrations ({"removed_ids"}), ids only, as every change-log payload.

UPDATE people SET phone = majlis_phone_e164(phone)
	WHERE phone IS NOT NULL AND majlis_phone_e164(phone) IS NOT NULL AND majlis_phone_e164(phone) <> phone;

-- dup_id is merged into keep_id
CREATE TEMP TABLE m4_people AS
	SELECT p.id AS dup_id, g.keep_id AS keep_id
	FROM people p
	JOIN (SELECT coalesce(org_id, 0) AS org, phone, lower(trim(name)) AS nm, min(id) AS keep_id
	      FROM people WHERE phone IS NOT NULL AND erased_at IS NULL
	      GROUP BY 1, 2, 3 HAVING count(*) > 1 AND count(DISTINCT email) <= 1) g
	ON coalesce(p.org_id, 0) = g.org AND p.phone = g.phone AND lower(trim(p.name)) = g.nm
	WHERE p.erased_at IS NULL AND p.id <> g.keep_id;

UPDATE people SET
	name_ar = coalesce(name_ar, (SELECT d.name_ar FROM m4_people m JOIN people d ON d.id = m.dup_id
		WHERE m.keep_id = people.id AND d.name_ar IS NOT NULL ORDER BY d.id LIMIT 1)),
	nationality = coalesce(nationality, (SELECT d.nationality FROM m4_people m JOIN people d ON d.id = m.dup_id
		WHERE m.keep_id = people.id AND d.nationality IS NOT NULL ORDER BY d.id LIMIT 1)),
	email = coalesce(email, (SELECT d.email FROM m4_people m JOIN people d ON d.id = m.dup_id
		WHERE m.keep_id = people.id AND d.email IS NOT NULL ORDER BY d.id LIMIT 1))
	WHERE id IN (SELECT keep_id FROM m4_people);

-- every registration of a merged group, ranked per event: rank 1 is kept
CREATE TEMP TABLE m4_regs AS
	SELECT r.id AS reg_id, r.event_id AS event_id, coalesce(m.keep_id, r.person_id) AS keep_person,
		row_number() OVER (PARTITION BY r.event_id, coalesce(m.keep_id, r.person_id) ORDER BY
			CASE r.status WHEN 'confirmed' THEN 0 WHEN 'pending' THEN 1 WHEN 'waitlisted' THEN 2
				WHEN 'declined' THEN 3 WHEN 'cancelled' THEN 4 ELSE 5 END,
			r.waitlist_seq, r.id) AS rank
	FROM registrations r LEFT JOIN m4_people m ON m.dup_id = r.person_id
	WHERE r.person_id IN (SELECT dup_id FROM m4_people UNION SELECT keep_id FROM m4_people);

-- loser reg_id -> kept reg_id
CREATE TEMP TABLE m4_drop AS
	SELECT l.reg_id AS reg_id, w.reg_id AS keep_reg, l.event_id AS event_id
	FROM m4_regs l JOIN m4_regs w ON w.event_id = l.event_id AND w.keep_person = l.keep_person AND w.rank = 1
	WHERE l.rank > 1;

UPDATE attendance SET
	status = (SELECT a.status FROM attendance a JOIN m4_drop d ON d.reg_id = a.registration_id
		WHERE d.keep_reg = attendance.registration_id AND a.session_id = attendance.session_id
		ORDER BY CASE a.status WHEN 'present' THEN 0 WHEN 'excused' THEN 1 ELSE 2 END LIMIT 1),
	method = (SELECT a.method FROM attendance a JOIN m4_drop d ON d.reg_id = a.registration_id
		WHERE d.keep_reg = attendance.registration_id AND a.session_id = attendance.session_id
		ORDER BY CASE a.status WHEN 'present' THEN 0 WHEN 'excused' THEN 1 ELSE 2 END LIMIT 1),
	recorded_by = (SELECT a.recorded_by FROM attendance a JOIN m4_drop d ON d.reg_id = a.registration_id
		WHERE d.keep_reg = attendance.registration_id AND a.session_id = attendance.session_id
		ORDER BY CASE a.status WHEN 'present' THEN 0 WHEN 'excused' THEN 1 ELSE 2 END LIMIT 1),
	recorded_at = (SELECT a.recorded_at FROM attendance a JOIN m4_drop d ON d.reg_id = a.registration_id
		WHERE d.keep_reg = attendance.registration_id AND a.session_id = attendance.session_id
		ORDER BY CASE a.status WHEN 'present' THEN 0 WHEN 'excused' THEN 1 ELSE 2 END LIMIT 1)
	WHERE registration_id IN (SELECT keep_reg FROM m4_drop) AND EXISTS (
		SELECT 1 FROM attendance a JOIN m4_drop d ON d.reg_id = a.registration_id
		WHERE d.keep_reg = attendance.registration_id AND a.session_id = attendance.session_id
		AND CASE a.status WHEN 'present' THEN 0 WHEN 'excused' THEN 1 ELSE 2 END
			< CASE attendance.status WHEN 'present' THEN 0 WHEN 'excused' THEN 1 ELSE 2 END);

INSERT OR IGNORE INTO attendance (session_id, registration_id, status, method, recorded_by, recorded_at)
	SELECT a.session_id, d.keep_reg, a.status, a.method, a.recorded_by, a.recorded_at
	FROM attendance a JOIN m4_drop d ON d.reg_id = a.registration_id
	ORDER BY CASE a.status WHEN 'present' THEN 0 WHEN 'excused' THEN 1 ELSE 2 END;

UPDATE registrations SET attendance_confirmed_at = (SELECT min(r.attendance_confirmed_at)
		FROM registrations r JOIN m4_drop d ON d.reg_id = r.id WHERE d.keep_reg = registrations.id)
	WHERE attendance_confirmed_at IS NULL AND id IN (SELECT keep_reg FROM m4_drop);

INSERT INTO change_log (topic, kind, org_id, payload, created_at)
	SELECT 'event:' || d.event_id, 'registrations.merged', e.org_id,
		json_object('removed_ids', json_group_array(d.reg_id)), CAST(strftime('%s', 'now') AS INTEGER)
	FROM (SELECT * FROM m4_drop ORDER BY event_id, reg_id) d JOIN events e ON e.id = d.event_id
	GROUP BY d.event_id ORDER BY d.event_id;

DELETE FROM registrations WHERE id IN (SELECT reg_id FROM m4_drop);

UPDATE registrations SET person_id = (SELECT keep_id FROM m4_people WHERE dup_id = registrations.person_id)
	WHERE person_id IN (SELECT dup_id FROM m4_people);
UPDATE sessions SET facilitator_id = (SELECT keep_id FROM m4_people WHERE dup_id = sessions.facilitator_id)
	WHERE facilitator_id IN (SELECT dup_id FROM m4_people);
UPDATE outbox SET person_id = (SELECT keep_id FROM m4_people WHERE dup_id = outbox.person_id)
	WHERE person_id IN (SELECT dup_id FROM m4_people);
UPDATE calendar_tokens SET owner_id = (SELECT keep_id FROM m4_people WHERE dup_id = calendar_tokens.owner_id)
	WHERE owner_kind = 'person' AND owner_id IN (SELECT dup_id FROM m4_people);

INSERT INTO change_log (topic, kind, org_id, payload, created_at)
	SELECT 'person:' || m.keep_id, 'person.merged', p.org_id,
		json_object('id', m.keep_id, 'merged_ids', json_group_array(m.dup_id)),
		CAST(strftime('%s', 'now') AS INTEGER)
	FROM (SELECT * FROM m4_people ORDER BY keep_id, dup_id) m JOIN people p ON p.id = m.keep_id
	GROUP BY m.keep_id ORDER BY m.keep_id;

DELETE FROM people WHERE id IN (SELECT dup_id FROM m4_people);

DROP TABLE m4_drop;
DROP TABLE m4_regs;
DROP TABLE m4_people;
