/*
 * demo: builds the programme's demo data (organisations, venues, accounts, events in every Moroccan
 * clock regime, ~300 participants, registrations, attendance) deterministically and writes it in one
 * transaction through store_demo; it must never touch a database that already holds an event.
 */
#include "domain/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "calendar/tz.h"
#include "store/db.h"
#include "store/store_changelog.h"
#include "store/store_demo.h"
#include "util/civil.h"
#include "util/log.h"
#include "util/secret.h"

#define DEMO_ZONE	  TZ_DEFAULT_ZONE
#define DEMO_SEED	  0x4d616a6c69732026ULL /* "Majlis &" */
#define DEMO_DAY	  86400
#define DEMO_HOUR	  3600
#define DEMO_N_MIGRANTS	  215
#define DEMO_N_OFFICIALS  85
#define DEMO_MAX_REGS	  1200
#define DEMO_MAX_SESSIONS 128
#define ARRAY_LEN(a)	  (sizeof(a) / sizeof((a)[0]))

/* ---- the fixed cast: organisations, venues, rooms, facilitators, accounts ---- */

enum demo_org_ix {
	O_MIN,
	O_MRE,
	O_ANAPEC,
	O_OFPPT,
	O_CRO,
	O_CRSM,
	O_CTNG,
	O_COUJ,
	O_IOM,
	O_NGO1,
	O_NGO2,
	O_NGO3,
	O_NGO4,
	O_CFM,
	O_PRIV,
	DEMO_N_ORGS
};

static const struct store_demo_org demo_orgs[DEMO_N_ORGS] = {
    [O_MIN] = {"Ministère de l'Inclusion économique, de la Petite entreprise, de l'Emploi et des Compétences",
	       "central_government", "Rabat", "Rabat-Salé-Kénitra",
	       "Direction de l'emploi — cellule migration", "emploi.migration@example.org"},
    [O_MRE] = {"Ministère délégué chargé des Marocains résidant à l'étranger et des Affaires de la migration",
	       "central_government", "Rabat", "Rabat-Salé-Kénitra", "Direction des affaires de la migration",
	       "affaires.migration@example.org"},
    [O_ANAPEC] = {"Agence nationale de promotion de l'emploi et des compétences (ANAPEC)",
		  "central_government", "Casablanca", "Casablanca-Settat",
		  "Cellule d'appui aux personnes migrantes", "migrants@anapec.example.org"},
    [O_OFPPT] = {"Office de la formation professionnelle et de la promotion du travail (OFPPT)",
		 "training_centre", "Casablanca", "Casablanca-Settat", "Service formation qualifiante",
		 "formation.qualifiante@ofppt.example.org"},
    [O_CRO] = {"Conseil régional de l'Oriental", "local_government", "Oujda", "Oriental",
	       "Pôle développement social", "developpement.social@oriental.example.org"},
    [O_CRSM] = {"Conseil régional Souss-Massa", "local_government", "Agadir", "Souss-Massa",
		"Direction des affaires sociales", "affaires.sociales@soussmassa.example.org"},
    [O_CTNG] = {"Commune de Tanger", "local_government", "Tanger", "Tanger-Tétouan-Al Hoceïma",
		"Division de l'action sociale", "action.sociale@tanger.example.org"},
    [O_COUJ] = {"Commune d'Oujda", "local_government", "Oujda", "Oriental", "Service des affaires sociales",
		"affaires.sociales@oujda.example.org"},
    [O_IOM] = {"Organisation internationale pour les migrations — bureau de Rabat",
	       "international_organisation", "Rabat", "Rabat-Salé-Kénitra",
	       "Unité migration et développement", "rabat@oim.example.org"},
    [O_NGO1] = {"Association Passerelles Solidaires", "ngo", "Rabat", "Rabat-Salé-Kénitra", "Coordination",
		"contact@passerelles-solidaires.example.org"},
    [O_NGO2] = {"Association Al Amal pour l'insertion des migrants", "ngo", "Casablanca", "Casablanca-Settat",
		"Permanence insertion", "insertion@alamal.example.org"},
    [O_NGO3] = {"Association Horizons Partagés", "ngo", "Fès", "Fès-Meknès", "Accueil",
		"accueil@horizons-partages.example.org"},
    [O_NGO4] = {"Réseau Mains Tendues du Détroit", "ngo", "Tanger", "Tanger-Tétouan-Al Hoceïma",
		"Coordination du réseau", "reseau@mains-tendues.example.org"},
    [O_CFM] = {"Centre de formation Dar Al Mihan", "training_centre", "Marrakech", "Marrakech-Safi",
	       "Direction pédagogique", "pedagogie@daralmihan.example.org"},
    [O_PRIV] = {"Groupement des hôteliers et restaurateurs de Marrakech", "private_sector", "Marrakech",
		"Marrakech-Safi", "Commission emploi", "emploi@ghrm.example.org"},
};

/* A venue and the organisation that manages it (index into demo_orgs). */
struct demo_venue {
	struct store_demo_venue v;
	int org;
};

enum demo_venue_ix {
	V_RABAT,
	V_CASA_OFPPT,
	V_CASA_ANAPEC,
	V_TANGER,
	V_OUJDA_CR,
	V_OUJDA_LAZARET,
	V_FES,
	V_MARRAKECH,
	V_AGADIR_CR,
	V_AGADIR_ENERGIE,
	DEMO_N_VENUES
};

static const struct demo_venue demo_venues[DEMO_N_VENUES] = {
    [V_RABAT] = {{"Centre de conférences Al Irfane", "Rabat", "Avenue Annakhil, Hay Riad, Rabat", DEMO_ZONE,
		  33.9591, -6.8683, 0},
		 O_MIN},
    [V_CASA_OFPPT] = {{"Institut de formation OFPPT Hay Hassani", "Casablanca",
		       "Boulevard Al Qods, Hay Hassani, Casablanca", DEMO_ZONE, 33.5563, -7.6690, 0},
		      O_OFPPT},
    [V_CASA_ANAPEC] = {{"Agence ANAPEC Casablanca-Anfa", "Casablanca", "Boulevard d'Anfa, Casablanca",
			DEMO_ZONE, 33.5903, -7.6320, 0},
		       O_ANAPEC},
    [V_TANGER] = {{"Maison communale de Beni Makada", "Tanger",
		   "Avenue Moulay Ali Cherif, Beni Makada, Tanger", DEMO_ZONE, 35.7473, -5.8191, 0},
		  O_CTNG},
    [V_OUJDA_CR] = {{"Siège du Conseil régional de l'Oriental", "Oujda", "Boulevard Mohammed V, Oujda",
		     DEMO_ZONE, 34.6826, -1.9077, 0},
		    O_CRO},
    [V_OUJDA_LAZARET] = {{"Centre socio-éducatif Lazaret", "Oujda", "Quartier Lazaret, Oujda", DEMO_ZONE,
			  34.6700, -1.9300, 0},
			 O_COUJ},
    [V_FES] = {{"Espace associatif Horizons Partagés", "Fès", "Avenue Hassan II, Ville nouvelle, Fès",
		DEMO_ZONE, 34.0372, -4.9998, 0},
	       O_NGO3},
    [V_MARRAKECH] = {{"Centre de formation Dar Al Mihan", "Marrakech",
		      "Route de Safi, quartier industriel Sidi Ghanem, Marrakech", DEMO_ZONE, 31.6687,
		      -8.0353, 0},
		     O_CFM},
    [V_AGADIR_CR] = {{"Siège du Conseil régional Souss-Massa", "Agadir", "Avenue Hassan II, Agadir",
		      DEMO_ZONE, 30.4202, -9.5982, 0},
		     O_CRSM},
    [V_AGADIR_ENERGIE] = {{"Complexe de formation aux métiers de l'énergie", "Agadir",
			   "Zone industrielle Tassila, Agadir", DEMO_ZONE, 30.3905, -9.5232, 0},
			  O_OFPPT},
};

/* A room of a venue (index into demo_venues). */
struct demo_room {
	int venue;
	const char *name;
	int capacity;
};

enum demo_room_ix {
	R_RABAT_ANDALOUS,
	R_RABAT_BOUREGREG,
	R_CASA_CUISINE,
	R_CASA_B12,
	R_CASA_ANAPEC,
	R_TANGER_POLY,
	R_TANGER_A,
	R_OUJDA_PLENIERE,
	R_OUJDA_COMMISSION,
	R_OUJDA_COUTURE,
	R_OUJDA_ACCUEIL,
	R_FES_GRANDE,
	R_FES_2,
	R_MRK_CUISINE,
	R_MRK_COURS,
	R_AGADIR_CONF,
	R_AGADIR_ELEC,
	R_AGADIR_THEORIE,
	DEMO_N_ROOMS
};

