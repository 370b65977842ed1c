// officials: the shell of the officials' and admins' screens (/admin/numbers, /admin/calendars,
// /admin/accounts, /admin/organisations) — who is logged in (GET /api/v1/auth/me, the session kept by
// api.js), the menu of the screens the role may use, the language (remembered in this browser; ?lang=
// wins) and the screen the path names, drawn by its own module (numbers.js, calendars.js, accounts.js).
// A screen the role may not use shows as one that does not exist. It writes no HTML: text nodes only.
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;
	const t = (k, v) => M.i18n.t(k, v);
	const LANG_KEY = 'majlis.lang';
	const STAFF = ['admin', 'organiser', 'viewer'];
	// Every screen: its path, the roles that may use it, its menu word and its module.
	const SCREENS = [
		{ key: 'events', path: '/admin', roles: ['admin', 'organiser'], nav: 'off_nav_events' },
		{ key: 'numbers', path: '/admin/numbers', roles: STAFF, nav: 'off_nav_numbers', mod: 'numbers' },
		{ key: 'calendars', path: '/admin/calendars', roles: STAFF, nav: 'off_nav_calendars', mod: 'calendars' },
		{ key: 'accounts', path: '/admin/accounts', roles: ['admin'], nav: 'off_nav_accounts', mod: 'accounts' },
		{ key: 'organisations', path: '/admin/organisations', roles: ['admin'], nav: 'off_nav_orgs',
			mod: 'organisations' },
	];

	const state = { lang: 'fr', me: null, screen: null };

	function pickLang() {
		const u = M.urlLang();
		if (u) return u;
		let v = null;
		try {
			v = localStorage.getItem(LANG_KEY);
		} catch (e) {
			v = null;
		}
		return M.isLang(v) ? v : 'fr';
	}

	function saveLang(l) {
		try {
			localStorage.setItem(LANG_KEY, l);
		} catch (e) {
			// storage refused: the choice lasts as long as the page
		}
	}

	// The login page's URL that comes back to this screen; expired: say that the session ended.
	function loginUrl(expired) {
		const q = new URLSearchParams();
		q.set('next', location.pathname + location.search);
		if (expired) q.set('expired', '1');
		return '/login?' + q.toString();
	}

	function setStatus(text, kind) {
		const s = M.$('off-status');
		s.textContent = text || '';
		s.className = 'status' + (kind ? ' ' + kind : '');
	}

	// Numbers with Western digits in every language (as Moroccan administrations print them), with the
	// language's separators; '—' for what is not a number.
	function locale(lang) {
		return { fr: 'fr-FR', ar: 'ar-MA-u-nu-latn', en: 'en-GB' }[lang] || 'fr-FR';
	}

	function fmtNum(n) {
		return typeof n === 'number' ? new Intl.NumberFormat(locale(state.lang)).format(n) : '—';
	}

	function fmtRate(r) {
		return typeof r === 'number'
			? new Intl.NumberFormat(locale(state.lang), { style: 'percent', maximumFractionDigits: 1 }).format(r)
			: '—';
	}

	// A date and time (an instant: seconds since the epoch or an RFC 3339 text) as Morocco's wall time.
	function fmtInstant(v) {
		const d = typeof v === 'number' ? new Date(v * 1000) : new Date(v);
		if (isNaN(d.getTime())) return '';
		return new Intl.DateTimeFormat(locale(state.lang), {
			day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
			timeZone: 'Africa/Casablanca',
		}).format(d);
	}

	// A labelled form field: {wrap, input, error}; the error line sits beside the field (aria-describedby).
	function field(id, label, input, help) {
		input.id = id;
		const err = el('p', { class: 'field-error', id: id + '-err', hidden: true });
		const described = [id + '-err'];
		let helpNode = null;
		if (help) {
			helpNode = el('p', { class: 'field-help', id: id + '-help' }, help);
			described.push(id + '-help');
		}
		input.setAttribute('aria-describedby', described.join(' '));
		const wrap = el('div', { class: 'field' }, el('label', { for: id }, label), input, helpNode, err);
		return { wrap, input, error: err };
	}

	function showError(f, text) {
		f.error.textContent = text || '';
		f.error.hidden = !text;
		if (text) f.input.setAttribute('aria-invalid', 'true');
		else f.input.removeAttribute('aria-invalid');
	}

	// The words of an API error for a person (the code's word when the catalogue has one).
	function errorText(e) {
		if (!e) return '';
		if (e.status === 0) return t('off_err_network');
		const key = 'off_err_' + e.code;
		const w = t(key);
		return w !== key ? w : t('off_err_generic', { code: e.code });
	}

	function renderNav() {
		const nav = M.$('off-nav');
		nav.replaceChildren();
		const ul = el('ul', {});
		for (const s of SCREENS) {
			if (s.roles.indexOf(state.me.role) < 0) continue;
			const href = s.path + '?lang=' + state.lang;
			const a = el('a', { href, 'aria-current': s.key === state.screen ? 'page' : null }, t(s.nav));
			ul.appendChild(el('li', {}, a));
		}
		const out = el('button', { type: 'button', class: 'off-logout' }, t('off_logout'));
		out.addEventListener('click', async () => {
			out.disabled = true;
			try {
				await M.api.logout();
				location.assign('/login');
			} catch (e) {
				out.disabled = false;
				setStatus(errorText(e), 'error');
			}
		});
		const who = el('span', { class: 'off-who' }, el('bdi', {}, (state.me.account && state.me.account.display_name) || ''),
			' · ', t('off_role_' + state.me.role));
		ul.appendChild(el('li', { class: 'off-end' }, who, out));
		nav.appendChild(ul);
	}

	// Draws the whole page in state.lang.
	async function render() {
		const lang = state.lang;
		await M.i18n.load(lang);
		M.showLang('off_title', (l) => {
			state.lang = l;
			saveLang(l);
			const q = new URLSearchParams(location.search);
			q.set('lang', l);
			M.replaceQuery(q);
			render();
		});
		const screen = M.$('off-screen');
		screen.replaceChildren();
		setStatus('');
		if (!state.me) {
			M.$('off-title').textContent = t('off_login_needed');
			M.$('off-nav').replaceChildren();
			screen.appendChild(el('p', {}, el('a', { class: 'button', href: loginUrl(false) }, t('off_login'))));
			return;
		}
		renderNav();
		const s = SCREENS.find((x) => x.key === state.screen);
		if (!s || !s.mod || s.roles.indexOf(state.me.role) < 0 || !M.screens[s.mod]) {
			M.$('off-title').textContent = t('off_missing');
			document.title = t('off_missing') + ' — Majlis';
			return;
		}
		M.$('off-title').textContent = t('off_title_' + s.key);
		document.title = t('off_title_' + s.key) + ' — Majlis';
		await M.screens[s.mod]({ root: screen, me: state.me, lang, t, setStatus, field, showError, errorText, fmtNum,
			fmtRate, fmtInstant });
	}

	async function start() {
		state.lang = pickLang();
		const p = location.pathname.replace(/\/+$/, '');
		const s = SCREENS.find((x) => x.path === p);
		state.screen = s ? s.key : null;
		M.api.useSession(() => location.assign(loginUrl(true)));
		try {
			state.me = await M.api.request('GET', '/api/v1/auth/me', undefined, { noStore: true, quiet: true })
				.then((a) => a.body);
		} catch (e) {
			state.me = null;
			if (e.status !== 401) {
				await M.i18n.load(state.lang);
				M.showLang('off_title', () => {});
				setStatus(errorText(e), 'error');
				return;
			}
		}
		await render();
	}

	M.screens = M.screens || {};
	M.officials = { fmtNum: (n) => fmtNum(n) };
	document.addEventListener('DOMContentLoaded', start);
})();
