-- 0001_init: the first schema of Majlis. Append-only: later changes go in new numbered files.
-- Times: *_at columns are UTC instants as integer seconds since the epoch. Session times are stored as
-- local wall time + zone name (the truth); start_utc/end_utc are derived from them with the system tz
-- database and recomputed when it changes.

-- An organisation taking part in the programme.
CREATE TABLE organisations (
	id INTEGER PRIMARY KEY,          -- immutable id
	name TEXT NOT NULL UNIQUE,       -- display name
	kind TEXT NOT NULL CHECK (kind IN ('central_government', 'local_government', 'ngo',
		'international_organisation', 'private_sector', 'training_centre')),
	city TEXT,                       -- city of its seat
	region TEXT,                     -- administrative region
	contact_name TEXT,               -- public contact (appears as ORGANIZER in feeds)
	contact_email TEXT,              -- public contact address (validated where it enters)
	created_at INTEGER NOT NULL,     -- creation instant
	updated_at INTEGER NOT NULL      -- last change instant
);

-- A place where sessions happen.
CREATE TABLE venues (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,              -- display name
	city TEXT NOT NULL,              -- city (filterable)
	address TEXT,                    -- street address
	tz TEXT NOT NULL DEFAULT 'Africa/Casablanca', -- zone of sessions held here
	latitude REAL,                   -- GEO, when known
	longitude REAL,                  -- GEO, when known
	org_id INTEGER REFERENCES organisations(id), -- organisation that manages it, if any
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- A room of a venue; sessions in one room may not overlap.
CREATE TABLE rooms (
	id INTEGER PRIMARY KEY,
	venue_id INTEGER NOT NULL REFERENCES venues(id) ON DELETE CASCADE,
	name TEXT NOT NULL,              -- display name, unique within its venue
	capacity INTEGER NOT NULL CHECK (capacity > 0), -- seats
	UNIQUE (venue_id, name)
);

-- A person: an official (who may hold an account) or a participant (who never needs one).
CREATE TABLE people (
	id INTEGER PRIMARY KEY,
	org_id INTEGER REFERENCES organisations(id), -- organisation that recorded the person (scope of who sees them)
	name TEXT NOT NULL,              -- name in Latin script
	name_ar TEXT,                    -- name in Arabic script, optional
	sex TEXT NOT NULL DEFAULT 'unspecified' CHECK (sex IN ('female', 'male', 'unspecified')),
	nationality TEXT,                -- ISO 3166-1 alpha-2 or free text
	phone TEXT,                      -- as given, validated
	email TEXT,                      -- lowercased, validated
	lang TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'ar', 'en')), -- preferred language
	consent_at INTEGER,              -- when consent to data processing was given (NULL: not given)
	erased_at INTEGER,               -- when personal data was erased on request (row kept for counts)
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX people_email ON people(email) WHERE email IS NOT NULL;
CREATE INDEX people_phone ON people(phone) WHERE phone IS NOT NULL;

-- A login for an official.
CREATE TABLE accounts (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL UNIQUE,      -- login name, lowercased
	display_name TEXT NOT NULL,      -- shown in the interface and in audit columns
	password_hash TEXT NOT NULL,     -- pbkdf2-sha256$iter$salt$hash
	role TEXT NOT NULL CHECK (role IN ('admin', 'organiser', 'checkin', 'viewer')),
	org_id INTEGER REFERENCES organisations(id), -- the organisation an organiser/checkin/viewer acts for
	disabled INTEGER NOT NULL DEFAULT 0, -- 1: may not log in
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK (role = 'admin' OR org_id IS NOT NULL OR role = 'viewer')
);

-- Events a check-in account may scan for.
CREATE TABLE account_events (
	account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	PRIMARY KEY (account_id, event_id)
);

-- A logged-in browser session (cookie). Only hashes of the secrets are stored.
CREATE TABLE auth_sessions (
	id_hash TEXT PRIMARY KEY,        -- SHA-256 hex of the cookie value
	account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	csrf_hash TEXT NOT NULL,         -- SHA-256 hex of the CSRF token handed to the client
	created_at INTEGER NOT NULL,     -- for the absolute timeout
	seen_at INTEGER NOT NULL         -- for the idle timeout
);

-- A bearer token for scripts and integrations. Only its hash is stored.
CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE, -- SHA-256 hex of the token
	label TEXT,                      -- what it is for
	role TEXT NOT NULL CHECK (role IN ('admin', 'organiser', 'checkin', 'viewer')),
	org_id INTEGER REFERENCES organisations(id),
	created_at INTEGER NOT NULL,
	revoked_at INTEGER               -- NULL while valid
);

-- Failed logins, by a hash of the login name (known and unknown names alike), for throttling.
CREATE TABLE login_failures (
	key_hash TEXT PRIMARY KEY,       -- SHA-256 hex of the lowercased login name
	failures INTEGER NOT NULL,       -- failures in the current window
	window_start INTEGER NOT NULL    -- start of the current window
);

-- A training, workshop or concertation.
CREATE TABLE events (
	id INTEGER PRIMARY KEY,
	type TEXT NOT NULL CHECK (type IN ('training', 'workshop', 'concertation')),
	title_fr TEXT, title_ar TEXT, title_en TEXT,             -- at least one is set
	description_fr TEXT, description_ar TEXT, description_en TEXT,
	org_id INTEGER NOT NULL REFERENCES organisations(id),    -- owning organisation
	venue_id INTEGER REFERENCES venues(id),                  -- default venue of its sessions
	visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'invited', 'internal')),
	capacity INTEGER NOT NULL CHECK (capacity >= 0),         -- seats; confirmed registrations never exceed it
	registration_opens_at INTEGER,   -- NULL: open now
	registration_closes_at INTEGER,  -- NULL: until the first session starts
	needs_approval INTEGER NOT NULL DEFAULT 0, -- 1: registrations start pending
	status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'postponed', 'cancelled')),
	sequence INTEGER NOT NULL DEFAULT 0, -- iCalendar SEQUENCE: bumped on a change of time, place, title or status
	url TEXT,                        -- public page, validated
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK (title_fr IS NOT NULL OR title_ar IS NOT NULL OR title_en IS NOT NULL)
);
CREATE INDEX events_org ON events(org_id);

