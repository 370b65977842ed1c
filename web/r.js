// r: the participant's personal page /r/<token> — reads the token from the path, shows the registration
// from GET /api/v1/r/{token} (status, event, sessions as Morocco's wall time) and lets the participant
// confirm, decline or cancel (cancel asks first), in French, Arabic or English; right after registering
// (e.js) it says the participant is registered and how the link was also sent. DOM nodes and textContent
// only; the token never leaves this origin (the server sends Referrer-Policy: no-referrer).
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;

	const t = M.i18n.t;
	const ACTIVE = ['pending', 'confirmed', 'waitlisted'];

	const $ = M.$;
	const m = /^\/r\/([A-Za-z0-9_-]{1,127})\/?$/.exec(location.pathname);
	const token = m ? m[1] : null;
	const state = { lang: M.urlLang(), view: null, problem: null, busy: false, feedback: '', sent: takeSent() };

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
			.then((a) => a.body);
	}

	function button(label, cls, onClick) {
		const b = el('button', { type: 'button', class: 'button ' + cls, disabled: state.busy }, label);
		b.addEventListener('click', onClick);
		return b;
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
		if (state.problem) {
			$('title').textContent = state.problem === 'invalid' ? t('invalid') : t('r_error');
			$('hello').textContent = state.problem === 'invalid' ? t('invalid_help') : '';
			$('sent').hidden = true;
			$('state').hidden = true;
			$('when').hidden = true;
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
		status.replaceChildren(el('strong', {}, t('st_' + v.status)));
		status.setAttribute('data-status', v.status);
		status.setAttribute('data-attendance', v.attendance_confirmed_at ? 'confirmed' : 'unconfirmed');
		const detail = [];
		if (v.status === 'waitlisted' && v.waitlist_position) detail.push(t('position', { n: v.waitlist_position }));
		if (v.status === 'confirmed') detail.push(v.attendance_confirmed_at ? '✓ ' + t('attending') : t('attending_ask'));
		if (ev.status === 'cancelled') detail.push(t('event_cancelled'));
		if (ev.status === 'postponed') detail.push(t('event_postponed'));
		$('detail').textContent = detail.join(' · ');

		const actions = $('actions');
		actions.replaceChildren();
		const open = ev.status !== 'cancelled';
		if (open && v.status === 'confirmed' && !v.attendance_confirmed_at)
			actions.appendChild(button(t('confirm'), 'primary', () => act('confirm')));
		if (open && ACTIVE.includes(v.status))
			actions.appendChild(button(t('decline'), 'secondary', () => act('decline')));
		if (ACTIVE.includes(v.status))
			actions.appendChild(button(t('cancel'), 'danger-outline', askCancel));
		actions.hidden = !actions.childElementCount;
		if (!ACTIVE.includes(v.status)) $('ask').hidden = true;

		// the QR ticket exists only while a seat is held (the server answers 409 otherwise)
		const ticket = v.status === 'confirmed' && ev.status !== 'cancelled';
		$('ticket').hidden = !ticket;
		if (ticket) {
			const src = '/api/v1/r/' + encodeURIComponent(token) + '/ticket.svg';
			if ($('ticket-img').getAttribute('src') !== src) $('ticket-img').setAttribute('src', src);
			$('ticket-img').setAttribute('alt', t('ticket_alt'));
		}

		const list = $('sessions');
		list.replaceChildren();
		for (const s of v.sessions || []) {
			const place = [s.room_name, s.venue_name, s.venue_city].filter(Boolean).join(', ');
			list.appendChild(el('li', {}, ...M.sessionNodes(s, l),
				place ? el('span', { class: 'place' }, el('bdi', {}, place)) : null));
		}
		$('when').hidden = !(v.sessions && v.sessions.length);
	}

	function askCancel() {
		$('ask').hidden = false;
		$('ask-yes').focus();
	}

	async function act(what) {
		if (state.busy) return;
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
			state.problem = e.status === 404 ? 'invalid' : 'error';
		}
		render();
	}

	$('ask-yes').addEventListener('click', () => act('cancel'));
	$('ask-no').addEventListener('click', () => {
		$('ask').hidden = true;
	});
	render();
	load();
})();
