// lib: what the browser specs share — Debian's chromium launched through playwright-core (never a downloaded
// browser), named checks and the one JSON result line the Python runners read, axe-core's serious and critical
// findings, full-page screenshots into the artefacts directory, the watch for console errors and CSP
// violations, and a logged-in context (the API's login: its session cookie, and the CSRF token where
// web/api.js keeps it, localStorage). Usage:
//   const t = spec('pages', shotDir);   // screenshots named majlis-pages-<name>.png
//   const browser = await t.launch();
//   await t.step('name', async () => { ... t.check('name', ok, detail); });
//   t.finish(browser, extra);           // closes the browser, prints the JSON line, exits 1 if a check failed
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// The viewports the pages are checked at: a small phone and a laptop.
export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

// One spec's state: its checks, console errors, screenshots and axe findings. prefix names its screenshots.
export function spec(prefix, shotDir) {
	const shots = shotDir || os.tmpdir();
	fs.mkdirSync(shots, { recursive: true });
	const t = {
		checks: {},
		consoleErrors: [],
		screenshots: [],
		axeFindings: [],
		// console errors the spec expects (an answer a page shows as an error on purpose): a string is looked
		// for in the message and its source URL, a regular expression tested on both, a function called
		// with (text, url, page, type)
		expected: [],

		check(name, ok, detail) {
			t.checks[name] = { ok: Boolean(ok), detail: detail === undefined ? null : detail };
		},

		// Runs fn; an exception fails the check name (with its stack).
		async step(name, fn) {
			try {
				await fn();
			} catch (e) {
				t.check(name, false, String(e && e.stack ? e.stack : e));
			}
		},

		// The browser; opts.args: more flags.
		launch(opts = {}) {
			return chromium.launch({ executablePath: CHROMIUM, headless: true,
				args: CHROMIUM_ARGS.concat(opts.args || []) });
		},

		// A browser with a profile of its own in userDataDir (a service worker, its caches), one context;
		// opts.args: more flags, the rest newContext's options.
		launchPersistent(userDataDir, opts = {}) {
			const { args, ...ctxOpts } = opts;
			return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true,
				args: CHROMIUM_ARGS.concat(args || []), ...ctxOpts });
		},

		// Records page's console errors (a CSP violation is one), uncaught exceptions and dialogs (accepted;
		// opts.dialogs 'dismiss': dismissed; 'error': each is an error, and dismissed; 'none': left to the
		// spec, or to playwright, which dismisses them). Returns page.
		watch(page, opts = {}) {
			const wanted = (text, where) => t.expected.concat(opts.expected || []).some((x) => {
				if (typeof x === 'function') return x(text, where, page);
				return x instanceof RegExp ? x.test(text) || x.test(where) : text.includes(x) || where.includes(x);
			});
			page.on('console', (msg) => {
				if (msg.type() !== 'error') return;
				const text = msg.text();
				const where = (msg.location() && msg.location().url) || '';
				if (wanted(text, where)) return;
				t.consoleErrors.push({ text, url: where, page: page.url(),
					csp: /Content Security Policy/i.test(text) });
			});
			page.on('pageerror', (err) => t.consoleErrors.push({ text: 'pageerror: ' + err.message, page: page.url() }));
			// (a page that already answers its dialogs keeps its own way)
			if (opts.dialogs !== 'none' && page.listenerCount('dialog') === 0) page.on('dialog', (d) => {
				if (opts.dialogs === 'dismiss') {
					d.dismiss();
				} else if (opts.dialogs === 'error') {
					t.consoleErrors.push({ text: 'dialog opened: ' + d.message(), page: page.url() });
					d.dismiss();
				} else {
					d.accept();
				}
			});
			return page;
		},

		// axe-core's serious and critical violations on page (also kept under name for the report).
		async axe(page, name) {
			const found = await page.evaluate(async (src) => {
				if (!window.axe) (0, eval)(src);
				const r = await window.axe.run(document, { resultTypes: ['violations'] });
				return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
					.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
			}, AXE);
			t.axeFindings.push({ page: name, violations: found });
			return found;
		},

		// A full-page screenshot (opts.fullPage false: what the viewport shows), majlis-<prefix>-<name>.png
		// in the artefacts directory; returns its path.
		async shot(page, name, opts = {}) {
			const file = path.join(shots, 'majlis-' + prefix + '-' + name + '.png');
			await page.screenshot({ path: file, fullPage: opts.fullPage !== false });
			t.screenshots.push(file);
			return file;
		},

		// A browser context logged in as email through the API (as the login page leaves it: the session
		// cookie and the CSRF token in localStorage). opts: newContext's options (viewport, locale, ...),
		// and from: another browser to open it in. Returns { ctx, page } with the page watched.
		async loginContext(browser, base, email, password, opts = {}) {
			const { from, watch: watched = true, ...ctxOpts } = opts;
			const ctx = await (from || browser).newContext(ctxOpts);
			const r = await ctx.request.post(base + '/api/v1/auth/login', { data: { email, password } });
			if (r.status() !== 200) throw new Error('login ' + email + ': ' + r.status() + ' ' + (await r.text()));
			const csrf = (await r.json()).csrf_token;
			await ctx.addInitScript((token) => localStorage.setItem('majlis.csrf', token), csrf);
			const page = await ctx.newPage();
			if (watched) t.watch(page);
			return { ctx, page };
		},

		// The JSON line: {checks, console_errors, screenshots, axe, failed, ...extra}; exit status 1 when a
		// check failed. Adds no_console_errors unless the spec already checked it.
		async finish(browser, extra = {}) {
			if (browser) await browser.close().catch(() => {});
			if (!t.checks.no_console_errors) t.check('no_console_errors', t.consoleErrors.length === 0, t.consoleErrors);
			const failed = Object.entries(t.checks).filter(([, c]) => !c.ok).map(([n]) => n);
			process.stdout.write(JSON.stringify({ checks: t.checks, console_errors: t.consoleErrors,
				screenshots: t.screenshots, axe: t.axeFindings, failed, ...extra }) + '\n');
			process.exit(failed.length ? 1 : 0);
		},
	};
	return t;
}
