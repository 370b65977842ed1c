// web.spec: drives Debian's chromium (never a downloaded browser) through majlisd's pages with
// playwright-core and prints one JSON line {checks: {name: {ok, detail}}, console_errors: [...],
// screenshots: [...]}; exit status 1 when a check failed. Usage: node web.spec.mjs BASE_URL TOKEN
// where TOKEN is the secret of a confirmed registration whose attendance is not yet confirmed.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [base, token] = process.argv.slice(2);
if (!base || !token) {
	process.stderr.write('usage: node web.spec.mjs BASE_URL TOKEN\n');
	process.exit(2);
}
const host = new URL(base).host;
const checks = {};
const consoleErrors = [];
const screenshots = [];
const BAD_TOKEN = 'A'.repeat(43);

function check(name, ok, detail) {
	checks[name] = { ok: Boolean(ok), detail: detail === undefined ? null : detail };
}

async function step(name, fn) {
	try {
		await fn();
	} catch (e) {
		check(name, false, String(e && e.stack ? e.stack : e));
	}
}

function watch(page) {
	page.on('console', (msg) => {
		if (msg.type() !== 'error') return;
		const where = (msg.location() && msg.location().url) || '';
		// the invalid-link page asks the API about a token that does not exist: its 404 is expected
		if (where.includes('/api/v1/r/' + BAD_TOKEN)) return;
		consoleErrors.push({ text: msg.text(), url: where, page: page.url() });
	});
	page.on('pageerror', (err) => consoleErrors.push({ text: 'pageerror: ' + err.message, page: page.url() }));
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'majlis-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
	executablePath: '/usr/bin/chromium',
	headless: true,
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	viewport: { width: 390, height: 844 },
	locale: 'fr-FR',
});
context.setDefaultTimeout(15000);

