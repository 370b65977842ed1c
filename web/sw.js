// sw: the personal page's service worker (registered by r.js with the scope /r/) — keeps what a
// participant's page needs to open with no connection at the venue's door: the page's shell (r.html, its
// scripts, style, catalogues and icon) and, for each personal link opened on this device, the last answer
// of GET /api/v1/r/<token> (stamped with the time it was saved, in an x-majlis-saved-at header the page
// shows as "last updated") and its ticket image. Network first for all of them: online, the page always
// gets fresh answers (and the saved copies follow them); the saved copy only when the network fails or
// stays silent. It keeps no other API answer (an organiser's data on a shared computer), forgets a link the
// server no longer knows (404 or 410), and leaves alone what it does not own: other pages (its scope is
// /r/), the API's other routes, the feeds, /live (a WebSocket never passes through a service worker).
// A release reaches the saved shell with the next visit online (network first); VERSION names the caches
// and changes with what they hold: activating a new version deletes every other version's caches.
'use strict';

const VERSION = 1;
const PREFIX = 'majlis-r-';
const SHELL = PREFIX + 'shell-v' + VERSION; // the page's files, by path
const DATA = PREFIX + 'data-v' + VERSION; // per link: its registration answer and its ticket
// What r.html loads, r.js fetches (the catalogues: i18n.js loads the fallback languages too) and the icon.
const SHELL_FILES = ['/r.html', '/style.css', '/common.js', '/i18n.js', '/api.js', '/live.js', '/lost.js', '/r.js',
	'/icon.svg', '/i18n/fr.json', '/i18n/ar.json', '/i18n/en.json'];
const PAGE = /^\/r\/[A-Za-z0-9_-]{1,127}\/?$/;
const LINK = /^\/api\/v1\/r\/([A-Za-z0-9_-]{1,127})(\/ticket\.svg|\/confirm|\/decline|\/cancel)?$/;
const SAVED_AT = 'x-majlis-saved-at';
// How long the page waits for the network before it is shown its saved copy (a weak signal answers late
// or never); the network's answer, when it comes, still refreshes the copy for the next time.
const PAGE_WAIT_MS = 3000;
const DATA_WAIT_MS = 5000;
// After a request failed or waited in vain, for this long the shell is served from the copy at once (no
// second wait for each script) while the network refreshes it behind, and a link's answers are waited for
// only QUIET_WAIT_MS (the registration, then its ticket, would each wait DATA_WAIT_MS again).
const QUIET_MS = 20000;
const QUIET_WAIT_MS = 1000;
let lastMiss = 0;

self.addEventListener('install', (ev) => {
	// each file on its own: one that cannot be fetched now leaves the others kept (and is kept later,
	// when the page asks for it)
	ev.waitUntil(caches.open(SHELL)
		.then((cache) => Promise.all(SHELL_FILES.map((f) => cache.add(f).catch(() => undefined))))
		.then(() => self.skipWaiting()));
});

self.addEventListener('activate', (ev) => {
	ev.waitUntil(caches.keys()
		.then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== SHELL && n !== DATA)
			.map((n) => caches.delete(n))))
		.then(() => self.clients.claim()));
});

function linkKey(token) {
	return '/api/v1/r/' + token;
}

function ticketKey(token) {
	return '/api/v1/r/' + token + '/ticket.svg';
}

// Drops what is kept of the link token (the server no longer knows it).
async function forget(token) {
	const cache = await caches.open(DATA);
	await Promise.all([cache.delete(linkKey(token)), cache.delete(ticketKey(token))]);
}

// Keeps res (a 200 answer about token: its registration, or the personal-link view an action answers) as
// the link's last known registration, stamped with the time it was saved; its ticket only while the
// registration holds a seat.
async function keepLink(token, res) {
	const body = await res.text();
	let status = null;
	try {
		status = JSON.parse(body).status;
	} catch (e) {
		return; // not the view it should be: the copy stays as it was
	}
	const headers = new Headers({ 'Content-Type': res.headers.get('Content-Type') || 'application/json' });
	headers.set(SAVED_AT, String(Date.now()));
	const cache = await caches.open(DATA);
	await cache.put(linkKey(token), new Response(body, { status: 200, headers }));
	if (status !== 'confirmed') await cache.delete(ticketKey(token));
}

// What an answer about token says for what is kept of it.
async function learn(token, what, res) {
	if (res.status === 404 || res.status === 410) return forget(token);
	if (what === '/ticket.svg') {
		const cache = await caches.open(DATA);
		if (res.ok) return cache.put(ticketKey(token), res);
		if (res.status === 409) return cache.delete(ticketKey(token)); // no seat held any more
		return undefined;
	}
	if (res.ok) return keepLink(token, res);
	return undefined; // a 5xx or a throttled answer: the copy stays as it was
}

