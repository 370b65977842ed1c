// events-common: what the organisers' event pages share (/admin/calendar, /admin/events/new and
// /admin/events/{id}/edit, /admin/venues) beyond bo.js's header, menu, language and session — Morocco's
// wall time from an instant and back (the browser's Intl, never its own zone) and the words of the API's
// refusals. It never writes HTML: DOM nodes and textContent only.
'use strict';

(function () {
	const M = window.Majlis;
	const HOME = 'Africa/Casablanca';
	const LOCALES = { fr: 'fr-MA', ar: 'ar-MA', en: 'en-GB' };

	// Morocco's wall time "YYYY-MM-DDTHH:MM:SS" of an instant (ms since the epoch, or a Date).
	function homeWall(instant) {
		const parts = {};
		new Intl.DateTimeFormat('en-GB', {
			timeZone: HOME, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
			hour: '2-digit', minute: '2-digit', second: '2-digit',
		}).formatToParts(new Date(instant)).forEach((p) => {
			parts[p.type] = p.value;
		});
		return parts.year + '-' + parts.month + '-' + parts.day + 'T' + parts.hour + ':' + parts.minute + ':' +
			parts.second;
	}

	// A session's start and end as Morocco's wall time: its own wall time when entered in Morocco's zone
	// (the server's rules are the reference), else its UTC instant seen from Morocco.
	function sessionHome(s) {
		if (!s.tz || s.tz === HOME) return { start: s.starts_local, end: s.ends_local };
		return { start: homeWall(Date.parse(s.starts_utc)), end: homeWall(Date.parse(s.ends_utc)) };
	}

	// "+01:00" of Morocco at the instant ms.
	function homeOffset(ms) {
		const name = new Intl.DateTimeFormat('en-GB', { timeZone: HOME, timeZoneName: 'longOffset' })
			.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName');
		const m = /GMT([+-]\d{2}):?(\d{2})?/.exec((name && name.value) || '');
		return m ? m[1] + ':' + (m[2] || '00') : '+00:00';
	}

	// An RFC 3339 instant of Morocco's wall time "YYYY-MM-DDTHH:MM" (a datetime-local input's value), or
	// null. A wall time that happens twice is read as its first occurrence.
	function wallToInstant(wall) {
		const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(wall || '');
		if (!m) return null;
		const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
		let off = homeOffset(asUtc);
		for (let i = 0; i < 2; i++) {
			const sign = off[0] === '-' ? -1 : 1;
			const ms = asUtc - sign * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6))) * 60000;
			const again = homeOffset(ms);
			if (again === off) break;
			off = again;
		}
		return m[1] + '-' + m[2] + '-' + m[3] + 'T' + m[4] + ':' + m[5] + ':00' + off;
	}

	// The wall time "YYYY-MM-DDTHH:MM" of an RFC 3339 instant the API wrote in the event's zone (Morocco,
	// or the venue's): the digits as written.
	function instantToWall(at) {
		return at ? String(at).slice(0, 16) : '';
	}

	// The words of an API refusal: the code's own word when the catalogue has one ("events_err_<code>"),
	// else the API's English message.
	function errorText(e) {
		const t = M.i18n.t;
		if (!e) return '';
		if (e.status === 0) return t('events_err_network');
		const key = 'events_err_' + e.code;
		const w = t(key);
		return w !== key ? w : t('events_err_other', { message: e.message || e.code });
	}

	// The word key as nodes: its text, each "{name}" replaced by vars[name] isolated left to right (a
	// zone, an offset, a time keeps its order inside Arabic).
	function words(key, vars) {
		const raw = M.i18n.t(key, {});
		const out = [];
		let last = 0;
		raw.replace(/\{(\w+)\}/g, (m, name, at) => {
			out.push(raw.slice(last, at));
			out.push(vars && vars[name] !== undefined ? M.el('bdi', { dir: 'ltr' }, String(vars[name])) : m);
			last = at + m.length;
			return m;
		});
		out.push(raw.slice(last));
		return out.filter((x) => x !== '');
	}

	M.events = {
		HOME, LOCALES, homeWall, sessionHome, wallToInstant,
		instantToWall, errorText, words,
	};
})();