static const struct demo_room demo_rooms[DEMO_N_ROOMS] = {
    [R_RABAT_ANDALOUS] = {V_RABAT, "Salle Al Andalous", 80},
    [R_RABAT_BOUREGREG] = {V_RABAT, "Salle Bouregreg", 30},
    [R_CASA_CUISINE] = {V_CASA_OFPPT, "Atelier cuisine", 16},
    [R_CASA_B12] = {V_CASA_OFPPT, "Salle B12", 28},
    [R_CASA_ANAPEC] = {V_CASA_ANAPEC, "Salle de réunion", 30},
    [R_TANGER_POLY] = {V_TANGER, "Salle polyvalente", 80},
    [R_TANGER_A] = {V_TANGER, "Salle de formation A", 26},
    [R_OUJDA_PLENIERE] = {V_OUJDA_CR, "Salle plénière", 120},
    [R_OUJDA_COMMISSION] = {V_OUJDA_CR, "Salle de commission", 30},
    [R_OUJDA_COUTURE] = {V_OUJDA_LAZARET, "Atelier couture", 18},
    [R_OUJDA_ACCUEIL] = {V_OUJDA_LAZARET, "Salle d'accueil", 25},
    [R_FES_GRANDE] = {V_FES, "Grande salle", 40},
    [R_FES_2] = {V_FES, "Salle 2", 20},
    [R_MRK_CUISINE] = {V_MARRAKECH, "Cuisine pédagogique", 14},
    [R_MRK_COURS] = {V_MARRAKECH, "Salle de cours", 30},
    [R_AGADIR_CONF] = {V_AGADIR_CR, "Salle de conférence", 100},
    [R_AGADIR_ELEC] = {V_AGADIR_ENERGIE, "Atelier électricité", 12},
    [R_AGADIR_THEORIE] = {V_AGADIR_ENERGIE, "Salle théorie", 24},
};

/* A facilitator: a trainer or official of an organisation who leads sessions. */
struct demo_facilitator {
	const char *name;
	const char *name_ar;
	const char *sex;
	int org;
	const char *email;
};

enum demo_fac_ix {
	F_CUISINE,
	F_ACCUEIL,
	F_ORIENTAL,
	F_ELEC,
	F_COUTURE,
	F_MICRO,
	F_TANGER,
	F_PILOTAGE,
	F_FES,
	F_MRK,
	F_IOM,
	F_SOUSS,
	F_AIDE,
	DEMO_N_FACS
};

static const struct demo_facilitator demo_facs[DEMO_N_FACS] = {
    [F_CUISINE] = {"Abdelkader Mansouri", "عبد القادر المنصوري", "male", O_OFPPT,
		   "a.mansouri@ofppt.example.org"},
    [F_ACCUEIL] = {"Latifa Benali", "لطيفة بنعلي", "female", O_MIN, "l.benali@example.org"},
    [F_ORIENTAL] = {"Mustapha Ziani", "مصطفى الزياني", "male", O_CRO, "m.ziani@oriental.example.org"},
    [F_ELEC] = {"Hicham Ait Lahcen", "هشام آيت لحسن", "male", O_OFPPT, "h.aitlahcen@ofppt.example.org"},
    [F_COUTURE] = {"Zineb El Fassi", "زينب الفاسي", "female", O_COUJ, "z.elfassi@oujda.example.org"},
    [F_MICRO] = {"Samira Ouahbi", "سميرة الوهبي", "female", O_ANAPEC, "s.ouahbi@anapec.example.org"},
    [F_TANGER] = {"Omar Bekkali", "عمر البقالي", "male", O_CTNG, "o.bekkali@tanger.example.org"},
    [F_PILOTAGE] = {"Nadia Chafik", "نادية شفيق", "female", O_MRE, "n.chafik@example.org"},
    [F_FES] = {"Driss Lamrani", "إدريس اللمراني", "male", O_NGO3, "d.lamrani@horizons-partages.example.org"},
    [F_MRK] = {"Rkia Bouzidi", "رقية بوزيدي", "female", O_CFM, "r.bouzidi@daralmihan.example.org"},
    [F_IOM] = {"Aïcha Belhaj", "عائشة بلحاج", "female", O_IOM, "a.belhaj@oim.example.org"},
    [F_SOUSS] = {"Brahim Oubaha", "إبراهيم أوبها", "male", O_CRSM, "b.oubaha@soussmassa.example.org"},
    [F_AIDE] = {"Houda Squalli", "هدى الصقلي", "female", O_NGO1,
		"h.squalli@passerelles-solidaires.example.org"},
};

/* An account; org -1: none. All share DEMO_ADMIN_PASSWORD. */
struct demo_account {
	const char *email;
	const char *display_name;
	const char *role;
	int org;
};

enum demo_account_ix { A_ADMIN, A_OFPPT, A_ANAPEC, A_ORIENTAL, A_VIEWER, A_CHECKIN, DEMO_N_ACCOUNTS };

static const struct demo_account demo_accounts[DEMO_N_ACCOUNTS] = {
    [A_ADMIN] = {DEMO_ADMIN_EMAIL, "Administration du programme", "admin", -1},
    [A_OFPPT] = {"organisateur.ofppt@majlis.local", "Service formation — OFPPT", "organiser", O_OFPPT},
    [A_ANAPEC] = {"organisateur.anapec@majlis.local", "Cellule migration — ANAPEC", "organiser", O_ANAPEC},
    [A_ORIENTAL] = {"organisateur.oriental@majlis.local",
		    "Pôle développement social — Conseil régional de l'Oriental", "organiser", O_CRO},
    [A_VIEWER] = {"observateur@majlis.local", "Suivi-évaluation du programme (lecture seule)", "viewer",
		  O_MIN},
    [A_CHECKIN] = {"accueil.oujda@majlis.local", "Accueil — Centre socio-éducatif Lazaret", "checkin",
		   O_COUJ},
};

/* ---- events ---- */

enum demo_pool { POOL_MIGRANTS, POOL_OFFICIALS, POOL_MIXED };

/* One event with its weekly/daily series and how its registrations are spread over statuses. */
struct demo_event {
	const char *type;
	const char *title_fr;
	const char *title_ar;
	const char *title_en;
	const char *description_fr;
	const char *description_en;
	int org;
	int partner; /* -1: none; always set (0 is O_MIN) */
	int venue;
	int room;
	int facilitator;
	const char *visibility;
	int capacity;
	bool needs_approval;
	bool cancelled;
	const char *first_day; /* "YYYY-MM-DD", local */
	int n_sessions;
	int step_days;
	const char *start_hm;
	const char *end_hm;
	const char *const *modules; /* session titles, or NULL */
	int pool;
	int confirmed, waitlisted, pending, cancelled_regs, declined, rejected;
	bool checkin; /* the check-in account scans for it */
};

static const char *const demo_micro_modules[] = {
    "Module 1 : de l'idée au projet",
    "Module 2 : connaître son marché et ses clients",
    "Module 3 : le statut d'auto-entrepreneur et les démarches",
    "Module 4 : tenir une comptabilité simple",
    "Module 5 : financement, microcrédit et épargne",
    "Module 6 : présentation des projets devant un jury",
};

static const char *const demo_cuisine_modules[] = {
    "Hygiène et sécurité alimentaire (HACCP)",
    "Techniques de découpe",
    "Cuissons de base",
    "Sauces et fonds",
    "Cuisine marocaine : tajines",
    "Pâtisserie de base",
    "Service en salle",
    "Gestion des stocks et des coûts",
    "Mise en situation en restaurant",
    "Évaluation pratique",
};

