/* config-unit.c: the configuration file, its errors, and the token's sources, with real
 * files in a temporary directory and real programs for token_command. */
#include "build-config.h"

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

static char dir[PATH_MAX];
static char path[PATH_MAX + 64];

static void file_write_bytes(const char *name, mode_t mode, const void *data, size_t len)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void file_write(const char *name, mode_t mode, const char *text)
{
	file_write_bytes(name, mode, text, strlen(text));
}

/* The smallest zone file there is (tzfile(5), version 1): no transitions, one local time
 * type, UTC+1 "CET". Its sizeof counts the final NUL, the abbreviation's. */
static const char zone_file[] = "TZif\0"			   /* magic, version 1 */
				"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"   /* unused */
				"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" /* 4 counts: none */
				"\0\0\0\1\0\0\0\4"		   /* 1 type, 4 characters */
				"\0\0\x0e\x10\0\0"		   /* +3600 s, winter, "CET" */
				"CET";

static void directory_make(const char *name)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(mkdir(p, 0700), 0);
}

/* Loads text as a private file named "config"; returns config_load's result. */
static int text_load(struct config *c, const char *text, char *err, size_t errlen)
{
	file_write("config", 0600, text);
	config_defaults(c);
	err[0] = '\0';
	return config_load(c, path, err, errlen);
}

/* The file must fail to load, naming ~/config:line and each of the words. */
static void error_check(const char *text, int line, ...)
{
	struct config c;
	char err[1024], where[32];
	const char *word;
	va_list ap;

	if (text_load(&c, text, err, sizeof(err)) == 0)
		fail_msg("loaded, expected an error on line %d:\n%s", line, text);
	snprintf(where, sizeof(where), "~/config:%d: ", line);
	if (strncmp(err, where, strlen(where)))
		fail_msg("expected \"%s...\", got \"%s\"", where, err);
	va_start(ap, line);
	while ((word = va_arg(ap, const char *)))
		if (!strstr(err, word))
			fail_msg("expected \"%s\" in \"%s\"", word, err);
	va_end(ap);
	config_release(&c);
}

static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(p);
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "%s/config-unit.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	/* A zoneinfo of our own keeps the test independent of the machine's tzdata. */
	directory_make("zoneinfo");
	directory_make("zoneinfo/Europe");
	file_write_bytes("zoneinfo/Europe/Warsaw", 0644, zone_file, sizeof(zone_file));
	directory_make("zoneinfo/America");
	file_write_bytes("zoneinfo/America/New_York", 0644, zone_file, sizeof(zone_file));
	file_write("zoneinfo/leapseconds", 0644, "# not a zone\n");
	snprintf(path, sizeof(path), "%s/zoneinfo", dir);
	setenv("TZDIR", path, 1);
	setenv("HOME", dir, 1);
	snprintf(path, sizeof(path), "%s/xdg-config", dir);
	setenv("XDG_CONFIG_HOME", path, 1);
	snprintf(path, sizeof(path), "%s/xdg-state", dir);
	setenv("XDG_STATE_HOME", path, 1);
	unsetenv("FRONTLINE_TOKEN");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void test_defaults_without_file(void **state)
{
	struct config c;
	char err[512], expect[PATH_MAX + 64];

	(void)state;
	config_defaults(&c);
	assert_int_equal(config_load(&c, NULL, err, sizeof(err)), 0);
	assert_null(c.path);
	assert_string_equal(c.backend, "intercom");
	assert_string_equal(c.url, "https://api.intercom.io");
	assert_null(c.token_command);
	assert_null(c.token);
	assert_int_equal(c.poll_interval, 5);
	assert_int_equal(c.resync_interval, 900);
	assert_int_equal(c.poll_overlap, 60);
	assert_int_equal(c.article_refresh, 3600);
	snprintf(expect, sizeof(expect), "%s/xdg-state/frontline", dir);
	assert_string_equal(c.state_dir, expect);
	assert_int_equal(c.n_queues, 3);
	assert_string_equal(c.queues[0].key, "realtime");
	assert_true(c.queues[0].realtime);
	assert_int_equal(c.queues[0].n_teams, 1);
	assert_string_equal(c.queues[0].teams[0], "Live chat");
	assert_int_equal(c.queues[0].policy.first_response, 120);
	assert_int_equal(c.queues[0].policy.n_warn, 2);
	assert_int_equal(c.queues[0].policy.warn[0], 60);
	assert_int_equal(c.queues[0].policy.warn[1], 30);
	assert_string_equal(c.queues[1].key, "standard");
	assert_false(c.queues[1].realtime);
	assert_string_equal(c.queues[1].teams[0], "Support");
	assert_int_equal(c.queues[1].policy.next_response, 3600);
	assert_int_equal(c.queues[1].policy.warn[0], 600);
	assert_null(c.queues[1].filter);
	/* Mine: the agent's own of every team, under the standard targets. */
	assert_string_equal(c.queues[2].key, "mine");
	assert_string_equal(c.queues[2].title, "Mine");
	assert_int_equal(c.queues[2].n_teams, 0);
	assert_string_equal(c.queues[2].filter, "assignee:me");
	assert_false(c.queues[2].realtime);
	assert_int_equal(c.queues[2].policy.first_response, 3600);
	config_release(&c);
}

