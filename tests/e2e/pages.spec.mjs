// pages.spec: every page of majlisd, each as the role that uses it, in fr, ar and en at 360×740 and 1280×900,
// in Debian's chromium driven by playwright-core: axe-core finds no serious or critical violation, Arabic is
// right to left (<html dir="rtl"> and the main heading set right to left), nothing scrolls sideways at 360 px,
// no console error (a CSP violation is one); a screenshot of each is kept. Prints one JSON line {checks,
// matrix: [{page, lang, width, ok, ...}], ...}; exit status 1 when a check failed. Usage:
// node pages.spec.mjs BASE_URL DATA_JSON [SCREENSHOT_DIR]
// DATA_JSON: {event: an event id of the organiser's organisation, public, with a session; token: a
// registration's token; password; admin, organiser, viewer, checkin: the accounts' e-mails}.
import fs from 'node:fs';
import { spec, PHONE, DESKTOP } from './lib.mjs';

const [base, dataFile, shotDir] = process.argv.slice(2);
if (!base || !dataFile) {
	process.stderr.write('usage: node pages.spec.mjs BASE_URL DATA_JSON [SCREENSHOT_DIR]\n');
	process.exit(2);
}
const data = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
const t = spec('pages', shotDir);
const LANGS = ['fr', 'ar', 'en'];
const SIZES = [PHONE, DESKTOP];
const LOADING = /Chargement…|التحميل…|Loading…/;

// [name, path, role (null: no session), console errors that page shows on purpose]
const PAGES = [
	['home', '/', null],
	['event', '/e/' + data.event, null],
	['personal', '/r/' + data.token, null],
	// a link that leads nowhere: the page says so (its API answer is a 404)
	['personal-unknown', '/r/' + 'Zz9'.repeat(14) + 'x', null, [/status of 404/]],
	['login', '/login', null],
	['admin-organiser', '/admin', 'organiser'],
	['admin-viewer', '/admin', 'viewer'],
	['dashboard', '/admin/events/' + data.event, 'organiser'],
	['calendar', '/admin/calendar', 'organiser'],
	['event-new', '/admin/events/new', 'organiser'],
	['event-edit', '/admin/events/' + data.event + '/edit', 'organiser'],
	['venues', '/admin/venues', 'organiser'],
	['people', '/admin/people', 'organiser'],
	['numbers', '/admin/numbers', 'viewer'],
	['calendars', '/admin/calendars', 'organiser'],
	['accounts', '/admin/accounts', 'admin'],
	['organisations', '/admin/organisations', 'admin'],
	['checkin', '/admin/checkin', 'checkin'],
];

// What the visit found: the page's language and direction, its main heading's, and its widths.
function layout(page) {
	return page.evaluate(() => {
		const h = document.querySelector('main h1') || document.querySelector('h1');
		const cs = h ? getComputedStyle(h) : null;
		return {
			html_lang: document.documentElement.lang, dir: document.documentElement.dir,
			h1: h ? h.textContent.trim().slice(0, 80) : null,
			h1_direction: cs && cs.direction, h1_align: cs && cs.textAlign,
			scroll_width: document.documentElement.scrollWidth, inner_width: innerWidth,
			wide: Array.from(document.querySelectorAll('body *')).filter((n) => {
				const r = n.getBoundingClientRect();
				return r.width > 0 && (r.right > innerWidth + 1 || r.left < -1) &&
					!n.closest('[hidden], .visually-hidden, .sr-only');
			}).slice(0, 5).map((n) => n.tagName.toLowerCase() + (n.id ? '#' + n.id : '') +
				(n.className && typeof n.className === 'string' ? '.' + n.className.trim().split(/\s+/).join('.') : '')),
		};
	});
}

// Opens path in lang and waits until it is drawn: loaded, its heading no longer "loading", the network calm.
async function open(page, path, lang) {
	await page.goto(base + path + (path.includes('?') ? '&' : '?') + 'lang=' + lang, { waitUntil: 'load' });
	await page.waitForFunction((re) => {
		const h = document.querySelector('main h1') || document.querySelector('h1');
		return h && h.textContent.trim() && !new RegExp(re).test(h.textContent.trim());
	}, LOADING.source, { timeout: 15000 }).catch(() => {});
	await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
	await page.waitForTimeout(200);
}

