// offline.spec: the personal page with no connection, driven in Debian's chromium by playwright-core; prints
// one JSON line {checks: {name: {ok, detail}}, console_errors, screenshots, failed}, exit status 1 when a
// check failed. Usage: node offline.spec.mjs BASE_URL TOKEN_AR TOKEN_FR TOKEN_GONE [SCREENSHOT_DIR]
// with MAJLIS_E2E_ADMIN an administrator's API token and MAJLIS_E2E_PID majlisd's pid. TOKEN_AR and TOKEN_FR are confirmed registrations
// whose attendance is not yet confirmed; TOKEN_GONE a confirmed one this spec makes the server forget.
// In Arabic at 360x740 and in French at 1280x900: open the personal page, confirm attendance, see the
// ticket; go offline and reload: the ticket and the status are still shown, with "last updated ... you are
// offline"; back online the line goes. With a weak signal (the server does not answer), the page shows the
// kept copy and says the connection is not answering. The worker keeps nothing but the page's shell and
// that link's answers, does not control the other pages, and forgets a link the server no longer knows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spec } from './lib.mjs';

const [base, tokenAr, tokenFr, tokenGone, shotDir] = process.argv.slice(2);
const admin = process.env.MAJLIS_E2E_ADMIN || '';
if (!base || !tokenAr || !tokenFr || !tokenGone || !admin) {
	process.stderr.write('usage: MAJLIS_E2E_ADMIN=TOKEN node offline.spec.mjs BASE_URL TOKEN_AR TOKEN_FR TOKEN_GONE [DIR]\n');
	process.exit(2);
}
const t = spec('offline', shotDir);
const { check, step, shot, consoleErrors, axeFindings } = t;
const axe = (page, name) => t.axe(page, name);
const CACHE_DATA = 'majlis-r-data-v1';

// Console errors of page, but those that going offline on purpose causes (the live socket, and requests
// that fail while offline: ERR_FAILED when the worker has no copy to answer with).
function watch(page, offline) {
	return t.watch(page, { dialogs: 'dismiss', expected: [(text, where) => offline.now &&
		/\/live\?|ERR_INTERNET_DISCONNECTED|ERR_FAILED|WebSocket/.test(text + ' ' + where)] });
}

async function newContext(locale) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'majlis-chromium-offline-'));
	const ctx = await t.launchPersistent(dir, { args: ['--disable-quic'], locale, serviceWorkers: 'allow' });
	ctx.setDefaultTimeout(20000);
	return { ctx, dir };
}

// What the worker keeps for token: {view, ticket} (view: the saved registration, or null; ticket: whether
// its image is kept), read from the page's origin.
function kept(page, token) {
	return page.evaluate(async ([name, tok]) => {
		const cache = await caches.open(name);
		const view = await cache.match('/api/v1/r/' + tok);
		const ticket = await cache.match('/api/v1/r/' + tok + '/ticket.svg');
		return { view: view ? await view.json() : null, saved_at: view ? view.headers.get('x-majlis-saved-at') : null,
			ticket: Boolean(ticket) };
	}, [CACHE_DATA, token]);
}

// Every URL the worker's caches hold (paths, the token replaced by <token>).
function cachedPaths(page, token) {
	return page.evaluate(async (tok) => {
		const out = [];
		for (const name of await caches.keys()) {
			const cache = await caches.open(name);
			for (const req of await cache.keys()) out.push(name + ' ' + new URL(req.url).pathname.replace(tok, '<token>'));
		}
		return out.sort();
	}, token);
}

function ticketLoaded(page) {
	return page.waitForFunction(() => {
		const img = document.getElementById('ticket-img');
		return img && !document.getElementById('ticket').hidden && img.complete && img.naturalWidth > 0;
	});
}

