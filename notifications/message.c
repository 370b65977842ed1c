/*
 * message: the words of each notification in French, Arabic and English, and the MIME message around
 * them; see message.h. It must not send, log, or put any raw non-ASCII byte into a header.
 */
#include "message.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/text.h"

/* What a kind of message says: a subject label and the sentence that opens it ("%s": the event). */
struct message_kind {
	const char *kind;
	const char *label[FEED_N_LANGS];
	const char *intro[FEED_N_LANGS];
};

static const struct message_kind message_kinds[] = {
    {"registration.confirmed",
     {"Inscription confirmée", "تأكيد التسجيل", "Registration confirmed"},
     {"Votre inscription à « %s » est confirmée.", "تم تأكيد تسجيلك في «%s».",
      "Your registration for \"%s\" is confirmed."}},
    {"registration.waitlisted",
     {"Liste d'attente", "قائمة الانتظار", "Waiting list"},
     {"Vous êtes sur la liste d'attente de « %s ». Nous vous écrirons si une place se libère.",
      "أنت في قائمة الانتظار لـ«%s». سنراسلك إذا تحرر مقعد.",
      "You are on the waiting list for \"%s\". We will write to you if a seat becomes free."}},
    {"registration.pending",
     {"Demande reçue", "تم استلام الطلب", "Request received"},
     {"Votre demande d'inscription à « %s » a bien été reçue ; elle attend l'accord des organisateurs.",
      "تم استلام طلب تسجيلك في «%s»، وهو في انتظار موافقة المنظمين.",
      "Your request to join \"%s\" was received and awaits the organisers' approval."}},
    {"registration.promoted",
     {"Place confirmée", "تأكيد المقعد", "Seat confirmed"},
     {"Une place s'est libérée : votre inscription à « %s » est confirmée.",
      "تحرر مقعد: تم تأكيد تسجيلك في «%s».",
      "A seat became free: your registration for \"%s\" is confirmed."}},
    {"registration.link_resent",
     {"Votre lien personnel", "رابطك الشخصي", "Your personal link"},
     {"Voici votre lien personnel pour « %s ».", "هذا رابطك الشخصي لـ«%s».",
      "Here is your personal link for \"%s\"."}},
    {"registration.declined",
     {"Absence notée", "تم تسجيل غيابك", "Absence noted"},
     {"Vous avez indiqué que vous ne participerez pas à « %s ».", "أشرت إلى أنك لن تشارك في «%s».",
      "You said you will not attend \"%s\"."}},
    {"registration.cancelled",
     {"Inscription annulée", "إلغاء التسجيل", "Registration cancelled"},
     {"Votre inscription à « %s » est annulée.", "تم إلغاء تسجيلك في «%s».",
      "Your registration for \"%s\" is cancelled."}},
    {"registration.rejected",
     {"Demande non retenue", "لم يُقبل الطلب", "Request not accepted"},
     {"Votre demande d'inscription à « %s » n'a pas pu être acceptée.", "تعذر قبول طلب تسجيلك في «%s».",
      "Your request to join \"%s\" could not be accepted."}},
    {"event.cancelled",
     {"Annulé", "إلغاء", "Cancelled"},
     {"« %s » est annulé.", "تم إلغاء «%s».", "\"%s\" is cancelled."}},
    {"event.changed",
     {"Modification", "تعديل", "Changed"},
     {"« %s » a changé. Voici le programme à jour.", "طرأ تغيير على «%s». هذا هو البرنامج المحدّث.",
      "\"%s\" has changed. Here is the updated schedule."}},
    {"session.time_changed",
     {"Nouvel horaire", "توقيت جديد", "New time"},
     {"L'horaire d'une séance de « %s » a changé. Nouvel horaire :",
      "تغير توقيت جلسة من «%s». التوقيت الجديد:", "The time of a session of \"%s\" has changed. New time:"}},
};

static const struct message_kind message_other = {
    NULL,
    {"Information", "معلومة", "Update"},
    {"Du nouveau concernant « %s ».", "مستجدات بخصوص «%s».", "News about \"%s\"."}};

/* The words every message shares, by language. */
struct message_words {
	const char *sep, *hello, *hello_anon, *place, *link, *link_new, *calendar, *signature, *automatic,
	    *reply;
};

