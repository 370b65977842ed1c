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
		const lang = await page.getAttribute('html', 'lang');
		const note = await page.textContent('main .note');
		check('index_lists_events', n > 0 && title.trim() && when.trim() && note.includes('heure du Maroc') &&
			lang === 'fr', { events: n, title, when, note, lang });
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

const failed = Object.entries(checks).filter(([, v]) => !v.ok).map(([k]) => k);
process.stdout.write(JSON.stringify({ checks, console_errors: consoleErrors, screenshots, failed }) + '\n');
process.exit(failed.length ? 1 : 0);