try {
	const page = await context.newPage();
	watch(page);

	await step('index_lists_events', async () => {
		await page.goto(base + '/', { waitUntil: 'load' });
		await page.waitForSelector('#events li.event');
		const n = await page.locator('#events li.event').count();
		const title = await page.locator('#events li.event h3').first().textContent();
		const when = await page.locator('#events li.event .sessions time').first().textContent();
		const zone = await page.locator('#events li.event .sessions .zone').first().textContent();
		const lang = await page.getAttribute('html', 'lang');
		check('index_lists_events', n > 0 && title.trim() && /UTC[+-]\d\d:\d\d/.test(zone) && lang === 'fr',
			{ events: n, title, when, zone, lang });
	});
	await step('screenshot_fr', async () => {
		const file = '/tmp/majlis-web-index-fr.png';
		await page.screenshot({ path: file, fullPage: true });
		screenshots.push(file);
		check('screenshot_fr', true, file);
	});

	await step('subscribe_links', async () => {
		const city = await page.locator('#f-city option').nth(1).getAttribute('value');
		await page.selectOption('#f-city', city);
		await page.selectOption('#f-type', 'training');
		await page.waitForFunction(() => !document.getElementById('status').textContent.includes('…'));
		const web = await page.getAttribute('#sub-https', 'href');
		const webcal = await page.getAttribute('#sub-webcal', 'href');
		const u = new URL(web);
		const w = new URL(webcal.replace(/^webcal:/, 'http:'));
		const ok = /^https?:$/.test(u.protocol) && u.protocol === new URL(base).protocol &&
			webcal.startsWith('webcal://' + host + '/calendar/public.ics?') &&
			u.host === host && u.pathname === '/calendar/public.ics' && w.pathname === '/calendar/public.ics' &&
			u.searchParams.get('city') === city && u.searchParams.get('type') === 'training' &&
			u.searchParams.get('lang') === 'fr' && w.search === u.search;
		// the page's own URL keeps the filters
		const own = new URL(page.url());
		check('subscribe_links', ok && own.searchParams.get('city') === city, { web, webcal, city, page: page.url() });
		// the feed behind the link answers
		const r = await page.request.get(web);
		check('subscribe_feed_answers', r.status() === 200 &&
			(r.headers()['content-type'] || '').startsWith('text/calendar'), { status: r.status() });
		await page.selectOption('#f-city', '');
		await page.selectOption('#f-type', '');
		await page.waitForSelector('#events li.event');
	});

	await step('add_to_calendar', async () => {
		const href = await page.locator('#events a.add').first().getAttribute('href');
		const label = await page.locator('#events a.add').first().textContent();
		const r = await page.request.get(href);
		const body = await r.text();
		check('add_to_calendar', /^https?:\/\//.test(href) && new URL(href).pathname.match(/^\/calendar\/events\/\d+\.ics$/) &&
			r.status() === 200 && (r.headers()['content-type'] || '').startsWith('text/calendar') &&
			body.startsWith('BEGIN:VCALENDAR') && label.includes('Ajouter à mon agenda'),
		{ href, label, status: r.status(), type: r.headers()['content-type'] });
	});

	await step('arabic_rtl', async () => {
		await page.click('#langs button[lang="ar"]');
		await page.waitForFunction(() => document.documentElement.dir === 'rtl');
		const dir = await page.getAttribute('html', 'dir');
		const lang = await page.getAttribute('html', 'lang');
		const h1 = await page.textContent('h1');
		const web = await page.getAttribute('#sub-https', 'href');
		const pressed = await page.getAttribute('#langs button[lang="ar"]', 'aria-pressed');
		check('arabic_rtl', dir === 'rtl' && lang === 'ar' && /[\u0600-\u06FF]/.test(h1) &&
			new URL(web).searchParams.get('lang') === 'ar' && pressed === 'true', { dir, lang, h1, web });
		await page.setViewportSize({ width: 1100, height: 900 });
		const file = '/tmp/majlis-web-index-ar.png';
		await page.screenshot({ path: file, fullPage: true });
		screenshots.push(file);
		await page.click('#langs button[lang="en"]');
		await page.waitForFunction(() => document.documentElement.dir === 'ltr');
		check('english_ltr', (await page.getAttribute('html', 'lang')) === 'en', null);
	});

	const r = await context.newPage();
	watch(r);
	await step('personal_page', async () => {
		await r.goto(base + '/r/' + token + '?lang=fr', { waitUntil: 'load' });
		await r.waitForSelector('#status[data-status]');
		const status = await r.getAttribute('#status', 'data-status');
		const text = await r.textContent('#status');
		const title = await r.textContent('#title');
		const sessions = await r.locator('#sessions li').count();
		check('personal_page', status === 'confirmed' && text.includes('Inscription confirmée') && title.trim() &&
			sessions > 0, { status, text, title, sessions });
		const file = '/tmp/majlis-web-r-fr.png';
		await r.screenshot({ path: file, fullPage: true });
		screenshots.push(file);
	});
	await step('cancel_asks_first', async () => {
		await r.click('#actions button.danger-outline');
		await r.waitForSelector('#ask:not([hidden])');
		const asked = await r.isVisible('#ask-yes');
		await r.click('#ask-no');
		await r.waitForSelector('#ask', { state: 'hidden' });
		check('cancel_asks_first', asked && (await r.getAttribute('#status', 'data-status')) === 'confirmed', null);
	});
	await step('confirm_works', async () => {
		await r.click('#actions button.primary');
		await r.waitForSelector('#status[data-attendance="confirmed"]');
		const status = await r.getAttribute('#status', 'data-status');
		const detail = await r.textContent('#detail');
		const buttons = await r.locator('#actions button.primary').count();
		check('confirm_works', status === 'confirmed' && detail.includes('Présence confirmée') && buttons === 0,
			{ status, detail });
		const file = '/tmp/majlis-web-r-confirmed.png';
		await r.screenshot({ path: file, fullPage: true });
		screenshots.push(file);
	});
	await step('ticket_shown', async () => {
		await r.waitForFunction(() => {
			const img = document.getElementById('ticket-img');
			return img && img.complete && img.naturalWidth > 0;
		});
		const visible = await r.isVisible('#ticket-img');
		const src = await r.getAttribute('#ticket-img', 'src');
		check('ticket_shown', visible && /\/ticket\.svg$/.test(src || ''), { visible, src });
	});
	await step('personal_page_arabic', async () => {
		await r.click('#langs button[lang="ar"]');
		await r.waitForFunction(() => document.documentElement.dir === 'rtl');
		check('personal_page_arabic', /[\u0600-\u06FF]/.test(await r.textContent('#status')), null);
	});
	await step('invalid_link', async () => {
		const bad = await context.newPage();
		watch(bad);
		await bad.goto(base + '/r/' + BAD_TOKEN, { waitUntil: 'load' });
		await bad.waitForFunction(() => document.getElementById('title').textContent.includes('valide'));
		check('invalid_link', (await bad.isHidden('#state')), await bad.textContent('#title'));
		await bad.close();
	});
	check('no_console_errors', consoleErrors.length === 0, consoleErrors);
} finally {
	await context.close();
	fs.rmSync(userDataDir, { recursive: true, force: true });
}

