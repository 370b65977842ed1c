// checkin.spec: the door's check-in screen (/admin/checkin) in Debian's chromium driven by playwright-core,
// with a fake camera showing a participant's QR ticket. Prints one JSON line {checks, console_errors,
// screenshots, failed}; exit status 1 when a check failed. Usage:
// node checkin.spec.mjs BASE_URL SESSION_ID TICKET_Y4M CANCELLED_Y4M EMAIL PASSWORD [SCREENSHOT_DIR]
// where the check-in account EMAIL/PASSWORD may check in SESSION_ID (today), whose event has Amina Benali
// (the ticket in TICKET_Y4M), Youssef Idrissi (يُوسُف الإدريسي), Fatima Zahra Alaoui, and Karim Ennaji
// (cancelled; his ticket in CANCELLED_Y4M). Two phones: A in Arabic at 360 px scans, B in French at 1280 px
// watches and takes the register; then C, in English at 360 px with another camera, scans Karim's ticket.
import { spec } from './lib.mjs';

const [base, sessionId, video, cancelledVideo, email, password, shotDir] = process.argv.slice(2);
if (!base || !sessionId || !video || !cancelledVideo || !email || !password) {
	process.stderr.write('usage: node checkin.spec.mjs BASE_URL SESSION_ID TICKET_Y4M CANCELLED_Y4M EMAIL PASSWORD [SCREENSHOT_DIR]\n');
	process.exit(2);
}
const t = spec('checkin', shotDir);
const { check, step, shot, consoleErrors, axeFindings } = t;
const axe = (page, name) => t.axe(page, name);
let offlineOnPurpose = false;
// the API's refusals the page shows as answers (a 4xx fetch is logged by chromium)
t.expected.push((text) => /status of 4(09|22)/.test(text));
// the network cut on purpose (the offline step)
t.expected.push((text) => offlineOnPurpose && /ERR_INTERNET_DISCONNECTED|WebSocket/.test(text));

// Debian's chromium whose fake camera shows the video file y4m.
function launch(y4m) {
	return t.launch({ args: ['--disable-quic', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
		'--use-file-for-fake-video-capture=' + y4m] });
}

// A logged-in check-in context: the session cookie from the API's login, the CSRF token where web/api.js
// keeps it (localStorage), as the login page leaves them.
async function phone(viewport, locale, from) {
	const { ctx, page } = await t.loginContext(browser, base, email, password, { from, viewport, locale,
		permissions: ['camera'], hasTouch: viewport.width < 600, watch: false });
	ctx.setDefaultTimeout(15000);
	t.watch(page, { dialogs: 'dismiss' });
	return { ctx, page };
}

const text = (page, sel) => page.evaluate((s) => (document.querySelector(s) || {}).textContent || '', sel);

const browser = await launch(video);

