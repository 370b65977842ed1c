// calendars: the subscription centre (/admin/calendars) — the public feed with its filters, and for
// admins and organisers the secret feeds of an organisation and of a person (create, rotate, revoke
// through /api/v1/calendar-tokens). Each link comes with a copy button (the Clipboard API, else the text
// is selected for the reader to copy), its webcal:// form, a QR code drawn by majlisd
// (POST /api/v1/calendar-tokens/qr) and short instructions for Outlook, Google, Apple and Thunderbird.
// A secret URL is shown only in the answer that makes it (the server keeps its hash only).
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;
	const TYPES = ['training', 'workshop', 'concertation'];
	const APPS = ['outlook', 'google', 'apple', 'thunderbird'];
	let uid = 0;

	// Copies text (the Clipboard API; else selects input's text so that the reader copies it) and says so
	// in note.
	async function copy(ctx, input, note) {
		let done = false;
		try {
			if (navigator.clipboard && window.isSecureContext) {
				await navigator.clipboard.writeText(input.value);
				done = true;
			}
		} catch (e) {
			done = false;
		}
		if (!done) {
			input.focus();
			input.select();
			try {
				done = document.execCommand('copy');
			} catch (e) {
				done = false;
			}
		}
		note.textContent = done ? ctx.t('off_cal_copied') : ctx.t('off_cal_copy_select');
	}

	// A read-only URL with its copy button.
	function urlRow(ctx, label, url, cls) {
		const id = 'cal-url-' + ++uid;
		const input = el('input', { type: 'text', id, readonly: true, value: url, dir: 'ltr', class: 'url ' + (cls || ''),
			spellcheck: 'false' });
		input.addEventListener('focus', () => input.select());
		const note = el('span', { class: 'copy-note', role: 'status', 'aria-live': 'polite' });
		const b = el('button', { type: 'button', class: 'button secondary copy' }, ctx.t('off_cal_copy'));
		b.setAttribute('aria-label', ctx.t('off_cal_copy') + ' — ' + label);
		b.addEventListener('click', () => copy(ctx, input, note));
		return el('div', { class: 'url-row' }, el('label', { for: id }, label), el('div', { class: 'url-line' }, input, b), note);
	}

	// The QR image of url (an SVG from majlisd, as a data: image: the page's CSP allows no other origin).
	function qrImage(ctx, url) {
		const fig = el('figure', { class: 'qr' });
		const img = el('img', { alt: ctx.t('off_cal_qr_alt'), width: 168, height: 168, class: 'qr-img' });
		fig.append(img, el('figcaption', {}, ctx.t('off_cal_qr_help')));
		M.api.post('/api/v1/calendar-tokens/qr', { url }).then((a) => {
			img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(a.body.svg);
		}).catch((e) => {
			fig.replaceChildren(el('p', { class: 'error' }, ctx.errorText(e)));
		});
		return fig;
	}

	function howTo(ctx) {
		const list = el('dl', { class: 'howto' });
		for (const a of APPS) list.append(el('dt', {}, ctx.t('off_cal_app_' + a)), el('dd', {}, ctx.t('off_cal_how_' + a)));
		return el('details', { class: 'howto-box' }, el('summary', {}, ctx.t('off_cal_howto')), list);
	}

	// A feed's links (https and webcal), its QR code and the instructions.
	function feedBox(ctx, web, webcal) {
		return el('div', { class: 'feed-box' },
			el('div', { class: 'feed-links' }, urlRow(ctx, ctx.t('off_cal_url_https'), web, 'https'),
				urlRow(ctx, ctx.t('off_cal_url_webcal'), webcal, 'webcal'),
				el('p', { class: 'actions' }, el('a', { class: 'button', href: webcal }, ctx.t('off_cal_open_webcal'))),
				howTo(ctx)),
			qrImage(ctx, webcal));
	}

	// The public feed: filters (city, type, language) and its links.
	async function publicSection(ctx) {
		let cities = [];
		try {
			const d = await M.api.get('/api/v1/venues?limit=200');
			cities = Array.from(new Set((d.items || []).map((v) => v.city).filter(Boolean))).sort((a, b) => a.localeCompare(b));
		} catch (e) {
			cities = [];
		}
		const opt = (v, label) => el('option', { value: v }, label);
		const city = ctx.field('cal-city', ctx.t('city'), el('select', {}, opt('', ctx.t('all_cities')), ...cities.map((c) => opt(c, c))));
		const type = ctx.field('cal-type', ctx.t('type'), el('select', {}, opt('', ctx.t('all_types')), ...TYPES.map((v) => opt(v, ctx.t(v)))));
		const lang = ctx.field('cal-lang', ctx.t('off_cal_feed_lang'), el('select', {}, opt('fr', 'Français'), opt('ar', 'العربية'), opt('en', 'English')));
		lang.input.value = ctx.lang;
		const box = el('div', {});
		function draw() {
			const q = new URLSearchParams();
			if (city.input.value) q.set('city', city.input.value);
			if (type.input.value) q.set('type', type.input.value);
			q.set('lang', lang.input.value);
			const u = M.feedUrls('/calendar/public.ics?' + q.toString());
			box.replaceChildren(feedBox(ctx, u.web, u.webcal));
		}
		const form = el('form', { class: 'filters off-filters', 'aria-label': ctx.t('filters') }, city.wrap, type.wrap, lang.wrap);
		form.addEventListener('submit', (ev) => ev.preventDefault());
		form.addEventListener('change', draw);
		draw();
		return el('section', { class: 'card', 'aria-labelledby': 'cal-public' }, el('h2', { id: 'cal-public' }, ctx.t('off_cal_public')),
			el('p', {}, ctx.t('off_cal_public_help')), form, box);
	}

	// A secret feed just made (created or rotated): shown this once.
	function newLink(ctx, holder, tok, what) {
		holder.replaceChildren(el('div', { class: 'new-link', id: 'cal-new', tabindex: '-1' },
			el('h3', {}, what), el('p', { class: 'warn' }, ctx.t('off_cal_once')), feedBox(ctx, tok.url, tok.webcal_url)));
		holder.firstChild.focus();
	}

	// The secret feeds: a form to create one (an organisation's, or a person of the directory's), then the
	// list of valid ones with rotate and revoke.
	async function secretSection(ctx) {
		const holder = el('div', { class: 'new-holder' });
		const listBox = el('div', {});
		const isAdmin = ctx.me.role === 'admin';
		let orgs = [];
		try {
			orgs = (await M.api.get('/api/v1/organisations?limit=200')).items || [];
		} catch (e) {
			orgs = [];
		}
		const orgName = (id) => (orgs.find((o) => o.id === id) || {}).name || '#' + id;
		const opt = (v, label) => el('option', { value: v }, label);
		const kind = ctx.field('cal-kind', ctx.t('off_cal_kind'), el('select', {}, opt('organisation', ctx.t('off_cal_kind_organisation')),
			opt('person', ctx.t('off_cal_kind_person'))));
		const mine = orgs.filter((o) => isAdmin || o.id === ctx.me.org_id);
		const org = ctx.field('cal-org', ctx.t('off_cal_org'), el('select', {}, ...mine.map((o) => opt(String(o.id), o.name))));
		const person = ctx.field('cal-person', ctx.t('off_cal_person'), el('input', { type: 'search', autocomplete: 'off' }), ctx.t('off_cal_person_help'));
		const people = el('ul', { class: 'people-pick', id: 'cal-people' });
		const label = ctx.field('cal-label', ctx.t('off_cal_label'), el('input', { type: 'text', maxlength: 200 }), ctx.t('off_cal_label_help'));
		let chosen = null;
		person.wrap.appendChild(people);
		let timer = null;
		person.input.addEventListener('input', () => {
			clearTimeout(timer);
			chosen = null;
			timer = setTimeout(async () => {
				const q = person.input.value.trim();
				people.replaceChildren();
				if (q.length < 2) return;
				try {
					const d = await M.api.get('/api/v1/people?limit=8&q=' + encodeURIComponent(q), { noStore: true });
					for (const p of d.items || []) {
						const b = el('button', { type: 'button', class: 'pick' }, el('bdi', {}, p.name || ''),
							p.name_ar ? el('bdi', { class: 'muted' }, ' ' + p.name_ar) : null);
						b.addEventListener('click', () => {
							chosen = p.id;
							person.input.value = p.name || '';
							people.replaceChildren();
							ctx.showError(person, '');
						});
						people.appendChild(el('li', {}, b));
					}
					if (!(d.items || []).length) people.appendChild(el('li', { class: 'muted' }, ctx.t('off_cal_nobody')));
				} catch (e) {
					ctx.showError(person, ctx.errorText(e));
				}
			}, 250);
		});
		function showKind() {
			const p = kind.input.value === 'person';
			org.wrap.hidden = p;
			person.wrap.hidden = !p;
		}
		kind.input.addEventListener('change', showKind);
		showKind();
		const submit = el('button', { type: 'submit', class: 'button' }, ctx.t('off_cal_create'));
		const form = el('form', { class: 'stack grid2', id: 'cal-form', novalidate: true }, kind.wrap, org.wrap, person.wrap, label.wrap,
			el('p', { class: 'actions span2' }, submit));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			for (const f of [kind, org, person, label]) ctx.showError(f, '');
			const body = { owner_kind: kind.input.value };
			if (body.owner_kind === 'person') {
				if (!chosen) {
					ctx.showError(person, ctx.t('off_cal_pick_person'));
					person.input.focus();
					return;
				}
				body.owner_id = chosen;
			} else {
				body.owner_id = parseInt(org.input.value, 10);
			}
			if (label.input.value.trim()) body.label = label.input.value.trim();
			submit.disabled = true;
			try {
				const a = await M.api.post('/api/v1/calendar-tokens', body);
				label.input.value = '';
				newLink(ctx, holder, a.body, ctx.t('off_cal_new_' + body.owner_kind));
				await drawList();
			} catch (e) {
				const target = e.field === 'label' ? label : e.field === 'owner_id' || e.code === 'not_found' || e.code === 'person_erased'
					? (body.owner_kind === 'person' ? person : org) : null;
				if (target) ctx.showError(target, ctx.errorText(e));
				else ctx.setStatus(ctx.errorText(e), 'error');
			} finally {
				submit.disabled = false;
			}
		});

		async function drawList() {
			let d;
			try {
				d = await M.api.get('/api/v1/calendar-tokens?limit=200', { noStore: true });
			} catch (e) {
				listBox.replaceChildren(el('p', { class: 'error' }, ctx.errorText(e)));
				return;
			}
			if (!d.items.length) {
				listBox.replaceChildren(el('p', { class: 'empty' }, ctx.t('off_cal_none')));
				return;
			}
			// the names of the people whose feeds these are (the caller answers for them, so may read them)
			const names = new Map();
			await Promise.all(Array.from(new Set(d.items.filter((x) => x.owner_kind === 'person').map((x) => x.owner_id)))
				.map((id) => M.api.get('/api/v1/people/' + id).then((p) => names.set(id, p.name)).catch(() => null)));
			const ul = el('ul', { class: 'tokens', id: 'cal-tokens' });
			for (const tk of d.items) {
				const owner = tk.owner_kind === 'organisation' ? orgName(tk.owner_id)
					: names.get(tk.owner_id) || ctx.t('off_cal_person_n', { id: tk.owner_id });
				const rotate = el('button', { type: 'button', class: 'button secondary', 'data-action': 'rotate' }, ctx.t('off_cal_rotate'));
				const revoke = el('button', { type: 'button', class: 'button danger-outline', 'data-action': 'revoke' }, ctx.t('off_cal_revoke'));
				const name = tk.label || owner;
				rotate.setAttribute('aria-label', ctx.t('off_cal_rotate') + ' — ' + name);
				revoke.setAttribute('aria-label', ctx.t('off_cal_revoke') + ' — ' + name);
				rotate.addEventListener('click', async () => {
					if (!window.confirm(ctx.t('off_cal_rotate_confirm'))) return;
					rotate.disabled = true;
					try {
						const a = await M.api.post('/api/v1/calendar-tokens/' + tk.id + '/rotate', undefined);
						newLink(ctx, holder, a.body, ctx.t('off_cal_rotated'));
						await drawList();
					} catch (e) {
						rotate.disabled = false;
						ctx.setStatus(ctx.errorText(e), 'error');
					}
				});
				revoke.addEventListener('click', async () => {
					if (!window.confirm(ctx.t('off_cal_revoke_confirm'))) return;
					revoke.disabled = true;
					try {
						await M.api.request('DELETE', '/api/v1/calendar-tokens/' + tk.id);
						holder.replaceChildren();
						ctx.setStatus(ctx.t('off_cal_revoked'), 'ok');
						await drawList();
					} catch (e) {
						revoke.disabled = false;
						ctx.setStatus(ctx.errorText(e), 'error');
					}
				});
				ul.appendChild(el('li', { 'data-token': tk.id },
					el('div', { class: 'tok-main' }, el('strong', {}, el('bdi', {}, name)),
						el('span', { class: 'muted' }, ctx.t('off_cal_kind_' + tk.owner_kind), tk.label ? ' · ' : '', tk.label ? el('bdi', {}, owner) : '',
							' · ', ctx.t('off_cal_created', { when: ctx.fmtInstant(tk.created_at) }))),
					el('div', { class: 'actions' }, rotate, revoke)));
			}
			listBox.replaceChildren(ul);
		}
		await drawList();
		return el('section', { class: 'card', 'aria-labelledby': 'cal-secret' }, el('h2', { id: 'cal-secret' }, ctx.t('off_cal_secret')),
			el('p', {}, ctx.t('off_cal_secret_help')), form, holder,
			el('h3', { id: 'cal-list' }, ctx.t('off_cal_list')), listBox);
	}

	async function screen(ctx) {
		ctx.root.appendChild(el('p', { class: 'lead' }, ctx.t('off_cal_lead')));
		ctx.root.appendChild(await publicSection(ctx));
		if (ctx.me.role === 'admin' || ctx.me.role === 'organiser') ctx.root.appendChild(await secretSection(ctx));
		else ctx.root.appendChild(el('section', { class: 'card' }, el('h2', {}, ctx.t('off_cal_secret')), el('p', {}, ctx.t('off_cal_viewer_note'))));
	}

	M.screens = M.screens || {};
	M.screens.calendars = screen;
})();
