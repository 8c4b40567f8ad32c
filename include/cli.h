/* cli.h: frontline's scriptable subcommands (list, status, show, reply, tag, articles,
 * outbox, help), from one table: each syncs what it needs on the event loop, prints, and
 * exits with a code scripts can rely on. */
#ifndef FRONTLINE_CLI_H
#define FRONTLINE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"

/* Exit codes, documented in frontline(1). */
enum cli_exit {
	CLI_OK = 0,
	CLI_FAILED = 1,	   /* the backend failed or refused; nothing was changed */
	CLI_USAGE = 2,	   /* bad arguments or configuration */
	CLI_NOT_FOUND = 3, /* no such conversation, queue or tag */
	CLI_UNSURE = 4,	   /* a write may or may not have been carried out */
	CLI_ABORTED = 5,   /* a reply written in the editor was left empty: nothing sent */
};

/* Whether the subcommand argv[0] with its arguments needs the configuration and the
 * token. False for help, for COMMAND -h or --help, and for an unknown command (cli_run
 * refuses it): those run without them. */
bool cli_needs_token(int argc, char **argv);

/* Runs the subcommand argv[0] with its arguments, with cfg and the token already loaded
 * when cli_needs_token said so (else both may be NULL). An unknown command is a usage
 * error. Returns an enum cli_exit. */
int cli_run(int argc, char **argv, const struct config *cfg, const char *token);

/* The commands, one a line: synopsis and summary, for a usage message. */
void cli_write_commands(FILE *out);

#endif
