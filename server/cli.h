/*
 * cli: majlisd's command line — the sub-commands (token create, backup), the server's options read through
 * config's option table, and the --help text; it must not serve anything, start threads or keep state.
 * Called from main's thread before the service starts.
 */
#ifndef MAJLIS_CLI_H
#define MAJLIS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"

struct db;

/* Whether argv[1] names a sub-command ("token", "backup") rather than the server's options. */
bool cli_is_command(int argc, char **argv);
/* Runs the sub-command argv[1] names; its messages go to stdout and stderr. Returns the process's exit
 * status: 0, 1 when it failed, 2 for bad arguments. */
int cli_command(int argc, char **argv);
/* Writes majlisd --help to f: the synopsis, config_usage's option list, roles and signals. */
void cli_usage(FILE *f);
/* Reads the server's options (config_args) into cfg and checks them (config_validate); prints --help or
 * --version to stdout and a bad option's reason to stderr. Returns 0 to serve, 1 when --help or --version
 * was answered (exit 0), -1 after an error (exit 2). */
int cli_server_args(struct config *cfg, int argc, char **argv);
/* db_open(path, flags) that prints the reason to stderr ("majlisd: ..."). 0 or -1. */
int cli_open_db(const char *path, int flags, struct db **db);

#endif
