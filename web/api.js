// api: the one way majlisd's pages call the API — fetch with JSON in and out, every failure as an
// ApiError {status, code, field, message} (code from the API's {"error":{"code","message"}}, "network"
// when no answer came), an Idempotency-Key on the POSTs that create, and no cookie sent (participants
// have no account; an organiser logged in on the same browser stays out of their calls).
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
		}
	}

	// A new random Idempotency-Key (base64url of 18 random bytes: 24 characters).
	function newKey() {
		const b = new Uint8Array(18);
		crypto.getRandomValues(b);
		return btoa(String.fromCharCode.apply(null, b)).replace(/\+/g, '-').replace(/\//g, '_');
	}

	// Calls method path with body (an object, sent as JSON; none when undefined). opts.key: an
	// Idempotency-Key; opts.noStore: not kept by the browser's cache. Resolves to {status, body, savedAt} for
	// a 2xx answer (body: the parsed JSON, or null; savedAt: when the service worker saved the copy it
	// answered with, in ms since the epoch, or null for the server's own answer), rejects with an ApiError
	// otherwise.
	async function request(method, path, body, opts) {
		const o = opts || {};
		const headers = { Accept: 'application/json' };
		if (body !== undefined) headers['Content-Type'] = 'application/json';
		if (o.key) headers['Idempotency-Key'] = o.key;
		let r;
		try {
			r = await fetch(path, {
				method,
				headers,
				body: body === undefined ? undefined : JSON.stringify(body),
				credentials: 'omit',
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
			throw new ApiError(r.status, err.code || 'http_' + r.status, err.message || '');
		}
		const saved = Number(r.headers.get('X-Majlis-Saved-At'));
		return { status: r.status, body: data, savedAt: saved > 0 ? saved : null };
	}

	M.api = {
		ApiError,
		newKey,
		request,
		get: (path, opts) => request('GET', path, undefined, opts).then((a) => a.body),
		post: (path, body, opts) => request('POST', path, body, opts),
	};
})();