static void test_default_path_is_read(void **state)
{
	struct config c;
	char err[512], expect[PATH_MAX + 64];

	(void)state;
	directory_make("xdg-config");
	directory_make("xdg-config/frontline");
	file_write("xdg-config/frontline/config", 0600, "[backend]\npoll_interval = 7s\n");
	snprintf(expect, sizeof(expect), "%s", path);
	config_defaults(&c);
	assert_int_equal(config_load(&c, NULL, err, sizeof(err)), 0);
	assert_string_equal(c.path, expect);
	assert_int_equal(c.poll_interval, 7);
	assert_int_equal(c.n_queues, 3);
	config_release(&c);
	/* Its errors carry its name as the user knows it. */
	file_write("xdg-config/frontline/config", 0600, "[backend]\npoll_interval = fast\n");
	config_defaults(&c);
	assert_int_equal(config_load(&c, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "~/xdg-config/frontline/config:2: poll_interval: expected a "
				 "duration such as 5s or 1m, got \"fast\"");
	config_release(&c);
	assert_int_equal(unlink(expect), 0);
}

static const char full[] = "; every key\n"
			   "[backend]\n"
			   "type = intercom\n"
			   "url = http://127.0.0.1:8080/\n"
			   "token_command = printf '%s\\n' abc\n"
			   "poll_interval = 10s\n"
			   "resync_interval = 10m\n"
			   "  poll_overlap = 1m   ; indented, with a comment\n"
			   "article_refresh = 2h\n"
			   "\n"
			   "[queue live]\n"
			   "title = Live now\n"
			   "teams = Live chat, 42 ,VIP\n"
			   "realtime = yes\n"
			   "first_response = 150s\n"
			   "next_response = 3m\n"
			   "warn = 30s, 2m, 1m\n"
			   "pause_snoozed = off\n"
			   "hours = Mon-Fri 09:00-12:00,13:00-17:30\n"
			   "timezone = Europe/Warsaw\n"
			   "\n"
			   "[queue weekend]\n"
			   "teams = Support\n"
			   "hours = Sat, Sun 22:00-06:00\n"
			   "timezone = America/New_York\n"
			   "\n"
			   "[queue night]\n"
			   "teams = 7\n"
			   "realtime = TRUE\n"
			   "warn =\n"
			   "hours = 0:00-24:00\n"
			   "\n"
			   "[state]\n"
			   "dir = ~/state\n";

static void test_full_file(void **state)
{
	struct config c;
	char err[512], expect[PATH_MAX + 64];
	const struct config_queue *q;

	(void)state;
	assert_int_equal(text_load(&c, full, err, sizeof(err)), 0);
	assert_string_equal(c.backend, "intercom");
	assert_string_equal(c.url, "http://127.0.0.1:8080");
	assert_string_equal(c.token_command, "printf '%s\\n' abc");
	assert_int_equal(c.poll_interval, 10);
	assert_int_equal(c.resync_interval, 600);
	assert_int_equal(c.poll_overlap, 60);
	assert_int_equal(c.article_refresh, 7200);
	snprintf(expect, sizeof(expect), "%s/state", dir);
	assert_string_equal(c.state_dir, expect);
	assert_int_equal(c.n_queues, 3);

	q = &c.queues[0];
	assert_string_equal(q->key, "live");
	assert_string_equal(q->title, "Live now");
	assert_int_equal(q->n_teams, 3);
	assert_string_equal(q->teams[0], "Live chat");
	assert_string_equal(q->teams[1], "42");
	assert_string_equal(q->teams[2], "VIP");
	assert_true(q->realtime);
	assert_int_equal(q->policy.first_response, 150);
	assert_int_equal(q->policy.next_response, 180);
	assert_int_equal(q->policy.n_warn, 3);
	assert_int_equal(q->policy.warn[0], 120);
	assert_int_equal(q->policy.warn[1], 60);
	assert_int_equal(q->policy.warn[2], 30);
	assert_false(q->policy.pause_snoozed);
	assert_true(q->policy.hours.enabled);
	assert_int_equal(q->policy.hours.days, 0x3e); /* Monday (bit 1) to Friday (bit 5) */
	assert_int_equal(q->policy.hours.n_ranges, 2);
	assert_int_equal(q->policy.hours.ranges[0].start, 9 * 60);
	assert_int_equal(q->policy.hours.ranges[0].end, 12 * 60);
	assert_int_equal(q->policy.hours.ranges[1].start, 13 * 60);
	assert_int_equal(q->policy.hours.ranges[1].end, 17 * 60 + 30);
	assert_string_equal(q->policy.hours.tz, "Europe/Warsaw");

	q = &c.queues[1];
	assert_string_equal(q->key, "weekend");
	assert_string_equal(q->title, "weekend"); /* the key, when no title */
	assert_false(q->realtime);
	assert_int_equal(q->policy.first_response, 3600);
	assert_int_equal(q->policy.n_warn, 2);
	assert_int_equal(q->policy.warn[0], 600);
	assert_true(q->policy.pause_snoozed);
	assert_int_equal(q->policy.hours.days, 0x41); /* Sunday and Saturday */
	assert_int_equal(q->policy.hours.n_ranges, 1);
	assert_int_equal(q->policy.hours.ranges[0].start, 22 * 60);
	assert_int_equal(q->policy.hours.ranges[0].end, 6 * 60);
	assert_string_equal(q->policy.hours.tz, "America/New_York");

	q = &c.queues[2];
	assert_true(q->realtime);
	/* realtime's defaults, though realtime came after nothing else set them */
	assert_int_equal(q->policy.first_response, 120);
	assert_int_equal(q->policy.next_response, 120);
	assert_int_equal(q->policy.n_warn, 0); /* warn = (empty): none */
	assert_int_equal(q->policy.hours.days, 0x7f);
	assert_int_equal(q->policy.hours.ranges[0].start, 0);
	assert_int_equal(q->policy.hours.ranges[0].end, 24 * 60);
	assert_string_equal(q->policy.hours.tz, "");
	config_release(&c);
}

static void test_hours_always(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	assert_int_equal(text_load(&c, "[queue q]\nteams = 1\nhours = always\ntimezone = UTC\n",
				   err, sizeof(err)),
			 0);
	assert_false(c.queues[0].policy.hours.enabled);
	assert_int_equal(c.queues[0].policy.hours.n_ranges, 0);
	assert_string_equal(c.queues[0].policy.hours.tz, "UTC");
	config_release(&c);
}

/* What editors on other systems leave behind: a byte order mark, CRLF line ends. */
static void test_byte_order_mark_and_crlf(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	assert_int_equal(
	    text_load(&c, "\xEF\xBB\xBF[backend]\r\npoll_interval = 9s\r\n", err, sizeof(err)), 0);
	assert_int_equal(c.poll_interval, 9);
	config_release(&c);
}

/* max_response in bytes, K, M or G; token_timeout a duration; both with defaults. */
static void test_limits(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	config_defaults(&c);
	assert_int_equal(c.max_response, 16 << 20);
	assert_int_equal(c.token_timeout, 5);
	config_release(&c);
	assert_int_equal(
	    text_load(&c, "[backend]\nmax_response = 512K\ntoken_timeout = 1m\n", err, sizeof(err)),
	    0);
	assert_int_equal(c.max_response, 512 << 10);
	assert_int_equal(c.token_timeout, 60);
	config_release(&c);
	error_check("[backend]\nmax_response = 16MB\n", 2,
		    "max_response: expected a size such as 16M or 512K (at least 1K), got \"16MB\"",
		    NULL);
	error_check("[backend]\nmax_response = 100\n", 2, "at least 1K", NULL);
	error_check("[backend]\nmax_response = 99999999999999G\n", 2, "expected a size", NULL);
	error_check("[backend]\ntoken_timeout = 0s\n", 2, "token_timeout: expected a duration",
		    NULL);
	/* undo_delay may be 0: the screen's writes go at once */
	assert_int_equal(text_load(&c, "[ui]\nundo_delay = 0\n", err, sizeof(err)), 0);
	assert_int_equal(c.undo_delay, 0);
	config_release(&c);
	assert_int_equal(text_load(&c, "[ui]\nundo_delay = 2s\n", err, sizeof(err)), 0);
	assert_int_equal(c.undo_delay, 2);
	config_release(&c);
	error_check("[ui]\nundo_delay = -1s\n", 2, "undo_delay: expected a duration", NULL);
}

static void test_region(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	assert_int_equal(text_load(&c, "[backend]\nregion = eu\n", err, sizeof(err)), 0);
	assert_string_equal(c.url, "https://api.eu.intercom.io");
	config_release(&c);
	assert_int_equal(text_load(&c, "[backend]\nregion = AU\n", err, sizeof(err)), 0);
	assert_string_equal(c.url, "https://api.au.intercom.io");
	config_release(&c);
	assert_int_equal(text_load(&c, "[backend]\nregion = us\n", err, sizeof(err)), 0);
	assert_string_equal(c.url, "https://api.intercom.io");
	config_release(&c);
	error_check("[backend]\nregion = mars\n", 2, "region: expected us, eu or au, got \"mars\"",
		    NULL);
	error_check("[backend]\nregion = eu\n\nurl = https://api.intercom.io\n", 4,
		    "url and region both say where the API is (lines 2 and 4); keep one", NULL);
}

static void test_errors_name_file_line_and_key(void **state)
{
	(void)state;
	error_check("[backend]\nurl = https://x.example\ncolour = red\n", 3,
		    "unknown key \"colour\" in [backend]; known keys: type, url, account_id, region, "
		    "token_command, "
		    "token_timeout, token, max_response, admin, poll_interval, poll_interval_max, resync_interval, "
		    "poll_overlap, cache_max_age, article_refresh, hours_refresh",
		    NULL);
	error_check("[queue a]\nteams = 1\nsla = 2m\n", 3, "unknown key \"sla\" in [queue a]",
		    "first_response", NULL);
	error_check("[backend]\n\n[colours]\n", 3, "unknown section [colours]",
		    "[backend], [queue NAME], [notify], [state]", NULL);
	error_check("poll_interval = 5s\n", 1, "outside any section", NULL);
	error_check("[backend]\npoll_interval = fast\n", 2,
		    "poll_interval: expected a duration such as 5s or 1m, got \"fast\"", NULL);
	error_check("[backend]\nresync_interval = 0s\n", 2, "resync_interval: expected a duration",
		    NULL);
	error_check("[queue a]\nteams = 1\nrealtime = maybe\n", 3, "realtime: expected yes or no",
		    "\"maybe\"", NULL);
	error_check("[queue a]\nteams = 1\nhours = Mon-Fri 9-17\n", 3, "hours: expected times",
		    "\"Mon-Fri 9-17\"", NULL);
	error_check("[queue a]\nteams = 1\nhours = Mon-Fro 09:00-17:00\n", 3,
		    "hours: expected days", NULL);
	error_check("[queue a]\nteams = 1\nhours = 09:00-25:00\n", 3, "hours: expected times",
		    NULL);
	error_check("[queue a]\nteams = 1\nhours = Mon-Fri\n", 3, "hours: expected times", NULL);
	error_check("[queue a]\nteams = 1\nhours = 09:00-09:00\n", 3, "hours: a time range", NULL);
	error_check("[queue a]\nteams = 1\nhours =\n", 3, "hours: expected", NULL);
	error_check("[queue a]\nteams = 1\nhours = 1:00-2:00,3:00-4:00,5:00-6:00,7:00-8:00,"
		    "9:00-10:00\n",
		    3, "hours: too many time ranges", NULL);
	error_check("[queue a]\nteams = 1\ntimezone = Mars/Olympus\n", 3,
		    "timezone: unknown time zone \"Mars/Olympus\"", NULL);
	error_check("[queue a]\nteams = 1\ntimezone = leapseconds\n", 3, "timezone: unknown", NULL);
	error_check("[queue a]\nteams = 1\ntimezone = ../../etc/passwd\n", 3,
		    "timezone: expected a time zone", NULL);
	error_check("[backend]\nurl = http://api.intercom.io\n", 2, "url: plain http:// is refused",
		    "https://", NULL);
	error_check("[backend]\nurl = http://localhost@evil.example/\n", 2,
		    "url: plain http:// is refused", NULL);
	error_check("[backend]\nurl = http://localhost.evil.example\n", 2, "url: plain", NULL);
	error_check("[backend]\nurl = ftp://x\n", 2, "url: expected a URL starting with https://",
		    NULL);
	error_check("[backend]\ntype = zendesk\n", 2, "type: expected intercom or chatwoot", NULL);
	error_check("[backend]\naccount_id = -3\n", 2, "account_id: expected a positive number",
		    NULL);
	error_check("[backend]\npoll_interval = 5s\n[state]\n[backend]\npoll_interval = 6s\n", 5,
		    "poll_interval: given twice in [backend] (first on line 2)", NULL);
	error_check("[queue a]\nteams = 1\n[queue a]\n", 3,
		    "[queue a] is already defined on "
		    "line 1",
		    NULL);
	error_check("[queue]\nteams = 1\n", 1, "a queue needs a name", NULL);
	error_check("[queue a]\ntitle = A\n\n[queue b]\nteams = 2\n", 1, "[queue a] has no teams",
		    "filter = assignee:me", NULL);
	/* A queue of every team is chosen by its filter before any clock runs. */
	error_check("[queue a]\nteams = 1\n[queue mine]\ntitle = M\nfilter = assignee:me breached\n",
		    5, "[queue mine] has no teams", "breached", NULL);
	error_check("[queue a]\nteams = 1\nwarn = 1m, 2m, 3m, 4m, 5m\n", 3,
		    "warn: expected at "
		    "most 4",
		    NULL);
	error_check("[queue a]\nteams = 1\nwarn = 1m, soon\n", 3, "warn: expected durations",
		    "\"soon\"", NULL);
	error_check("[state]\ndir = relative/path\n", 2, "dir: expected an absolute directory",
		    NULL);
	error_check("[backend]\nthis line has no equals sign\n", 2, "cannot parse this line", NULL);
	error_check("[backend]\ntoken_command = sh -c 'x' | cat\n", 2,
		    "token_command: ", "without a shell", NULL);
}

/* hours = backend, or a schedule's name: kept for start-up, no hours until then. */
static void test_hours_from_backend(void **state)
{
	static const struct {
		const char *value, *schedule;
	} cases[] = {
	    {"backend", "backend"},
	    {"BACKEND", "backend"},
	    {"  Weekend crew ", "Weekend crew"},
	    {"Support 24/7", "Support 24/7"},
	    {"Mon-Fri 09:00-17:00", ""},
	    {"always", ""},
	};
	struct config c;
	char text[200], err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "[queue a]\nteams = 1\nhours = %s\n", cases[i].value);
		if (text_load(&c, text, err, sizeof(err)) != 0)
			fail_msg("hours = %s: %s", cases[i].value, err);
		assert_string_equal(c.queues[0].policy.hours.schedule, cases[i].schedule);
		assert_int_equal(c.queues[0].policy.hours.enabled,
				 !cases[i].schedule[0] && strcmp(cases[i].value, "always"));
		config_release(&c);
	}
}

