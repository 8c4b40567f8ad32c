/* cli.h: frontline's scriptable subcommands (list, status, show, reply, tag, articles):
 * each syncs what it needs on the event loop, prints, and exits with a code scripts can
 * rely on. */
#ifndef FRONTLINE_CLI_H
#define FRONTLINE_CLI_H

#include "config.h"

/* Exit codes, documented in frontline(1). */
enum cli_exit {
	CLI_OK = 0,
	CLI_FAILED = 1,	   /* the backend failed or refused; nothing was changed */
	CLI_USAGE = 2,	   /* bad arguments or configuration */
	CLI_NOT_FOUND = 3, /* no such conversation, queue or tag */
	CLI_UNSURE = 4,	   /* a write may or may not have been carried out */
};

/* True if name is a subcommand. */
int cli_is_command(const char *name);

/* Runs the subcommand argv[0] with its arguments, with cfg and the token already loaded.
 * Returns an enum cli_exit. */
int cli_run(int argc, char **argv, const struct config *cfg, const char *token);

#endif
