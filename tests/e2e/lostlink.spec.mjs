// lostlink.spec: drives Debian's chromium (never a downloaded browser) with playwright-core through the
// personal page of a link that does not exist (/r/<garbage>), at 360x740 in Arabic and at 1280 in French: the
// page says why a link stops working and offers the lost-link form; a wrong address gets its error beside
// the field; the known address and an unknown one get the very same answer (status, body, what is shown).
// axe-core runs on each state. Prints one JSON line {checks, console_errors, screenshots, failed}; exit
// status 1 when a check failed. Usage: node lostlink.spec.mjs BASE_URL KNOWN_EMAIL UNKNOWN_EMAIL [SCREENSHOT_DIR]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const [base, known, unknown, shotDir] = process.argv.slice(2);
if (!base || !known || !unknown) {
	process.stderr.write('usage: node lostlink.spec.mjs BASE_URL KNOWN_EMAIL UNKNOWN_EMAIL [SCREENSHOT_DIR]\n');
	process.exit(2);
}
const SHOTS = shotDir || os.tmpdir();
fs.mkdirSync(SHOTS, { recursive: true });
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// a link of the right shape that no registration has (as a truncated or replaced one)
const GARBAGE = 'Zq7' + 'x'.repeat(40);
const checks = {};
const consoleErrors = [];
const screenshots = [];
const axeFindings = [];

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
		// expected: the page asks the API about the garbage link (404), and a wrong address is refused (400)
		if (where.includes('/api/v1/r/' + GARBAGE) || where.endsWith('/api/v1/registrations/lost-link')) return;
		consoleErrors.push({ text: msg.text(), url: where, page: page.url() });
	});
	page.on('pageerror', (err) => consoleErrors.push({ text: 'pageerror: ' + err.message, page: page.url() }));
}

async function shot(page, name) {
	const file = path.join(SHOTS, 'majlis-lostlink-' + name + '.png');
	await page.screenshot({ path: file, fullPage: true });
	screenshots.push(file);
}

// axe-core through the devtools protocol (the page's CSP stays as it is): serious and critical violations.
async function axe(page, name) {
	const found = await page.evaluate(async (src) => {
		if (!window.axe) (0, eval)(src);
		const r = await window.axe.run(document, { resultTypes: ['violations'] });
		return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
	}, AXE);
	axeFindings.push({ page: name, violations: found });
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'majlis-chromium-lostlink-'));
const context = await chromium.launchPersistentContext(userDataDir, {
	executablePath: '/usr/bin/chromium',
	headless: true,
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	locale: 'fr-FR',
});
context.setDefaultTimeout(15000);

// Opens the garbage link in lang at size; resolves when the form is shown in that language.
async function open(page, lang, size) {
	await page.setViewportSize(size);
	await page.goto(base + '/r/' + GARBAGE + '?lang=' + lang, { waitUntil: 'load' });
	await page.waitForSelector('#lost:not([hidden])');
	await page.waitForFunction((l) => document.documentElement.lang === l &&
		document.getElementById('hello').textContent.length > 0, lang);
}

// Sends contact through the form (typed, then Enter, as a keyboard user would): the request's answer and
// what the page shows.
async function send(page, contact) {
	await page.fill('#lf-contact', contact);
	const [resp] = await Promise.all([
		page.waitForResponse((r) => r.url().endsWith('/api/v1/registrations/lost-link')),
		page.press('#lf-contact', 'Enter'),
	]);
	await page.waitForFunction(() => document.getElementById('lost-done').textContent.length > 0 ||
		document.getElementById('le-contact').textContent.length > 0);
	return { status: resp.status(), body: await resp.text(), shown: await page.textContent('#lost-done'),
		error: await page.textContent('#le-contact') };
}

