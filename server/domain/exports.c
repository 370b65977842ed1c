/*
 * exports: an event's registrations and attendance sheet as CSV in the organiser's language, from the
 * store's typed rows; it writes nothing to the database and knows no HTTP.
 */
#include "domain/exports.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "calendar/tz.h"
#include "domain/events.h"
#include "store/db.h"
#include "store/store_attendance.h"
#include "store/store_registrations.h"
#include "util/csv.h"

const char *const exports_langs[] = {"fr", "ar", "en", NULL};

enum { EXPORTS_FR, EXPORTS_AR, EXPORTS_EN, EXPORTS_NLANG };

/* What the writers below return when the answer's buffer is full (else 0 or a negative store_rc). */
#define EXPORTS_FULL 1

/* A word in each language, in exports_langs' order. */
struct exports_word {
	const char *key;
	const char *t[EXPORTS_NLANG];
};

static const char *const exports_reg_head[][EXPORTS_NLANG] = {
    {"N° inscription", "رقم التسجيل", "Registration no."},
    {"Nom", "الاسم", "Name"},
    {"Nom (arabe)", "الاسم بالعربية", "Name (Arabic)"},
    {"Sexe", "الجنس", "Sex"},
    {"Nationalité", "الجنسية", "Nationality"},
    {"E-mail", "البريد الإلكتروني", "E-mail"},
    {"Téléphone", "الهاتف", "Phone"},
    {"Langue", "اللغة", "Language"},
    {"Statut", "الحالة", "Status"},
    {"Rang en liste d'attente", "الترتيب في قائمة الانتظار", "Waitlist position"},
    {"Présence confirmée le", "تأكيد الحضور في", "Attendance confirmed at"},
    {"Inscrit le", "تاريخ التسجيل", "Registered at"},
};

static const char *const exports_att_head[][EXPORTS_NLANG] = {
    {"N° séance", "رقم الجلسة", "Session no."},
    {"Début de la séance", "بداية الجلسة", "Session start"},
    {"Séance", "الجلسة", "Session"},
    {"N° inscription", "رقم التسجيل", "Registration no."},
    {"Nom", "الاسم", "Name"},
    {"Nom (arabe)", "الاسم بالعربية", "Name (Arabic)"},
    {"Sexe", "الجنس", "Sex"},
    {"E-mail", "البريد الإلكتروني", "E-mail"},
    {"Téléphone", "الهاتف", "Phone"},
    {"Présence", "الحضور", "Attendance"},
    {"Relevée le", "سُجّلت في", "Recorded at"},
};

static const struct exports_word exports_words[] = {
    {"female", {"Femme", "امرأة", "Woman"}},
    {"male", {"Homme", "رجل", "Man"}},
    {"unspecified", {"Non précisé", "غير محدد", "Unspecified"}},
    {"pending", {"En attente de validation", "في انتظار الموافقة", "Pending approval"}},
    {"confirmed", {"Confirmé", "مؤكد", "Confirmed"}},
    {"waitlisted", {"Liste d'attente", "قائمة الانتظار", "Waitlisted"}},
    {"declined", {"Décliné", "اعتذر", "Declined"}},
    {"cancelled", {"Annulé", "ملغى", "Cancelled"}},
    {"rejected", {"Refusé", "مرفوض", "Rejected"}},
    {"present", {"Présent", "حاضر", "Present"}},
    {"absent", {"Absent", "غائب", "Absent"}},
    {"excused", {"Excusé", "غياب بعذر", "Excused"}},
    {"unrecorded", {"Non relevé", "غير مسجل", "Not recorded"}},
    {"fr", {"Français", "الفرنسية", "French"}},
    {"ar", {"Arabe", "العربية", "Arabic"}},
    {"en", {"Anglais", "الإنجليزية", "English"}},
};

/* key in language l, or key itself when it is no known word (NULL stays NULL). */
static const char *exports_word(const char *key, int l)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < sizeof(exports_words) / sizeof(exports_words[0]); i++)
		if (!strcmp(exports_words[i].key, key))
			return exports_words[i].t[l];
	return key;
}

/* The instant t as Morocco's wall time "YYYY-MM-DD HH:MM" into out (empty for 0). */
static void exports_time(int64_t t, char out[32])
{
	out[0] = '\0';
	if (t && tz_format_instant(TZ_DEFAULT_ZONE, t, out) == TZ_OK && strlen(out) >= 16) {
		out[10] = ' ';
		out[16] = '\0';
	}
}

/* A wall time "YYYY-MM-DDTHH:MM:SS" as "YYYY-MM-DD HH:MM" into out (empty for NULL). */
static void exports_wall(const char *local, char out[32])
{
	snprintf(out, 32, "%.16s", local ? local : "");
	if (strlen(out) > 10)
		out[10] = ' ';
}

