// checkin: the door's check-in screen /admin/checkin, for a phone — pick one of today's sessions
// (GET /api/v1/checkin/sessions), then scan tickets with the camera (the browser's BarcodeDetector where it
// reads QR codes, else jsQR from /vendor/jsqr/, loaded only then), find a person by name in Latin or Arabic
// script, or take the register (present / absent / excused). Each scan's answer fills the screen: green
// present, amber already checked in (since when), red refused (cancelled, another event, wrong day...), with
// the name to compare. The roster (GET /api/v1/sessions/{id}/roster) is the snapshot, live frames of
// session:{id} and event:{id} (live.js) are applied to it, then the screen is rendered: the other phones'
// check-ins and the count arrive by themselves. DOM nodes and textContent only.
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;
	const $ = M.$;
	const t = M.i18n.t;
	const HOME = 'Africa/Casablanca';
	const LOCALES = { fr: 'fr-MA', ar: 'ar-MA', en: 'en-GB' };
	const JSQR = '/vendor/jsqr/dist/jsQR.js';
	const MODES = ['scan', 'name', 'list'];
	const RECENT_MAX = 8;
	const GONE_MS = 1500; // a code unseen this long, shown again, is a new scan

	const state = {
		lang: M.bo.lang(),
		sessions: null, // today's sessions, or null while loading
		session: null, // the one chosen
		roster: [], // its registrations, by name
		present: 0,
		confirmed: 0,
		mode: MODES.indexOf(new URLSearchParams(location.search).get('mode')) >= 0
			? new URLSearchParams(location.search).get('mode') : 'scan',
		verdict: null, // {kind: ok|warn|bad, text, name, name_ar, detail}
		query: '',
		live: null,
		lastSeq: 0,
	};

	function clock(sec) {
		return new Intl.DateTimeFormat(LOCALES[state.lang], {
			hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: HOME,
		}).format(new Date(sec * 1000));
	}

	// ---- names -------------------------------------------------------------------------------------------

	// A name folded for search: lower case, no accents (é = e), no Arabic harakat or tatweel, the forms
	// of alef as one (أ إ آ ٱ = ا), ى = ي, ة = ه; spaces collapsed.
	function fold(s) {
		return String(s || '')
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[\u064b-\u065f\u0670\u0640]/g, '')
			.replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
			.replace(/\u0649/g, '\u064a')
			.replace(/\u0629/g, '\u0647')
			.replace(/\s+/g, ' ')
			.trim();
	}

	// A person's names, each isolated: in Arabic the Arabic script first.
	function nameNodes(p) {
		const out = [el('bdi', { class: 'ci-latin' }, p.name || '')];
		if (p.name_ar) out.push(el('bdi', { class: 'ci-arabic', lang: 'ar', dir: 'rtl' }, p.name_ar));
		return state.lang === 'ar' ? out.reverse() : out;
	}

	// ---- the API -----------------------------------------------------------------------------------------

	function problem(text) {
		const p = $('problem');
		p.textContent = text || '';
		p.hidden = !text;
	}

	function apiProblem(e) {
		if (e.status === 0) return t('checkin_offline_short');
		if (e.status === 403) return t('checkin_forbidden');
		if (e.status === 404) return t('checkin_session_gone');
		return t('checkin_error', { code: e.code });
	}

	async function loadSessions() {
		try {
			const a = await M.api.get('/api/v1/checkin/sessions', { noStore: true });
			state.sessions = a.items || [];
			problem('');
		} catch (e) {
			state.sessions = [];
			if (e.status !== 401) problem(apiProblem(e));
		}
	}

	async function loadRoster() {
		if (!state.session) return;
		const id = state.session.id;
		try {
			const a = await M.api.get('/api/v1/sessions/' + id + '/roster', { noStore: true });
			if (!state.session || state.session.id !== id) return;
			state.roster = a.items || [];
			problem('');
		} catch (e) {
			if (e.status !== 401) problem(apiProblem(e));
		}
		renderDoor();
	}

	// The snapshot again (after a resync, or back online): today's numbers of the session, then its roster.
	async function refresh() {
		if (!state.session) return;
		await loadSessions();
		const s = state.session && (state.sessions || []).find((x) => x.id === state.session.id);
		if (s) {
			state.present = s.present;
			state.confirmed = s.confirmed;
		}
		await loadRoster();
	}

	function byId(id) {
		return state.roster.find((r) => r.registration_id === id) || null;
	}

	// ---- the answer --------------------------------------------------------------------------------------

	const REFUSED = {
		cancelled: 'checkin_bad_cancelled',
		declined: 'checkin_bad_declined',
		rejected: 'checkin_bad_rejected',
		pending: 'checkin_bad_pending',
		waitlisted: 'checkin_bad_waitlisted',
	};

	function buzz(kind) {
		if (navigator.vibrate) navigator.vibrate(kind === 'ok' ? 80 : kind === 'warn' ? [60, 60, 60] : [200, 80, 200]);
	}

	function verdict(kind, text, who, detail) {
		state.verdict = { kind, text, name: who ? who.name : '', name_ar: who ? who.name_ar : '', detail: detail || '' };
		buzz(kind);
		renderVerdict();
	}

	// Somebody (this phone or another) was marked present at `at` (the latest arrivals are the roster's
	// latest present marks). Returns whether that changed their status.
	function arrived(regId, at, method) {
		const r = byId(regId);
		if (!r) return false;
		const was = r.status;
		r.status = 'present';
		if (was !== 'present') r.recorded_at = at;
		if (method) r.method = method;
		return was !== 'present';
	}

	// POST /checkin with body ({ticket} or {registration_id}) and show the answer.
	async function checkIn(body) {
		const path = '/api/v1/sessions/' + state.session.id + '/checkin';
		let a;
		try {
			a = await M.api.request('POST', path, body);
		} catch (e) {
			refused(e);
			return;
		}
		const res = a.body;
		const reg = res.registration;
		const at = res.attendance.recorded_at;
		if (res.result === 'already_present') {
			verdict('warn', t('checkin_warn_already', { time: clock(at) }), reg, '');
			arrived(reg.id, at, res.attendance.method);
		} else {
			verdict('ok', t('checkin_ok'), reg, '');
			if (arrived(reg.id, at, res.attendance.method)) state.present += 1;
		}
		renderDoor();
	}

	function refused(e) {
		const who = e.body && e.body.registration;
		if (e.status === 401) return;
		if (e.status === 0) {
			verdict('warn', t('checkin_offline_short'), null, t('checkin_retry'));
		} else if (e.code === 'registration_not_confirmed') {
			verdict('bad', t(REFUSED[who && who.status] || 'checkin_bad_not_confirmed'), who, t('checkin_bad_not_registered'));
		} else if (e.code === 'ticket_other_event') {
			verdict('bad', t('checkin_bad_not_registered'), null, t('checkin_bad_other_event'));
		} else if (e.code === 'ticket_not_found') {
			verdict('bad', t('checkin_bad_unknown'), null, t('checkin_bad_unknown_detail'));
		} else if (e.code === 'outside_session_day') {
			verdict('bad', t('checkin_bad_day'), who, t('checkin_bad_day_detail'));
		} else if (e.code === 'not_a_ticket') {
			verdict('bad', t('checkin_bad_unknown'), null, t('checkin_bad_not_ticket'));
		} else {
			verdict('bad', t('checkin_error', { code: e.code }), who, '');
		}
	}

	// ---- the camera --------------------------------------------------------------------------------------

	const cam = { stream: null, detect: null, timer: null, code: null, seen: 0, busy: false, awake: null };

	// Keeps the phone's screen on while the camera scans (where the browser can), lets it sleep after.
	async function stayAwake(on) {
		try {
			if (on && !cam.awake && navigator.wakeLock) cam.awake = await navigator.wakeLock.request('screen');
			if (!on && cam.awake) {
				const lock = cam.awake;
				cam.awake = null;
				await lock.release();
			}
		} catch (e) {
			cam.awake = null; // refused (battery saver, hidden page): the screen sleeps as usual
		}
	}

	function loadScript(src) {
		return new Promise((resolve, reject) => {
			const s = document.createElement('script');
			s.src = src;
			s.onload = resolve;
			s.onerror = () => reject(new Error('cannot load ' + src));
			document.head.appendChild(s);
		});
	}

	// A function (video) -> Promise of the text of a QR code in view, or null: BarcodeDetector when it
	// reads QR codes, else jsQR on a frame drawn to a canvas.
	async function detector() {
		if ('BarcodeDetector' in window) {
			try {
				const formats = await window.BarcodeDetector.getSupportedFormats();
				if (formats.indexOf('qr_code') >= 0) {
					const d = new window.BarcodeDetector({ formats: ['qr_code'] });
					return (v) => d.detect(v).then((c) => (c.length ? c[0].rawValue : null));
				}
			} catch (e) {
				// no usable detector: jsQR below
			}
		}
		if (typeof window.jsQR !== 'function') await loadScript(JSQR);
		const canvas = document.createElement('canvas');
		const ctx = canvas.getContext('2d', { willReadFrequently: true });
		return async (v) => {
			const w = v.videoWidth;
			const h = v.videoHeight;
			if (!w || !h) return null;
			const scale = Math.min(1, 720 / Math.max(w, h));
			canvas.width = Math.round(w * scale);
			canvas.height = Math.round(h * scale);
			ctx.drawImage(v, 0, 0, canvas.width, canvas.height);
			const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
			const c = window.jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
			return c && c.data ? c.data : null;
		};
	}

	// The ticket's token in a code's text: the token itself, or a personal link /r/<token>; else null.
	function ticketOf(text) {
		const s = String(text || '').trim();
		if (/^[A-Za-z0-9_-]{16,128}$/.test(s)) return s;
		const m = /\/r\/([A-Za-z0-9_-]{16,128})(?:[/?#]|$)/.exec(s);
		return m ? m[1] : null;
	}

	function cameraState(text) {
		$('camera-state').textContent = text || '';
		$('camera-state').hidden = !text;
	}

	async function cameraStart() {
		if (cam.stream) return;
		if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
			cameraState(t('checkin_camera_none'));
			return;
		}
		cameraState(t('checkin_camera_starting'));
		try {
			cam.stream = await navigator.mediaDevices.getUserMedia({
				video: { facingMode: { ideal: 'environment' } }, audio: false,
			});
			const v = $('video');
			v.srcObject = cam.stream;
			await v.play();
		} catch (e) {
			cameraStop();
			cameraState(t(e && e.name === 'NotAllowedError' ? 'checkin_camera_denied' : 'checkin_camera_none'));
			return;
		}
		try {
			cam.detect = cam.detect || (await detector());
		} catch (e) {
			cameraStop();
			cameraState(t('checkin_camera_no_reader'));
			return;
		}
		cam.code = null;
		cameraState('');
		renderCameraButton();
		stayAwake(true);
		tick();
	}

	function cameraStop() {
		if (cam.timer) clearTimeout(cam.timer);
		cam.timer = null;
		if (cam.stream) for (const track of cam.stream.getTracks()) track.stop();
		cam.stream = null;
		$('video').srcObject = null;
		stayAwake(false);
		renderCameraButton();
	}

	function tick() {
		cam.timer = setTimeout(async () => {
			cam.timer = null;
			if (!cam.stream) return;
			let text = null;
			try {
				text = await cam.detect($('video'));
			} catch (e) {
				text = null;
			}
			const now = Date.now();
			if (text && !cam.busy && (text !== cam.code || now - cam.seen > GONE_MS)) {
				cam.code = text;
				cam.seen = now;
				cam.busy = true;
				const ticket = ticketOf(text);
				if (ticket) await checkIn({ ticket });
				else refused({ status: 400, code: 'not_a_ticket' });
				cam.busy = false;
			} else if (text) {
				cam.seen = now; // still in view: the same scan
			}
			if (cam.stream) tick();
		}, 120);
	}

	// ---- the register ------------------------------------------------------------------------------------

	async function mark(r, status) {
		try {
			const a = await M.api.request('POST', '/api/v1/sessions/' + state.session.id + '/attendance',
				{ registration_id: r.registration_id, status, method: 'manual' });
			const was = r.status;
			r.status = a.body.status;
			r.recorded_at = a.body.recorded_at;
			if (was !== 'present' && r.status === 'present') {
				arrived(r.registration_id, r.recorded_at, 'manual');
				state.present += 1;
			} else if (was === 'present' && r.status !== 'present') {
				state.present = Math.max(0, state.present - 1);
			}
			problem('');
		} catch (e) {
			if (e.status !== 401) problem(apiProblem(e));
		}
		renderDoor();
	}

	// ---- live --------------------------------------------------------------------------------------------

	let rosterTimer = null;

	function rosterLater() {
		if (rosterTimer) return;
		rosterTimer = setTimeout(() => {
			rosterTimer = null;
			loadRoster();
		}, 300);
	}

	function onLive(msg) {
		if (msg.type !== 'change' || !state.session || msg.seq <= state.lastSeq) return;
		state.lastSeq = msg.seq;
		const id = state.session.id;
		if (msg.counts) {
			const s = (msg.counts.sessions || []).find((x) => x.id === id);
			if (s) state.present = s.present;
			if (typeof msg.counts.confirmed === 'number') state.confirmed = msg.counts.confirmed;
		}
		const p = msg.payload || {};
		if (msg.kind === 'attendance.recorded' && p.session_id === id) {
			const r = byId(p.registration_id);
			if (!r) rosterLater();
			else if (p.status === 'present') arrived(p.registration_id, msg.at, null);
			else {
				r.status = p.status;
				r.recorded_at = msg.at;
			}
		} else if (/^registration\./.test(msg.kind || '')) {
			rosterLater();
		}
		renderDoor();
	}

	function follow() {
		if (state.live) state.live.close();
		state.live = null;
		if (!state.session) return;
		state.lastSeq = 0;
		state.live = M.live.open({
			topics: ['session:' + state.session.id, 'event:' + state.session.event_id],
			onMessage: onLive,
			onResync: refresh,
		});
	}

	// ---- choosing --------------------------------------------------------------------------------------

	function open(s) {
		state.session = s;
		state.present = s.present;
		state.confirmed = s.confirmed;
		state.roster = [];
		state.verdict = null;
		state.query = '';
		$('search').value = '';
		const q = new URLSearchParams(location.search);
		q.set('session', String(s.id));
		M.replaceQuery(q);
		follow();
		renderAll();
		loadRoster();
		setMode(state.mode);
	}

	function close() {
		cameraStop();
		if (state.live) state.live.close();
		state.live = null;
		state.session = null;
		const q = new URLSearchParams(location.search);
		q.delete('session');
		q.delete('mode');
		M.replaceQuery(q);
		loadSessions().then(renderAll);
	}

	function setMode(m) {
		if (m !== state.mode) state.verdict = null; // an answer belongs to the mode that asked
		state.mode = m;
		const q = new URLSearchParams(location.search);
		q.set('mode', m);
		M.replaceQuery(q);
		if (m === 'scan') cameraStart();
		else cameraStop();
		renderDoor();
		if (m === 'name') $('search').focus();
	}

	// ---- rendering ---------------------------------------------------------------------------------------

	function eventTitle(s) {
		return M.pick(s, 'event_title', state.lang);
	}

	// "Present 12 / 25": the numbers kept left to right in every language.
	function countNodes(n, total) {
		return [el('span', {}, t('checkin_present_label')), ' ',
			el('bdi', { dir: 'ltr', class: 'ci-num' }, String(n) + ' / ' + String(total))];
	}

	function renderPick() {
		const list = $('sessions');
		list.replaceChildren();
		for (const s of state.sessions || []) {
			const place = [s.room, s.venue].filter(Boolean).join(', ');
			const b = el('button', { type: 'button', class: 'ci-session' },
				el('span', { class: 'ci-session-title' }, eventTitle(s)),
				el('span', { class: 'ci-session-when' }, ...M.sessionNodes(s, state.lang)),
				place ? el('span', { class: 'ci-session-place' }, place) : null,
				s.event_status !== 'scheduled' ? el('span', { class: 'ci-chip bad' }, t('checkin_event_' + s.event_status)) : null,
				el('span', { class: 'ci-session-count' }, ...countNodes(s.present, s.confirmed)));
			b.addEventListener('click', () => open(s));
			list.appendChild(el('li', {}, b));
		}
		$('no-sessions').hidden = !state.sessions || state.sessions.length > 0;
	}

	function renderVerdict() {
		const v = state.verdict;
		const box = $('verdict');
		box.hidden = !v;
		if (!v) return;
		box.className = 'ci-verdict ' + v.kind;
		$('verdict-icon').textContent = v.kind === 'ok' ? '✓' : v.kind === 'warn' ? '!' : '✕';
		$('verdict-text').textContent = v.text;
		$('verdict-name').textContent = v.name || '';
		$('verdict-name').hidden = !v.name;
		$('verdict-name-ar').textContent = v.name_ar || '';
		$('verdict-name-ar').hidden = !v.name_ar;
		$('verdict-detail').textContent = v.detail || '';
		$('verdict-detail').hidden = !v.detail;
	}

	function renderCameraButton() {
		const b = $('camera');
		b.textContent = t(cam.stream ? 'checkin_camera_stop' : 'checkin_camera_start');
		b.className = 'button ' + (cam.stream ? 'secondary' : 'primary');
		$('video').hidden = !cam.stream;
	}

	function statusText(r) {
		if (r.registration_status !== 'confirmed') return t(REFUSED[r.registration_status] || 'checkin_bad_not_confirmed');
		if (r.status === 'present') return t('checkin_present_at', { time: clock(r.recorded_at) });
		if (r.status === 'absent') return t('checkin_absent');
		if (r.status === 'excused') return t('checkin_excused');
		return t('checkin_expected');
	}

	function chipClass(r) {
		if (r.registration_status !== 'confirmed') return 'bad';
		return r.status === 'present' ? 'ok' : r.status ? 'warn' : '';
	}

	function renderFound() {
		const list = $('found');
		list.replaceChildren();
		const q = fold(state.query);
		if (q.length < 2) {
			list.appendChild(el('li', { class: 'note' }, t('checkin_search_hint')));
			return;
		}
		const hits = state.roster.filter((r) => fold(r.name).includes(q) || fold(r.name_ar).includes(q)).slice(0, 30);
		if (!hits.length) {
			list.appendChild(el('li', { class: 'note' }, t('checkin_search_none')));
			return;
		}
		for (const r of hits) {
			const li = el('li', { class: 'ci-person' },
				el('span', { class: 'ci-person-name' }, ...nameNodes(r)),
				el('span', { class: 'ci-chip ' + chipClass(r) }, statusText(r)));
			if (r.registration_status === 'confirmed' && r.status !== 'present') {
				const b = el('button', { type: 'button', class: 'button primary ci-in' }, t('checkin_do'));
				b.addEventListener('click', () => checkIn({ registration_id: r.registration_id }));
				li.appendChild(b);
			}
			list.appendChild(li);
		}
	}

	function renderRegister() {
		const list = $('register');
		list.replaceChildren();
		const people = state.roster.filter((r) => r.registration_status === 'confirmed');
		for (const r of people) {
			const group = el('div', { class: 'ci-marks', role: 'group', 'aria-label': r.name });
			for (const s of ['present', 'absent', 'excused']) {
				const b = el('button', { type: 'button', class: 'ci-mark ' + s, 'aria-pressed': r.status === s ? 'true' : 'false' },
					t('checkin_mark_' + s));
				b.addEventListener('click', () => mark(r, s));
				group.appendChild(b);
			}
			list.appendChild(el('li', { class: 'ci-person' }, el('span', { class: 'ci-person-name' }, ...nameNodes(r)), group));
		}
		if (!people.length) list.appendChild(el('li', { class: 'note' }, t('checkin_list_empty')));
	}

	function renderRecent() {
		const list = $('recent');
		list.replaceChildren();
		const recent = state.roster.filter((r) => r.status === 'present')
			.sort((x, y) => y.recorded_at - x.recorded_at || y.registration_id - x.registration_id)
			.slice(0, RECENT_MAX);
		for (const x of recent) {
			list.appendChild(el('li', {}, el('bdi', { class: 'hours', dir: 'ltr' }, clock(x.recorded_at)), ' ', ...nameNodes(x)));
		}
		$('recent-none').hidden = recent.length > 0;
	}

	function renderDoor() {
		if (!state.session) return;
		$('count').replaceChildren(...countNodes(state.present, state.confirmed));
		for (const b of document.querySelectorAll('.ci-mode')) {
			b.setAttribute('aria-pressed', b.getAttribute('data-mode') === state.mode ? 'true' : 'false');
		}
		for (const m of MODES) $('mode-' + m).hidden = state.mode !== m;
		renderVerdict();
		renderCameraButton();
		if (state.mode === 'name') renderFound();
		if (state.mode === 'list') renderRegister();
		renderRecent();
	}

	function renderAll() {
		const s = state.session;
		$('title').textContent = s ? eventTitle(s) : t('checkin_title');
		$('pick').hidden = !!s || !state.sessions;
		$('door').hidden = !s;
		if (s) {
			$('session-when').replaceChildren(...M.sessionNodes(s, state.lang),
				s.room || s.venue ? el('span', { class: 'ci-session-place' }, [s.room, s.venue].filter(Boolean).join(', ')) : '');
			renderDoor();
		} else {
			renderPick();
		}
	}

	// ---- start -------------------------------------------------------------------------------------------

	async function start() {
		let me = null;
		try {
			me = await M.bo.start({
				current: 'checkin',
				titleKey: 'checkin_page_title',
				onLang: (l) => {
					state.lang = l;
					renderAll();
				},
				onLost: cameraStop,
			});
		} catch (e) {
			me = undefined; // not known (the network): today's sessions say what failed
		}
		if (me === null) return; // not logged in: on the way to the login page
		if (me && !M.bo.may('checkin', me.role)) {
			M.bo.missingPage();
			return;
		}
		$('change').addEventListener('click', close);
		for (const b of document.querySelectorAll('.ci-mode')) {
			b.addEventListener('click', () => setMode(b.getAttribute('data-mode')));
		}
		$('camera').addEventListener('click', () => (cam.stream ? cameraStop() : cameraStart()));
		$('search').addEventListener('input', () => {
			state.query = $('search').value;
			renderFound();
		});
		window.addEventListener('offline', () => ($('offline').hidden = false));
		window.addEventListener('online', () => {
			$('offline').hidden = true;
			refresh();
		});
		$('offline').hidden = navigator.onLine !== false;
		// the camera only while the screen is seen (a phone put in a pocket stops filming)
		document.addEventListener('visibilitychange', () => {
			if (document.hidden) cameraStop();
			else if (state.session && state.mode === 'scan') cameraStart();
		});
		renderAll();
		await loadSessions();
		const want = Number(new URLSearchParams(location.search).get('session'));
		const s = (state.sessions || []).find((x) => x.id === want);
		if (s) open(s);
		else renderAll();
	}

	document.addEventListener('DOMContentLoaded', start);
})();
