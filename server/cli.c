/* cli: majlisd's sub-commands (token create, backup), its server options through config's table, and
 * --help; it must not serve anything, start threads or keep state. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/api_tokens.h"
#include "store/db.h"
#include "util/secret.h"

void cli_usage(FILE *f)
{
	fputs("usage: majlisd [options]\n"
	      "       majlisd token create --db FILE --role ROLE [--org ID] [--label TEXT]\n"
	      "       majlisd backup --db FILE OUT\n"
	      "\n"
	      "Serves Majlis: trainings, workshops and concertations, their registrations and calendars.\n"
	      "\n"
	      "options:\n",
	      f);
	config_usage(f);
	fputs("\n"
	      "roles: admin, organiser, checkin, viewer\n"
	      "signals: TERM/INT stop after in-flight requests; HUP re-reads the tz database\n",
	      f);
}

int cli_server_args(struct config *cfg, int argc, char **argv)
{
	char err[512];

	switch (config_args(cfg, argc, argv, err, sizeof(err))) {
	case CONFIG_ARGS_OK:
		break;
	case CONFIG_ARGS_HELP:
		cli_usage(stdout);
		return 1;
	case CONFIG_ARGS_VERSION:
		printf("majlisd %s\n", MAJLIS_VERSION);
		return 1;
	default:
		fprintf(stderr, "majlisd: %s\n", err);
		return -1;
	}
	if (config_validate(cfg, err, sizeof(err))) {
		fprintf(stderr, "majlisd: %s\n", err);
		return -1;
	}
	return 0;
}

int cli_open_db(const char *path, int flags, struct db **db)
{
	char err[512];

	if (db_open(path, flags, db, err, sizeof(err))) {
		fprintf(stderr, "majlisd: %s\n", err);
		return -1;
	}
	return 0;
}

/* majlisd token create --db FILE --role ROLE [--org ID] [--label TEXT] */
static int cli_token(int argc, char **argv)
{
	const char *dbpath = NULL, *label = NULL;
	enum role role = ROLE_NONE;
	long long org = 0;
	char token[SECRET_TOKEN_LEN + 1];
	struct dom_err err;
	struct db *db;
	char *end;
	int rc;

	if (argc < 3 || strcmp(argv[2], "create")) {
		fputs("usage: majlisd token create --db FILE --role ROLE [--org ID] [--label TEXT]\n",
		      stderr);
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		if (i + 1 >= argc) {
			fprintf(stderr, "majlisd: %s needs a value\n", argv[i]);
			return 2;
		}
		if (!strcmp(argv[i], "--db")) {
			dbpath = argv[++i];
		} else if (!strcmp(argv[i], "--role")) {
			role = role_parse(argv[++i]);
			if (role == ROLE_NONE) {
				fprintf(stderr,
					"majlisd: --role must be admin, organiser, checkin or viewer\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--org")) {
			errno = 0;
			org = strtoll(argv[++i], &end, 10);
			if (errno || *end || org <= 0) {
				fprintf(stderr,
					"majlisd: --org must be an organisation id (a positive number)\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--label")) {
			label = argv[++i];
		} else {
			fprintf(stderr, "majlisd: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!dbpath || role == ROLE_NONE) {
		fputs("majlisd: token create needs --db FILE and --role ROLE\n", stderr);
		return 2;
	}
	if (cli_open_db(dbpath, DB_MIGRATE, &db))
		return 1;
	rc = api_tokens_create(db, role, org, label ? label : "cli", (int64_t)time(NULL), token, NULL, &err);
	db_close(db);
	if (rc) {
		fprintf(stderr, "majlisd: %s\n", err.message);
		return 1;
	}
	printf("%s\n", token);
	return 0;
}

/* majlisd backup --db FILE OUT */
static int cli_backup(int argc, char **argv)
{
	char err[512];
	struct db *db;
	int rc;

	if (argc != 5 || strcmp(argv[2], "--db")) {
		fputs("usage: majlisd backup --db FILE OUT\n", stderr);
		return 2;
	}
	if (cli_open_db(argv[3], 0, &db))
		return 1;
	rc = db_backup(db, argv[4], err, sizeof(err));
	db_close(db);
	if (rc) {
		fprintf(stderr, "majlisd: %s\n", err);
		return 1;
	}
	printf("backup written to %s\n", argv[4]);
	return 0;
}

/* The sub-commands: argv[1] and what runs it. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} cli_commands[] = {
    {"token", cli_token},
    {"backup", cli_backup},
};

bool cli_is_command(int argc, char **argv)
{
	if (argc < 2)
		return false;
	for (size_t i = 0; i < sizeof(cli_commands) / sizeof(cli_commands[0]); i++)
		if (!strcmp(argv[1], cli_commands[i].name))
			return true;
	return false;
}

int cli_command(int argc, char **argv)
{
	for (size_t i = 0; argc >= 2 && i < sizeof(cli_commands) / sizeof(cli_commands[0]); i++)
		if (!strcmp(argv[1], cli_commands[i].name))
			return cli_commands[i].run(argc, argv);
	fprintf(stderr, "majlisd: unknown command '%s'\n", argc >= 2 ? argv[1] : "");
	return 2;
}
