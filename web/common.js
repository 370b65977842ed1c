// common: what majlisd's pages share — the languages (fr/ar/en, Arabic right to left) and the language
// switch, picking a text in the chosen language with fallback, spelling out wall times, keeping state in
// the page's URL, and building DOM nodes. It never writes HTML from data: every text goes through
// textContent. The words themselves are in /i18n/<lang>.json (i18n.js); the API calls are in api.js.
'use strict';

(function () {
	const LANGS = ['fr', 'ar', 'en'];
	const LANG_NAMES = { fr: 'Français', ar: 'العربية', en: 'English' };
	const LOCALES = { fr: 'fr-MA', ar: 'ar-MA', en: 'en-GB' };
	// the wanted language first, then the others (as the calendar feeds do)
	const FALLBACK = { fr: ['fr', 'en', 'ar'], ar: ['ar', 'fr', 'en'], en: ['en', 'fr', 'ar'] };
	const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/;
	const HOME = 'Africa/Casablanca';

	const $ = (id) => document.getElementById(id);

	function isLang(v) {
		return LANGS.indexOf(v) >= 0;
	}

	// ?lang= of the page's URL, or null.
	function urlLang() {
		const v = new URLSearchParams(location.search).get('lang');
		return isLang(v) ? v : null;
	}

	// el('p', {class: 'x', href: '...'}, 'text', otherNode...): attributes set one by one, strings
	// become text nodes.
	function el(tag, attrs, ...children) {
		const node = document.createElement(tag);
		for (const [k, v] of Object.entries(attrs || {})) {
			if (v === null || v === undefined || v === false) continue;
			node.setAttribute(k, v === true ? '' : String(v));
		}
		for (const c of children) {
			if (c === null || c === undefined || c === false) continue;
			node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
		}
		return node;
	}

	// The first l in lang's fallback order whose obj[prefix + '_' + l] is a non-empty text, or null.
	function pickLang(obj, prefix, lang) {
		for (const l of FALLBACK[lang]) {
			const v = obj && obj[prefix + '_' + l];
			if (typeof v === 'string' && v.trim()) return l;
		}
		return null;
	}

	// That text (the first non-empty obj[prefix + '_' + l] in lang's fallback order), or ''.
	function pick(obj, prefix, lang) {
		const l = pickLang(obj, prefix, lang);
		return l ? obj[prefix + '_' + l] : '';
	}

	// Replaces the page's own URL (same path) by one with the query q (a URLSearchParams), in place.
	function replaceQuery(q) {
		const s = q.toString();
		history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
	}

	// Parts of a wall time "YYYY-MM-DDTHH:MM[:SS]" as a Date whose UTC fields are that wall time, so
	// that formatting it in UTC prints it unchanged (never converted to the browser's zone).
	function wallDate(local) {
		const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local || '');
		if (!m) return null;
		return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]));
	}

	function fmtDay(d, lang) {
		return new Intl.DateTimeFormat(LOCALES[lang], {
			weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC',
		}).format(d);
	}

	function fmtTime(d, lang) {
		return new Intl.DateTimeFormat(LOCALES[lang], {
			hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC',
		}).format(d);
	}

	// "mar. 1 déc. 2026, 09:00" of a wall time "YYYY-MM-DDTHH:MM" (an instant with its offset, as the API
	// writes registration windows, is read as its wall time), or ''.
	function fmtWall(local, lang) {
		const d = wallDate(local);
		if (!d) return '';
		return fmtDay(d, lang) + (lang === 'ar' ? '، ' : ', ') + fmtTime(d, lang);
	}

	// "07/12 21:40" (day/month hours:minutes, to be read left to right) of a moment ms since the epoch as
	// this device's clock shows it, or ''. Without Arabic's direction marks and comma, which would reorder
	// it inside a left-to-right isolate.
	function fmtStamp(ms, lang) {
		if (!ms) return '';
		return new Intl.DateTimeFormat(LOCALES[lang], {
			day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
		}).format(new Date(ms)).replace(/[\u200e\u200f]/g, '').replace(/[,\u060c] /, ' ');
	}

	// A session's title as shown in lang: in Arabic a title without Arabic script is left out (the
	// event's own title already says it in Arabic), elsewhere the title as it is; '' when none.
	function sessionTitle(s, lang) {
		const t = (s && s.title) || '';
		if (!t) return '';
		return lang === 'ar' && !ARABIC.test(t) ? '' : t;
	}

	// Nodes of one session: its wall time ("mar. 1 déc. 2026, 09:00–13:00"), the hours kept on one line
	// and read left to right in every language; then, on a line of its own, the zone when it is not
	// Morocco's (with its UTC offset: there it helps) and the session's title, each isolated (bdi) so that
	// Latin text and digits keep their order inside Arabic. Morocco's time is stated once by the page.
	function sessionNodes(s, lang) {
		const start = wallDate(s.starts_local);
		const end = wallDate(s.ends_local);
		const comma = lang === 'ar' ? '، ' : ', ';
		const hours = (text) => el('bdi', { dir: 'ltr', class: 'hours' }, text);
		const time = el('time', { datetime: s.starts_at || null, class: 'when' });
		if (!start) {
			time.textContent = s.starts_local || '';
		} else if (end && s.starts_local.slice(0, 10) === s.ends_local.slice(0, 10)) {
			time.append(fmtDay(start, lang) + comma, hours(fmtTime(start, lang) + '–' + fmtTime(end, lang)));
		} else {
			time.append(fmtDay(start, lang) + comma, hours(fmtTime(start, lang)));
			if (end) time.append(' – ' + fmtDay(end, lang) + comma, hours(fmtTime(end, lang)));
		}
		const out = [time];
		const extra = el('span', { class: 'zone' });
		if (s.tz && s.tz !== HOME) {
			const off = s.starts_offset || s.start_offset || '';
			extra.appendChild(el('bdi', {}, s.tz + (off ? ' (UTC' + off + ')' : '')));
		}
		const title = sessionTitle(s, lang);
		if (title) {
			if (extra.childNodes.length) extra.appendChild(document.createTextNode(' · '));
			extra.appendChild(el('bdi', { class: 'session-title' }, title));
		}
		if (extra.childNodes.length) out.push(extra);
		return out;
	}

	// Shows the page in the i18n's current language (words, lang, dir, title titleKey) and fills the
	// #langs switch with one button per language; onPick(l) when one is chosen. A button that had the
	// focus (chosen from the keyboard) has it again once redrawn.
	function showLang(titleKey, onPick) {
		const lang = M.i18n.lang();
		M.i18n.apply(titleKey);
		const nav = $('langs');
		const had = nav.contains(document.activeElement) ? document.activeElement.getAttribute('lang') : null;
		nav.replaceChildren();
		for (const l of LANGS) {
			const b = el('button', { type: 'button', lang: l, 'aria-pressed': l === lang ? 'true' : 'false',
				class: 'lang' }, LANG_NAMES[l]);
			b.addEventListener('click', () => onPick(l));
			nav.appendChild(b);
			if (l === had) b.focus();
		}
	}

	// https:// (http:// when served without TLS) and webcal:// forms of a path on this host.
	function feedUrls(path) {
		const scheme = location.protocol === 'https:' ? 'https:' : 'http:';
		return { web: scheme + '//' + location.host + path, webcal: 'webcal://' + location.host + path };
	}

	const M = {
		LANGS, $, isLang, urlLang, showLang, el, pick, pickLang, replaceQuery, wallDate, fmtWall, sessionNodes,
		sessionTitle, feedUrls, fmtStamp,
	};
	window.Majlis = M;
})();
