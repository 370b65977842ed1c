// event-edit: create an event (/admin/events/new) or edit one (/admin/events/{id}/edit) — titles and
// descriptions in fr/ar/en, type, visibility, owner and partners, default venue, capacity, approval,
// registration window (Morocco's wall time, sent as instants with their offset) — and its sessions (wall
// time and zone, room, facilitator, title) through the API (POST/PATCH /api/v1/events, POST
// /api/v1/events/{id}/sessions, PATCH and DELETE /api/v1/sessions/{id}). Refusals are shown beside their
// field from the API's codes; a room or facilitator already booked names the other session (from the API's
// 409) with a link to its event; a session crossing a change of the zone's offset shows the API's warning.
// A PATCH names only the fields changed. DOM nodes and textContent only.
'use strict';

(function () {
	const M = window.Majlis;
	const E = M.events;
	const el = M.el;
	const $ = M.$;
	const t = M.i18n.t;
	const HOME = E.HOME;
	const m = /^\/admin\/events\/(\d+)\/edit$/.exec(location.pathname);
	const state = {
		lang: M.bo.lang(),
		id: m ? Number(m[1]) : null,
		me: null, // GET /api/v1/auth/me
		event: null, // the event as the API answered it
		orgs: [],
		venues: [], // with their rooms
		people: [],
		editing: null, // the session being edited, or null (a new one)
		missing: false,
	};
	const TEXTS = ['title_fr', 'title_ar', 'title_en', 'description_fr', 'description_ar', 'description_en', 'url'];
	const WINDOW = ['registration_opens_at', 'registration_closes_at'];
	const EVENT_FIELDS = ['org_id', 'type', 'visibility', 'capacity', 'venue_id', 'needs_approval', 'partner_org_ids']
		.concat(TEXTS, WINDOW);
	const SESSION_FIELDS = ['starts_local', 'ends_local', 'tz', 'starts_offset', 'room_id', 'facilitator_id', 'title'];

	// ---- small helpers ---------------------------------------------------------------------------------

	function show(id, text) {
		const p = $(id);
		p.textContent = text || '';
		p.hidden = !text;
	}

	function clearErrors(form, fields, prefix) {
		for (const f of fields) {
			const box = $('e-' + f);
			if (box) box.textContent = '';
			const input = $(prefix + f);
			if (input) input.removeAttribute('aria-invalid');
		}
		form.querySelectorAll('[aria-invalid]').forEach((n) => n.removeAttribute('aria-invalid'));
	}

	// Puts the refusal e beside its field (the one the API names, else byCode's) and returns true, or false
	// when it names none of fields.
	function fieldError(e, fields, prefix, byCode) {
		const f = (e.field && fields.indexOf(e.field) >= 0) ? e.field : (byCode[e.code] || null);
		if (!f || !$('e-' + f)) return false;
		$('e-' + f).textContent = E.errorText(e);
		const input = $(prefix + f);
		if (input) {
			input.setAttribute('aria-invalid', 'true');
			input.focus();
		}
		return true;
	}

	function option(value, text, selected) {
		return el('option', { value: String(value), selected: selected ? true : null }, text);
	}

	function orgName(id) {
		const o = state.orgs.find((x) => x.id === id);
		return o ? o.name : '#' + id;
	}

	function roomLabel(roomId) {
		for (const v of state.venues) {
			const r = (v.rooms || []).find((x) => x.id === roomId);
			if (r) return r.name + ' — ' + v.name + ' (' + v.city + ')';
		}
		return '#' + roomId;
	}

	function personLabel(id) {
		const p = state.people.find((x) => x.id === id);
		return p ? p.name + (p.name_ar ? ' · ' + p.name_ar : '') : '#' + id;
	}

	async function all(path) {
		const out = [];
		for (let offset = 0; ; offset += 200) {
			const sep = path.indexOf('?') >= 0 ? '&' : '?';
			const page = await M.api.get(path + sep + 'limit=200&offset=' + offset, { noStore: true });
			out.push(...(page.items || []));
			if (offset + 200 >= page.total || !(page.items || []).length) break;
		}
		return out;
	}

	// ---- loading ---------------------------------------------------------------------------------------

	async function load() {
		state.orgs = await all('/api/v1/organisations');
		const venues = await all('/api/v1/venues');
		state.venues = await Promise.all(venues.map((v) => M.api.get('/api/v1/venues/' + v.id, { noStore: true })));
		try {
			state.people = state.me.role === 'admin' || state.me.role === 'organiser' ? await all('/api/v1/people') : [];
		} catch (e) {
			state.people = [];
		}
		if (state.id) {
			try {
				state.event = await M.api.get('/api/v1/events/' + state.id, { noStore: true });
			} catch (e) {
				if (e.status === 404) state.missing = true;
				else throw e;
			}
		}
	}

	// ---- the event form ---------------------------------------------------------------------------------

	function fillSelects() {
		const ev = state.event;
		const org = $('f-org_id');
		const ownOrg = ev ? ev.org_id : state.me.org_id;
		org.replaceChildren();
		if (state.me.role === 'admin' && !ev) {
			org.appendChild(option('', t('events_pick_org'), !ownOrg));
			for (const o of state.orgs) org.appendChild(option(o.id, o.name, o.id === ownOrg));
			org.disabled = false;
		} else {
			org.appendChild(option(ownOrg || '', ownOrg ? orgName(ownOrg) : '—', true));
			org.disabled = true;
		}
		const venue = $('f-venue_id');
		venue.replaceChildren(option('', t('events_none'), !(ev && ev.venue_id)));
		for (const v of state.venues) {
			venue.appendChild(option(v.id, v.name + ' (' + v.city + ')', ev && ev.venue_id === v.id));
		}
		renderPartners();
	}

	function renderPartners() {
		const box = $('partners');
		const owner = Number($('f-org_id').value) || (state.event ? state.event.org_id : state.me.org_id);
		const chosen = new Set(Array.from(box.querySelectorAll('input:checked')).map((i) => Number(i.value)));
		if (!box.childNodes.length && state.event) (state.event.partner_org_ids || []).forEach((i) => chosen.add(i));
		box.replaceChildren();
		for (const o of state.orgs) {
			if (o.id === owner) continue;
			const input = el('input', { type: 'checkbox', value: String(o.id), checked: chosen.has(o.id) ? true : null });
			box.appendChild(el('label', { class: 'check' }, input, ' ', el('bdi', {}, o.name)));
		}
		if (!box.childNodes.length) box.appendChild(el('p', { class: 'help' }, t('events_no_partners')));
	}

	function fillEvent() {
		const ev = state.event;
		if (!ev) {
			$('f-capacity').value = '20';
			return;
		}
		$('f-type').value = ev.type;
		$('f-visibility').value = ev.visibility;
		$('f-capacity').value = String(ev.capacity);
		$('f-needs_approval').checked = !!ev.needs_approval;
		for (const f of TEXTS) $('f-' + f).value = ev[f] || '';
		for (const f of WINDOW) $('f-' + f).value = E.instantToWall(ev[f]);
	}

	// The body of the form: every field for a new event, the changed ones for an edit.
	function eventBody() {
		const v = {
			type: $('f-type').value,
			visibility: $('f-visibility').value,
			needs_approval: $('f-needs_approval').checked,
			venue_id: $('f-venue_id').value ? Number($('f-venue_id').value) : null,
			partner_org_ids: Array.from($('partners').querySelectorAll('input:checked')).map((i) => Number(i.value)),
		};
		const cap = $('f-capacity').value.trim();
		v.capacity = /^\d+$/.test(cap) ? Number(cap) : cap; // anything else: the API names the field
		for (const f of TEXTS) {
			const s = $('f-' + f).value;
			v[f] = s.trim() ? (f.startsWith('description') ? s.replace(/\r\n?/g, '\n') : s.trim()) : null;
		}
		for (const f of WINDOW) v[f] = $('f-' + f).value ? E.wallToInstant($('f-' + f).value) : null;
		const ev = state.event;
		if (!ev) {
			if ($('f-org_id').value) v.org_id = Number($('f-org_id').value);
			for (const k of Object.keys(v)) if (v[k] === null) delete v[k];
			return v;
		}
		const out = {};
		for (const k of Object.keys(v)) {
			let before = ev[k] === undefined ? null : ev[k];
			if (WINDOW.indexOf(k) >= 0) before = before ? E.wallToInstant(E.instantToWall(before)) : null;
			if (k === 'partner_org_ids') {
				if (JSON.stringify(v[k].slice().sort()) !== JSON.stringify((before || []).slice().sort())) out[k] = v[k];
			} else if (v[k] !== before) {
				out[k] = v[k];
			}
		}
		return out;
	}

	async function saveEvent(ev) {
		ev.preventDefault();
		const form = $('event-form');
		clearErrors(form, EVENT_FIELDS, 'f-');
		show('form-error', '');
		show('saved', '');
		const body = eventBody();
		if (state.event && !Object.keys(body).length) {
			show('saved', t('events_nothing_changed'));
			return;
		}
		const button = $('save');
		button.disabled = true;
		try {
			if (!state.event) {
				const r = await M.api.post('/api/v1/events', body, { key: M.api.newKey() });
				const q = new URLSearchParams(location.search);
				q.set('created', '1');
				location.assign('/admin/events/' + r.body.id + '/edit?' + q.toString());
				return;
			}
			const r = await M.api.request('PATCH', '/api/v1/events/' + state.event.id, body);
			state.event = r.body;
			fillEvent();
			renderSessions();
			show('saved', t('events_saved'));
		} catch (e) {
			if (e.status === 401) return;
			const byCode = {
				missing_field: body.title_fr === undefined && body.title_ar === undefined ? 'title_fr' : null,
				unknown_organisation: 'org_id', unknown_venue: 'venue_id', invalid_partner: 'partner_org_ids',
				invalid_window: 'registration_closes_at', capacity_below_confirmed: 'capacity',
			};
			if (!fieldError(e, EVENT_FIELDS, 'f-', byCode)) show('form-error', E.errorText(e));
		} finally {
			button.disabled = false;
		}
	}

	// ---- sessions ---------------------------------------------------------------------------------------

	// The API's warnings in the chosen language where their wording is known (nodes), else as written.
	function warningNodes(w) {
		let x = /crosses a change of UTC offset in (\S+) \(starts at UTC(\S+), ends at UTC(\S+)\)/.exec(w);
		if (x) return E.words('events_warn_crosses', { tz: x[1], from: 'UTC' + x[2], to: 'UTC' + x[3] });
		x = /span different UTC offsets \(UTC(\S+) and UTC(\S+)\)/.exec(w);
		if (x) return E.words('events_warn_span', { a: 'UTC' + x[1], b: 'UTC' + x[2] });
		return [w];
	}

	// "Salle : Salle B — Centre Al Amal (Oujda)": the label's word, then the value isolated (bdi).
	function fact(key, value) {
		const [before, after] = t('events_label_value', { label: t(key) }).split('{value}');
		return el('p', { class: 'ev-session-facts' }, before, el('bdi', {}, value), after || '');
	}

	function renderSessions() {
		const ev = state.event;
		const list = $('sessions');
		list.replaceChildren();
		const box = $('event-warnings');
		box.replaceChildren();
		for (const w of ev.warnings || []) box.append(...warningNodes(w), ' ');
		box.hidden = !(ev.warnings || []).length;
		for (const s of ev.sessions || []) {
			const li = el('li', { class: 'ev-session', 'data-session': String(s.id) });
			li.appendChild(el('p', { class: 'ev-session-when' }, ...M.sessionNodes(s, state.lang)));
			if (s.room_id) li.appendChild(fact('events_s_room', roomLabel(s.room_id)));
			if (s.facilitator_id) li.appendChild(fact('events_s_facilitator', personLabel(s.facilitator_id)));
			for (const w of s.warnings || []) {
				if (/crosses a change/.test(w)) li.appendChild(el('p', { class: 'ev-warning', role: 'note' }, ...warningNodes(w)));
			}
			const edit = el('button', { type: 'button', class: 'button secondary' }, t('events_session_edit'));
			edit.addEventListener('click', () => editSession(s));
			const del = el('button', { type: 'button', class: 'button danger-outline' }, t('events_session_delete'));
			del.addEventListener('click', () => deleteSession(s));
			li.appendChild(el('p', { class: 'actions' }, edit, del));
			list.appendChild(li);
		}
		$('no-sessions').hidden = !!(ev.sessions || []).length;
	}

	function fillSessionSelects(s) {
		const room = $('s-room_id');
		room.replaceChildren(option('', t('events_none'), !(s && s.room_id)));
		for (const v of state.venues) {
			if (!(v.rooms || []).length) continue;
			const g = el('optgroup', { label: v.name + ' (' + v.city + ')' });
			for (const r of v.rooms) {
				g.appendChild(option(r.id, r.name + ' — ' + t('events_room_seats', { n: r.capacity }), s && s.room_id === r.id));
			}
			room.appendChild(g);
		}
		const fac = $('s-facilitator_id');
		fac.replaceChildren(option('', t('events_none'), !(s && s.facilitator_id)));
		for (const p of state.people) fac.appendChild(option(p.id, personLabel(p.id), s && s.facilitator_id === p.id));
	}

	function resetSessionForm(s) {
		state.editing = s || null;
		const form = $('session-form');
		clearErrors(form, SESSION_FIELDS, 's-');
		show('session-error', '');
		$('clash').hidden = true;
		$('clash').replaceChildren();
		$('s-starts_local').value = s ? s.starts_local.slice(0, 16) : '';
		$('s-ends_local').value = s ? s.ends_local.slice(0, 16) : '';
		$('s-tz').value = s ? s.tz : HOME;
		$('s-title').value = s ? s.title || '' : '';
		offsetChoices(null);
		fillSessionSelects(s);
		$('session-form-title').textContent = t(s ? 'events_session_editing' : 'events_session_add');
		$('session-save').textContent = t(s ? 'events_session_save' : 'events_session_save_new');
		$('session-cancel').hidden = !s;
	}

	// The offsets to choose between for a wall time that happens twice (from the API's 422), or none.
	function offsetChoices(offsets) {
		const sel = $('s-starts_offset');
		sel.replaceChildren();
		$('w-starts_offset').hidden = !offsets;
		for (const o of offsets || []) sel.appendChild(option(o, t('events_s_offset_choice', { offset: o }), false));
	}

	function editSession(s) {
		resetSessionForm(s);
		$('s-starts_local').focus();
	}

	function sessionBody() {
		const v = {
			starts_local: $('s-starts_local').value,
			ends_local: $('s-ends_local').value,
			tz: $('s-tz').value.trim() || HOME,
			room_id: $('s-room_id').value ? Number($('s-room_id').value) : null,
			facilitator_id: $('s-facilitator_id').value ? Number($('s-facilitator_id').value) : null,
			title: $('s-title').value.trim() || null,
		};
		if (!$('w-starts_offset').hidden && $('s-starts_offset').value) v.starts_offset = $('s-starts_offset').value;
		const s = state.editing;
		if (!s) {
			for (const k of Object.keys(v)) if (v[k] === null) delete v[k];
			return v;
		}
		const out = {};
		for (const k of Object.keys(v)) {
			const before = k.endsWith('_local') ? s[k].slice(0, 16) : (s[k] === undefined ? null : s[k]);
			if (v[k] !== before) out[k] = v[k];
		}
		return out;
	}

	// The other session a 409 room_conflict / facilitator_conflict names, shown plainly with a link to it.
	function showClash(e) {
		const x = /by session (\d+) of "(.*)" \(event (\d+)\), (\S+) to (\S+) (\S+)$/.exec(e.message || '');
		const box = $('clash');
		const head = t(e.code === 'room_conflict' ? 'events_clash_room' : 'events_clash_facilitator');
		if (!x) {
			box.replaceChildren(el('p', { class: 'ev-clash-head' }, head), el('p', {}, e.message || e.code));
		} else {
			const other = { starts_local: x[4], ends_local: x[5], tz: x[6] };
			const link = el('a', { href: '/admin/events/' + x[3] + '/edit' }, el('bdi', {}, x[2]));
			box.replaceChildren(
				el('p', { class: 'ev-clash-head' }, head),
				el('p', { class: 'ev-clash-other' }, t('events_clash_other', { id: x[1] }), ' ', link),
				el('p', { class: 'ev-clash-when' }, ...M.sessionNodes(other, state.lang)));
		}
		box.hidden = false;
		const field = e.code === 'room_conflict' ? 's-room_id' : 's-facilitator_id';
		$(field).setAttribute('aria-invalid', 'true');
	}

	async function saveSession(ev) {
		ev.preventDefault();
		const form = $('session-form');
		clearErrors(form, SESSION_FIELDS, 's-');
		show('session-error', '');
		show('session-saved', '');
		$('clash').hidden = true;
		const body = sessionBody();
		if (state.editing && !Object.keys(body).length) {
			show('session-error', t('events_nothing_changed'));
			return;
		}
		const button = $('session-save');
		button.disabled = true;
		try {
			if (state.editing) await M.api.request('PATCH', '/api/v1/sessions/' + state.editing.id, body);
			else await M.api.post('/api/v1/events/' + state.event.id + '/sessions', body, { key: M.api.newKey() });
			state.event = await M.api.get('/api/v1/events/' + state.event.id, { noStore: true });
			renderSessions();
			resetSessionForm(null);
			show('session-saved', t('events_session_saved'));
		} catch (e) {
			if (e.status === 401) return;
			if (e.code === 'room_conflict' || e.code === 'facilitator_conflict') {
				showClash(e);
			} else if (e.code === 'ambiguous_local_time') {
				const offs = (e.message || '').match(/[+-]\d{2}:\d{2}/g) || ['+01:00', '+00:00'];
				offsetChoices(Array.from(new Set(offs)));
				$('e-starts_offset').textContent = t('events_err_ambiguous_local_time');
				$('s-starts_offset').focus();
			} else {
				const byCode = {
					nonexistent_local_time: /ends_local/.test(e.message || '') ? 'ends_local' : 'starts_local',
					end_before_start: 'ends_local', offset_mismatch: 'starts_offset', unknown_room: 'room_id',
					unknown_facilitator: 'facilitator_id',
				};
				if (!fieldError(e, SESSION_FIELDS, 's-', byCode)) show('session-error', E.errorText(e));
			}
		} finally {
			button.disabled = false;
		}
	}

	async function deleteSession(s) {
		if (!window.confirm(t('events_session_delete_confirm'))) return;
		try {
			await M.api.request('DELETE', '/api/v1/sessions/' + s.id);
			state.event = await M.api.get('/api/v1/events/' + state.event.id, { noStore: true });
			if (state.editing && state.editing.id === s.id) resetSessionForm(null);
			renderSessions();
		} catch (e) {
			if (e.status !== 401) show('session-error', E.errorText(e));
		}
	}

	// ---- the page --------------------------------------------------------------------------------------

	function title() {
		if (state.missing) return t('events_edit_missing');
		if (!state.event) return t('events_edit_new');
		return M.pick(state.event, 'title', state.lang) || '#' + state.event.id;
	}

	function render() {
		if (state.event) document.title = t('events_edit_doc_title');
		$('title').textContent = title();
		if (state.missing || !state.me) return;
		const form = $('event-form');
		form.hidden = false;
		$('save').textContent = t(state.event ? 'events_save' : 'events_create');
		fillSelects();
		$('view-event').hidden = !state.event;
		if (state.event) {
			$('view-event').setAttribute('href', '/admin/events/' + state.event.id);
			$('sessions-box').hidden = false;
			renderSessions();
			resetSessionForm(state.editing);
		}
	}

	// A language chosen in the header: the page in l, what was typed and not yet saved kept.
	function relang(l) {
		state.lang = l;
		const kept = {};
		document.querySelectorAll('#main input, #main select, #main textarea').forEach((n) => {
			if (n.id) kept[n.id] = n.type === 'checkbox' ? n.checked : n.value;
		});
		render();
		for (const [id, v] of Object.entries(kept)) {
			const n = $(id);
			if (!n) continue;
			if (n.type === 'checkbox') n.checked = v;
			else n.value = v;
		}
	}

	async function start() {
		try {
			const me = await M.bo.start({
				current: state.id ? null : 'new',
				titleKey: state.id ? 'events_edit_doc_title' : 'events_new_doc_title',
				onLang: relang,
			});
			if (!me) return;
			state.me = me;
			if (!M.bo.may('new', me.role)) {
				M.bo.missingPage();
				return;
			}
			await load();
		} catch (e) {
			if (e.status !== 401) show('problem', E.errorText(e));
			return;
		}

		render();
		fillEvent();
		if (new URLSearchParams(location.search).get('created')) show('saved', t('events_created'));
		// a partner's organiser (or an admin's event seen by another organisation) reads, but may not change
		if (state.event && state.me.role !== 'admin' && state.event.org_id !== state.me.org_id) {
			show('problem', t('events_read_only'));
			$('event-form').querySelectorAll('input, select, textarea, button').forEach((n) => {
				n.disabled = true;
			});
			$('session-form').hidden = true;
			$('sessions').querySelectorAll('button').forEach((n) => {
				n.hidden = true;
			});
		}
		$('event-form').addEventListener('submit', saveEvent);
		$('f-org_id').addEventListener('change', renderPartners);
		$('session-form').addEventListener('submit', saveSession);
		$('session-cancel').addEventListener('click', () => resetSessionForm(null));
	}

	start();
})();
