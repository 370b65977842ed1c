// dashboard.spec: drives Debian's chromium (never a downloaded browser) through an event's live dashboard
// /admin/events/{id} with playwright-core, several browser contexts at once (two organisers, a
// participant, an organiser of another organisation), and prints one JSON line {checks: {name: {ok,
// detail}}, console_errors, screenshots, failed}; exit status 1 when a check failed. Usage:
// MAJLIS_E2E_SEED='{...}' node dashboard.spec.mjs BASE_URL [SCREENSHOT_DIR]
// where the seed (tests/integration/test_web_dashboard.py) names an admin token, the accounts and their
// password, a public event of three seats with two taken ("live") and an internal one ("hidden").
import fs from 'node:fs';
import { spec } from './lib.mjs';

const [base, shotDir] = process.argv.slice(2);
const seed = JSON.parse(process.env.MAJLIS_E2E_SEED || 'null');
if (!base || !seed) {
	process.stderr.write('usage: MAJLIS_E2E_SEED=JSON node dashboard.spec.mjs BASE_URL [SCREENSHOT_DIR]\n');
	process.exit(2);
}
const EV = seed.events.live;
const HIDDEN = seed.events.hidden;
const MISSING = 987654321;
const t = spec('dashboard', shotDir);
const { check, step, shot, consoleErrors, axeFindings } = t;
const axe = (page, name) => t.axe(page, name);
// answers the steps provoke on purpose (a 409 shown to the user, the 404s of what one may not see, the
// 401 that sends to the login page)
const expected = t.expected;
expected.push('/api/v1/auth/me', '/promote', '/api/v1/events/' + HIDDEN, '/api/v1/events/' + MISSING, '/live?');
// a socket cut on purpose (offline emulation) is not an error of the page
expected.push(/WebSocket|ERR_INTERNET_DISCONNECTED/);
const watch = (page) => t.watch(page, { dialogs: 'dismiss' });

// The API as a script would call it (bearer admin token); throws on a non-2xx answer.
async function call(method, p, body) {
	const r = await fetch(base + p, { method, headers: { 'Content-Type': 'application/json',
		Authorization: 'Bearer ' + seed.admin }, body: body ? JSON.stringify(body) : undefined });
	const data = await r.json().catch(() => null);
	if (!r.ok) throw new Error(method + ' ' + p + ': ' + r.status + ' ' + JSON.stringify(data));
	return data;
}

