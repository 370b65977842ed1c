// login: the back office's login page /login — e-mail and password to POST /api/v1/auth/login (the
// browser keeps the session cookie, api.js the CSRF token), errors beside their field from the API's codes
// (wrong e-mail or password — a disabled account answers the same, on purpose —, too many attempts for the
// address, too many logins from this connection), "your session expired" when sent here with ?expired=1,
// and then back to ?next= (a back-office screen of this server only) or /admin. DOM nodes and textContent
// only.
'use strict';

(function () {
	const M = window.Majlis;
	const t = M.i18n.t;
	const $ = M.$;
	const params = new URLSearchParams(location.search);
	const state = {
		lang: M.bo.lang(),
		next: M.bo.safeNext(params.get('next')) || '/admin',
		expired: params.get('expired') === '1',
		errors: {}, // field -> {key, vars}
		formError: null, // {key, vars}
		busy: false,
	};

	// "in 3 minutes" / "in 40 seconds" of a Retry-After in seconds.
	function wait(seconds) {
		const s = typeof seconds === 'number' && seconds > 0 ? seconds : 60;
		if (s >= 90) return t('bo_wait_min', { n: Math.ceil(s / 60) });
		return t('bo_wait_s', { n: s });
	}

	function render() {
		$('expired').hidden = !state.expired;
		for (const f of ['email', 'password']) {
			const e = state.errors[f];
			$('e-' + f).textContent = e ? t(e.key, e.vars) : '';
			if (e) $('f-' + f).setAttribute('aria-invalid', 'true');
			else $('f-' + f).removeAttribute('aria-invalid');
		}
		$('form-error').textContent = state.formError ? t(state.formError.key, state.formError.vars) : '';
		$('submit').disabled = state.busy;
	}

	function showTexts() {
		return M.i18n.load(state.lang).then(() => {
			M.showLang('bo_login_page_title', (l) => {
				state.lang = l;
				M.bo.saveLang(l);
				showTexts();
			});
			render();
		});
	}

	// The error of a failed login, beside the field it concerns.
	function explain(e) {
		switch (e.code) {
		case 'invalid_credentials':
			return { password: { key: 'bo_err_credentials' } };
		case 'too_many_attempts':
			return { email: { key: 'bo_err_attempts', vars: { wait: wait(e.retryAfter) } } };
		case 'too_many_requests':
			return { form: { key: 'bo_err_throttled', vars: { wait: wait(e.retryAfter) } } };
		case 'missing_field':
		case 'invalid_field':
			return e.field === 'password' ? { password: { key: 'bo_err_password_missing' } }
				: { email: { key: 'bo_err_email' } };
		case 'network':
			return { form: { key: 'bo_err_network' } };
		default:
			return { form: { key: e.status === 503 ? 'bo_err_busy' : 'bo_err_failed' } };
		}
	}

	async function submit(ev) {
		ev.preventDefault();
		if (state.busy) return;
		const email = $('f-email').value.trim();
		const password = $('f-password').value;
		state.errors = {};
		state.formError = null;
		if (!email) state.errors.email = { key: 'bo_err_email_missing' };
		else if (!/^[^\s@]+@[^\s@]+$/.test(email)) state.errors.email = { key: 'bo_err_email' };
		if (!password) state.errors.password = { key: 'bo_err_password_missing' };
		if (Object.keys(state.errors).length) {
			render();
			$(state.errors.email ? 'f-email' : 'f-password').focus();
			return;
		}
		state.busy = true;
		render();
		try {
			await M.api.login(email, password);
			location.replace(state.next);
			return;
		} catch (e) {
			const x = explain(e);
			state.errors = {};
			if (x.email) state.errors.email = x.email;
			if (x.password) state.errors.password = x.password;
			state.formError = x.form || null;
			state.busy = false;
			render();
			if (x.password) {
				$('f-password').value = '';
				$('f-password').focus();
			} else if (x.email) {
				$('f-email').focus();
			}
		}
	}

	// Already logged in with this tab's CSRF token: straight on to the screen asked for.
	async function already() {
		if (!M.api.hasCsrf()) return;
		try {
			await M.api.request('GET', '/api/v1/auth/me', undefined, { login: true, quiet: true, noStore: true });
			location.replace(state.next);
		} catch (e) {
			// not logged in (or no longer): the form it is
		}
	}

	function init() {
		$('form').addEventListener('submit', submit);
		showTexts().then(already);
	}

	init();
})();
