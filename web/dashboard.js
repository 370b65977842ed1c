// dashboard: an event's live dashboard for its organisers, /admin/events/<id> — reads the id from the path
// and, with the browser's login session, shows the counters (confirmed of capacity with women, men and
// unspecified apart, pending, waitlisted, present per session) and the registrations (sorted, filtered by
// status, searched by name in Latin or Arabic script; approve, reject, cancel, send the link again,
// promote from the waiting list, the messages sent with "send again"; CSV exports). It follows /live
// (topic event:<id>): the counts carried by each frame replace the counters, a registration's change
// updates or fetches its row, a reconnect replays what was missed and "resync" reloads the snapshot; it
// says when it is offline. An event the caller may not see shows exactly as a missing one. DOM nodes and
// textContent only; state flows one way (snapshot, then live frames, then render).
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;
	const t = M.i18n.t;
	const $ = M.$;
	const HOME = 'Africa/Casablanca';
	const PAGE = 200; // the API's largest page
	const SHOW = 200; // rows drawn at once (more on demand)
	const STATUSES = ['pending', 'confirmed', 'waitlisted', 'declined', 'cancelled', 'rejected'];
	const ACTIVE = ['pending', 'confirmed', 'waitlisted'];
	const SORTS = ['name', 'status', 'newest', 'oldest'];
	const NOTE_FILTERS = ['', 'failed', 'pending', 'sent'];
	const m = /^\/admin\/events\/(\d{1,15})\/?$/.exec(location.pathname);
	const id = m ? m[1] : null;
	const topic = 'event:' + id;
	const q0 = new URLSearchParams(location.search);

	const state = {
		lang: M.bo.lang(),
		me: null, // GET /api/v1/auth/me
		ev: null, // GET /api/v1/events/{id}
		counts: null, // {capacity, confirmed, pending, waitlisted, bySex, sessions: Map id -> {present, bySex}}
		regs: new Map(), // registration id -> row of GET .../registrations
		manage: true, // false: the caller sees the event but not its registrations (403)
		problem: null, // 'missing' | 'error'
		loading: true,
		online: null, // the live connection: true, false, or null before the first answer
		status: STATUSES.indexOf(q0.get('status')) >= 0 ? q0.get('status') : '',
		q: (q0.get('q') || '').slice(0, 200),
		sort: SORTS.indexOf(q0.get('sort')) >= 0 ? q0.get('sort') : 'name',
		more: 0, // rows drawn beyond SHOW
		busy: new Set(), // registration ids with an action in flight
		ask: null, // {id, act}: the action waiting for its confirmation
		msg: new Map(), // registration id -> {key, error, raise}: what the last action said
		focus: null, // {id, act, card}: the button to focus at the next drawing (its own was disabled)
		notes: { items: null, status: '', for: null, busy: false, error: null, done: null },
	};
	let live = null;
	let queue = null; // live messages that came while a snapshot loads (applied after it), or null
	// what the frames said changed and is still to fetch: the event, the rows from registration id `from` on
	// (a new one, or one that changed while rows were being fetched), the waitlist positions
	const need = { event: false, from: null, waitlist: false };
	let refreshing = null;
	let framesCounted = 0; // frames whose counts were applied (a snapshot read meanwhile is older)

	function saveUrl() {
		const q = new URLSearchParams();
		if (state.lang !== 'fr') q.set('lang', state.lang);
		if (state.status) q.set('status', state.status);
		if (state.q) q.set('q', state.q);
		if (state.sort !== 'name') q.set('sort', state.sort);
		M.replaceQuery(q);
	}

	// ---- words, numbers, times

	const LOCALES = { fr: 'fr-MA', ar: 'ar-MA-u-nu-latn', en: 'en-GB' };

	function num(n) {
		return typeof n === 'number' ? new Intl.NumberFormat(LOCALES[state.lang]).format(n) : '—';
	}

	// An instant (seconds since the epoch) as Morocco's wall time: "7 déc., 09:12".
	function instant(sec) {
		if (typeof sec !== 'number') return '';
		return new Intl.DateTimeFormat(LOCALES[state.lang], {
			day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: HOME,
		}).format(new Date(sec * 1000));
	}

	// The word key, or fallback when no catalogue has it.
	function word(key, fallback) {
		const v = t(key);
		return v === key ? fallback : v;
	}

	// A name folded for searching: no case, no Latin diacritics, no Arabic harakat or tatweel, one alef,
	// ة as ه and ى as ي, spaces squeezed.
	function fold(s) {
		return String(s || '').normalize('NFD')
			.replace(/[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g, '')
			.toLowerCase()
			.replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627').replace(/\u0629/g, '\u0647').replace(/\u0649/g, '\u064a')
			.replace(/\u0153/g, 'oe').replace(/\u00e6/g, 'ae').replace(/\u00df/g, 'ss')
			.replace(/\s+/g, ' ').trim();
	}

	// ---- the snapshot

	// Every page of path (a list of the API), as one array.
	async function all(path) {
		const out = [];
		for (;;) {
			const sep = path.indexOf('?') >= 0 ? '&' : '?';
			const d = await M.api.get(path + sep + 'limit=' + PAGE + '&offset=' + out.length, { noStore: true });
			const items = d.items || [];
			out.push(...items);
			if (!items.length || out.length >= d.total) return out;
		}
	}

	function sexOf(o) {
		return o ? { female: o.female || 0, male: o.male || 0, unspecified: o.unspecified || 0 } : null;
	}

	// The counters from the event's counts and its stats (present per session), as a live frame has them.
	function countsFromSnapshot(ev, stats) {
		const c = ev.counts || {};
		const sessions = new Map();
		for (const s of (stats && stats.sessions) || []) {
			const p = s.present || {};
			sessions.set(s.id, { present: p.total || 0, bySex: sexOf(p) });
		}
		return {
			capacity: c.capacity, confirmed: c.confirmed, pending: c.pending, waitlisted: c.waitlisted,
			bySex: sexOf(c.by_sex && c.by_sex.confirmed), sessions,
		};
	}

	function countsFromLive(c) {
		const sessions = new Map();
		for (const s of c.sessions || []) sessions.set(s.id, { present: s.present || 0, bySex: sexOf(s.present_by_sex) });
		return {
			capacity: c.capacity, confirmed: c.confirmed, pending: c.pending, waitlisted: c.waitlisted,
			bySex: sexOf(c.confirmed_by_sex) || (state.counts && state.counts.bySex), sessions,
		};
	}

	// Reads the event and its numbers. Numbers a frame brought while they were read are newer than them
	// and stay.
	async function loadEvent() {
		const mark = framesCounted;
		const ev = await M.api.get('/api/v1/events/' + id, { noStore: true });
		// present per session: the stats (numbers without names); none yet is no presence yet
		const stats = await M.api.get('/api/v1/events/' + id + '/stats', { noStore: true }).catch(() => null);
		state.ev = ev;
		if (framesCounted === mark || !state.counts) state.counts = countsFromSnapshot(ev, stats);
	}

	async function loadRegs() {
		const me = state.me;
		// the registrations are their organisers' and the admins' (others would be refused: not asked)
		if (me && !(me.role === 'admin' || (me.role === 'organiser' && me.org_id === state.ev.org_id))) {
			state.manage = false;
			state.regs = new Map();
			return;
		}
		try {
			const items = await all('/api/v1/events/' + id + '/registrations');
			state.regs = new Map(items.map((r) => [r.id, r]));
			state.manage = true;
		} catch (e) {
			if (e.status !== 403) throw e;
			state.manage = false; // an official, or another organisation's public event: numbers only
			state.regs = new Map();
		}
	}

	// Loads the whole snapshot (the live messages meanwhile wait, then apply on top of it).
	async function loadSnapshot() {
		if (queue) return;
		queue = [];
		try {
			await loadEvent();
			await loadRegs();
			state.problem = null;
		} catch (e) {
			state.problem = e.status === 404 ? 'missing' : 'error';
		}
		state.loading = false;
		const waiting = queue;
		queue = null;
		if (state.problem === 'missing' && live) {
			live.close();
			live = null;
		}
		for (const msg of waiting) apply(msg);
		render();
		if (state.manage && !state.problem) loadNotes();
	}

	// ---- live frames

	function apply(msg) {
		if (queue) {
			queue.push(msg);
			return;
		}
		if (msg.type === 'refused' && msg.topic === topic) {
			// the event is no longer visible to this caller: as if it never existed
			state.problem = 'missing';
			render();
			return;
		}
		if (msg.type !== 'change' || msg.topic !== topic || state.problem) return;
		if (msg.counts) {
			state.counts = countsFromLive(msg.counts);
			framesCounted++;
		}
		const kind = msg.kind || '';
		const p = msg.payload || {};
		if (kind.startsWith('registration.') && typeof p.registration_id === 'number') {
			const row = state.regs.get(p.registration_id);
			// a row being fetched may come back older than this frame: it is fetched again after
			if (!row || refreshing) fetchFrom(p.registration_id);
			if (row && kind === 'registration.attendance_confirmed') row.attendance_confirmed_at = msg.at || Date.now() / 1000;
			if (row && typeof p.status === 'string' && p.status !== row.status) {
				if (row.status === 'waitlisted' || p.status === 'waitlisted') need.waitlist = true;
				row.status = p.status;
				if (p.status !== 'waitlisted') row.waitlist_position = null;
				row.updated_at = msg.at || row.updated_at;
			}
		} else if (kind.startsWith('event.') || kind.startsWith('session.')) {
			need.event = true;
		}
		render();
		refresh();
	}

	function fetchFrom(rid) {
		need.from = need.from === null ? rid : Math.min(need.from, rid);
	}

	// The rows from registration id from on (the list is in id order: those before it are all held).
	async function fetchRows(from) {
		let offset = 0;
		for (const r of state.regs.values()) if (r.id < from) offset++;
		const path = '/api/v1/events/' + id + '/registrations?limit=' + PAGE + '&offset=';
		for (;;) {
			const d = await M.api.get(path + offset, { noStore: true });
			const items = d.items || [];
			for (const r of items) {
				const old = state.regs.get(r.id);
				if (r.status === 'waitlisted' || (old && old.status === 'waitlisted')) need.waitlist = true;
				state.regs.set(r.id, r);
			}
			offset += items.length;
			if (!items.length || offset >= d.total) return;
		}
	}

	// Fetches what the frames said changed (the event, rows, waitlist positions), one fetch at a time, until
	// nothing more is asked.
	function refresh() {
		if (refreshing || !(need.event || need.from !== null || need.waitlist)) return;
		refreshing = (async () => {
			try {
				while (need.event || need.from !== null || need.waitlist) {
					if (need.event) {
						need.event = false;
						await loadEvent();
					}
					if (need.from !== null) {
						const from = need.from;
						need.from = null;
						if (state.manage) await fetchRows(from);
					}
					if (need.waitlist) {
						need.waitlist = false;
						if (state.manage) {
							const items = await all('/api/v1/events/' + id + '/registrations?status=waitlisted');
							for (const r of items) state.regs.set(r.id, r);
						}
					}
					render();
				}
			} catch (e) {
				if (e.status === 404) state.problem = 'missing';
				render();
			} finally {
				// what a failed fetch left asked for is tried again with the next frame
				refreshing = null;
			}
		})();
	}

	function openLive() {
		live = M.live.open({
			topics: [topic],
			onMessage: apply,
			onResync: () => loadSnapshot(),
			onState: (online) => {
				state.online = online;
				renderLive();
				// a snapshot that failed for want of a network is read again once it is back
				if (online && state.problem === 'error') loadSnapshot();
			},
			onEnd: () => location.assign(M.bo.loginUrl(true)),
		});
	}

	// ---- actions

	const ACTS = {
		approve: { path: 'approve', done: 'dash_done_approve' },
		reject: { path: 'reject', done: 'dash_done_reject', ask: 'dash_ask_reject' },
		cancel: { path: 'cancel', done: 'dash_done_cancel', ask: 'dash_ask_cancel' },
		link: { path: 'send-link', done: 'dash_done_link' },
		promote: { path: 'promote', done: 'dash_done_promote' },
		raise: { path: 'promote', done: 'dash_done_promote', body: { raise_capacity: true } },
	};

	// What the actions of a row in status are, in order.
	function actsOf(r) {
		switch (r.status) {
		case 'pending':
			return ['approve', 'reject', 'link'];
		case 'confirmed':
			return ['link', 'cancel'];
		case 'waitlisted':
			return ['promote', 'link', 'cancel'];
		default:
			return [];
		}
	}

	function errorKey(e) {
		if (e.code === 'no_seat_free') return 'dash_err_no_seat';
		if (e.code === 'not_waitlisted') return 'dash_err_not_waitlisted';
		if (e.code === 'invalid_transition') return 'dash_err_transition';
		if (e.code === 'event_cancelled') return 'event_cancelled';
		if (e.status === 0) return 'dash_err_network';
		if (e.status === 503 || e.status === 429) return 'err_busy';
		if (e.status === 404) return 'dash_err_gone';
		return 'err_generic';
	}

	async function act(rid, name, card) {
		const a = ACTS[name];
		if (!a || state.busy.has(rid)) return;
		state.focus = { id: String(rid), act: name, card };
		state.ask = null;
		state.busy.add(rid);
		state.msg.delete(rid);
		render();
		try {
			const r = await M.api.post('/api/v1/registrations/' + rid + '/' + a.path, a.body);
			const row = state.regs.get(rid);
			const reg = r.body && (r.body.registration || r.body);
			if (row && reg && typeof reg.status === 'string') {
				if (row.status !== reg.status && (row.status === 'waitlisted' || reg.status === 'waitlisted')) need.waitlist = true;
				row.status = reg.status;
				row.waitlist_position = reg.waitlist_position === undefined ? row.waitlist_position : reg.waitlist_position;
			}
			state.msg.set(rid, { key: a.done, error: false });
			refresh();
			loadNotes(); // what the action mailed
		} catch (e) {
			state.msg.set(rid, { key: errorKey(e), error: true, raise: e.code === 'no_seat_free' });
		}
		state.busy.delete(rid);
		// back on the button used, or on the way out it offers (one more seat)
		state.focus = { id: String(rid), act: (state.msg.get(rid) || {}).raise ? 'raise' : name, card };
		render();
	}

	function onAction(evt) {
		const b = evt.target.closest('button[data-act]');
		if (!b) return;
		const rid = Number(b.getAttribute('data-id'));
		const name = b.getAttribute('data-act');
		const card = !!b.closest('#cards');
		if (name === 'no') {
			// back on the button that asked
			state.focus = { id: String(rid), act: state.ask ? state.ask.act : name, card };
			state.ask = null;
			render();
		} else if (name === 'notes') {
			state.notes.for = rid;
			loadNotes();
			$('notes').scrollIntoView({ block: 'start' });
			$('notes-title').focus();
		} else if (ACTS[name] && ACTS[name].ask && !(state.ask && state.ask.id === rid && state.ask.act === name)) {
			state.ask = { id: rid, act: name };
			// the question's "no" takes the focus: two presses of Enter never cancel
			state.focus = { id: String(rid), act: 'no', card };
			render();
		} else {
			act(rid, name, card);
		}
	}

	// ---- rendering: counters

	function sexLine(bySex) {
		if (!bySex) return null;
		const part = (k, v) => el('span', { class: 'dash-sex', 'data-sex': k }, t('dash_' + k) + ' ', el('b', {}, num(v)));
		return el('span', { class: 'dash-sexes' }, part('women', bySex.female), part('men', bySex.male),
			part('unspecified', bySex.unspecified));
	}

	function counter(key, label, value, extra) {
		return el('div', { class: 'dash-count', id: 'c-' + key }, el('dt', {}, label),
			el('dd', {}, el('span', { class: 'dash-big' }, el('bdi', { dir: 'ltr' }, value)), extra || null));
	}

	function renderCounts() {
		const c = state.counts;
		const box = $('counts');
		box.replaceChildren();
		if (!c) return;
		const free = typeof c.capacity === 'number' ? Math.max(c.capacity - (c.confirmed || 0), 0) : null;
		box.append(
			counter('confirmed', t('dash_confirmed'), num(c.confirmed) + ' / ' + num(c.capacity), sexLine(c.bySex)),
			counter('available', t('dash_available'), num(free)),
			counter('pending', t('dash_pending'), num(c.pending)),
			counter('waitlisted', t('dash_waitlisted'), num(c.waitlisted)));
		const list = $('presence');
		list.replaceChildren();
		const sessions = (state.ev && state.ev.sessions) || [];
		for (const s of sessions) {
			const p = c.sessions.get(s.id) || { present: 0, bySex: { female: 0, male: 0, unspecified: 0 } };
			list.appendChild(el('li', { id: 'p-' + s.id, class: 'dash-session' },
				el('span', { class: 'dash-session-when' }, ...M.sessionNodes(s, state.lang)),
				el('span', { class: 'dash-session-n' }, el('span', { class: 'dash-big' }, num(p.present)), ' ', t('dash_present', { n: p.present })),
				sexLine(p.bySex)));
		}
		if (!sessions.length) list.appendChild(el('li', { class: 'muted' }, t('dash_no_sessions')));
	}

	// ---- rendering: registrations

	function statusText(r) {
		const s = t('dash_st_' + r.status);
		return r.status === 'waitlisted' && typeof r.waitlist_position === 'number' ? s + ' (' + num(r.waitlist_position) + ')' : s;
	}

	function matches(r, needle) {
		if (state.status && r.status !== state.status) return false;
		if (!needle) return true;
		return [r.name, r.name_ar, r.email].some((v) => fold(v).includes(needle)) ||
			(r.phone && needle.replace(/[\s.()-]/g, '').length > 2 && r.phone.includes(needle.replace(/[\s.()-]/g, '').replace(/^0/, '')));
	}

	const RANK = { pending: 0, confirmed: 1, waitlisted: 2, declined: 3, cancelled: 4, rejected: 5 };

	function sorted(rows) {
		const coll = new Intl.Collator(LOCALES[state.lang], { sensitivity: 'base', numeric: true });
		const byName = (a, b) => coll.compare(a.name || '', b.name || '') || a.id - b.id;
		const cmp = {
			name: byName,
			status: (a, b) => RANK[a.status] - RANK[b.status] || (a.waitlist_position || 0) - (b.waitlist_position || 0) || byName(a, b),
			newest: (a, b) => b.id - a.id,
			oldest: (a, b) => a.id - b.id,
		}[state.sort];
		return rows.sort(cmp);
	}

	function nameNodes(r) {
		// each on a line of its own, isolated inline: a Latin name keeps its order inside Arabic
		const out = [el('span', { class: 'dash-name-line' }, el('bdi', { class: 'dash-name' }, r.name || '—'))];
		if (r.name_ar) out.push(el('span', { class: 'dash-name-ar' }, el('bdi', { lang: 'ar', dir: 'rtl' }, r.name_ar)));
		return out;
	}

	// The e-mail address (breakable after its @ only) or the phone, read left to right in every language.
	function contactNode(r) {
		if (r.email) {
			const at = r.email.lastIndexOf('@');
			return el('bdi', { dir: 'ltr', class: 'dash-contact' }, el('span', {}, r.email.slice(0, at + 1)), el('wbr'),
				el('span', {}, r.email.slice(at + 1)));
		}
		return r.phone ? el('bdi', { dir: 'ltr', class: 'dash-contact' }, r.phone) : el('span', { class: 'muted' }, '—');
	}

	// The status, and whether a confirmed participant said they will come (their personal page's "confirm").
	function badge(r) {
		const b = el('span', { class: 'dash-status st-' + r.status }, statusText(r));
		if (r.status !== 'confirmed' || !r.attendance_confirmed_at) return b;
		return el('span', { class: 'dash-badges' }, b, el('span', { class: 'dash-coming' }, t('dash_coming')));
	}

	// The row's buttons, its pending question, or what its last action said.
	function actionNodes(r) {
		const busy = state.busy.has(r.id);
		const out = el('div', { class: 'dash-acts' });
		const button = (name, label, cls) => el('button', {
			type: 'button', class: 'button small ' + (cls || 'secondary'), 'data-act': name, 'data-id': r.id,
			disabled: busy,
		}, label);
		if (state.ask && state.ask.id === r.id) {
			const a = state.ask.act;
			out.append(el('span', { class: 'dash-ask', role: 'alert' }, t(ACTS[a].ask)),
				button(a, t('dash_yes_' + a), 'danger'), button('no', t('dash_no')));
			return out;
		}
		for (const a of actsOf(r)) out.appendChild(button(a, t('dash_act_' + a), a === 'approve' || a === 'promote' ? 'primary' : ''));
		out.appendChild(button('notes', t('dash_act_notes')));
		const msg = state.msg.get(r.id);
		if (msg) {
			out.appendChild(el('span', { class: 'dash-msg' + (msg.error ? ' error' : ' ok'), role: msg.error ? 'alert' : 'status' }, t(msg.key)));
			if (msg.raise && r.status === 'waitlisted') out.appendChild(button('raise', t('dash_act_raise'), 'primary'));
		}
		return out;
	}

	function renderHead() {
		const head = $('head');
		head.replaceChildren();
		const sortable = { name: 'name', status: 'status', registered: state.sort === 'oldest' ? 'newest' : 'oldest' };
		for (const col of ['name', 'status', 'sex', 'contact', 'registered', 'actions']) {
			const th = el('th', { scope: 'col' });
			if (sortable[col]) {
				const on = state.sort === col || (col === 'registered' && (state.sort === 'newest' || state.sort === 'oldest'));
				if (on) th.setAttribute('aria-sort', state.sort === 'newest' ? 'descending' : 'ascending');
				const b = el('button', { type: 'button', class: 'dash-sort', 'data-sort': sortable[col] }, t('dash_col_' + col));
				th.appendChild(b);
			} else {
				th.textContent = t('dash_col_' + col);
			}
			head.appendChild(th);
		}
	}

	function renderRegs() {
		const needle = fold(state.q);
		const rows = sorted(Array.from(state.regs.values()).filter((r) => matches(r, needle)));
		const shown = rows.slice(0, SHOW + state.more);
		// the focus stays on the button it was on (the rows are drawn anew)
		const f = document.activeElement;
		const focus = state.focus || (f && f.getAttribute && f.getAttribute('data-act') ?
			{ id: f.getAttribute('data-id'), act: f.getAttribute('data-act'), card: !!f.closest('#cards') } : null);
		state.focus = null;
		$('shown').textContent = t('dash_shown', { n: rows.length, count: num(rows.length), total: num(state.regs.size) });
		renderHead();
		const body = $('rows');
		const cards = $('cards');
		body.replaceChildren();
		cards.replaceChildren();
		for (const r of shown) {
			body.appendChild(el('tr', { 'data-id': r.id, class: 'st-' + r.status },
				el('td', {}, ...nameNodes(r)), el('td', {}, badge(r)),
				el('td', {}, t('sex_' + (r.sex || 'unspecified'))), el('td', {}, contactNode(r)),
				el('td', {}, el('span', { class: 'dash-date' }, instant(r.created_at))), el('td', {}, actionNodes(r))));
			cards.appendChild(el('li', { 'data-id': r.id, class: 'dash-card st-' + r.status },
				el('p', { class: 'dash-card-head' }, el('span', {}, ...nameNodes(r)), badge(r)),
				el('p', { class: 'dash-card-meta' }, el('span', {}, t('sex_' + (r.sex || 'unspecified'))), contactNode(r),
					el('span', { class: 'dash-date' }, instant(r.created_at))),
				actionNodes(r)));
		}
		if (!shown.length) body.appendChild(el('tr', {}, el('td', { colspan: '6', class: 'muted' }, t('dash_none'))));
		if (!shown.length) cards.appendChild(el('li', { class: 'muted' }, t('dash_none')));
		const more = $('more');
		if (more) more.remove();
		if (rows.length > shown.length) {
			const b = el('button', { type: 'button', class: 'button secondary' }, t('dash_more', { n: num(rows.length - shown.length) }));
			b.addEventListener('click', () => {
				state.more += SHOW;
				renderRegs();
			});
			$('cards').after(el('p', { class: 'actions', id: 'more' }, b));
		}
		if (focus) {
			const sel = (focus.card ? '#cards' : '#rows') + ' button[data-id="' + focus.id + '"][data-act="' + focus.act + '"]';
			const again = document.querySelector(sel) ||
				document.querySelector((focus.card ? '#cards' : '#rows') + ' button[data-id="' + focus.id + '"]');
			if (again) again.focus();
		}
	}

	// Sets a select's options ([value, text], ...) and value, changing the texts in place when the values
	// are the same (a live update must not close a list the user has open).
	function options(sel, list, value) {
		const same = sel.options.length === list.length && list.every(([v], i) => sel.options[i].value === v);
		if (same) {
			list.forEach(([, text], i) => {
				if (sel.options[i].textContent !== text) sel.options[i].textContent = text;
			});
		} else {
			sel.replaceChildren(...list.map(([v, text]) => el('option', { value: v }, text)));
		}
		if (sel.value !== value) sel.value = value;
	}

	function renderTools() {
		const counts = {};
		for (const r of state.regs.values()) counts[r.status] = (counts[r.status] || 0) + 1;
		options($('filter'), [['', t('dash_all', { n: num(state.regs.size) })]]
			.concat(STATUSES.map((s) => [s, t('dash_st_' + s) + ' (' + num(counts[s] || 0) + ')'])), state.status);
		options($('sort'), SORTS.map((s) => [s, t('dash_sort_' + s)]), state.sort);
		if ($('q').value !== state.q) $('q').value = state.q;
		const l = state.lang;
		$('csv-regs').href = '/api/v1/events/' + id + '/registrations.csv?lang=' + l;
		$('csv-att').href = '/api/v1/events/' + id + '/attendance.csv?lang=' + l;
	}

	// ---- rendering: messages to participants

	// Loads the message history again; of loads that overlap (a live frame, an action, a resend), the newest
	// asked wins, so an older answer arriving last never puts back a list without the latest message.
	async function loadNotes() {
		const n = state.notes;
		const seq = (n.seq = (n.seq || 0) + 1);
		n.busy = true;
		n.error = null;
		renderNotes();
		let items = null;
		let error = null;
		try {
			const q = n.status ? '?status=' + n.status + '&' : '?';
			const d = await M.api.get('/api/v1/events/' + id + '/notifications' + q + 'limit=' + PAGE, { noStore: true });
			items = d.items || [];
		} catch (e) {
			error = e.status === 0 ? 'dash_err_network' : 'err_generic';
		}
		if (seq !== n.seq) return;
		if (items) n.items = items;
		n.error = error;
		n.busy = false;
		renderNotes();
	}

	async function resend(nid) {
		const n = state.notes;
		n.done = null;
		try {
			await M.api.post('/api/v1/notifications/' + nid + '/resend');
			n.done = { id: nid, key: 'dash_resent', error: false };
		} catch (e) {
			n.done = { id: nid, key: errorKey(e), error: true };
		}
		await loadNotes();
	}

	function renderNotes() {
		const n = state.notes;
		options($('notes-filter'), NOTE_FILTERS.map((s) => [s, t('dash_notes_' + (s || 'all'))]), n.status);
		const who = $('notes-who');
		const row = n.for ? state.regs.get(n.for) : null;
		who.hidden = !row;
		who.replaceChildren();
		if (row) {
			const b = el('button', { type: 'button', class: 'button small secondary', id: 'notes-all' }, t('dash_notes_everyone'));
			b.addEventListener('click', () => {
				n.for = null;
				renderNotes();
			});
			who.append(t('dash_notes_for') + ' ', el('bdi', {}, row.name || ''), ' ', b);
		}
		$('notes-status').textContent = n.busy ? t('loading') : n.error ? t(n.error) : '';
		$('notes-status').className = 'status' + (n.error ? ' error' : '');
		const list = $('notes-list');
		list.replaceChildren();
		const items = (n.items || []).filter((x) => !n.for || x.registration_id === n.for);
		for (const x of items) {
			const li = el('li', { class: 'dash-note', 'data-id': x.id },
				el('p', { class: 'dash-note-head' },
					el('span', {}, word('dash_kind_' + x.kind.replace(/\./g, '_'), x.kind)), ' · ',
					el('bdi', {}, x.person_name || '—'),
					el('span', { class: 'dash-status nt-' + x.status }, t('dash_nst_' + x.status))),
				el('p', { class: 'note' }, instant(x.sent_at || x.failed_at || x.created_at),
					x.attempts ? ' · ' + t('dash_attempts', { n: num(x.attempts) }) : ''));
			if (x.last_error) li.appendChild(el('p', { class: 'dash-note-error' }, el('bdi', { dir: 'ltr' }, x.last_error)));
			if (x.status !== 'pending') {
				const b = el('button', { type: 'button', class: 'button small secondary', 'data-note': x.id }, t('dash_resend'));
				li.appendChild(el('p', { class: 'actions' }, b));
			}
			if (n.done && n.done.id === x.id) {
				li.appendChild(el('p', { class: 'dash-msg' + (n.done.error ? ' error' : ' ok'), role: 'status' }, t(n.done.key)));
			}
			list.appendChild(li);
		}
		if (n.items && !items.length) list.appendChild(el('li', { class: 'muted' }, t('dash_notes_none')));
	}

	// ---- rendering: the page

	function renderLive() {
		const p = $('live');
		p.replaceChildren();
		p.className = 'dash-live';
		if (state.problem || state.online === null) return;
		p.classList.add(state.online ? 'on' : 'off');
		p.append(el('span', { class: 'dash-dot', 'aria-hidden': 'true' }), t(state.online ? 'dash_live_on' : 'dash_live_off'));
	}

	function renderMeta() {
		const ev = state.ev;
		const meta = $('meta');
		meta.hidden = false;
		meta.replaceChildren(el('span', { class: 'badge type-' + ev.type }, t(ev.type)));
		if (ev.status !== 'scheduled') meta.appendChild(el('span', { class: 'badge state-' + ev.status }, t('dash_ev_' + ev.status)));
		meta.appendChild(el('span', { class: 'badge dash-vis' }, t('dash_vis_' + ev.visibility)));
		if (ev.visibility === 'public') meta.appendChild(el('a', { href: '/e/' + ev.id + (state.lang !== 'fr' ? '?lang=' + state.lang : '') }, t('dash_public_page')));
	}

	function render() {
		const ev = state.ev;
		renderLive();
		const problem = $('problem');
		if (state.loading) return;
		$('main').setAttribute('aria-busy', 'false');
		if (state.problem || !ev) {
			// a missing event, one the caller may not see, a screen the role may not use: the same words as on
			// every back-office page
			if (state.problem === 'error') {
				$('title').textContent = t('dash_error');
				document.title = $('title').textContent + ' — Majlis';
			} else M.bo.missing($('title'), null);
			problem.hidden = state.problem !== 'error';
			problem.textContent = state.problem === 'error' ? t('dash_error_help') : '';
			for (const x of ['meta', 'counters', 'regs', 'notes']) $(x).hidden = true;
			return;
		}
		const title = M.pick(ev, 'title', state.lang) || '—';
		$('title').textContent = title;
		$('title').setAttribute('lang', M.pickLang(ev, 'title', state.lang) || state.lang);
		document.title = title + ' — ' + t('dash_title') + ' — Majlis';
		renderMeta();
		problem.hidden = state.manage;
		problem.className = 'banner';
		problem.textContent = state.manage ? '' : t('dash_numbers_only');
		$('counters').hidden = false;
		renderCounts();
		$('regs').hidden = !state.manage;
		$('notes').hidden = !state.manage;
		if (state.manage) {
			renderTools();
			renderRegs();
			renderNotes();
		}
	}

	async function init() {
		$('tools').addEventListener('submit', (e) => e.preventDefault());
		$('q').addEventListener('input', () => {
			state.q = $('q').value.slice(0, 200);
			state.more = 0;
			saveUrl();
			renderRegs();
		});
		$('filter').addEventListener('change', () => {
			state.status = $('filter').value;
			state.more = 0;
			saveUrl();
			renderRegs();
		});
		$('sort').addEventListener('change', () => {
			state.sort = $('sort').value;
			saveUrl();
			renderRegs();
		});
		$('head').addEventListener('click', (e) => {
			const b = e.target.closest('button[data-sort]');
			if (!b) return;
			state.sort = b.getAttribute('data-sort');
			saveUrl();
			renderTools();
			renderRegs();
			const again = document.querySelector('#head button[data-sort="' + state.sort + '"]') ||
				document.querySelector('#head button[data-sort]');
			if (again) again.focus();
		});
		$('rows').addEventListener('click', onAction);
		$('cards').addEventListener('click', onAction);
		// Escape answers a pending question "no" (the focus goes back to the button that asked)
		document.addEventListener('keydown', (e) => {
			if (e.key !== 'Escape' || !state.ask) return;
			const no = document.querySelector((document.activeElement && document.activeElement.closest('#cards') ? '#cards' : '#rows') +
				' button[data-act="no"]');
			if (no) no.click();
		});
		$('notes-filter').addEventListener('change', () => {
			state.notes.status = $('notes-filter').value;
			loadNotes();
		});
		$('notes-refresh').addEventListener('click', loadNotes);
		$('notes-list').addEventListener('click', (e) => {
			const b = e.target.closest('button[data-note]');
			if (b) resend(Number(b.getAttribute('data-note')));
		});
		$('notes-title').setAttribute('tabindex', '-1');
		// the header, the language, the session (a 401 later goes to the login page and back) and who is
		// logged in: one start for every back-office page (bo.js)
		try {
			state.me = await M.bo.start({
				current: 'events',
				titleKey: 'dash_title',
				onLang: (l) => {
					state.lang = l;
					saveUrl();
					render();
				},
			});
		} catch (e) {
			state.loading = false;
			state.problem = 'error';
			render();
			return;
		}
		if (!state.me) return; // not logged in: on its way to the login page
		state.lang = M.i18n.lang();
		if (!id || (state.me && state.me.role === 'checkin')) {
			// as on every back-office page, a screen this role may not use answers as one that does not exist
			state.loading = false;
			state.problem = 'missing';
			render();
			return;
		}
		// the stream first: what changes while the snapshot loads is applied on top of it
		openLive();
		await loadSnapshot();
	}

	init();
})();
