// events.spec: the organisers' calendar (/admin/calendar), event form (/admin/events/new, /admin/events/{id}/edit)
// and venues page (/admin/venues) in Debian's chromium driven by playwright-core. Prints one JSON line
// {checks, console_errors, screenshots, failed}; exit status 1 when a check failed. Usage:
// node events.spec.mjs BASE_URL EMAIL PASSWORD DAY ROOM_A ROOM_B OTHER_TITLE STRANGER_EMAIL STRANGER_PASSWORD VIEWER_EMAIL [SCREENSHOT_DIR]
// where the organiser EMAIL/PASSWORD owns the rooms ROOM_A and ROOM_B (names) and ROOM_A is already booked on
// DAY (YYYY-MM-DD) 10:00-12:00 by a session of the event OTHER_TITLE. In Arabic at 360 px the organiser creates
// an event with two sessions, sees it in the calendar's month and agenda views (right to left), edits its
// capacity, and is refused ROOM_A on DAY at 10:30 with the other session named; then every page in fr, ar and
// en goes through axe-core, with screenshots in ar at 360 px and fr at 1280 px. STRANGER, an organiser of another
// organisation, finds no trace of the (internal) event: not in the calendar, and its form says it does not exist.
// VIEWER_EMAIL (password PASSWORD), a viewer of the organiser's organisation, sees the event in the calendar
// and is offered neither the event form nor the venues.
import { spec } from './lib.mjs';

const [base, email, password, day, roomA, roomB, otherTitle, strangerEmail, strangerPassword, viewerEmail, shotDir] =
	process.argv.slice(2);
if (!base || !email || !password || !day || !roomA || !roomB || !otherTitle || !strangerEmail || !strangerPassword || !viewerEmail) {
	process.stderr.write('usage: node events.spec.mjs BASE_URL EMAIL PASSWORD DAY ROOM_A ROOM_B OTHER_TITLE STRANGER_EMAIL STRANGER_PASSWORD VIEWER_EMAIL [SCREENSHOT_DIR]\n');
	process.exit(2);
}
const TITLE_AR = 'تكوين في المحاسبة';
const TITLE_FR = 'Formation en comptabilité';
const t = spec('events', shotDir);
const { check, step, shot, axe, consoleErrors, axeFindings } = t;

// FullCalendar's styles refused by the CSP: a warning, counted as an error
function watch(page) {
	page.on('console', (msg) => {
		if (msg.type() === 'warning' && /FullCalendar could not inject/.test(msg.text())) {
			consoleErrors.push({ text: msg.text(), page: page.url() });
		}
	});
	return t.watch(page);
}
// the API's refusals the page shows as answers (the double booking, the wall time that happens twice)
t.expected.push(/status of 4(09|22)/);
// the room refused on purpose (a capacity of 0)
t.expected.push((text, where) => /status of 400/.test(text) && /\/rooms$/.test(where));
// the event dashboard is another page's (it may not be served by this build: a JSON 404, and the browser
// then asks for /favicon.ico)
t.expected.push((text, where, page) => /\/admin\/events\/\d+$/.test(page.url()) ||
	/\/admin\/events\/\d+$|\/favicon\.ico$/.test(where));

const browser = await t.launch();

// A logged-in organiser context: the session cookie from the API's login, the CSRF token where web/api.js
// keeps it (localStorage), as the login page leaves them; watched unless it is another account (who).
async function organiser(viewport, locale, who) {
	const { ctx, page } = await t.loginContext(browser, base, (who || { email }).email, (who || { password }).password,
		{ viewport, locale, hasTouch: viewport.width < 600, watch: false });
	ctx.setDefaultTimeout(15000);
	page.on('dialog', (d) => d.accept());
	if (!who) watch(page);
	return { ctx, page };
}

const next = (d, n) => {
	const x = new Date(d + 'T00:00:00Z');
	x.setUTCDate(x.getUTCDate() + n);
	return x.toISOString().slice(0, 10);
};

