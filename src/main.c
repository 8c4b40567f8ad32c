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
		   "Commands:\n");
	cli_write_commands(f);
	fprintf(f, "\n"
		   "Options:\n"
		   "  -c, --config FILE  read FILE instead of $XDG_CONFIG_HOME/frontline/config\n"
		   "      --demo         use the built-in demo backend (frontline-sim), shared\n"
		   "                     by every frontline --demo; --demo stop stops it\n"
		   "      --backend TYPE with --demo: the demo speaks TYPE's API, intercom\n"
		   "                     (the default) or chatwoot\n"
		   "  -h, --help         show this help\n"
		   "  -V, --version      show the version\n"
		   "\n"
		   "frontline help COMMAND or frontline COMMAND --help shows a command's usage.\n"
		   "The token comes from $FRONTLINE_TOKEN or the configuration's token_command.\n"
		   "See frontline(1) and frontline.conf(5).\n");
}

/* frontline --demo stop: the demo backend stops now, whoever uses it. */
static int stop_demo(const struct config *cfg, const char *backend)
{
	char err[512];
	pid_t pid;
	int rc = demo_stop(cfg->state_dir, backend, &pid, err, sizeof(err));

	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", util_progname(), err);
		return CLI_FAILED;
	}
	if (rc > 0)
		printf("stopped the demo backend (pid %ld)\n", (long)pid);
	else
		printf("the demo backend was not running\n");
	return CLI_OK;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"demo", no_argument, NULL, 'd'},
		{"backend", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *config_path = NULL;
	struct config cfg;
	struct demo demo = {.users_fd = -1};
	char err[512], *token = NULL, *sim;
	const char *demo_api = NULL;
	int c, code, use_demo = 0;
	bool exit_now = false, demo_stop_now;

	util_malloc_tune();
	util_set_progname(argv[0]);
	while ((c = getopt_long(argc, argv, "+c:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config_path = optarg; break;
		case 'd': use_demo = 1; break;
		case 'b': demo_api = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("frontline %s\n", PACKAGE_VERSION); return 0;
		default: usage(stderr); return CLI_USAGE;
		}
	}
	if (demo_api && (!use_demo || (strcmp(demo_api, "intercom") &&
					   strcmp(demo_api, "chatwoot")))) {
		fprintf(stderr,
			"%s: --backend goes with --demo and takes intercom or chatwoot; a real "
			"backend is chosen by [backend] type in the configuration\n",
			util_progname());
		return CLI_USAGE;
	}
	/* What follows the options: the command and its arguments, if any. */
	argc -= optind;
	argv += optind;
	demo_stop_now = use_demo && argc == 1 && !strcmp(argv[0], "stop");
	/* help, COMMAND --help and an unknown command need no configuration or token. */
	if (argc > 0 && !cli_needs_token(argc, argv) && !demo_stop_now)
		return cli_run(argc, argv, NULL, NULL);
	config_defaults(&cfg);
	if (config_load(&cfg, config_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", util_progname(), err);
		config_release(&cfg);
		return CLI_USAGE;
	}
	/* [keys] names actions of the screen: a mistake there is one for every command too */
	if (ui_keys_check(&cfg, stderr) < 0) {
		config_release(&cfg);
		return CLI_USAGE;
	}
	config_state_check(&cfg, stderr);
	if (demo_stop_now) {
		code = stop_demo(&cfg, demo_api);
		config_release(&cfg);
		return code;
	}
	if (use_demo) {
		sim = demo_find_sim();
		if (demo_start(&demo, cfg.state_dir, sim, demo_api, err, sizeof(err)) < 0) {
			free(sim);
			config_release(&cfg);
			die("%s", err);
		}
		free(sim);
		/* The demo world's own URL, and its own drafts, outbox and indexes. */
		free(cfg.url);
		cfg.url = xstrdup(demo.url);
		free(cfg.backend);
		cfg.backend = xstrdup(demo_api ? demo_api : "intercom");
		cfg.account_id = DEMO_CHATWOOT_ACCOUNT;
		/* the admin named for a real workspace is nobody in the demo's */
		free(cfg.admin);
		cfg.admin = xstrdup(DEMO_ADMIN);
		cfg.admin_from_env = false;
		free(cfg.state_dir);
		cfg.state_dir = xstrdup(demo.dir);
		token = util_read_first_line(demo.token_path);
	} else {
		token = config_token(&cfg, err, sizeof(err));
	}
	if (!token) {
		fprintf(stderr, "%s: %s\n", util_progname(), use_demo ? "cannot read the demo token" : err);
		demo_release(&demo);
		config_release(&cfg);
		return CLI_USAGE;
	}
	/* No command: the agent's screen. */
	if (argc == 0)
		code = ui_run(&cfg, token, &exit_now);
	else
		code = cli_run(argc, argv, &cfg, token);
	explicit_bzero(token, strlen(token));
	free(token);
	demo_release(&demo);
	config_release(&cfg);
	if (exit_now) {
		/* Desktop notification threads (GDBus's) live on: no exit handlers. */
		fflush(NULL);
		_exit(code);
	}
	return code;
}
