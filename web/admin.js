// admin: the back office's shell, served for /admin, /admin/people and /dashboard (its old name) — the
// header and menu are bo.js's; a screen a role may not use answers as one that does not exist. It shows the
// events list (filters by date range, type, city and status from GET /api/v1/events, kept in the URL; a
// table on wide screens, cards on a phone; Morocco's wall time; each event linked to its dashboard,
// /admin/events/{id}, which is a page of its own: dashboard.js), the people directory (searched by the
// API's q, Latin or Arabic script, kept in the URL as ?q=; read-only) and check-in staff's way to the door.
// A viewer's /admin is /admin/numbers (its own page). The events list follows /live (live.js): it changes
// without a reload; a session that no longer holds (a 401, or the live stream closed with 4001) sends to
// /login and back to this very screen. DOM nodes and textContent only.
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;
	const t = M.i18n.t;
	const $ = M.$;
	const TYPES = ['training', 'workshop', 'concertation'];
	const STATUSES = ['scheduled', 'postponed', 'cancelled'];
	const PAGE = 50;

	// The screens of this page: the menu entry each shows as current (bo.js's), the roles that may use it
	// (bo.js's for those of the menu), its title.
	const SCREENS = {
		events: { nav: 'events', title: 'bo_events_title' },
		people: { nav: 'people', title: 'bo_people_title' },
		checkin_home: { nav: 'checkin', roles: ['checkin'], title: 'bo_checkin_title' },
	};

	const state = {
		lang: M.bo.lang(),
		me: null, // GET /api/v1/auth/me
		screen: null, // a key of SCREENS or 'missing'
		venues: null, // id -> venue, once loaded
		filters: null, // the events list's filter form {lang, cities (built with the venues' cities), node}
		search: null, // the people's search form {lang, node, count (the line that says what was found)}
		orgs: null, // id -> organisation, once loaded
		data: null, // what the screen shows (its API answers)
		failed: false,
		seq: 0, // the newest load wins
	};

	function role() {
		return state.me ? state.me.role : null;
	}

	function may(key) {
		const s = SCREENS[key];
		if (!s) return false;
		return s.roles ? s.roles.indexOf(role()) >= 0 : M.bo.may(s.nav, role());
	}

	// The screen the path names, for this role ('missing' when it does not exist for it); null when this
	// role's home is another page (a viewer's numbers), where it has gone.
	function route() {
		const p = location.pathname.replace(/\/+$/, '') || '/';
		if (p === '/dashboard') history.replaceState(null, '', '/admin' + location.search);
		if (p === '/admin' || p === '/dashboard') {
			const home = M.bo.HOME[role()];
			if (SCREENS[home]) return may(home) ? home : 'missing';
			const s = M.bo.screen(home);
			if (!s) return 'missing';
			location.replace(s.path + location.search); // ?lang= and the rest go along
			return null;
		}
		if (p === '/admin/people') return may('people') ? 'people' : 'missing';
		return 'missing';
	}

	// ---- texts, numbers, dates

	function fmtNum(n) {
		return typeof n === 'number' ? new Intl.NumberFormat(state.lang === 'ar' ? 'ar-MA-u-nu-latn' : state.lang).format(n) : '—';
	}

	// Today in Morocco, "YYYY-MM-DD".
	function today() {
		return new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Casablanca' }).format(new Date());
	}

	function title(ev) {
		return M.pick(ev, 'title', state.lang) || '—';
	}

	function cityOf(ev) {
		const v = ev.venue_id && state.venues ? state.venues.get(ev.venue_id) : null;
		return v ? v.city : '';
	}

	// When an event happens: its first session's wall time, and its last one's day when it goes on.
	function whenNodes(ev) {
		const ss = ev.sessions || [];
		if (!ss.length) return [el('span', { class: 'muted' }, t('bo_no_sessions'))];
		const first = ss[0];
		const last = ss[ss.length - 1];
		const out = [el('bdi', { class: 'when-line' }, M.fmtWall(first.starts_local, state.lang))];
		if (ss.length > 1) {
			const lastDay = M.fmtWall(last.starts_local, state.lang);
			out.push(el('span', { class: 'bo-more' }, t('bo_sessions_n', { n: ss.length }) + ' · ', el('bdi', {}, t('bo_until', { when: lastDay }))));
		}
		return out;
	}

	// The event's warnings in words: a session crosses a clock change, or the sessions span different
	// offsets (the API's warnings, said in the page's language).
	function warnings(ev) {
		const out = [];
		for (const s of ev.sessions || []) {
			if ((s.warnings || []).some((w) => /crosses a change/.test(w)))
				out.push(t('bo_warn_crosses', { when: M.fmtWall(s.starts_local, state.lang), from: 'UTC' + (s.starts_offset || ''),
					to: 'UTC' + (s.ends_offset || '') }));
		}
		if ((ev.warnings || []).length && !out.length) out.push(t('bo_warn_span'));
		return out;
	}

	function typeBadge(ev) {
		return el('span', { class: 'badge type-' + ev.type }, t(ev.type));
	}

	// The event's status (when not the usual "scheduled") and visibility (when not public), as badges.
	function stateBadges(ev) {
		const out = [];
		if (ev.status && ev.status !== 'scheduled') out.push(el('span', { class: 'badge state-' + ev.status }, t(ev.status)));
		if (ev.visibility && ev.visibility !== 'public')
			out.push(el('span', { class: 'badge vis' }, t('bo_vis_' + ev.visibility)));
		if (!out.length) out.push(el('span', { class: 'badge' }, t('bo_scheduled')));
		return out;
	}

	function badges(ev) {
		return [typeBadge(ev)].concat(stateBadges(ev));
	}

	// ---- loading

	async function venues() {
		if (state.venues) return state.venues;
		const map = new Map();
		let offset = 0;
		for (;;) {
			const d = await M.api.get('/api/v1/venues?limit=200&offset=' + offset);
			for (const v of d.items || []) map.set(v.id, v);
			offset += (d.items || []).length;
			if (!(d.items || []).length || offset >= d.total || offset >= 1000) break;
		}
		state.venues = map;
		return map;
	}

	async function orgs() {
		if (state.orgs) return state.orgs;
		const d = await M.api.get('/api/v1/organisations');
		state.orgs = new Map((d.items || []).map((o) => [o.id, o]));
		return state.orgs;
	}

	// The session still holds, for the same account: several lists answer an anonymous caller too (public
	// events, venues), so a session that ended elsewhere would otherwise go unnoticed. A 401 goes to the
	// login page (api.js); another account logged in in another tab reloads the shell for it.
	async function stillMe() {
		const me = await M.api.get('/api/v1/auth/me', { noStore: true });
		const id = (x) => (x.account ? 'a' + x.account.id : 't' + x.token_id) + x.role;
		if (id(me) !== id(state.me)) {
			location.reload();
			throw new M.api.ApiError(0, 'reloading', '');
		}
	}

	// Runs load() for the current screen, with stillMe; renders its answer, or says it failed (a lost
	// session has already gone to the login page by then).
	async function loading(load, quiet) {
		const seq = ++state.seq;
		state.failed = false;
		if (!quiet) setStatus(t('loading'));
		try {
			const [data] = await Promise.all([load(), stillMe()]);
			if (seq !== state.seq) return;
			state.data = data;
			setStatus('');
			follow();
		} catch (e) {
			if (seq !== state.seq) return;
			state.failed = true;
			if (e.status === 404) {
				state.screen = 'missing';
				setStatus('');
			} else {
				setStatus(t(e.status === 401 || e.code === 'csrf_failed' ? 'bo_session_lost' : 'bo_load_failed'), true);
			}
		}
		render();
	}

	function setStatus(text, error) {
		$('status').textContent = text || '';
		$('status').classList.toggle('error', !!error);
	}

	// ---- the events list

	function eventFilters() {
		const q = new URLSearchParams(location.search);
		return {
			from: q.has('from') ? q.get('from') : today(),
			to: q.get('to') || '',
			type: TYPES.indexOf(q.get('type')) >= 0 ? q.get('type') : '',
			city: q.get('city') || '',
			status: STATUSES.indexOf(q.get('status')) >= 0 ? q.get('status') : '',
			org: role() === 'admin' && /^\d{1,15}$/.test(q.get('org') || '') ? q.get('org') : '',
		};
	}

	const FILTERS = ['from', 'to', 'type', 'city', 'status', 'org'];

	function saveFilters(f) {
		const q = new URLSearchParams(location.search);
		for (const k of FILTERS) {
			if (k === 'from') q.set('from', f.from);
			else if (f[k]) q.set(k, f[k]);
			else q.delete(k);
		}
		M.replaceQuery(q);
	}

	async function loadEvents(offset, previous) {
		const f = eventFilters();
		const q = new URLSearchParams({ limit: String(PAGE), offset: String(offset || 0) });
		for (const k of FILTERS) if (f[k]) q.set(k, f[k]);
		// an organiser's events: those of its organisation (as owner or partner), not the whole programme;
		// an admin chooses the organisation, or sees them all
		if (role() === 'organiser' && state.me.org_id) q.set('org', String(state.me.org_id));
		const [d] = await Promise.all([M.api.get('/api/v1/events?' + q.toString(), { noStore: true }), venues(),
			role() === 'admin' ? orgs() : null]);
		return { items: (previous || []).concat(d.items || []), total: d.total };
	}

	function select(id, label, value, options) {
		const s = el('select', { id, name: id.slice(2) });
		for (const [v, text] of options) s.appendChild(el('option', { value: v }, text));
		s.value = value;
		return el('div', { class: 'field' }, el('label', { for: id }, label), s);
	}

	function renderEventFilters(f) {
		const cities = [...new Set([...(state.venues || new Map()).values()].map((v) => v.city).filter(Boolean))]
			.sort((a, b) => a.localeCompare(b, state.lang));
		if (f.city && cities.indexOf(f.city) < 0) cities.push(f.city);
		const form = el('form', { id: 'filters', class: 'filters bo-filters', role: 'search', 'aria-label': t('filters') },
			el('div', { class: 'field' }, el('label', { for: 'f-from' }, t('bo_from')),
				el('input', { id: 'f-from', name: 'from', type: 'date', value: f.from })),
			el('div', { class: 'field' }, el('label', { for: 'f-to' }, t('bo_to')),
				el('input', { id: 'f-to', name: 'to', type: 'date', value: f.to })),
			select('f-type', t('type'), f.type, [['', t('all_types')]].concat(TYPES.map((x) => [x, t(x)]))),
			select('f-city', t('city'), f.city, [['', t('all_cities')]].concat(cities.map((c) => [c, c]))),
			select('f-status', t('bo_status'), f.status, [['', t('bo_all_statuses')]].concat(STATUSES.map((x) => [x, t(x === 'scheduled' ? 'bo_scheduled' : x)]))),
			role() === 'admin' && state.orgs ? select('f-org', t('bo_col_org'), f.org, [['', t('bo_all_orgs')]].concat(
				[...state.orgs.values()].map((o) => [String(o.id), o.name]))) : null,
			el('p', { class: 'actions bo-reset' }, el('button', { type: 'reset', class: 'button secondary', id: 'f-reset' }, t('bo_reset'))));
		form.addEventListener('submit', (e) => e.preventDefault());
		form.addEventListener('change', () => {
			const v = (id) => $(id).value;
			const from = v('f-from');
			const to = v('f-to');
			saveFilters({ from, to, type: v('f-type'), city: v('f-city'), status: v('f-status'),
				org: $('f-org') ? v('f-org') : '' });
			loading(() => loadEvents(0));
		});
		form.addEventListener('reset', (e) => {
			e.preventDefault();
			saveFilters({ from: today(), to: '', type: '', city: '', status: '', org: '' });
			state.filters = null;
			render();
			loading(() => loadEvents(0));
		});
		return form;
	}

	function eventLink(ev) {
		return el('a', { href: '/admin/events/' + ev.id, class: 'title-link' }, el('bdi', {}, title(ev)));
	}

	function warnNodes(ev) {
		return warnings(ev).map((w) => el('p', { class: 'bo-warn' }, w));
	}

	function eventsTable(items) {
		const head = el('tr', {}, ...['bo_col_event', 'bo_col_when', 'type', 'city', 'bo_col_status', 'bo_col_capacity']
			.map((k) => el('th', { scope: 'col' }, t(k))));
		const body = el('tbody');
		for (const ev of items) {
			body.appendChild(el('tr', { class: ev.status === 'cancelled' ? 'is-cancelled' : null },
				el('td', {}, eventLink(ev), ...warnNodes(ev)),
				el('td', {}, ...whenNodes(ev)),
				el('td', {}, typeBadge(ev)),
				el('td', {}, el('bdi', {}, cityOf(ev))),
				el('td', {}, el('span', { class: 'meta' }, ...stateBadges(ev))),
				el('td', { class: 'num' }, fmtNum(ev.capacity))));
		}
		return el('div', { class: 'bo-table-wrap', tabindex: '0', role: 'region', 'aria-label': t('bo_events_title') },
			el('table', { class: 'bo-table', id: 'events-table' },
			el('caption', { class: 'visually-hidden' }, t('bo_events_title')), el('thead', {}, head), body));
	}

	function eventsCards(items) {
		const list = el('ul', { class: 'bo-cards', id: 'events-cards' });
		for (const ev of items) {
			const city = cityOf(ev);
			list.appendChild(el('li', { class: 'bo-card' + (ev.status === 'cancelled' ? ' is-cancelled' : '') },
				el('h2', { class: 'bo-card-title' }, eventLink(ev)),
				el('p', { class: 'meta' }, ...badges(ev)),
				el('p', { class: 'bo-card-when' }, ...whenNodes(ev)),
				city ? el('p', { class: 'bo-card-line' }, el('bdi', {}, city)) : null,
				el('p', { class: 'bo-card-line' }, t('bo_capacity_n', { n: fmtNum(ev.capacity) })),
				...warnNodes(ev)));
		}
		return list;
	}

	// The filters stay the same nodes while only the results change (a new answer, a live change), so
	// that the field in use keeps its focus; they are built again for another language.
	function renderEvents(box) {
		let form = state.filters;
		if (!form || form.lang !== state.lang || (!form.cities && state.venues)) {
			form = { lang: state.lang, cities: !!state.venues, node: renderEventFilters(eventFilters()) };
			state.filters = form;
		}
		const results = el('div', { id: 'results' });
		if (form.node.parentNode !== box) box.replaceChildren(form.node, results);
		else box.replaceChild(results, $('results'));
		const d = state.data;
		if (!d) return;
		results.appendChild(el('p', { class: 'note', id: 'events-count' }, t('bo_events_n', { n: d.total })));
		if (!d.items.length) {
			results.appendChild(el('p', { class: 'bo-empty' }, t('bo_no_events')));
			return;
		}
		results.appendChild(eventsTable(d.items));
		results.appendChild(eventsCards(d.items));
		if (d.items.length < d.total) {
			const more = el('button', { type: 'button', class: 'button secondary', id: 'more' }, t('bo_more'));
			more.addEventListener('click', () => loading(() => loadEvents(d.items.length, d.items)));
			results.appendChild(el('p', { class: 'actions' }, more));
		}
	}

	// ---- the people directory: a search (the API's q: Latin or Arabic script, ignoring case, accents,
	// harakat, tatweel and the alef forms), kept in the URL as ?q=, and the matching people

	const QUERY_MAX = 100; // characters: within the API's 400 bytes whatever the script
	const SEARCH_DELAY = 300; // ms after the last keystroke

	// The search of the URL (?q=), spaces squeezed as the API does, at most QUERY_MAX characters.
	function peopleQuery() {
		return (new URLSearchParams(location.search).get('q') || '').replace(/\s+/g, ' ').trim().slice(0, QUERY_MAX);
	}

	function savePeopleQuery(q) {
		const u = new URLSearchParams(location.search);
		if (q) u.set('q', q);
		else u.delete('q');
		M.replaceQuery(u);
	}

	// One page (200 rows) of a list from offset, after the rows already shown (previous).
	async function loadList(path, offset, previous) {
		const d = await M.api.get(path + (path.includes('?') ? '&' : '?') + 'limit=200&offset=' + (offset || 0),
			{ noStore: true });
		return { path, items: (previous || []).concat(d.items || []), total: d.total };
	}

	function loadPeople() {
		const q = peopleQuery();
		return loadList('/api/v1/people' + (q ? '?q=' + encodeURIComponent(q) : '')).then((d) => ({ ...d, q }));
	}

	// A table of rows on wide screens and the same rows as cards on a phone: cols is
	// [[header word, cell(row) -> node or text], ...]; the first column is each card's heading, the others
	// its labelled lines. Ids: id (the table) and id with "-cards" for "-table" (the cards).
	function table(id, items, cols) {
		const node = (v) => (typeof v === 'string' ? el('bdi', {}, v) : v);
		const body = el('tbody');
		const cards = el('ul', { class: 'bo-cards', id: id.replace(/-table$/, '-cards') });
		for (const r of items) {
			body.appendChild(el('tr', {}, ...cols.map(([, cell]) => el('td', {}, node(cell(r))))));
			const [[, head], ...rest] = cols;
			const lines = el('dl', { class: 'bo-card-lines' });
			for (const [k, cell] of rest) {
				const v = cell(r);
				if (v === '' || v === null || v === undefined) continue;
				lines.append(el('div', {}, el('dt', {}, t(k)), el('dd', {}, node(v))));
			}
			cards.appendChild(el('li', { class: 'bo-card' }, el('h2', { class: 'bo-card-title' }, node(head(r))), lines));
		}
		const frag = document.createDocumentFragment();
		frag.append(el('div', { class: 'bo-table-wrap', tabindex: '0', role: 'region', 'aria-label': $('title').textContent },
			el('table', { class: 'bo-table', id },
				el('thead', {}, el('tr', {}, ...cols.map(([k]) => el('th', { scope: 'col' }, t(k))))), body)), cards);
		return frag;
	}

	// "Show more" under a list that has more rows than it shows.
	function moreButton(d) {
		if (d.items.length >= d.total) return null;
		const more = el('button', { type: 'button', class: 'button secondary', id: 'more' }, t('bo_more'));
		more.addEventListener('click', () => loading(() => loadList(d.path, d.items.length, d.items).then((x) => ({ ...x, q: d.q }))));
		return el('p', { class: 'actions' }, more);
	}

	// The word key with "{q}" shown as the search itself, isolated (a Latin name inside Arabic words), and
	// "{n}" as n.
	function withQuery(key, q, n) {
		const [before, after] = t(key, { q: '\u0000', n: n || 0 }).split('\u0000');
		return [before, el('bdi', { class: 'people-q' }, q), after || ''];
	}

	// The search form: built once per language and kept while only the results change, so that the field
	// keeps its focus and what is being typed. Each change waits SEARCH_DELAY for the next keystroke; Enter
	// searches at once.
	function peopleForm() {
		const input = el('input', { id: 'p-q', name: 'q', type: 'search', value: peopleQuery(), maxlength: String(QUERY_MAX),
			autocomplete: 'off', spellcheck: 'false', dir: 'auto', 'aria-describedby': 'p-q-help' });
		const form = el('form', { id: 'people-search', class: 'people-search', role: 'search', 'aria-label': t('people_search_label') },
			el('div', { class: 'field' }, el('label', { for: 'p-q' }, t('people_search_label')), input,
				el('p', { id: 'p-q-help', class: 'help' }, t('people_search_help'))));
		let timer = null;
		const search = () => {
			clearTimeout(timer);
			timer = null;
			const q = input.value.replace(/\s+/g, ' ').trim();
			if (q === peopleQuery() && state.data && state.data.q === q) return;
			savePeopleQuery(q);
			// what is shown stays until the answer comes, marked as being replaced
			$('screen').setAttribute('aria-busy', 'true');
			loading(loadPeople, true);
		};
		input.addEventListener('input', () => {
			clearTimeout(timer);
			timer = setTimeout(search, SEARCH_DELAY);
		});
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			search();
		});
		return form;
	}

	function renderPeople(box) {
		let form = state.search;
		if (!form || form.lang !== state.lang) {
			form = { lang: state.lang, node: peopleForm(), count: el('p', { id: 'people-count', class: 'note', role: 'status' }) };
			state.search = form;
		}
		const results = el('div', { id: 'results' });
		if (form.node.parentNode !== box) box.replaceChildren(form.node, form.count, results);
		else box.replaceChild(results, $('results'));
		box.removeAttribute('aria-busy');
		const d = state.data;
		if (!d) return;
		// the count says what was found, or plainly that nothing was: one node, read out as it changes
		const none = !d.items.length;
		form.count.classList.toggle('bo-empty', none);
		if (none && d.q) form.count.replaceChildren(...withQuery('people_no_match', d.q));
		else if (none) form.count.replaceChildren(t('people_none'));
		else form.count.replaceChildren(...(d.q ? withQuery('people_found_n', d.q, d.total) : [t('people_n', { n: d.total })]));
		if (none) {
			if (d.q) results.appendChild(el('p', { class: 'help', id: 'people-no-match-help' }, t('people_no_match_help')));
			return;
		}
		results.append(table('people-table', d.items, [
			['bo_col_name', (p) => p.name || ''],
			['bo_col_name_ar', (p) => (p.name_ar ? el('bdi', { lang: 'ar', dir: 'rtl' }, p.name_ar) : '')],
			['bo_col_contact', (p) => (p.email || p.phone ? el('bdi', { dir: 'ltr', class: 'contact' }, p.email || p.phone) : '')],
		]), moreButton(d) || '');
	}

	// ---- check-in staff's first screen

	function renderCheckinHome(box) {
		box.appendChild(el('section', { class: 'card bo-checkin' },
			el('p', {}, t('bo_checkin_help')),
			el('p', { class: 'actions' }, el('a', { class: 'button', href: '/admin/checkin', id: 'go-checkin' }, t('bo_checkin_open')))));
	}

	// ---- live: the organisation's changes refresh the events list, and a session ended elsewhere (close
	// code 4001) goes to the login page at once

	let live = null;
	let refreshTimer = null;

	// The topics of the current screen: an organiser's events list follows its organisation.
	function topics() {
		if (!state.me || state.me.via !== 'cookie') return [];
		if (state.screen === 'events' && state.me.org_id && role() === 'organiser') return ['org:' + state.me.org_id];
		return [];
	}

	function follow() {
		if (live || !M.live) return;
		const list = topics();
		if (!list.length) return;
		live = M.live.open({
			topics: list,
			onMessage: changed,
			onResync: () => refresh(0),
			onEnd: () => location.assign(M.bo.loginUrl(true)),
		});
	}

	// Loads the list again (once for a burst of changes), keeping what is shown until the answer comes.
	function refresh(delay) {
		if (refreshTimer) return;
		refreshTimer = setTimeout(() => {
			refreshTimer = null;
			if (state.screen === 'events') loading(() => loadEvents(0), true);
		}, delay);
	}

	function changed(msg) {
		if (msg.type !== 'change') return;
		if (state.screen === 'events' && /^(event|session)\./.test(msg.kind || '')) refresh(300);
	}

	// ---- the screen: title, then its content

	const RENDER = { events: renderEvents, people: renderPeople, checkin_home: renderCheckinHome };

	function render() {
		const key = state.screen;
		const box = $('screen');
		if (key !== 'events' && key !== 'people') box.replaceChildren();
		if (!state.me || !state.screen) return;
		if (key === 'missing') {
			M.bo.missing($('title'), box);
			return;
		}
		$('title').textContent = t(SCREENS[key].title);
		document.title = t(SCREENS[key].title) + ' — Majlis';
		RENDER[key](box);
	}

	function load() {
		switch (state.screen) {
		case 'events':
			return loading(() => loadEvents(0));
		case 'people':
			return loading(loadPeople);
		default:
			setStatus('');
			render();
			return null;
		}
	}

	async function init() {
		try {
			state.me = await M.bo.start({
				titleKey: null,
				onLang: (l) => {
					state.lang = l;
					render();
				},
			});
		} catch (e) {
			$('title').textContent = t('bo_load_failed');
			return;
		}
		if (!state.me) return;
		state.screen = route();
		if (!state.screen) return;
		M.bo.setCurrent(state.screen === 'missing' ? null : SCREENS[state.screen].nav);
		render();
		load();
	}

	init();
})();
