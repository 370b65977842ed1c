// calendar: the organisers' calendar /admin/calendar — month, week and agenda views (FullCalendar 6, served
// from /vendor/) of the sessions of every event the logged-in account may see (GET /api/v1/events for the
// range shown, every page). Times are Morocco's wall time given to FullCalendar as "floating" times in a
// calendar kept in UTC: a session entered in Morocco's zone is placed at the wall time the server computed
// (starts_local), one entered elsewhere at its instant seen from Morocco; "now" is Morocco's too. In Arabic
// the calendar is right to left. A session is a link to its event's page /admin/events/{id}. Only for a
// logged-in account (GET /api/v1/auth/me first: the list answers anyone). The view and
// date shown are kept in the page's URL (?view=&date=), and so is "only my organisation's events" (?mine=1).
'use strict';

(function () {
	const M = window.Majlis;
	const E = M.events;
	const t = M.i18n.t;
	const VIEWS = ['dayGridMonth', 'timeGridWeek', 'listMonth'];
	const PAGE = 200;
	const state = { lang: M.bo.lang(), calendar: null, me: null, mine: new URLSearchParams(location.search).get('mine') === '1' };

	function problem(text) {
		const p = M.$('problem');
		p.textContent = text || '';
		p.hidden = !text;
	}

	// Every event of the API's list that has a session in [from, to] (local dates), page after page.
	async function loadEvents(from, to) {
		const out = [];
		for (let offset = 0; ; offset += PAGE) {
			const q = new URLSearchParams({ from, to, limit: String(PAGE), offset: String(offset) });
			if (state.mine && state.me && state.me.org_id) q.set('org', String(state.me.org_id));
			const page = await M.api.get('/api/v1/events?' + q.toString(), { noStore: true });
			out.push(...(page.items || []));
			if (offset + PAGE >= page.total || !(page.items || []).length) break;
		}
		return out;
	}

	// FullCalendar's entries: one per session, its title the event's in the chosen language (with the
	// session's own title after it), coloured by type, struck through when cancelled.
	function entries(events) {
		const out = [];
		for (const ev of events) {
			const title = M.pick(ev, 'title', state.lang) || '#' + ev.id;
			for (const s of ev.sessions || []) {
				const when = E.sessionHome(s);
				const st = M.sessionTitle(s, state.lang);
				out.push({
					id: String(s.id),
					title: st ? title + ' · ' + st : title,
					start: when.start,
					end: when.end,
					url: '/admin/events/' + ev.id,
					classNames: ['ev-type-' + ev.type, 'ev-status-' + ev.status],
					extendedProps: { eventId: ev.id, sessionId: s.id },
				});
			}
		}
		return out;
	}

	// YYYY-MM-DD of a FullCalendar date (the calendar is kept in UTC: its UTC fields are the wall time).
	function day(d) {
		return d.toISOString().slice(0, 10);
	}

	function source(info, ok, fail) {
		const last = new Date(info.end.getTime() - 86400000);
		loadEvents(day(info.start), day(last)).then((events) => {
			problem('');
			ok(entries(events));
		}).catch((e) => {
			if (e.status !== 401) problem(E.errorText(e));
			fail(e);
		});
	}

	function keepInUrl(info) {
		const q = new URLSearchParams(location.search);
		if (state.mine) q.set('mine', '1');
		else q.delete('mine');
		q.set('view', info.view.type);
		q.set('date', day(info.view.currentStart));
		M.replaceQuery(q);
	}

	function options() {
		const rtl = state.lang === 'ar';
		const q = new URLSearchParams(location.search);
		const view = VIEWS.indexOf(q.get('view')) >= 0 ? q.get('view')
			: (window.matchMedia('(max-width: 40rem)').matches ? 'listMonth' : 'dayGridMonth');
		const date = /^\d{4}-\d{2}-\d{2}$/.test(q.get('date') || '') ? q.get('date') : undefined;
		const narrow = window.matchMedia('(max-width: 40rem)').matches;
		return {
			initialView: view,
			initialDate: date,
			locale: E.LOCALES[state.lang].toLowerCase(), // fr-ma, ar-ma (FullCalendar's fr and ar), en-gb
			direction: rtl ? 'rtl' : 'ltr',
			timeZone: 'UTC', // floating wall times: see the header
			now: () => E.homeWall(Date.now()),
			firstDay: 1,
			height: 'auto',
			nowIndicator: true,
			allDaySlot: false, // a session always has its hours
			navLinks: false,
			buttonIcons: false, // FullCalendar's icon font is a data: URL, which the CSP refuses
			headerToolbar: { start: 'prev,next today', center: 'title', end: 'dayGridMonth,timeGridWeek,listMonth' },
			buttonText: {
				prev: rtl ? '›' : '‹', next: rtl ? '‹' : '›', today: t('events_cal_today'),
				month: t('events_cal_month'), week: t('events_cal_week'), list: t('events_cal_agenda'),
			},
			buttonHints: {
				prev: t('events_cal_prev'), next: t('events_cal_next'), today: t('events_cal_today'),
				dayGridMonth: t('events_cal_month'), timeGridWeek: t('events_cal_week'), listMonth: t('events_cal_agenda'),
			},
			noEventsText: t('events_cal_none'),
			allDayText: t('events_cal_all_day'),
			moreLinkText: (n) => t('events_cal_more', { n }),
			eventTimeFormat: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
			slotLabelFormat: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
			// a phone: one letter per weekday, sessions as coloured bars without their hours (the agenda has them)
			dayHeaderFormat: { weekday: narrow ? 'narrow' : 'short' },
			eventDisplay: 'block',
			views: { dayGridMonth: { displayEventTime: !narrow } },
			slotMinTime: '07:00:00',
			slotMaxTime: '22:00:00',
			events: source,
			datesSet: keepInUrl,
		};
	}

	function render() {
		const keep = state.calendar && state.calendar.view;
		if (keep) {
			const q = new URLSearchParams(location.search);
			q.set('view', keep.type);
			q.set('date', day(keep.currentStart));
			M.replaceQuery(q);
		}
		if (state.calendar) state.calendar.destroy();
		state.calendar = new FullCalendar.Calendar(M.$('calendar'), options());
		state.calendar.render();
	}

	async function start() {
		// the events list answers anyone (public events): ask who is logged in first, a 401 goes to /login
		try {
			state.me = await M.bo.start({
				current: 'calendar',
				titleKey: 'events_cal_doc_title',
				onLang: (l) => {
					state.lang = l;
					render();
				},
			});
		} catch (e) {
			problem(E.errorText(e));
			return;
		}
		if (!state.me) return;
		if (!M.bo.may('calendar', state.me.role)) {
			M.bo.missingPage();
			return;
		}
		if (!window.FullCalendar) {
			M.i18n.apply('events_cal_doc_title');
			problem(t('events_cal_missing'));
			return;
		}
		// "only my organisation's" (owner or partner: GET /api/v1/events?org=) for an account of one
		M.$('mine-box').hidden = !state.me.org_id;
		M.$('mine').checked = state.mine;
		M.$('mine').addEventListener('change', () => {
			state.mine = M.$('mine').checked;
			const q = new URLSearchParams(location.search);
			if (state.mine) q.set('mine', '1');
			else q.delete('mine');
			M.replaceQuery(q);
			state.calendar.refetchEvents();
		});
		render();
	}

	start();
})();
