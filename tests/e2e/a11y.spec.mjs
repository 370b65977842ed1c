// a11y.spec: the participant's path with the keyboard alone, and the same pages at 200 % zoom, driven in
// Debian's chromium with playwright-core; prints one JSON line {checks: {name: {ok, detail}}, console_errors,
// screenshots, failed}; exit status 1 when a check failed. Usage:
// node a11y.spec.mjs BASE_URL OPEN_ID [SCREENSHOT_DIR]
// where OPEN_ID names a public event with seats whose registration is open. Keys only from the programme to
// the ticket (Tab, Shift+Tab, Enter, Space, arrows, typing): no click, no fill, no focus() from the test.
import { spec } from './lib.mjs';

const [base, openId, shotDir] = process.argv.slice(2);
if (!base || !openId) {
	process.stderr.write('usage: node a11y.spec.mjs BASE_URL OPEN_ID [SCREENSHOT_DIR]\n');
	process.exit(2);
}
const t = spec('a11y', shotDir);
const { check, step, shot, consoleErrors } = t;
// requests expected to fail (the wrong phone number the form shows beside its field)
const expectedFailures = new Set();
t.expected.push((text, where) => [...expectedFailures].some((u) => where.includes(u) || text.includes(u)));
const watch = (page) => t.watch(page, { dialogs: 'error' });
const axe = (page) => t.axe(page, 'a11y');
const TAB_MAX = 80; // presses of Tab allowed to reach one target: more is a path no one walks

// What has the focus, and whether a sighted keyboard user sees where: a ring (outline or box-shadow) at
// least 2 px wide whose colour stands out 3:1 from what is behind it (WCAG 2.4.7, 1.4.11), the element on
// screen.
function focusInfo(page) {
	return page.evaluate(() => {
		const a = document.activeElement;
		if (!a || a === document.body || a === document.documentElement) return { id: null, tag: 'body' };
		const rgb = (c) => {
			const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/.exec(c || '');
			return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] } : null;
		};
		const lum = (c) => {
			const f = (v) => {
				v /= 255;
				return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
			};
			return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
		};
		// the colour behind the ring: the first opaque background of the element's ancestors
		let bg = { r: 255, g: 255, b: 255, a: 1 };
		for (let n = a.parentElement; n; n = n.parentElement) {
			const c = rgb(getComputedStyle(n).backgroundColor);
			if (c && c.a > 0.5) {
				bg = c;
				break;
			}
		}
		const cs = getComputedStyle(a);
		let ring = null;
		let width = 0;
		if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) {
			ring = rgb(cs.outlineColor);
			width = parseFloat(cs.outlineWidth);
		} else if (cs.boxShadow && cs.boxShadow !== 'none') {
			ring = rgb(cs.boxShadow);
			const px = /(\d+(?:\.\d+)?)px\s*$/.exec(cs.boxShadow.replace(/\)\s*/, ') '));
			width = px ? parseFloat(px[1]) : 0;
		}
		const l1 = ring ? lum(ring) : 0;
		const l2 = lum(bg);
		const contrast = ring ? (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05) : 0;
		const r = a.getBoundingClientRect();
		const onScreen = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 &&
			r.left < innerWidth && r.top < innerHeight;
		return {
			id: a.id || null, tag: a.tagName.toLowerCase(), name: a.getAttribute('name'),
			type: a.getAttribute('type'), href: a.getAttribute('href'),
			text: (a.textContent || a.value || '').trim().slice(0, 40), cls: a.getAttribute('class') || '',
			in_actions: Boolean(a.closest('#actions')),
			ring: Boolean(ring) && width >= 2 && contrast >= 3, contrast: Math.round(contrast * 100) / 100, width,
			on_screen: onScreen, in_main: Boolean(a.closest('main')),
		};
	});
}

// A short name of a focus for the order checks: its id, else name=value for a radio, else tag and href.
function label(f) {
	if (f.id) return f.id;
	if (f.tag === 'input' && f.type === 'radio') return 'radio:' + f.name;
	return f.tag + (f.href ? ':' + f.href : '');
}