try {
	const page = await context.newPage();
	watch(page);
	for (const [lang, size, name] of [['ar', { width: 360, height: 740 }, 'ar_360'],
		['fr', { width: 1280, height: 900 }, 'fr_1280']]) {
		await step('explained_' + name, async () => {
			await open(page, lang, size);
			const seen = await page.evaluate(() => {
				const vis = (id) => !document.getElementById(id).hidden;
				const input = document.getElementById('lf-contact');
				return {
					dir: document.documentElement.dir,
					title: document.getElementById('title').textContent,
					explain: document.getElementById('hello').textContent,
					form_title: document.getElementById('lost-title').textContent,
					label: input.labels.length ? input.labels[0].textContent : '',
					help: document.getElementById('lost-help').textContent,
					cards_hidden: !vis('state') && !vis('when') && !vis('ticket') && !vis('sent'),
					// the form's start edge follows the reading direction
					form_edge: (() => {
						const f = document.getElementById('lost').getBoundingClientRect();
						const l = document.querySelector('#lost label').getBoundingClientRect();
						return document.documentElement.dir === 'rtl' ? f.right - l.right : l.left - f.left;
					})(),
					overflow: document.documentElement.scrollWidth > window.innerWidth,
				};
			});
			await shot(page, name + '-1-explained');
			await axe(page, name + ' explained');
			// every text in the page's language: Arabic script, or French words
			const script = lang === 'ar' ? /[\u0600-\u06FF]/ : /lien|inscription|é/;
			check('explained_' + name, seen.dir === (lang === 'ar' ? 'rtl' : 'ltr') && script.test(seen.title) &&
				script.test(seen.explain) && script.test(seen.form_title) && script.test(seen.label) &&
				script.test(seen.help) && seen.cards_hidden && seen.form_edge >= 0 && seen.form_edge < 40 &&
				!seen.overflow, seen);
		});
		if (lang === 'ar') {
			await step('error_beside_field', async () => {
				const empty = await (async () => {
					await page.fill('#lf-contact', '');
					await page.click('#lost-submit');
					await page.waitForSelector('#le-contact:not(:empty)');
					return page.textContent('#le-contact');
				})();
				const bad = await send(page, '12');
				const seen = await page.evaluate(() => ({
					invalid: document.getElementById('lf-contact').getAttribute('aria-invalid'),
					described: document.getElementById('lf-contact').getAttribute('aria-describedby'),
					focused: document.activeElement && document.activeElement.id,
				}));
				await shot(page, name + '-2-error');
				await axe(page, name + ' error');
				// typing again clears the error
				await page.fill('#lf-contact', '06');
				const cleared = await page.textContent('#le-contact');
				check('error_beside_field', /[\u0600-\u06FF]/.test(empty) && bad.status === 400 &&
					/[\u0600-\u06FF]/.test(bad.error) && bad.error.includes('+221') && !bad.shown &&
					seen.invalid === 'true' && seen.described.includes('le-contact') && seen.focused === 'lf-contact' &&
					cleared === '', { empty, bad, seen, cleared });
			});
		}
		await step('same_answer_' + name, async () => {
			await open(page, lang, size);
			const a = await send(page, lang === 'ar' ? known.toUpperCase() : known);
			await shot(page, name + '-3-known');
			await axe(page, name + ' known');
			await open(page, lang, size);
			const b = await send(page, unknown);
			await shot(page, name + '-4-unknown');
			const same = a.status === 202 && a.status === b.status && a.body === b.body && a.shown === b.shown &&
				!a.error && !b.error;
			const script = lang === 'ar' ? /[\u0600-\u06FF]/ : /lien/;
			check('same_answer_' + name, same && script.test(a.shown), { known: a, unknown: b });
		});
	}
	await page.close();
	check('axe', axeFindings.length > 0 && axeFindings.every((f) => f.violations.length === 0),
		axeFindings.filter((f) => f.violations.length));
	check('no_console_errors', consoleErrors.length === 0, consoleErrors);
} finally {
	await context.close();
	fs.rmSync(userDataDir, { recursive: true, force: true });
}

const failed = Object.entries(checks).filter(([, v]) => !v.ok).map(([k]) => k);
process.stdout.write(JSON.stringify({ checks, console_errors: consoleErrors, screenshots, failed }) + '\n');
process.exit(failed.length ? 1 : 0);
