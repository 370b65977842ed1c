// bo: what every back-office page shares (/login, the /admin shell, the organisers' calendar, event form
// and venues, the officials' screens, the door's check-in) — the one header (brand, who is logged in,
// logout, the language switch remembered in this browser: localStorage, ?lang= wins once) and the one
// navigation, whose entries follow the role GET /api/v1/auth/me gives and link to the one page of each
// screen; the session (api.js's cookie and CSRF token) and the way to the login page when it no longer
// holds, coming back to the same screen; the only places a login may send back to. It draws the header
// into <header id="bo-header"> with DOM nodes and textContent, and nothing of a page's own screen.
'use strict';

(function () {
	const M = window.Majlis;
	const LANG_KEY = 'majlis.lang';
	const ALL = ['admin', 'organiser'];
	const STAFF = ['admin', 'organiser', 'viewer'];

	// Every screen of the back office, in menu order: its key, path, the roles that may use it and its menu
	// word. A screen a role may not use is not offered, and its page answers as one that does not exist.
	const SCREENS = [
		{ key: 'events', path: '/admin', roles: ALL, nav: 'bo_nav_events' },
		{ key: 'calendar', path: '/admin/calendar', roles: STAFF, nav: 'events_nav_calendar' },
		{ key: 'new', path: '/admin/events/new', roles: ALL, nav: 'events_nav_new' },
		{ key: 'venues', path: '/admin/venues', roles: ALL, nav: 'bo_nav_venues' },
		{ key: 'people', path: '/admin/people', roles: ALL, nav: 'bo_nav_people' },
		{ key: 'checkin', path: '/admin/checkin', roles: ['admin', 'organiser', 'checkin'], nav: 'bo_nav_checkin' },
		{ key: 'numbers', path: '/admin/numbers', roles: STAFF, nav: 'bo_nav_numbers' },
		{ key: 'calendars', path: '/admin/calendars', roles: STAFF, nav: 'bo_nav_feeds' },
		{ key: 'accounts', path: '/admin/accounts', roles: ['admin'], nav: 'bo_nav_accounts' },
		{ key: 'organisations', path: '/admin/organisations', roles: ['admin'], nav: 'bo_nav_orgs' },
	];
	// What /admin shows each role first: its screen's key.
	const HOME = { admin: 'events', organiser: 'events', checkin: 'checkin_home', viewer: 'numbers' };

	const head = { me: null, current: null, titleKey: null, onLang: null };

	// The language to show: ?lang= of the URL, else the one chosen last in this browser, else French.
	function lang() {
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

	// The path (with query and fragment) next names when it is a screen of this server's back office
	// (/admin, /admin/..., /dashboard), else null: never another origin ("//x", "/\\x", "https:..."),
	// never /login.
	function safeNext(next) {
		if (typeof next !== 'string' || next[0] !== '/' || next[1] === '/' || next[1] === '\\') return null;
		let u;
		try {
			u = new URL(next, location.origin);
		} catch (e) {
			return null;
		}
		if (u.origin !== location.origin) return null;
		if (!/^\/(admin(\/|$)|dashboard$)/.test(u.pathname)) return null;
		return u.pathname + u.search + u.hash;
	}

	// The login page's URL that comes back here (this screen, its filters) after login; expired: say that
	// the session ended (else it was never open).
	function loginUrl(expired) {
		const q = new URLSearchParams();
		q.set('next', location.pathname + location.search);
		if (expired) q.set('expired', '1');
		return '/login?' + q.toString();
	}

	// The screen of key (SCREENS), or null.
	function screen(key) {
		return SCREENS.find((s) => s.key === key) || null;
	}

	// Whether role may use the screen of key.
	function may(key, role) {
		const s = screen(key);
		return !!s && s.roles.indexOf(role) >= 0;
	}

	// ---- the header

	function logo() {
		return M.el('img', { class: 'logo', src: '/icon.svg', alt: '', width: '32', height: '32' });
	}

	// Builds the header's frame once (the page gives an empty <header id="bo-header">).
	function frame() {
		const box = M.$('bo-header');
		if (!box || M.$('bo-nav')) return;
		const el = M.el;
		box.classList.add('top', 'bo-top');
		box.replaceChildren(
			el('div', { class: 'wrap wide top-inner' },
				el('p', { class: 'brand' }, el('a', { class: 'home', href: '/admin' }, logo(), ' ', el('span', {}, 'Majlis'))),
				el('div', { class: 'bo-tools' },
					el('p', { id: 'who', class: 'bo-who', hidden: true }),
					el('button', { id: 'logout', class: 'lang', type: 'button', hidden: true }),
					el('nav', { id: 'langs', class: 'langs' }))),
			el('p', { id: 'bo-alert', class: 'wrap wide bo-alert', role: 'alert', hidden: true }),
			el('nav', { id: 'bo-nav', class: 'bo-nav', hidden: true }, el('ul', { id: 'nav-list', class: 'wrap wide' })));
		M.$('logout').addEventListener('click', logout);
	}

	// Draws the header's words and the menu in the current language (the frame built first).
	function draw() {
		const t = M.i18n.t;
		const el = M.el;
		const me = head.me;
		M.$('langs').setAttribute('aria-label', t('lang_nav'));
		M.$('bo-nav').setAttribute('aria-label', t('bo_nav'));
		M.$('logout').textContent = t('bo_logout');
		M.showLang(head.titleKey, pick);
		if (!me) return;
		const ul = M.$('nav-list');
		ul.replaceChildren();
		for (const s of SCREENS) {
			if (s.roles.indexOf(me.role) < 0) continue;
			ul.appendChild(el('li', {}, el('a', { href: s.path, 'data-screen': s.key,
				'aria-current': s.key === head.current ? 'page' : null }, t(s.nav))));
		}
		M.$('bo-nav').hidden = !ul.children.length;
		// on a phone the menu scrolls sideways: this screen's entry is brought into view
		const here = ul.querySelector('a[aria-current="page"]');
		if (here && ul.scrollWidth > ul.clientWidth) here.scrollIntoView({ block: 'nearest', inline: 'nearest' });
		const name = (me.account && (me.account.display_name || me.account.email)) || t('bo_token');
		M.$('who').replaceChildren(el('bdi', { class: 'bo-name' }, name), ' · ', el('span', { id: 'role' }, t('bo_role_' + me.role)));
		M.$('who').hidden = false;
		M.$('logout').hidden = me.via !== 'cookie';
	}

	// A language chosen in the header: remembered, the URL's ?lang= (which would win at the next load)
	// follows it, the header drawn again, then the page (onLang).
	async function pick(l) {
		saveLang(l);
		const q = new URLSearchParams(location.search);
		if (q.has('lang')) {
			q.set('lang', l);
			M.replaceQuery(q);
		}
		await M.i18n.load(l);
		draw();
		if (head.onLang) head.onLang(l);
	}

	function alert(text) {
		M.$('bo-alert').textContent = text || '';
		M.$('bo-alert').hidden = !text;
	}

	async function logout() {
		M.$('logout').disabled = true;
		alert('');
		try {
			await M.api.logout();
			location.assign('/login');
		} catch (e) {
			M.$('logout').disabled = false;
			alert(M.i18n.t('bo_logout_failed'));
		}
	}

	// Starts a back-office page: its language's texts, the header, the session (a 401 at any later call
	// goes to the login page, coming back here, after onLost), and who is logged in. opts: current (the
	// menu entry of this screen, a SCREENS key, or null), titleKey (the catalogue key of document.title),
	// onLang(l) (the page draws itself again in l; the header already has), onLost() (before leaving, e.g.
	// to stop the camera). Resolves to GET /api/v1/auth/me's answer; to null when not logged in (the page
	// is then on its way to /login); rejects with the API's error when that question failed otherwise.
	async function start(opts) {
		head.current = opts.current || null;
		head.titleKey = opts.titleKey || null;
		head.onLang = opts.onLang || null;
		M.api.useSession(() => {
			if (opts.onLost) opts.onLost();
			location.assign(loginUrl(true));
		});
		frame();
		await M.i18n.load(lang());
		draw();
		try {
			head.me = await M.api.request('GET', '/api/v1/auth/me', undefined, { quiet: true, noStore: true })
				.then((a) => a.body);
		} catch (e) {
			if (e.status === 401) {
				location.replace(loginUrl(M.api.hasCsrf() || e.code === 'session_expired'));
				return null;
			}
			throw e;
		}
		draw();
		return head.me;
	}

	// Shows the page as one that does not exist (what a role may not use, an id it may not see): title
	// (the page's <h1>) says so, box (if any) gets the sentence; the same words on every page.
	function missing(title, box) {
		const t = M.i18n.t;
		title.removeAttribute('data-i18n');
		title.textContent = t('bo_missing_title');
		document.title = t('bo_missing_title') + ' — Majlis';
		if (box) box.replaceChildren(M.el('p', { class: 'bo-missing' }, t('bo_missing')));
	}

	// The whole page (its <main>) as one that does not exist: its first heading says so, the rest gives way
	// to the sentence.
	function missingPage() {
		const main = M.$('main');
		const h = main.querySelector('h1');
		for (const n of [...main.children]) if (n !== h) n.remove();
		const p = M.el('p', { class: 'bo-missing' });
		main.appendChild(p);
		const say = () => {
			missing(h, null);
			p.textContent = M.i18n.t('bo_missing');
		};
		say();
		head.onLang = say; // the page's own screen is gone: a new language only changes these words
	}

	// Marks another menu entry as this screen's (a page of several screens, e.g. the shell).
	function setCurrent(key) {
		head.current = key;
		if (M.$('bo-nav')) draw();
	}

	M.bo = { SCREENS, HOME, lang, saveLang, safeNext, loginUrl, screen, may, start, setCurrent, missing, missingPage };
})();
