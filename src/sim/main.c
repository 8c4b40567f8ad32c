/* main.c: frontline-sim's entry point: options, the token, the world, the server, and a
 * clean stop on SIGINT or SIGTERM. */
#include "build-config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "chatwoot.h"
#include "index.h"
#include "server.h"
#include "sim.h"
#include "sla.h"
#include "util.h"

#define DEFAULT_PORT 8461
#define TOKEN_ENV "FRONTLINE_SIM_TOKEN"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: frontline-sim [OPTION]...\n"
		"A stateful backend speaking the Intercom REST API 2.16 subset frontline uses\n"
		"(or Chatwoot's application API), with simulated customers, for demos, tests\n"
		"and benchmarks.\n"
		"\n"
		"      --dialect NAME       the API spoken: intercom (default) or chatwoot\n"
		"      --sla-job-interval SECONDS  chatwoot: how often the SLA job updates\n"
		"                           applied_sla statuses (default 300)\n"
		"      --no-sla             chatwoot: a Community Edition server, without SLA\n"
		"                           policies or applied SLAs\n"
		"  -l, --listen ADDR        address to listen on (default 127.0.0.1)\n"
		"  -p, --port N             TCP port (default %d); 0 picks a free one\n"
		"      --port-file FILE     write the port to FILE once listening\n"
		"      --db FILE            SQLite database (default: in memory); reused if it exists\n"
		"      --seed N             seed of the generated world (default 1)\n"
		"      --conversations N    open conversations at start (default 200)\n"
		"      --history DURATION   create the conversations over DURATION before now\n"
		"                           (e.g. 30d), those older than 3 hours answered and\n"
		"                           closed (default: all in the last 90 minutes, open)\n"
		"      --articles N         help-center articles (default 300)\n"
		"      --arrivals N         new conversations per team per hour (default 20)\n"
		"      --followup-rate P    chance 0..1 a customer writes again (default 0.5)\n"
		"      --rate-limit N       requests per 10-second window (default 1000)\n"
		"      --token-file FILE    file holding the bearer token (else $%s)\n"
		"      --control            enable the /_sim/ control endpoints\n"
		"      --max-body BYTES     largest request body (default 1048576)\n"
		"      --latest-version V   newest Intercom-Version accepted (default 2.16)\n"
		"      --scopes LIST        the token's OAuth scopes, comma-separated (default all)\n"
		"      --header-timeout SECONDS  time a connection has to send a request's\n"
		"                           headers (default 5)\n"
		"      --max-connections-per-client N  open connections from one address\n"
		"                           (default 64)\n"
		"      --idle-exit SECONDS  stop after SECONDS without a request (default: never)\n"
		"      --idle-lock FILE     ...but only while no process holds FILE locked\n"
		"      --partial-every N    in search results, every Nth conversation has\n"
		"                           statistics null and the next lacks statistics and\n"
		"                           waiting_since, as Intercom's can (default 0: none)\n"
		"      --index-lag SECONDS  changes reach the conversation search this late\n"
		"                           (default 0)\n"
		"      --teammates N        teammates reply, write notes and take open\n"
		"                           conversations N times an hour (default 0)\n"
		"      --no-realtime-monitoring  the workspace lacks the feature: team\n"
		"                           metrics are refused (403)\n"
		"  -q, --quiet              no request log on stderr\n"
		"  -h, --help               show this help\n"
		"  -V, --version            show the version\n"
		"\n"
		"See frontline-sim(1).\n",
		DEFAULT_PORT, TOKEN_ENV);
}

enum {
	OPT_PORT_FILE = 256,
	OPT_DB,
	OPT_SEED,
	OPT_CONVERSATIONS,
	OPT_ARTICLES,
	OPT_ARRIVALS,
	OPT_FOLLOWUP,
	OPT_RATE_LIMIT,
	OPT_TOKEN_FILE,
	OPT_CONTROL,
	OPT_MAX_BODY,
	OPT_LATEST_VERSION,
	OPT_SCOPES,
	OPT_HEADER_TIMEOUT,
	OPT_MAX_CLIENT_CONNECTIONS,
	OPT_IDLE_EXIT,
	OPT_IDLE_LOCK,
	OPT_PARTIAL_EVERY,
	OPT_INDEX_LAG,
	OPT_TEAMMATES,
	OPT_NO_MONITORING,
	OPT_DIALECT,
	OPT_SLA_JOB_INTERVAL,
	OPT_NO_SLA,
	OPT_HISTORY,
};