static void test_too_many_queues(void **state)
{
	char text[2048] = "";
	size_t i;

	(void)state;
	for (i = 0; i <= CONFIG_MAX_QUEUES; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "[queue q%zu]\nteams = %zu\n\n", i, i);
	error_check(text, 3 * CONFIG_MAX_QUEUES + 1, "too many queues: at most 8", NULL);
}

static void test_long_line(void **state)
{
	char text[600];

	(void)state;
	snprintf(text, sizeof(text), "[queue a]\nteams = 1\ntitle = %0400d\n", 0);
	error_check(text, 3, "longer than", NULL);
}

static void test_missing_explicit_file(void **state)
{
	struct config c;
	char err[512], p[PATH_MAX + 64];

	(void)state;
	snprintf(p, sizeof(p), "%s/no-such-config", dir);
	config_defaults(&c);
	assert_int_equal(config_load(&c, p, err, sizeof(err)), -1);
	assert_string_equal(err, "~/no-such-config: cannot open the configuration file: No such "
				 "file or directory");
	config_release(&c);
}

static void test_token_in_shared_file_refused(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	file_write("shared", 0644, "[backend]\ntoken = s3cr3t-abc\n");
	config_defaults(&c);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "~/shared:2: token: refused"));
	assert_non_null(strstr(err, "chmod 600 ~/shared"));
	assert_null(strstr(err, "s3cr3t"));
	config_release(&c);
}

