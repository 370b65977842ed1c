// numbers: the officials' numbers without names (/admin/numbers) — the programme's totals and each
// event's registered, confirmed and present people, women, men and unspecified apart, and each begun
// session's attendance rate, from GET /api/v1/stats (filters: date range, type, city, status, kept in the
// page's URL). A table on a wide screen, one card per event on a phone (the same nodes, laid out by CSS).
// The API answers numbers only: nothing here could show a person.
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;
	const MEASURES = ['registered', 'confirmed', 'present'];
	const SEXES = ['total', 'female', 'male', 'unspecified'];
	const TYPES = ['training', 'workshop', 'concertation'];
	const STATUSES = ['scheduled', 'postponed', 'cancelled'];
	const PAGE = 50;

	async function cities() {
		try {
			const d = await M.api.get('/api/v1/venues?limit=200');
			return Array.from(new Set((d.items || []).map((v) => v.city).filter(Boolean))).sort((a, b) => a.localeCompare(b));
		} catch (e) {
			return [];
		}
	}

	// The filter form, filled from the page's URL; onChange(query) when one changes.
	function filterForm(ctx, cityList, onChange) {
		const q = new URLSearchParams(location.search);
		const from = ctx.field('n-from', ctx.t('off_from'), el('input', { type: 'date', name: 'from', value: q.get('from') || '' }));
		const to = ctx.field('n-to', ctx.t('off_to'), el('input', { type: 'date', name: 'to', value: q.get('to') || '' }));
		const opt = (v, label, cur) => el('option', { value: v, selected: v === cur }, label);
		const type = ctx.field('n-type', ctx.t('type'), el('select', { name: 'type' }, opt('', ctx.t('all_types'), q.get('type') || ''),
			...TYPES.map((v) => opt(v, ctx.t(v), q.get('type')))));
		const city = ctx.field('n-city', ctx.t('city'), el('select', { name: 'city' }, opt('', ctx.t('all_cities'), q.get('city') || ''),
			...cityList.map((c) => opt(c, c, q.get('city')))));
		const status = ctx.field('n-status', ctx.t('off_status'), el('select', { name: 'status' },
			opt('', ctx.t('off_all_statuses'), q.get('status') || ''), ...STATUSES.map((v) => opt(v, ctx.t('off_st_' + v), q.get('status')))));
		const form = el('form', { class: 'filters off-filters', role: 'search', 'aria-label': ctx.t('filters') },
			from.wrap, to.wrap, type.wrap, city.wrap, status.wrap);
		const fields = [from, to, type, city, status];
		form.addEventListener('submit', (ev) => ev.preventDefault());
		form.addEventListener('change', () => {
			const nq = new URLSearchParams(location.search);
			for (const f of fields) {
				const v = f.input.value;
				if (v) nq.set(f.input.name, v);
				else nq.delete(f.input.name);
				ctx.showError(f, '');
			}
			M.replaceQuery(nq);
			onChange(fields);
		});
		return { form, fields };
	}

	// The API's query of the filters in the page's URL.
	function statsQuery(offset) {
		const q = new URLSearchParams(location.search);
		const out = new URLSearchParams();
		for (const k of ['from', 'to', 'type', 'city', 'status']) if (q.get(k)) out.set(k, q.get(k));
		out.set('limit', String(PAGE));
		out.set('offset', String(offset || 0));
		return '/api/v1/stats?' + out.toString();
	}

	// One number with its label for the card layout (data-label), as a table cell.
	function cell(ctx, tag, value, label, cls) {
		return el(tag, { 'data-label': label, class: cls || null }, el('bdi', {}, ctx.fmtNum(value)));
	}

	// " · from <day of the first session>" (Morocco's calendar day), or null without sessions.
	function firstDay(ctx, ev) {
		const s = (ev.sessions || [])[0];
		if (!s) return null;
		const day = new Intl.DateTimeFormat(ctx.lang === 'ar' ? 'ar-MA-u-nu-latn' : ctx.lang === 'en' ? 'en-GB' : 'fr-FR',
			{ day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Africa/Casablanca' }).format(new Date(s.start_utc * 1000));
		return el('span', {}, ' · ', el('bdi', {}, ctx.t('off_from_day', { day })));
	}

	// A small table of measures (rows) by sex (columns: total, women, men, unspecified) of d.
	function sexTable(ctx, d, measures, caption) {
		const head = el('tr', {}, el('th', { scope: 'col' }, ctx.t('off_measure')),
			...SEXES.map((s) => el('th', { scope: 'col', class: 'num' }, el('span', { class: 'long' }, ctx.t('off_sex_' + s)),
				el('abbr', { class: 'short', title: ctx.t('off_sex_' + s) }, ctx.t('off_sexs_' + s)))));
		const rows = measures.map((m) => el('tr', {},
			el('th', { scope: 'row' }, ctx.t('off_m_' + m)),
			...SEXES.map((s) => cell(ctx, 'td', d[m] ? d[m][s] : null, ctx.t('off_sex_' + s), 'num s-' + s))));
		return el('table', { class: 'off-table sex-table' },
			el('caption', { class: 'visually-hidden' }, caption), el('thead', {}, head), el('tbody', {}, ...rows));
	}

	// The programme's totals: the events, sessions and seats, then one row per measure, women and men apart.
	function totals(ctx, d) {
		const kpi = (label, value) => el('div', { class: 'kpi' }, el('span', { class: 'kpi-value' }, el('bdi', {}, value)),
			el('span', { class: 'kpi-label' }, label));
		const table = sexTable(ctx, d, MEASURES.concat(['waitlisted', 'pending']), ctx.t('off_programme'));
		table.classList.add('totals-table');
		return el('section', { class: 'card off-totals', 'aria-labelledby': 'n-totals' },
			el('h2', { id: 'n-totals' }, ctx.t('off_programme')),
			el('div', { class: 'kpis' }, kpi(ctx.t('off_k_events'), ctx.fmtNum(d.events)), kpi(ctx.t('off_k_sessions'), ctx.fmtNum(d.sessions)),
				kpi(ctx.t('off_k_capacity'), ctx.fmtNum(d.capacity)), kpi(ctx.t('off_k_rate'), ctx.fmtRate(d.attendance_rate))),
			table);
	}

	// The events as cards (a phone): per event its title, a measures-by-sex table, the rate and the sessions.
	function eventCards(ctx, items) {
		const ol = el('ol', { class: 'event-cards', id: 'numbers-cards' });
		for (const ev of items) {
			const title = M.pick(ev, 'title', ctx.lang) || '—';
			ol.appendChild(el('li', { class: 'card', 'data-event': ev.event_id },
				el('h3', {}, el('bdi', {}, title)),
				el('p', { class: 'ev-meta' }, ctx.t(ev.type), ev.status !== 'scheduled' ? ' · ' + ctx.t('off_st_' + ev.status) : '', ' · ',
					ctx.t('off_capacity_n', { n: ctx.fmtNum(ev.capacity) }), firstDay(ctx, ev)),
				sexTable(ctx, ev, MEASURES, title),
				el('p', { class: 'card-rate' }, el('span', { class: 'muted' }, ctx.t('off_k_rate')), ' ', el('bdi', { class: 'rate' }, ctx.fmtRate(ev.attendance_rate))),
				sessionList(ctx, ev)));
		}
		return ol;
	}

	// Each session's attendance rate, folded under a summary (how many sessions, how many begun) so that an
	// event of twenty sessions stays one row.
	function sessionList(ctx, ev) {
		const ss = ev.sessions || [];
		const ul = el('ul', { class: 'rates' });
		for (const s of ss) {
			const begun = typeof s.attendance_rate === 'number';
			ul.appendChild(el('li', { class: begun ? null : 'muted' },
				el('bdi', { class: 'when' }, ctx.fmtInstant(s.start_utc)), ' · ',
				el('span', { class: 'rate' }, begun ? ctx.fmtRate(s.attendance_rate) : ctx.t('off_not_begun')),
				begun ? el('span', { class: 'muted' }, ' · ' + ctx.t('off_present_n', { n: ctx.fmtNum(s.present.total),
					f: ctx.fmtNum(s.present.female), m: ctx.fmtNum(s.present.male) })) : null));
		}
		const summary = el('summary', {}, ctx.t('off_sessions_n', { n: ss.length, count: ctx.fmtNum(ss.length),
			begun: ctx.fmtNum(ev.sessions_begun) }));
		return el('details', { class: 'sessions' }, summary, ul);
	}

	// The events' table: one row per event, grouped columns (registered, confirmed, present: total, women,
	// men, unspecified), the rate and the sessions; on a phone each row is a card.
	function eventsTable(ctx, items) {
		const sexCols = ['total', 'female', 'male', 'unspecified'];
		const top = el('tr', {}, el('th', { scope: 'col', rowspan: 2 }, ctx.t('off_event')),
			...MEASURES.map((m) => el('th', { scope: 'colgroup', colspan: sexCols.length, class: 'group' }, ctx.t('off_m_' + m))),
			el('th', { scope: 'col', rowspan: 2 }, ctx.t('off_k_rate')),
			el('th', { scope: 'col', rowspan: 2 }, ctx.t('off_sessions')));
		const sub = el('tr', {}, ...MEASURES.flatMap((m) => sexCols.map((s) => el('th', { scope: 'col', class: s === 'total' ? 'group' : null },
			s === 'total' ? ctx.t('off_sexs_total') : el('abbr', { title: ctx.t('off_sex_' + s) }, ctx.t('off_sexs_' + s))))));
		const body = el('tbody', {});
		for (const ev of items) {
			const title = M.pick(ev, 'title', ctx.lang) || '—';
			const row = el('tr', { 'data-event': ev.event_id },
				el('th', { scope: 'row', class: 'ev' }, el('bdi', {}, title), el('span', { class: 'ev-meta' }, ctx.t(ev.type),
					ev.status !== 'scheduled' ? ' · ' + ctx.t('off_st_' + ev.status) : '', ' · ', ctx.t('off_capacity_n', { n: ctx.fmtNum(ev.capacity) }),
					firstDay(ctx, ev))));
			for (const m of MEASURES) {
				for (const s of sexCols)
					row.appendChild(cell(ctx, 'td', ev[m][s], ctx.t('off_m_' + m) + ' — ' + ctx.t('off_sex_' + s), 'num' + (s === 'total' ? ' group' : '') + ' m-' + m + ' s-' + s));
			}
			row.appendChild(el('td', { 'data-label': ctx.t('off_k_rate'), class: 'num rate-cell' }, el('bdi', {}, ctx.fmtRate(ev.attendance_rate))));
			row.appendChild(el('td', { 'data-label': ctx.t('off_sessions'), class: 'sessions-cell' }, sessionList(ctx, ev)));
			body.appendChild(row);
		}
		// a region of its own, reachable by keyboard, when a narrow window makes it scroll
		return el('div', { class: 'table-scroll events-wide', tabindex: '0', role: 'region', 'aria-label': ctx.t('off_per_event') }, el('table', { class: 'off-table events-table', id: 'numbers-table' },
			el('caption', { class: 'visually-hidden' }, ctx.t('off_per_event')), el('thead', {}, top, sub), body));
	}

	async function screen(ctx) {
		ctx.root.appendChild(el('p', { class: 'lead' }, ctx.t('off_numbers_lead')));
		const box = el('div', { id: 'numbers' });
		const filters = filterForm(ctx, await cities(), load);
		ctx.root.append(filters.form, el('p', { class: 'note' }, ctx.t('off_numbers_note')), box);
		let seq = 0;
		async function load(fields, offset) {
			const mine = ++seq;
			ctx.setStatus(ctx.t('loading'));
			let d;
			try {
				d = await M.api.get(statsQuery(offset), { noStore: true });
			} catch (e) {
				if (mine !== seq) return;
				// a filter the API refuses shows beside its field
				const f = e.code === 'invalid_query' && fields ? fields.find((x) => (e.message || '').indexOf("'" + x.input.name + "'") >= 0) : null;
				if (f) ctx.showError(f, ctx.t('off_bad_filter'));
				ctx.setStatus(ctx.errorText(e), 'error');
				return;
			}
			if (mine !== seq) return;
			ctx.setStatus('');
			box.replaceChildren(totals(ctx, d), el('h2', { id: 'n-events' }, ctx.t('off_per_event')));
			if (!d.items.length) {
				box.appendChild(el('p', { class: 'empty' }, ctx.t('off_no_events')));
				return;
			}
			box.append(eventsTable(ctx, d.items), eventCards(ctx, d.items));
			const from = d.offset + 1;
			const to = d.offset + d.items.length;
			const pager = el('p', { class: 'actions pager' }, el('span', {}, ctx.t('off_range', { from: ctx.fmtNum(from), to: ctx.fmtNum(to), n: ctx.fmtNum(d.total) })));
			if (d.offset > 0) {
				const prev = el('button', { type: 'button', class: 'button secondary' }, ctx.t('off_prev'));
				prev.addEventListener('click', () => load(fields, Math.max(0, d.offset - PAGE)));
				pager.appendChild(prev);
			}
			if (to < d.total) {
				const next = el('button', { type: 'button', class: 'button secondary' }, ctx.t('off_next'));
				next.addEventListener('click', () => load(fields, to));
				pager.appendChild(next);
			}
			box.appendChild(pager);
		}
		await load(filters.fields, 0);
	}

	M.screens = M.screens || {};
	M.screens.numbers = screen;
})();