try {
	const a = await phone({ width: 360, height: 740 }, 'ar-MA'); // the phone at the door, in Arabic
	const b = await phone({ width: 1280, height: 900 }, 'fr-FR'); // a second screen on the same session
	const countOf = async (page) => {
		const m = /(\d+) \/ (\d+)/.exec(await text(page, '#count'));
		return m ? [Number(m[1]), Number(m[2])] : null;
	};

	// B follows the session in name mode (its camera stays off: the fake one shows Amina's ticket)
	await b.page.goto(base + '/admin/checkin?lang=fr&session=' + sessionId + '&mode=name', { waitUntil: 'load' });
	await b.page.waitForSelector('#door:not([hidden])');
	await b.page.waitForFunction(() => /0 \/ 3/.test(document.getElementById('count').textContent));
	// wait until B's live stream is subscribed before anything happens
	await b.page.waitForTimeout(500);

	await step('pick_session', async () => {
		await a.page.goto(base + '/admin/checkin?lang=ar', { waitUntil: 'load' });
		await a.page.waitForSelector('#pick:not([hidden]) .ci-session');
		const seen = await a.page.evaluate(() => ({
			dir: document.documentElement.dir,
			sessions: Array.from(document.querySelectorAll('.ci-session')).map((x) => x.textContent),
		}));
		await shot(a.page, 'ar-360-1-pick');
		await axe(a.page, 'ar-360 pick');
		check('pick_session', seen.dir === 'rtl' && seen.sessions.length === 1 && seen.sessions[0].includes('تكوين في الخياطة'), seen);
	});

	await step('scan_checks_in', async () => {
		await a.page.click('.ci-session');
		await a.page.waitForSelector('#verdict.ok:not([hidden])', { timeout: 20000 });
		const seen = await a.page.evaluate(() => ({
			text: document.getElementById('verdict-text').textContent,
			name: document.getElementById('verdict-name').textContent,
			name_ar: document.getElementById('verdict-name-ar').textContent,
			font_px: parseFloat(getComputedStyle(document.getElementById('verdict-text')).fontSize),
			detector: 'BarcodeDetector' in window ? 'BarcodeDetector' : typeof window.jsQR === 'function' ? 'jsQR' : 'none',
		}));
		seen.count = await countOf(a.page);
		await shot(a.page, 'ar-360-2-scanned');
		await axe(a.page, 'ar-360 scanned');
		check('scan_checks_in', seen.text === 'تم تسجيل الحضور' && seen.name === 'Amina Benali' &&
			seen.name_ar === 'أمينة بنعلي' && seen.font_px >= 24 && seen.count && seen.count[0] === 1, seen);
	});

	await step('live_second_screen', async () => {
		await b.page.waitForFunction(() => /1 \/ 3/.test(document.getElementById('count').textContent), null, { timeout: 3000 });
		await b.page.waitForFunction(() => document.getElementById('recent').textContent.includes('Amina Benali'));
		const seen = { count: await countOf(b.page), recent: await text(b.page, '#recent') };
		await shot(b.page, 'fr-1280-1-live');
		await axe(b.page, 'fr-1280 live');
		check('live_second_screen', seen.count[0] === 1, seen);
	});

	await step('scan_again_already', async () => {
		const first = await text(a.page, '#recent .hours');
		// the ticket shown again (the camera turned off and on): a second scan
		await a.page.click('#camera');
		await a.page.click('#camera');
		await a.page.waitForSelector('#verdict.warn:not([hidden])', { timeout: 20000 });
		const seen = { text: await text(a.page, '#verdict-text'), name: await text(a.page, '#verdict-name'), first };
		seen.count = await countOf(a.page);
		await shot(a.page, 'ar-360-3-again');
		await axe(a.page, 'ar-360 again');
		check('scan_again_already', seen.text.includes('سبق تسجيل الحضور') && seen.text.includes(first) &&
			seen.name === 'Amina Benali' && seen.count[0] === 1, seen);
	});

	await step('name_arabic_script', async () => {
		await a.page.click('.ci-mode[data-mode="name"]');
		// typed without the harakat and the hamza the stored name has (يُوسُف الإدريسي)
		await a.page.fill('#search', 'يوسف الادريسي');
		await a.page.waitForSelector('#found .ci-in');
		const hits = await a.page.locator('#found .ci-person').count();
		await shot(a.page, 'ar-360-4-search');
		await a.page.click('#found .ci-in');
		await a.page.waitForSelector('#verdict.ok:not([hidden])');
		await a.page.waitForFunction(() => document.getElementById('verdict-name').textContent === 'Youssef Idrissi');
		const seen = { hits, count: await countOf(a.page), name_ar: await text(a.page, '#verdict-name-ar') };
		await shot(a.page, 'ar-360-5-by-name');
		await axe(a.page, 'ar-360 by name');
		check('name_arabic_script', hits === 1 && seen.count[0] === 2 && seen.name_ar === 'يُوسُف الإدريسي', seen);
	});

	await step('live_count_back', async () => {
		await b.page.waitForFunction(() => /2 \/ 3/.test(document.getElementById('count').textContent), null, { timeout: 3000 });
		check('live_count_back', (await text(b.page, '#recent')).includes('Youssef Idrissi'), await text(b.page, '#recent'));
	});

	// the network gone at the door: the screen says so, a check-in answers "no connection" and records nothing
	await step('offline_says_so', async () => {
		offlineOnPurpose = true;
		await b.ctx.setOffline(true);
		await b.page.waitForSelector('#offline:not([hidden])');
		await b.page.fill('#search', 'fatima');
		await b.page.click('#found .ci-in');
		await b.page.waitForSelector('#verdict.warn:not([hidden])');
		const seen = { text: await text(b.page, '#verdict-text'), detail: await text(b.page, '#verdict-detail') };
		await shot(b.page, 'fr-1280-offline');
		await b.ctx.setOffline(false);
		await b.page.waitForSelector('#offline', { state: 'hidden' });
		await b.page.waitForTimeout(300);
		offlineOnPurpose = false;
		check('offline_says_so', seen.text === 'Pas de connexion' && seen.detail.includes('Rien n'), seen);
	});

	await step('cancelled_shown', async () => {
		await b.page.fill('#search', 'karim');
		await b.page.waitForSelector('#found .ci-person');
		const seen = await b.page.evaluate(() => ({
			text: document.getElementById('found').textContent,
			buttons: document.querySelectorAll('#found .ci-in').length,
			chip: document.querySelector('#found .ci-chip').className,
		}));
		await shot(b.page, 'fr-1280-2-cancelled');
		await axe(b.page, 'fr-1280 cancelled');
		check('cancelled_shown', seen.text.includes('Inscription annulée') && !seen.buttons && seen.chip.includes('bad'), seen);
	});

	await step('register_marks', async () => {
		await b.page.click('.ci-mode[data-mode="list"]');
		await b.page.waitForSelector('#register .ci-person');
		const row = b.page.locator('#register .ci-person', { hasText: 'Fatima Zahra Alaoui' });
		await row.locator('.ci-mark.absent').click();
		await row.locator('.ci-mark.absent[aria-pressed="true"]').waitFor();
		await row.locator('.ci-mark.excused').click();
		await row.locator('.ci-mark.excused[aria-pressed="true"]').waitFor();
		const seen = await b.page.evaluate(() => ({
			rows: document.querySelectorAll('#register .ci-person').length,
			pressed: Array.from(document.querySelectorAll('#register .ci-mark[aria-pressed="true"]')).map((x) => x.className),
		}));
		await shot(b.page, 'fr-1280-3-register');
		await axe(b.page, 'fr-1280 register');
		// the Arabic phone's register shows the same marks, live
		await a.page.click('.ci-mode[data-mode="list"]');
		await a.page.waitForSelector('#register .ci-mark.excused[aria-pressed="true"]');
		await shot(a.page, 'ar-360-6-register');
		await axe(a.page, 'ar-360 register');
		check('register_marks', seen.rows === 3 && seen.pressed.filter((c) => c.includes('present')).length === 2 &&
			seen.pressed.some((c) => c.includes('excused')), seen);
	});

	// a third phone, whose camera shows the ticket of a registration cancelled since: red, with his name
	await step('scan_cancelled_red', async () => {
		const other = await launch(cancelledVideo);
		try {
			const c = await phone({ width: 360, height: 740 }, 'en-GB', other);
			await c.page.goto(base + '/admin/checkin?lang=en&session=' + sessionId, { waitUntil: 'load' });
			await c.page.waitForSelector('#verdict.bad:not([hidden])', { timeout: 20000 });
			const seen = await c.page.evaluate(() => ({
				text: document.getElementById('verdict-text').textContent,
				name: document.getElementById('verdict-name').textContent,
				detail: document.getElementById('verdict-detail').textContent,
				background: getComputedStyle(document.getElementById('verdict')).backgroundColor,
			}));
			seen.count = await countOf(c.page);
			await shot(c.page, 'en-360-refused');
			await axe(c.page, 'en-360 refused');
			await c.ctx.close();
			check('scan_cancelled_red', seen.text === 'Registration cancelled' && seen.name === 'Karim Ennaji' &&
				seen.detail === 'Not registered for this session' && seen.count[0] === 2, seen);
		} finally {
			await other.close();
		}
	});

	const found = axeFindings.filter((f) => f.violations.length);
	check('axe', axeFindings.length >= 8 && !found.length, found.length ? found : axeFindings.length);
	check('no_console_errors', !consoleErrors.length, consoleErrors);
	await a.ctx.close();
	await b.ctx.close();
} catch (e) {
	check('run', false, String(e && e.stack ? e.stack : e));
}
await t.finish(browser);