// One participant at size in lang: open, confirm, ticket; offline and reload; online again.
async function offlinePath(name, lang, size, token, words) {
	const { ctx, dir } = await newContext(lang === 'ar' ? 'ar' : 'fr-FR');
	const offline = { now: false };
	const d = {};
	try {
		const page = await ctx.newPage();
		watch(page, offline);
		await page.setViewportSize(size);
		await page.goto(base + '/r/' + token + '?lang=' + lang, { waitUntil: 'load' });
		await page.waitForSelector('#status[data-status="confirmed"]');
		// the worker takes the page over (first visit) and keeps the link
		await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller);
		await page.click('#actions button.primary');
		await page.waitForSelector('#status[data-attendance="confirmed"]');
		await ticketLoaded(page);
		await shot(page, name + '-1-confirmed');
		// the confirmed registration and the ticket are kept (what a reload offline will show)
		await page.waitForFunction(async ([cacheName, tok]) => {
			const cache = await caches.open(cacheName);
			const v = await cache.match('/api/v1/r/' + tok);
			return v && (await v.json()).attendance_confirmed_at && (await cache.match('/api/v1/r/' + tok + '/ticket.svg'));
		}, [CACHE_DATA, token]);
		d.online_line_hidden = await page.isHidden('#offline');

		// the manifest: linked, allowed by the CSP, opening on this very page once installed
		const cdp = await ctx.newCDPSession(page);
		const man = await cdp.send('Page.getAppManifest');
		let parsed = null;
		try {
			parsed = JSON.parse(man.data || 'null');
		} catch (e) {
			parsed = null;
		}
		d.manifest = { url: (man.url || '').replace(token, '<token>'), errors: man.errors,
			start_url: parsed && parsed.start_url && parsed.start_url.replace(token, '<token>'),
			scope: parsed && parsed.scope, name: parsed && parsed.name };
		check(name + '_manifest', man.url.endsWith('/r/' + token + '/manifest.webmanifest') && !man.errors.length &&
			parsed && parsed.start_url === '/r/' + token && parsed.scope === '/r/' && parsed.name === 'Majlis',
		d.manifest);

		// offline: reload, and the page is still there with the ticket, the status and since when
		offline.now = true;
		await ctx.setOffline(true);
		await page.reload({ waitUntil: 'load' });
		await page.waitForSelector('#status[data-status]');
		await page.waitForSelector('#offline:not([hidden])');
		await ticketLoaded(page);
		d.offline = await page.evaluate(() => ({
			line: document.getElementById('offline').textContent,
			status: document.getElementById('status').getAttribute('data-status'),
			attendance: document.getElementById('status').getAttribute('data-attendance'),
			status_text: document.getElementById('status').textContent,
			detail: document.getElementById('detail').textContent,
			title: document.getElementById('title').textContent,
			ticket_name: document.getElementById('ticket-name').textContent,
			actions_enabled: Array.from(document.querySelectorAll('#actions button')).filter((b) => b.getAttribute('aria-disabled') !== 'true').length,
			on_line: navigator.onLine,
			to_ticket: Boolean(document.querySelector('#offline a[href="#ticket"]')),
		}));
		await shot(page, name + '-2-offline');
		const found = await axe(page, name + ' offline');
		// the line's link goes down to the ticket
		await page.click('#offline a[href="#ticket"]');
		await page.waitForFunction(() => {
			const r = document.getElementById('ticket-img').getBoundingClientRect();
			return r.top >= 0 && r.bottom <= innerHeight + 1;
		});
		await shot(page, name + '-3-offline-ticket', { fullPage: false });
		// the same offline page at the other width (a phone's, a desktop's)
		const other = size.width > 600 ? { width: 360, height: 740 } : { width: 1280, height: 900 };
		await page.setViewportSize(other);
		await shot(page, name + '-2-offline-at-' + other.width);
		found.push(...await axe(page, name + ' offline at ' + other.width));
		await page.setViewportSize(size);
		check(name + '_offline', d.offline.status === 'confirmed' && d.offline.attendance === 'confirmed' &&
			words.line.test(d.offline.line) && /\d\d\/\d\d \d\d:\d\d/.test(d.offline.line) &&
			words.status.test(d.offline.status_text) && d.offline.title.trim() && d.offline.actions_enabled === 0 &&
			d.offline.to_ticket && !found.length, { ...d.offline, axe: found });

		// an event page (outside the worker's scope) is not served by it: offline, it does not open
		const ev = await ctx.newPage();
		let evOpened = true;
		try {
			const r = await ev.goto(base + '/e/1', { waitUntil: 'load', timeout: 5000 });
			evOpened = Boolean(r && r.ok());
		} catch (e) {
			evOpened = false;
		}
		await ev.close();
		d.event_page_offline = evOpened;

		// back online: fresh data, the line goes
		await ctx.setOffline(false);
		offline.now = false;
		await page.waitForSelector('#offline', { state: 'hidden', timeout: 15000 });
		await ticketLoaded(page);
		d.back = { actions_enabled: await page.locator('#actions button:not([aria-disabled="true"])').count() };
		await shot(page, name + '-4-online');
		check(name + '_back_online', d.back.actions_enabled > 0, d.back);

		// the event page is left alone by the worker
		const e = await ctx.newPage();
		watch(e, offline);
		await e.goto(base + '/e/1?lang=' + lang, { waitUntil: 'load' });
		d.event_controlled = await e.evaluate(() => Boolean(navigator.serviceWorker.controller));
		await e.goto(base + '/?lang=' + lang, { waitUntil: 'load' });
		d.programme_controlled = await e.evaluate(() => Boolean(navigator.serviceWorker.controller));
		await e.close();
		check(name + '_other_pages_left_alone', !d.event_controlled && !d.programme_controlled && !d.event_page_offline,
			{ event_controlled: d.event_controlled, programme_controlled: d.programme_controlled,
				event_page_offline: d.event_page_offline });

		// it keeps the shell and this link, nothing else, even after the page read other API answers
		await page.evaluate(() => fetch('/api/v1/events?limit=1', { credentials: 'omit' }).then((r) => r.text()));
		d.cached = await cachedPaths(page, token);
		const allowed = /^majlis-r-(shell-v1 \/(r\.html|style\.css|common\.js|i18n\.js|api\.js|live\.js|lost\.js|r\.js|icon\.svg|i18n\/(fr|ar|en)\.json)|data-v1 \/api\/v1\/r\/<token>(\/ticket\.svg)?)$/;
		check(name + '_keeps_only_its_own', d.cached.length && d.cached.every((p) => allowed.test(p)) &&
			d.cached.includes('majlis-r-data-v1 /api/v1/r/<token>'), d.cached);
		await page.close();
	} finally {
		await ctx.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
	return d;
}