static const struct demo_event demo_events[] = {
    {
	.type = "training",
	.title_fr = "Cuisine et restauration",
	.title_ar = "الطبخ والإطعام",
	.title_en = "Cooking and catering",
	.description_fr = "Formation qualifiante de dix semaines aux métiers de la cuisine et du service, "
			  "avec stage en restaurant.",
	.description_en =
	    "Ten-week qualifying course in cooking and restaurant service, with a work placement.",
	.org = O_OFPPT,
	.partner = O_NGO2,
	.venue = V_CASA_OFPPT,
	.room = R_CASA_CUISINE,
	.facilitator = F_CUISINE,
	.visibility = "public",
	.capacity = 16,
	.first_day = "2026-02-17",
	.n_sessions = 10,
	.step_days = 7,
	.start_hm = "09:30",
	.end_hm = "13:00",
	.modules = demo_cuisine_modules,
	.pool = POOL_MIGRANTS,
	.confirmed = 15,
	.cancelled_regs = 2,
	.declined = 1,
    },
    {
	.type = "workshop",
	.title_fr = "Accueil et orientation des personnes migrantes dans les services publics",
	.title_ar = "استقبال وتوجيه الأشخاص المهاجرين في المرافق العمومية",
	.title_en = "Welcoming and guiding migrants in public services",
	.description_fr = "Atelier de renforcement des capacités des agents d'accueil des administrations "
			  "centrales et déconcentrées.",
	.org = O_MIN,
	.partner = O_IOM,
	.venue = V_RABAT,
	.room = R_RABAT_ANDALOUS,
	.facilitator = F_ACCUEIL,
	.visibility = "invited",
	.capacity = 40,
	.first_day = "2026-03-03",
	.n_sessions = 2,
	.step_days = 1,
	.start_hm = "10:00",
	.end_hm = "14:00",
	.pool = POOL_OFFICIALS,
	.confirmed = 34,
	.declined = 3,
    },
    {
	.type = "concertation",
	.title_fr = "Concertation régionale Oriental : insertion professionnelle des migrants",
	.title_ar = "تشاور جهوي بجهة الشرق: الإدماج المهني للمهاجرين",
	.description_fr = "Rencontre entre services centraux, Conseil régional, communes et associations sur "
			  "l'accès à l'emploi.",
	.org = O_CRO,
	.partner = O_MRE,
	.venue = V_OUJDA_CR,
	.room = R_OUJDA_PLENIERE,
	.facilitator = F_ORIENTAL,
	.visibility = "invited",
	.capacity = 60,
	.first_day = "2026-03-12",
	.n_sessions = 1,
	.step_days = 1,
	.start_hm = "10:00",
	.end_hm = "13:30",
	.pool = POOL_OFFICIALS,
	.confirmed = 42,
	.declined = 4,
    },
    {
	.type = "training",
	.title_fr = "Installation électrique",
	.title_ar = "التركيبات الكهربائية",
	.title_en = "Electrical installation",
	.description_fr =
	    "Câblage domestique, tableaux, normes de sécurité et habilitation électrique de base.",
	.org = O_OFPPT,
	.partner = O_CRSM,
	.venue = V_AGADIR_ENERGIE,
	.room = R_AGADIR_ELEC,
	.facilitator = F_ELEC,
	.visibility = "public",
	.capacity = 12,
	.first_day = "2026-04-06",
	.n_sessions = 9,
	.step_days = 7,
	.start_hm = "09:00",
	.end_hm = "13:00",
	.pool = POOL_MIGRANTS,
	.confirmed = 12,
	.cancelled_regs = 2,
	.declined = 1,
    },
    {
	.type = "training",
	.title_fr = "Couture et confection",
	.title_ar = "الخياطة والتفصيل",
	.title_en = "Sewing and garment making",
	.description_fr = "Prise de mesures, patronage, machine industrielle et finitions ; atelier ouvert "
			  "aux femmes et aux hommes.",
	.org = O_COUJ,
	.partner = O_CRO,
	.venue = V_OUJDA_LAZARET,
	.room = R_OUJDA_COUTURE,
	.facilitator = F_COUTURE,
	.visibility = "public",
	.capacity = 18,
	.first_day = "2026-05-06",
	.n_sessions = 10,
	.step_days = 7,
	.start_hm = "14:00",
	.end_hm = "17:30",
	.pool = POOL_MIGRANTS,
	.confirmed = 17,
	.cancelled_regs = 3,
	.checkin = true,
    },
    {
	.type = "training",
	.title_fr = "Créer et gérer sa micro-entreprise",
	.title_ar = "إنشاء وتسيير مقاولتك الصغيرة",
	.title_en = "Starting and running a micro-business",
	.description_fr = "Six modules pour passer de l'idée au statut d'auto-entrepreneur, avec "
			  "accompagnement individuel.",
	.description_en =
	    "Six modules from a business idea to self-employed status, with individual coaching.",
	.org = O_ANAPEC,
	.partner = O_NGO2,
	.venue = V_CASA_ANAPEC,
	.room = R_CASA_ANAPEC,
	.facilitator = F_MICRO,
	.visibility = "public",
	.capacity = 25,
	.first_day = "2026-06-04",
	.n_sessions = 6,
	.step_days = 7,
	.start_hm = "09:30",
	.end_hm = "12:30",
	.modules = demo_micro_modules,
	.pool = POOL_MIGRANTS,
	.confirmed = 24,
	.cancelled_regs = 3,
	.declined = 2,
    },
    {
	.type = "workshop",
	.title_fr =
	    "Formation des agents communaux : état civil, santé et scolarisation des enfants migrants",
	.title_ar = "تكوين الموظفين الجماعيين: الحالة المدنية والصحة وتمدرس أطفال المهاجرين",
	.description_fr =
	    "Deux journées pour les agents des arrondissements de Tanger, avec le réseau associatif local.",
	.org = O_CTNG,
	.partner = O_NGO4,
	.venue = V_TANGER,
	.room = R_TANGER_A,
	.facilitator = F_TANGER,
	.visibility = "internal",
	.capacity = 25,
	.first_day = "2026-06-16",
	.n_sessions = 2,
	.step_days = 1,
	.start_hm = "09:00",
	.end_hm = "16:00",
	.pool = POOL_OFFICIALS,
	.confirmed = 22,
    },
    {
	.type = "concertation",
	.title_fr = "Concertation nationale centrale–locale : bilan à mi-parcours du programme",
	.title_ar = "تشاور وطني بين المستوى المركزي والترابي: حصيلة منتصف المرحلة",
	.title_en = "National central–local consultation: mid-term review",
	.description_fr = "Bilan des premiers mois, difficultés rencontrées sur le terrain et priorités pour "
			  "le second semestre.",
	.org = O_MRE,
	.partner = O_MIN,
	.venue = V_RABAT,
	.room = R_RABAT_ANDALOUS,
	.facilitator = F_PILOTAGE,
	.visibility = "invited",
	.capacity = 70,
	.first_day = "2026-07-01",
	.n_sessions = 1,
	.step_days = 1,
	.start_hm = "09:30",
	.end_hm = "16:30",
	.pool = POOL_OFFICIALS,
	.confirmed = 57,
	.declined = 5,
    },
    {
	.type = "workshop",
	.title_fr = "Communication interculturelle et lutte contre les discriminations",
	.title_ar = "التواصل بين الثقافات ومكافحة التمييز",
	.title_en = "Intercultural communication and fighting discrimination",
	.description_fr = "Atelier mixte réunissant agents publics, associations et personnes migrantes.",
	.org = O_NGO3,
	.partner = O_IOM,
	.venue = V_FES,
	.room = R_FES_GRANDE,
	.facilitator = F_FES,
	.visibility = "public",
	.capacity = 30,
	.first_day = "2026-09-08",
	.n_sessions = 2,
	.step_days = 1,
	.start_hm = "09:30",
	.end_hm = "13:00",
	.pool = POOL_MIXED,
	.confirmed = 26,
	.cancelled_regs = 2,
    },
    {
	.type = "training",
	.title_fr = "Cuisine et pâtisserie marocaine",
	.title_ar = "الطبخ والحلويات المغربية",
	.title_en = "Moroccan cooking and pastry",
	.description_fr = "Formation en partenariat avec les hôteliers de Marrakech, débouchant sur des "
			  "stages en établissement.",
	.org = O_CFM,
	.partner = O_PRIV,
	.venue = V_MARRAKECH,
	.room = R_MRK_CUISINE,
	.facilitator = F_MRK,
	.visibility = "public",
	.capacity = 14,
	.first_day = "2026-09-07",
	.n_sessions = 8,
	.step_days = 7,
	.start_hm = "09:00",
	.end_hm = "13:00",
	.pool = POOL_MIGRANTS,
	.confirmed = 14,
	.cancelled_regs = 1,
    },
    {
	.type = "workshop",
	.title_fr = "Accompagnement vers l'emploi : outils pour les conseillers",
	.title_ar = "المواكبة نحو التشغيل: أدوات لفائدة المستشارين",
	.title_en = "Job-search support: tools for employment advisers",
	.description_fr =
	    "Entretien d'accueil, reconnaissance des acquis et orientation vers les programmes d'emploi.",
	.org = O_ANAPEC,
	.partner = O_IOM,
	.venue = V_CASA_ANAPEC,
	.room = R_CASA_ANAPEC,
	.facilitator = F_MICRO,
	.visibility = "internal",
	.capacity = 30,
	.first_day = "2026-10-14",
	.n_sessions = 2,
	.step_days = 1,
	.start_hm = "09:00",
	.end_hm = "16:00",
	.pool = POOL_OFFICIALS,
	.confirmed = 24,
    },
    {
	.type = "training",
	.title_fr = "Installation de panneaux solaires photovoltaïques",
	.title_ar = "تركيب الألواح الشمسية الكهروضوئية",
	.title_en = "Solar photovoltaic panel installation",
	.description_fr = "Dimensionnement, pose et maintenance d'installations solaires résidentielles.",
	.org = O_OFPPT,
	.partner = O_CRSM,
	.venue = V_AGADIR_ENERGIE,
	.room = R_AGADIR_ELEC,
	.facilitator = F_ELEC,
	.visibility = "public",
	.capacity = 12,
	.first_day = "2026-11-03",
	.n_sessions = 7,
	.step_days = 7,
	.start_hm = "09:00",
	.end_hm = "13:00",
	.pool = POOL_MIGRANTS,
	.confirmed = 12,
	.cancelled_regs = 1,
    },
    {
	.type = "concertation",
	.title_fr =
	    "Concertation régionale Souss-Massa : emploi des migrants dans l'agriculture et le tourisme",
	.title_ar = "تشاور جهوي بجهة سوس ماسة: تشغيل المهاجرين في الفلاحة والسياحة",
	.description_fr = "Participation sur validation : services de l'État, collectivités, employeurs et "
			  "associations de la région.",
	.org = O_CRSM,
	.partner = O_ANAPEC,
	.venue = V_AGADIR_CR,
	.room = R_AGADIR_CONF,
	.facilitator = F_SOUSS,
	.visibility = "invited",
	.capacity = 60,
	.needs_approval = true,
	.first_day = "2027-01-21",
	.n_sessions = 1,
	.step_days = 1,
	.start_hm = "09:30",
	.end_hm = "15:30",
	.pool = POOL_OFFICIALS,
	.confirmed = 20,
	.pending = 9,
	.rejected = 2,
    },
    {
	.type = "training",
	.title_fr = "Couture et confection — 2e promotion",
	.title_ar = "الخياطة والتفصيل — الفوج الثاني",
	.title_en = "Sewing and garment making — second cohort",
	.description_fr = "Deuxième promotion de l'atelier couture ; liste d'attente ouverte.",
	.org = O_COUJ,
	.partner = O_CRO,
	.venue = V_OUJDA_LAZARET,
	.room = R_OUJDA_COUTURE,
	.facilitator = F_COUTURE,
	.visibility = "public",
	.capacity = 18,
	.first_day = "2027-01-06",
	.n_sessions = 10,
	.step_days = 7,
	.start_hm = "14:00",
	.end_hm = "17:30",
	.pool = POOL_MIGRANTS,
	.confirmed = 18,
	.waitlisted = 6,
	.cancelled_regs = 1,
	.checkin = true,
    },
    {
	.type = "training",
	.title_fr = "Créer et gérer sa micro-entreprise — session de Tanger",
	.title_ar = "إنشاء وتسيير مقاولتك الصغيرة — دورة طنجة",
	.description_fr = "Six modules pour lancer une activité indépendante, avec la Commune de Tanger.",
	.org = O_ANAPEC,
	.partner = O_CTNG,
	.venue = V_TANGER,
	.room = R_TANGER_A,
	.facilitator = F_MICRO,
	.visibility = "public",
	.capacity = 24,
	.first_day = "2027-02-02",
	.n_sessions = 6,
	.step_days = 7,
	.start_hm = "09:30",
	.end_hm = "12:30",
	.modules = demo_micro_modules,
	.pool = POOL_MIGRANTS,
	.confirmed = 16,
	.cancelled_regs = 2,
    },
    {
	.type = "workshop",
	.title_fr = "Journée d'information : accès à la couverture médicale de base (AMO)",
	.title_ar = "يوم إعلامي: الولوج إلى التغطية الصحية الإجبارية الأساسية",
	.description_fr = "Annulée : la journée sera reprogrammée au premier trimestre 2027.",
	.org = O_NGO3,
	.partner = -1,
	.venue = V_FES,
	.room = R_FES_GRANDE,
	.facilitator = F_FES,
	.visibility = "public",
	.capacity = 40,
	.cancelled = true,
	.first_day = "2026-12-16",
	.n_sessions = 1,
	.step_days = 1,
	.start_hm = "10:00",
	.end_hm = "13:00",
	.pool = POOL_MIGRANTS,
	.cancelled_regs = 30,
    },
    {
	.type = "workshop",
	.title_fr = "Médiation interculturelle dans les établissements de santé",
	.title_ar = "الوساطة بين الثقافات في المؤسسات الصحية",
	.title_en = "Intercultural mediation in health facilities",
	.description_fr =
	    "Pour le personnel d'accueil des hôpitaux et centres de santé de la région Marrakech-Safi.",
	.description_en = "For reception staff of hospitals and health centres in the Marrakech-Safi region.",
	.org = O_IOM,
	.partner = O_NGO1,
	.venue = V_MARRAKECH,
	.room = R_MRK_COURS,
	.facilitator = F_IOM,
	.visibility = "public",
	.capacity = 30,
	.first_day = "2027-02-23",
	.n_sessions = 2,
	.step_days = 1,
	.start_hm = "09:00",
	.end_hm = "13:00",
	.pool = POOL_OFFICIALS,
	.confirmed = 9,
	.cancelled_regs = 1,
    },
    {
	.type = "concertation",
	.title_fr = "Comité de pilotage du programme — réunion semestrielle",
	.title_ar = "لجنة قيادة البرنامج — الاجتماع نصف السنوي",
	.title_en = "Programme steering committee — half-yearly meeting",
	.description_fr = "Réservé aux membres du comité : ministères, agences, régions et partenaires.",
	.org = O_MIN,
	.partner = O_MRE,
	.venue = V_RABAT,
	.room = R_RABAT_BOUREGREG,
	.facilitator = F_PILOTAGE,
	.visibility = "internal",
	.capacity = 30,
	.first_day = "2027-03-10",
	.n_sessions = 1,
	.step_days = 1,
	.start_hm = "10:00",
	.end_hm = "13:00",
	.pool = POOL_OFFICIALS,
	.confirmed = 16,
    },
    {
	.type = "training",
	.title_fr = "Aide à domicile et accompagnement des personnes âgées",
	.title_ar = "المساعدة المنزلية ومرافقة المسنين",
	.title_en = "Home care and support for older people",
	.description_fr = "Gestes de soin, hygiène, communication avec les familles ; stage auprès "
			  "d'associations partenaires.",
	.org = O_NGO1,
	.partner = O_ANAPEC,
	.venue = V_RABAT,
	.room = R_RABAT_BOUREGREG,
	.facilitator = F_AIDE,
	.visibility = "public",
	.capacity = 20,
	.first_day = "2026-12-07",
	.n_sessions = 8,
	.step_days = 7,
	.start_hm = "09:00",
	.end_hm = "12:30",
	.pool = POOL_MIGRANTS,
	.confirmed = 13,
	.cancelled_regs = 1,
    },
};

