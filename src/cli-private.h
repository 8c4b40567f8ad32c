/* cli-private.h: what the command-line files share: the state of one command, and the
 * helpers to start the engine, fail with a message and print customer text safely. */
#ifndef FRONTLINE_CLI_PRIVATE_H
#define FRONTLINE_CLI_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "articles.h"
#include "cli.h"
#include "engine.h"
#include "outbox.h"

/* One write a command submitted to the outbox, and what became of it. */
struct cli_item {
	int64_t id;
	enum outbox_state state;
	char error[256];
	bool withdrawn; /* taken back from the outbox after giving up */
};

struct cli {
	const struct config *cfg;
	struct loop *loop;
	struct engine engine;
	char error[256];
	bool ambiguous;
	struct thread thread;
	bool have_thread;
	struct article *found;
	size_t n_found;
	bool done;		/* the operation being waited for finished */
	struct cli_item *items; /* the writes submitted */
	size_t n_items, cap_items;
	bool give_up; /* patience ran out */
};

/* The loop and the engine, not started yet. Returns 0, or -1 with c->error set. */
int cli_setup(struct cli *c, const char *token);
/* Starts the engine (set up first if need be) and runs the loop until the directory
 * (and with sync, the queues) arrived. Returns 0, or -1 with c->error set. */
int cli_start(struct cli *c, const char *token, bool sync);
/* Prints c->error and returns code. */
int cli_fail(struct cli *c, int code);
/* Customer text to a terminal or a pipe, its control characters made visible. */
void cli_print_safe(FILE *f, const char *s, bool keep_newlines);
/* "#12" or "12". 0, or -1 if it is not an id. */
int cli_parse_id(const char *s, int64_t *id);

/* cli-write.c: reply, tag and outbox; each returns an enum cli_exit. */
int cli_cmd_reply(struct cli *c, int argc, char **argv, const char *token);
int cli_cmd_tag(struct cli *c, int argc, char **argv, const char *token);
int cli_cmd_outbox(struct cli *c, int argc, char **argv, const char *token);

#endif
