-- 0007_counters: an event's registration numbers and a session's presence, kept as counters so that reading
-- them (live frames, the API) and checking capacity cost the same with 10 or 10 000 registrations. Triggers
-- keep them in the transaction of every change to registrations, attendance and people.sex, whoever writes
-- it (the domain, the demo loader, a migration); this migration fills them from a recount. A count of zero
-- may have no row. The numbers are aggregates only: no row here names a person.

-- Registrations of an event by status and by the person's sex.
CREATE TABLE registration_counts (
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	status TEXT NOT NULL,            -- registrations.status
	sex TEXT NOT NULL,               -- people.sex of the registered person
	n INTEGER NOT NULL,              -- how many registrations of the event have this status and sex
	PRIMARY KEY (event_id, status, sex)
);

-- Attendance marked present at a session, by the person's sex.
CREATE TABLE presence_counts (
	session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	sex TEXT NOT NULL,               -- people.sex of the registered person
	n INTEGER NOT NULL,              -- how many attendance rows of the session say present
	PRIMARY KEY (session_id, sex)
);

INSERT INTO registration_counts (event_id, status, sex, n)
SELECT r.event_id, r.status, p.sex, count(*) FROM registrations r JOIN people p ON p.id = r.person_id
GROUP BY r.event_id, r.status, p.sex;

INSERT INTO presence_counts (session_id, sex, n)
SELECT a.session_id, p.sex, count(*) FROM attendance a JOIN registrations r ON r.id = a.registration_id
JOIN people p ON p.id = r.person_id WHERE a.status = 'present' GROUP BY a.session_id, p.sex;

CREATE TRIGGER registrations_count_insert AFTER INSERT ON registrations BEGIN
	INSERT INTO registration_counts (event_id, status, sex, n)
	SELECT new.event_id, new.status, p.sex, 1 FROM people p WHERE p.id = new.person_id
	ON CONFLICT (event_id, status, sex) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER registrations_count_delete AFTER DELETE ON registrations BEGIN
	UPDATE registration_counts SET n = n - 1 WHERE event_id = old.event_id AND status = old.status
	AND sex = (SELECT sex FROM people WHERE id = old.person_id);
END;

CREATE TRIGGER registrations_count_update AFTER UPDATE OF status, event_id, person_id ON registrations
WHEN old.status IS NOT new.status OR old.event_id IS NOT new.event_id OR old.person_id IS NOT new.person_id
BEGIN
	UPDATE registration_counts SET n = n - 1 WHERE event_id = old.event_id AND status = old.status
	AND sex = (SELECT sex FROM people WHERE id = old.person_id);
	INSERT INTO registration_counts (event_id, status, sex, n)
	SELECT new.event_id, new.status, p.sex, 1 FROM people p WHERE p.id = new.person_id
	ON CONFLICT (event_id, status, sex) DO UPDATE SET n = n + 1;
END;

-- the registration passes to another person: its presence moves to their sex (attendance is reached
-- through the event's sessions and attendance's primary key, which has no index on registration_id alone)
CREATE TRIGGER registrations_count_person AFTER UPDATE OF person_id ON registrations
WHEN old.person_id IS NOT new.person_id
BEGIN
	UPDATE presence_counts SET n = n - 1 WHERE sex = (SELECT sex FROM people WHERE id = old.person_id)
	AND session_id IN (SELECT a.session_id FROM sessions s JOIN attendance a ON a.session_id = s.id
	AND a.registration_id = new.id WHERE s.event_id IN (old.event_id, new.event_id) AND a.status = 'present');
	INSERT INTO presence_counts (session_id, sex, n)
	SELECT a.session_id, p.sex, 1 FROM sessions s JOIN attendance a ON a.session_id = s.id
	AND a.registration_id = new.id JOIN people p ON p.id = new.person_id
	WHERE s.event_id IN (old.event_id, new.event_id) AND a.status = 'present'
	ON CONFLICT (session_id, sex) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER attendance_count_insert AFTER INSERT ON attendance WHEN new.status = 'present' BEGIN
	INSERT INTO presence_counts (session_id, sex, n)
	SELECT new.session_id, p.sex, 1 FROM registrations r JOIN people p ON p.id = r.person_id
	WHERE r.id = new.registration_id
	ON CONFLICT (session_id, sex) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER attendance_count_delete AFTER DELETE ON attendance WHEN old.status = 'present' BEGIN
	UPDATE presence_counts SET n = n - 1 WHERE session_id = old.session_id
	AND sex = (SELECT p.sex FROM registrations r JOIN people p ON p.id = r.person_id
	WHERE r.id = old.registration_id);
END;

CREATE TRIGGER attendance_count_update AFTER UPDATE OF status, session_id, registration_id ON attendance
WHEN old.status IS NOT new.status OR old.session_id IS NOT new.session_id
OR old.registration_id IS NOT new.registration_id
BEGIN
	UPDATE presence_counts SET n = n - 1 WHERE old.status = 'present' AND session_id = old.session_id
	AND sex = (SELECT p.sex FROM registrations r JOIN people p ON p.id = r.person_id
	WHERE r.id = old.registration_id);
	INSERT INTO presence_counts (session_id, sex, n)
	SELECT new.session_id, p.sex, 1 FROM registrations r JOIN people p ON p.id = r.person_id
	WHERE new.status = 'present' AND r.id = new.registration_id
	ON CONFLICT (session_id, sex) DO UPDATE SET n = n + 1;
END;

-- a person's sex changes (an edit): their registrations and presence move with it
CREATE TRIGGER people_count_sex AFTER UPDATE OF sex ON people WHEN old.sex IS NOT new.sex BEGIN
	UPDATE registration_counts SET n = n - 1 WHERE sex = old.sex
	AND (event_id, status) IN (SELECT event_id, status FROM registrations WHERE person_id = new.id);
	INSERT INTO registration_counts (event_id, status, sex, n)
	SELECT event_id, status, new.sex, 1 FROM registrations WHERE person_id = new.id
	ON CONFLICT (event_id, status, sex) DO UPDATE SET n = n + 1;
	UPDATE presence_counts SET n = n - 1 WHERE sex = old.sex AND session_id IN
	(SELECT a.session_id FROM registrations r JOIN sessions s ON s.event_id = r.event_id
	JOIN attendance a ON a.session_id = s.id AND a.registration_id = r.id
	WHERE r.person_id = new.id AND a.status = 'present');
	INSERT INTO presence_counts (session_id, sex, n)
	SELECT a.session_id, new.sex, 1 FROM registrations r JOIN sessions s ON s.event_id = r.event_id
	JOIN attendance a ON a.session_id = s.id AND a.registration_id = r.id
	WHERE r.person_id = new.id AND a.status = 'present'
	ON CONFLICT (session_id, sex) DO UPDATE SET n = n + 1;
END;
