// officials.spec: drives Debian's chromium (never a downloaded browser) through the officials' and admins'
// screens with playwright-core and prints one JSON line {checks: {name: {ok, detail}}, console_errors,
// screenshots, failed}; exit status 1 when a check failed. Usage:
// node officials.spec.mjs BASE_URL DATA_JSON [SCREENSHOT_DIR]
// DATA_JSON: {secrets: [every participant's name, phone and e-mail], person: a participant's name,
// org, password, viewer, organiser (of org), admin: the accounts' e-mails}. Logs in through the API from the page (the
// session cookie and the CSRF token that api.js keeps), as the login page would.
import fs from 'node:fs';
import { spec } from './lib.mjs';

const [base, dataFile, shotDir] = process.argv.slice(2);
if (!base || !dataFile) {
	process.stderr.write('usage: node officials.spec.mjs BASE_URL DATA_JSON [SCREENSHOT_DIR]\n');
	process.exit(2);
}
const data = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
const t = spec('officials', shotDir);
const { check, step, shot, watch, axeFindings, consoleErrors } = t;
const axe = (page, name) => t.axe(page, name);
// answers expected to fail (a 400 shown beside its field, a revoked feed's 404)
// (the screens ask who is logged in first: before the login, that answer is a 401)
const expected = t.expected;
expected.push('/api/v1/auth/me');

// A logged-in context of email: the page logs in through api.js (cookie + CSRF token in localStorage).
async function loggedIn(browser, email) {
	const ctx = await browser.newContext({ locale: 'fr-FR' });
	const page = await ctx.newPage();
	watch(page);
	await page.goto(base + '/admin/numbers', { waitUntil: 'load' });
	// not logged in: the back office sends to its login page
	await page.waitForURL((u) => u.pathname === '/login');
	await page.evaluate(([e, p]) => window.Majlis.api.login(e, p), [email, data.password]);
	return { ctx, page };
}

// Opens path in lang at width and waits until the screen is drawn (its title is no longer "loading").
async function open(page, pathname, lang, width, ready) {
	await page.setViewportSize({ width, height: width < 600 ? 740 : 900 });
	await page.goto(base + pathname + (pathname.includes('?') ? '&' : '?') + 'lang=' + lang, { waitUntil: 'load' });
	await page.waitForFunction(() => document.getElementById('off-title').textContent !== 'Chargement…' &&
		!document.getElementById('off-status').textContent.match(/Chargement|تحميل|Loading/));
	if (ready) await page.waitForSelector(ready, { state: 'attached' });
}

