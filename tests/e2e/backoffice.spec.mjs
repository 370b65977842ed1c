// backoffice.spec: drives Debian's chromium through the back office (its login, its one header and menu on
// every page, the shell's screens) with playwright-core and prints
// one JSON line {checks: {name: {ok, detail}}, console_errors: [...], screenshots: [...]}; exit status 1
// when a check failed. Usage:
// node backoffice.spec.mjs BASE_URL ORGANISER_EMAIL VIEWER_EMAIL CHECKIN_EMAIL PASSWORD WARN_DAY PERSON [SCREENSHOT_DIR]
// where the three accounts share PASSWORD, the organiser's organisation has an event with a session on
// WARN_DAY (YYYY-MM-DD) that crosses a clock change, and PERSON is a participant's name no viewer may see.
// axe-core runs on every screen, in French at 1280 px and Arabic at 360 px.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const [base, orgEmail, viewerEmail, checkinEmail, password, warnDay, person, shotDir] = process.argv.slice(2);
if (!base || !orgEmail || !viewerEmail || !checkinEmail || !password || !warnDay || !person) {
	process.stderr.write('usage: node backoffice.spec.mjs BASE_URL ORGANISER_EMAIL VIEWER_EMAIL CHECKIN_EMAIL PASSWORD ' +
		'WARN_DAY PERSON [SCREENSHOT_DIR]\n');
	process.exit(2);
}
const adminToken = process.env.MAJLIS_E2E_ADMIN;
const disabledEmail = process.env.MAJLIS_E2E_DISABLED; // a disabled account with PASSWORD
const orgId = Number(process.env.MAJLIS_E2E_ORG);
if (!adminToken || !orgId || !disabledEmail) {
	process.stderr.write('MAJLIS_E2E_ADMIN (an admin token), MAJLIS_E2E_ORG (the accounts\' organisation) and MAJLIS_E2E_DISABLED (a disabled account) are required\n');
	process.exit(2);
}
const SHOTS = shotDir || os.tmpdir();
fs.mkdirSync(SHOTS, { recursive: true });
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };
const axeFindings = [];
const checks = {};
const consoleErrors = [];
const screenshots = [];

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
		// a wrong password and an ended session answer 401 on purpose, too many failed logins 429: the
		// browser logs each
		const where = (msg.location() && msg.location().url) || '';
		if (/status of 401/.test(msg.text())) return;
		if (/status of 429/.test(msg.text()) && where.endsWith('/api/v1/auth/login')) return;
		consoleErrors.push({ text: msg.text(), url: (msg.location() && msg.location().url) || '', page: page.url() });
	});
	page.on('pageerror', (err) => consoleErrors.push({ text: 'pageerror: ' + err.message, page: page.url() }));
}

async function shot(page, name) {
	const file = path.join(SHOTS, 'majlis-bo-' + name + '.png');
	await page.screenshot({ path: file, fullPage: true });
	screenshots.push(file);
	return file;
}

async function axe(page, name) {
	const found = await page.evaluate(async (src) => {
		if (!window.axe) (0, eval)(src);
		const r = await window.axe.run(document, { resultTypes: ['violations'] });
		return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
	}, AXE);
	axeFindings.push({ page: name, violations: found });
}

