// common: what both pages of majlisd share — languages (fr/ar/en, Arabic right to left) with the words
// both pages show and the language switch, picking a text in the chosen language with fallback,
// spelling out wall times with their UTC offset, keeping state in the page's URL, and building DOM
// nodes. It never writes HTML from data: every text goes through textContent.
'use strict';

(function () {
	const LANGS = ['fr', 'ar', 'en'];
	const LANG_NAMES = { fr: 'Français', ar: 'العربية', en: 'English' };
	const LOCALES = { fr: 'fr-MA', ar: 'ar-MA', en: 'en-GB' };
	// the wanted language first, then the others (as the calendar feeds do)
	const FALLBACK = { fr: ['fr', 'en', 'ar'], ar: ['ar', 'fr', 'en'], en: ['en', 'fr', 'ar'] };
	// the words of both pages: skip link, language switch, footer, loading, zone of Moroccan times
	const SHARED = {
		fr: {
			skip: 'Aller au contenu', lang_nav: 'Langue', loading: 'Chargement…', morocco: 'heure du Maroc',
			sep: ' · ', footer: 'Majlis — programme de formation et de concertation, Maroc.',
		},
		ar: {
			skip: 'انتقل إلى المحتوى', lang_nav: 'اللغة', loading: 'جارٍ التحميل…', morocco: 'بتوقيت المغرب',
			sep: ' · ', footer: 'مجلس — برنامج التكوين والتشاور، المغرب.',
		},
		en: {
			skip: 'Skip to content', lang_nav: 'Language', loading: 'Loading…', morocco: 'Morocco time',
			sep: ' · ', footer: 'Majlis — training and concertation programme, Morocco.',
		},
	};

	const $ = (id) => document.getElementById(id);

	// A page's catalogue: for each language, the words both pages show and then the page's own.
	function words(own) {
		const out = {};
		for (const l of LANGS) out[l] = Object.assign({}, SHARED[l], own[l]);
		return out;
	}

	function isLang(v) {
		return LANGS.indexOf(v) >= 0;
	}

	// ?lang= of the page's URL, or null.
	function urlLang() {
		const v = new URLSearchParams(location.search).get('lang');
		return isLang(v) ? v : null;
	}

	// Sets lang and dir on <html> and every [data-i18n] text from dict[lang].
	function applyLang(lang, dict) {
		document.documentElement.lang = lang;
		document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
		const words = dict[lang];
		document.querySelectorAll('[data-i18n]').forEach((node) => {
			const key = node.getAttribute('data-i18n');
			if (words[key] !== undefined) node.textContent = words[key];
		});
		document.querySelectorAll('[data-i18n-label]').forEach((node) => {
			const key = node.getAttribute('data-i18n-label');
			if (words[key] !== undefined) node.setAttribute('aria-label', words[key]);
		});
		if (words.page_title) document.title = words.page_title;
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

	// "+01:00" from an offset in seconds (or an offset string as it is).
	function offsetText(off) {
		if (typeof off === 'string') return off;
		const a = Math.abs(off || 0);
		const hh = String(Math.floor(a / 3600)).padStart(2, '0');
		const mm = String(Math.floor((a % 3600) / 60)).padStart(2, '0');
		return (off < 0 ? '-' : '+') + hh + ':' + mm;
	}

	// Nodes of one session: the wall time ("mar. 1 déc. 2026, 09:00–13:00") on its own line, then the
	// zone ("heure du Maroc", or the zone name elsewhere), the UTC offset and the session's title, each
	// isolated (bdi) so that Latin text and digits keep their order inside Arabic.
	function sessionNodes(s, lang, offset, zoneWord, sep) {
		const start = wallDate(s.starts_local);
		const end = wallDate(s.ends_local);
		const comma = lang === 'ar' ? '، ' : ', ';
		const time = el('time', { datetime: s.starts_at || null, class: 'when' });
		if (!start) {
			time.textContent = s.starts_local || '';
		} else if (end && s.starts_local.slice(0, 10) === s.ends_local.slice(0, 10)) {
			// the hours read left to right in every language: "09:00–13:00"
			time.append(fmtDay(start, lang) + comma,
				el('bdi', { dir: 'ltr' }, fmtTime(start, lang) + '–' + fmtTime(end, lang)));
		} else {
			time.append(fmtDay(start, lang) + comma, el('bdi', { dir: 'ltr' }, fmtTime(start, lang)));
			if (end)
				time.append(' – ' + fmtDay(end, lang) + comma, el('bdi', { dir: 'ltr' }, fmtTime(end, lang)));
		}
		const zone = el('span', { class: 'zone' });
		const foreign = s.tz && s.tz !== 'Africa/Casablanca';
		if (foreign) zone.appendChild(el('bdi', {}, s.tz));
		else if (zoneWord) zone.appendChild(document.createTextNode(zoneWord));
		if (zone.childNodes.length) zone.appendChild(document.createTextNode(sep));
		zone.appendChild(el('bdi', { dir: 'ltr' }, 'UTC' + offsetText(offset)));
		if (s.title) {
			zone.appendChild(document.createTextNode(sep));
			zone.appendChild(el('bdi', { class: 'session-title' }, s.title));
		}
		return [time, zone];
	}

	// Shows the page in lang (applyLang with dict) and fills the #langs switch with one button per
	// language; onPick(l) when one is chosen.
	function showLang(lang, dict, onPick) {
		applyLang(lang, dict);
		const nav = $('langs');
		nav.replaceChildren();
		for (const l of LANGS) {
			const b = el('button', { type: 'button', lang: l, 'aria-pressed': l === lang ? 'true' : 'false',
				class: 'lang' }, LANG_NAMES[l]);
			b.addEventListener('click', () => onPick(l));
			nav.appendChild(b);
		}
	}

	window.Majlis = {
		LANGS, $, words, isLang, urlLang, showLang, el, pick, pickLang, replaceQuery, wallDate, sessionNodes,
		offsetText,
	};
})();