// A weak signal: the device says it is online but the server does not answer (majlisd stopped with
// SIGSTOP: its connections hang, as on one bar at the door). A reload still shows the page, from the kept
// copy after the worker's wait, saying the connection is not answering; once the server answers again
// (SIGCONT), the page asks again by itself and the line goes.
async function weakSignal() {
	const pid = Number(process.env.MAJLIS_E2E_PID || 0);
	if (!pid) throw new Error("MAJLIS_E2E_PID (majlisd's pid) is not set");
	const { ctx, dir } = await newContext('fr-FR');
	const offline = { now: false };
	let stopped = false;
	try {
		const page = await ctx.newPage();
		watch(page, offline);
		await page.setViewportSize({ width: 360, height: 740 });
		await page.goto(base + '/r/' + tokenFr + '?lang=fr', { waitUntil: 'load' });
		await page.waitForSelector('#status[data-status="confirmed"]');
		await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller);
		await page.waitForFunction(async ([name, tok]) => {
			const cache = await caches.open(name);
			return Boolean(await cache.match('/api/v1/r/' + tok)) &&
				Boolean(await cache.match('/api/v1/r/' + tok + '/ticket.svg'));
		}, [CACHE_DATA, tokenFr]);
		process.kill(pid, 'SIGSTOP');
		stopped = true;
		offline.now = true; // the live socket's failures are expected while the server hangs
		const t0 = Date.now();
		await page.reload({ waitUntil: 'load', timeout: 30000 });
		const reloaded = Date.now() - t0;
		await page.waitForSelector('#offline:not([hidden])', { timeout: 30000 });
		const lineShown = Date.now() - t0;
		await ticketLoaded(page);
		const d = { reloaded_ms: reloaded, line_ms: lineShown, shown_after_ms: Date.now() - t0, line: await page.textContent('#offline'),
			status: await page.getAttribute('#status', 'data-status'),
			on_line: await page.evaluate(() => navigator.onLine) };
		await shot(page, 'fr-360-weak-signal');
		process.kill(pid, 'SIGCONT');
		stopped = false;
		await page.waitForSelector('#offline', { state: 'hidden', timeout: 30000 });
		offline.now = false;
		d.back_after_ms = Date.now() - t0;
		check('weak_signal', d.on_line && /la connexion ne répond pas/.test(d.line) && d.status === 'confirmed', d);
	} finally {
		if (stopped) process.kill(pid, 'SIGCONT');
		await ctx.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

try {
	await step('ar_360', async () => {
		const d = await offlinePath('ar-360', 'ar', { width: 360, height: 740 }, tokenAr,
			{ line: /آخر تحديث.*غير متصل/, status: /[\u0600-\u06FF]/ });
		check('ar_360', true, { offline_line: d.offline && d.offline.line });
	});
	await step('fr_1280', async () => {
		const d = await offlinePath('fr-1280', 'fr', { width: 1280, height: 900 }, tokenFr,
			{ line: /Dernière mise à jour.*hors ligne/, status: /Inscription confirmée/ });
		check('fr_1280', true, { offline_line: d.offline && d.offline.line });
	});
	await step('weak_signal', weakSignal);

	// A cancelled registration keeps no ticket; a link the server no longer knows (the person erased) is
	// forgotten: online, the page says the link is not valid and the worker drops its copy; offline
	// afterwards, nothing of it is shown.
	await step('forgets_unknown_link', async () => {
		const { ctx, dir } = await newContext('fr-FR');
		const offline = { now: false };
		try {
			const page = await ctx.newPage();
			watch(page, offline);
			await page.setViewportSize({ width: 360, height: 740 });
			await page.goto(base + '/r/' + tokenGone + '?lang=fr', { waitUntil: 'load' });
			await page.waitForSelector('#status[data-status]');
			await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller);
			await page.waitForFunction(async ([name, tok]) => Boolean(await (await caches.open(name))
				.match('/api/v1/r/' + tok)), [CACHE_DATA, tokenGone]);
			const before = await kept(page, tokenGone);
			// cancelled: the kept registration says so, and no ticket is kept any more
			await page.click('#actions button.danger-outline');
			await page.click('#ask-yes');
			await page.waitForSelector('#status[data-status="cancelled"]');
			await page.waitForFunction(async ([name, tok]) => {
				const v = await (await caches.open(name)).match('/api/v1/r/' + tok);
				return v && (await v.json()).status === 'cancelled';
			}, [CACHE_DATA, tokenGone]);
			const cancelled = await kept(page, tokenGone);
			const call = async (method, p, body) => {
				const r = await fetch(base + p, { method, headers: { 'Content-Type': 'application/json',
					Authorization: 'Bearer ' + admin }, body: body ? JSON.stringify(body) : undefined });
				if (!r.ok) throw new Error(method + ' ' + p + ': ' + r.status + ' ' + (await r.text()));
				return r.json();
			};
			const view = await (await fetch(base + '/api/v1/r/' + tokenGone)).json();
			const regs = (await call('GET', '/api/v1/events/' + view.event_id + '/registrations?limit=200')).items;
			const who = regs.find((x) => x.id === view.id);
			await call('POST', '/api/v1/people/' + who.person_id + '/erase', {});
			// the page's own 404 (the API's answer to an erased link) is expected here
			const errorsBefore = consoleErrors.length;
			await page.reload({ waitUntil: 'load' });
			await page.waitForFunction(() => document.getElementById('title').textContent.includes('valide'));
			consoleErrors.splice(errorsBefore);
			const after = await kept(page, tokenGone);
			offline.now = true;
			await ctx.setOffline(true);
			await page.reload({ waitUntil: 'load' });
			await page.waitForFunction(() => document.getElementById('title').textContent.includes('connexion'));
			const shown = await page.evaluate(() => ({ title: document.getElementById('title').textContent,
				help: document.getElementById('hello').textContent, state_hidden: document.getElementById('state').hidden,
				ticket_hidden: document.getElementById('ticket').hidden }));
			await shot(page, 'fr-360-forgotten-offline');
			const found = await axe(page, 'forgotten offline');
			await ctx.setOffline(false);
			offline.now = false;
			check('forgets_unknown_link', before.view && before.ticket && cancelled.view.status === 'cancelled' &&
				!cancelled.ticket && !after.view && !after.ticket && shown.state_hidden && shown.ticket_hidden &&
				!found.length,
			{ before: { view: Boolean(before.view), ticket: before.ticket },
				cancelled: { status: cancelled.view.status, ticket: cancelled.ticket }, after, shown, axe: found });
		} finally {
			await ctx.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
} catch (e) {
	check('spec', false, String(e && e.stack ? e.stack : e));
}

check('axe', axeFindings.every((f) => !f.violations.length), axeFindings.filter((f) => f.violations.length));
await t.finish(null);
