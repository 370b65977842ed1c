// e: an event's public page /e/<id> — reads the id from the path, shows the event from
// GET /api/v1/events/{id} (title and description in the chosen language with fallback, type, organiser and
// partners, each session as Morocco's wall time with its place and a map link, seats left, registration
// window, cancelled or postponed), its .ics, and the registration form (POST .../registrations with an
// Idempotency-Key kept across retries, no cookie; errors beside their field); on success it goes to the
// personal page /r/<token>; and "lost your link?" (lost.js, POST .../registrations/lost-link), whose answer
// is the same neutral confirmation whatever the address. DOM nodes and textContent only.
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;
	const t = M.i18n.t;
	const $ = M.$;
	const m = /^\/e\/(\d{1,15})\/?$/.exec(location.pathname);
	const id = m ? m[1] : null;
	const FIELDS = ['name', 'name_ar', 'contact', 'consent'];
	const state = {
		lang: M.urlLang() || 'fr',
		ev: null,
		venue: null, // the event's venue with its rooms, or null
		orgs: new Map(), // organisation id -> name
		problem: null, // 'missing' | 'error'
		errors: {}, // field -> catalogue key of its error
		formError: '',
		busy: false,
		key: null, // Idempotency-Key of the attempt in progress: kept until a definite answer
		langTouched: false, // the language of messages was chosen: no longer follows the page's
	};
	// the lost-link form (lost.js): its error, answer and request in flight are its own
	const lost = M.lost.form('/api/v1/events/' + id + '/registrations/lost-link', { help: 'lost_help', sent: 'lost_sent' });

	function saveUrl() {
		const q = new URLSearchParams(location.search);
		if (state.lang === 'fr') q.delete('lang');
		else q.set('lang', state.lang);
		M.replaceQuery(q);
	}

	// 'cancelled', 'postponed', 'not_open', 'closed' or 'open', with the date that goes with it.
	function windowOf(ev, now) {
		if (ev.status === 'cancelled' || ev.status === 'postponed') return { state: ev.status };
		if (ev.registration_opens_at && Date.parse(ev.registration_opens_at) > now)
			return { state: 'not_open', at: ev.registration_opens_at };
		const first = (ev.sessions || [])[0];
		const closes = ev.registration_closes_at || (first && first.starts_at) || null;
		if (closes && Date.parse(closes) <= now) return { state: 'closed', at: closes };
		return { state: 'open', at: ev.registration_closes_at };
	}

	function place(s) {
		const v = state.venue;
		if (!v) return null;
		const room = s.room_id ? (v.rooms || []).find((r) => r.id === s.room_id) : null;
		if (s.room_id && !room) return null; // a room of another venue: not known here
		// the city once: addresses often end with it already
		const city = v.city && !(v.address || '').toLowerCase().includes(v.city.toLowerCase()) ? v.city : null;
		const line = [room && room.name, v.name, v.address, city].filter(Boolean);
		const out = el('span', { class: 'place' }, el('bdi', {}, line.join(', ')));
		if (typeof v.latitude === 'number' && typeof v.longitude === 'number') {
			const lat = v.latitude.toFixed(5);
			const lon = v.longitude.toFixed(5);
			out.append(el('a', {
				class: 'map', href: 'https://www.openstreetmap.org/?mlat=' + lat + '&mlon=' + lon + '#map=17/' + lat + '/' + lon,
				rel: 'noopener',
			}, t('map')));
		}
		return out;
	}

	function renderProblem() {
		$('title').textContent = t(state.problem === 'missing' ? 'event_missing' : 'event_error');
		for (const x of ['meta', 'banner', 'description', 'orgs', 'when', 'register', 'lost']) $(x).hidden = true;
	}

	function renderEvent() {
		const ev = state.ev;
		const l = state.lang;
		const now = Date.now();
		const title = M.pick(ev, 'title', l) || '—';
		$('title').textContent = title;
		$('title').setAttribute('lang', M.pickLang(ev, 'title', l) || l);
		document.title = title + ' — Majlis';

		$('meta').hidden = false;
		$('meta').replaceChildren(el('span', { class: 'badge type-' + ev.type }, t(ev.type)),
			state.venue ? el('span', { class: 'city' }, state.venue.city) : null);

		const desc = M.pick(ev, 'description', l);
		$('description').hidden = !desc;
		$('description').textContent = desc;
		$('description').setAttribute('lang', M.pickLang(ev, 'description', l) || l);

		const orgs = $('orgs');
		orgs.replaceChildren();
		const owner = state.orgs.get(ev.org_id);
		if (owner) orgs.append(el('dt', {}, t('organiser')), el('dd', {}, el('bdi', {}, owner)));
		const partners = (ev.partner_org_ids || []).map((p) => state.orgs.get(p)).filter(Boolean);
		if (partners.length) {
			orgs.append(el('dt', {}, t('partners')));
			for (const p of partners) orgs.append(el('dd', {}, el('bdi', {}, p)));
		}
		orgs.hidden = !orgs.childNodes.length;

		const win = windowOf(ev, now);
		const counts = ev.counts || {};
		const full = typeof counts.available === 'number' && counts.available <= 0;
		const banner = $('banner');
		let text = '';
		if (win.state === 'cancelled') text = t('event_cancelled');
		else if (win.state === 'postponed') text = t('event_postponed');
		else if (win.state === 'not_open') text = t('opens_on', { date: M.fmtWall(win.at, l) });
		else if (win.state === 'closed') text = t('closed_on', { date: M.fmtWall(win.at, l) });
		else if (full) text = t('full');
		banner.textContent = text;
		banner.hidden = !text;
		banner.className = 'banner state-' + (win.state === 'open' && full ? 'full' : win.state);

		const list = $('sessions');
		list.replaceChildren();
		for (const s of ev.sessions || []) list.appendChild(el('li', {}, ...M.sessionNodes(s, l), place(s)));
		$('when').hidden = !(ev.sessions && ev.sessions.length);
		// no calendar entry pushed for a cancelled event
		$('cal').hidden = ev.status === 'cancelled';
		$('ics').href = M.feedUrls('/calendar/events/' + encodeURIComponent(ev.id) + '.ics?lang=' + l).web;

		const reg = $('register');
		reg.hidden = win.state !== 'open';
		if (win.state === 'open') {
			$('reg-title').textContent = t(full ? 'waitlist_title' : 'register_title');
			$('submit').textContent = state.busy ? t('sending') : t(full ? 'submit_waitlist' : 'submit');
			const seats = [];
			// when full, the banner above says so already
			if (!full && typeof counts.available === 'number') seats.push(t('seats_left', { n: counts.available }));
			if (win.at) seats.push(t('closes_on', { date: M.fmtWall(win.at, l) }));
			$('seats').textContent = seats.join(' ');
		}
		// busy, yet focusable: a button pressed from the keyboard keeps the focus while the form is sent
		$('submit').setAttribute('aria-disabled', state.busy ? 'true' : 'false');
		renderErrors();
		renderLost();
	}

	// The lost-link form: shown with any event (also closed or cancelled: a registered person may need
	// their link).
	function renderLost() {
		$('lost').hidden = false;
		lost.render();
	}

	function renderErrors() {
		for (const f of FIELDS) {
			const key = state.errors[f];
			const input = $(f === 'consent' ? 'f-consent' : f === 'name_ar' ? 'f-name-ar' : 'f-' + f);
			$('e-' + f).textContent = key ? t(key) : '';
			// phone numbers read left to right, also inside Arabic: written apart, never inside the words
			if (key === 'err_phone') {
				$('e-' + f).append(' ', el('bdi', { class: 'examples', dir: 'ltr' },
					el('span', {}, '06 12 34 56 78'), ' · ', el('span', {}, '+221 77 123 45 67')));
			}
			if (key) input.setAttribute('aria-invalid', 'true');
			else input.removeAttribute('aria-invalid');
		}
		$('form-error').textContent = state.formError ? t(state.formError) : '';
	}

	async function render() {
		await M.i18n.load(state.lang);
		M.showLang('event_page_title', (l) => {
			state.lang = l;
			if (!state.langTouched) $('f-lang').value = l;
			saveUrl();
			render();
		});
		$('back').href = '/' + (state.lang !== 'fr' ? '?lang=' + state.lang : '');
		$('home').href = $('back').href;
		if (state.problem) renderProblem();
		else if (state.ev) renderEvent();
	}

	// The body of the registration from the form, or null when a field is wrong (state.errors says which).
	function readForm() {
		const f = $('form');
		const errors = {};
		const name = f.elements.name.value.trim();
		const nameAr = f.elements.name_ar.value.trim();
		const contact = f.elements.contact.value.trim();
		if (!name) errors.name = 'err_required';
		if (!contact) errors.contact = 'err_contact';
		if (!f.elements.consent.checked) errors.consent = 'err_consent';
		state.errors = errors;
		if (Object.keys(errors).length) return null;
		const body = { name, sex: f.elements.sex.value || 'unspecified', lang: f.elements.lang.value, consent: true };
		if (nameAr) body.name_ar = nameAr;
		if (contact.indexOf('@') >= 0) body.email = contact;
		else body.phone = contact;
		return body;
	}

	// The field and catalogue key an API error is shown with.
	function explain(e) {
		if (e.code === 'invalid_field' || e.code === 'missing_field') {
			if (e.field === 'email') return ['contact', 'err_email'];
			if (e.field === 'phone') return ['contact', 'err_phone'];
			if (e.field === 'name' || e.field === 'name_ar') return [e.field, 'err_name'];
			return [null, 'err_generic'];
		}
		if (e.code === 'contact_required') return ['contact', 'err_contact'];
		if (e.code === 'consent_required') return ['consent', 'err_consent'];
		if (e.code === 'registration_not_open') return [null, 'err_not_open'];
		if (e.code === 'registration_closed') return [null, 'err_closed'];
		if (e.code === 'event_cancelled') return [null, 'event_cancelled'];
		if (e.code === 'event_postponed') return [null, 'event_postponed'];
		if (e.status === 0) return [null, 'err_network'];
		if (e.status === 503 || e.status === 429) return [null, 'err_busy'];
		return [null, 'err_generic'];
	}

	async function submit(evt) {
		evt.preventDefault();
		if (state.busy) return;
		state.formError = '';
		const body = readForm();
		if (!body) {
			state.formError = 'err_form';
			renderEvent();
			const first = FIELDS.find((f) => state.errors[f]);
			$(first === 'consent' ? 'f-consent' : 'f-' + first).focus();
			return;
		}
		if (!state.key) state.key = M.api.newKey();
		state.busy = true;
		renderEvent();
		try {
			const a = await M.api.post('/api/v1/events/' + id + '/registrations', body, { key: state.key });
			state.key = null;
			if (a.body && a.body.token) {
				try {
					sessionStorage.setItem('majlis.sent', JSON.stringify({ via: body.email ? 'email' : 'phone',
						to: body.email || body.phone }));
				} catch (e) {
					// private mode: the personal page simply shows no notice
				}
				location.assign('/r/' + a.body.token + '?lang=' + state.lang);
				return;
			}
			state.formError = 'already';
		} catch (e) {
			// a network failure or a busy server: the same key again on the next try (never two registrations)
			if (!(e.status === 0 || e.status === 503)) state.key = null;
			const [field, key] = explain(e);
			if (field) state.errors[field] = key;
			else state.formError = key;
		}
		state.busy = false;
		renderEvent();
		const first = FIELDS.find((f) => state.errors[f]);
		if (first) $(first === 'consent' ? 'f-consent' : first === 'name_ar' ? 'f-name-ar' : 'f-' + first).focus();
	}

	async function load() {
		if (!id) {
			state.problem = 'missing';
			return render();
		}
		try {
			state.ev = await M.api.get('/api/v1/events/' + id, { noStore: true });
		} catch (e) {
			state.problem = e.status === 404 ? 'missing' : 'error';
			return render();
		}
		const ev = state.ev;
		const orgIds = [ev.org_id].concat(ev.partner_org_ids || []);
		await Promise.all([
			ev.venue_id ? M.api.get('/api/v1/venues/' + ev.venue_id).then((v) => { state.venue = v; }, () => {}) : null,
			...orgIds.map((o) => M.api.get('/api/v1/organisations/' + o).then((x) => state.orgs.set(o, x.name), () => {})),
		]);
		return render();
	}

	$('f-lang').value = state.lang;
	$('f-lang').addEventListener('change', () => {
		state.langTouched = true;
	});
	// a changed field loses its error
	$('form').addEventListener('input', (e) => {
		const f = e.target.name;
		if (state.errors[f]) {
			delete state.errors[f];
			renderErrors();
		}
	});
	$('form').addEventListener('submit', submit);
	render();
	load();
})();