#define DEMO_N_EVENTS ((int)ARRAY_LEN(demo_events))

/* ---- participants' names ---- */

struct demo_name {
	const char *lat;
	const char *ar;
};

/* Names and habits of one nationality. Tables end with { NULL, NULL }. */
struct demo_nat {
	const char *cc;
	int weight;	  /* share among migrants, in percent */
	int ar_pct;	  /* chance of a name in Arabic script */
	const char *lang; /* usual language */
	const char *alt;  /* other language */
	int alt_pct;
	const struct demo_name *male;
	const struct demo_name *female;
	const struct demo_name *last;
};

static const struct demo_name sn_m[] = {
    {"Mamadou", "مامادو"},    {"Moussa", "موسى"},  {"Ousmane", "عثمان"},
    {"Ibrahima", "إبراهيما"}, {"Cheikh", "الشيخ"}, {"Abdoulaye", "عبد الله"},
    {"Modou", "مودو"},	      {"Pape", "باب"},	   {NULL, NULL}};
static const struct demo_name sn_f[] = {{"Fatou", "فاتو"},    {"Aminata", "أميناتا"}, {"Awa", "عوا"},
					{"Mariama", "مريمة"}, {"Aïssatou", "عيساتو"}, {"Khady", "خادي"},
					{"Ndèye", "انداي"},   {"Coumba", "كومبا"},    {NULL, NULL}};
static const struct demo_name sn_l[] = {
    {"Diop", "ديوب"}, {"Ndiaye", "انجاي"}, {"Fall", "فال"},    {"Sow", "سو"},	{"Ba", "با"}, {"Sarr", "سار"},
    {"Faye", "فاي"},  {"Gueye", "غاي"},	   {"Mbaye", "امباي"}, {"Seck", "سيك"}, {NULL, NULL}};
static const struct demo_name ci_m[] = {{"Kouassi", "كواسي"}, {"Yao", "ياو"},	     {"Konan", "كونان"},
					{"Koffi", "كوفي"},    {"Didier", "ديدييه"},  {"Serge", "سيرج"},
					{"Arsène", "أرسين"},  {"Lassina", "لاسينا"}, {NULL, NULL}};
static const struct demo_name ci_f[] = {{"Adjoua", "أدجوا"},	  {"Akissi", "أكيسي"}, {"Affoué", "أفوي"},
					{"Mariam", "مريم"},	  {"Aya", "آية"},      {"Clarisse", "كلاريس"},
					{"Salimata", "ساليماتا"}, {NULL, NULL}};
static const struct demo_name ci_l[] = {
    {"Kouamé", "كوامي"},   {"N'Guessan", "نغيسان"}, {"Koné", "كوني"},
    {"Traoré", "تراوري"},  {"Bamba", "بامبا"},	    {"Ouattara", "واتارا"},
    {"Kouadio", "كواديو"}, {"Yapi", "يابي"},	    {NULL, NULL}};
static const struct demo_name gn_m[] = {{"Alpha", "ألفا"},   {"Mamadou", "مامادو"}, {"Sékou", "سيكو"},
					{"Oumar", "عمر"},    {"Thierno", "تييرنو"}, {"Lansana", "لانسانا"},
					{"Amadou", "أمادو"}, {NULL, NULL}};
static const struct demo_name gn_f[] = {
    {"Kadiatou", "كادياتو"}, {"Fatoumata", "فاطوماتا"}, {"Hawa", "حواء"}, {"Mariama", "مريمة"},
    {"Aïssata", "عيساتا"},   {"M'Balou", "مبالو"},	{NULL, NULL}};
static const struct demo_name gn_l[] = {{"Diallo", "ديالو"},  {"Barry", "باري"}, {"Bah", "باه"},
					{"Camara", "كامارا"}, {"Sylla", "سيلا"}, {"Condé", "كوندي"},
					{"Soumah", "سوما"},   {"Keïta", "كيتا"}, {NULL, NULL}};
static const struct demo_name ml_m[] = {
    {"Bakary", "باكاري"},  {"Souleymane", "سليمان"}, {"Modibo", "موديبو"}, {"Adama", "آداما"},
    {"Boubacar", "بوبكر"}, {"Seydou", "سيدو"},	     {"Drissa", "دريسا"},  {NULL, NULL}};
