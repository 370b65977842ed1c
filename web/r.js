// r: the participant's personal page /r/<token> — reads the token from the path, shows the registration
// from GET /api/v1/r/{token} (status, event, sessions as Morocco's wall time) and lets the participant
// confirm, decline or cancel (cancel asks first), in French, Arabic or English; right after registering
// (e.js) it says the participant is registered and how the link was also sent. What and when come first
// (the event, its next session and place, add to calendar: .ics, Google, Outlook), then the status, which
// follows live (live.js, topic "me": "you have a seat" the moment a waitlisted participant is promoted),
// then the ticket (QR, event, date, name; saved as a PNG drawn on a canvas, or printed). A link the server
// does not know, or one replaced while open, says why and offers the lost-link form (lost.js), which sends
// the current links again. Once opened it works offline: it registers the service worker (sw.js, which keeps
// the page, the link's last answer and its ticket) and links the manifest (/r/<token>/manifest.webmanifest);
// shown from the saved copy, it says when that copy was last updated and holds its actions until the
// connection is back. DOM nodes and textContent only; the token never leaves this origin (the server sends
// Referrer-Policy: no-referrer).
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;

	const t = M.i18n.t;
	const ACTIVE = ['pending', 'confirmed', 'waitlisted'];

	const $ = M.$;
	const m = /^\/r\/([A-Za-z0-9_-]{1,127})\/?$/.exec(location.pathname);
	const token = m ? m[1] : null;
	const state = { lang: M.urlLang(), view: null, problem: null, busy: false, feedback: '', sent: takeSent(),
		promoted: false, replaced: false,
		asOf: null, // when the registration shown was read (ms since the epoch)
		saved: false }; // it is the service worker's saved copy: the network did not answer
	const lost = M.lost.form('/api/v1/registrations/lost-link', { help: 'lostlink_help', sent: 'lostlink_sent' });
	// whether a service worker kept this page when it was opened (else it is asked to keep it now)
	const kept = 'serviceWorker' in navigator && Boolean(navigator.serviceWorker.controller);

	// What e.js left for this page after a registration ({via: 'email'|'phone', to}), read once.
	function takeSent() {
		try {
			const v = JSON.parse(sessionStorage.getItem('majlis.sent') || 'null');
			sessionStorage.removeItem('majlis.sent');
			return v && (v.via === 'email' || v.via === 'phone') && typeof v.to === 'string' ? v : null;
		} catch (e) {
			return null;
		}
	}

	function lang() {
		if (state.lang) return state.lang;
		const pl = state.view && state.view.person && state.view.person.lang;
		return M.isLang(pl) ? pl : 'fr';
	}

	function api(path, method) {
		return M.api.request(method, '/api/v1/r/' + encodeURIComponent(token) + path, undefined, { noStore: true })
			.then((a) => {
				state.asOf = a.savedAt || Date.now();
				state.saved = Boolean(a.savedAt);
				return a.body;
			});
	}

	// Whether the page shows what it knew before the connection was lost.
	function offline() {
		return Boolean(state.view) && (state.saved || !navigator.onLine);
	}

	// An action button named act (data-act), busy (or held offline) yet focusable while it cannot act (act()
	// ignores the press), so that the focus of a keyboard user stays on it.
	function button(act, label, cls, onClick) {
		const b = el('button', { type: 'button', class: 'button ' + cls, 'data-act': act,
			'aria-disabled': state.busy || offline() ? 'true' : 'false' }, label);
		b.addEventListener('click', onClick);
		return b;
	}

	// The next session (the first not yet ended), else the last one, or null.
	function nextSession(v) {
		const list = v.sessions || [];
		const now = Date.now() / 1000;
		return list.find((s) => Number(s.end_utc) > now) || list[list.length - 1] || null;
	}

	// "20261215T080000Z" of a time in seconds since the epoch.
	function calStamp(sec) {
		return new Date(sec * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
	}

	function placeOf(s) {
		return [s.room_name, s.venue_name, s.venue_city].filter(Boolean).join(', ');
	}

	// Google Calendar and Outlook (web) links for session s titled title, its times in UTC.
	function calLinks(s, title) {
		const place = placeOf(s);
		const g = new URLSearchParams({ action: 'TEMPLATE', text: title,
			dates: calStamp(s.start_utc) + '/' + calStamp(s.end_utc) });
		if (place) g.set('location', place);
		const o = new URLSearchParams({ path: '/calendar/action/compose', rru: 'addevent', subject: title,
			startdt: new Date(s.start_utc * 1000).toISOString(), enddt: new Date(s.end_utc * 1000).toISOString() });
		if (place) o.set('location', place);
		return { google: 'https://calendar.google.com/calendar/render?' + g.toString(),
			outlook: 'https://outlook.live.com/calendar/0/deeplink/compose?' + o.toString() };
	}

	// The ticket's texts: the event's name, the next session's day and hours ("10:00–12:30", to be kept
	// left to right), the participant's name.
	function ticketTexts(v, l) {
		const ev = v.event || {};
		const p = v.person || {};
		const s = nextSession(v);
		const comma = l === 'ar' ? '، ' : ', ';
		// fmtWall: "<day>, <hours>", the day itself possibly holding a comma (Arabic weekdays)
		const cut = (text) => {
			const i = text.lastIndexOf(comma);
			return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + comma.length)];
		};
		let day = '';
		let hours = '';
		if (s) {
			[day, hours] = cut(M.fmtWall(s.starts_local, l));
			if (hours && s.ends_local && s.starts_local.slice(0, 10) === s.ends_local.slice(0, 10))
				hours += '–' + cut(M.fmtWall(s.ends_local, l))[1];
		}
		return { event: M.pick(ev, 'title', l) || ev.title || '', day, hours, comma,
			name: (l === 'ar' && p.name_ar) || p.name || '' };
	}

	async function render() {
		await M.i18n.load(lang());
		M.showLang('r_page_title', (x) => {
			state.lang = x;
			const q = new URLSearchParams(location.search);
			q.set('lang', x);
			M.replaceQuery(q);
			render();
		});
		$('feedback').textContent = state.feedback ? t(state.feedback) : '';
		$('feedback').className = 'feedback' + (state.feedback === 'done' ? ' ok' : '');
		$('feedback').setAttribute('role', state.feedback === 'done' ? 'status' : 'alert');
		// a link the server does not know (mistyped, erased, or replaced by a newer one) or one replaced
		// while open: say why, and offer to send the current links again (the request names no event)
		const lostLink = state.problem === 'invalid' || state.replaced;
		$('lost').hidden = !lostLink;
		if (lostLink) lost.render();
		if (state.problem) {
			const words = { invalid: ['invalid', 'lostlink_explain'], offline: ['offline_none', 'offline_none_help'] };
			const [title, help] = words[state.problem] || ['r_error', ''];
			$('title').textContent = t(title);
			$('hello').textContent = help ? t(help) : '';
			$('offline').hidden = true;
			$('sent').hidden = true;
			$('state').hidden = true;
			$('when').hidden = true;
			$('ticket').hidden = true;
			return;
		}
		const v = state.view;
		if (!v) return;
		const ev = v.event || {};
		const l = M.i18n.lang();
		$('title').textContent = M.pick(ev, 'title', l) || ev.title || '—';
		$('title').setAttribute('lang', M.pickLang(ev, 'title', l) || l);
		const p = v.person || {};
		const name = (l === 'ar' && p.name_ar) || p.name || '';
		$('hello').textContent = name ? t('hello', { name }) : '';

		// what and when: the next session and its place, every session when there are several
		const next = nextSession(v);
		$('when').hidden = !next;
		if (next) {
			const place = placeOf(next);
			const nodes = M.sessionNodes(next, l);
			if (place) nodes.push(el('span', { class: 'place' }, el('bdi', {}, place)));
			$('next').replaceChildren(...nodes);
		}
		const list = $('sessions');
		list.replaceChildren();
		for (const s of v.sessions || []) {
			const place = placeOf(s);
			list.appendChild(el('li', {}, ...M.sessionNodes(s, l),
				place ? el('span', { class: 'place' }, el('bdi', {}, place)) : null));
		}
		$('all').hidden = !(v.sessions && v.sessions.length > 1);
		// add to calendar: none for a cancelled event, a registration that holds no place, or a replaced link
		// (its calendar answers no more)
		const cal = next && ev.status !== 'cancelled' && ACTIVE.includes(v.status) && !state.replaced;
		$('cal').hidden = !cal;
		if (cal) {
			// the participant's own calendar: it answers for an event that is not public too
			$('cal-ics').href = '/api/v1/r/' + encodeURIComponent(token) + '/event.ics?lang=' + l;
			const links = calLinks(next, M.pick(ev, 'title', l) || ev.title || '');
			$('cal-google').href = links.google;
			$('cal-outlook').href = links.outlook;
		}
		$('sent').hidden = !state.sent;
		if (state.sent) {
			$('sent-title').textContent = t('registered');
			// the address or number as an isolated, left-to-right node inside the sentence
			const to = el('bdi', { dir: 'ltr', class: 'contact ' + state.sent.via }, state.sent.to);
			const parts = t(state.sent.via === 'email' ? 'sent_email' : 'sent_phone', { to: '\u0000' }).split('\u0000');
			$('sent-how').replaceChildren(...parts.flatMap((part, i) => (i ? [to, part] : [part])));
		}

		$('state').hidden = false;
		const status = $('status');
		status.replaceChildren(el('strong', {}, t(state.promoted && v.status === 'confirmed' ? 'live_seat' : 'st_' + v.status)));
		status.setAttribute('data-status', v.status);
		status.setAttribute('data-attendance', v.attendance_confirmed_at ? 'confirmed' : 'unconfirmed');
		const detail = [];
		if (v.status === 'waitlisted' && v.waitlist_position) detail.push(t('position', { n: v.waitlist_position }));
		if (v.status === 'confirmed') detail.push(v.attendance_confirmed_at ? '✓ ' + t('attending') : t('attending_ask'));
		if (ev.status === 'cancelled') detail.push(t('event_cancelled'));
		if (ev.status === 'postponed') detail.push(t('event_postponed'));
		$('detail').textContent = detail.join(' · ');
		$('replaced').hidden = !state.replaced;
		$('replaced').textContent = state.replaced ? t('link_replaced') : '';

		const actions = $('actions');
		// the action that had the focus gets it back once redrawn; when it is gone (attendance confirmed),
		// the status line that tells what changed gets it
		const focused = actions.contains(document.activeElement) ? document.activeElement.getAttribute('data-act') : null;
		actions.replaceChildren();
		// a replaced link no longer answers: no action, no ticket (the newest mail's link has them)
		const open = ev.status !== 'cancelled' && !state.replaced;
		if (open && v.status === 'confirmed' && !v.attendance_confirmed_at)
			actions.appendChild(button('confirm', t('confirm'), 'primary', () => act('confirm')));
		if (open && ACTIVE.includes(v.status))
			actions.appendChild(button('decline', t('decline'), 'secondary', () => act('decline')));
		if (ACTIVE.includes(v.status) && !state.replaced)
			actions.appendChild(button('cancel', t('cancel'), 'danger-outline', askCancel));
		actions.hidden = !actions.childElementCount;
		if (focused) {
			const again = actions.querySelector('[data-act="' + focused + '"]');
			if (again) again.focus();
			else if (!state.busy) status.focus();
		}
		if (!ACTIVE.includes(v.status) || state.replaced) $('ask').hidden = true;

		// the QR ticket exists only while a seat is held (the server answers 409 otherwise)
		const ticket = v.status === 'confirmed' && ev.status !== 'cancelled' && !state.replaced;
		$('ticket').hidden = !ticket;
		if (ticket) {
			const src = '/api/v1/r/' + encodeURIComponent(token) + '/ticket.svg';
			if ($('ticket-img').getAttribute('src') !== src) $('ticket-img').setAttribute('src', src);
			$('ticket-img').setAttribute('alt', t('ticket_alt'));
			const tt = ticketTexts(v, l);
			$('ticket-event').textContent = tt.event;
			$('ticket-event').setAttribute('lang', M.pickLang(ev, 'title', l) || l);
			$('ticket-date').replaceChildren(tt.day + (tt.hours ? tt.comma : ''),
				el('bdi', { dir: 'ltr', class: 'hours' }, tt.hours));
			$('ticket-name').textContent = tt.name;
		}
		// "Last updated 07/12 21:40 — you are offline" (or "— the connection is not answering"), the time kept
		// left to right, and a way down to the ticket (what is wanted at the door with no signal)
		$('offline').hidden = !offline();
		if (offline()) {
			const when = el('bdi', { dir: 'ltr', class: 'stamp' }, M.fmtStamp(state.asOf, l));
			// the device says it is online, but the server did not answer in time (a weak signal)
			const key = navigator.onLine ? 'offline_stamp_slow' : 'offline_stamp';
			const parts = t(key, { when: '\u0000' }).split('\u0000');
			$('offline').replaceChildren(...parts.flatMap((part, i) => (i ? [when, part] : [part])));
			if (ticket) $('offline').append(' ', el('a', { href: '#ticket', class: 'to-ticket' }, t('offline_ticket')));
		}

	}

	// The question before cancelling, the focus on the answer that keeps the place: two presses of Enter
	// never cancel by mistake.
	function askCancel() {
		$('ask').hidden = false;
		$('ask-no').focus();
	}

	// Closes the question (No, or Escape) and gives the focus back to the button that asked.
	function keepPlace() {
		$('ask').hidden = true;
		const cancel = $('actions').querySelector('[data-act="cancel"]');
		if (cancel) cancel.focus();
	}

	async function act(what) {
		if (state.busy || offline()) return;
		state.busy = true;
		state.feedback = '';
		render();
		try {
			state.view = await api('/' + what, 'POST');
			state.feedback = 'done';
			$('ask').hidden = true;
		} catch (e) {
			if (e.status === 404) state.problem = 'invalid';
			else state.feedback = 'failed';
		}
		state.busy = false;
		render();
		// the button pressed went away with the answer (the question closed): the status line has the focus
		if ((!document.activeElement || document.activeElement === document.body) && !$('state').hidden)
			$('status').focus();
	}

	// Lines of text no wider than width on ctx.
	function wrap(ctx, text, width) {
		const lines = [];
		let line = '';
		for (const word of text.split(/\s+/)) {
			const next = line ? line + ' ' + word : word;
			if (line && ctx.measureText(next).width > width) {
				lines.push(line);
				line = word;
			} else line = next;
		}
		if (line) lines.push(line);
		return lines;
	}

	// The ticket as a PNG (the QR image and its texts drawn on a canvas), downloaded as a file.
	async function saveTicket() {
		const img = $('ticket-img');
		try {
			await img.decode();
		} catch (e) {
			state.feedback = 'failed';
			render();
			return;
		}
		const l = M.i18n.lang();
		const tt = ticketTexts(state.view, l);
		const W = 800;
		const pad = 48;
		const qr = 480;
		const canvas = document.createElement('canvas');
		const ctx = canvas.getContext('2d');
		const rtl = document.documentElement.dir === 'rtl';
		const font = (size, weight) => weight + ' ' + size + 'px system-ui, "Noto Sans Arabic", sans-serif';
		// the hours isolated left to right (U+2066 ... U+2069), as on the page
		const date = tt.day + (tt.hours ? tt.comma + '\u2066' + tt.hours + '\u2069' : '');
		const blocks = [[tt.event, font(40, 'bold'), 52], [date, font(30, 'normal'), 42],
			[tt.name, font(34, 'bold'), 46]];
		ctx.font = font(40, 'bold');
		const laid = blocks.filter((b) => b[0]).map(([text, f, lh]) => {
			ctx.font = f;
			return { lines: wrap(ctx, text, W - 2 * pad), font: f, lh };
		});
		const textH = laid.reduce((h, b) => h + b.lines.length * b.lh + 12, 0);
		canvas.width = W;
		canvas.height = pad + textH + 24 + qr + pad;
		ctx.fillStyle = '#fff';
		ctx.fillRect(0, 0, canvas.width, canvas.height);
		ctx.fillStyle = '#0f5c55';
		ctx.fillRect(0, 0, W, 12);
		ctx.fillStyle = '#111';
		ctx.direction = rtl ? 'rtl' : 'ltr';
		ctx.textAlign = 'start';
		ctx.textBaseline = 'top';
		let y = pad;
		for (const b of laid) {
			ctx.font = b.font;
			for (const line of b.lines) {
				ctx.fillText(line, rtl ? W - pad : pad, y);
				y += b.lh;
			}
			y += 12;
		}
		ctx.drawImage(img, (W - qr) / 2, y + 24, qr, qr);
		const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
		if (!blob) {
			state.feedback = 'failed';
			render();
			return;
		}
		const url = URL.createObjectURL(blob);
		const a = el('a', { href: url, download: 'majlis-ticket.png', hidden: true });
		document.body.appendChild(a);
		a.click();
		a.remove();
		setTimeout(() => URL.revokeObjectURL(url), 10000);
	}

	// A "me" message: the registration's new status or waitlist position, shown at once, then the whole
	// registration read again (attendance, ticket) through the API.
	function onLive(msg) {
		if (msg.type !== 'me' || !msg.registration || !state.view) return;
		const r = msg.registration;
		if (state.view.status === 'waitlisted' && r.status === 'confirmed') state.promoted = true;
		state.view.status = r.status;
		state.view.waitlist_position = r.waitlist_position;
		render();
		refetch();
	}

	let retry = null;
	let retryMs = 2000;

	// While the page shows a saved copy and the device says it is online (a signal just back, or a weak
	// one), asks again after 2 s, 4 s ... at most a minute.
	function retryLater() {
		clearTimeout(retry);
		retry = null;
		if (!state.saved || !navigator.onLine) {
			retryMs = 2000;
			return;
		}
		retry = setTimeout(refetch, retryMs);
		retryMs = Math.min(retryMs * 2, 60000);
	}

	async function refetch() {
		try {
			state.view = await api('', 'GET');
		} catch (e) {
			if (e.status === 404) state.problem = 'invalid';
		}
		render();
		retryLater();
	}

	function follow() {
		if (!M.live || !('WebSocket' in window)) return;
		M.live.open({ topics: ['me'], token, onMessage: onLive, onResync: refetch, onEnd: () => {
			state.replaced = true;
			render();
		} });
	}

	async function load() {
		if (!token) {
			state.problem = 'invalid';
			render();
			return;
		}
		try {
			state.view = await api('', 'GET');
		} catch (e) {
			state.problem = { 404: 'invalid', 0: 'offline' }[e.status] || 'error';
		}
		render();
		if (!state.view) return;
		follow();
		keepOffline();
		retryLater();
	}

	// The web app manifest (installed, the page opens on itself) and the service worker that keeps the page
	// for offline use; a page opened before the worker kept it asks it to keep this link now.
	function keepOffline() {
		document.head.appendChild(el('link', { rel: 'manifest',
			href: '/r/' + encodeURIComponent(token) + '/manifest.webmanifest' }));
		if (!('serviceWorker' in navigator)) return;
		navigator.serviceWorker.register('/sw.js', { scope: '/r/' })
			.then(() => navigator.serviceWorker.ready)
			.then((reg) => {
				if (!kept && reg.active)
					reg.active.postMessage({ type: 'keep', token, ticket: !$('ticket').hidden });
			})
			.catch(() => undefined); // no worker (a private window, an old browser): online only
	}

	$('ask-yes').addEventListener('click', () => act('cancel'));
	$('ask-no').addEventListener('click', keepPlace);
	$('ask').addEventListener('keydown', (e) => {
		if (e.key === 'Escape') keepPlace();
	});
	$('ticket-save').addEventListener('click', saveTicket);
	$('ticket-print').addEventListener('click', () => window.print());
	// back online: fresh data (the "last updated" line goes); offline: the line says since when
	window.addEventListener('online', () => {
		if (state.view) refetch();
	});
	window.addEventListener('offline', render);
	render();
	load();
})();
