// officials: the page of the officials' and admins' screens (/admin/numbers, /admin/calendars,
// /admin/accounts, /admin/organisations) — the header, menu, language and session are bo.js's; it draws the
// screen the path names with its own module (numbers.js, calendars.js, accounts.js). A screen the role may
// not use shows as one that does not exist. It writes no HTML: text nodes only.
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;
	const t = (k, v) => M.i18n.t(k, v);
	// The screens of this page: bo.js's key (its path, the roles that may use it) and its module.
	const SCREENS = [
		{ key: 'numbers', mod: 'numbers' },
		{ key: 'calendars', mod: 'calendars' },
		{ key: 'accounts', mod: 'accounts' },
		{ key: 'organisations', mod: 'organisations' },
	];

	const state = { lang: 'fr', me: null, screen: null };

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

	// Draws the screen in state.lang (the header is bo.js's).
	async function render() {
		const lang = state.lang;
		const screen = M.$('off-screen');
		screen.replaceChildren();
		setStatus('');
		const s = SCREENS.find((x) => x.key === state.screen);
		if (!s || !M.bo.may(s.key, state.me.role) || !M.screens[s.mod]) {
			M.bo.missing(M.$('off-title'), screen);
			return;
		}
		M.$('off-title').textContent = t('off_title_' + s.key);
		document.title = t('off_title_' + s.key) + ' — Majlis';
		await M.screens[s.mod]({ root: screen, me: state.me, lang, t, setStatus, field, showError, errorText, fmtNum,
			fmtRate, fmtInstant });
	}

	async function start() {
		state.lang = M.bo.lang();
		const p = location.pathname.replace(/\/+$/, '');
		const s = M.bo.SCREENS.find((x) => x.path === p && SCREENS.some((y) => y.key === x.key));
		state.screen = s ? s.key : null;
		try {
			state.me = await M.bo.start({
				current: state.screen,
				titleKey: null,
				onLang: (l) => {
					state.lang = l;
					render();
				},
			});
		} catch (e) {
			setStatus(errorText(e), 'error');
			return;
		}
		if (!state.me) return;
		await render();
	}

	M.screens = M.screens || {};
	M.officials = { fmtNum: (n) => fmtNum(n) };
	document.addEventListener('DOMContentLoaded', start);
})();