// Page weight: the first load of each participant page (a new browser: no cache, no service worker) under
// DevTools' "Slow 3G" profile (2 s latency, 50 000 bytes/s each way). Bytes are what crossed the network
// (compressed bodies and headers, from CDP); the times (the load event, the content shown) are figures to
// read, not checks. All go to /tmp/majlis-web-weight.json beside the screenshots. Only the budget is
// asserted: 60 000 bytes a page.
{
	const BUDGET = 60000;
	const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: 50000, uploadThroughput: 50000 };
	const weightDir = fs.mkdtempSync(path.join(os.tmpdir(), 'majlis-chromium-weight-'));
	const pages = [{ name: 'programme', url: base + '/', ready: '#events li.event' },
		{ name: 'personal', url: base + '/r/' + token, ready: '#status[data-status]' }];
	const report = { profile: { name: 'Slow 3G', ...SLOW_3G }, budget_bytes: BUDGET, pages: [] };
	try {
		// the event page, once majlisd serves one (/e/<id>)
		const events = await (await fetch(base + '/api/v1/events?limit=1')).json();
		const id = events.items && events.items[0] && events.items[0].id;
		const e = id && (await fetch(base + '/e/' + id));
		if (e && e.ok && (e.headers.get('content-type') || '').startsWith('text/html'))
			pages.push({ name: 'event', url: base + '/e/' + id, ready: 'body' }); // then the network idle
	} catch (err) {
		report.event_page_error = String(err);
	}
	for (const p of pages) {
		await step('page_weight_' + p.name, async () => {
			const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(weightDir, p.name)), {
				executablePath: '/usr/bin/chromium',
				headless: true,
				args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
					'--disable-background-networking', '--disable-component-update', '--disable-sync'],
				viewport: { width: 360, height: 740 },
				locale: 'ar',
			});
			try {
				ctx.setDefaultTimeout(90000);
				const page = await ctx.newPage();
				const cdp = await ctx.newCDPSession(page);
				const seen = new Map();
				cdp.on('Network.responseReceived', (ev) => seen.set(ev.requestId, {
					url: ev.response.url.replace(token, '<token>'), status: ev.response.status,
					encoding: ev.response.headers['content-encoding'] || ev.response.headers['Content-Encoding'] || '',
					bytes: 0 }));
				cdp.on('Network.loadingFinished', (ev) => {
					const r = seen.get(ev.requestId) || { url: '?', status: 0, encoding: '' };
					seen.set(ev.requestId, { ...r, bytes: ev.encodedDataLength });
				});
				await cdp.send('Network.enable');
				await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
				await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
				const t0 = Date.now();
				await page.goto(p.url, { waitUntil: 'load' });
				await page.waitForSelector(p.ready);
				const readyMs = Date.now() - t0; // its content shown: the API's answers are in
				await page.waitForLoadState('networkidle');
				const nav = await page.evaluate(() => {
					const n = performance.getEntriesByType('navigation')[0];
					return { dom_content_loaded_ms: Math.round(n.domContentLoadedEventEnd),
						load_ms: Math.round(n.loadEventEnd) };
				});
				const requests = [...seen.values()];
				const bytes = requests.reduce((sum, r) => sum + r.bytes, 0);
				const entry = { name: p.name, url: p.url.replace(token, '<token>'), bytes, ...nav,
					content_shown_ms: readyMs, requests: requests.length, resources: requests };
				report.pages.push(entry);
				check('page_weight_' + p.name, bytes > 0 && bytes <= BUDGET,
					{ bytes, budget: BUDGET, load_ms: nav.load_ms, content_shown_ms: readyMs,
						requests: requests.length });
			} finally {
				await ctx.close();
			}
		});
	}
	fs.rmSync(weightDir, { recursive: true, force: true });
	const file = '/tmp/majlis-web-weight.json';
	fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
	screenshots.push(file);
}

const failed = Object.entries(checks).filter(([, v]) => !v.ok).map(([k]) => k);
process.stdout.write(JSON.stringify({ checks, console_errors: consoleErrors, screenshots, failed }) + '\n');
process.exit(failed.length ? 1 : 0);
