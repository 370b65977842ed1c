// bo: what the back office's pages (/login and the /admin shell) share beyond common.js — the language
// remembered in this browser (localStorage; ?lang= wins once), the only places a login may send back to
// (same-origin paths of the back office, never /login itself), and the way to the login page when the
// session no longer holds (with the screen to come back to). It renders nothing.
'use strict';

(function () {
	const M = window.Majlis;
	const LANG_KEY = 'majlis.lang';

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

	M.bo = { lang, saveLang, safeNext, loginUrl };
})();