static const struct demo_name ml_f[] = {
    {"Oumou", "أومو"}, {"Kadidia", "كاديديا"}, {"Assétou", "أسيتو"}, {"Djénéba", "جينيبا"},
    {"Rokia", "رقية"}, {"Mariam", "مريم"},     {"Fanta", "فانتا"},   {NULL, NULL}};
static const struct demo_name ml_l[] = {{"Keïta", "كيتا"},   {"Coulibaly", "كوليبالي"}, {"Traoré", "تراوري"},
					{"Diarra", "ديارا"}, {"Sissoko", "سيسوكو"},	{"Maïga", "مايغا"},
					{"Touré", "توري"},   {"Dembélé", "دمبيلي"},	{NULL, NULL}};
static const struct demo_name cm_m[] = {
    {"Jean-Paul", "جان بول"}, {"Hervé", "إرفي"},  {"Emmanuel", "إيمانويل"}, {"Arnaud", "أرنو"},
    {"Franck", "فرانك"},      {"Blaise", "بليز"}, {"Junior", "جونيور"},	    {NULL, NULL}};
static const struct demo_name cm_f[] = {
    {"Brigitte", "بريجيت"}, {"Carine", "كارين"},     {"Nadège", "ناديج"},   {"Estelle", "إستيل"},
    {"Solange", "سولانج"},  {"Sandrine", "ساندرين"}, {"Mireille", "ميراي"}, {NULL, NULL}};
static const struct demo_name cm_l[] = {{"Nkoulou", "نكولو"},  {"Mbarga", "مبارغا"}, {"Fotso", "فوتسو"},
					{"Tchinda", "تشيندا"}, {"Ngono", "نغونو"},   {"Essomba", "إيسومبا"},
					{"Kamga", "كامغا"},    {"Njoya", "نجويا"},   {NULL, NULL}};
static const struct demo_name ng_m[] = {{"Chinedu", "تشينيدو"}, {"Emeka", "إيميكا"},  {"Tunde", "توندي"},
					{"Ibrahim", "إبراهيم"}, {"Samuel", "صموئيل"}, {"Olumide", "أولوميدي"},
					{"Musa", "موسى"},	{NULL, NULL}};
static const struct demo_name ng_f[] = {
    {"Ngozi", "نغوزي"},	  {"Blessing", "بليسينغ"}, {"Aisha", "عائشة"},	{"Funmilayo", "فونميلايو"},
    {"Chioma", "تشيوما"}, {"Joy", "جوي"},	   {"Halima", "حليمة"}, {NULL, NULL}};
static const struct demo_name ng_l[] = {
    {"Okafor", "أوكافور"},  {"Adeyemi", "أديمي"},    {"Eze", "إيزي"},
    {"Bello", "بيلو"},	    {"Okonkwo", "أوكونكوو"}, {"Abubakar", "أبو بكر"},
    {"Balogun", "بالوغون"}, {"Nwosu", "نووسو"},	     {NULL, NULL}};
static const struct demo_name cd_m[] = {
    {"Patrick", "باتريك"},   {"Glody", "غلودي"},   {"Christian", "كريستيان"}, {"Trésor", "تريزور"},
    {"Jonathan", "جوناثان"}, {"Fiston", "فيستون"}, {"Héritier", "إيريتييه"},  {NULL, NULL}};
static const struct demo_name cd_f[] = {
    {"Grâce", "غراس"},	    {"Esther", "إستير"}, {"Merveille", "ميرفاي"},   {"Ruth", "روث"},
    {"Nathalie", "ناتالي"}, {"Divine", "ديفين"}, {"Bénédicte", "بينيديكت"}, {NULL, NULL}};
static const struct demo_name cd_l[] = {
    {"Mukendi", "موكيندي"},    {"Kabongo", "كابونغو"}, {"Ilunga", "إيلونغا"},
    {"Tshibanda", "تشيباندا"}, {"Mbuyi", "مبويي"},     {"Lukusa", "لوكوسا"},
    {"Kalala", "كالالا"},      {"Mutombo", "موتومبو"}, {NULL, NULL}};
static const struct demo_name sy_m[] = {{"Ahmad", "أحمد"},  {"Mohammad", "محمد"}, {"Khaled", "خالد"},
					{"Omar", "عمر"},    {"Yasser", "ياسر"},	  {"Samer", "سامر"},
					{"Bassel", "باسل"}, {NULL, NULL}};
static const struct demo_name sy_f[] = {{"Rasha", "رشا"},  {"Lina", "لينا"}, {"Rania", "رانيا"},
					{"Hala", "هالة"},  {"Nour", "نور"},  {"Amal", "أمل"},
					{"Ghada", "غادة"}, {NULL, NULL}};
static const struct demo_name sy_l[] = {
    {"Al-Halabi", "الحلبي"}, {"Haddad", "حداد"},     {"Al-Khatib", "الخطيب"}, {"Al-Hamwi", "الحموي"},
    {"Darwish", "درويش"},    {"Al-Shami", "الشامي"}, {"Kassab", "قصاب"},      {NULL, NULL}};
static const struct demo_name ye_m[] = {{"Abdulrahman", "عبد الرحمن"},
					{"Saleh", "صالح"},
					{"Fuad", "فؤاد"},
					{"Nabil", "نبيل"},
					{"Hamza", "حمزة"},
					{"Walid", "وليد"},
					{NULL, NULL}};
static const struct demo_name ye_f[] = {{"Arwa", "أروى"}, {"Bilqis", "بلقيس"}, {"Samira", "سميرة"},
					{"Huda", "هدى"},  {"Asma", "أسماء"},   {"Afrah", "أفراح"},
					{NULL, NULL}};
static const struct demo_name ye_l[] = {{"Al-Yamani", "اليماني"},
					{"Al-Hadrami", "الحضرمي"},
					{"Al-Sanaani", "الصنعاني"},
					{"Basalama", "باسلامة"},
					{"Al-Ahmadi", "الأحمدي"},
					{"Bawazir", "باوزير"},
					{NULL, NULL}};
static const struct demo_name ma_m[] = {
    {"Youssef", "يوسف"},	{"Mohamed", "محمد"}, {"Hassan", "حسن"}, {"Rachid", "رشيد"}, {"Karim", "كريم"},
    {"Abdelilah", "عبد الإله"}, {"Mehdi", "المهدي"}, {"Anas", "أنس"},	{"Khalid", "خالد"}, {NULL, NULL}};
static const struct demo_name ma_f[] = {{"Fatima Zahra", "فاطمة الزهراء"},
					{"Khadija", "خديجة"},
					{"Salma", "سلمى"},
					{"Nadia", "نادية"},
					{"Imane", "إيمان"},
					{"Meryem", "مريم"},
					{"Hanane", "حنان"},
					{"Soukaina", "سكينة"},
					{NULL, NULL}};
static const struct demo_name ma_l[] = {{"Benjelloun", "بنجلون"},
					{"El Amrani", "العمراني"},
					{"Alaoui", "العلوي"},
					{"Bennani", "بناني"},
					{"Tazi", "التازي"},
					{"Chraibi", "الشرايبي"},
					{"El Idrissi", "الإدريسي"},
					{"Berrada", "برادة"},
					{"Ouazzani", "الوزاني"},
					{"Lahlou", "لحلو"},
					{"Benkirane", "بنكيران"},
					{"Aït Taleb", "آيت الطالب"},
					{NULL, NULL}};

static const struct demo_nat demo_nats[] = {
    {"SN", 18, 80, "fr", "ar", 5, sn_m, sn_f, sn_l},  {"CI", 18, 75, "fr", "en", 3, ci_m, ci_f, ci_l},
    {"GN", 15, 80, "fr", "ar", 5, gn_m, gn_f, gn_l},  {"ML", 13, 85, "fr", "ar", 10, ml_m, ml_f, ml_l},
    {"CM", 12, 75, "fr", "en", 25, cm_m, cm_f, cm_l}, {"NG", 8, 75, "en", "fr", 15, ng_m, ng_f, ng_l},
    {"CD", 10, 75, "fr", "en", 5, cd_m, cd_f, cd_l},  {"SY", 4, 100, "ar", "fr", 10, sy_m, sy_f, sy_l},
    {"YE", 2, 100, "ar", "en", 10, ye_m, ye_f, ye_l},
};

static const struct demo_nat demo_nat_ma = {"MA", 0, 100, "fr", "ar", 40, ma_m, ma_f, ma_l};

/* ---- working state ---- */

/* splitmix64: a fixed-seed generator so that every load writes the same data. */
struct demo_rng {
	uint64_t s;
};

/* One generated participant, before and after insertion. */
struct demo_person {
	char name[96];
	char name_ar[192];
	char phone[24];
	char email[96];
	const char *sex;
	const char *nationality;
	const char *lang;
	int first_event;  /* event of the earliest registration, -1: none */
	int64_t first_at; /* created_at of that registration */
	uint32_t events;  /* bit per event index */
	int64_t id;
};

/* One planned registration. */
struct demo_reg {
	int event;
	int person;
	const char *status;
	int64_t created_at;
	int64_t id;
};