let eventId = null;
try {
	const a = await organiser({ width: 360, height: 740 }, 'ar-MA');
	const p = a.page;

	await step('create_event', async () => {
		await p.goto(base + '/admin/events/new?lang=ar', { waitUntil: 'load' });
		await p.waitForSelector('#event-form:not([hidden])');
		await shot(p, 'new-ar-360');
		await p.fill('#f-title_ar', TITLE_AR);
		await p.fill('#f-title_fr', TITLE_FR);
		await p.fill('#f-capacity', '15');
		await p.selectOption('#f-visibility', 'internal');
		await p.selectOption('#f-venue_id', { label: 'Centre Al Amal (Oujda)' });
		const venue = await p.inputValue('#f-venue_id');
		// a change of language keeps what was typed and chosen
		await p.click('#langs button[lang="fr"]');
		await p.waitForFunction(() => document.documentElement.dir === 'ltr');
		const keptFr = await p.inputValue('#f-title_ar');
		await p.click('#langs button[lang="ar"]');
		await p.waitForFunction(() => document.documentElement.dir === 'rtl');
		const kept = keptFr === TITLE_AR && (await p.inputValue('#f-title_ar')) === TITLE_AR
			&& (await p.inputValue('#f-visibility')) === 'internal' && venue !== '' && (await p.inputValue('#f-venue_id')) === venue;
		await p.click('#save');
		await p.waitForURL(/\/admin\/events\/\d+\/edit/);
		eventId = Number(/\/admin\/events\/(\d+)\/edit/.exec(p.url())[1]);
		await p.waitForSelector('#sessions-box:not([hidden])');
		check('create_event', kept && eventId > 0 && (await p.textContent('#title')) === TITLE_AR, { kept, eventId, url: p.url() });
	});

	const addSession = async (startDay, from, to, room) => {
		await p.fill('#s-starts_local', startDay + 'T' + from);
		await p.fill('#s-ends_local', startDay + 'T' + to);
		await p.selectOption('#s-room_id', { label: room });
		await p.click('#session-save');
	};

	await step('two_sessions', async () => {
		const roomLabel = await p.evaluate((name) => Array.from(document.querySelectorAll('#s-room_id option'))
			.map((o) => o.textContent).find((x) => x.startsWith(name + ' — ')), roomB);
		await addSession(next(day, 1), '09:00', '12:00', roomLabel);
		await p.waitForFunction(() => document.querySelectorAll('#sessions .ev-session').length === 1);
		await addSession(next(day, 2), '09:00', '12:00', roomLabel);
		await p.waitForFunction(() => document.querySelectorAll('#sessions .ev-session').length === 2);
		const listed = await p.evaluate(() => Array.from(document.querySelectorAll('#sessions .ev-session')).map((x) => x.textContent));
		check('two_sessions', listed.length === 2 && listed.every((x) => x.includes(roomB)), listed);
	});

	await step('double_booked_room_named', async () => {
		const roomLabel = await p.evaluate((name) => Array.from(document.querySelectorAll('#s-room_id option'))
			.map((o) => o.textContent).find((x) => x.startsWith(name + ' — ')), roomA);
		await addSession(day, '10:30', '11:30', roomLabel);
		await p.waitForSelector('#clash:not([hidden])');
		const clash = await p.textContent('#clash');
		const link = await p.getAttribute('#clash a', 'href');
		await shot(p, 'clash-ar-360');
		const count = await p.evaluate(() => document.querySelectorAll('#sessions .ev-session').length);
		check('double_booked_room_named', clash.includes(otherTitle) && /10:00/.test(clash) && /\/admin\/events\/\d+\/edit/.test(link || '')
			&& count === 2 && (await p.getAttribute('#s-room_id', 'aria-invalid')) === 'true', { clash, link, count });
	});

	// 20 September 2026, 02:00 in Morocco: clocks go back to 01:00, so 01:30 happens twice; the session
	// then crosses the change, which the API warns about
	await step('clock_change_warned', async () => {
		await p.fill('#s-starts_local', '2026-09-20T01:30');
		await p.fill('#s-ends_local', '2026-09-20T02:30');
		await p.selectOption('#s-room_id', '');
		await p.click('#session-save');
		await p.waitForSelector('#w-starts_offset:not([hidden])');
		const asked = await p.textContent('#e-starts_offset');
		const offsets = await p.evaluate(() => Array.from(document.querySelectorAll('#s-starts_offset option')).map((o) => o.value));
		await p.selectOption('#s-starts_offset', '+01:00');
		await p.click('#session-save');
		await p.waitForFunction(() => document.querySelectorAll('#sessions .ev-session').length === 3);
		const warned = await p.evaluate(() => Array.from(document.querySelectorAll('#sessions .ev-session .ev-warning')).map((x) => x.textContent));
		const eventWarning = await p.textContent('#event-warnings');
		await shot(p, 'clock-change-ar-360');
		check('clock_change_warned', asked.length > 0 && offsets.includes('+01:00') && offsets.includes('+00:00')
			&& warned.length === 1 && /UTC\+01:00/.test(warned[0]) && /UTC\+00:00/.test(warned[0]) && /تنبيه/.test(warned[0])
			&& /تنبيه/.test(eventWarning), { asked, offsets, warned, eventWarning });
	});

	await step('edit_capacity', async () => {
		await p.fill('#f-capacity', '25');
		// the registration window as Morocco's wall time, back from the server as it was typed
		await p.fill('#f-registration_closes_at', next(day, -1) + 'T18:00');
		await p.click('#save');
		await p.waitForSelector('#saved:not([hidden])');
		const r = await a.ctx.request.get(base + '/api/v1/events/' + eventId);
		const ev = await r.json();
		const closes = await p.inputValue('#f-registration_closes_at');
		check('edit_capacity', ev.capacity === 25 && (await p.inputValue('#f-capacity')) === '25'
			&& closes === next(day, -1) + 'T18:00' && String(ev.registration_closes_at).startsWith(next(day, -1) + 'T18:00:00'),
		{ capacity: ev.capacity, closes, api: ev.registration_closes_at });
	});

	await step('calendar_month_rtl', async () => {
		await p.goto(base + '/admin/calendar?lang=ar&view=dayGridMonth&date=' + next(day, 1), { waitUntil: 'load' });
		await p.waitForSelector('.fc-event');
		await p.waitForTimeout(300);
		const seen = await p.evaluate((title) => ({
			dir: document.documentElement.dir,
			rtl: !!document.querySelector('.fc.fc-direction-rtl'),
			ours: Array.from(document.querySelectorAll('.fc-event')).filter((x) => x.textContent.includes(title)).length,
			// FullCalendar's own rules are in force (its table layout), not just its markup
			layout: getComputedStyle(document.querySelector('.fc')).display,
			toolbarRight: (() => {
				const prev = document.querySelector('.fc-prev-button').getBoundingClientRect();
				const next = document.querySelector('.fc-next-button').getBoundingClientRect();
				return prev.left > next.left;
			})(),
			inlineStyle: Array.from(document.querySelectorAll('style')).filter((x) => x instanceof HTMLStyleElement).length,
		}), TITLE_AR);
		await shot(p, 'calendar-month-ar-360');
		check('calendar_month_rtl', seen.dir === 'rtl' && seen.rtl && seen.ours === 2 && seen.layout === 'flex' && seen.toolbarRight
			&& seen.inlineStyle === 0, seen);
	});

	await step('calendar_agenda_opens_event', async () => {
		await p.click('.fc-listMonth-button');
		await p.waitForSelector('.fc-list-event');
		const rows = await p.evaluate((title) => Array.from(document.querySelectorAll('.fc-list-event'))
			.filter((x) => x.textContent.includes(title)).map((x) => x.textContent), TITLE_AR);
		await shot(p, 'calendar-agenda-ar-360');
		await p.locator('.fc-list-event', { hasText: TITLE_AR }).first().locator('a').click();
		await p.waitForURL(/\/admin\/events\/\d+$/);
		check('calendar_agenda_opens_event', rows.length === 2 && rows.every((x) => /09:00/.test(x))
			&& new URL(p.url()).pathname === '/admin/events/' + eventId, { rows, url: p.url() });
	});

	await step('venues_room', async () => {
		await p.goto(base + '/admin/venues?lang=ar', { waitUntil: 'load' });
		await p.waitForSelector('.ev-venue');
		const form = p.locator('.ev-room-form').first();
		await form.locator('input[type="number"]').fill('0');
		await form.locator('input[type="text"]').fill('قاعة 3');
		await form.locator('button').click();
		await p.waitForFunction(() => Array.from(document.querySelectorAll('.ev-room-form .field-error')).some((x) => x.textContent));
		const err = await p.evaluate(() => Array.from(document.querySelectorAll('.ev-room-form .field-error')).map((x) => x.textContent).join('|'));
		await form.locator('input[type="number"]').fill('12');
		await form.locator('button').click();
		await p.waitForFunction(() => document.body.textContent.includes('قاعة 3'));
		await shot(p, 'venues-ar-360');
		check('venues_room', err.length > 0, { err });
	});

	await step('logged_out_to_login', async () => {
		const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
		const anon = await ctx.newPage();
		await anon.goto(base + '/admin/calendar?lang=fr', { waitUntil: 'load' });
		await anon.waitForURL(/\/login\?/);
		const q = new URL(anon.url()).searchParams;
		check('logged_out_to_login', q.get('next') === '/admin/calendar?lang=fr' && !q.get('expired'), anon.url());
		await ctx.close();
	});

	await step('stranger_sees_nothing', async () => {
		const c = await organiser({ width: 1280, height: 900 }, 'fr-FR', { email: strangerEmail, password: strangerPassword });
		// its console: only the API's 404 for the event it may not see
		const errors = [];
		c.page.on('console', (msg) => {
			if (msg.type() === 'error') errors.push(msg.text() + ' ' + ((msg.location() && msg.location().url) || ''));
		});
		c.page.on('pageerror', (err) => errors.push('pageerror: ' + err.message));
		await c.page.goto(base + '/admin/events/' + eventId + '/edit?lang=fr', { waitUntil: 'load' });
		await c.page.waitForFunction(() => document.getElementById('title').textContent !== 'Chargement…'
			&& document.getElementById('title').getAttribute('data-i18n') !== null);
		await c.page.waitForTimeout(300);
		const edit = await c.page.evaluate(() => ({
			title: document.getElementById('title').textContent,
			form: !document.getElementById('event-form').hidden,
			text: document.body.textContent,
		}));
		await c.page.goto(base + '/admin/calendar?lang=fr&view=listMonth&date=' + next(day, 1), { waitUntil: 'load' });
		await c.page.waitForSelector('.fc-list-event, .fc-list-empty');
		const cal = await c.page.evaluate(() => document.querySelector('.fc').textContent);
		// only its organisation's: the other organisation's public event goes too
		await c.page.check('#mine');
		await c.page.waitForFunction(() => !document.querySelector('.fc').textContent.includes('Atelier budget local'));
		const mine = new URL(c.page.url()).searchParams.get('mine');
		check('stranger_sees_nothing', /n'existe pas/.test(edit.title) && !edit.form && !edit.text.includes('comptabilité')
			&& !cal.includes('comptabilité') && cal.includes('Atelier budget local') && mine === '1'
			&& errors.every((x) => /status of 404 .*\/api\/v1\/events\/\d+$/.test(x)), { edit: edit.title, form: edit.form, cal, errors });
		await c.ctx.close();
	});

	await step('viewer_reads', async () => {
		const v = await organiser({ width: 1280, height: 900 }, 'en-GB', { email: viewerEmail, password });
		watch(v.page);
		await v.page.goto(base + '/admin/calendar?lang=en&view=listMonth&date=' + next(day, 1), { waitUntil: 'load' });
		await v.page.waitForSelector('.fc-list-event');
		const seen = await v.page.evaluate(() => ({
			rows: Array.from(document.querySelectorAll('.fc-list-event')).map((x) => x.textContent),
			nav: Array.from(document.querySelectorAll('#nav-list a')).map((a) => a.getAttribute('href')),
		}));
		await axe(v.page, 'calendar-viewer-en');
		check('viewer_reads', seen.rows.filter((x) => x.includes('comptabilité')).length === 2
			&& seen.nav.join(' ') === '/admin/calendar /admin/numbers /admin/calendars', seen);
		await v.ctx.close();
	});

	// every page in three languages: axe; screenshots ar 360 (above) and fr 1280
	await step('axe', async () => {
		const b = await organiser({ width: 1280, height: 900 }, 'fr-FR');
		const pages = [
			['calendar', '/admin/calendar?view=dayGridMonth&date=' + next(day, 1), '.fc-event'],
			['agenda', '/admin/calendar?view=listMonth&date=' + next(day, 1), '.fc-list-event'],
			['week', '/admin/calendar?view=timeGridWeek&date=' + next(day, 1), '.fc-event'],
			['new', '/admin/events/new', '#event-form:not([hidden])'],
			['edit', '/admin/events/' + eventId + '/edit', '#sessions-box:not([hidden])'],
			['venues', '/admin/venues', '.ev-venue'],
		];
		for (const lang of ['fr', 'ar', 'en']) {
			for (const [name, url, ready] of pages) {
				const pg = lang === 'ar' ? p : b.page;
				await pg.goto(base + url + (url.includes('?') ? '&' : '?') + 'lang=' + lang, { waitUntil: 'load' });
				await pg.waitForSelector(ready);
				await pg.waitForTimeout(200);
				await axe(pg, name + '-' + lang);
				if (lang === 'fr') await shot(pg, name + '-fr-1280');
			}
		}
		const bad = axeFindings.filter((f) => f.violations.length);
		check('axe', bad.length === 0, bad);
	});
} catch (e) {
	check('run', false, String(e && e.stack ? e.stack : e));
}
await t.finish(browser, { event_id: eventId });
