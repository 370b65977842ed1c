// venues: the organisers' venues and rooms /admin/venues — lists the venues (GET /api/v1/venues, each with
// its rooms from GET /api/v1/venues/{id}), creates a venue (POST /api/v1/venues: of the organiser's own
// organisation) and adds rooms to one (POST /api/v1/venues/{id}/rooms). Refusals beside their field from the
// API's codes. DOM nodes and textContent only.
'use strict';

(function () {
	const M = window.Majlis;
	const E = M.events;
	const el = M.el;
	const $ = M.$;
	const t = M.i18n.t;
	const state = { lang: M.bo.lang(), me: null, venues: [] };

	function show(id, text) {
		const p = $(id);
		p.textContent = text || '';
		p.hidden = !text;
	}

	async function load() {
		const out = [];
		for (let offset = 0; ; offset += 200) {
			const page = await M.api.get('/api/v1/venues?limit=200&offset=' + offset, { noStore: true });
			out.push(...(page.items || []));
			if (offset + 200 >= page.total || !(page.items || []).length) break;
		}
		state.venues = await Promise.all(out.map((v) => M.api.get('/api/v1/venues/' + v.id, { noStore: true })));
	}

	// May this account add rooms to v (an admin; an organiser for a venue of their organisation)?
	function mine(v) {
		return state.me.role === 'admin' || (state.me.role === 'organiser' && v.org_id === state.me.org_id);
	}

	function roomForm(v) {
		const n = 'r' + v.id;
		const name = el('input', { id: n + '-name', type: 'text', maxlength: '100', required: true, 'aria-describedby': n + '-e-name' });
		const cap = el('input', { id: n + '-capacity', type: 'number', min: '1', max: '100000', inputmode: 'numeric', required: true,
			'aria-describedby': n + '-e-capacity' });
		const eName = el('p', { id: n + '-e-name', class: 'field-error' });
		const eCap = el('p', { id: n + '-e-capacity', class: 'field-error' });
		const err = el('p', { class: 'feedback', role: 'alert', hidden: true });
		const button = el('button', { type: 'submit', class: 'button secondary' }, t('venues_room_add'));
		const form = el('form', { class: 'form ev-room-form', novalidate: true },
			el('div', { class: 'field' }, el('label', { for: n + '-name' }, t('venues_room_name')), name, eName),
			el('div', { class: 'field' }, el('label', { for: n + '-capacity' }, t('venues_room_capacity')), cap, eCap),
			err, el('p', { class: 'actions' }, button));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			eName.textContent = '';
			eCap.textContent = '';
			err.hidden = true;
			const c = cap.value.trim();
			button.disabled = true;
			try {
				await M.api.post('/api/v1/venues/' + v.id + '/rooms', { name: name.value.trim(), capacity: /^\d+$/.test(c) ? Number(c) : c },
					{ key: M.api.newKey() });
				await load();
				render();
				show('saved', t('venues_room_saved'));
			} catch (e) {
				if (e.status === 401) return;
				if (e.field === 'capacity') eCap.textContent = E.errorText(e);
				else if (e.field === 'name' || e.code === 'duplicate_room') eName.textContent = E.errorText(e);
				else {
					err.textContent = E.errorText(e);
					err.hidden = false;
				}
			} finally {
				button.disabled = false;
			}
		});
		return form;
	}

	function render() {
		const list = $('venues');
		list.replaceChildren();
		for (const v of state.venues) {
			const rooms = el('ul', { class: 'ev-rooms' });
			for (const r of v.rooms || []) {
				rooms.appendChild(el('li', {}, el('bdi', {}, r.name), ' — ', t('events_room_seats', { n: r.capacity })));
			}
			if (!(v.rooms || []).length) rooms.appendChild(el('li', { class: 'note' }, t('venues_no_rooms')));
			const li = el('li', { class: 'card ev-venue' },
				el('h2', {}, el('bdi', {}, v.name)),
				el('p', { class: 'meta' }, el('bdi', {}, v.city), v.address ? ' · ' : '', v.address ? el('bdi', {}, v.address) : '',
					v.tz && v.tz !== E.HOME ? ' · ' : '', v.tz && v.tz !== E.HOME ? el('bdi', { dir: 'ltr' }, v.tz) : ''),
				el('h3', {}, t('venues_rooms')), rooms);
			if (mine(v)) li.appendChild(roomForm(v));
			list.appendChild(li);
		}
		$('no-venues').hidden = state.venues.length > 0;
		$('venue-form').hidden = !(state.me.role === 'admin' || state.me.role === 'organiser');
	}

	async function createVenue(ev) {
		ev.preventDefault();
		for (const f of ['name', 'city', 'address']) {
			$('e-' + f).textContent = '';
			$('v-' + f).removeAttribute('aria-invalid');
		}
		show('venue-error', '');
		const body = { name: $('v-name').value.trim(), city: $('v-city').value.trim() };
		if ($('v-address').value.trim()) body.address = $('v-address').value.trim();
		const button = $('venue-save');
		button.disabled = true;
		try {
			await M.api.post('/api/v1/venues', body, { key: M.api.newKey() });
			$('venue-form').reset();
			await load();
			render();
			show('saved', t('venues_saved'));
		} catch (e) {
			if (e.status === 401) return;
			if (e.field && $('e-' + e.field)) {
				$('e-' + e.field).textContent = E.errorText(e);
				$('v-' + e.field).setAttribute('aria-invalid', 'true');
				$('v-' + e.field).focus();
			} else {
				show('venue-error', E.errorText(e));
			}
		} finally {
			button.disabled = false;
		}
	}

	async function start() {
		try {
			state.me = await M.bo.start({
				current: 'venues',
				titleKey: 'venues_doc_title',
				onLang: (l) => {
					state.lang = l;
					render();
				},
			});
			if (!state.me) return;
			if (!M.bo.may('venues', state.me.role)) {
				M.bo.missingPage();
				return;
			}
			await load();
		} catch (e) {
			if (e.status !== 401) show('problem', E.errorText(e));
			return;
		}
		render();
		$('venue-form').addEventListener('submit', createVenue);
	}

	start();
})();
