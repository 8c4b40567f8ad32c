/* cli-table.c: the table of the scriptable commands (name, synopsis, summary, options,
 * whether it needs the backend) and everything that reads it: dispatch, the usage lines,
 * frontline --help's list, frontline help [COMMAND], COMMAND --help, and the COMMANDS of
 * frontline(1), which help --man writes and tests/client/help.test compares. */
#include "build-config.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli-private.h"
#include "ui.h"
#include "util.h"

/* The synopsis column of the list of commands; a longer synopsis has its summary below. */
#define SYNOPSIS_WIDTH 28

static cli_command_fn cli_cmd_help, cli_cmd_stop;

/* Every command takes -h and --help, which cli_run answers before the command runs. */
static const struct option list_options[] = {{"queue", required_argument, NULL, 'q'},
					     {"json", no_argument, NULL, 'j'},
					     {"help", no_argument, NULL, 'h'},
					     {0}};
static const struct option status_options[] = {
    {"watch", no_argument, NULL, 'w'}, {"help", no_argument, NULL, 'h'}, {0}};
static const struct option reply_options[] = {{"note", no_argument, NULL, 'n'},
					      {"queue", no_argument, NULL, 'Q'},
					      {"help", no_argument, NULL, 'h'},
					      {0}};
static const struct option json_options[] = {
    {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {0}};
static const struct option help_options[] = {{"man", no_argument, NULL, 'm'},
					     {"keys", no_argument, NULL, 'k'},
					     {"help", no_argument, NULL, 'h'},
					     {0}};
static const struct option report_options[] = {
    {"since", required_argument, NULL, 's'}, {"until", required_argument, NULL, 'u'},
    {"queue", required_argument, NULL, 'q'}, {"agent", required_argument, NULL, 'a'},
    {"json", no_argument, NULL, 'j'},	     {"ascii", no_argument, NULL, 'A'},
    {"help", no_argument, NULL, 'h'},	     {"no-cache", no_argument, NULL, 'N'},
    {0}};
/* show, tag and outbox read their operands themselves: tag's -name is not an option. */
static const struct option only_help[] = {{"help", no_argument, NULL, 'h'}, {0}};

/* Options come before the operands ("+"), as they always have. */
static const struct cli_command commands[] = {
    {"list", cli_cmd_list, "[--queue NAME] [--json]",
     "conversations by urgency, with their deadlines", true, "+q:jh", list_options},
    {"status", cli_cmd_status, "[--watch]", "one line for tmux or a status bar", true, "+wh",
     status_options},
    {"show", cli_cmd_show, "ID [--json]", "a conversation and its thread", true, "+h", only_help},
    {"reply", cli_cmd_reply, "[--note] [--queue] ID", "send standard input (or $EDITOR's text)",
     true, "+nh", reply_options},
    {"tag", cli_cmd_tag, "ID +NAME -NAME...", "add and remove tags", true, "+h", only_help},
    {"priority", cli_cmd_priority, "ID LEVEL",
     "set the priority: none, low, medium, high or urgent", true, "+h", only_help},
    {"outbox", cli_cmd_outbox, "[list [--json] | send | retry ITEM | discard ITEM]",
     "the writes waiting to be sent", true, "+h", only_help},
    {"articles", cli_cmd_articles, "[--json] QUERY", "search the help center", true, "+jh",
     json_options},
    {"whoami", cli_cmd_whoami, "[--json]", "the admin frontline writes as, and why", true, "+jh",
     json_options},
    {"stop", cli_cmd_stop, "", "with --demo: stop the demo backend now", false, "+h", only_help},
    {"help", cli_cmd_help, "[--man] [--keys | COMMAND]",
     "the commands, one command's usage, or the screen's keys", false, "+h",
     help_options},
    {"search", cli_cmd_search, "QUERY [--json]",
     "search every conversation: text, email:ADDRESS, #ID, state:STATE", true, "jh",
     json_options},
    {"assign", cli_cmd_assign, "ID WHO",
     "assign to me, none, a teammate (email, name, id) or a team", true, "+h", only_help},
    {"reopen", cli_cmd_reopen, "ID", "reopen a closed or snoozed conversation", true, "+h",
     only_help},
    {"report", cli_cmd_report,
     "[--since WHEN] [--until WHEN] [--queue Q] [--agent A] [--json] [--ascii] [--no-cache]",
     "how fast first and next replies came, per queue and per agent", true, "+s:u:q:a:jAhN",
     report_options},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct cli_command *command_find(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

static int command_unknown(const char *name)
{
	fprintf(stderr, "%s: unknown command \"%s\"; frontline help lists the commands\n",
		util_progname(), name);
	return CLI_USAGE;
}

/* "name args" (or the name alone) in buf. */
static const char *command_synopsis(const struct cli_command *cmd, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", cmd->name, *cmd->args ? " " : "", cmd->args);
	return buf;
}

/* Whether argv asks for the command's help: -h or --help among its options, parsed as
 * the command parses them (quietly: the command reports its own mistakes). */
static bool command_wants_help(const struct cli_command *cmd, int argc, char **argv)
{
	int ch, saved = opterr;
	bool help = false;

	opterr = 0;
	optind = 0; /* a fresh parse, which reads the "+" again */
	while (!help && (ch = getopt_long(argc, argv, cmd->shortopts, cmd->longopts, NULL)) != -1)
		help = ch == 'h';
	/* --help after the operands too ("outbox list --help", "show 12 --help"), up to a
	 * "--" */
	for (ch = optind; !help && ch < argc && strcmp(argv[ch], "--"); ch++)
		help = !strcmp(argv[ch], "--help");
	opterr = saved;
	return help;
}

/* A command's help: its usage and what it does. */
static void command_help(FILE *out, const struct cli_command *cmd)
{
	char synopsis[160];

	fprintf(out, "Usage: frontline %s\n  %s\nSee frontline(1), COMMANDS, for the details.\n",
		command_synopsis(cmd, synopsis, sizeof(synopsis)), cmd->summary);
}

/* The synopsis as man(7) text: literal words in bold, metavariables (capitals) in
 * italics, and spaces, brackets, bars and ellipses in roman. */
static void man_put_synopsis(FILE *out, const char *s)
{
	char font = 'R', want;

	for (; *s; s++) {
		bool ellipsis = !strncmp(s, "...", 3);

		if (ellipsis || strchr(" []|", *s))
			want = 'R';
		else if (isupper((unsigned char)*s))
			want = 'I';
		else
			want = 'B';
		if (want != font)
			fprintf(out, "\\f%c", want);
		font = want;
		if (ellipsis) {
			fputs("...", out);
			s += 2;
		} else if (*s == '-') {
			fputs("\\-", out);
		} else {
			fputc(*s, out);
		}
	}
	if (font != 'R')
		fputs("\\fR", out);
}

/* The heading of each command (or of cmd only) in frontline(1)'s COMMANDS. */
static void write_man(FILE *out, const struct cli_command *cmd)
{
	char synopsis[160];
	size_t i;

	for (i = 0; i < N_COMMANDS; i++) {
		if (cmd && cmd != &commands[i])
			continue;
		command_synopsis(&commands[i], synopsis, sizeof(synopsis));
		fputs(".TP\n", out);
		man_put_synopsis(out, synopsis);
		fputc('\n', out);
	}
}

void cli_write_commands(FILE *out)
{
	char synopsis[160];
	size_t i;

	for (i = 0; i < N_COMMANDS; i++) {
		command_synopsis(&commands[i], synopsis, sizeof(synopsis));
		if (strlen(synopsis) > SYNOPSIS_WIDTH)
			fprintf(out, "  %s\n  %-*s  %s\n", synopsis, SYNOPSIS_WIDTH, "",
				commands[i].summary);
		else
			fprintf(out, "  %-*s  %s\n", SYNOPSIS_WIDTH, synopsis, commands[i].summary);
	}
}

int cli_getopt(struct cli *c, int argc, char **argv)
{
	return getopt_long(argc, argv, c->command->shortopts, c->command->longopts, NULL);
}

int cli_usage(struct cli *c)
{
	char synopsis[160];

	fprintf(stderr, "usage: frontline %s\n",
		command_synopsis(c->command, synopsis, sizeof(synopsis)));
	return CLI_USAGE;
}

/* stop: only with --demo, which main.c answers before any command runs. */
static int cli_cmd_stop(struct cli *c, int argc, char **argv, const char *token)
{
	(void)argc;
	(void)argv;
	(void)token;
	fprintf(stderr, "%s: stop stops the demo backend: frontline --demo stop\n",
		util_progname());
	return cli_usage(c);
}

/* help [--man] [--keys | COMMAND]: the commands, one command's usage, or the screen's
 * actions and their default keys; --man writes them as frontline(1) has them. */
static int cli_cmd_help(struct cli *c, int argc, char **argv, const char *token)
{
	const struct cli_command *cmd = NULL;
	bool man = false, keys = false;
	int ch;

	(void)token;
	while ((ch = cli_getopt(c, argc, argv)) != -1) {
		if (ch == 'k')
			keys = true;
		else if (ch == 'm')
			man = true;
		else
			return cli_usage(c);
	}
	if (argc - optind > (keys ? 0 : 1))
		return cli_usage(c);
	if (keys) {
		ui_keys_write(stdout, man);
		return CLI_OK;
	}
	if (optind < argc) {
		cmd = command_find(argv[optind]);
		if (!cmd)
			return command_unknown(argv[optind]);
	}
	if (man) {
		write_man(stdout, cmd);
	} else if (cmd) {
		command_help(stdout, cmd);
	} else {
		fputs("Usage: frontline [OPTION]... COMMAND [ARG]...\n\nCommands:\n", stdout);
		cli_write_commands(stdout);
		fputs("\nfrontline help COMMAND shows a command's usage, frontline --help the "
		      "options.\n",
		      stdout);
	}
	return CLI_OK;
}

bool cli_needs_token(int argc, char **argv)
{
	const struct cli_command *cmd = command_find(argv[0]);

	return cmd && cmd->needs_token && !command_wants_help(cmd, argc, argv);
}

int cli_run(int argc, char **argv, const struct config *cfg, const char *token)
{
	struct cli c = {.cfg = cfg, .command = command_find(argv[0])};
	int code;

	if (!c.command)
		return command_unknown(argv[0]);
	if (command_wants_help(c.command, argc, argv)) {
		command_help(stdout, c.command);
		return CLI_OK;
	}
	optind = 0;
	code = c.command->run(&c, argc, argv, token);
	cli_release(&c);
	return code;
}
