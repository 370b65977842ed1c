// lost: the one "lost your link?" form of majlisd's pages — on an event page (POST
// /api/v1/events/{id}/registrations/lost-link) and on a personal page whose link no longer works (POST
// /api/v1/registrations/lost-link, which names no event). It owns the form's state (its error, sent, in
// flight) and its words; the page shows or hides its section. The answer is the same whether or not the
// address is known, so the page says the same thing after every accepted request. Text only, never HTML.
'use strict';

(function () {
	const M = window.Majlis;
	const $ = M.$;
	const el = M.el;

	// Binds the form of the page (#lost-form with #lf-contact, #lost-help, #le-contact, #lost-done,
	// #lost-submit) to POST url. words: {help, sent} i18n keys of the help line and of the answer.
	// Returns {render}: shows the form's state in the current language (call it after each page render).
	function form(url, words) {
		const st = { error: null, done: false, busy: false };
		const t = M.i18n.t;

		function render() {
			const err = $('le-contact');
			$('lost-help').textContent = t(words.help);
			err.textContent = st.error ? t(st.error) : '';
			if (st.error === 'err_phone') {
				err.append(' ', el('bdi', { class: 'examples', dir: 'ltr' },
					el('span', {}, '06 12 34 56 78'), ' · ', el('span', {}, '+221 77 123 45 67')));
			}
			if (st.error) $('lf-contact').setAttribute('aria-invalid', 'true');
			else $('lf-contact').removeAttribute('aria-invalid');
			$('lost-done').textContent = st.done ? t(words.sent) : '';
			$('lost-submit').textContent = st.busy ? t('sending') : t('lost_submit');
			$('lost-submit').setAttribute('aria-disabled', st.busy ? 'true' : 'false');
		}

		async function submit(evt) {
			evt.preventDefault();
			if (st.busy) return;
			const contact = $('lf-contact').value.trim();
			st.done = false;
			st.error = contact ? null : 'err_contact';
			if (!st.error) {
				st.busy = true;
				render();
				try {
					await M.api.post(url, { contact });
					st.done = true;
				} catch (e) {
					if (e.code === 'invalid_field' || e.code === 'missing_field')
						st.error = contact.indexOf('@') >= 0 ? 'err_email' : 'err_phone';
					else if (e.status === 429) st.error = 'lost_throttled';
					else st.error = 'lost_failed';
				}
				st.busy = false;
			}
			render();
			if (st.error) $('lf-contact').focus();
		}

		// a changed address loses its error and the previous answer
		$('lost-form').addEventListener('input', () => {
			if (!st.error && !st.done) return;
			st.error = null;
			st.done = false;
			render();
		});
		$('lost-form').addEventListener('submit', submit);
		return { render };
	}

	M.lost = { form };
})();
