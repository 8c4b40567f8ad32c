/* main.c: frontline's entry point: options, and for now the demo backend on its own. */
#include "build-config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: frontline [--demo] [--help] [--version]\n"
		   "A terminal client for customer-support agents.\n"
		   "\n"
		   "  --demo        start the built-in demo backend (frontline-sim)\n"
		   "  -h, --help    show this help\n"
		   "  -V, --version show the version\n"
		   "\n"
		   "See frontline(1).\n");
}

/* Until the agent screen exists, --demo runs the demo backend in the foreground and says
 * how to reach it. */
static int run_demo(void)
{
	struct demo d;
	char err[512], *sim = demo_find_sim();
	sigset_t waitset;
	int sig = 0;

	sigemptyset(&waitset);
	sigaddset(&waitset, SIGINT);
	sigaddset(&waitset, SIGTERM);
	sigaddset(&waitset, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &waitset, NULL) != 0)
		die("cannot block signals");
	if (demo_start(&d, sim, err, sizeof(err)) < 0) {
		free(sim);
		die("%s", err);
	}
	free(sim);
	printf("frontline: the demo backend (frontline-sim) is running at %s\n"
	       "  the token is in %s, readable only by you\n"
	       "  try: curl -sS -H @%s %s/conversations/search -d "
	       "'{\"query\":{\"field\":\"open\",\"operator\":\"=\",\"value\":true}}'\n"
	       "The agent screen is not built yet. Press Ctrl-C to stop the demo backend.\n",
	       d.url, d.token_path, d.headers_path, d.url);
	fflush(stdout);
	if (sigwait(&waitset, &sig) != 0)
		sig = SIGTERM;
	if (sig == SIGCHLD)
		fprintf(stderr, "frontline: the demo backend stopped unexpectedly\n");
	demo_stop(&d);
	return sig == SIGCHLD ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"demo", no_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c, demo = 0;

	util_set_progname(argv[0]);
	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': demo = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("frontline %s\n", PACKAGE_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc)
		die("unexpected argument '%s' (see --help)", argv[optind]);
	if (demo)
		return run_demo();
	usage(stderr);
	fprintf(stderr, "\nfrontline: the agent screen is not built yet; try frontline --demo\n");
	return 2;
}