static void test_token_in_private_file(void **state)
{
	struct config c;
	char err[512], *token;

	(void)state;
	assert_int_equal(text_load(&c,
				   "[backend]\ntoken = s3cr3t-abc\n"
				   "token_command = printf other\n",
				   err, sizeof(err)),
			 0);
	token = config_token(&c, err, sizeof(err));
	assert_non_null(token);
	assert_string_equal(token, "s3cr3t-abc");
	free(token);
	config_release(&c);

	/* Not even a token with a space is quoted back. */
	assert_int_equal(text_load(&c, "[backend]\ntoken = s3cr3t abc\n", err, sizeof(err)), -1);
	assert_null(strstr(err, "s3cr3t"));
	config_release(&c);
}

static void test_token_command(void **state)
{
	struct config c;
	char err[512], *token;

	(void)state;
	assert_int_equal(text_load(&c,
				   "[backend]\ntoken_command = printf 'tok-%s\\nsecond\\n' "
				   "\"$HOME\" \n",
				   err, sizeof(err)),
			 0);
	token = config_token(&c, err, sizeof(err));
	assert_non_null(token);
	assert_int_equal(strncmp(token, "tok-/", 5), 0); /* $HOME expanded, first line only */
	assert_null(strchr(token, '\n'));
	free(token);
	config_release(&c);
}