/* Everything one load needs; on demo_load's stack (big arrays on the heap). Service thread. */
struct demo_ctx {
	struct db *db;
	struct demo_rng rng;
	int64_t base;	/* creation instant of organisations, venues, accounts */
	int64_t today;	/* "today" of the data set */
	int64_t cutoff; /* sessions ending before it are past and have attendance */
	char hashes[DEMO_N_ACCOUNTS][PASSWORD_HASH_MAX];
	int64_t org_ids[DEMO_N_ORGS];
	int64_t venue_ids[DEMO_N_VENUES];
	int64_t room_ids[DEMO_N_ROOMS];
	int64_t fac_ids[DEMO_N_FACS];
	int64_t account_ids[DEMO_N_ACCOUNTS];
	int64_t event_ids[ARRAY_LEN(demo_events)];
	int64_t event_first[ARRAY_LEN(demo_events)]; /* start_utc of the first session */
	int64_t reg_from[ARRAY_LEN(demo_events)];
	int64_t reg_to[ARRAY_LEN(demo_events)];
	int64_t session_ids[DEMO_MAX_SESSIONS];
	int session_event[DEMO_MAX_SESSIONS];
	int64_t session_start[DEMO_MAX_SESSIONS];
	int64_t session_end[DEMO_MAX_SESSIONS];
	int n_sessions;
	struct demo_person *people;
	int n_people;
	struct demo_reg *regs;
	int n_regs;
	int n_attendance;
	int cursor[2]; /* next candidate per pool */
	char what[96]; /* the step that failed, for the error message */
};

static uint64_t demo_next(struct demo_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n), n > 0. */
static int demo_below(struct demo_rng *r, int n)
{
	return (int)(demo_next(r) % (uint64_t)n);
}

static bool demo_chance(struct demo_rng *r, int pct)
{
	return demo_below(r, 100) < pct;
}

static int demo_count(const struct demo_name *t)
{
	int n = 0;

	while (t[n].lat)
		n++;
	return n;
}

/* The date of a day count, into "YYYY-MM-DD". */
static void demo_civil_from_days(int64_t z, char out[11])
{
	struct civil_date c = civil_date_from_days(z);

	snprintf(out, 11, "%04d-%02d-%02d", (int)c.year, c.month, c.day);
}

/* Day count of "YYYY-MM-DD"; -1 when malformed (a bug in the tables). */
static int64_t demo_day_parse(const char *s)
{
	int y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n])
		return -1;
	return civil_days_from_date(y, m, d);
}

/* UTC instant of midnight UTC of "YYYY-MM-DD". */
static int64_t demo_utc_day(const char *s)
{
	return demo_day_parse(s) * DEMO_DAY;
}

/* Lowercase ASCII of a Latin name for an e-mail local part: accents folded, other marks dropped. */
static void demo_ascii(const char *in, char *out, size_t n)
{
	static const char from[] = "àâäáçèéêëîïíôöóùûüúñÀÂÄÇÈÉÊËÎÏÔÖÙÛÜ";
	static const char to[] = "aaaaceeeeiiiooouuuunaaaceeeeiioouuu";
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0;

	while (*p && o + 1 < n) {
		if (*p < 0x80) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
				out[o++] = (char)*p;
			else if (*p >= 'A' && *p <= 'Z')
				out[o++] = (char)(*p - 'A' + 'a');
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0 && p[1]) {
			/* two-byte sequence: look it up among the accented letters (all two bytes) */
			for (size_t i = 0; i + 1 < sizeof(from) - 1; i += 2) {
				if ((unsigned char)from[i] == p[0] && (unsigned char)from[i + 1] == p[1]) {
					out[o++] = to[i / 2];
					break;
				}
			}
			p += 2;
			continue;
		}
		p++;
	}
	out[o] = '\0';
}

/* ---- fixed rows ---- */

static int demo_insert_cast(struct demo_ctx *c)
{
	struct store_demo_venue v;
	struct store_demo_person p;
	struct store_demo_account a;
	int rc = 0;

	for (int i = 0; i < DEMO_N_ORGS && !rc; i++)
		rc = store_demo_org_insert(c->db, &demo_orgs[i], c->base, &c->org_ids[i]);
	for (int i = 0; i < DEMO_N_VENUES && !rc; i++) {
		v = demo_venues[i].v;
		v.org_id = c->org_ids[demo_venues[i].org];
		rc = store_demo_venue_insert(c->db, &v, c->base, &c->venue_ids[i]);
	}
	for (int i = 0; i < DEMO_N_ROOMS && !rc; i++)
		rc = store_demo_room_insert(c->db, c->venue_ids[demo_rooms[i].venue], demo_rooms[i].name,
					    demo_rooms[i].capacity, &c->room_ids[i]);
	for (int i = 0; i < DEMO_N_FACS && !rc; i++) {
		memset(&p, 0, sizeof(p));
		p.org_id = c->org_ids[demo_facs[i].org];
		p.name = demo_facs[i].name;
		p.name_ar = demo_facs[i].name_ar;
		p.sex = demo_facs[i].sex;
		p.nationality = "MA";
		p.email = demo_facs[i].email;
		p.lang = "fr";
		p.consent_at = c->base;
		p.created_at = c->base;
		rc = store_demo_person_insert(c->db, &p, &c->fac_ids[i]);
	}
	for (int i = 0; i < DEMO_N_ACCOUNTS && !rc; i++) {
		a.email = demo_accounts[i].email;
		a.display_name = demo_accounts[i].display_name;
		a.password_hash = c->hashes[i];
		a.role = demo_accounts[i].role;
		a.org_id = demo_accounts[i].org >= 0 ? c->org_ids[demo_accounts[i].org] : 0;
		rc = store_demo_account_insert(c->db, &a, c->base, &c->account_ids[i]);
	}
	if (rc)
		snprintf(c->what, sizeof(c->what), "demo organisations, venues or accounts");
	return rc;
}

/* Converts a wall time of DEMO_ZONE; a failure is a bug in the tables (or a broken tz database). */
static int demo_local(struct demo_ctx *c, const char *local, int64_t *utc, int32_t *offset)
{
	enum tz_rc trc = tz_local_to_utc(DEMO_ZONE, local, TZ_NO_OFFSET, utc, offset);

	if (trc != TZ_OK) {
		snprintf(c->what, sizeof(c->what), "demo session time %s", local);
		return STORE_ERROR;
	}
	return STORE_OK;
}

static int demo_insert_sessions(struct demo_ctx *c, int e, int64_t created_at)
{
	const struct demo_event *d = &demo_events[e];
	struct store_demo_session s;
	char day[11], sl[TZ_LOCAL_LEN], el[TZ_LOCAL_LEN], title[96];
	int64_t first = demo_day_parse(d->first_day);
	int rc = 0;

	for (int k = 0; k < d->n_sessions && !rc; k++) {
		if (c->n_sessions >= DEMO_MAX_SESSIONS || first < 0) {
			snprintf(c->what, sizeof(c->what), "demo sessions table");
			return STORE_ERROR;
		}
		demo_civil_from_days(first + (int64_t)k * d->step_days, day);
		snprintf(sl, sizeof(sl), "%sT%s:00", day, d->start_hm);
		snprintf(el, sizeof(el), "%sT%s:00", day, d->end_hm);
		memset(&s, 0, sizeof(s));
		rc = demo_local(c, sl, &s.start_utc, &s.start_offset);
		rc = rc ? rc : demo_local(c, el, &s.end_utc, &s.end_offset);
		if (rc)
			return rc;
		if (d->modules)
			s.title = d->modules[k];
		else if (d->n_sessions > 1) {
			snprintf(title, sizeof(title), "%s %d",
				 !strcmp(d->type, "training") ? "Séance" : "Jour", k + 1);
			s.title = title;
		}
		s.event_id = c->event_ids[e];
		s.starts_local = sl;
		s.ends_local = el;
		s.tz = DEMO_ZONE;
		s.room_id = c->room_ids[d->room];
		s.facilitator_id = c->fac_ids[d->facilitator];
		s.created_at = created_at;
		rc = store_demo_session_insert(c->db, &s, &c->session_ids[c->n_sessions]);
		if (rc) {
			snprintf(c->what, sizeof(c->what), "demo session %s", sl);
			return rc;
		}
		c->session_event[c->n_sessions] = e;
		c->session_start[c->n_sessions] = s.start_utc;
		c->session_end[c->n_sessions] = s.end_utc;
		if (k == 0)
			c->event_first[e] = s.start_utc;
		c->n_sessions++;
	}
	return rc;
}

