#!/usr/bin/env python3
"""seed_feed: fills a migrated Majlis database with N public events (one session each) through direct
sqlite3 inserts, with realistic French, Arabic and English titles; for benchmarks and memory tests only,
never for a production database.

usage: seed_feed.py DB [N]   (the database must exist and be migrated: `majlisd token create --db DB ...`)
"""

import random
import sqlite3
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

CASA = ZoneInfo("Africa/Casablanca")
DAY = 86400

ORGS = [
    ("Association Amal pour le développement", "ngo", "Rabat", "contact@amal.example.org"),
    ("Ministère délégué chargé des MRE et des affaires de la migration", "central_government", "Rabat",
     "formation@mre.example.gov.ma"),
    ("Conseil régional de l'Oriental", "local_government", "Oujda", "cooperation@oriental.example.ma"),
    ("Centre de formation professionnelle Hay Mohammadi", "training_centre", "Casablanca",
     "cfp.haymohammadi@example.ma"),
    ("Organisation internationale pour les migrations — Maroc", "international_organisation", "Rabat",
     "rabat@iom.example.int"),
    ("Fondation Orient-Occident", "ngo", "Tanger", None),
]

VENUES = [
    ("Centre de formation Amal", "Rabat", "12 rue Oukaimeden, Agdal", 34.0009, -6.8527),
    ("Maison des associations", "Casablanca", "45 boulevard Zerktouni", 33.5899, -7.6313),
    ("Espace jeunesse Lazaret", "Oujda", "Avenue Mohammed VI", 34.6814, -1.9086),
    ("Salle de conférence de la wilaya", "Tanger", "Place des Nations", 35.7673, -5.7998),
    ("Complexe culturel Mohammed VI", "Agadir", None, None, None),
    ("Centre social Sidi Moumen", "Casablanca", "Rue 12, Sidi Moumen", None, None),
    ("Institut de formation aux métiers du bâtiment", "Fès", "Route d'Imouzzer", 34.0181, -5.0078),
]

# (type, French, Arabic, English) topics; each event takes one and a cohort number.
TOPICS = [
    ("training", "Formation en électricité du bâtiment", "تكوين في كهرباء البناء", "Building electrics training"),
    ("training", "Formation en couture et confection", "تكوين في الخياطة والتفصيل", "Sewing and tailoring course"),
    ("training", "Initiation à la comptabilité pour auto-entrepreneurs", "مدخل إلى المحاسبة للمقاولين الذاتيين",
     "Bookkeeping for self-employed workers"),
    ("training", "Cuisine et pâtisserie professionnelles", "الطبخ والحلويات المهنية", "Professional cooking and pastry"),
    ("training", "Langue arabe dialectale (darija) — niveau 1", "الدارجة المغربية — المستوى الأول",
     "Moroccan Arabic (darija) — level 1"),
    ("training", "Soudure et menuiserie métallique", "التلحيم والنجارة المعدنية", "Welding and metalwork"),
    ("training", "Aide à domicile et soins aux personnes âgées", "المساعدة المنزلية ورعاية المسنين",
     "Home care and elderly care"),
    ("workshop", "Atelier : droits et démarches des personnes migrantes régularisées",
     "ورشة: حقوق وإجراءات المهاجرين المسوّاة وضعيتهم", "Workshop: rights and procedures of regularised migrants"),
    ("workshop", "Atelier d'écriture de CV et préparation aux entretiens", "ورشة كتابة السيرة الذاتية والتحضير للمقابلات",
     "CV writing and interview preparation"),
    ("workshop", "Renforcement des capacités des agents d'accueil", "تعزيز قدرات أعوان الاستقبال",
     "Capacity building for front-desk officers"),
    ("concertation", "Concertation régionale sur l'insertion professionnelle", "تشاور جهوي حول الإدماج المهني",
     "Regional concertation on job integration"),
    ("concertation", "Réunion de coordination ONG — administrations", "اجتماع تنسيق بين الجمعيات والإدارات",
     "NGO and administration coordination meeting"),
]

