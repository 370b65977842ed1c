// api: the one way majlisd's pages call the API — fetch with JSON in and out, every failure as an
// ApiError {status, code, field, message, retryAfter} (code from the API's {"error":{"code","message"}},
// "network" when no answer came), an Idempotency-Key on the POSTs that create, and no cookie sent
// (participants have no account; an organiser logged in on the same browser stays out of their calls).
// The back office turns its session on (useSession): then the login cookie goes with every call, the
// CSRF token of the login answer is kept in localStorage (a reload or another tab needs no second login:
// the tabs share the cookie, so they share its token; logout forgets it) and sent back on every write,
// and a 401 (or a write refused for want of that token) is handed to the page once.
'use strict';

(function () {
	const M = window.Majlis;

	class ApiError extends Error {
		constructor(status, code, message) {
			super(message || code);
			this.status = status; // 0: no answer (offline, connection lost)
			this.code = code;
			// the field an invalid_field error names ("field 'email' must be ..."), or null
			const m = /field '([a-z_]+)'/.exec(message || '');
			this.field = m ? m[1] : null;
			this.retryAfter = null; // seconds, from Retry-After (429, 503), or null
		}
	}

	const CSRF_KEY = 'majlis.csrf';
	const session = { on: false, lost: null, told: false };

	function csrf() {
		try {
			return localStorage.getItem(CSRF_KEY);
		} catch (e) {
			return null;
		}
	}

	function setCsrf(token) {
		try {
			if (token) localStorage.setItem(CSRF_KEY, token);
			else localStorage.removeItem(CSRF_KEY);
		} catch (e) {
			// storage refused (private mode): the token lives as long as the page
		}
	}

	// Sends the login cookie and the CSRF token from now on; onLost(error) is called once, for the first
	// answer that says the session no longer holds (401, or 403 csrf_failed on a write).
	function useSession(onLost) {
		session.on = true;
		session.lost = onLost || null;
	}

	// A new random Idempotency-Key (base64url of 18 random bytes: 24 characters).
	function newKey() {
		const b = new Uint8Array(18);
		crypto.getRandomValues(b);
		return btoa(String.fromCharCode.apply(null, b)).replace(/\+/g, '-').replace(/\//g, '_');
	}

	// Calls method path with body (an object, sent as JSON; none when undefined). opts.key: an
	// Idempotency-Key; opts.noStore: not kept by the browser's cache. Resolves to {status, body} for a 2xx
	// answer (body: the parsed JSON, or null), rejects with an ApiError otherwise.
	async function request(method, path, body, opts) {
		const o = opts || {};
		const headers = { Accept: 'application/json' };
		if (body !== undefined) headers['Content-Type'] = 'application/json';
		if (o.key) headers['Idempotency-Key'] = o.key;
		const write = method !== 'GET' && method !== 'HEAD';
		if (session.on && write && csrf()) headers['X-CSRF-Token'] = csrf();
		let r;
		try {
			r = await fetch(path, {
				method,
				headers,
				body: body === undefined ? undefined : JSON.stringify(body),
				credentials: session.on || o.login ? 'same-origin' : 'omit',
				cache: o.noStore ? 'no-store' : 'default',
				referrerPolicy: 'no-referrer',
			});
		} catch (e) {
			throw new ApiError(0, 'network', String(e && e.message ? e.message : e));
		}
		let data = null;
		try {
			data = await r.json();
		} catch (e) {
			data = null;
		}
		if (!r.ok) {
			const err = (data && data.error) || {};
			const e = new ApiError(r.status, err.code || 'http_' + r.status, err.message || '');
			const after = parseInt(r.headers.get('Retry-After') || '', 10);
			if (after >= 0) e.retryAfter = after;
			const lost = r.status === 401 || (r.status === 403 && e.code === 'csrf_failed');
			if (session.on && lost && !o.quiet && session.lost && !session.told) {
				session.told = true;
				session.lost(e);
			}
			throw e;
		}
		return { status: r.status, body: data };
	}

	// Logs in (POST /api/v1/auth/login): the browser keeps the cookie, this client the CSRF token.
	// Resolves to the account, rejects with an ApiError (invalid_credentials, too_many_attempts, ...).
	async function login(email, password) {
		const a = await request('POST', '/api/v1/auth/login', { email, password }, { login: true, quiet: true });
		setCsrf(a.body && a.body.csrf_token);
		return a.body && a.body.account;
	}

	// Logs out (POST /api/v1/auth/logout) and forgets the CSRF token. A session that already ended counts
	// as logged out; so does a tab without the token (the next login ends that session). Rejects with an
	// ApiError when the server could not be reached (the session still holds: try again).
	async function logout() {
		try {
			await request('POST', '/api/v1/auth/logout', undefined, { quiet: true });
		} catch (e) {
			if (e.status !== 401 && e.code !== 'csrf_failed') throw e;
		}
		setCsrf(null);
	}

	M.api = {
		ApiError,
		newKey,
		request,
		useSession,
		login,
		logout,
		hasCsrf: () => !!csrf(),
		get: (path, opts) => request('GET', path, undefined, opts).then((a) => a.body),
		post: (path, body, opts) => request('POST', path, body, opts),
	};
})();