static int demo_insert_events(struct demo_ctx *c)
{
	struct store_demo_event ev;
	int64_t first_local, created;
	int rc = 0;

	for (int e = 0; e < DEMO_N_EVENTS && !rc; e++) {
		const struct demo_event *d = &demo_events[e];

		/* registration window: from 50 days before the first session to 2 days before it, never
		 * after "today" */
		first_local = demo_utc_day(d->first_day);
		c->reg_to[e] = first_local - 2 * DEMO_DAY;
		if (c->reg_to[e] > c->today - 6 * DEMO_HOUR)
			c->reg_to[e] = c->today - 6 * DEMO_HOUR;
		c->reg_from[e] = first_local - 50 * DEMO_DAY;
		if (c->reg_from[e] > c->reg_to[e] - 20 * DEMO_DAY)
			c->reg_from[e] = c->reg_to[e] - 20 * DEMO_DAY;
		created = c->reg_from[e] - 7 * DEMO_DAY;

		memset(&ev, 0, sizeof(ev));
		ev.type = d->type;
		ev.title_fr = d->title_fr;
		ev.title_ar = d->title_ar;
		ev.title_en = d->title_en;
		ev.description_fr = d->description_fr;
		ev.description_en = d->description_en;
		ev.org_id = c->org_ids[d->org];
		ev.venue_id = c->venue_ids[d->venue];
		ev.visibility = d->visibility;
		ev.capacity = d->capacity;
		if (first_local > c->today)
			ev.registration_opens_at = c->reg_from[e] - DEMO_DAY;
		if (d->needs_approval)
			ev.registration_closes_at = first_local - 7 * DEMO_DAY;
		ev.needs_approval = d->needs_approval;
		ev.status = d->cancelled ? "cancelled" : "scheduled";
		ev.sequence = d->cancelled ? 1 : 0;
		ev.created_at = created;
		ev.updated_at = d->cancelled ? c->today - 5 * DEMO_DAY : created;
		rc = store_demo_event_insert(c->db, &ev, &c->event_ids[e]);
		if (!rc && d->partner >= 0)
			rc = store_demo_partner_insert(c->db, c->event_ids[e], c->org_ids[d->partner]);
		if (!rc && d->checkin)
			rc = store_demo_account_event_insert(c->db, c->account_ids[A_CHECKIN],
							     c->event_ids[e]);
		if (rc) {
			snprintf(c->what, sizeof(c->what), "demo event %d", e);
			return rc;
		}
		rc = demo_insert_sessions(c, e, created);
	}
	return rc;
}

/* ---- participants ---- */

static const struct demo_nat *demo_pick_nat(struct demo_rng *r)
{
	int x = demo_below(r, 100);

	for (size_t i = 0; i < ARRAY_LEN(demo_nats); i++) {
		if (x < demo_nats[i].weight)
			return &demo_nats[i];
		x -= demo_nats[i].weight;
	}
	return &demo_nats[0];
}

/* Fills one person from nationality n; official: a Moroccan public or NGO agent. */
static void demo_make_person(struct demo_ctx *c, struct demo_person *p, const struct demo_nat *n,
			     bool official, int index)
{
	struct demo_rng *r = &c->rng;
	const struct demo_name *first, *last;
	const struct demo_name *firsts;
	char a1[32], a2[32];
	int sx = demo_below(r, 100);

	if (official)
		p->sex = sx < 50 ? "female" : "male";
	else
		p->sex = sx < 2 ? "unspecified" : sx < 40 ? "female" : "male";
	if (!strcmp(p->sex, "female") || (!strcmp(p->sex, "unspecified") && sx == 0))
		firsts = n->female;
	else
		firsts = n->male;
	first = &firsts[demo_below(r, demo_count(firsts))];
	last = &n->last[demo_below(r, demo_count(n->last))];
	snprintf(p->name, sizeof(p->name), "%s %s", first->lat, last->lat);
	if (demo_chance(r, n->ar_pct))
		snprintf(p->name_ar, sizeof(p->name_ar), "%s %s", first->ar, last->ar);
	p->nationality = n->cc;
	p->lang = demo_chance(r, n->alt_pct) ? n->alt : n->lang;
	if (demo_chance(r, official ? 60 : 95))
		snprintf(p->phone, sizeof(p->phone), "+212%d%02d%02d%02d%02d", demo_chance(r, 80) ? 6 : 7,
			 demo_below(r, 100), demo_below(r, 100), demo_below(r, 100), demo_below(r, 100));
	if (!p->phone[0] || demo_chance(r, official ? 85 : 35)) {
		demo_ascii(first->lat, a1, sizeof(a1));
		demo_ascii(last->lat, a2, sizeof(a2));
		snprintf(p->email, sizeof(p->email), "%s.%s%u@%s", a1, a2, 10u + (unsigned)index % 90u,
			 demo_chance(r, 50) ? "example.org" : "example.com");
	}
	p->first_event = -1;
}

static void demo_make_people(struct demo_ctx *c)
{
	for (int i = 0; i < DEMO_N_MIGRANTS; i++)
		demo_make_person(c, &c->people[i], demo_pick_nat(&c->rng), false, i);
	for (int i = 0; i < DEMO_N_OFFICIALS; i++)
		demo_make_person(c, &c->people[DEMO_N_MIGRANTS + i], &demo_nat_ma, true, DEMO_N_MIGRANTS + i);
	c->n_people = DEMO_N_MIGRANTS + DEMO_N_OFFICIALS;
}

/* The next person of pool (POOL_MIGRANTS or POOL_OFFICIALS) not yet registered to event e; -1 if none. */
static int demo_next_person(struct demo_ctx *c, int pool, int e)
{
	int lo = pool == POOL_MIGRANTS ? 0 : DEMO_N_MIGRANTS;
	int n = pool == POOL_MIGRANTS ? DEMO_N_MIGRANTS : DEMO_N_OFFICIALS;

	for (int k = 0; k < n; k++) {
		int i = lo + (c->cursor[pool] + k) % n;

		if (!(c->people[i].events & (1u << e))) {
			c->cursor[pool] = (c->cursor[pool] + k + 1) % n;
			return i;
		}
	}
	return -1;
}

static int demo_plan_reg(struct demo_ctx *c, int e, int person, const char *status, int64_t at)
{
	struct demo_reg *g;

	if (person < 0 || c->n_regs >= DEMO_MAX_REGS) {
		snprintf(c->what, sizeof(c->what), "demo registrations plan");
		return STORE_ERROR;
	}
	g = &c->regs[c->n_regs++];
	g->event = e;
	g->person = person;
	g->status = status;
	g->created_at = at;
	c->people[person].events |= 1u << e;
	if (c->people[person].first_event < 0 || at < c->people[person].first_at) {
		c->people[person].first_event = e;
		c->people[person].first_at = at;
	}
	return STORE_OK;
}

/* Index of the cancelled event (the information day), where unregistered people are added. */
static int demo_cancelled_event(void)
{
	for (int e = 0; e < DEMO_N_EVENTS; e++)
		if (demo_events[e].cancelled)
			return e;
	return 0;
}

/* Plans every event's registrations: shuffled settled statuses, then pending, then the waitlist. */
static int demo_plan_regs(struct demo_ctx *c)
{
	const char *order[128];
	int n, settled, rc = 0;
	int64_t span, at;

	for (int e = 0; e < DEMO_N_EVENTS && !rc; e++) {
		const struct demo_event *d = &demo_events[e];

		n = 0;
		for (int k = 0; k < d->confirmed; k++)
			order[n++] = "confirmed";
		for (int k = 0; k < d->cancelled_regs; k++)
			order[n++] = "cancelled";
		for (int k = 0; k < d->declined; k++)
			order[n++] = "declined";
		for (int k = 0; k < d->rejected; k++)
			order[n++] = "rejected";
		settled = n;
		for (int k = 0; k < d->pending; k++)
			order[n++] = "pending";
		for (int k = 0; k < d->waitlisted; k++)
			order[n++] = "waitlisted";
		for (int k = settled - 1; k > 0; k--) {
			int j = demo_below(&c->rng, k + 1);
			const char *t = order[k];

			order[k] = order[j];
			order[j] = t;
		}
		span = c->reg_to[e] - c->reg_from[e];
		for (int k = 0; k < n && !rc; k++) {
			int pool = d->pool == POOL_MIXED ? (k % 2 ? POOL_OFFICIALS : POOL_MIGRANTS) : d->pool;

			at = c->reg_from[e] + span * k / n +
			     demo_below(&c->rng, (int)(span / n > 1 ? span / n : 1));
			rc = demo_plan_reg(c, e, demo_next_person(c, pool, e), order[k], at);
		}
	}
	/* anyone not yet registered had signed up for the information day that was later cancelled */
	for (int i = 0; i < c->n_people && !rc; i++) {
		int e = demo_cancelled_event();

		if (c->people[i].first_event >= 0)
			continue;
		at = c->reg_from[e] + demo_below(&c->rng, (int)(c->reg_to[e] - c->reg_from[e]));
		rc = demo_plan_reg(c, e, i, "cancelled", at);
	}
	return rc;
}

static int demo_insert_people(struct demo_ctx *c)
{
	struct store_demo_person s;
	int rc = 0;

	for (int i = 0; i < c->n_people && !rc; i++) {
		struct demo_person *p = &c->people[i];

		memset(&s, 0, sizeof(s));
		s.org_id = c->org_ids[p->first_event >= 0 ? demo_events[p->first_event].org : O_NGO2];
		s.name = p->name;
		s.name_ar = p->name_ar[0] ? p->name_ar : NULL;
		s.sex = p->sex;
		s.nationality = p->nationality;
		s.phone = p->phone[0] ? p->phone : NULL;
		s.email = p->email[0] ? p->email : NULL;
		s.lang = p->lang;
		s.created_at = p->first_event >= 0 ? p->first_at : c->base;
		s.consent_at = s.created_at;
		rc = store_demo_person_insert(c->db, &s, &p->id);
	}
	if (rc)
		snprintf(c->what, sizeof(c->what), "demo participants");
	return rc;
}

