// lostlink.spec: drives Debian's chromium (never a downloaded browser) with playwright-core through the
// personal page of a link that does not exist (/r/<garbage>), at 360x740 in Arabic and at 1280 in French: the
// page says why a link stops working and offers the lost-link form; a wrong address gets its error beside
// the field; the known address and an unknown one get the very same answer (status, body, what is shown).
// axe-core runs on each state. Prints one JSON line {checks, console_errors, screenshots, failed}; exit
// status 1 when a check failed. Usage: node lostlink.spec.mjs BASE_URL KNOWN_EMAIL UNKNOWN_EMAIL [SCREENSHOT_DIR]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spec } from './lib.mjs';

const [base, known, unknown, shotDir] = process.argv.slice(2);
if (!base || !known || !unknown) {
	process.stderr.write('usage: node lostlink.spec.mjs BASE_URL KNOWN_EMAIL UNKNOWN_EMAIL [SCREENSHOT_DIR]\n');
	process.exit(2);
}
// a link of the right shape that no registration has (as a truncated or replaced one)
const GARBAGE = 'Zq7' + 'x'.repeat(40);
const t = spec('lostlink', shotDir);
const { check, step, shot, axe } = t;
// expected: the page asks the API about the garbage link (404), and a wrong address is refused (400)
t.expected.push((text, where) => where.includes('/api/v1/r/' + GARBAGE) ||
	where.endsWith('/api/v1/registrations/lost-link'));

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'majlis-chromium-lostlink-'));
const context = await t.launchPersistent(userDataDir, { args: ['--disable-quic'], locale: 'fr-FR' });
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
	const page = t.watch(await context.newPage(), { dialogs: 'error' });
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
	check('axe', t.axeFindings.length > 0 && t.axeFindings.every((f) => f.violations.length === 0),
		t.axeFindings.filter((f) => f.violations.length));
} finally {
	await context.close();
	fs.rmSync(userDataDir, { recursive: true, force: true });
}

await t.finish(null);
