// i18n: the words of majlisd's pages — one catalogue per language kept as a file (/i18n/fr.json,
// ar.json, en.json), the chosen language's only, loaded once per page (the three hold the same words: the
// test suite checks it, so a phone on a metered line fetches one). A catalogue that cannot be loaded falls
// back to French, then English, then Arabic, and so does a word missing in the chosen language. Plurals follow Intl.PluralRules; "{name}" in a word is filled by t()'s vars.
// It sets lang and dir on <html> and the text of [data-i18n] nodes, never HTML.
'use strict';

(function () {
	const M = window.Majlis;
	const ORDER = ['fr', 'en', 'ar'];
	const catalogues = {}; // lang -> Promise of its words (one fetch per language and page)
	const loaded = {}; // lang -> words, once its fetch answered
	let current = 'fr';

	function fetchOne(l) {
		if (!catalogues[l]) {
			catalogues[l] = fetch('/i18n/' + l + '.json', { credentials: 'omit' })
				.then((r) => (r.ok ? r.json() : {}))
				.catch(() => ({}))
				.then((words) => {
					loaded[l] = words;
					return words;
				});
		}
		return catalogues[l];
	}

	// Loads lang's catalogue; resolves when it answered. Only when it could not be loaded (no answer, or
	// empty) are the others loaded, in ORDER, until one has words.
	async function load(lang) {
		current = lang;
		for (const l of [lang].concat(ORDER.filter((o) => o !== lang))) {
			const words = await fetchOne(l);
			if (Object.keys(words).length) return;
		}
	}

	function raw(key) {
		for (const l of [current].concat(ORDER)) {
			const words = loaded[l];
			if (words && words[key] !== undefined) return { lang: l, v: words[key] };
		}
		return null;
	}

	// The word key in the current language (with fallback), "{x}" replaced by vars.x; a plural word
	// (an object of Intl.PluralRules categories) is chosen by vars.n. The key itself when no catalogue has it.
	function t(key, vars) {
		const found = raw(key);
		if (!found) return key;
		let v = found.v;
		if (v && typeof v === 'object') {
			const n = vars && typeof vars.n === 'number' ? vars.n : 0;
			const cat = new Intl.PluralRules(found.lang).select(n);
			v = v[cat] !== undefined ? v[cat] : v.other;
		}
		return String(v).replace(/\{(\w+)\}/g, (m, name) =>
			(vars && vars[name] !== undefined ? String(vars[name]) : m));
	}

	// Sets lang and dir on <html>, the text of every [data-i18n] node, the aria-label of every
	// [data-i18n-label] node and the document's title (the word titleKey).
	function apply(titleKey) {
		document.documentElement.lang = current;
		document.documentElement.dir = current === 'ar' ? 'rtl' : 'ltr';
		document.querySelectorAll('[data-i18n]').forEach((node) => {
			node.textContent = t(node.getAttribute('data-i18n'));
		});
		document.querySelectorAll('[data-i18n-label]').forEach((node) => {
			node.setAttribute('aria-label', t(node.getAttribute('data-i18n-label')));
		});
		if (titleKey) document.title = t(titleKey);
	}

	M.i18n = { load, t, apply, lang: () => current };
})();