static int64_t demo_min(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int demo_insert_regs(struct demo_ctx *c)
{
	struct store_demo_registration s;
	struct json_object *payload;
	char token[SECRET_TOKEN_LEN + 1], hash[SECRET_HASH_LEN + 1], topic[32];
	int64_t seq = 0;
	int rc = 0;

	for (int i = 0; i < c->n_regs && !rc; i++) {
		struct demo_reg *g = &c->regs[i];
		const struct demo_event *d = &demo_events[g->event];

		if (secret_token_new(token)) {
			snprintf(c->what, sizeof(c->what), "demo registration token");
			return STORE_ERROR;
		}
		secret_hash(token, strlen(token), hash);
		memset(&s, 0, sizeof(s));
		s.event_id = c->event_ids[g->event];
		s.person_id = c->people[g->person].id;
		s.status = g->status;
		s.token_hash = hash;
		s.created_at = g->created_at;
		s.updated_at = g->created_at;
		if (!strcmp(g->status, "waitlisted")) {
			/* arrival order on the waitlist is a change-log seq, as the registration service
			 * writes it */
			payload = json_object_new_object();
			json_object_object_add(payload, "event_id", json_object_new_int64(s.event_id));
			snprintf(topic, sizeof(topic), "event:%lld", (long long)s.event_id);
			rc = db_changelog(c->db, topic, "registration.waitlisted", c->org_ids[d->org],
					  payload, (int64_t)time(NULL), &seq);
			json_object_put(payload);
			s.waitlist_seq = seq;
		} else if (!strcmp(g->status, "confirmed")) {
			if (d->needs_approval)
				s.updated_at = demo_min(g->created_at + 2 * DEMO_DAY, c->today);
			if (demo_chance(&c->rng, 40))
				s.attendance_confirmed_at = demo_min(g->created_at + DEMO_DAY, c->today);
			if (s.attendance_confirmed_at > s.updated_at)
				s.updated_at = s.attendance_confirmed_at;
		} else if (d->cancelled) {
			s.updated_at = c->today - 5 * DEMO_DAY;
		} else if (strcmp(g->status, "pending")) {
			s.updated_at =
			    demo_min(g->created_at + (1 + demo_below(&c->rng, 10)) * DEMO_DAY, c->today);
		}
		rc = rc ? rc : store_demo_registration_insert(c->db, &s, &g->id);
	}
	explicit_bzero(token, sizeof(token));
	if (rc)
		snprintf(c->what, sizeof(c->what), "demo registrations");
	return rc;
}

/* Who recorded a scan or a manual mark for event e. */
static int64_t demo_recorder(struct demo_ctx *c, int e, bool qr)
{
	int org = demo_events[e].org;

	if (qr && demo_events[e].checkin)
		return c->account_ids[A_CHECKIN];
	for (int a = 0; a < DEMO_N_ACCOUNTS; a++)
		if (!strcmp(demo_accounts[a].role, "organiser") && demo_accounts[a].org == org)
			return c->account_ids[a];
	return c->account_ids[A_ADMIN];
}

static int demo_insert_attendance(struct demo_ctx *c)
{
	const char *status, *method;
	int64_t at;
	int rc = 0;

	for (int k = 0; k < c->n_sessions && !rc; k++) {
		int e = c->session_event[k];

		if (c->session_end[k] >= c->cutoff || demo_events[e].cancelled)
			continue;
		for (int i = 0; i < c->n_regs && !rc; i++) {
			int x = demo_below(&c->rng, 100);

			if (c->regs[i].event != e || strcmp(c->regs[i].status, "confirmed"))
				continue;
			status = x < 84 ? "present" : x < 94 ? "absent" : "excused";
			method = "manual";
			at = c->session_end[k] + 15 * 60;
			if (x < 84) {
				method = demo_chance(&c->rng, 60) ? "qr" : "manual";
				at = c->session_start[k] - 10 * 60 + demo_below(&c->rng, 40 * 60);
			} else if (x >= 94) {
				at = c->session_start[k] - (2 + demo_below(&c->rng, 40)) * DEMO_HOUR;
			}
			rc = store_demo_attendance_insert(c->db, c->session_ids[k], c->regs[i].id, status,
							  method, demo_recorder(c, e, !strcmp(method, "qr")),
							  at);
			c->n_attendance++;
		}
	}
	if (rc)
		snprintf(c->what, sizeof(c->what), "demo attendance");
	return rc;
}

/* Double-checks the invariants the rest of Majlis relies on before committing. */
static int demo_verify(struct demo_ctx *c)
{
	int64_t overlaps = -1, overbooked = -1;
	int rc = store_demo_overlaps(c->db, &overlaps);

	rc = rc ? rc : store_demo_overbooked(c->db, &overbooked);
	if (!rc && (overlaps || overbooked)) {
		snprintf(c->what, sizeof(c->what), "demo data (%lld overlaps, %lld overbooked events)",
			 (long long)overlaps, (long long)overbooked);
		rc = STORE_ERROR;
	}
	return rc;
}

static int demo_changelog(struct demo_ctx *c)
{
	struct json_object *o = json_object_new_object();
	int rc;

	json_object_object_add(o, "organisations", json_object_new_int(DEMO_N_ORGS));
	json_object_object_add(o, "venues", json_object_new_int(DEMO_N_VENUES));
	json_object_object_add(o, "events", json_object_new_int(DEMO_N_EVENTS));
	json_object_object_add(o, "sessions", json_object_new_int(c->n_sessions));
	json_object_object_add(o, "people", json_object_new_int(c->n_people + DEMO_N_FACS));
	json_object_object_add(o, "registrations", json_object_new_int(c->n_regs));
	json_object_object_add(o, "attendance", json_object_new_int(c->n_attendance));
	rc = db_changelog(c->db, "system", "demo.loaded", 0, o, (int64_t)time(NULL), NULL);
	json_object_put(o);
	if (rc)
		snprintf(c->what, sizeof(c->what), "demo change-log row");
	return rc;
}

int demo_load(struct db *db, struct dom_err *err)
{
	struct demo_ctx *c = calloc(1, sizeof(*c));
	bool any = true;
	int64_t now = (int64_t)time(NULL);
	int rc;

	err->code = DOM_OK;
	if (!c)
		return dom_fail(err, DOM_INTERNAL, NULL, "out of memory loading demo data");
	c->db = db;
	rc = store_demo_has_event(db, &any);
	if (rc || any)
		goto out;

	/* the slow part (PBKDF2) happens before the write lock is taken */
	for (int i = 0; i < DEMO_N_ACCOUNTS; i++) {
		if (password_hash(DEMO_ADMIN_PASSWORD, c->hashes[i])) {
			snprintf(c->what, sizeof(c->what), "demo password hash");
			rc = STORE_ERROR;
			goto out;
		}
	}
	c->people = calloc(DEMO_N_MIGRANTS + DEMO_N_OFFICIALS, sizeof(*c->people));
	c->regs = calloc(DEMO_MAX_REGS, sizeof(*c->regs));
	if (!c->people || !c->regs) {
		snprintf(c->what, sizeof(c->what), "demo data (out of memory)");
		rc = STORE_ERROR;
		goto out;
	}
	c->rng.s = DEMO_SEED;
	c->base = demo_utc_day("2025-12-01") + 9 * DEMO_HOUR;
	c->today = demo_utc_day("2026-11-27") + 8 * DEMO_HOUR;
	c->cutoff = demo_min(now, c->today);

	rc = db_begin(db);
	if (rc)
		goto out;
	rc = store_demo_has_event(db, &any);
	if (rc || any)
		goto out;
	rc = demo_insert_cast(c);
	rc = rc ? rc : demo_insert_events(c);
	if (!rc)
		demo_make_people(c);
	rc = rc ? rc : demo_plan_regs(c);
	rc = rc ? rc : demo_insert_people(c);
	rc = rc ? rc : demo_insert_regs(c);
	rc = rc ? rc : demo_insert_attendance(c);
	rc = rc ? rc : demo_verify(c);
	rc = rc ? rc : demo_changelog(c);
	rc = rc ? rc : db_commit(db);
	if (!rc)
		log_notice("demo data loaded: %d events, %d sessions, %d people, %d registrations, %d "
			   "attendance rows",
			   DEMO_N_EVENTS, c->n_sessions, c->n_people + DEMO_N_FACS, c->n_regs,
			   c->n_attendance);
out:
	if (rc) {
		db_rollback(db);
		log_err("demo data not loaded: %s failed (%d)", c->what[0] ? c->what : "database", rc);
		dom_from_store(err, rc, c->what[0] ? c->what : "demo data");
		if (rc == STORE_ERROR)
			dom_fail(err, DOM_INTERNAL, "demo_failed", "loading %s failed",
				 c->what[0] ? c->what : "demo data");
	} else if (any) {
		db_rollback(db);
		log_info("demo data skipped: the database already holds events");
	}
	explicit_bzero(c->hashes, sizeof(c->hashes));
	free(c->people);
	free(c->regs);
	free(c);
	return err->code;
}