-- Partner organisations of an event (they see it as their own in their feeds).
CREATE TABLE event_partners (
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	org_id INTEGER NOT NULL REFERENCES organisations(id),
	PRIMARY KEY (event_id, org_id)
);

-- One meeting of an event (a multi-week course has many).
CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,          -- immutable: the iCalendar UID derives from it
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	starts_local TEXT NOT NULL,      -- wall time "YYYY-MM-DDTHH:MM:SS" in tz
	ends_local TEXT NOT NULL,        -- wall time "YYYY-MM-DDTHH:MM:SS" in tz
	tz TEXT NOT NULL,                -- zone name of the wall times
	start_utc INTEGER NOT NULL,      -- derived from starts_local/tz by the tz database
	end_utc INTEGER NOT NULL,        -- derived from ends_local/tz by the tz database
	start_offset INTEGER NOT NULL,   -- UTC offset (s) chosen at start: disambiguates a repeated wall time
	end_offset INTEGER NOT NULL,     -- UTC offset (s) chosen at end
	room_id INTEGER REFERENCES rooms(id), -- NULL: no room booked
	facilitator_id INTEGER REFERENCES people(id), -- NULL: none named
	title TEXT,                      -- optional: "Module 3: comptabilité"
	sequence INTEGER NOT NULL DEFAULT 0, -- bumped when this session's time or place changes
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	CHECK (end_utc > start_utc)
);
CREATE INDEX sessions_event ON sessions(event_id);
CREATE INDEX sessions_room ON sessions(room_id, start_utc);
CREATE INDEX sessions_facilitator ON sessions(facilitator_id, start_utc);
CREATE INDEX sessions_start ON sessions(start_utc);

-- A person's registration to an event.
CREATE TABLE registrations (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES people(id),
	status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'waitlisted', 'declined',
		'cancelled', 'rejected')),
	token_hash TEXT NOT NULL UNIQUE, -- SHA-256 hex of the personal link's secret (also the QR ticket)
	waitlist_seq INTEGER,            -- arrival order on the waitlist (change-log seq); NULL when not waitlisted
	attendance_confirmed_at INTEGER, -- when the participant confirmed they will come
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (event_id, person_id)
);
CREATE INDEX registrations_waitlist ON registrations(event_id, waitlist_seq) WHERE status = 'waitlisted';
CREATE INDEX registrations_person ON registrations(person_id);

-- Presence per session.
CREATE TABLE attendance (
	session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
	registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
	status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
	method TEXT NOT NULL CHECK (method IN ('qr', 'manual', 'self')),
	recorded_by INTEGER REFERENCES accounts(id), -- NULL when self-confirmed
	recorded_at INTEGER NOT NULL,
	PRIMARY KEY (session_id, registration_id)
);

-- Every state change, in order: streamed to live clients and replayed from a sequence number.
CREATE TABLE change_log (
	seq INTEGER PRIMARY KEY AUTOINCREMENT, -- monotonic, never reused
	topic TEXT NOT NULL,             -- e.g. "event:42"
	kind TEXT NOT NULL,              -- e.g. "registration.created"
	org_id INTEGER,                  -- owning organisation of the subject (who may see it live)
	payload TEXT NOT NULL,           -- JSON, never personal data beyond ids
	created_at INTEGER NOT NULL
);
CREATE INDEX change_log_topic ON change_log(topic, seq);

-- Notifications a change implies, sent by the notifications worker.
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,              -- e.g. "registration.confirmed"
	person_id INTEGER REFERENCES people(id), -- recipient, when a person
	channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sms', 'webhook')),
	payload TEXT NOT NULL,           -- JSON the template needs (ids, language)
	created_at INTEGER NOT NULL,
	not_before INTEGER NOT NULL,     -- do not send earlier (retries back off)
	attempts INTEGER NOT NULL DEFAULT 0,
	sent_at INTEGER,                 -- NULL until delivered
	last_error TEXT
);
CREATE INDEX outbox_due ON outbox(not_before) WHERE sent_at IS NULL;

-- Answers to POSTs carrying an Idempotency-Key, so a retry gets the first answer.
CREATE TABLE idempotency (
	key_hash TEXT PRIMARY KEY,       -- SHA-256 hex of scope + key
	status INTEGER NOT NULL,         -- HTTP status of the first answer
	body_sealed TEXT NOT NULL,       -- the first answer's body, sealed under the key itself
	created_at INTEGER NOT NULL      -- entries expire after 24 h
);

-- Secret feed and free/busy tokens (calendar subscriptions) of an organisation or a person.
CREATE TABLE calendar_tokens (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE, -- SHA-256 hex of the token in the URL
	owner_kind TEXT NOT NULL CHECK (owner_kind IN ('organisation', 'person', 'account')),
	owner_id INTEGER NOT NULL,       -- organisations.id, people.id or accounts.id
	label TEXT,
	created_by INTEGER REFERENCES accounts(id),
	created_at INTEGER NOT NULL,
	revoked_at INTEGER               -- NULL while valid
);

-- Server-wide settings and secrets created at first start.
CREATE TABLE settings (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