// Presses key (Tab or Shift+Tab) until done(focus) holds, at most TAB_MAX times; returns every focus on the
// way (the last one satisfying done), or throws naming what was seen.
async function tabTo(page, done, key = 'Tab') {
	const seen = [];
	for (let i = 0; i < TAB_MAX; i++) {
		await page.keyboard.press(key);
		const f = await focusInfo(page);
		seen.push(f);
		if (done(f)) return seen;
	}
	throw new Error('not reached with ' + key + ' after ' + TAB_MAX + ' presses: ' + seen.map(label).join(' > '));
}

// The foci of seen without a visible ring or off screen (empty when all are fine).
function unseen(seen) {
	return seen.filter((f) => f.tag !== 'body' && (!f.ring || !f.on_screen))
		.map((f) => ({ at: label(f), contrast: f.contrast, width: f.width, on_screen: f.on_screen }));
}

// One participant's path, keys only: the programme, the skip link, the language switch when lang is not
// French, the open event, the form (its order both ways, errors, submit by Enter), the personal page,
// attendance confirmed, the ticket. Returns the personal page's URL.
async function keyboardPath(name, lang, size, person, email) {
	const page = await context.newPage();
	watch(page);
	await page.setViewportSize(size);
	const detail = { rings: [] };
	const ring = (seen) => detail.rings.push(...unseen(seen));
	// the programme, in French first: Arabic is chosen from the keyboard
	await page.goto(base + '/', { waitUntil: 'load' });
	await page.waitForSelector('#events li.event');
	// the first Tab reaches the skip link, shown on screen
	let seen = await tabTo(page, () => true);
	detail.first_tab = label(seen[0]);
	ring(seen);
	await shot(page, name + '-1-skip-link');
	if (lang !== 'fr') {
		// the language switch, from the keyboard: the pressed button keeps the focus once the page is redrawn
		seen = await tabTo(page, (f) => f.tag === 'button' && f.text === 'العربية');
		ring(seen);
		await page.keyboard.press('Enter');
		await page.waitForFunction(() => document.documentElement.dir === 'rtl');
		await page.waitForSelector('#events li.event');
		const after = await focusInfo(page);
		detail.lang_switch_keeps_focus = after.tag === 'button' && after.text === 'العربية';
		ring([after]);
		await shot(page, name + '-1-language');
		seen = await tabTo(page, (f) => f.href === '#main', 'Shift+Tab');
		ring(seen);
	}
	// Enter on the skip link: the next Tab lands in the main content, past the header
	await page.keyboard.press('Enter');
	seen = await tabTo(page, () => true);
	detail.after_skip = label(seen[0]);
	detail.after_skip_in_main = seen[0].in_main;
	await shot(page, name + '-2-programme');
	// to the open event's title, then Enter
	const eventHref = new RegExp('^/e/' + openId + '(\\?|$)');
	seen = await tabTo(page, (f) => f.tag === 'a' && eventHref.test(f.href || '') && f.cls.includes('title-link'));
	detail.tabs_to_event = seen.length;
	ring(seen);
	await shot(page, name + '-3-event-link');
	await page.keyboard.press('Enter');
	await page.waitForURL(new RegExp('/e/' + openId));
	await page.waitForSelector('#register:not([hidden])');
	detail.event_lang = await page.getAttribute('html', 'lang');

	// the form in order, Tab forwards from the page's start to the submit button
	seen = await tabTo(page, (f) => f.id === 'submit');
	ring(seen);
	const form = ['f-name', 'f-name-ar', 'radio:sex', 'f-contact', 'f-lang', 'f-consent', 'submit'];
	const order = seen.map(label).filter((x) => form.includes(x));
	detail.form_order = order;
	detail.form_order_ok = JSON.stringify(order) === JSON.stringify(form);
	// and back with Shift+Tab to the name, the same fields in reverse, each with its ring
	seen = await tabTo(page, (f) => f.id === 'f-name', 'Shift+Tab');
	ring(seen);
	const back = seen.map(label).filter((x) => form.includes(x));
	detail.form_order_back = back;
	detail.form_order_back_ok = JSON.stringify(back) === JSON.stringify(form.slice(0, -1).reverse());
	await shot(page, name + '-4-form-focus');

	// Enter in the empty name field submits: errors beside their fields, announced, the first field in error
	// has the focus
	await page.keyboard.press('Enter');
	await page.waitForSelector('#e-name:not(:empty)');
	const errs = await page.evaluate(() => {
		const alert = document.getElementById('form-error');
		const name = document.getElementById('f-name');
		return {
			focused: document.activeElement && document.activeElement.id,
			name_invalid: name.getAttribute('aria-invalid'),
			name_described: (name.getAttribute('aria-describedby') || '').split(' ').includes('e-name'),
			name_error: document.getElementById('e-name').textContent,
			summary: alert.textContent,
			summary_announced: alert.getAttribute('role') === 'alert' && alert.offsetParent !== null,
		};
	});
	detail.errors = errs;
	ring([await focusInfo(page)]);
	await shot(page, name + '-5-errors');
	detail.axe_errors = await axe(page);

	// fill the form with keys: name, Tab past the Arabic name, arrows pick in the sex group, a wrong phone
	await page.keyboard.type(person);
	await page.keyboard.press('Tab');
	await page.keyboard.press('Tab');
	await page.keyboard.press('ArrowUp'); // from "rather not say" to the one before it
	detail.sex = await page.evaluate(() => document.querySelector('input[name="sex"]:checked').value);
	await page.keyboard.press('Tab');
	await page.keyboard.type('12');
	await page.keyboard.press('Tab'); // language of messages: kept
	await page.keyboard.press('Tab');
	await page.keyboard.press('Space');
	detail.consent = await page.isChecked('#f-consent');
	await page.keyboard.press('Tab');
	detail.on_submit = (await focusInfo(page)).id;
	expectedFailures.add('/registrations');
	await page.keyboard.press('Enter');
	await page.waitForSelector('#e-contact:not(:empty)');
	await page.waitForFunction(() => !document.getElementById('submit').disabled);
	detail.api_error_focus = (await focusInfo(page)).id;
	detail.api_error = await page.textContent('#e-contact');
	await shot(page, name + '-6-api-error');
	expectedFailures.delete('/registrations');
	// the contact replaced with the keyboard, Enter in the field submits
	await page.keyboard.press('Control+A');
	await page.keyboard.type(email);
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/r\/[A-Za-z0-9_-]{43}/);
	await page.waitForSelector('#status[data-status="confirmed"]');
	const personal = page.url();
	await shot(page, name + '-7-personal');

	// the personal page: Tab to "confirm attendance", Enter; the status says so and the focus stays put
	seen = await tabTo(page, (f) => f.tag === 'button' && f.in_actions && f.cls.includes('primary'));
	ring(seen);
	detail.tabs_to_confirm = seen.length;
	await page.keyboard.press('Enter');
	await page.waitForSelector('#status[data-attendance="confirmed"]');
	await page.waitForFunction(() => !document.querySelector('#actions button[aria-disabled="true"]'));
	const after = await focusInfo(page);
	detail.after_confirm = label(after);
	detail.after_confirm_kept = after.tag !== 'body' && after.in_main;
	ring([after]);
	detail.announced = await page.evaluate(() => {
		const live = (id) => {
			const n = document.getElementById(id);
			return n && (n.getAttribute('aria-live') || n.getAttribute('role')) ? n.textContent.trim() : '';
		};
		return { status: live('status'), feedback: live('feedback'), detail: document.getElementById('detail').textContent };
	});
	await shot(page, name + '-8-confirmed');
	// onwards to the ticket: its save button is reached by Tab and the ticket is on screen beside it
	seen = await tabTo(page, (f) => f.id === 'ticket-save');
	ring(seen);
	await page.waitForFunction(() => {
		const img = document.getElementById('ticket-img');
		return img && img.complete && img.naturalWidth > 0;
	});
	detail.ticket_visible = await page.isVisible('#ticket-img');
	await shot(page, name + '-9-ticket');
	// "cancel my registration" asks first, the focus on the answer that keeps the place; Enter on it, or
	// Escape, closes the question and gives the focus back to the cancel button
	seen = await tabTo(page, (f) => f.tag === 'button' && f.in_actions && f.cls.includes('danger-outline'), 'Shift+Tab');
	ring(seen);
	const ask = [];
	for (const close of ['Enter', 'Escape']) {
		await page.keyboard.press('Enter');
		await page.waitForSelector('#ask:not([hidden])');
		const asked = await focusInfo(page);
		if (close === 'Enter') await shot(page, name + '-10-cancel-asks');
		await page.keyboard.press(close);
		await page.waitForSelector('#ask', { state: 'hidden' });
		const back = await focusInfo(page);
		ask.push({ asked: label(asked), closed_by: close, back: back.cls.includes('danger-outline') && back.in_actions });
	}
	detail.cancel_question = ask;
	detail.cancel_question_ok = ask.every((a) => a.asked === 'ask-no' && a.back) &&
		(await page.getAttribute('#status', 'data-status')) === 'confirmed';
	detail.axe_personal = await axe(page);
	await page.close();

	const e = detail.errors;
	const ok = detail.first_tab === 'a:#main' && detail.after_skip_in_main && (lang === 'fr' || detail.lang_switch_keeps_focus) &&
		detail.event_lang === lang && detail.form_order_ok && detail.form_order_back_ok &&
		e.focused === 'f-name' && e.name_invalid === 'true' && e.name_described && e.name_error && e.summary &&
		e.summary_announced && detail.sex !== 'unspecified' && detail.consent && detail.on_submit === 'submit' &&
		detail.api_error_focus === 'f-contact' && detail.api_error.includes('06') && detail.after_confirm_kept &&
		detail.announced.status && detail.ticket_visible && detail.cancel_question_ok && !detail.rings.length && !detail.axe_errors.length &&
		!detail.axe_personal.length;
	check('keyboard_' + name, ok, detail);
	return personal;
}