const matrix = [];
const browser = await t.launch();
try {
	const sessions = {}; // role -> { ctx, page }, one context per role, its viewport set per width
	const session = async (role) => {
		if (sessions[role]) return sessions[role];
		if (role === null) {
			const ctx = await browser.newContext({ locale: 'fr-FR' });
			sessions[role] = { ctx, page: t.watch(await ctx.newPage()) };
		} else {
			sessions[role] = await t.loginContext(browser, base, data[role], data.password, { locale: 'fr-FR' });
		}
		sessions[role].ctx.setDefaultTimeout(20000);
		return sessions[role];
	};
	for (const [name, path, role, expected] of PAGES) {
		await t.step('page_' + name, async () => {
			const { page } = await session(role);
			for (const size of SIZES) {
				await page.setViewportSize(size);
				for (const lang of LANGS) {
					const row = { page: name, path, role, lang, width: size.width };
					const errorsBefore = t.consoleErrors.length;
					if (expected) t.expected.push(...expected);
					try {
						await open(page, path, lang);
						row.url = page.url();
						row.axe = await t.axe(page, name + '-' + lang + '-' + size.width);
						const l = await layout(page);
						Object.assign(row, l);
						row.rtl_ok = lang !== 'ar' || (l.dir === 'rtl' && l.h1_direction === 'rtl' &&
							['start', 'right', '-webkit-right'].includes(l.h1_align));
						row.ltr_ok = lang === 'ar' || (l.dir !== 'rtl' && l.h1_direction === 'ltr');
						row.scroll_ok = size.width > 600 || l.scroll_width <= l.inner_width + 1;
						row.lang_ok = l.html_lang === lang;
						await t.shot(page, name + '-' + lang + '-' + size.width);
					} catch (e) {
						row.error = String(e && e.stack ? e.stack : e);
					} finally {
						if (expected) t.expected.splice(t.expected.length - expected.length, expected.length);
					}
					row.console_errors = t.consoleErrors.slice(errorsBefore);
					row.ok = !row.error && row.axe && row.axe.length === 0 && row.rtl_ok && row.ltr_ok &&
						row.scroll_ok && row.lang_ok && row.console_errors.length === 0;
					matrix.push(row);
				}
			}
			const rows = matrix.filter((r) => r.page === name);
			t.check('page_' + name, rows.length === 6 && rows.every((r) => r.ok),
				rows.filter((r) => !r.ok).map((r) => ({ ...r, wide: r.scroll_ok ? undefined : r.wide })));
		});
	}
	const visited = matrix.length;
	t.check('every_page', visited === PAGES.length * 6, { visited, expected: PAGES.length * 6 });
	t.check('axe', matrix.every((r) => r.axe && r.axe.length === 0),
		matrix.filter((r) => !r.axe || r.axe.length).map((r) => ({ page: r.page, lang: r.lang, width: r.width, axe: r.axe })));
	t.check('rtl_arabic', matrix.every((r) => r.rtl_ok && r.ltr_ok),
		matrix.filter((r) => !(r.rtl_ok && r.ltr_ok)).map((r) => ({ page: r.page, lang: r.lang, width: r.width,
			dir: r.dir, h1_direction: r.h1_direction, h1_align: r.h1_align })));
	t.check('no_sideways_scroll_360', matrix.every((r) => r.scroll_ok),
		matrix.filter((r) => !r.scroll_ok).map((r) => ({ page: r.page, lang: r.lang, scroll_width: r.scroll_width,
			wide: r.wide })));
	t.check('languages', matrix.every((r) => r.lang_ok),
		matrix.filter((r) => !r.lang_ok).map((r) => ({ page: r.page, lang: r.lang, got: r.html_lang, url: r.url })));
} catch (e) {
	t.check('run', false, String(e && e.stack ? e.stack : e));
}
await t.finish(browser, {
	matrix: matrix.map((r) => ({ page: r.page, lang: r.lang, width: r.width, ok: Boolean(r.ok), axe: r.axe,
		html_lang: r.html_lang, rtl_ok: r.rtl_ok, scroll_ok: r.scroll_ok, scroll_width: r.scroll_width, h1: r.h1, h1_align: r.h1_align,
		console_errors: r.console_errors, error: r.error })),
});