async function register(name, email, extra) {
	return (await call('POST', '/api/v1/events/' + EV + '/registrations', { name, email, lang: 'fr', consent: true,
		...(extra || {}) })).registration;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const browser = await t.launch({ args: ['--disable-quic'] });

// A new browser context (its own cookies) logged in as account, on the dashboard of event in lang at size.
async function dashboard(account, lang, size, event) {
	const ctx = await browser.newContext({ viewport: size, locale: lang === 'ar' ? 'ar-MA' : lang + '-FR',
		acceptDownloads: true });
	ctx.setDefaultTimeout(15000);
	const page = await ctx.newPage();
	watch(page);
	// not logged in: the dashboard sends to the login page, which comes back to it
	const target = '/admin/events/' + (event || EV);
	await page.goto(base + target + '?lang=' + lang, { waitUntil: 'load' });
	await page.waitForURL((u) => u.pathname === '/login');
	await page.fill('#f-email', account);
	await page.fill('#f-password', seed.password);
	await page.click('#submit');
	await page.waitForURL((u) => u.pathname === target);
	await page.waitForSelector('#main[aria-busy="false"]', { state: 'attached' });
	return { ctx, page };
}

// What a dashboard shows: counters, and each row (table and card) with its status.
function read(page) {
	return page.evaluate(() => {
		const txt = (sel) => (document.querySelector(sel) || { textContent: null }).textContent;
		const rows = {};
		for (const tr of document.querySelectorAll('#rows tr[data-id]')) {
			rows[tr.getAttribute('data-id')] = { name: tr.querySelector('.dash-name').textContent,
				status: tr.className.replace('st-', ''), text: tr.children[1].textContent };
		}
		const cards = {};
		for (const li of document.querySelectorAll('#cards li[data-id]')) cards[li.getAttribute('data-id')] = li.className;
		return {
			confirmed: txt('#c-confirmed .dash-big'), pending: txt('#c-pending .dash-big'),
			waitlisted: txt('#c-waitlisted .dash-big'), available: txt('#c-available .dash-big'),
			women: txt('#c-confirmed [data-sex="women"] b'), men: txt('#c-confirmed [data-sex="men"] b'),
			unspecified: txt('#c-confirmed [data-sex="unspecified"] b'),
			live: document.getElementById('live').className, liveText: document.getElementById('live').textContent,
			rows, cards, noReload: window.__dashMark === true,
		};
	});
}

// Waits (polling every 25 ms, at most ms) until fn(read(page)) holds; resolves to the time it took.
async function until(page, fn, arg, ms) {
	const t0 = Date.now();
	await page.waitForFunction(fn, arg, { polling: 25, timeout: ms || 10000 });
	return Date.now() - t0;
}

const rowIs = ([id, status, name]) => {
	const tr = document.querySelector('#rows tr[data-id="' + id + '"]');
	const li = document.querySelector('#cards li[data-id="' + id + '"]');
	return !!tr && !!li && tr.classList.contains('st-' + status) && li.classList.contains('st-' + status) &&
		(!name || tr.textContent.includes(name));
};

let d1 = null; // organiser a1, French, 1280 px
let d2 = null; // organiser a2, Arabic, 360 px
const ids = { ...seed.regs };

try {
	await step('two_dashboards_live', async () => {
		d1 = await dashboard(seed.accounts.a1, 'fr', { width: 1280, height: 900 });
		d2 = await dashboard(seed.accounts.a2, 'ar', { width: 360, height: 740 });
		for (const d of [d1, d2]) {
			await d.page.waitForSelector('#live.on');
			await d.page.evaluate(() => { window.__dashMark = true; });
		}
		const before = await read(d1.page);
		// a participant registers through the event page from a third browser
		const pctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
		const p = await pctx.newPage();
		watch(p);
		await p.goto(base + '/e/' + EV, { waitUntil: 'load' });
		await p.waitForSelector('#register:not([hidden])');
		await p.fill('#f-name', 'Salma Direct');
		await p.check('input[name="sex"][value="female"]');
		await p.fill('#f-contact', 'salma.direct@example.org');
		await p.check('#f-consent');
		const answered = p.waitForResponse((r) => r.url().endsWith('/api/v1/events/' + EV + '/registrations') &&
			r.request().method() === 'POST');
		await p.click('#submit');
		const res = await answered;
		const t0 = Date.now();
		// the page goes on to the personal page at once: the new row is found by its name
		const shown = (name) => {
			const has = (sel) => Array.from(document.querySelectorAll(sel)).some((n) => n.textContent.includes(name));
			const women = document.querySelector('#c-confirmed [data-sex="women"] b');
			return has('#rows tr[data-id]') && has('#cards li[data-id]') &&
				/^3\s*\/\s*3$/.test(document.querySelector('#c-confirmed .dash-big').textContent.trim()) &&
				women && women.textContent === '1';
		};
		await Promise.all([d1, d2].map((d) => d.page.waitForFunction(shown, 'Salma Direct', { polling: 25, timeout: 10000 })));
		const ms = Date.now() - t0;
		const reg = (await call('GET', '/api/v1/events/' + EV + '/registrations?limit=200')).items
			.find((x) => x.name === 'Salma Direct');
		ids.salma = reg.id;
		const after = [await read(d1.page), await read(d2.page)];
		await shot(d1.page, 'fr-1280-live');
		await shot(d2.page, 'ar-360-live');
		await pctx.close();
		check('two_dashboards_live', res.status() === 201 && ms <= 1000 && reg.status === 'confirmed' && after.every((a) => a.noReload) &&
			before.confirmed.replace(/\s/g, '') === '2/3' && after[1].available === '0',
		{ ms, status: reg.status, before: before.confirmed, after: after.map((a) => [a.confirmed, a.women, a.available, a.noReload]) });
	});

	await step('presence_live', async () => {
		// a check-in at the door: both dashboards count one more present (a woman) at that session
		const sid = (await call('GET', '/api/v1/events/' + EV)).sessions[0].id;
		await call('POST', '/api/v1/sessions/' + sid + '/attendance', { registration_id: ids.salma, status: 'present' });
		const t0 = Date.now();
		await Promise.all([d1, d2].map((d) => d.page.waitForFunction((s) => {
			const li = document.getElementById('p-' + s);
			const women = li && li.querySelector('[data-sex="women"] b');
			return li && li.querySelector('.dash-session-n .dash-big').textContent === '1' && women && women.textContent === '1';
		}, sid, { polling: 25, timeout: 10000 })));
		const ms = Date.now() - t0;
		// a participant confirms they will come, from their personal link: their row says so
		const r = await fetch(base + '/api/v1/r/' + seed.tokens.arabic + '/confirm', { method: 'POST' });
		if (r.status !== 200) throw new Error('confirm: ' + r.status);
		await Promise.all([d1, d2].map((d) => d.page.waitForFunction((a) => {
			const tr = document.querySelector('#rows tr[data-id="' + a + '"] .dash-coming');
			const li = document.querySelector('#cards li[data-id="' + a + '"] .dash-coming');
			return tr && li;
		}, ids.arabic, { polling: 25, timeout: 5000 })));
		const coming = await d1.page.textContent('#rows tr[data-id="' + ids.arabic + '"] .dash-coming');
		const other = await d1.page.evaluate(() => Array.from(document.querySelectorAll('#presence li'))
			.map((li) => li.querySelector('.dash-session-n .dash-big').textContent));
		check('presence_live', ms <= 1000 && other.length === 2 && other[1] === '0' && coming === 'a confirmé sa venue',
			{ ms, sessions: other, coming });
	});

	await step('offline_catches_up', async () => {
		if (!d2) throw new Error('no dashboard');
		// a third dashboard, opened after the last change: cut before it saw any, it has nothing to replay
		// from and reloads its snapshot when back
		const d3 = await dashboard(seed.accounts.a1, 'en', { width: 1280, height: 900 });
		await d3.page.waitForSelector('#live.on');
		await d3.page.evaluate(() => { window.__dashMark = true; });
		await d3.ctx.setOffline(true);
		await d2.ctx.setOffline(true);
		await d2.page.waitForSelector('#live.off', { timeout: 5000 });
		await d3.page.waitForSelector('#live.off', { timeout: 5000 });
		const offText = await d2.page.textContent('#live');
		await shot(d2.page, 'ar-360-offline');
		// three changes while it is away: two new people on the waiting list, one cancellation (which gives
		// its seat to the first of them)
		ids.karim = (await register('Karim Horsligne', 'karim.offline@example.org', { sex: 'male' })).id;
		ids.nadia = (await register('Nadia Horsligne', 'nadia.offline@example.org', { sex: 'female', name_ar: 'نادية' })).id;
		await call('POST', '/api/v1/registrations/' + ids.formula + '/cancel');
		// the connected one follows at once; the cut one still shows what it had
		await until(d1.page, rowIs, [ids.karim, 'confirmed', 'Karim Horsligne'], 5000).catch(async (e) => {
			throw new Error('the connected dashboard shows ' + JSON.stringify(await read(d1.page)) + ': ' + e);
		});
		const stale = await read(d2.page);
		await d2.ctx.setOffline(false);
		await d3.ctx.setOffline(false);
		const ms = await until(d2.page, ([k, n, f]) => {
			const is = (id, st) => {
				const li = document.querySelector('#cards li[data-id="' + id + '"]');
				return li && li.classList.contains('st-' + st);
			};
			return document.getElementById('live').classList.contains('on') && is(k, 'confirmed') &&
				is(n, 'waitlisted') && is(f, 'cancelled') &&
				document.querySelector('#c-waitlisted .dash-big').textContent.trim() === '1';
		}, [ids.karim, ids.nadia, ids.formula], 15000);
		const back = await read(d2.page);
		await shot(d2.page, 'ar-360-back');
		await until(d3.page, rowIs, [ids.karim, 'confirmed', 'Karim Horsligne'], 15000);
		await until(d3.page, rowIs, [ids.formula, 'cancelled'], 5000);
		const third = await read(d3.page);
		await d3.ctx.close();
		check('offline_catches_up', /غير متصل/.test(offText) && !stale.rows[ids.karim] && back.noReload &&
			back.live.includes('on') && !/غير متصل/.test(back.liveText) && back.confirmed.replace(/\s/g, '') === '3/3' &&
			third.noReload && third.rows[ids.nadia] && third.rows[ids.nadia].status === 'waitlisted' && third.waitlisted === '1',
		{ offText, stale_has_karim: !!stale.rows[ids.karim], ms, back: [back.live, back.liveText, back.confirmed, back.waitlisted],
			third: [third.noReload, third.confirmed, third.waitlisted] });
	});

	await step('promote_out_of_turn', async () => {
		ids.omar = (await register('Omar Attente', 'omar.wait@example.org', { sex: 'male' })).id;
		await until(d1.page, rowIs, [ids.omar, 'waitlisted', 'Omar Attente'], 5000);
		const row = '#rows tr[data-id="' + ids.omar + '"]';
		const position = await d1.page.textContent(row + ' .dash-status');
		await d1.page.click(row + ' button[data-act="promote"]');
		await d1.page.waitForSelector(row + ' .dash-msg.error');
		const refused = await d1.page.textContent(row + ' .dash-msg.error');
		await shot(d1.page, 'fr-1280-no-seat');
		await d1.page.click(row + ' button[data-act="raise"]');
		await until(d1.page, rowIs, [ids.omar, 'confirmed'], 5000);
		const ms = await until(d2.page, ([o, n]) => {
			const li = (id) => document.querySelector('#cards li[data-id="' + id + '"]');
			return li(o) && li(o).classList.contains('st-confirmed') && li(n).classList.contains('st-waitlisted') &&
				/^4\s*\/\s*4$/.test(document.querySelector('#c-confirmed .dash-big').textContent.trim());
		}, [ids.omar, ids.nadia], 5000);
		const said = await d1.page.textContent(row + ' .dash-msg');
		const api = await call('GET', '/api/v1/events/' + EV);
		const one = (await call('GET', '/api/v1/events/' + EV + '/registrations?status=waitlisted')).items;
		check('promote_out_of_turn', /\(2\)/.test(position) && /Aucune place libre/.test(refused) &&
			/Place donnée/.test(said) && api.capacity === 4 && api.counts.confirmed === 4 &&
			one.length === 1 && one[0].id === ids.nadia && one[0].waitlist_position === 1,
		{ position, refused, said, ms, capacity: api.capacity, confirmed: api.counts.confirmed, waitlist: one.map((x) => x.id) });
	});

	await step('table_tools', async () => {
		const page = d1.page;
		const names = () => page.evaluate(() => Array.from(document.querySelectorAll('#rows tr[data-id] .dash-name'))
			.map((n) => n.textContent));
		const out = {};
		await page.fill('#q', 'احمد'); // no hamza, no harakat: finds أحمد
		out.arabic = await names();
		await page.fill('#q', 'bénali'); // an accent the stored name lacks
		out.latin = await names();
		out.url = new URL(page.url()).searchParams.get('q');
		await page.fill('#q', '');
		await page.selectOption('#filter', 'waitlisted');
		out.waitlisted = await names();
		await page.selectOption('#filter', '');
		await page.click('#head button[data-sort="name"]');
		out.by_name = await names();
		await page.selectOption('#sort', 'newest');
		out.newest = await names();
		out.aria_sort = await page.getAttribute('#head th[aria-sort]', 'aria-sort');
		await page.selectOption('#sort', 'name');
		const sortedNames = [...out.by_name].sort((a, b) => a.localeCompare(b, 'fr', { sensitivity: 'base' }));
		check('table_tools', out.arabic.length === 1 && out.arabic[0] === 'Ahmed Benali' &&
			out.latin.length === 1 && out.latin[0] === 'Ahmed Benali' && out.url === 'bénali' &&
			out.waitlisted.length === 1 && out.waitlisted[0] === 'Nadia Horsligne' &&
			JSON.stringify(out.by_name) === JSON.stringify(sortedNames) && out.by_name.length === 6 &&
			out.newest[0] === 'Omar Attente' && out.aria_sort === 'descending', out);
	});

	await step('actions_and_messages', async () => {
		const page = d1.page;
		const salma = '#rows tr[data-id="' + ids.salma + '"]';
		await page.click(salma + ' button[data-act="link"]');
		await page.waitForSelector(salma + ' .dash-msg.ok');
		const linkSaid = await page.textContent(salma + ' .dash-msg.ok');
		await page.click(salma + ' button[data-act="notes"]');
		await page.waitForFunction(() => !document.getElementById('notes-who').hidden &&
			Array.from(document.querySelectorAll('#notes-list .dash-note')).some((li) => li.textContent.includes('Lien personnel renvoyé')));
		const notes = await page.evaluate(() => ({ who: document.getElementById('notes-who').textContent,
			items: Array.from(document.querySelectorAll('#notes-list .dash-note')).map((li) => li.textContent) }));
		// once mailed, a message can go again (the participant lost it): a copy joins the list
		let sent = null;
		for (let i = 0; i < 40 && !sent; i++) {
			await page.click('#notes-refresh');
			await page.waitForSelector('#notes-status:empty', { state: 'attached' });
			sent = await page.$('#notes-list .dash-note:has(.nt-sent) button[data-note]');
			if (!sent) await sleep(250);
		}
		if (!sent) throw new Error('no message of Salma Direct was mailed');
		const before = await page.locator('#notes-list .dash-note').count();
		await sent.click();
		await page.waitForSelector('#notes-list .dash-msg.ok');
		await page.waitForSelector('#notes-status:empty', { state: 'attached' }); // the list loaded again
		const resent = { said: await page.textContent('#notes-list .dash-msg.ok'),
			count: await page.locator('#notes-list .dash-note').count(), before };
		await shot(page, 'fr-1280-messages');
		// cancelling asks first; "no" changes nothing, "yes" cancels, and the other dashboard follows
		const nadia = '#rows tr[data-id="' + ids.nadia + '"]';
		await page.click(nadia + ' button[data-act="cancel"]');
		const asked = await page.textContent(nadia + ' .dash-ask');
		const focusedNo = await page.evaluate(() => document.activeElement.getAttribute('data-act'));
		await page.keyboard.press('Escape'); // no, by the keyboard: the focus is back on "cancel"
		const focusedBack = await page.evaluate(() => document.activeElement.getAttribute('data-act'));
		await page.click(nadia + ' button[data-act="cancel"]');
		await page.click(nadia + ' button[data-act="no"]');
		const still = (await call('GET', '/api/v1/events/' + EV + '/registrations?status=waitlisted')).total;
		await page.click(nadia + ' button[data-act="cancel"]');
		await page.click(nadia + ' button[data-act="cancel"]');
		await until(d2.page, rowIs, [ids.nadia, 'cancelled'], 5000);
		const counts = await read(d2.page);
		check('actions_and_messages', /nouveau lien/.test(linkSaid) && notes.who.includes('Salma Direct') &&
			notes.items.length >= 1 && notes.items.every((x) => x.includes('Salma Direct')) &&
			/remis en file/.test(resent.said) && resent.count === resent.before + 1 &&
			/Annuler cette inscription/.test(asked) && focusedNo === 'no' && focusedBack === 'cancel' && still === 1 &&
			counts.waitlisted === '0',
		{ linkSaid, notes, resent, asked, focusedNo, focusedBack, still, waitlisted: counts.waitlisted });
	});

	await step('approve_on_phone', async () => {
		// the event now needs approval: a new registration waits for it; approved on the Arabic phone with
		// no seat free, it joins the waiting list, and the other dashboard follows
		await call('PATCH', '/api/v1/events/' + EV, { needs_approval: true });
		ids.yasmine = (await register('Yasmine Valider', 'yasmine.approve@example.org', { sex: 'female' })).id;
		await until(d2.page, rowIs, [ids.yasmine, 'pending', 'Yasmine Valider'], 5000);
		const pending = (await read(d2.page)).pending;
		const card = '#cards li[data-id="' + ids.yasmine + '"]';
		const label = await d2.page.textContent(card + ' button[data-act="approve"]');
		await shot(d2.page, 'ar-360-pending');
		await d2.page.click(card + ' button[data-act="approve"]');
		await until(d2.page, rowIs, [ids.yasmine, 'waitlisted'], 5000);
		await until(d1.page, rowIs, [ids.yasmine, 'waitlisted'], 5000);
		const after = await read(d1.page);
		check('approve_on_phone', pending === '1' && label === 'قبول' && after.pending === '0' && after.waitlisted === '1' &&
			/\(1\)/.test(after.rows[ids.yasmine].text),
		{ pending, label, after: [after.pending, after.waitlisted, after.rows[ids.yasmine]] });
	});

	await step('csv_exports', async () => {
		const page = d1.page;
		const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#csv-regs')]);
		const file = await dl.path();
		const bytes = fs.readFileSync(file);
		const text = bytes.toString('utf8');
		const att = await page.evaluate(async () => {
			const r = await fetch(document.getElementById('csv-att').href, { credentials: 'same-origin' });
			return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
		});
		const head = text.replace(/^\ufeff/, '').split('\r\n')[0];
		check('csv_exports', bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf &&
			/^N° inscription,Nom,Nom \(arabe\),Sexe/.test(head) && text.includes("'=HYPERLINK") &&
			!/(^|,)=HYPERLINK/m.test(text) && text.includes('أحمد بنعلي') &&
			/registrations-fr\.csv$/.test(dl.suggestedFilename()) &&
			att.status === 200 && /text\/csv/.test(att.type) && att.text.includes('Salma Direct'),
		{ file: dl.suggestedFilename(), head, att_head: att.text.split('\r\n')[0], att_status: att.status });
	});

	await step('other_org_not_found', async () => {
		const b = await dashboard(seed.accounts.b, 'en', { width: 1280, height: 900 }, HIDDEN);
		const seen = async (ev) => {
			await b.page.goto(base + '/admin/events/' + ev + '?lang=en', { waitUntil: 'load' });
			await b.page.waitForSelector('#main[aria-busy="false"]', { state: 'attached' });
			await sleep(300); // a late frame or answer would show here
			return b.page.evaluate(() => ({ title: document.getElementById('title').textContent,
				shown: ['counters', 'regs', 'notes', 'meta'].filter((x) => !document.getElementById(x).hidden),
				body: document.body.textContent.includes('Formation suivie') }));
		};
		const hidden = await seen(HIDDEN);
		await shot(b.page, 'en-1280-hidden');
		const missing = await seen(MISSING);
		const api = await b.page.evaluate(async ([h, m]) => {
			const one = async (p, n) => {
				const r = await fetch(p, { credentials: 'same-origin' });
				const j = await r.json();
				return [r.status, j.error && j.error.code, ((j.error && j.error.message) || '').split(String(n)).join('{id}')];
			};
			return {
				regs: [await one('/api/v1/events/' + h + '/registrations', h), await one('/api/v1/events/' + m + '/registrations', m)],
				event: [await one('/api/v1/events/' + h, h), await one('/api/v1/events/' + m, m)],
			};
		}, [HIDDEN, MISSING]);
		// the public event of the other organisation: its numbers, never its people
		const pub = await seen(EV);
		const pubNames = await b.page.evaluate(() => /Salma|Karim|Omar|Benali/.test(document.body.textContent));
		await axe(b.page, 'dashboard en 1280 (other organisation, numbers only)');
		await shot(b.page, 'en-1280-numbers-only');
		await b.ctx.close();
		check('other_org_not_found', hidden.title === missing.title && hidden.title === 'Page not found' &&
			!hidden.shown.length && !missing.shown.length && !hidden.body &&
			JSON.stringify(api.regs[0]) === JSON.stringify(api.regs[1]) && api.regs[0][0] === 404 &&
			JSON.stringify(api.event[0]) === JSON.stringify(api.event[1]) &&
			pub.shown.includes('counters') && !pub.shown.includes('regs') && !pubNames,
		{ hidden, missing, api, pub, pubNames });
	});

	await step('axe', async () => {
		for (const [d, lang, width] of [[d1, 'fr', 1280], [d1, 'en', 1280], [d2, 'ar', 360], [d1, 'ar', 1280]]) {
			await d.page.setViewportSize({ width, height: width > 400 ? 900 : 740 });
			await d.page.goto(base + '/admin/events/' + EV + '?lang=' + lang, { waitUntil: 'load' });
			await d.page.waitForSelector('#live.on');
			await d.page.waitForSelector('#rows tr[data-id]', { state: 'attached' });
			await axe(d.page, 'dashboard ' + lang + ' ' + width);
			await shot(d.page, lang + '-' + width);
		}
		const rtl = await d2.page.evaluate(() => ({ dir: document.documentElement.dir,
			wide: document.documentElement.scrollWidth <= window.innerWidth + 1 }));
		check('axe', axeFindings.length >= 5 && axeFindings.every((f) => !f.violations.length) && rtl.dir === 'rtl' && rtl.wide,
			{ findings: axeFindings.filter((f) => f.violations.length), runs: axeFindings.length, rtl });
	});
	await step('session_end_to_login', async () => {
		// the session ends elsewhere (logged out with the same cookie and token): the live stream closes
		// and the dashboard goes to the login page, saying the session expired and coming back here after
		const page = d1.page;
		await page.goto(base + '/admin/events/' + EV + '?lang=fr', { waitUntil: 'load' });
		await page.waitForSelector('#live.on');
		const cookies = await d1.ctx.cookies();
		const csrf = await page.evaluate(() => localStorage.getItem('majlis.csrf') || sessionStorage.getItem('majlis.csrf'));
		const other = await browser.newContext();
		await other.addCookies(cookies);
		const op = await other.newPage();
		await op.goto(base + '/icon.svg');
		const status = await op.evaluate(async (token) => (await fetch('/api/v1/auth/logout', {
			method: 'POST', headers: { 'X-CSRF-Token': token }, credentials: 'same-origin' })).status, csrf);
		await other.close();
		await page.waitForURL((u) => u.pathname === '/login', { timeout: 10000 });
		const u = new URL(page.url());
		check('session_end_to_login', status === 204 && u.searchParams.get('expired') === '1' &&
			u.searchParams.get('next') === '/admin/events/' + EV + '?lang=fr', { status, url: page.url() });
	});
} catch (e) {
	check('run', false, String(e && e.stack ? e.stack : e));
}
await t.finish(browser);