// Problems a user of page sees at 200 % zoom: the page scrolls sideways, an element sticks out of the
// viewport, a text is cut by its box, two controls overlap, a control is too small to hit.
function reflowProblems(page) {
	return page.evaluate(() => {
		const out = { scroll_width: document.documentElement.scrollWidth, inner_width: innerWidth, outside: [],
			cut: [], overlap: [] };
		const name = (n) => n.tagName.toLowerCase() + (n.id ? '#' + n.id : '') +
			(n.className && typeof n.className === 'string' ? '.' + n.className.trim().split(/\s+/).join('.') : '');
		const visible = (n) => {
			const r = n.getBoundingClientRect();
			return r.width > 0 && r.height > 0 && getComputedStyle(n).visibility !== 'hidden';
		};
		for (const n of document.querySelectorAll('body *')) {
			if (!visible(n) || n.closest('.skip')) continue;
			const r = n.getBoundingClientRect();
			if (r.right > innerWidth + 1 || r.left < -1) out.outside.push(name(n));
			const cs = getComputedStyle(n);
			if (/hidden|clip/.test(cs.overflowX) && n.scrollWidth > n.clientWidth + 1 && n.textContent.trim())
				out.cut.push(name(n));
		}
		const controls = Array.from(document.querySelectorAll('main a[href], main button, main input, main select, header button, header a'))
			.filter(visible).filter((n) => !(n.type === 'radio' || n.type === 'checkbox'));
		for (let i = 0; i < controls.length; i++) {
			const a = controls[i].getBoundingClientRect();
			for (let j = i + 1; j < controls.length; j++) {
				if (controls[i].contains(controls[j]) || controls[j].contains(controls[i])) continue;
				const b = controls[j].getBoundingClientRect();
				const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
				const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
				if (w > 1 && h > 1) out.overlap.push(name(controls[i]) + ' / ' + name(controls[j]));
			}
		}
		out.outside = out.outside.slice(0, 10);
		out.cut = out.cut.slice(0, 10);
		out.overlap = out.overlap.slice(0, 10);
		out.ok = out.scroll_width <= out.inner_width && !out.outside.length && !out.cut.length && !out.overlap.length;
		return out;
	});
}

