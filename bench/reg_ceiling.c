/*
 * bench/reg_ceiling: the ceiling of bench/registrations.sh, a tiny program doing with SQLite what a durable
 * registration needs at least: in THREADS threads, one connection each (WAL, synchronous=FULL), COUNT
 * transactions of one registration row each, with the capacity check kept as a counter on the event row
 * (BEGIN IMMEDIATE; read the free seats; insert the row; count it; COMMIT); no HTTP, no JSON, not majlisd.
 *
 * usage: reg_ceiling DB --existing E --count N [--threads 16]
 *   DB is created if missing; the event's registrations are first topped up to E (in one transaction),
 *   then the N timed transactions run; prints their rate.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *db_path;
static long count;
static long next_reg; /* registrations handed out so far (the timed ones); under next_lock */
static pthread_mutex_t next_lock = PTHREAD_MUTEX_INITIALIZER;
static long failures; /* under next_lock */
/* Writers queue here rather than in SQLite's busy handler, which sleeps 1 to 100 ms between tries: one
 * writer at a time either way, but no thread sleeps while the database is free. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, capacity INTEGER NOT NULL, "
    "  confirmed INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS registrations (id INTEGER PRIMARY KEY, "
    "  event_id INTEGER NOT NULL REFERENCES events(id), email TEXT NOT NULL, "
    "  status TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, "
    "  UNIQUE (event_id, email));"
    "INSERT OR IGNORE INTO events (id, capacity) VALUES (1, 1000000);";

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static sqlite3 *db_open(void)
{
	sqlite3 *db = NULL;

	if (sqlite3_open(db_path, &db) != SQLITE_OK) {
		fprintf(stderr, "reg_ceiling: %s: %s\n", db_path, sqlite3_errmsg(db));
		exit(2);
	}
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", NULL,
			 NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "reg_ceiling: %s\n", sqlite3_errmsg(db));
		exit(2);
	}
	return db;
}

/* One registration in its own durable transaction; 0 on success. */
static int register_one(sqlite3 *db, sqlite3_stmt *seats, sqlite3_stmt *ins, sqlite3_stmt *count_it,
			const char *email, const char *token)
{
	int rc = -1;
	int free_seats;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(seats) != SQLITE_ROW)
		goto out;
	free_seats = sqlite3_column_int(seats, 0);
	sqlite3_bind_text(ins, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, free_seats > 0 ? "confirmed" : "waitlisted", -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, token, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 4, (sqlite3_int64)time(NULL));
	if (sqlite3_step(ins) != SQLITE_DONE)
		goto out;
	if (free_seats > 0 && sqlite3_step(count_it) != SQLITE_DONE)
		goto out;
	rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
out:
	sqlite3_reset(seats);
	sqlite3_reset(ins);
	sqlite3_reset(count_it);
	if (rc)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static void *worker(void *arg)
{
	sqlite3 *db = db_open();
	sqlite3_stmt *seats, *ins, *count_it;
	char email[96], token[80];
	long tag = (long)(intptr_t)arg;

	sqlite3_prepare_v2(db, "SELECT capacity - confirmed FROM events WHERE id = 1", -1, &seats, NULL);
	sqlite3_prepare_v2(db,
			   "INSERT INTO registrations (event_id, email, status, token_hash, created_at) "
			   "VALUES (1, ?1, ?2, ?3, ?4)",
			   -1, &ins, NULL);
	sqlite3_prepare_v2(db, "UPDATE events SET confirmed = confirmed + 1 WHERE id = 1", -1, &count_it,
			   NULL);
	for (;;) {
		long k;

		pthread_mutex_lock(&next_lock);
		k = next_reg < count ? ++next_reg : 0;
		pthread_mutex_unlock(&next_lock);
		if (!k)
			break;
		snprintf(email, sizeof(email), "timed-%ld-%ld@example.org", tag, k);
		snprintf(token, sizeof(token), "%016lx%016lx%016lx%016lx", (unsigned long)tag,
			 (unsigned long)k, (unsigned long)random(), (unsigned long)random());
		pthread_mutex_lock(&write_lock);
		int rc = register_one(db, seats, ins, count_it, email, token);

		pthread_mutex_unlock(&write_lock);
		if (rc) {
			pthread_mutex_lock(&next_lock);
			if (failures++ < 3)
				fprintf(stderr, "reg_ceiling: %s\n", sqlite3_errmsg(db));
			pthread_mutex_unlock(&next_lock);
		}
	}
	sqlite3_finalize(seats);
	sqlite3_finalize(ins);
	sqlite3_finalize(count_it);
	sqlite3_close(db);
	return NULL;
}

/* Tops the event up to existing registrations in one transaction (not timed). */
static void top_up(long existing)
{
	sqlite3 *db = db_open();
	sqlite3_stmt *n;
	long have;

	if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "reg_ceiling: %s\n", sqlite3_errmsg(db));
		exit(2);
	}
	sqlite3_prepare_v2(db, "SELECT count(*) FROM registrations WHERE event_id = 1", -1, &n, NULL);
	sqlite3_step(n);
	have = sqlite3_column_int(n, 0);
	sqlite3_finalize(n);
	if (existing > have) {
		char sql[640];

		snprintf(
		    sql, sizeof(sql),
		    "BEGIN;"
		    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %ld) "
		    "INSERT INTO registrations (event_id, email, status, token_hash, created_at) "
		    "SELECT 1, 'seed-' || (i + %ld) || '@example.org', 'confirmed', hex(randomblob(32)), "
		    "CAST(strftime('%%s', 'now') AS INTEGER) FROM c;"
		    "UPDATE events SET confirmed = confirmed + %ld WHERE id = 1;"
		    "COMMIT",
		    existing - have, have, existing - have);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
			fprintf(stderr, "reg_ceiling: %s\n", sqlite3_errmsg(db));
			exit(2);
		}
	}
	sqlite3_close(db);
}

int main(int argc, char **argv)
{
	long existing = -1;
	int threads = 16;
	pthread_t tid[256];
	int64_t t0, t1;
	static long run; /* distinguishes the timed rows of successive runs on one file */

	if (argc < 2) {
		fprintf(stderr, "usage: reg_ceiling DB --existing E --count N [--threads 16]\n");
		return 2;
	}
	db_path = argv[1];
	for (int i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--existing"))
			existing = strtol(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--count"))
			count = strtol(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--threads"))
			threads = (int)strtol(argv[i + 1], NULL, 10);
	}
	if (existing < 0 || count <= 0 || threads <= 0 || threads > 256) {
		fprintf(stderr, "usage: reg_ceiling DB --existing E --count N [--threads 16]\n");
		return 2;
	}
	srandom((unsigned)now_ns());
	run = (long)(now_ns() % 1000000000);
	top_up(existing);
	t0 = now_ns();
	for (int i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, worker, (void *)(intptr_t)(run * 256 + i));
	for (int i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	t1 = now_ns();
	double secs = (double)(t1 - t0) / 1e9;

	fprintf(
	    stderr,
	    "reg_ceiling: %ld registrations (%ld failed) in %d threads from %ld existing in %.2f s: %.0f/s\n",
	    count - failures, failures, threads, existing, secs, (double)(count - failures) / secs);
	printf("RESULT count=%ld failed=%ld secs=%.3f rate=%.1f\n", count - failures, failures, secs,
	       (double)(count - failures) / secs);
	return failures ? 3 : 0;
}