const browser = await t.launch();
try {
	// ---- a viewer: numbers without names, no organiser or admin action
	const viewer = await loggedIn(browser, data.viewer);
	const seen = []; // every API answer the viewer's pages fetched: {url, body}
	viewer.page.on('response', async (r) => {
		const u = new URL(r.url());
		if (!u.pathname.startsWith('/api/') && !u.pathname.startsWith('/calendar/')) return;
		try {
			seen.push({ url: r.url(), body: await r.text() });
		} catch (e) {
			seen.push({ url: r.url(), body: '' });
		}
	});
	const doms = [];
	const dom = async (page, where) => doms.push({ where, html: await page.content(), text: await page.evaluate(() => document.body.innerText) });

	await step('viewer_numbers', async () => {
		const page = viewer.page;
		await open(page, '/admin/numbers', 'fr', 1280, '#numbers-table');
		const api = await page.evaluate(() => window.Majlis.api.get('/api/v1/stats?limit=50', { noStore: true }));
		const shown = await page.evaluate(() => {
			const cells = (sel) => Array.from(document.querySelectorAll(sel)).map((n) => n.textContent.replace(/\s/g, ''));
			const totals = document.querySelector('.totals-table tbody tr');
			return {
				headers: Array.from(document.querySelectorAll('.totals-table thead th .long')).map((n) => n.textContent),
				registered: totals ? Array.from(totals.querySelectorAll('td')).map((n) => n.textContent.replace(/\s/g, '')) : [],
				women: cells('#numbers-table td.m-registered.s-female'),
				men: cells('#numbers-table td.m-present.s-male'),
				rows: document.querySelectorAll('#numbers-table tbody tr').length,
				rates: cells('#numbers-table .rates .rate').slice(0, 3),
			};
		});
		const r = api.registered;
		const want = [r.total, r.female, r.male, r.unspecified].map((n) => String(n));
		check('viewer_numbers', shown.headers.includes('Femmes') && shown.headers.includes('Hommes') &&
			JSON.stringify(shown.registered) === JSON.stringify(want) && shown.rows === api.items.length &&
			shown.women[0] === String(api.items[0].registered.female) && shown.men[0] === String(api.items[0].present.male) &&
			shown.rates.some((x) => x.includes('%')), { shown, want });
		await shot(page, 'numbers-fr-1280');
		await dom(page, 'numbers fr');
	});

	await step('numbers_filters', async () => {
		const page = viewer.page;
		await page.selectOption('#n-type', 'training');
		await page.waitForFunction(() => new URLSearchParams(location.search).get('type') === 'training');
		await page.waitForFunction(() => !document.getElementById('off-status').textContent);
		const api = await page.evaluate(() => window.Majlis.api.get('/api/v1/stats?type=training&limit=50', { noStore: true }));
		const rows = await page.locator('#numbers-table tbody tr').count();
		const kpi = await page.locator('.kpi-value').first().textContent();
		await page.reload({ waitUntil: 'load' });
		await page.waitForSelector('#numbers-table');
		const kept = await page.inputValue('#n-type');
		check('numbers_filters', rows === api.items.length && kpi.replace(/\s/g, '') === String(api.events) && kept === 'training',
			{ rows, api: api.items.length, kpi, events: api.events, kept });
		await page.selectOption('#n-type', '');
		await page.waitForFunction(() => !new URLSearchParams(location.search).get('type'));
	});

	const pages = [
		['numbers', '/admin/numbers', '#numbers-table'],
		['calendars', '/admin/calendars', '.qr-img[src^="data:"]'],
	];
	await step('viewer_no_admin_actions', async () => {
		const page = viewer.page;
		const out = {};
		await open(page, '/admin/calendars', 'fr', 1280, '.qr-img[src^="data:"]');
		out.menu = await page.$$eval('#nav-list a', (as) => as.map((a) => a.getAttribute('data-screen')));
		out.forms = await page.locator('#cal-form, [data-action]').count();
		await dom(page, 'calendars fr');
		for (const p of ['/admin/accounts', '/admin/organisations']) {
			await open(page, p, 'fr', 1280);
			out[p] = { title: await page.textContent('#off-title'), forms: await page.locator('main form, main table').count() };
			await dom(page, p);
		}
		check('viewer_no_admin_actions', out.menu.join() === 'calendar,numbers,calendars' &&
			out.forms === 0 && out['/admin/accounts'].title === 'Page introuvable' && out['/admin/accounts'].forms === 0 &&
			out['/admin/organisations'].forms === 0, out);
	});

	await step('viewer_calendars', async () => {
		const page = viewer.page;
		await open(page, '/admin/calendars', 'fr', 1280, '.qr-img[src^="data:"]');
		await page.selectOption('#cal-city', { index: 1 });
		await page.selectOption('#cal-lang', 'ar');
		const url = await page.inputValue('input.url.https');
		const webcal = await page.inputValue('input.url.webcal');
		await page.waitForFunction((w) => document.querySelector('.qr-img') && document.querySelector('.qr-img').src.startsWith('data:') &&
			document.querySelector('.qr-img').naturalWidth > 0, webcal);
		const feed = await page.evaluate(async (u) => {
			const r = await fetch(u);
			return { status: r.status, type: r.headers.get('content-type'), body: (await r.text()).slice(0, 15) };
		}, url);
		await page.click('.url-row .copy');
		await page.waitForFunction(() => document.querySelector('.copy-note').textContent.length > 0);
		const note = await page.textContent('.copy-note');
		const howto = await page.locator('.howto dt').allTextContents();
		check('viewer_calendars', /city=/.test(url) && /lang=ar/.test(url) && webcal.startsWith('webcal://') && feed.status === 200 &&
			feed.body.startsWith('BEGIN:VCALENDAR') && note.length > 0 && howto.length === 4, { url, webcal, feed, note, howto });
	});

	// every screen of the viewer in three languages: axe, and the DOM kept for the personal-data check
	await step('viewer_languages', async () => {
		const page = viewer.page;
		for (const [name, p, ready] of pages) {
			for (const lang of ['fr', 'ar', 'en']) {
				for (const width of [360, 1280]) {
					await open(page, p, lang, width, ready);
					if (width === 360 || lang === 'fr') await axe(page, 'viewer ' + name + ' ' + lang + ' ' + width);
					if (lang === 'ar' && width === 360) await shot(page, name + '-ar-360');
					if (lang === 'fr' && width === 1280) await shot(page, name + '-viewer-fr-1280');
					await dom(page, name + ' ' + lang + ' ' + width);
				}
			}
			const dir = await page.getAttribute('html', 'dir');
			if (dir !== 'ltr') throw new Error('dir after en: ' + dir);
		}
		await open(page, '/admin/numbers', 'ar', 360, '#numbers-table');
		const rtl = await page.evaluate(() => ({ dir: document.documentElement.dir,
			digits: /[0-9]/.test(document.querySelector('.kpi-value').textContent) }));
		if (rtl.dir !== 'rtl' || !rtl.digits) throw new Error(JSON.stringify(rtl));
		check('viewer_languages', true);
	});

	await step('no_personal_data', async () => {
		const hits = [];
		for (const s of data.secrets) {
			for (const a of seen) if (a.body.includes(s)) hits.push({ secret: s, url: a.url });
			for (const d of doms) if (d.html.includes(s) || d.text.includes(s)) hits.push({ secret: s, page: d.where });
		}
		const urls = Array.from(new Set(seen.map((a) => new URL(a.url).pathname)));
		check('no_personal_data', !hits.length && seen.length > 10 && doms.length > 10 && data.secrets.length > 20,
			{ hits: hits.slice(0, 10), answers: seen.length, pages: doms.length, secrets: data.secrets.length, urls });
	});
	await viewer.ctx.close();

	// ---- an organiser: numbers and the feeds of its own organisation, no admin screen
	await step('organiser_screens', async () => {
		const o = await loggedIn(browser, data.organiser);
		const page = o.page;
		await open(page, '/admin/numbers', 'fr', 1280, '#numbers-table');
		const menu = await page.$$eval('#nav-list a', (as) => as.map((a) => a.getAttribute('data-screen')));
		await open(page, '/admin/calendars', 'fr', 1280, '#cal-form');
		const orgs = await page.locator('#cal-org option').evaluateAll((os) => os.map((x) => x.value));
		await open(page, '/admin/accounts', 'fr', 1280);
		const accounts = { title: await page.textContent('#off-title'), forms: await page.locator('main form, main table').count() };
		check('organiser_screens', orgs.length === 1 && orgs[0] === String(data.org) && menu.includes('numbers') &&
			menu.includes('calendars') && !menu.includes('accounts') && accounts.forms === 0, { menu, orgs, accounts });
		await o.ctx.close();
	});

	// ---- an admin: personal feed, accounts, organisations
	const admin = await loggedIn(browser, data.admin);
	await step('personal_feed', async () => {
		const page = admin.page;
		const out = {};
		await open(page, '/admin/calendars', 'fr', 1280, '#cal-form');
		await page.selectOption('#cal-kind', 'person');
		await page.fill('#cal-person', data.person.split(' ')[1]);
		await page.locator('#cal-people .pick', { hasText: data.person }).first().click();
		await page.fill('#cal-label', 'Agenda de test');
		await page.click('#cal-form button[type=submit]');
		await page.waitForSelector('#cal-new .qr-img[src^="data:"]');
		await page.waitForFunction(() => document.querySelector('#cal-new .qr-img').naturalWidth > 0);
		const first = await page.inputValue('#cal-new input.url.https');
		const feed = (u) => page.evaluate(async (x) => (await fetch(x)).status, u);
		out.created = await feed(first);
		await shot(page, 'calendars-admin-fr-1280');
		await axe(page, 'admin calendars fr 1280');
		const item = page.locator('#cal-tokens li', { hasText: 'Agenda de test' });
		expected.push(new URL(first).pathname);
		await item.locator('[data-action=rotate]').click();
		await page.waitForFunction((old) => document.querySelector('#cal-new input.url.https') &&
			document.querySelector('#cal-new input.url.https').value !== old, first);
		const second = await page.inputValue('#cal-new input.url.https');
		await page.waitForFunction(() => document.querySelector('#cal-new .qr-img').naturalWidth > 0);
		out.old_after_rotate = await feed(first);
		out.new_after_rotate = await feed(second);
		expected.push(new URL(second).pathname);
		await page.locator('#cal-tokens li', { hasText: 'Agenda de test' }).locator('[data-action=revoke]').click();
		await page.waitForFunction(() => !document.querySelector('#cal-new'));
		out.after_revoke = await feed(second);
		out.listed = await page.locator('#cal-tokens li', { hasText: 'Agenda de test' }).count();
		check('personal_feed', out.created === 200 && out.old_after_rotate === 404 && out.new_after_rotate === 200 &&
			out.after_revoke === 404 && out.listed === 0, out);
		for (const lang of ['ar', 'en']) {
			await open(page, '/admin/calendars', lang, 360, '#cal-form');
			await axe(page, 'admin calendars ' + lang + ' 360');
			if (lang === 'ar') await shot(page, 'calendars-admin-ar-360');
		}
	});

	await step('account_errors', async () => {
		const page = admin.page;
		await open(page, '/admin/accounts', 'fr', 1280, '#acc-form');
		expected.push('/api/v1/accounts');
		await page.fill('#acc-email', data.viewer);
		await page.fill('#acc-name', 'Porte E2E');
		await page.fill('#acc-password', 'court');
		await page.selectOption('#acc-role', 'checkin');
		await page.selectOption('#acc-org', String(data.org));
		await page.click('#acc-form button[type=submit]');
		await page.waitForSelector('#acc-password-err:not([hidden])');
		const pw = { text: await page.textContent('#acc-password-err'), invalid: await page.getAttribute('#acc-password', 'aria-invalid') };
		await page.fill('#acc-password', data.password);
		await page.click('#acc-form button[type=submit]');
		await page.waitForSelector('#acc-email-err:not([hidden])');
		const mail = await page.textContent('#acc-email-err');
		await shot(page, 'accounts-errors-fr-1280');
		await axe(page, 'accounts errors fr 1280');
		check('account_errors', pw.invalid === 'true' && pw.text.length > 0 && /déjà/.test(mail), { pw, mail });
	});

	await step('account_created', async () => {
		const page = admin.page;
		await page.fill('#acc-email', 'porte.e2e@example.org');
		await page.fill('#acc-password', data.password);
		await page.waitForSelector('#acc-events option');
		await page.selectOption('#acc-events', { index: 0 });
		await page.click('#acc-form button[type=submit]');
		await page.waitForSelector('#accounts-table tr[data-account="porte.e2e@example.org"]');
		const row = await page.textContent('#accounts-table tr[data-account="porte.e2e@example.org"]');
		const done = await page.textContent('#acc-done');
		check('account_created', /accueil/.test(row) && /actif/.test(row) && done.includes('porte.e2e@example.org'), { row, done });
	});

	await step('account_disabled', async () => {
		const page = admin.page;
		const row = page.locator('#accounts-table tr[data-account="porte.e2e@example.org"]');
		await row.locator('[data-action=disable]').click();
		await page.waitForSelector('#accounts-table tr[data-account="porte.e2e@example.org"] [data-action=enable]');
		const text = await page.textContent('#accounts-table tr[data-account="porte.e2e@example.org"]');
		expected.push('/api/v1/auth/login');
		const login = await page.evaluate(async (p) => {
			const r = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ email: 'porte.e2e@example.org', password: p }), credentials: 'omit' });
			return r.status;
		}, data.password);
		check('account_disabled', /désactivé/.test(text) && login === 401, { text, login });
		for (const lang of ['ar', 'en', 'fr']) {
			await open(page, '/admin/accounts', lang, lang === 'fr' ? 1280 : 360, '#accounts-table');
			await axe(page, 'accounts ' + lang);
			if (lang === 'ar') await shot(page, 'accounts-ar-360');
			if (lang === 'fr') await shot(page, 'accounts-fr-1280');
		}
	});

	await step('organisation_created', async () => {
		const page = admin.page;
		await open(page, '/admin/organisations', 'fr', 1280, '#org-form');
		expected.push('/api/v1/organisations');
		const name = (await page.locator('#orgs-table tbody th').first().textContent()).trim();
		await page.fill('#org-name', name);
		await page.click('#org-form button[type=submit]');
		await page.waitForSelector('#org-name-err:not([hidden])');
		const dup = await page.textContent('#org-name-err');
		await page.fill('#org-name', 'Association Essai E2E');
		await page.selectOption('#org-kind', 'ngo');
		await page.fill('#org-city', 'Oujda');
		await page.click('#org-form button[type=submit]');
		await page.waitForSelector('#orgs-table th:has-text("Association Essai E2E")');
		await shot(page, 'organisations-fr-1280');
		check('organisation_created', /déjà/.test(dup), { dup });
		for (const lang of ['ar', 'en', 'fr']) {
			await open(page, '/admin/organisations', lang, 360, '#orgs-table');
			await axe(page, 'organisations ' + lang);
			if (lang === 'ar') await shot(page, 'organisations-ar-360');
		}
		await open(page, '/admin/numbers', 'ar', 360, '#numbers-table');
		await axe(page, 'admin numbers ar 360');
	});
	await admin.ctx.close();

	check('axe_every_page', axeFindings.length >= 19, { runs: axeFindings.length });
	check('axe', axeFindings.length > 0 && axeFindings.every((f) => f.violations.length === 0),
		axeFindings.filter((f) => f.violations.length));
	check('no_console_errors', consoleErrors.length === 0, consoleErrors.slice(0, 10));
} catch (e) {
	check('run', false, String(e && e.stack ? e.stack : e));
}
await t.finish(browser);
