/* main.c: frontline's entry point: global options, the configuration and the token, the
 * demo backend, and then the subcommands or, without one, the agent's screen. */
#include "build-config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "demo.h"
#include "ui.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: frontline [OPTION]... [COMMAND [ARG]...]\n"
		   "A terminal client for customer-support agents.\n"
		   "Without a command, frontline opens the agent's screen.\n"
		   "\n"
		   "Commands:\n"
		   "  list [--queue NAME] [--json]  conversations by urgency, with their deadlines\n"
		   "  status [--watch]              one line for tmux or a status bar\n"
		   "  show ID                       a conversation and its thread\n"
		   "  reply [--note] [--queue] ID   send standard input (or $EDITOR's text)\n"
		   "  tag ID +name -name...         add and remove tags\n"
		   "  articles [--json] QUERY       search the help center\n"
		   "  outbox [list|send|retry ITEM|discard ITEM]  the writes waiting to be sent\n"
		   "\n"
		   "Options:\n"
		   "  -c, --config FILE  read FILE instead of $XDG_CONFIG_HOME/frontline/config\n"
		   "      --demo         use the built-in demo backend (frontline-sim)\n"
		   "  -h, --help         show this help\n"
		   "  -V, --version      show the version\n"
		   "\n"
		   "The token comes from $FRONTLINE_TOKEN or the configuration's token_command.\n"
		   "See frontline(1) and frontline.conf(5).\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"demo", no_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *config_path = NULL;
	struct config cfg;
	struct demo demo = {0};
	char err[512], *token = NULL, *sim;
	int c, code, use_demo = 0;
	bool exit_now = false;

	util_set_progname(argv[0]);
	while ((c = getopt_long(argc, argv, "+c:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config_path = optarg; break;
		case 'd': use_demo = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("frontline %s\n", PACKAGE_VERSION); return 0;
		default: usage(stderr); return CLI_USAGE;
		}
	}
	if (optind < argc && !cli_is_command(argv[optind])) {
		fprintf(stderr, "%s: unknown command \"%s\" (see --help)\n", util_progname(),
			argv[optind]);
		return CLI_USAGE;
	}
	config_defaults(&cfg);
	if (config_load(&cfg, config_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", util_progname(), err);
		config_release(&cfg);
		return CLI_USAGE;
	}
	if (use_demo) {
		sim = demo_find_sim();
		if (demo_start(&demo, sim, err, sizeof(err)) < 0) {
			free(sim);
			config_release(&cfg);
			die("%s", err);
		}
		free(sim);
		free(cfg.url);
		cfg.url = xstrdup(demo.url);
		token = util_read_first_line(demo.token_path);
	} else {
		token = config_token(&cfg, err, sizeof(err));
	}
	if (!token) {
		fprintf(stderr, "%s: %s\n", util_progname(), use_demo ? "cannot read the demo token" : err);
		demo_stop(&demo);
		config_release(&cfg);
		return CLI_USAGE;
	}
	/* No command: the agent's screen. */
	if (optind >= argc)
		code = ui_run(&cfg, token, &exit_now);
	else
		code = cli_run(argc - optind, argv + optind, &cfg, token);
	explicit_bzero(token, strlen(token));
	free(token);
	demo_stop(&demo);
	config_release(&cfg);
	if (exit_now) {
		/* Desktop notification threads (GDBus's) live on: no exit handlers. */
		fflush(NULL);
		_exit(code);
	}
	return code;
}