static const struct message_words message_words[FEED_N_LANGS] = {
    [FEED_LANG_FR] = {" : ", "Bonjour %s,", "Bonjour,",
		      "Lieu : ", "Votre lien personnel (confirmer ou annuler votre présence, billet QR) :",
		      "Ce lien remplace le précédent.",
		      "Le calendrier de l'événement est joint : ouvrez-le pour l'ajouter à votre agenda ou "
		      "le mettre à jour.",
		      "%s, via Majlis", "Message automatique, merci de ne pas y répondre.",
		      "Une question ? Répondez à ce message : il ira aux organisateurs."},
    [FEED_LANG_AR] = {": ", "مرحبا %s،", "مرحبا،", "المكان: ",
		      "رابطك الشخصي (تأكيد الحضور أو إلغاؤه، تذكرة QR):", "هذا الرابط يحل محل الرابط السابق.",
		      "تقويم الحدث مرفق: افتحه لإضافته إلى أجندتك أو تحديثه.", "%s، عبر مجلس",
		      "رسالة آلية، يرجى عدم الرد عليها.",
		      "هل لديك سؤال؟ رد على هذه الرسالة وستصل إلى المنظمين."},
    [FEED_LANG_EN] = {": ", "Hello %s,", "Hello,",
		      "Place: ", "Your personal link (confirm or cancel your attendance, QR ticket):",
		      "This link replaces the previous one.",
		      "The event's calendar is attached: open it to add it to your calendar or update it.",
		      "%s, via Majlis", "Automatic message, please do not reply.",
		      "A question? Reply to this message: it goes to the organisers."},
};

static const struct message_kind *message_kind_of(const char *kind)
{
	for (size_t i = 0; i < sizeof(message_kinds) / sizeof(message_kinds[0]); i++) {
		if (!strcmp(message_kinds[i].kind, kind))
			return &message_kinds[i];
	}
	return &message_other;
}

/* Appends tpl with its one "%s" replaced by arg (the templates are data, not format strings). */
static int message_fill(struct buf *out, const char *tpl, const char *arg)
{
	const char *at = strstr(tpl, "%s");

	if (!at)
		return buf_puts(out, tpl);
	if (buf_append(out, tpl, (size_t)(at - tpl)) || buf_puts(out, arg))
		return -1;
	return buf_puts(out, at + 2);
}

/* The organisers' address replies go to, or NULL when they gave none fit for a header (it was checked
 * where it entered; checked again here because a header is at stake). */
static const char *message_reply_to(const struct outbox_msg *m)
{
	const char *a = m->event.org_email;

	return a && text_is_email(a) && !strpbrk(a, "<>\" ,;()") && strlen(a) < 200 ? a : NULL;
}

int message_text(const struct outbox_msg *m, struct buf *subject, struct buf *body)
{
	enum feed_lang lang = (unsigned)m->lang < FEED_N_LANGS ? m->lang : FEED_LANG_FR;
	const struct message_kind *k = message_kind_of(m->kind);
	const struct message_words *w = &message_words[lang];
	const char *title = m->event.title ? m->event.title : "?";
	int rc;

	rc = buf_printf(subject, "%s%s%s", k->label[lang], w->sep, title);
	if (m->to_name && *m->to_name)
		rc |= message_fill(body, w->hello, m->to_name);
	else
		rc |= buf_puts(body, w->hello_anon);
	rc |= buf_puts(body, "\n\n");
	rc |= message_fill(body, k->intro[lang], title);
	rc |= buf_puts(body, "\n\n");
	if (m->event.when.len)
		rc |= buf_append(body, m->event.when.data, m->event.when.len);
	if (m->event.where)
		rc |= buf_printf(body, "%s%s\n", w->place, m->event.where);
	if (m->link) {
		rc |= buf_printf(body, "\n%s\n%s\n", w->link, m->link);
		if (m->new_hash[0])
			rc |= buf_printf(body, "%s\n", w->link_new);
	}
	if (m->ics.len)
		rc |= buf_printf(body, "\n%s\n", w->calendar);
	rc |= buf_puts(body, "\n-- \n");
	rc |= message_fill(body, w->signature, m->event.org_name ? m->event.org_name : "Majlis");
	rc |= buf_printf(body, "\n%s\n", message_reply_to(m) ? w->reply : w->automatic);
	return rc ? -1 : 0;
}

/* Whether s (n bytes) may go into a header as it is: printable ASCII, and for a display name (phrase)
 * only atom characters and spaces, so that a comma or a quote cannot split the address list. */
static bool message_plain(const char *s, size_t n, bool phrase)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c > 0x7e || (phrase && strchr("()<>[]:;@\\,.\"", c)))
			return false;
	}
	return true;
}

/* Appends text as RFC 2047 encoded words ("=?UTF-8?B?...?=", each at most 75 characters, never
 * splitting a UTF-8 sequence), folded onto continuation lines; short plain text (message_plain) goes as
 * it is. Control characters cannot survive either way. */
