// accounts: the admins' screens for accounts (/admin/accounts: create organiser, check-in and viewer
// accounts, disable and enable them through /api/v1/accounts) and organisations (/admin/organisations:
// the directory and a new one through /api/v1/organisations). Errors show beside their field from the
// API's codes; nothing is kept in the page that the API did not store.
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;
	const ROLES = ['organiser', 'checkin', 'viewer'];
	const KINDS = ['central_government', 'local_government', 'ngo', 'international_organisation', 'private_sector',
		'training_centre'];

	// The field an API error belongs to: the one its message names, else the one its code is about.
	function fieldOf(e, byName, byCode) {
		if (e.field && byName[e.field]) return byName[e.field];
		if (e.code === 'missing_field') {
			const m = /'([a-z_]+)'/.exec(e.message || '');
			if (m && byName[m[1]]) return byName[m[1]];
		}
		return byCode[e.code] || null;
	}

	async function allOrgs() {
		const d = await M.api.get('/api/v1/organisations?limit=200', { noStore: true });
		return d.items || [];
	}

	async function accountsScreen(ctx) {
		const orgs = await allOrgs();
		const orgName = (id) => (id ? (orgs.find((o) => o.id === id) || {}).name || '#' + id : '—');
		const opt = (v, label) => el('option', { value: v }, label);
		const email = ctx.field('acc-email', ctx.t('off_acc_email'), el('input', { type: 'email', autocomplete: 'off', required: true }));
		const name = ctx.field('acc-name', ctx.t('off_acc_name'), el('input', { type: 'text', maxlength: 120, required: true }));
		const password = ctx.field('acc-password', ctx.t('off_acc_password'), el('input', { type: 'password', autocomplete: 'new-password',
			minlength: 10, required: true }), ctx.t('off_acc_password_help'));
		const role = ctx.field('acc-role', ctx.t('off_acc_role'), el('select', {}, ...ROLES.map((r) => opt(r, ctx.t('off_role_' + r)))));
		const org = ctx.field('acc-org', ctx.t('off_acc_org'), el('select', {}, opt('', ctx.t('off_acc_org_none')), ...orgs.map((o) => opt(String(o.id), o.name))));
		const events = ctx.field('acc-events', ctx.t('off_acc_events'), el('select', { multiple: true, size: 5 }), ctx.t('off_acc_events_help'));
		async function loadEvents() {
			events.input.replaceChildren();
			events.wrap.hidden = role.input.value !== 'checkin' || !org.input.value;
			if (events.wrap.hidden) return;
			try {
				const d = await M.api.get('/api/v1/events?limit=200&org=' + encodeURIComponent(org.input.value), { noStore: true });
				for (const ev of d.items || []) if (ev.org_id === parseInt(org.input.value, 10))
					events.input.appendChild(opt(String(ev.id), M.pick(ev, 'title', ctx.lang)));
			} catch (e) {
				ctx.showError(events, ctx.errorText(e));
			}
		}
		role.input.addEventListener('change', loadEvents);
		org.input.addEventListener('change', loadEvents);
		await loadEvents();
		const fields = [email, name, password, role, org, events];
		const byName = { email, display_name: name, password, role, org_id: org, event_ids: events };
		const byCode = { email_taken: email, org_not_found: org, event_not_found: events };
		const submit = el('button', { type: 'submit', class: 'button' }, ctx.t('off_acc_create'));
		const done = el('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'acc-done' });
		const form = el('form', { class: 'stack grid2', id: 'acc-form', novalidate: true }, email.wrap, name.wrap, password.wrap, role.wrap,
			org.wrap, events.wrap, el('p', { class: 'actions span2' }, submit), done);
		const listBox = el('div', {});
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			for (const f of fields) ctx.showError(f, '');
			done.textContent = '';
			const body = { email: email.input.value.trim(), display_name: name.input.value.trim(), password: password.input.value,
				role: role.input.value };
			if (org.input.value) body.org_id = parseInt(org.input.value, 10);
			if (body.role === 'checkin') body.event_ids = Array.from(events.input.selectedOptions).map((o) => parseInt(o.value, 10));
			submit.disabled = true;
			try {
				const a = await M.api.post('/api/v1/accounts', body, { key: M.api.newKey() });
				form.reset();
				await loadEvents();
				done.textContent = ctx.t('off_acc_created', { email: a.body.email });
				await drawList();
			} catch (e) {
				const f = fieldOf(e, byName, byCode);
				if (f) {
					ctx.showError(f, ctx.t('off_acc_err_' + e.code) !== 'off_acc_err_' + e.code ? ctx.t('off_acc_err_' + e.code) : ctx.errorText(e));
					f.input.focus();
				} else {
					done.textContent = ctx.errorText(e);
				}
			} finally {
				submit.disabled = false;
			}
		});

		async function drawList() {
			let d;
			try {
				d = await M.api.get('/api/v1/accounts?limit=200', { noStore: true });
			} catch (e) {
				listBox.replaceChildren(el('p', { class: 'error' }, ctx.errorText(e)));
				return;
			}
			const rows = (d.items || []).map((a) => {
				const toggle = el('button', { type: 'button', class: a.disabled ? 'button secondary' : 'button danger-outline',
					'data-action': a.disabled ? 'enable' : 'disable' }, ctx.t(a.disabled ? 'off_acc_enable' : 'off_acc_disable'));
				toggle.setAttribute('aria-label', ctx.t(a.disabled ? 'off_acc_enable' : 'off_acc_disable') + ' — ' + a.email);
				if (a.id === (ctx.me.account && ctx.me.account.id)) toggle.disabled = true;
				toggle.addEventListener('click', async () => {
					if (!a.disabled && !window.confirm(ctx.t('off_acc_disable_confirm', { email: a.email }))) return;
					toggle.disabled = true;
					try {
						await M.api.request('PATCH', '/api/v1/accounts/' + a.id, { disabled: !a.disabled });
						await drawList();
					} catch (e) {
						toggle.disabled = false;
						ctx.setStatus(ctx.errorText(e), 'error');
					}
				});
				return el('tr', { 'data-account': a.email, class: a.disabled ? 'disabled' : null },
					el('th', { scope: 'row', 'data-label': ctx.t('off_acc_email') }, el('bdi', { dir: 'ltr' }, a.email)),
					el('td', { 'data-label': ctx.t('off_acc_name') }, el('bdi', {}, a.display_name)),
					el('td', { 'data-label': ctx.t('off_acc_role') }, ctx.t('off_role_' + a.role)),
					el('td', { 'data-label': ctx.t('off_acc_org') }, el('bdi', {}, orgName(a.org_id))),
					el('td', { 'data-label': ctx.t('off_acc_state'), class: 'acc-state' }, ctx.t(a.disabled ? 'off_acc_disabled' : 'off_acc_active')),
					el('td', { class: 'acts' }, toggle));
			});
			listBox.replaceChildren(el('div', { class: 'table-scroll' }, el('table', { class: 'off-table cards-narrow', id: 'accounts-table' },
				el('caption', { class: 'visually-hidden' }, ctx.t('off_acc_list')),
				el('thead', {}, el('tr', {}, ...['off_acc_email', 'off_acc_name', 'off_acc_role', 'off_acc_org', 'off_acc_state', 'off_acc_actions'].map((k) =>
					el('th', { scope: 'col' }, ctx.t(k))))), el('tbody', {}, ...rows))));
		}
		await drawList();
		ctx.root.append(el('section', { class: 'card', 'aria-labelledby': 'acc-new' }, el('h2', { id: 'acc-new' }, ctx.t('off_acc_new')), form),
			el('section', { 'aria-labelledby': 'acc-list' }, el('h2', { id: 'acc-list' }, ctx.t('off_acc_list')), listBox));
	}

	async function orgsScreen(ctx) {
		const opt = (v, label) => el('option', { value: v }, label);
		const name = ctx.field('org-name', ctx.t('off_org_name'), el('input', { type: 'text', maxlength: 200, required: true }));
		const kind = ctx.field('org-kind', ctx.t('off_org_kind'), el('select', {}, ...KINDS.map((k) => opt(k, ctx.t('off_org_kind_' + k)))));
		const city = ctx.field('org-city', ctx.t('city'), el('input', { type: 'text', maxlength: 100 }));
		const contact = ctx.field('org-email', ctx.t('off_org_email'), el('input', { type: 'email' }));
		const fields = [name, kind, city, contact];
		const byName = { name, kind, city, contact_email: contact };
		const byCode = { duplicate_name: name };
		const submit = el('button', { type: 'submit', class: 'button' }, ctx.t('off_org_create'));
		const done = el('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'org-done' });
		const form = el('form', { class: 'stack grid2', id: 'org-form', novalidate: true }, name.wrap, kind.wrap, city.wrap, contact.wrap,
			el('p', { class: 'actions span2' }, submit), done);
		const listBox = el('div', {});
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			for (const f of fields) ctx.showError(f, '');
			done.textContent = '';
			const body = { name: name.input.value.trim(), kind: kind.input.value };
			if (city.input.value.trim()) body.city = city.input.value.trim();
			if (contact.input.value.trim()) body.contact_email = contact.input.value.trim();
			submit.disabled = true;
			try {
				const a = await M.api.post('/api/v1/organisations', body, { key: M.api.newKey() });
				form.reset();
				done.textContent = ctx.t('off_org_created', { name: a.body.name });
				await drawList();
			} catch (e) {
				const f = fieldOf(e, byName, byCode);
				if (f) {
					ctx.showError(f, ctx.t('off_acc_err_' + e.code) !== 'off_acc_err_' + e.code ? ctx.t('off_acc_err_' + e.code) : ctx.errorText(e));
					f.input.focus();
				} else {
					done.textContent = ctx.errorText(e);
				}
			} finally {
				submit.disabled = false;
			}
		});
		async function drawList() {
			let items;
			try {
				items = await allOrgs();
			} catch (e) {
				listBox.replaceChildren(el('p', { class: 'error' }, ctx.errorText(e)));
				return;
			}
			listBox.replaceChildren(el('div', { class: 'table-scroll' }, el('table', { class: 'off-table cards-narrow', id: 'orgs-table' },
				el('caption', { class: 'visually-hidden' }, ctx.t('off_org_list')),
				el('thead', {}, el('tr', {}, ...['off_org_name', 'off_org_kind', 'city'].map((k) => el('th', { scope: 'col' }, ctx.t(k))))),
				el('tbody', {}, ...items.map((o) => el('tr', {}, el('th', { scope: 'row', 'data-label': ctx.t('off_org_name') }, el('bdi', {}, o.name)),
					el('td', { 'data-label': ctx.t('off_org_kind') }, ctx.t('off_org_kind_' + o.kind)),
					el('td', { 'data-label': ctx.t('city') }, el('bdi', {}, o.city || '—'))))))));
		}
		await drawList();
		ctx.root.append(el('section', { class: 'card', 'aria-labelledby': 'org-new' }, el('h2', { id: 'org-new' }, ctx.t('off_org_new')), form),
			el('section', { 'aria-labelledby': 'org-list' }, el('h2', { id: 'org-list' }, ctx.t('off_org_list')), listBox));
	}

	M.screens = M.screens || {};
	M.screens.accounts = accountsScreen;
	M.screens.organisations = orgsScreen;
})();
