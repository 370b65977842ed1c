// app: the public programme page — lists upcoming public events from GET /api/v1/events with filters by
// city and type, links each title to its event page /e/<id> and marks events already started or whose
// registration is closed, offers each event's .ics and the programme's subscription links (https/http and
// webcal, carrying the filters and language), in French, Arabic or English. DOM nodes and textContent
// only (the CSP allows no inline code, and data never becomes HTML).
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;
	const t = M.i18n.t;
	const TYPES = ['training', 'workshop', 'concertation'];
	const SHOWN_SESSIONS = 3;

	const params = new URLSearchParams(location.search);
	const state = {
		lang: M.urlLang() || 'fr',
		city: params.get('city') || '',
		type: TYPES.indexOf(params.get('type')) >= 0 ? params.get('type') : '',
		events: null, // last answer of the API
		failed: false,
		venues: new Map(), // venue id -> city
		seq: 0, // the newest request wins
	};

	const $ = M.$;

	// Today's date in the browser, "YYYY-MM-DD".
	function today() {
		const d = new Date();
		return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' +
			String(d.getDate()).padStart(2, '0');
	}

	// The page's own URL keeps the filters and language (shareable, survives a reload).
	function saveUrl() {
		const q = new URLSearchParams();
		if (state.lang !== 'fr') q.set('lang', state.lang);
		if (state.city) q.set('city', state.city);
		if (state.type) q.set('type', state.type);
		M.replaceQuery(q);
	}

	// Query of a feed URL: the current filters and language.
	function feedQuery() {
		const q = new URLSearchParams();
		if (state.city) q.set('city', state.city);
		if (state.type) q.set('type', state.type);
		q.set('lang', state.lang);
		return '?' + q.toString();
	}

	function renderSubscribe() {
		const u = M.feedUrls('/calendar/public.ics' + feedQuery());
		$('sub-https').href = u.web;
		$('sub-webcal').href = u.webcal;
	}

	// 'started' once the first session began, 'closed' once registration closed (by default at the
	// first session's start), else null.
	function phase(ev, now) {
		const first = (ev.sessions || [])[0];
		if (first && Date.parse(first.starts_utc) <= now) return 'started';
		if (ev.registration_closes_at && Date.parse(ev.registration_closes_at) <= now) return 'closed';
		return null;
	}

	function renderEvent(ev, now) {
		const title = M.pick(ev, 'title', state.lang) || '—';
		// the language the title is really in (for screen readers when it fell back)
		const titleLang = M.pickLang(ev, 'title', state.lang) || state.lang;
		const headingId = 'ev-' + ev.id;
		const city = state.venues.get(ev.venue_id) || '';
		const p = ev.status === 'scheduled' ? phase(ev, now) : null;
		const meta = el('p', { class: 'meta' },
			el('span', { class: 'badge type-' + ev.type }, t(ev.type)),
			city ? el('span', { class: 'city' }, city) : null,
			ev.status === 'cancelled' ? el('span', { class: 'badge state-cancelled' }, t('cancelled')) : null,
			ev.status === 'postponed' ? el('span', { class: 'badge state-postponed' }, t('postponed')) : null,
			p === 'started' ? el('span', { class: 'badge state-started' }, t('started')) : null,
			p === 'closed' ? el('span', { class: 'badge state-closed' }, t('reg_closed')) : null);
		const upcoming = (ev.sessions || []).filter((s) => Date.parse(s.ends_utc) >= now);
		const list = el('ul', { class: 'sessions' });
		for (const s of upcoming.slice(0, SHOWN_SESSIONS)) list.appendChild(el('li', {}, ...M.sessionNodes(s, state.lang)));
		if (upcoming.length > SHOWN_SESSIONS)
			list.appendChild(el('li', { class: 'more' }, t('more', { n: upcoming.length - SHOWN_SESSIONS })));
		const page = '/e/' + encodeURIComponent(ev.id) + (state.lang !== 'fr' ? '?lang=' + state.lang : '');
		const actions = el('p', { class: 'actions' });
		if (ev.status !== 'cancelled') {
			const ics = M.feedUrls('/calendar/events/' + encodeURIComponent(ev.id) + '.ics?lang=' + state.lang);
			const add = el('a', { class: 'button secondary add', href: ics.web, 'data-event': ev.id }, t('add'));
			add.setAttribute('aria-describedby', headingId);
			actions.appendChild(add);
		}
		return el('li', { class: 'event' + (ev.status === 'cancelled' ? ' is-cancelled' : '') },
			el('article', { 'aria-labelledby': headingId },
				meta,
				el('h3', { id: headingId, lang: titleLang }, el('a', { href: page, class: 'title-link' }, title)),
				list,
				actions.childNodes.length ? actions : null));
	}

	function renderEvents() {
		const list = $('events');
		const status = $('status');
		list.replaceChildren();
		if (state.failed) {
			status.textContent = t('programme_error');
			status.classList.add('error');
			return;
		}
		status.classList.remove('error');
		if (!state.events) {
			status.textContent = t('loading');
			return;
		}
		const now = Date.now();
		const items = state.events.filter((ev) => (ev.sessions || []).some((s) => Date.parse(s.ends_utc) >= now));
		status.textContent = items.length ? t('count', { n: items.length }) : t('none');
		for (const ev of items) list.appendChild(renderEvent(ev, now));
	}

	function renderCities() {
		const sel = $('f-city');
		const cities = Array.from(new Set(state.venues.values())).filter(Boolean)
			.sort((a, b) => a.localeCompare(b, 'fr'));
		if (state.city && cities.indexOf(state.city) < 0) cities.push(state.city);
		while (sel.options.length > 1) sel.remove(1);
		for (const c of cities) sel.appendChild(el('option', { value: c }, c));
		sel.value = state.city;
	}

	async function refreshTexts() {
		await M.i18n.load(state.lang);
		M.showLang('programme_page_title', (l) => {
			state.lang = l;
			saveUrl();
			refreshTexts();
		});
		renderSubscribe();
		renderEvents();
	}

	async function loadVenues() {
		try {
			const d = await M.api.get('/api/v1/venues?limit=200');
			for (const v of d.items || []) state.venues.set(v.id, v.city);
		} catch (e) {
			// the city filter still works with the events' own cities; the list does not depend on it
		}
		renderCities();
		renderEvents();
	}

	async function loadEvents() {
		const seq = ++state.seq;
		const q = new URLSearchParams({ from: today(), limit: '200' });
		if (state.city) q.set('city', state.city);
		if (state.type) q.set('type', state.type);
		state.events = null;
		state.failed = false;
		renderEvents();
		try {
			const d = await M.api.get('/api/v1/events?' + q.toString());
			if (seq !== state.seq) return;
			state.events = d.items || [];
		} catch (e) {
			if (seq !== state.seq) return;
			state.failed = true;
		}
		renderEvents();
	}

	function init() {
		$('f-type').value = state.type;
		$('f-city').addEventListener('change', (e) => {
			state.city = e.target.value;
			saveUrl();
			renderSubscribe();
			loadEvents();
		});
		$('f-type').addEventListener('change', (e) => {
			state.type = e.target.value;
			saveUrl();
			renderSubscribe();
			loadEvents();
		});
		$('filters').addEventListener('submit', (e) => e.preventDefault());
		refreshTexts().then(() => {
			renderCities();
			loadVenues();
			loadEvents();
		});
	}

	init();
})();