static int message_header_text(struct buf *out, const char *text, bool phrase)
{
	size_t n = strlen(text), at = 0;
	int rc = 0;

	if (n <= 60 && message_plain(text, n, phrase)) /* with any header name, the line stays within 78 */
		return buf_append(out, text, n);
	while (at < n && !rc) {
		unsigned char enc[64];
		size_t take =
		    n - at < 36 ? n - at : 36; /* 48 base64 characters: a word and a header name fit 78 */

		while (take < n - at && take > 0 && ((unsigned char)text[at + take] & 0xC0) == 0x80)
			take--; /* do not cut a UTF-8 sequence: end before its continuation bytes */
		if (!take)
			return -1;
		EVP_EncodeBlock(enc, (const unsigned char *)text + at, (int)take);
		rc = buf_printf(out, "%s=?UTF-8?B?%s?=", at ? "\r\n " : "", enc);
		at += take;
	}
	return rc;
}

/* Appends the base64 of data in lines of 76 characters, each ending CRLF. */
static int message_base64(struct buf *out, const char *data, size_t len)
{
	unsigned char line[80];
	int rc = 0;

	for (size_t at = 0; at < len && !rc; at += 57) {
		size_t take = len - at < 57 ? len - at : 57;
		int n = EVP_EncodeBlock(line, (const unsigned char *)data + at, (int)take);

		rc = buf_append(out, line, (size_t)n);
		rc = rc ? rc : buf_puts(out, "\r\n");
	}
	return rc;
}

/* Replaces every LF of text by CRLF into out. */
static int message_crlf(struct buf *out, const char *text, size_t len)
{
	int rc = 0;

	for (size_t i = 0; i < len && !rc; i++)
		rc = text[i] == '\n' ? buf_puts(out, "\r\n") : buf_append(out, text + i, 1);
	return rc;
}

int message_build(const struct outbox_msg *m, const struct message_env *env, struct buf *out)
{
	struct buf subject, body, crlf;
	unsigned char rnd[8];
	char date[64], boundary[64];
	struct tm tm;
	time_t now = (time_t)env->now;
	int rc = 0;

	buf_init(&subject, 4096);
	buf_init(&body, MESSAGE_MAX / 2);
	buf_init(&crlf, MESSAGE_MAX / 2);
	if (!m->to || strpbrk(m->to, "\r\n<>") || strpbrk(env->from, "\r\n<>") ||
	    RAND_bytes(rnd, sizeof(rnd)) != 1) {
		rc = -1;
		goto out;
	}
	snprintf(boundary, sizeof(boundary), "=_majlis_%lld_%02x%02x%02x%02x%02x%02x%02x%02x",
		 (long long)m->id, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	rc = message_text(m, &subject, &body);
	rc = rc ? rc : message_crlf(&crlf, body.data ? body.data : "", body.len);
	rc = rc ? rc : buf_puts(out, "From: ");
	rc = rc ? rc : message_header_text(out, m->event.org_name ? m->event.org_name : "Majlis", true);
	rc = rc ? rc : buf_printf(out, "\r\n <%s>\r\nTo: ", env->from);
	if (!rc && m->to_name && *m->to_name)
		rc = message_header_text(out, m->to_name, true);
	rc = rc ? rc : buf_printf(out, "%s<%s>\r\n", m->to_name && *m->to_name ? "\r\n " : "", m->to);
	if (!rc && message_reply_to(m))
		rc = buf_printf(out, "Reply-To: <%s>\r\n", message_reply_to(m));
	rc = rc ? rc : buf_puts(out, "Subject: ");
	rc = rc ? rc : message_header_text(out, subject.data, false);
	rc = rc ? rc
		: buf_printf(out,
			     "\r\nDate: %s\r\nMessage-ID: <outbox-%lld@%s>\r\nMIME-Version: 1.0\r\n"
			     "Auto-Submitted: auto-generated\r\nContent-Language: %s\r\n",
			     date, (long long)m->id, env->domain, feed_lang_name(m->lang));
	if (rc)
		goto out;
	if (!m->ics.len) {
		rc = buf_puts(
		    out,
		    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
		rc = rc ? rc : message_base64(out, crlf.data ? crlf.data : "", crlf.len);
		goto out;
	}
	rc = buf_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n", boundary,
			boundary);
	rc = rc ? rc
		: buf_puts(
		      out,
		      "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	rc = rc ? rc : message_base64(out, crlf.data ? crlf.data : "", crlf.len);
	rc = rc ? rc
		: buf_printf(out,
			     "--%s\r\nContent-Type: text/calendar; charset=utf-8; method=PUBLISH; "
			     "name=\"event.ics\"\r\n"
			     "Content-Disposition: attachment; filename=\"event.ics\"\r\n"
			     "Content-Transfer-Encoding: base64\r\n\r\n",
			     boundary);
	rc = rc ? rc : message_base64(out, m->ics.data, m->ics.len);
	rc = rc ? rc : buf_printf(out, "--%s--\r\n", boundary);
out:
	buf_free(&subject);
	buf_free(&body);
	buf_free(&crlf);
	return rc ? -1 : 0;
}
