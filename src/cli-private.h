/* cli-private.h: what the command-line files share: the state of one command, and the
 * helpers to start the engine, fail with a message and print customer text safely. */
#ifndef FRONTLINE_CLI_PRIVATE_H
#define FRONTLINE_CLI_PRIVATE_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "articles.h"
#include "cli.h"
#include "engine.h"
#include "outbox.h"

/* One write a command submitted to the outbox, and what became of it. */
struct cli_item {
	int64_t id;
	enum outbox_state state;
	char error[512];
	long status;	/* failed: the HTTP status of the refusal, 0 when none */
	bool withdrawn; /* taken back from the outbox after giving up */
};

struct cli;

/* What a command runs with its arguments (argv[0] its name, getopt reset); returns an
 * enum cli_exit. */
typedef int cli_command_fn(struct cli *c, int argc, char **argv, const char *token);

/* One command of the table in cli-table.c, which dispatch, the usage and help messages
 * and frontline(1)'s COMMANDS all read. */
struct cli_command {
	const char *name;
	cli_command_fn *run;
	const char *args;	       /* the synopsis after the name; metavariables in capitals */
	const char *summary;	       /* one line, lower case, no full stop */
	bool needs_token;	       /* the configuration and the token; false: runs without */
	const char *shortopts;	       /* getopt_long's: "+" first, and h for -h */
	const struct option *longopts; /* with --help */
};

struct cli {
	const struct config *cfg;	   /* NULL for a command that needs no backend */
	const struct cli_command *command; /* the one running */
	struct loop *loop;
	struct engine engine;
	char error[512];
	long error_status; /* the HTTP status of the failure in error, 0 when none */
	bool ambiguous;
	struct thread thread;
	bool have_thread;
	struct customer customer; /* show's customer; customer_error says why there is none */
	char customer_error[512];
	bool customer_unreachable;  /* ...the backend could not be asked (transport, 5xx) */
	fl_time customer_cached_at; /* the customer shown is the cache's, fetched then; 0 */
	struct article *found;
	size_t n_found;
	bool done;		/* the operation being waited for finished */
	struct cli_item *items; /* the writes submitted */
	size_t n_items, cap_items;
	bool give_up; /* patience ran out */
	struct conversation *convs; /* what a search found */
	size_t n_convs, total_convs;
};

/* The loop and the engine, not started yet. Returns 0, or -1 with c->error set. */
int cli_setup(struct cli *c, const char *token);
/* Starts the engine (set up first if need be) and runs the loop until the directory
 * (and with sync, the queues) arrived. Returns 0, or -1 with c->error set. */
int cli_start(struct cli *c, const char *token, bool sync);
/* After cli_start failed: its message, and CLI_USAGE for a team the workspace lacks,
 * else CLI_FAILED. */
int cli_start_fail(struct cli *c);
/* Fetches conversation id's thread into c->thread (after cli_start); 0, or -1 with the
 * backend's message in c->error (c->error_status 404 when there is no such one). */
int cli_fetch_thread(struct cli *c, int64_t id);
/* Prints c->error and returns code. */
int cli_fail(struct cli *c, int code);
/* getopt_long over the running command's options, as its table entry gives them. */
int cli_getopt(struct cli *c, int argc, char **argv);
/* The running command's usage line on stderr (after a message saying what was wrong);
 * returns CLI_USAGE. */
int cli_usage(struct cli *c);
/* Frees what the command left in c. */
void cli_release(struct cli *c);
/* Customer text to a terminal or a pipe, its control characters made visible. */
void cli_print_safe(FILE *f, const char *s, bool keep_newlines);
/* j as indented JSON and a newline on stdout, with nothing in it a terminal would act on:
 * C1 and bidirectional controls escaped (\u009B) like C0. */
void cli_print_json(json_t *j);
/* Warns on stderr when the admin frontline acts as is away or a bot. */
void cli_agent_warn(const struct cli *c);
/* "#12" or "12". 0, or -1 if it is not an id. */
int cli_parse_id(const char *s, int64_t *id);

/* The commands of the table. cli.c: list, status, show, articles, whoami; cli-write.c:
 * reply, tag, priority and outbox; cli-table.c: help. Each reads its options with
 * c->command's getopt tables; cli_run has answered -h and --help before it runs. */
cli_command_fn cli_cmd_list, cli_cmd_status, cli_cmd_show, cli_cmd_articles, cli_cmd_reply,
    cli_cmd_tag, cli_cmd_priority, cli_cmd_outbox, cli_cmd_whoami, cli_cmd_search,
    cli_cmd_assign;
/* cli-write.c */
cli_command_fn cli_cmd_reopen;
/* cli-report.c */
cli_command_fn cli_cmd_report;
/* Runs the loop until a callback sets c->done (and clears it). */
void cli_wait(struct cli *c);

#endif