static long long number_arg(const char *opt, const char *arg, long long min, long long max)
{
	long long v;

	if (util_parse_ll(arg, min, max, &v) < 0)
		die("%s needs a whole number from %lld to %lld, not '%s'", opt, min, max, arg);
	return v;
}

/* The longest --history: a year. */
#define MAX_HISTORY_SECONDS (366L * 86400)

static long history_arg(const char *arg)
{
	int64_t v;

	if (sla_parse_duration(arg, &v) < 0 || v < 60 || v > MAX_HISTORY_SECONDS)
		die("--history needs a duration from 60s to 366d (e.g. 30d, 12h), not '%s'", arg);
	return (long)v;
}

static void parse_options(int argc, char **argv, struct sim_options *o)
{
	static const struct option longopts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"port", required_argument, NULL, 'p'},
		{"port-file", required_argument, NULL, OPT_PORT_FILE},
		{"db", required_argument, NULL, OPT_DB},
		{"seed", required_argument, NULL, OPT_SEED},
		{"conversations", required_argument, NULL, OPT_CONVERSATIONS},
		{"articles", required_argument, NULL, OPT_ARTICLES},
		{"arrivals", required_argument, NULL, OPT_ARRIVALS},
		{"followup-rate", required_argument, NULL, OPT_FOLLOWUP},
		{"rate-limit", required_argument, NULL, OPT_RATE_LIMIT},
		{"token-file", required_argument, NULL, OPT_TOKEN_FILE},
		{"control", no_argument, NULL, OPT_CONTROL},
		{"max-body", required_argument, NULL, OPT_MAX_BODY},
		{"latest-version", required_argument, NULL, OPT_LATEST_VERSION},
		{"scopes", required_argument, NULL, OPT_SCOPES},
		{"header-timeout", required_argument, NULL, OPT_HEADER_TIMEOUT},
		{"max-connections-per-client", required_argument, NULL, OPT_MAX_CLIENT_CONNECTIONS},
		{"idle-exit", required_argument, NULL, OPT_IDLE_EXIT},
		{"idle-lock", required_argument, NULL, OPT_IDLE_LOCK},
		{"partial-every", required_argument, NULL, OPT_PARTIAL_EVERY},
		{"index-lag", required_argument, NULL, OPT_INDEX_LAG},
		{"teammates", required_argument, NULL, OPT_TEAMMATES},
		{"no-realtime-monitoring", no_argument, NULL, OPT_NO_MONITORING},
		{"dialect", required_argument, NULL, OPT_DIALECT},
		{"sla-job-interval", required_argument, NULL, OPT_SLA_JOB_INTERVAL},
		{"no-sla", no_argument, NULL, OPT_NO_SLA},
		{"history", required_argument, NULL, OPT_HISTORY},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	char *end;
	int c;

	*o = (struct sim_options){
		.listen_addr = "127.0.0.1",
		.port = DEFAULT_PORT,
		.seed = 1,
		.conversations = 200,
		.articles = 300,
		.arrivals_per_hour = 20,
		.followup_rate = 0.5,
		.rate_limit = 1000,
		.max_body = 1048576,
		.latest_version = API_VERSION_LATEST,
		.header_timeout = 5,
		.max_client_connections = 64,
		.sla_job_interval = 300,
	};
	while ((c = getopt_long(argc, argv, "l:p:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': o->listen_addr = optarg; break;
		case 'p': o->port = (long)number_arg("--port", optarg, 0, 65535); break;
		case OPT_PORT_FILE: o->port_file = optarg; break;
		case OPT_DB: o->db_path = optarg; break;
		case OPT_SEED: o->seed = (uint64_t)number_arg("--seed", optarg, 0, INT64_MAX); break;
		case OPT_CONVERSATIONS:
			o->conversations = (long)number_arg("--conversations", optarg, 0, 10000000);
			break;
		case OPT_ARTICLES: o->articles = (long)number_arg("--articles", optarg, 0, 1000000); break;
		case OPT_ARRIVALS: o->arrivals_per_hour = (long)number_arg("--arrivals", optarg, 0, 360000); break;
		case OPT_FOLLOWUP:
			errno = 0;
			o->followup_rate = strtod(optarg, &end);
			if (errno || *end || end == optarg || o->followup_rate < 0 || o->followup_rate > 1)
				die("--followup-rate needs a number from 0 to 1, not '%s'", optarg);
			break;
		case OPT_RATE_LIMIT: o->rate_limit = (long)number_arg("--rate-limit", optarg, 1, 100000000); break;
		case OPT_TOKEN_FILE: o->token_file = optarg; break;
		case OPT_CONTROL: o->control = true; break;
		case OPT_MAX_BODY: o->max_body = (long)number_arg("--max-body", optarg, 64, 1L << 30); break;
		case OPT_LATEST_VERSION:
			o->latest_version = api_version_index(optarg);
			if (o->latest_version < 0)
				die("--latest-version needs an Intercom API version from 1.0 to %s, not '%s'",
				    api_version_name(API_VERSION_LATEST), optarg);
			break;
		case OPT_SCOPES: o->scopes = optarg; break;
		case OPT_HEADER_TIMEOUT:
			o->header_timeout = (long)number_arg("--header-timeout", optarg, 1, 3600);
			break;
		case OPT_MAX_CLIENT_CONNECTIONS:
			o->max_client_connections =
			    (long)number_arg("--max-connections-per-client", optarg, 1, 512);
			break;
		case OPT_IDLE_EXIT:
			o->idle_exit = (long)number_arg("--idle-exit", optarg, 1, 365L * 24 * 3600);
			break;
		case OPT_IDLE_LOCK: o->idle_lock = optarg; break;
		case OPT_PARTIAL_EVERY:
			o->partial_every = (long)number_arg("--partial-every", optarg, 0, 1000000);
			if (o->partial_every == 1)
				die("--partial-every needs 0 (none) or at least 2");
			break;
		case OPT_INDEX_LAG:
			o->index_lag = (long)number_arg("--index-lag", optarg, 0, SIM_MAX_INDEX_LAG);
			break;
		case OPT_TEAMMATES:
			o->teammates = (long)number_arg("--teammates", optarg, 0, 360000);
			break;
		case OPT_NO_MONITORING: o->no_monitoring = true; break;
		case OPT_DIALECT:
			if (!strcmp(optarg, "intercom"))
				o->dialect = SIM_DIALECT_INTERCOM;
			else if (!strcmp(optarg, "chatwoot"))
				o->dialect = SIM_DIALECT_CHATWOOT;
			else
				die("--dialect needs intercom or chatwoot, not '%s'", optarg);
			break;
		case OPT_NO_SLA: o->no_sla = true; break;
		case OPT_SLA_JOB_INTERVAL:
			o->sla_job_interval =
			    (long)number_arg("--sla-job-interval", optarg, 1, 86400);
			break;
		case OPT_HISTORY: o->history = history_arg(optarg); break;
		case 'q': o->quiet = true; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("frontline-sim %s\n", PACKAGE_VERSION); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s' (see --help)", argv[optind]);
	if (o->idle_lock && !o->idle_exit)
		die("--idle-lock goes with --idle-exit SECONDS");
}

/* The token comes from a file or the environment, never from the command line, where
 * every user of the machine could read it. */
static char *load_token(const struct sim_options *o)
{
	const char *env = getenv(TOKEN_ENV);
	char *token;

	if (o->token_file) {
		token = util_read_first_line(o->token_file);
		if (!token)
			die("cannot read the token file %s: %s", o->token_file,
			    errno ? strerror(errno) : "it is empty");
	} else if (env && *env) {
		token = xstrdup(env);
	} else {
		die("no token: put one in a file and pass --token-file FILE, or set %s", TOKEN_ENV);
	}
	if (!*token)
		die("the token is empty");
	return token;
}

static void write_port_file(const char *path, unsigned port)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *f = fopen(tmp, "w");

	if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0 || rename(tmp, path) != 0)
		die("cannot write the port file %s: %s", path, strerror(errno));
	free(tmp);
}