/* Who may export event_id's participants (as registrations_list decides who may list them). */
static int exports_may(struct db *db, const struct principal *p, int64_t event_id, struct dom_err *err)
{
	struct store_reg_event ev;
	int rc;

	if (p->role == ROLE_NONE)
		return dom_fail(err, DOM_UNAUTHENTICATED, NULL, "log in or send a bearer token");
	if (p->role != ROLE_ADMIN && p->role != ROLE_ORGANISER)
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only administrators and organisers export participants");
	rc = store_reg_event_get(db, event_id, &ev);
	if (rc)
		return dom_from_store(err, rc, "event");
	if (!principal_sees_people_of(p, ev.org_id)) {
		/* an event p may not see answers as one that does not exist */
		rc = events_visible_id(db, p, event_id);
		if (rc <= 0)
			return dom_from_store(err, rc ? rc : STORE_NOT_FOUND, "event");
		return dom_fail(err, DOM_FORBIDDEN, NULL,
				"only administrators and organisers of the event's organisation export its "
				"participants");
	}
	return DOM_OK;
}

/* The header line of head (n columns) in language l. */
static int exports_head(struct buf *out, const char *const head[][EXPORTS_NLANG], size_t n, int l)
{
	int rc = buf_puts(out, CSV_BOM);

	for (size_t i = 0; i < n && !rc; i++)
		rc = csv_cell(out, head[i][l], i == 0);
	return rc ? rc : csv_row_end(out);
}

static int exports_registrations(struct db *db, int64_t event_id, int l, struct buf *out)
{
	struct store_reg_row *rows = NULL;
	char when[32], confirmed[32];
	int64_t total = 0;
	size_t n = 0;
	int rc;

	rc = store_reg_list(db, event_id, NULL, INT64_MAX, 0, &rows, &n, &total);
	if (rc)
		return rc;
	rc = exports_head(out, exports_reg_head, sizeof(exports_reg_head) / sizeof(exports_reg_head[0]), l)
		 ? EXPORTS_FULL
		 : 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct store_reg_row *r = &rows[i];

		exports_time(r->created_at, when);
		exports_time(r->has_attendance_confirmed ? r->attendance_confirmed_at : 0, confirmed);
		if (csv_int(out, r->id, true) || csv_cell(out, r->name, false) ||
		    csv_cell(out, r->name_ar, false) || csv_cell(out, exports_word(r->sex, l), false) ||
		    csv_cell(out, r->nationality, false) || csv_cell(out, r->email, false) ||
		    csv_cell(out, r->phone, false) || csv_cell(out, exports_word(r->lang, l), false) ||
		    csv_cell(out, exports_word(r->status, l), false) ||
		    (r->has_waitlist_position ? csv_int(out, r->waitlist_position, false)
					      : csv_cell(out, NULL, false)) ||
		    csv_cell(out, confirmed, false) || csv_cell(out, when, false) || csv_row_end(out))
			rc = EXPORTS_FULL;
	}
	store_reg_rows_free(rows, n);
	return rc;
}

static int exports_attendance(struct db *db, int64_t event_id, int l, struct buf *out)
{
	struct store_att_sheet_row *rows = NULL;
	char start[32], when[32];
	size_t n = 0;
	int rc;

	rc = store_att_sheet(db, event_id, &rows, &n);
	if (rc)
		return rc;
	rc = exports_head(out, exports_att_head, sizeof(exports_att_head) / sizeof(exports_att_head[0]), l)
		 ? EXPORTS_FULL
		 : 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct store_att_sheet_row *r = &rows[i];

		exports_wall(r->starts_local, start);
		exports_time(r->recorded_at, when);
		if (csv_int(out, r->session_id, true) || csv_cell(out, start, false) ||
		    csv_cell(out, r->session_title, false) || csv_int(out, r->registration_id, false) ||
		    csv_cell(out, r->name, false) || csv_cell(out, r->name_ar, false) ||
		    csv_cell(out, exports_word(r->sex, l), false) || csv_cell(out, r->email, false) ||
		    csv_cell(out, r->phone, false) ||
		    csv_cell(out, exports_word(r->status ? r->status : "unrecorded", l), false) ||
		    csv_cell(out, when, false) || csv_row_end(out))
			rc = EXPORTS_FULL;
	}
	store_att_sheet_free(rows, n);
	return rc;
}

int exports_event_csv(struct db *db, const struct principal *p, int64_t event_id, enum exports_kind kind,
		      const char *lang, struct buf *out, struct dom_err *err)
{
	int l = EXPORTS_FR, rc;

	for (int i = 0; exports_langs[i]; i++)
		if (lang && !strcmp(lang, exports_langs[i]))
			l = i;
	rc = exports_may(db, p, event_id, err);
	if (rc)
		return rc;
	rc = kind == EXPORTS_ATTENDANCE ? exports_attendance(db, event_id, l, out)
					: exports_registrations(db, event_id, l, out);
	if (rc == EXPORTS_FULL)
		return dom_fail(err, DOM_INTERNAL, NULL, "the export does not fit in an answer");
	return rc ? dom_from_store(err, rc, "event") : DOM_OK;
}