// The network's answer to req (handed to keep(), a copy, before it is returned), or, when the network fails
// or gives no answer within ms, saved() when it finds a copy. The network's late answer is still kept.
async function networkFirst(ev, req, ms, keep, saved) {
	const net = fetch(req).then(async (res) => {
		try {
			await keep(res.clone());
		} catch (e) {
			// a full disk: the answer is served anyway
		}
		return res;
	});
	ev.waitUntil(net.then(() => undefined, () => undefined));
	let timer = null;
	const late = new Promise((resolve) => {
		timer = setTimeout(() => resolve(null), ms);
	});
	try {
		const first = await Promise.race([net, late]);
		if (first) return first;
		lastMiss = Date.now();
		const copy = await saved();
		return copy || await net;
	} catch (e) {
		lastMiss = Date.now();
		const copy = await saved();
		if (copy) return copy;
		throw e;
	} finally {
		clearTimeout(timer);
	}
}

function shellCopy(path) {
	return caches.open(SHELL).then((cache) => cache.match(path, { ignoreVary: true }));
}

function keepShell(path) {
	return async (res) => {
		if (res.ok && res.type === 'basic') await (await caches.open(SHELL)).put(path, res);
	};
}

// /r/<token>: always the same page (r.html), kept under that name.
function page(ev) {
	return networkFirst(ev, ev.request, PAGE_WAIT_MS, async (res) => {
		if ((res.headers.get('Content-Type') || '').startsWith('text/html')) await keepShell('/r.html')(res);
	}, () => shellCopy('/r.html'));
}

// A file of the page's shell: network first, but from the copy at once for a while after a miss.
function shell(ev, path) {
	if (Date.now() - lastMiss < QUIET_MS) {
		// (an answer here may come from the browser's HTTP cache: it says nothing of the network)
		const fresh = fetch(ev.request).then(async (res) => {
			await keepShell(path)(res.clone());
			return res;
		});
		ev.waitUntil(fresh.then(() => undefined, () => undefined));
		return shellCopy(path).then((copy) => copy || fresh);
	}
	return networkFirst(ev, ev.request, PAGE_WAIT_MS, keepShell(path), () => shellCopy(path));
}

// The personal link's API: its registration and ticket network first with the kept copy as fallback; its
// actions only through the network (an action needs the server), their answer kept as the registration.
function link(ev, token, what) {
	const req = ev.request;
	if (req.method === 'POST') {
		const answer = fetch(req);
		ev.waitUntil(answer.then((res) => learn(token, '', res.clone())).catch(() => undefined));
		return answer;
	}
	const key = what === '/ticket.svg' ? ticketKey(token) : linkKey(token);
	const wait = Date.now() - lastMiss < QUIET_MS ? QUIET_WAIT_MS : DATA_WAIT_MS;
	return networkFirst(ev, req, wait, (res) => {
		lastMiss = 0; // the server answered (these answers are never stored by the HTTP cache)
		return learn(token, what, res);
	},
		() => caches.open(DATA).then((cache) => cache.match(key, { ignoreVary: true })));
}

self.addEventListener('fetch', (ev) => {
	const req = ev.request;
	const url = new URL(req.url);
	if (url.origin !== self.location.origin) return;
	if (req.mode === 'navigate') {
		if (req.method === 'GET' && PAGE.test(url.pathname)) ev.respondWith(page(ev));
		return;
	}
	const m = LINK.exec(url.pathname);
	if (m) {
		const action = m[2] === '/confirm' || m[2] === '/decline' || m[2] === '/cancel';
		if (req.method === (action ? 'POST' : 'GET')) ev.respondWith(link(ev, m[1], m[2] || ''));
		return;
	}
	if (req.method === 'GET' && !url.search && SHELL_FILES.includes(url.pathname) && url.pathname !== '/r.html')
		ev.respondWith(shell(ev, url.pathname));
});

// A page opened before this worker controlled it asks it to keep its link now: {type: 'keep', token,
// ticket} (ticket: the page shows one). Fetched again here, so that the page need not hand its data over.
self.addEventListener('message', (ev) => {
	const d = ev.data || {};
	if (d.type !== 'keep' || typeof d.token !== 'string' || !/^[A-Za-z0-9_-]{1,127}$/.test(d.token)) return;
	const get = (what) => fetch(linkKey(d.token) + what, { credentials: 'omit', cache: 'no-store' })
		.then((res) => learn(d.token, what, res), () => undefined);
	ev.waitUntil(Promise.all([get(''), d.ticket ? get('/ticket.svg') : undefined]));
});
