// r: the participant's personal page /r/<token> — reads the token from the path, shows the registration
// from GET /api/v1/r/{token} (status, event, sessions with their UTC offset) and lets the participant
// confirm, decline or cancel (cancel asks first), in French, Arabic or English. DOM nodes and
// textContent only; the token never leaves this origin (the server sends Referrer-Policy: no-referrer).
'use strict';

(function () {
	const M = window.Majlis;
	const el = M.el;

	const WORDS = M.words({
		fr: {
			page_title: 'Majlis — Mon inscription',
			kicker: 'Mon inscription', state_title: 'Statut', sessions: 'Séances',
			hello: (n) => 'Bonjour ' + n + ',',
			private: 'Ce lien est personnel : ne le partagez pas.',
			invalid: "Ce lien n'est pas valide", invalid_help: "Vérifiez l'adresse reçue, ou contactez l'organisateur.",
			error: 'Le service ne répond pas pour le moment. Réessayez plus tard.',
			st_pending: "En attente de validation par l'organisateur",
			st_confirmed: 'Inscription confirmée',
			st_waitlisted: "Sur liste d'attente", st_declined: 'Vous avez indiqué ne pas venir',
			st_cancelled: 'Inscription annulée', st_rejected: 'Inscription refusée',
			position: (n) => "Position sur la liste d'attente : " + n,
			attending: 'Présence confirmée', attending_ask: 'Merci de confirmer votre présence.',
			confirm: 'Je confirme ma présence', decline: 'Je ne viendrai pas', cancel: 'Annuler mon inscription',
			ask_cancel: 'Voulez-vous vraiment annuler votre inscription ?', ask_yes: 'Oui, annuler',
			ask_no: 'Non, garder ma place', failed: "L'action n'a pas pu être faite. Réessayez.",
			done: 'Enregistré.', ev_cancelled: 'Cet événement est annulé.',
			ev_postponed: 'Cet événement est reporté.',
			ticket: 'Mon ticket', ticket_help: "Montrez ce code à l'accueil.", ticket_alt: "Code QR de votre ticket",
		},
		ar: {
			page_title: 'مجلس — تسجيلي',
			kicker: 'تسجيلي', state_title: 'الحالة', sessions: 'الجلسات',
			hello: (n) => 'مرحبًا ' + n + '،',
			private: 'هذا الرابط شخصي: لا تشاركه.',
			invalid: 'هذا الرابط غير صالح', invalid_help: 'تحقّق من العنوان الذي وصلك، أو اتصل بالمنظّم.',
			error: 'الخدمة لا تستجيب حاليًا. أعد المحاولة لاحقًا.',
			st_pending: 'في انتظار موافقة المنظّم', st_confirmed: 'التسجيل مؤكَّد',
			st_waitlisted: 'في لائحة الانتظار', st_declined: 'أخبرتنا أنك لن تحضر',
			st_cancelled: 'التسجيل ملغى', st_rejected: 'التسجيل مرفوض',
			position: (n) => 'الترتيب في لائحة الانتظار: ' + n,
			attending: 'الحضور مؤكَّد', attending_ask: 'المرجو تأكيد حضورك.',
			confirm: 'أؤكّد حضوري', decline: 'لن أحضر', cancel: 'إلغاء تسجيلي',
			ask_cancel: 'هل تريد فعلًا إلغاء تسجيلك؟', ask_yes: 'نعم، ألغِ التسجيل', ask_no: 'لا، احتفظ بمكاني',
			failed: 'تعذّر تنفيذ العملية. أعد المحاولة.', done: 'تم التسجيل.',
			ev_cancelled: 'هذا الحدث ملغى.', ev_postponed: 'هذا الحدث مؤجَّل.',
			ticket: 'تذكرتي', ticket_help: 'أظهر هذا الرمز عند الاستقبال.', ticket_alt: 'رمز QR لتذكرتك',
		},
		en: {
			page_title: 'Majlis — My registration',
			kicker: 'My registration', state_title: 'Status', sessions: 'Sessions',
			hello: (n) => 'Hello ' + n + ',',
			private: 'This link is personal: do not share it.',
			invalid: 'This link is not valid', invalid_help: 'Check the address you received, or contact the organiser.',
			error: 'The service is not answering right now. Please try again later.',
			st_pending: 'Waiting for the organiser’s approval', st_confirmed: 'Registration confirmed',
			st_waitlisted: 'On the waiting list', st_declined: 'You said you will not come',
			st_cancelled: 'Registration cancelled', st_rejected: 'Registration declined by the organiser',
			position: (n) => 'Position on the waiting list: ' + n,
			attending: 'Attendance confirmed', attending_ask: 'Please confirm that you will attend.',
			confirm: 'I confirm I will attend', decline: 'I will not come', cancel: 'Cancel my registration',
			ask_cancel: 'Do you really want to cancel your registration?', ask_yes: 'Yes, cancel',
			ask_no: 'No, keep my place', failed: 'That did not work. Please try again.', done: 'Saved.',
			ev_cancelled: 'This event is cancelled.', ev_postponed: 'This event is postponed.',
			ticket: 'My ticket', ticket_help: 'Show this code at the entrance.', ticket_alt: 'QR code of your ticket',
		},
	});

	const $ = M.$;
	const m = /^\/r\/([A-Za-z0-9_-]{1,127})\/?$/.exec(location.pathname);
	const token = m ? m[1] : null;
	const state = { lang: M.urlLang(), view: null, problem: null, busy: false, feedback: '' };

	function lang() {
		if (state.lang) return state.lang;
		const pl = state.view && state.view.person && state.view.person.lang;
		return M.isLang(pl) ? pl : 'fr';
	}

	function api(path, method) {
		return fetch('/api/v1/r/' + encodeURIComponent(token) + path, {
			method: method || 'GET',
			headers: { Accept: 'application/json' },
			credentials: 'omit',
			cache: 'no-store',
			referrerPolicy: 'no-referrer',
		});
	}

	function button(label, cls, onClick) {
		const b = el('button', { type: 'button', class: 'button ' + cls, disabled: state.busy }, label);
		b.addEventListener('click', onClick);
		return b;
	}

	function render() {
		const l = lang();
		const w = WORDS[l];
		M.showLang(l, WORDS, (x) => {
			state.lang = x;
			const q = new URLSearchParams(location.search);
			q.set('lang', x);
			M.replaceQuery(q);
			render();
		});
		$('feedback').textContent = state.feedback ? w[state.feedback] : '';
		$('feedback').className = 'feedback' + (state.feedback === 'done' ? ' ok' : '');
		$('feedback').setAttribute('role', state.feedback === 'done' ? 'status' : 'alert');
		if (state.problem) {
			$('title').textContent = state.problem === 'invalid' ? w.invalid : w.error;
			$('hello').textContent = state.problem === 'invalid' ? w.invalid_help : '';
			$('state').hidden = true;
			$('when').hidden = true;
			return;
		}
		const v = state.view;
		if (!v) return;
		const ev = v.event || {};
		$('title').textContent = M.pick(ev, 'title', l) || ev.title || '—';
		const p = v.person || {};
		const name = (l === 'ar' && p.name_ar) || p.name || '';
		$('hello').textContent = name ? w.hello(name) : '';

		$('state').hidden = false;
		const status = $('status');
		status.replaceChildren(el('strong', {}, w['st_' + v.status] || v.status));
		status.setAttribute('data-status', v.status);
		status.setAttribute('data-attendance', v.attendance_confirmed_at ? 'confirmed' : 'unconfirmed');
		const detail = [];
		if (v.status === 'waitlisted' && v.waitlist_position) detail.push(w.position(v.waitlist_position));
		if (v.status === 'confirmed') detail.push(v.attendance_confirmed_at ? '✓ ' + w.attending : w.attending_ask);
		if (ev.status === 'cancelled') detail.push(w.ev_cancelled);
		if (ev.status === 'postponed') detail.push(w.ev_postponed);
		$('detail').textContent = detail.join(' · ');

		const actions = $('actions');
		actions.replaceChildren();
		const open = ev.status !== 'cancelled';
		if (open && v.status === 'confirmed' && !v.attendance_confirmed_at)
			actions.appendChild(button(w.confirm, 'primary', () => act('confirm')));
		if (open && ['pending', 'confirmed', 'waitlisted'].indexOf(v.status) >= 0)
			actions.appendChild(button(w.decline, 'secondary', () => act('decline')));
		if (['pending', 'confirmed', 'waitlisted'].indexOf(v.status) >= 0)
			actions.appendChild(button(w.cancel, 'danger-outline', askCancel));
		actions.hidden = !actions.childElementCount;
		if (!['pending', 'confirmed', 'waitlisted'].includes(v.status)) $('ask').hidden = true;

		// the QR ticket exists only while a seat is held (the server answers 409 otherwise)
		const ticket = v.status === 'confirmed' && ev.status !== 'cancelled';
		$('ticket').hidden = !ticket;
		if (ticket) {
			const src = '/api/v1/r/' + encodeURIComponent(token) + '/ticket.svg';
			if ($('ticket-img').getAttribute('src') !== src) $('ticket-img').setAttribute('src', src);
			$('ticket-img').setAttribute('alt', w.ticket_alt);
		}

		const list = $('sessions');
		list.replaceChildren();
		for (const s of v.sessions || []) {
			const place = [s.room_name, s.venue_name, s.venue_city].filter(Boolean).join(', ');
			list.appendChild(el('li', {}, ...M.sessionNodes(s, l, s.start_offset, w.morocco, w.sep),
				place ? el('bdi', { class: 'place' }, place) : null));
		}
		$('when').hidden = !(v.sessions && v.sessions.length);
	}

	function askCancel() {
		$('ask').hidden = false;
		$('ask-yes').focus();
	}

	async function act(what) {
		if (state.busy) return;
		state.busy = true;
		state.feedback = '';
		render();
		try {
			const r = await api('/' + what, 'POST');
			if (r.ok) {
				state.view = await r.json();
				state.feedback = 'done';
				$('ask').hidden = true;
			} else if (r.status === 404) {
				state.problem = 'invalid';
			} else {
				state.feedback = 'failed';
			}
		} catch (e) {
			state.feedback = 'failed';
		}
		state.busy = false;
		render();
	}

	async function load() {
		if (!token) {
			state.problem = 'invalid';
			render();
			return;
		}
		try {
			const r = await api('', 'GET');
			if (r.ok) state.view = await r.json();
			else state.problem = r.status === 404 ? 'invalid' : 'error';
		} catch (e) {
			state.problem = 'error';
		}
		render();
	}

	$('ask-yes').addEventListener('click', () => act('cancel'));
	$('ask-no').addEventListener('click', () => {
		$('ask').hidden = true;
	});
	render();
	load();
})();