// No horizontal scrolling of the page itself.
async function fits(page) {
	return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

// The menu of each role (bo.js's screens, in order), the same on every back-office page.
const ORGANISER_NAV = 'events,calendar,new,venues,people,checkin,numbers,calendars';
const ADMIN_NAV = ORGANISER_NAV + ',accounts,organisations';
const VIEWER_NAV = 'calendar,numbers,calendars';

async function navScreens(page) {
	return page.$$eval('#nav-list a', (as) => as.map((a) => a.getAttribute('data-screen')));
}

// Logs in on the login page already open in page (the form of /login).
async function logIn(page, email, pass) {
	await page.fill('#f-email', email);
	await page.fill('#f-password', pass);
	await page.click('#submit');
}

// Ends page's login session from another browser context (logout with the same cookie and CSRF token);
// returns the logout's status.
async function endSessionElsewhere(page) {
	const cookies = await page.context().cookies();
	const csrf = await page.evaluate(() => localStorage.getItem('majlis.csrf'));
	const other = await browser.newContext();
	await other.addCookies(cookies);
	const op = await other.newPage();
	await op.goto(base + '/icon.svg');
	const status = await op.evaluate(async (token) => (await fetch('/api/v1/auth/logout', {
		method: 'POST', headers: { 'X-CSRF-Token': token }, credentials: 'same-origin' })).status, csrf);
	await other.close();
	if (status !== 204) throw new Error('the other context could not log out: ' + status);
	return status;
}

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	headless: true,
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function newPage(size, lang) {
	const ctx = await browser.newContext({ viewport: size, locale: 'fr-FR' });
	ctx.setDefaultTimeout(15000);
	if (lang) await ctx.addInitScript((l) => {
		if (!localStorage.getItem('majlis.lang')) localStorage.setItem('majlis.lang', l);
	}, lang);
	const page = await ctx.newPage();
	watch(page);
	return page;
}

try {
	const page = await newPage(DESKTOP);

	await step('login_errors_beside_fields', async () => {
		await page.goto(base + '/admin', { waitUntil: 'load' });
		// not logged in: the login page, which comes back to /admin, without an "expired" notice
		await page.waitForURL(/\/login\?/);
		const first = { url: page.url(), expired_shown: await page.isVisible('#expired') };
		await page.click('#submit');
		await page.waitForSelector('#e-email:not(:empty)');
		const empty = { email: await page.textContent('#e-email'), password: await page.textContent('#e-password') };
		await logIn(page, orgEmail, 'not the password at all');
		await page.waitForSelector('#e-password:not(:empty)');
		const wrong = {
			email_error: await page.textContent('#e-email'),
			password_error: await page.textContent('#e-password'),
			invalid: await page.getAttribute('#f-password', 'aria-invalid'),
			focused: await page.evaluate(() => document.activeElement && document.activeElement.id),
			url: page.url(),
		};
		await shot(page, 'fr-1280-login-error');
		await axe(page, 'login fr 1280');
		check('login_errors_beside_fields', /next=%2Fadmin/.test(first.url) && !first.expired_shown &&
			empty.email.trim() && empty.password.trim() && wrong.email_error === '' &&
			/incorrect/.test(wrong.password_error) && wrong.invalid === 'true' && wrong.focused === 'f-password' &&
			/\/login\?/.test(wrong.url), { first, empty, wrong });
	});

	await step('login_throttled_and_disabled', async () => {
		// five failures for one address: the sixth attempt is refused, said beside the e-mail with the wait;
		// a disabled account reads exactly as a wrong password (the API tells them apart to no one)
		const p2 = await newPage(PHONE, 'ar');
		await p2.goto(base + '/login', { waitUntil: 'load' });
		for (let i = 0; i < 6; i++) {
			await p2.evaluate(() => { document.getElementById('e-password').textContent = ''; document.getElementById('e-email').textContent = ''; });
			await logIn(p2, 'personne.inconnue@example.org', 'mauvais mot de passe ' + i);
			await p2.waitForSelector('#e-password:not(:empty), #e-email:not(:empty)');
		}
		const d = { email_error: await p2.textContent('#e-email'), password_error: await p2.textContent('#e-password'),
			dir: await p2.getAttribute('html', 'dir') };
		await shot(p2, 'ar-360-login-throttled');
		await axe(p2, 'login throttled ar 360');
		await logIn(p2, disabledEmail, password);
		await p2.waitForSelector('#e-password:not(:empty)');
		d.disabled_error = await p2.textContent('#e-password');
		d.disabled_url = new URL(p2.url()).pathname;
		await p2.context().close();
		check('login_throttled_and_disabled', d.dir === 'rtl' && /بعد \d+ دقيقة|بعد دقيقة|بعد دقيقتين|دقائق/.test(d.email_error) &&
			d.password_error === '' && d.disabled_error.trim() && d.disabled_url === '/login', d);
	});

	await step('organiser_events', async () => {
		await logIn(page, orgEmail, password);
		await page.waitForURL(base + '/admin');
		await page.waitForSelector('#events-table tbody tr');
		const d = await page.evaluate(() => ({
			rows: document.querySelectorAll('#events-table tbody tr').length,
			titles: Array.from(document.querySelectorAll('#events-table tbody a')).map((a) => a.textContent),
			links: Array.from(document.querySelectorAll('#events-table tbody a')).map((a) => a.getAttribute('href')),
			when: document.querySelector('#events-table tbody td:nth-child(2)').textContent,
			cards_shown: getComputedStyle(document.getElementById('events-cards')).display !== 'none',
			role: document.getElementById('role').textContent,
			title: document.getElementById('title').textContent,
			note: document.querySelector('.foot').textContent,
			csrf_kept: !!localStorage.getItem('majlis.csrf'),
		}));
		d.nav = await navScreens(page);
		d.fits = await fits(page);
		await shot(page, 'fr-1280-organiser-events');
		await axe(page, 'events fr 1280');
		// its own organisation's events only (the demo's other organisations' public events are not its to manage)
		check('organiser_events', d.rows === 1 && d.titles[0].includes('Bab Lbahr') && d.links.every((h) => /^\/admin\/events\/\d+$/.test(h)) &&
			d.when.trim() && !d.cards_shown && d.nav.join() === ORGANISER_NAV &&
			d.role.trim() && d.title === 'Événements' && d.note.includes('heure du Maroc') && d.csrf_kept && d.fits, d);
	});

	await step('filters_and_warning', async () => {
		// a date range around the day of the clock change: the event whose session crosses it, with the
		// warning in words, and the range kept in the URL
		await page.fill('#f-from', warnDay);
		await page.dispatchEvent('#f-from', 'change');
		await page.fill('#f-to', warnDay);
		await page.dispatchEvent('#f-to', 'change');
		await page.waitForFunction((day) => location.search.includes('to=' + day) &&
			document.querySelector('#events-count') && !document.getElementById('status').textContent, warnDay);
		await page.waitForSelector('#events-table .bo-warn');
		const d = await page.evaluate(() => ({
			rows: document.querySelectorAll('#events-table tbody tr').length,
			warn: document.querySelector('#events-table .bo-warn').textContent,
			url: location.search,
		}));
		await page.focus('#f-status');
		await page.selectOption('#f-status', 'cancelled');
		await page.waitForFunction(() => location.search.includes('status=cancelled'));
		await page.waitForSelector('.bo-empty');
		d.cancelled_only = await page.textContent('.bo-empty');
		d.focus_kept = await page.evaluate(() => document.activeElement && document.activeElement.id);
		await page.selectOption('#f-status', '');
		await page.waitForSelector('#events-table .bo-warn');
		check('filters_and_warning', d.rows >= 1 && /changement d'heure/.test(d.warn) &&
			d.url.includes('from=' + warnDay) && /Aucun/.test(d.cancelled_only) && d.focus_kept === 'f-status', d);
	});

	await step('reload_keeps_login', async () => {
		await page.reload({ waitUntil: 'load' });
		await page.waitForSelector('#events-table tbody tr');
		// another tab of the same browser: no second login, and its writes have the CSRF token; the login
		// page, when the session holds, goes on to the screen asked for
		const tab = await page.context().newPage();
		watch(tab);
		await tab.goto(base + '/login?next=%2Fadmin%2Fvenues', { waitUntil: 'load' });
		await tab.waitForURL((u) => u.pathname === '/admin/venues');
		await tab.waitForSelector('#venues li');
		const d = { url: page.url(), tab: tab.url(), tab_csrf: await tab.evaluate(() => !!localStorage.getItem('majlis.csrf')) };
		await tab.close();
		check('reload_keeps_login', new URL(page.url()).pathname === '/admin' &&
			(await page.inputValue('#f-from')) === warnDay && d.tab_csrf, d);
	});

	await step('live_list', async () => {
		// an event of the organisation created elsewhere shows up in the open list without a reload
		await page.evaluate(() => { window.stillThisPage = true; });
		await page.fill('#f-from', '');
		await page.dispatchEvent('#f-from', 'change');
		await page.fill('#f-to', '');
		await page.dispatchEvent('#f-to', 'change');
		// no date at all: the organisation's past and coming events
		await page.waitForFunction(() => {
			const q = new URLSearchParams(location.search);
			return q.get('from') === '' && !q.has('to') && document.querySelectorAll('#events-table tbody tr').length >= 2;
		});
		const day = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
		const api = async (p, body) => {
			const r = await fetch(base + p, { method: 'POST', headers: { Authorization: 'Bearer ' + adminToken,
				'Content-Type': 'application/json' }, body: JSON.stringify(body) });
			if (r.status !== 201) throw new Error(p + ': ' + r.status + ' ' + (await r.text()));
			return r.json();
		};
		const t0 = Date.now();
		const ev = await api('/api/v1/events', { type: 'workshop', org_id: orgId, capacity: 15,
			title_fr: 'Atelier arrivé en direct', title_ar: 'ورشة وصلت مباشرة' });
		await api('/api/v1/events/' + ev.id + '/sessions', { starts_local: day + 'T10:00', ends_local: day + 'T12:00' });
		await page.waitForSelector('#events-table a[href="/admin/events/' + ev.id + '"]', { timeout: 10000 });
		const d = { ms: Date.now() - t0, same_page: await page.evaluate(() => window.stillThisPage === true) };
		check('live_list', d.same_page && d.ms < 5000, d);
	});

	await step('session_expired_returns', async () => {
		await page.goto(base + '/admin?from=' + warnDay + '&to=' + warnDay, { waitUntil: 'load' });
		await page.waitForSelector('#events-table .bo-warn');
		const screen = page.url();
		// another browser context ends the very same session: the open list's live stream is closed
		// (4001) and the login page says why by itself, then comes back to this very screen
		const status = await endSessionElsewhere(page);
		await page.waitForURL(/\/login\?/);
		await page.waitForSelector('#expired:not([hidden])');
		const d = { logout_status: status, login_url: page.url(), notice: await page.textContent('#expired') };
		await shot(page, 'fr-1280-session-expired');
		await axe(page, 'login expired fr 1280');
		await logIn(page, orgEmail, password);
		await page.waitForURL((u) => u.pathname === '/admin');
		await page.waitForSelector('#events-table .bo-warn');
		d.back_to = page.url();
		d.from = await page.inputValue('#f-from');
		check('session_expired_returns', /expired=1/.test(d.login_url) && /expiré/.test(d.notice) &&
			d.back_to === screen && d.from === warnDay, { ...d, screen });
	});

	await step('session_expired_on_call', async () => {
		// a screen without a live stream: the next API call meets the 401
		await page.goto(base + '/admin/venues', { waitUntil: 'load' });
		await page.waitForSelector('#venues li');
		await endSessionElsewhere(page);
		await page.click('#nav-list a[data-screen="people"]');
		await page.waitForURL(/\/login\?/);
		await page.waitForSelector('#expired:not([hidden])');
		const d = { login_url: page.url() };
		await logIn(page, orgEmail, password);
		await page.waitForURL((u) => u.pathname === '/admin/people');
		await page.waitForSelector('#people-table, .bo-empty');
		d.back_to = page.url();
		check('session_expired_on_call', /next=%2Fadmin%2Fpeople&expired=1$/.test(d.login_url) &&
			d.back_to === base + '/admin/people', d);
	});

	// The people directory's search, on the people test_web_backoffice.py seeds: the organisation's own
	// (an Arabic name written with its harakat, a Latin one with its accent) and another organisation's,
	// whose names match the same searches and must not show.
	const OWN_PEOPLE = ['Hélène Dubois', 'Yousra Bennani', 'Youssef El Amrani', person];
	const peopleNames = (p, sel) => p.$$eval(sel, (ns) => ns.map((n) => n.textContent.trim()));
	// Waits until the people screen shows the answer to the search q ('' for all), and returns what it shows.
	async function peopleShown(p, q) {
		await p.waitForFunction((want) => new URLSearchParams(location.search).get('q') === (want || null) &&
			!document.getElementById('status').textContent && document.getElementById('people-count').textContent &&
			document.getElementById('screen').getAttribute('aria-busy') !== 'true' &&
			(!want || document.getElementById('people-count').textContent.includes(want)), q);
		return p.evaluate(() => ({
			count: document.getElementById('people-count').textContent,
			empty: document.getElementById('people-count').classList.contains('bo-empty'),
			rows: Array.from(document.querySelectorAll('#people-table tbody tr td:first-child')).map((n) => n.textContent.trim()),
			cards: Array.from(document.querySelectorAll('#people-cards .bo-card-title')).map((n) => n.textContent.trim()),
			arabic: Array.from(document.querySelectorAll('#people-table tbody tr td:nth-child(2)')).map((n) => n.textContent.trim()),
			value: document.getElementById('p-q').value,
			focus: document.activeElement && document.activeElement.id,
			label: document.querySelector('label[for="p-q"]').textContent,
		}));
	}

	await step('people_search', async () => {
		const d = {};
		await page.goto(base + '/admin/people', { waitUntil: 'load' });
		d.all = await peopleShown(page, '');
		// typing is debounced: one search for the word, not one per keystroke; the field keeps the focus
		const asked = [];
		const onRequest = (r) => {
			if (r.url().includes('/api/v1/people?')) asked.push(new URL(r.url()).searchParams.get('q'));
		};
		page.on('request', onRequest);
		await page.click('#p-q');
		await page.keyboard.type('HELENE', { delay: 40 });
		d.latin = await peopleShown(page, 'HELENE');
		page.off('request', onRequest);
		d.asked = asked;
		// an Arabic name without its harakat finds the one written with them
		await page.fill('#p-q', 'يوسف');
		d.arabic = await peopleShown(page, 'يوسف');
		await shot(page, 'fr-1280-people-search');
		await axe(page, 'people search fr 1280');
		// nothing found, said plainly
		await page.fill('#p-q', 'zzqx');
		await page.press('#p-q', 'Enter');
		d.none = await peopleShown(page, 'zzqx');
		d.none_tables = await page.locator('#people-table, #people-cards').count();
		await shot(page, 'fr-1280-people-no-match');
		await axe(page, 'people no match fr 1280');
		// the search is in the URL: a reload (or a link) shows the same answer
		await page.goto(base + '/admin/people?q=' + encodeURIComponent('hélène'), { waitUntil: 'load' });
		d.reloaded = await peopleShown(page, 'hélène');
		// an emptied field lists everyone again
		await page.fill('#p-q', '');
		d.cleared = await peopleShown(page, '');
		d.cleared_url = page.url();
		// Arabic at 360 px: right to left, cards, a Latin search inside Arabic words
		const ar = await newPage(PHONE, 'ar');
		await ar.goto(base + '/admin/people?q=' + encodeURIComponent('youssef'), { waitUntil: 'load' });
		await ar.waitForURL(/\/login\?/);
		await logIn(ar, orgEmail, password);
		await ar.waitForURL((u) => u.pathname === '/admin/people');
		d.ar_latin = await peopleShown(ar, 'youssef');
		await ar.fill('#p-q', 'يوسف');
		d.ar = await peopleShown(ar, 'يوسف');
		d.ar_dir = await ar.getAttribute('html', 'dir');
		d.ar_fits = await fits(ar);
		d.ar_table_shown = await ar.isVisible('#people-table');
		await shot(ar, 'ar-360-people-search');
		await axe(ar, 'people search ar 360');
		await ar.fill('#p-q', 'zzqx');
		d.ar_none = await peopleShown(ar, 'zzqx');
		await shot(ar, 'ar-360-people-no-match');
		await ar.context().close();
		check('people_search', [...d.all.rows].sort().join() === [...OWN_PEOPLE].sort().join() && /4 personnes/.test(d.all.count) &&
			d.all.label === 'Rechercher une personne' &&
			d.latin.rows.join() === 'Hélène Dubois' && d.latin.focus === 'p-q' && d.asked.length < 3 &&
			d.asked[d.asked.length - 1] === 'HELENE' &&
			d.arabic.rows.join() === 'Youssef El Amrani' && d.arabic.arabic[0] === 'يُوسُف العَمْرانِي' &&
			d.none.empty && d.none.rows.length === 0 && d.none_tables === 0 && /Aucune personne ne correspond/.test(d.none.count) &&
			d.reloaded.value === 'hélène' && d.reloaded.rows.join() === 'Hélène Dubois' &&
			d.cleared.rows.length === OWN_PEOPLE.length && !/[?&]q=/.test(d.cleared_url) &&
			d.ar_latin.cards.join() === 'Youssef El Amrani' && d.ar.cards.join() === 'Youssef El Amrani' &&
			d.ar_dir === 'rtl' && d.ar_fits && !d.ar_table_shown && d.ar.label === 'البحث عن شخص' &&
			d.ar_none.empty && /لا أحد يطابق/.test(d.ar_none.count), d);
	});

	await step('next_only_same_origin', async () => {
		const evil = await newPage(DESKTOP);
		const out = {};
		for (const next of ['//evil.example/admin', 'https://evil.example/admin', '/login', '/\\evil.example']) {
			await evil.goto(base + '/login?next=' + encodeURIComponent(next), { waitUntil: 'load' });
			out[next] = await evil.evaluate((n) => window.Majlis.bo.safeNext(n), next);
		}
		out['/admin/venues?x=1'] = await evil.evaluate(() => window.Majlis.bo.safeNext('/admin/venues?x=1'));
		await evil.goto(base + '/login?next=' + encodeURIComponent('//evil.example/admin'), { waitUntil: 'load' });
		await logIn(evil, orgEmail, password);
		await evil.waitForURL((u) => u.pathname === '/admin');
		out.landed = evil.url();
		await evil.context().close();
		check('next_only_same_origin', out.landed === base + '/admin' && out['/admin/venues?x=1'] === '/admin/venues?x=1' &&
			['//evil.example/admin', 'https://evil.example/admin', '/login', '/\\evil.example'].every((n) => out[n] === null), out);
	});

	await step('arabic_phone_cards', async () => {
		const ar = await newPage(PHONE);
		const d = {};
		await ar.goto(base + '/login?next=%2Fadmin%2Fvenues', { waitUntil: 'load' });
		await ar.click('#langs button[lang="ar"]');
		await ar.waitForFunction(() => document.documentElement.dir === 'rtl');
		await shot(ar, 'ar-360-login');
		await axe(ar, 'login ar 360');
		await logIn(ar, orgEmail, password);
		await ar.waitForURL((u) => u.pathname === '/admin/venues');
		await ar.waitForSelector('#venues li');
		d.venues_nav = await navScreens(ar);
		await shot(ar, 'ar-360-venues');
		await axe(ar, 'venues ar 360');
		d.venues_dir = await ar.getAttribute('html', 'dir');
		d.venues_fit = await fits(ar);
		await ar.click('#nav-list a[data-screen="people"]');
		await ar.waitForSelector('#people-cards, .bo-empty', { state: 'attached' });
		await axe(ar, 'people ar 360');
		await ar.click('#nav-list a[data-screen="events"]');
		await ar.waitForSelector('#events-cards li');
		d.lang = await ar.getAttribute('html', 'lang');
		d.dir = await ar.getAttribute('html', 'dir');
		d.cards = await ar.locator('#events-cards li').count();
		d.table_shown = await ar.isVisible('#events-table');
		d.fits = await fits(ar);
		d.nav_title = await ar.textContent('#nav-list a[aria-current="page"]');
		await shot(ar, 'ar-360-organiser-events');
		await axe(ar, 'events ar 360');
		await ar.click('#events-cards a.title-link');
		await ar.waitForURL(/\/admin\/events\/\d+$/);
		await ar.waitForSelector('#counts');
		d.event_title = await ar.textContent('#title');
		await shot(ar, 'ar-360-event');
		await axe(ar, 'event ar 360');
		// remembered: a new page of this browser opens in Arabic
		await ar.goto(base + '/admin/people', { waitUntil: 'load' });
		await ar.waitForSelector('#people-cards, .bo-empty', { state: 'attached' });
		d.remembered = await ar.getAttribute('html', 'dir');
		// logout: back to the login page; the back office then asks to log in again, with no notice
		await ar.click('#logout');
		await ar.waitForURL((u) => u.pathname === '/login');
		await ar.goto(base + '/admin', { waitUntil: 'load' });
		await ar.waitForURL(/\/login\?next=%2Fadmin$/);
		d.after_logout_notice = await ar.isVisible('#expired');
		await ar.context().close();
		check('arabic_phone_cards', d.lang === 'ar' && d.dir === 'rtl' && d.venues_dir === 'rtl' && d.cards > 0 &&
			!d.table_shown && d.venues_nav.join() === ORGANISER_NAV && d.fits && d.venues_fit && d.nav_title === 'الأحداث' && d.event_title.trim() &&
			d.remembered === 'rtl' && !d.after_logout_notice, d);
	});

	// What a role may not use: not in its menu, and its page says it does not exist, on every page alike.
	async function missingScreen(p, path) {
		await p.goto(base + path, { waitUntil: 'load' });
		await p.waitForSelector('.bo-missing');
		return p.evaluate(() => ({ title: document.querySelector('main h1').textContent,
			tables: document.querySelectorAll('main table').length, forms: document.querySelectorAll('main form').length,
			lists: document.querySelectorAll('main li').length }));
	}

	await step('viewer_sees_no_organiser_actions', async () => {
		const d = {};
		for (const [lang, size] of [['fr', DESKTOP], ['ar', PHONE]]) {
			const v = await newPage(size, lang);
			await v.goto(base + '/login', { waitUntil: 'load' });
			await logIn(v, viewerEmail, password);
			// a viewer's home is the numbers' page
			await v.waitForURL((u) => u.pathname === '/admin/numbers');
			await v.waitForSelector('#numbers-table, #numbers .empty', { state: 'attached' });
			const nav = await navScreens(v);
			const current = await v.getAttribute('#nav-list a[aria-current="page"]', 'data-screen');
			const text = await v.evaluate(() => document.body.innerText);
			await shot(v, lang + '-' + size.width + '-viewer-numbers');
			await axe(v, 'viewer numbers ' + lang);
			await v.click('#nav-list a[data-screen="calendars"]');
			await v.waitForSelector('.qr-img[src^="data:"]');
			const forms = await v.locator('#cal-form, [data-action]').count();
			await shot(v, lang + '-' + size.width + '-viewer-calendars');
			await axe(v, 'viewer calendars ' + lang);
			const hidden = {};
			for (const p of ['/admin/venues', '/admin/people', '/admin/accounts', '/admin/events/new', '/admin/checkin'])
				hidden[p] = await missingScreen(v, p);
			d[lang] = { nav, current, forms, hidden, names_shown: text.includes(person), fits: await fits(v) };
			await v.context().close();
		}
		check('viewer_sees_no_organiser_actions', ['fr', 'ar'].every((l) => d[l].nav.join() === VIEWER_NAV &&
			d[l].current === 'numbers' && d[l].forms === 0 && !d[l].names_shown && d[l].fits &&
			Object.values(d[l].hidden).every((h) => h.tables === 0 && h.forms === 0 && h.lists === 0)) &&
			Object.values(d.fr.hidden).every((h) => h.title === 'Page introuvable'), d);
	});

	await step('checkin_sees_only_checkin', async () => {
		const d = {};
		for (const [lang, size] of [['fr', DESKTOP], ['ar', PHONE]]) {
			const c = await newPage(size, lang);
			await c.goto(base + '/login', { waitUntil: 'load' });
			await logIn(c, checkinEmail, password);
			await c.waitForURL((u) => u.pathname === '/admin');
			await c.waitForSelector('#go-checkin');
			const one = { nav: await navScreens(c), go: await c.getAttribute('#go-checkin', 'href') };
			await shot(c, lang + '-' + size.width + '-checkin-home');
			await axe(c, 'checkin home ' + lang);
			// an event's dashboard is no screen of check-in staff: it does not exist for them
			await c.goto(base + '/admin/events/1', { waitUntil: 'load' });
			await c.waitForSelector('#main[aria-busy="false"]', { state: 'attached' });
			one.event_tables = (await c.isVisible('#counts')) ? 1 : 0;
			one.hidden = {};
			for (const p of ['/admin/calendar', '/admin/venues', '/admin/numbers'])
				one.hidden[p] = await missingScreen(c, p);
			d[lang] = one;
			await c.context().close();
		}
		check('checkin_sees_only_checkin', ['fr', 'ar'].every((l) => d[l].nav.join() === 'checkin' &&
			d[l].go === '/admin/checkin' && d[l].event_tables === 0 &&
			Object.values(d[l].hidden).every((h) => h.tables === 0 && h.forms === 0 && h.lists === 0)), d);
	});

	await step('admin_sees_all', async () => {
		// the demo's administrator: every screen, events of every organisation, one organisation on demand
		const a = await newPage(DESKTOP, 'fr');
		await a.goto(base + '/login', { waitUntil: 'load' });
		await logIn(a, 'admin@majlis.local', 'majlis-demo');
		await a.waitForURL((u) => u.pathname === '/admin');
		await a.waitForSelector('#f-org');
		const d = { nav: await navScreens(a), all: await a.locator('#events-table tbody tr').count() };
		await a.selectOption('#f-org', String(orgId));
		await a.waitForFunction((id) => location.search.includes('org=' + id) && !document.getElementById('status').textContent, orgId);
		d.one_org = await a.$$eval('#events-table tbody a', (as) => as.map((x) => x.textContent));
		await a.click('#nav-list a[data-screen="accounts"]');
		await a.waitForSelector('#accounts-table');
		d.accounts = await a.$$eval('#accounts-table tbody tr', (rs) => rs.map((r) => r.textContent));
		d.accounts_nav = await navScreens(a);
		await shot(a, 'fr-1280-admin-accounts');
		await axe(a, 'admin accounts fr 1280');
		await a.click('#nav-list a[data-screen="organisations"]');
		await a.waitForSelector('#orgs-table');
		await axe(a, 'admin organisations fr 1280');
		await a.context().close();
		check('admin_sees_all', d.nav.join() === ADMIN_NAV && d.accounts_nav.join() === ADMIN_NAV &&
			d.all > d.one_org.length && d.one_org.length >= 1 && d.one_org.every((x) => /Bab Lbahr|direct/.test(x)) &&
			d.accounts.some((r) => r.includes('organiser.bo@example.org')) &&
			d.accounts.some((r) => r.includes('disabled.bo@example.org') && /désactivé/i.test(r)), d);
	});

	await step('one_header', async () => {
		// every back-office page has the same header and menu (its own entry marked), the language chosen on
		// one page holds on the next, and each menu entry opens the one page of its screen
		const a = await newPage(DESKTOP, 'fr');
		await a.goto(base + '/login', { waitUntil: 'load' });
		await logIn(a, 'admin@majlis.local', 'majlis-demo');
		await a.waitForURL((u) => u.pathname === '/admin');
		const pages = { events: '/admin', calendar: '/admin/calendar', new: '/admin/events/new', venues: '/admin/venues',
			people: '/admin/people', checkin: '/admin/checkin', numbers: '/admin/numbers', calendars: '/admin/calendars',
			accounts: '/admin/accounts', organisations: '/admin/organisations' };
		const d = { headers: {}, current: {}, hrefs: null };
		for (const [key, p] of Object.entries(pages)) {
			await a.goto(base + p, { waitUntil: 'load' });
			await a.waitForSelector('#nav-list a[aria-current="page"]');
			d.current[key] = await a.getAttribute('#nav-list a[aria-current="page"]', 'data-screen');
			d.headers[key] = await a.evaluate(() => {
				const h = document.getElementById('bo-header').cloneNode(true);
				h.querySelectorAll('[aria-current]').forEach((n) => n.removeAttribute('aria-current'));
				return h.outerHTML;
			});
			if (key === 'events') d.hrefs = await a.$$eval('#nav-list a', (as) => as.map((x) => x.getAttribute('href')));
		}
		await a.goto(base + '/admin/calendar', { waitUntil: 'load' });
		await a.waitForSelector('#nav-list a');
		await a.click('#langs button[lang="ar"]');
		await a.waitForFunction(() => document.documentElement.dir === 'rtl' &&
			document.querySelector('#nav-list a[data-screen="calendar"]').textContent === 'التقويم');
		await a.click('#nav-list a[data-screen="numbers"]');
		await a.waitForURL((u) => u.pathname === '/admin/numbers');
		await a.waitForSelector('#nav-list a[aria-current="page"]');
		d.numbers_dir = await a.getAttribute('html', 'dir');
		d.numbers_nav_word = await a.textContent('#nav-list a[data-screen="numbers"]');
		await shot(a, 'ar-1280-admin-numbers');
		await a.evaluate(() => localStorage.setItem('majlis.lang', 'fr'));
		await a.context().close();
		const first = d.headers.events;
		d.same = Object.entries(d.headers).filter(([, h]) => h !== first).map(([k]) => k);
		d.headers = Object.keys(d.headers).length;
		check('one_header', d.same.length === 0 && Object.entries(d.current).every(([k, v]) => k === v) &&
			d.hrefs.join() === Object.values(pages).join() && d.numbers_dir === 'rtl' && d.numbers_nav_word === 'الأرقام', d);
	});

	await step('dashboard_alias', async () => {
		await page.goto(base + '/dashboard', { waitUntil: 'load' });
		await page.waitForSelector('#events-table tbody tr, .bo-empty');
		check('dashboard_alias', new URL(page.url()).pathname === '/admin', page.url());
	});

	check('axe', axeFindings.length >= 14 && axeFindings.every((f) => f.violations.length === 0),
		{ runs: axeFindings.length, failing: axeFindings.filter((f) => f.violations.length) });
	check('no_console_errors', consoleErrors.length === 0, consoleErrors);
} finally {
	await browser.close();
}

const failed = Object.entries(checks).filter(([, c]) => !c.ok).map(([n]) => n);
process.stdout.write(JSON.stringify({ checks, console_errors: consoleErrors, screenshots, failed }) + '\n');
process.exit(failed.length ? 1 : 0);