/* Whether the sim may stop for idleness now: no request for --idle-exit seconds and, with
 * --idle-lock, no other process holding the file locked. The exclusive lock taken then is
 * kept until the process ends, so nobody starts using the sim while it stops. */
static bool idle_done(struct sim *s, int *lock_fd)
{
	time_t last;

	pthread_mutex_lock(&s->lock);
	last = s->last_request;
	pthread_mutex_unlock(&s->lock);
	if (time(NULL) - last < s->opt.idle_exit)
		return false;
	if (!s->opt.idle_lock)
		return true;
	if (*lock_fd < 0)
		*lock_fd = open(s->opt.idle_lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (*lock_fd < 0)
		die("cannot open the idle lock %s: %s", s->opt.idle_lock, strerror(errno));
	return flock(*lock_fd, LOCK_EX | LOCK_NB) == 0;
}

/* Waits for SIGINT or SIGTERM, or with --idle-exit for the sim to be idle long enough.
 * Returns true when it stopped for idleness. */
static bool wait_for_stop(struct sim *s, const sigset_t *stop, int *lock_fd)
{
	struct timespec tick = {1, 0};
	int sig;

	if (!s->opt.idle_exit) {
		if (sigwait(stop, &sig) != 0)
			die("sigwait failed");
		return false;
	}
	for (;;) {
		if (sigtimedwait(stop, NULL, &tick) >= 0)
			return false;
		if (errno != EAGAIN && errno != EINTR)
			die("sigtimedwait failed: %s", strerror(errno));
		if (idle_done(s, lock_fd))
			return true;
	}
}

int main(int argc, char **argv)
{
	struct sim s;
	struct world_params params;
	struct MHD_Daemon *d;
	sigset_t stop;
	char err[512];
	unsigned port;
	int lock_fd = -1;
	bool idle;

	util_malloc_tune();
	util_set_progname(argv[0]);
	memset(&s, 0, sizeof(s));
	parse_options(argc, argv, &s.opt);
	s.token = load_token(&s.opt);
	params = (struct world_params){
		.seed = s.opt.seed,
		.conversations = s.opt.conversations,
		.articles = s.opt.articles,
		.arrivals_per_hour = s.opt.arrivals_per_hour,
		.followup_rate = s.opt.followup_rate,
		.teammate_actions_per_hour = s.opt.teammates,
		.history_seconds = s.opt.history,
	};
	if (world_open(&s.world, s.opt.db_path, &params, time(NULL), err, sizeof(err)) < 0 ||
	    index_open(&s.world, err, sizeof(err)) < 0)
		die("%s", err);
	if (s.opt.dialect == SIM_DIALECT_CHATWOOT && chatwoot_open(&s, time(NULL), err, sizeof(err)) < 0)
		die("%s", err);
	if (index_set_lag(&s.world, 0, s.opt.index_lag) < 0)
		die("cannot build the search index: %s", sqlite3_errmsg(s.world.db));
	s.faults.index_lag = s.opt.index_lag;
	search_cursors_init(&s.cursors);
	prng_init(&s.fault_rng, s.opt.seed ^ 0x5eedULL);
	if (pthread_mutex_init(&s.lock, NULL) != 0)
		die("cannot create a mutex");

	/* Block the stop signals in every thread; main waits for them below. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &stop, NULL) != 0)
		die("cannot block signals");
	signal(SIGPIPE, SIG_IGN);

	d = server_start(&s, &port, err, sizeof(err));
	if (!d)
		die("%s", err);
	if (s.opt.port_file)
		write_port_file(s.opt.port_file, port);
	s.last_request = time(NULL);
	printf("frontline-sim: listening on http://%s%s%s:%u\n",
	       strchr(s.opt.listen_addr, ':') ? "[" : "", s.opt.listen_addr,
	       strchr(s.opt.listen_addr, ':') ? "]" : "", port);
	fflush(stdout);

	idle = wait_for_stop(&s, &stop, &lock_fd);
	server_stop(&s, d);
	/* Stopped for idleness: the port file no longer names a sim that listens. */
	if (idle && s.opt.port_file)
		unlink(s.opt.port_file);
	pthread_mutex_destroy(&s.lock);
	search_cursors_release(&s.cursors);
	world_close(&s.world);
	free(s.token);
	if (lock_fd >= 0)
		close(lock_fd);
	return 0;
}