static void test_token_command_failures(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	config_defaults(&c);
	c.token_command = strdup("sh -c 'printf \"%s-%s\\n\" s3cr3t out; exit 3'");
	assert_null(config_token(&c, err, sizeof(err)));
	assert_non_null(
	    strstr(err, "exit 3'\" failed with exit status 3; its output is not shown"));
	assert_null(strstr(err, "s3cr3t-out"));

	free(c.token_command);
	c.token_command = strdup("false");
	assert_null(config_token(&c, err, sizeof(err)));
	assert_string_equal(err, "token_command \"false\" failed with exit status 1; its output "
				 "is not shown");

	free(c.token_command);
	c.token_command = strdup("true");
	assert_null(config_token(&c, err, sizeof(err)));
	assert_string_equal(err, "token_command \"true\" printed no token on its first line");

	free(c.token_command);
	c.token_command = strdup("printf '%s%s %s\\n' s3 cr3t spaced");
	assert_null(config_token(&c, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot be a token"));
	assert_null(strstr(err, "s3cr3t spaced"));

	free(c.token_command);
	c.token_command = strdup("/nonexistent/get-token --now");
	assert_null(config_token(&c, err, sizeof(err)));
	/* glibc says ENOENT; a fork-and-exec posix_spawn (valgrind's) gives exit status 127. */
	if (strcmp(err, "cannot run token_command \"/nonexistent/get-token --now\": No such file "
			"or directory"))
		assert_string_equal(err,
				    "token_command \"/nonexistent/get-token --now\" failed with "
				    "exit status 127; its output is not shown");

	free(c.token_command);
	c.token_command = strdup("echo $(cat /etc/passwd)");
	assert_null(config_token(&c, err, sizeof(err)));
	assert_non_null(strstr(err, "command substitution"));
	config_release(&c);

	/* And the file that holds one is refused with its line. */
	error_check("[backend]\n\ntoken_command = pass show $(whoami)\n", 3,
		    "token_command: ", "command substitution", NULL);
	error_check("[backend]\ntoken_command = pass show `whoami`\n", 2, "command substitution",
		    NULL);
	error_check("[backend]\ntoken_command = pass show $NO_SUCH_VARIABLE_HERE\n", 2, "not set",
		    NULL);
}

static void test_environment_token_wins(void **state)
{
	struct config c;
	char err[512], *token;

	(void)state;
	assert_int_equal(text_load(&c, "[backend]\ntoken = from-file\ntoken_command = false\n", err,
				   sizeof(err)),
			 0);
	setenv("FRONTLINE_TOKEN", "from-env", 1);
	token = config_token(&c, err, sizeof(err));
	assert_non_null(token);
	assert_string_equal(token, "from-env");
	free(token);
	setenv("FRONTLINE_TOKEN", "from env\r\nX-Injected: 1", 1);
	assert_null(config_token(&c, err, sizeof(err)));
	assert_null(strstr(err, "from env"));
	unsetenv("FRONTLINE_TOKEN");
	config_release(&c);
}

static void test_no_token_says_how(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	config_defaults(&c);
	assert_null(config_token(&c, err, sizeof(err)));
	assert_string_equal(err, "no API token: set $FRONTLINE_TOKEN, or add a token_command under "
				 "[backend] in ~/xdg-config/frontline/config, e.g. token_command = "
				 "pass show intercom");
	config_release(&c);
}

/* A file of the source tree, or NULL when the test runs away from it (the test then skips). */
static char *source_read(const char *name)
{
	const char *srcdir = getenv("abs_top_srcdir") ? getenv("abs_top_srcdir") : getenv("srcdir");
	char p[PATH_MAX];
	char *text;
	long n;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", srcdir ? srcdir : ".", name);
	f = fopen(p, "r");
	if (!f)
		return NULL;
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

/* [keys]: keys by name, C-x, named keys, UTF-8 characters and none, each line kept with
 * its line number; [colors]: names, numbers, "on" and attributes. */
static void test_keys_and_colors(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	assert_int_equal(text_load(&c,
				   "[keys]\nclose = x, C-x\nopen = Enter, F5\nhelp = none\n"
				   "mark = \xc3\xa9, Space, PgDn\n"
				   "[colors]\nbreached = bold white on red\nok = color34\n"
				   "status = brightyellow on default\n",
				   err, sizeof(err)),
			 0);
	assert_int_equal(c.n_bindings, 4);
	assert_string_equal(c.bindings[0].action, "close");
	assert_int_equal(c.bindings[0].line, 2);
	assert_int_equal(c.bindings[0].n_keys, 2);
	assert_int_equal(c.bindings[0].keys[0], 'x');
	assert_int_equal(c.bindings[0].keys[1], 24);
	assert_int_equal(c.bindings[1].keys[0], '\r');
	assert_int_equal(c.bindings[1].keys[1], CONFIG_KEY_F1 + 4);
	assert_int_equal(c.bindings[2].n_keys, 0);
	assert_int_equal(c.bindings[3].keys[0], 0xe9);
	assert_int_equal(c.bindings[3].keys[1], ' ');
	assert_int_equal(c.bindings[3].keys[2], CONFIG_KEY_PGDN);
	assert_true(c.colors.breached.set && c.colors.breached.bold);
	assert_int_equal(c.colors.breached.fg, 7);
	assert_int_equal(c.colors.breached.bg, 1);
	assert_int_equal(c.colors.ok.fg, 34);
	assert_int_equal(c.colors.ok.bg, -1);
	assert_int_equal(c.colors.status.fg, 11);
	assert_false(c.colors.warning.set);
	config_release(&c);

	error_check("[keys]\nclose = x\nclose = y\n", 3, "[keys] close", "given twice",
		    "line 2", NULL);
	error_check("[backend]\n[keys]\nclose = C-\n", 3, "[keys] close", "\"C-\" is not a key",
		    NULL);
	error_check("[keys]\nclose = a, b, c, d, e\n", 2, "at most 4 keys", NULL);
	error_check("[keys]\nclose =\n", 2, "no keys given", NULL);
	error_check("[colors]\nok = purple\n", 2, "ok:", "expected a colour", NULL);
	error_check("[colors]\nok = red on\n", 2, "expected a colour", NULL);
	error_check("[colors]\nshadow = red\n", 2, "unknown key \"shadow\" in [colors]", NULL);
}

/* [notify] and each queue's notify level: defaults by realtime, values, and errors. */
static void test_notify_keys(void **state)
{
	struct config c;
	char err[512];

	(void)state;
	config_defaults(&c);
	assert_true(c.notify.desktop);
	assert_null(c.notify.command);
	assert_true(c.notify.bell);
	assert_int_equal(c.notify.osc, CONFIG_OSC_OFF);
	assert_int_equal(c.queues[0].notify, CONFIG_NOTIFY_NEW);
	assert_int_equal(c.queues[1].notify, CONFIG_NOTIFY_BREACH);
	config_release(&c);

	assert_int_equal(text_load(&c,
				   "[queue live]\nteams = Live chat\nrealtime = yes\n"
				   "[queue slow]\nteams = Support\n"
				   "[queue quiet]\nteams = 7\nrealtime = yes\nnotify = none\n"
				   "[queue loud]\nteams = 8\nnotify = ALL\n"
				   "[notify]\ndesktop = no\ncommand = notify-send 'SLA' x\n"
				   "bell = off\nosc = 777\n",
				   err, sizeof(err)),
			 0);
	assert_int_equal(c.queues[0].notify, CONFIG_NOTIFY_NEW);
	assert_int_equal(c.queues[1].notify, CONFIG_NOTIFY_BREACH);
	assert_int_equal(c.queues[2].notify, CONFIG_NOTIFY_NONE);
	assert_int_equal(c.queues[3].notify, CONFIG_NOTIFY_ALL);
	assert_false(c.notify.desktop);
	assert_string_equal(c.notify.command, "notify-send 'SLA' x");
	assert_false(c.notify.bell);
	assert_int_equal(c.notify.osc, CONFIG_OSC_777);
	config_release(&c);

	assert_int_equal(text_load(&c, "[notify]\nosc = 9\n", err, sizeof(err)), 0);
	assert_int_equal(c.notify.osc, CONFIG_OSC_9);
	config_release(&c);

	error_check("[notify]\nosc = 8\n", 2, "osc", "off|777|9", "\"8\"", NULL);
	error_check("[queue a]\nteams = x\nnotify = some\n", 3, "notify", "none|breach|new|all",
		    NULL);
	error_check("[notify]\ncommand = a $(b)\n", 2, "command", "substitution", NULL);
	error_check("[notify]\ncommand = a | b\n", 2, "command", "without a shell", NULL);
	error_check("[notify]\nbell = maybe\n", 2, "bell", "yes or no", NULL);
	error_check("[notify]\nsound = yes\n", 2, "unknown key \"sound\" in [notify]", "desktop",
		    "command", "bell", "osc", NULL);
	error_check("[notify]\nnotify = new\n", 2, "unknown key", NULL);
	error_check("[notifications]\n", 1, "unknown section", "[notify]", NULL);
}

/* frontline.conf(5) carries config_write_man's text, so the page and the table agree. */
static void test_man_page_matches_table(void **state)
{
	char *page = source_read("man/frontline.conf.5"), *keys = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	if (!page)
		skip();
	out = open_memstream(&keys, &len);
	assert_non_null(out);
	assert_int_equal(config_write_man(out), 0);
	assert_int_equal(fclose(out), 0);
	assert_non_null(strstr(keys, ".BI \"poll_interval = \" \"duration\""));
	if (!strstr(page, keys))
		fail_msg("man/frontline.conf.5 does not hold config_write_man's output:\n%s", keys);
	free(keys);
	free(page);
}

static void test_example_file_loads(void **state)
{
	char *text = source_read("config/frontline.conf.example"), err[512];
	struct config c;

	(void)state;
	if (!text)
		skip();
	if (text_load(&c, text, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_true(c.n_queues >= 2);
	config_release(&c);
	free(text);
}

static const char *zone_name(const char *tz)
{
	return tz[0] ? tz : "UTC";
}

/* Copied as it is, the example changes nothing: every value it sets is the default. */
static void test_example_file_is_defaults(void **state)
{
	char *text = source_read("config/frontline.conf.example"), err[512];
	struct config ex, def;
	size_t i, t;

	(void)state;
	if (!text)
		skip();
	if (text_load(&ex, text, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	config_defaults(&def);
	assert_string_equal(ex.backend, def.backend);
	assert_string_equal(ex.url, def.url);
	assert_null(ex.token);
	assert_null(ex.token_command);
	assert_null(ex.admin);
	assert_int_equal(ex.token_timeout, def.token_timeout);
	assert_int_equal(ex.max_response, def.max_response);
	assert_int_equal(ex.poll_interval, def.poll_interval);
	assert_int_equal(ex.resync_interval, def.resync_interval);
	assert_int_equal(ex.poll_overlap, def.poll_overlap);
	assert_int_equal(ex.cache_max_age, def.cache_max_age);
	assert_int_equal(ex.article_refresh, def.article_refresh);
	assert_int_equal(ex.hours_refresh, def.hours_refresh);
	assert_int_equal(ex.notify.desktop, def.notify.desktop);
	assert_null(ex.notify.command);
	assert_int_equal(ex.notify.bell, def.notify.bell);
	assert_int_equal(ex.notify.osc, def.notify.osc);
	assert_int_equal(ex.notify.preview, def.notify.preview);
	assert_int_equal(ex.notify.title, def.notify.title);
	assert_int_equal(ex.n_slas, def.n_slas);
	assert_int_equal(ex.n_bindings, 0);
	assert_memory_equal(&ex.colors, &def.colors, sizeof(ex.colors));
	assert_int_equal(ex.n_queues, def.n_queues);
	for (i = 0; i < def.n_queues; i++) {
		const struct config_queue *a = &ex.queues[i], *b = &def.queues[i];
		const struct sla_policy *pa = &a->policy, *pb = &b->policy;

		assert_string_equal(a->key, b->key);
		assert_string_equal(a->title, b->title);
		assert_int_equal(a->n_teams, b->n_teams);
		for (t = 0; t < b->n_teams; t++)
			assert_string_equal(a->teams[t], b->teams[t]);
		assert_int_equal(a->realtime, b->realtime);
		if (b->filter)
			assert_string_equal(a->filter, b->filter);
		else
			assert_null(a->filter);
		assert_int_equal(a->notify, b->notify);
		assert_int_equal(pa->first_response, pb->first_response);
		assert_int_equal(pa->next_response, pb->next_response);
		assert_int_equal(pa->n_warn, pb->n_warn);
		assert_memory_equal(pa->warn, pb->warn, (size_t)pb->n_warn * sizeof(pb->warn[0]));
		assert_int_equal(pa->pause_snoozed, pb->pause_snoozed);
		assert_memory_equal(pa->first_by_priority, pb->first_by_priority,
				    sizeof(pb->first_by_priority));
		assert_memory_equal(pa->next_by_priority, pb->next_by_priority,
				    sizeof(pb->next_by_priority));
		assert_int_equal(pa->n_named, pb->n_named);
		assert_int_equal(pa->hours.enabled, pb->hours.enabled);
		assert_int_equal(pa->hours.n_ranges, pb->hours.n_ranges);
		assert_int_equal(pa->hours.n_week, pb->hours.n_week);
		assert_string_equal(zone_name(pa->hours.tz), zone_name(pb->hours.tz));
	}
	config_release(&ex);
	config_release(&def);
	free(text);
}

/* [sla NAME] targets reach every queue's policy; per-priority targets reach their queue. */
static void test_sla_sections_and_priority_targets(void **state)
{
	static const char text[] = "[queue live]\n"
				   "teams = Live chat\n"
				   "realtime = yes\n"
				   "first_response.urgent = 30s\n"
				   "next_response.high = 1m\n"
				   "[sla VIP customer <5m]\n"
				   "first_response = 5m\n"
				   "warn = 2m, 1m\n"
				   "[queue rest]\n"
				   "teams = Support\n"
				   "[sla Real-time 2m]\n"
				   "next_response = 3m\n";
	struct config c;
	char err[512];
	const struct sla_policy *p;

	(void)state;
	if (text_load(&c, text, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(c.n_slas, 2);
	assert_string_equal(c.slas[0].key, "VIP customer <5m");
	for (size_t q = 0; q < c.n_queues; q++) {
		p = &c.queues[q].policy;
		assert_int_equal(p->n_named, 2);
		assert_string_equal(p->named[0].name, "VIP customer <5m");
		assert_int_equal(p->named[0].targets.first_response, 300);
		assert_int_equal(p->named[0].targets.next_response, 0);
		assert_int_equal(p->named[0].targets.n_warn, 2);
		assert_int_equal(p->named[0].targets.warn[0], 120);
		assert_string_equal(p->named[1].name, "Real-time 2m");
		assert_int_equal(p->named[1].targets.next_response, 180);
		assert_int_equal(p->named[1].targets.n_warn, -1);
	}
	p = &c.queues[0].policy;
	assert_int_equal(p->first_by_priority[PRIORITY_URGENT], 30);
	assert_int_equal(p->next_by_priority[PRIORITY_HIGH], 60);
	assert_int_equal(p->first_by_priority[PRIORITY_HIGH], 0);
	assert_int_equal(c.queues[1].policy.first_by_priority[PRIORITY_URGENT], 0);
	config_release(&c);
}

static void test_sla_and_priority_errors(void **state)
{
	(void)state;
	error_check("[queue a]\nteams = x\nfirst_response.critical = 1m\n", 3,
		    "first_response.critical", "unknown priority \"critical\"", "urgent", NULL);
	error_check("[queue a]\nteams = x\nfirst_response. = 1m\n", 3, "unknown key", NULL);
	error_check("[queue a]\nteams = x\nnext_response.low = soon\n", 3, "next_response",
		    "duration", NULL);
	error_check("[queue a]\nteams = x\nfirst_response.low = 1m\nfirst_response.low = 2m\n", 4,
		    "first_response.low", "given twice", NULL);
	error_check("[sla]\nfirst_response = 1m\n", 1, "[sla NAME]", "e.g. [sla VIP 5m]", NULL);
	error_check("[sla VIP]\nfirst_response = 1m\n[sla VIP]\n", 3,
		    "[sla VIP] is already defined", "line 1", NULL);
	error_check("[sla VIP]\nteams = x\n", 2, "unknown key \"teams\" in [sla VIP]",
		    "first_response", "next_response", "warn", NULL);
	error_check("[sla VIP]\nwarn = 1m, x\n", 2, "warn", "durations", NULL);
	error_check("[sla VIP]\nfirst_response = 1m\nfirst_response = 2m\n", 3, "given twice",
		    "[sla VIP]", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults_without_file),
	    cmocka_unit_test(test_default_path_is_read),
	    cmocka_unit_test(test_full_file),
	    cmocka_unit_test(test_hours_always),
	    cmocka_unit_test(test_byte_order_mark_and_crlf),
	    cmocka_unit_test(test_errors_name_file_line_and_key),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_region),
	    cmocka_unit_test(test_hours_from_backend),
	    cmocka_unit_test(test_too_many_queues),
	    cmocka_unit_test(test_long_line),
	    cmocka_unit_test(test_missing_explicit_file),
	    cmocka_unit_test(test_token_in_shared_file_refused),
	    cmocka_unit_test(test_token_in_private_file),
	    cmocka_unit_test(test_token_command),
	    cmocka_unit_test(test_token_command_failures),
	    cmocka_unit_test(test_environment_token_wins),
	    cmocka_unit_test(test_no_token_says_how),
	    cmocka_unit_test(test_keys_and_colors),
	    cmocka_unit_test(test_notify_keys),
	    cmocka_unit_test(test_man_page_matches_table),
	    cmocka_unit_test(test_example_file_loads),
	    cmocka_unit_test(test_sla_sections_and_priority_targets),
	    cmocka_unit_test(test_sla_and_priority_errors),
	    cmocka_unit_test(test_example_file_is_defaults),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