DESC = (
    "Session ouverte aux personnes migrantes en situation régulière et aux acteurs associatifs. "
    "Inscription gratuite, attestation remise en fin de parcours.",
    "الدورة مفتوحة للمهاجرين في وضعية قانونية وللفاعلين الجمعويين. التسجيل مجاني وتسلم شهادة في نهاية التكوين.",
    "Open to regularised migrants and civil-society actors. Free registration; a certificate is handed out "
    "at the end.",
)


def wall(t):
    """(wall time "YYYY-MM-DDTHH:MM:SS", UTC offset in seconds) of instant t in Africa/Casablanca."""
    d = datetime.fromtimestamp(t, CASA)
    return d.strftime("%Y-%m-%dT%H:%M:%S"), int(d.utcoffset().total_seconds())


def seed(path, n, rnd=None):
    """Inserts n public events with one session each (plus their organisations, venues and rooms) and one
    change-log row, in one transaction. Returns the list of event ids."""
    rnd = rnd or random.Random(20240501)
    now = int(time.time())
    db = sqlite3.connect(path, timeout=30)
    db.execute("PRAGMA foreign_keys=ON")
    ex = db.execute
    with db:
        orgs = []
        for name, kind, city, email in ORGS:
            ex("INSERT OR IGNORE INTO organisations (name, kind, city, contact_name, contact_email, created_at, "
               "updated_at) VALUES (?, ?, ?, 'Contact', ?, ?, ?)", (name, kind, city, email, now, now))
            orgs.append(ex("SELECT id FROM organisations WHERE name = ?", (name,)).fetchone()[0])
        venues, rooms = [], []
        for name, city, address, lat, lon in VENUES:
            v = ex("INSERT INTO venues (name, city, address, latitude, longitude, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", (name, city, address, lat, lon, now, now)).lastrowid
            venues.append(v)
            rooms.append([ex("INSERT INTO rooms (venue_id, name, capacity) VALUES (?, ?, ?)",
                             (v, r, rnd.choice((15, 20, 30, 60)))).lastrowid for r in ("Salle A", "Salle B", "Atelier")])
        events = []
        for i in range(n):
            type_, fr, ar, en = TOPICS[i % len(TOPICS)]
            cohort = i // len(TOPICS) + 1
            vi = rnd.randrange(len(venues))
            e = ex("INSERT INTO events (type, title_fr, title_ar, title_en, description_fr, description_ar, "
                   "description_en, org_id, venue_id, visibility, capacity, status, sequence, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'public', ?, ?, ?, ?, ?)",
                   (type_, f"{fr} — promotion {cohort}", f"{ar} — الفوج {cohort}", f"{en} — cohort {cohort}",
                    DESC[0], DESC[1], DESC[2], orgs[i % len(orgs)], venues[vi], rnd.choice((12, 20, 25, 40)),
                    "postponed" if i % 47 == 0 else "scheduled", i % 3, now, now)).lastrowid
            events.append(e)
            # one session between yesterday and ~8 months ahead, at 09:00, 10:00 or 14:00 local
            day = now - DAY + (i * 97 % 240) * DAY
            start_local = datetime.fromtimestamp(day, CASA).strftime("%Y-%m-%dT") + \
                rnd.choice(("09:00:00", "10:00:00", "14:00:00"))
            start = int(datetime.fromisoformat(start_local).replace(tzinfo=CASA).timestamp())
            end = start + rnd.choice((2, 3, 4)) * 3600
            sl, so = wall(start)
            el, eo = wall(end)
            ex("INSERT INTO sessions (event_id, starts_local, ends_local, tz, start_utc, end_utc, start_offset, "
               "end_offset, room_id, title, sequence, created_at, updated_at) "
               "VALUES (?, ?, ?, 'Africa/Casablanca', ?, ?, ?, ?, ?, ?, 0, ?, ?)",
               (e, sl, el, start, end, so, eo, rnd.choice(rooms[vi]) if i % 2 else None,
                f"Module {i % 6 + 1}" if i % 4 == 0 else None, now, now))
        ex("INSERT INTO change_log (topic, kind, org_id, payload, created_at) VALUES ('bench', 'bench.seed', NULL, "
           "'{}', ?)", (now,))
    db.close()
    return events


def main():
    if len(sys.argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    n = int(sys.argv[2]) if len(sys.argv) == 3 else 500
    ids = seed(sys.argv[1], n)
    print(f"seeded {len(ids)} public events with one session each into {sys.argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