// The pages at 200 % zoom: a 1280 px screen zoomed twice shows 640 CSS px, a 640 px one 320 (WCAG 1.4.10's
// reflow width); both at a device scale of 2, as the zoomed screen draws them.
async function zoomed(personal) {
	for (const lang of ['ar', 'fr']) {
		for (const width of [320, 640]) {
			const tag = lang + '-' + width;
			await step('zoom_' + tag, async () => {
				const ctx = await browser.newContext({ viewport: { width, height: 740 }, deviceScaleFactor: 2,
					locale: 'fr-FR' });
				const problems = {};
				try {
					const page = await ctx.newPage();
					watch(page);
					const at = async (what, url, ready, then) => {
						await page.goto(url, { waitUntil: 'load' });
						await page.waitForSelector(ready);
						if (then) await then();
						const p = await reflowProblems(page);
						if (!p.ok) problems[what] = p;
						await shot(page, 'zoom-' + tag + '-' + what);
					};
					await at('programme', base + '/?lang=' + lang, '#events li.event');
					if (width === 320 && lang === 'ar') {
						// the checks see what a user would: a word wider than the screen is found
						await page.evaluate(() => document.querySelector('main h1').append(' ' + 'م'.repeat(120)));
						const p = await reflowProblems(page);
						check('zoom_detects', !p.ok && p.scroll_width > p.inner_width, p);
					}
					await at('event', base + '/e/' + openId + '?lang=' + lang, '#register:not([hidden])', async () => {
						// with its errors showing, sent from the keyboard
						await page.focus('#f-name');
						await page.keyboard.press('Enter');
						await page.waitForSelector('#e-name:not(:empty)');
					});
					const u = new URL(personal[lang]);
					u.searchParams.set('lang', lang);
					await at('personal', u.toString(), '#status[data-status]', async () => {
						// as right after registering, with a long address in "the link was also sent to"
						await page.evaluate(() => sessionStorage.setItem('majlis.sent', JSON.stringify({ via: 'email',
							to: 'fatima-zahra.benabdellah-elidrissi@association-marocaine-exemple.org' })));
						await page.reload({ waitUntil: 'load' });
						await page.waitForSelector('#sent:not([hidden])');
						await page.waitForSelector('#ticket:not([hidden])');
						await page.click('#actions button.danger-outline'); // the cancel question open too
						await page.waitForSelector('#ask:not([hidden])');
					});
					check('zoom_' + tag, !Object.keys(problems).length, problems);
				} finally {
					await ctx.close();
				}
			});
		}
	}
}

const browser = await t.launch({ args: ['--disable-quic'] });
const context = await browser.newContext({ locale: 'fr-FR' });
context.setDefaultTimeout(15000);

try {
	const personal = {};
	await step('keyboard_ar_360', async () => {
		personal.ar = await keyboardPath('ar_360', 'ar', { width: 360, height: 740 }, 'سلمى لوحة المفاتيح',
			'keyboard.ar@example.org');
	});
	await step('keyboard_fr_1280', async () => {
		personal.fr = await keyboardPath('fr_1280', 'fr', { width: 1280, height: 800 }, 'Salma Clavier',
			'keyboard.fr@example.org');
	});
	if (personal.ar && personal.fr) await zoomed(personal);
	else check('zoom', false, 'no personal page: the keyboard paths failed');
	check('no_console_errors', !consoleErrors.length, consoleErrors.slice(0, 10));
} catch (e) {
	check('run', false, String(e && e.stack ? e.stack : e));
}
await t.finish(browser);
