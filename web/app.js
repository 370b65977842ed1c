// app: the public programme page — lists upcoming public events from GET /api/v1/events with filters by
// city and type, offers each event's .ics and the programme's subscription links (https/http and
// webcal, carrying the filters and language), in French, Arabic or English. DOM nodes and textContent
// only (the CSP allows no inline code, and data never becomes HTML).
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;

	const WORDS = M.words({
		fr: {
			page_title: 'Majlis — Programme', filters: 'Filtres',
			title: 'Programme des formations, ateliers et concertations',
			lead: 'Les prochaines sessions ouvertes à tous. Ajoutez-les à votre agenda ou abonnez-vous au programme.',
			city: 'Ville', type: 'Type', all_cities: 'Toutes les villes', all_types: 'Tous les types',
			training: 'Formation', workshop: 'Atelier', concertation: 'Concertation',
			subscribe_title: "S'abonner au programme",
			subscribe_help: 'Votre agenda se met à jour tout seul, avec les filtres choisis ci-dessus.',
			subscribe_webcal: "S'abonner (webcal)", subscribe_https: "S'abonner (lien https)",
			upcoming: 'Prochains événements', none: 'Aucun événement à venir pour ces filtres.',
			count: (n) => (n === 1 ? '1 événement' : n + ' événements'),
			error: 'Le programme ne peut pas être chargé pour le moment. Réessayez plus tard.',
			add: 'Ajouter à mon agenda', more: (n) => (n === 1 ? '+ 1 autre séance' : '+ ' + n + ' autres séances'),
			cancelled: 'Annulé', postponed: 'Reporté',
		},
		ar: {
			page_title: 'مجلس — البرنامج', filters: 'عوامل التصفية',
			title: 'برنامج التكوينات والورشات واللقاءات التشاورية',
			lead: 'الجلسات القادمة المفتوحة للجميع. أضفها إلى أجندتك أو اشترك في البرنامج.',
			city: 'المدينة', type: 'النوع', all_cities: 'كل المدن', all_types: 'كل الأنواع',
			training: 'تكوين', workshop: 'ورشة', concertation: 'تشاور',
			subscribe_title: 'الاشتراك في البرنامج',
			subscribe_help: 'تتحدّث أجندتك تلقائيًا، حسب عوامل التصفية المختارة أعلاه.',
			subscribe_webcal: 'اشترك (webcal)', subscribe_https: 'اشترك (رابط https)',
			upcoming: 'الأحداث القادمة', none: 'لا توجد أحداث قادمة بهذه المعايير.',
			count: (n) => (n === 1 ? 'حدث واحد' : n + ' أحداث'),
			error: 'تعذّر تحميل البرنامج حاليًا. أعد المحاولة لاحقًا.',
			add: 'أضف إلى أجندتي', more: (n) => '+ ' + n + ' جلسات أخرى',
			cancelled: 'ملغى', postponed: 'مؤجَّل',
		},
		en: {
			page_title: 'Majlis — Programme', filters: 'Filters',
			title: 'Trainings, workshops and concertations',
			lead: 'Upcoming sessions open to everyone. Add them to your calendar or subscribe to the programme.',
			city: 'City', type: 'Type', all_cities: 'All cities', all_types: 'All types',
			training: 'Training', workshop: 'Workshop', concertation: 'Concertation',
			subscribe_title: 'Subscribe to the programme',
			subscribe_help: 'Your calendar updates itself, with the filters chosen above.',
			subscribe_webcal: 'Subscribe (webcal)', subscribe_https: 'Subscribe (https link)',
			upcoming: 'Upcoming events', none: 'No upcoming events for these filters.',
			count: (n) => (n === 1 ? '1 event' : n + ' events'),
			error: 'The programme cannot be loaded right now. Please try again later.',
			add: 'Add to my calendar', more: (n) => (n === 1 ? '+ 1 more session' : '+ ' + n + ' more sessions'),
			cancelled: 'Cancelled', postponed: 'Postponed',
		},
	});
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

	// https:// (http:// when served without TLS) and webcal:// forms of a path on this host.
	function feedUrls(path) {
		const scheme = location.protocol === 'https:' ? 'https:' : 'http:';
		return { web: scheme + '//' + location.host + path, webcal: 'webcal://' + location.host + path };
	}

	function renderSubscribe() {
		const u = feedUrls('/calendar/public.ics' + feedQuery());
		$('sub-https').href = u.web;
		$('sub-webcal').href = u.webcal;
	}

	function renderEvent(ev, w, now) {
		const title = M.pick(ev, 'title', state.lang) || '—';
		// the language the title is really in (for screen readers when it fell back)
		const titleLang = M.pickLang(ev, 'title', state.lang) || state.lang;
		const headingId = 'ev-' + ev.id;
		const city = state.venues.get(ev.venue_id) || (ev.sessions && ev.sessions[0] && ev.sessions[0].venue_city) || '';
		const meta = el('p', { class: 'meta' },
			el('span', { class: 'badge type-' + ev.type }, w[ev.type] || ev.type),
			city ? el('span', { class: 'city' }, city) : null,
			ev.status === 'cancelled' ? el('span', { class: 'badge state-cancelled' }, w.cancelled) : null,
			ev.status === 'postponed' ? el('span', { class: 'badge state-postponed' }, w.postponed) : null);
		const upcoming = (ev.sessions || []).filter((s) => Date.parse(s.ends_utc) >= now);
		const list = el('ul', { class: 'sessions' });
		for (const s of upcoming.slice(0, SHOWN_SESSIONS)) {
			list.appendChild(el('li', {}, ...M.sessionNodes(s, state.lang, s.starts_offset, w.morocco, w.sep)));
		}
		if (upcoming.length > SHOWN_SESSIONS)
			list.appendChild(el('li', { class: 'more' }, w.more(upcoming.length - SHOWN_SESSIONS)));
		const ics = feedUrls('/calendar/events/' + encodeURIComponent(ev.id) + '.ics?lang=' + state.lang);
		const add = el('a', { class: 'button add', href: ics.web, 'data-event': ev.id }, w.add);
		add.setAttribute('aria-describedby', headingId);
		return el('li', { class: 'event' + (ev.status === 'cancelled' ? ' is-cancelled' : '') },
			el('article', { 'aria-labelledby': headingId },
				meta,
				el('h3', { id: headingId, lang: titleLang }, title),
				list,
				el('p', { class: 'actions' }, add)));
	}

	function renderEvents() {
		const w = WORDS[state.lang];
		const list = $('events');
		const status = $('status');
		list.replaceChildren();
		if (state.failed) {
			status.textContent = w.error;
			status.classList.add('error');
			return;
		}
		status.classList.remove('error');
		if (!state.events) {
			status.textContent = w.loading;
			return;
		}
		const now = Date.now();
		const items = state.events.filter((ev) => (ev.sessions || []).some((s) => Date.parse(s.ends_utc) >= now));
		status.textContent = items.length ? w.count(items.length) : w.none;
		for (const ev of items) list.appendChild(renderEvent(ev, w, now));
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

	function refreshTexts() {
		M.showLang(state.lang, WORDS, (l) => {
			state.lang = l;
			refreshTexts();
			saveUrl();
		});
		renderSubscribe();
		renderEvents();
	}

	async function getJson(url) {
		const r = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
		if (!r.ok) throw new Error(url + ': ' + r.status);
		return r.json();
	}

	async function loadVenues() {
		try {
			const d = await getJson('/api/v1/venues?limit=200');
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
			const d = await getJson('/api/v1/events?' + q.toString());
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
		refreshTexts();
		renderCities();
		loadVenues();
		loadEvents();
	}

	init();
})();
