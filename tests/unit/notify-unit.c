/* notify-unit.c: the notifier without a desktop: queue levels, coalescing bursts into
 * summaries (also past the pending limit), the words of single notifications, the
 * redacted preview and the [notify] keys that set it; the desktop's queue: newer news of
 * a conversation replacing what waits, what is over dropped, one catch-up after a stall. What the notifier tells the terminal
 * is read back from a real pseudo-terminal. */
#include "build-config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "notify.h"
#include "../../src/notify/desktop.h"

/* 2024-05-10 12:00:00 UTC: the fixed "now". */
#define T0 ((fl_time)1715342400)

struct fixture {
	struct config cfg;
	struct notifier *n;
	int master, slave; /* the pseudo-terminal the notifier writes to */
	char out[16384];   /* what it wrote since the last terminal_read */
};

/* Two queues: "Live" (level new) and "Std" (level breach); OSC 777, no bell, no desktop,
 * no command. */
static int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct termios raw;
	char *slave_name;

	if (!f)
		return -1;
	config_defaults(&f->cfg);
	free(f->cfg.queues[0].title);
	free(f->cfg.queues[1].title);
	f->cfg.queues[0].title = strdup("Live");
	f->cfg.queues[1].title = strdup("Std");
	f->cfg.queues[0].notify = CONFIG_NOTIFY_NEW;
	f->cfg.queues[1].notify = CONFIG_NOTIFY_BREACH;
	f->cfg.notify.desktop = false;
	f->cfg.notify.bell = false;
	f->cfg.notify.osc = CONFIG_OSC_777;
	f->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (f->master < 0 || grantpt(f->master) || unlockpt(f->master) ||
	    !(slave_name = ptsname(f->master)))
		return -1;
	f->slave = open(slave_name, O_RDWR | O_NOCTTY);
	if (f->slave < 0 || tcgetattr(f->slave, &raw))
		return -1;
	cfmakeraw(&raw);
	if (tcsetattr(f->slave, TCSANOW, &raw))
		return -1;
	*state = f;
	return 0;
}

static int fixture_teardown(void **state)
{
	struct fixture *f = *state;

	notifier_free(f->n);
	config_release(&f->cfg);
	close(f->slave);
	close(f->master);
	free(f);
	return 0;
}

static struct notifier *notifier_start(struct fixture *f)
{
	char err[256];

	f->n = notifier_new(&f->cfg, err, sizeof(err));
	assert_non_null(f->n);
	notifier_set_terminal(f->n, f->slave);
	return f->n;
}

/* Everything written to the terminal so far, into f->out. */
static const char *terminal_read(struct fixture *f)
{
	struct pollfd p = {.fd = f->master, .events = POLLIN};
	size_t used = 0;
	ssize_t r;

	while (used + 1 < sizeof(f->out) && poll(&p, 1, 50) == 1) {
		r = read(f->master, f->out + used, sizeof(f->out) - 1 - used);
		if (r <= 0)
			break;
		used += (size_t)r;
	}
	f->out[used] = '\0';
	return f->out;
}

/* How many notifications (OSC 777 sequences) s holds. */
static int osc_count(const char *s)
{
	int n = 0;

	while ((s = strstr(s, "\033]777;notify;"))) {
		n++;
		s++;
	}
	return n;
}

static struct conversation conversation_make(int64_t id, const char *customer, const char *body)
{
	struct conversation c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.customer = (char *)customer;
	c.body = (char *)body;
	return c;
}

static unsigned long delivered(struct notifier *n)
{
	struct notifier_counts counts;

	notifier_counts(n, &counts);
	return counts.delivered;
}

static void test_levels(void **state)
{
	struct fixture *f = *state;
	struct notifier *n = notifier_start(f);
	struct conversation c = conversation_make(7, "Ann", NULL);

	/* Std is at breach: a new conversation there is not news; Live is at new. */
	notifier_event(n, NOTIFY_NEW_CONVERSATION, "Std", &c, 0, T0);
	notifier_event(n, NOTIFY_NEW_MESSAGE, "Std", &c, 0, T0);
	notifier_event(n, NOTIFY_WARNING, "nonexistent", &c, T0, T0);
	notifier_flush(n, T0);
	assert_int_equal(delivered(n), 0);
	notifier_event(n, NOTIFY_NEW_CONVERSATION, "Live", &c, 0, T0);
	notifier_flush(n, T0);
	assert_int_equal(delivered(n), 1);
	assert_non_null(
	    strstr(terminal_read(f), "\033]777;notify;New conversation in Live;Ann · #7\a"));

	/* none: nothing at all */
	f->cfg.queues[0].notify = CONFIG_NOTIFY_NONE;
	notifier_event(n, NOTIFY_BREACH, "Live", &c, T0, T0 + 10);
	notifier_flush(n, T0 + 10);
	assert_int_equal(delivered(n), 1);
}

/* Each queue and kind has its window: its first event goes out at once; those within 3 s
 * of it wait and go out together, as a summary, or single when only one waited. Other
 * queues and kinds do not wait for it. */
static void test_coalescing(void **state)
{
	struct fixture *f = *state;
	struct notifier *n = notifier_start(f);
	struct conversation c = conversation_make(1, "Ann", NULL);
	const char *out;
	int i;

	notifier_event(n, NOTIFY_WARNING, "Live", &c, T0 + 30, T0);
	notifier_flush(n, T0);
	assert_int_equal(delivered(n), 1);
	assert_int_equal(osc_count(terminal_read(f)), 1);

	/* a burst in Std goes out at once, as one summary; Live's next warning waits */
	for (i = 0; i < 20; i++) {
		c.id = 100 + i;
		notifier_event(n, NOTIFY_BREACH, "Std", &c, T0, T0 + 1);
	}
	c.id = 2;
	notifier_event(n, NOTIFY_WARNING, "Live", &c, T0 + 30, T0 + 1);
	notifier_flush(n, T0 + 1);
	out = terminal_read(f);
	assert_int_equal(delivered(n), 2);
	assert_int_equal(osc_count(out), 1);
	assert_non_null(strstr(out, ";20 conversations breached in Std;\a"));
	notifier_flush(n, T0 + 2);
	assert_int_equal(osc_count(terminal_read(f)), 0);
	notifier_flush(n, T0 + 3);
	out = terminal_read(f);
	assert_int_equal(delivered(n), 3);
	assert_int_equal(osc_count(out), 1);
	assert_non_null(strstr(out, ";Reply due soon in Live;Ann · #2 · due "));

	/* a breach of Live does not wait for Live's warnings */
	c.id = 3;
	notifier_event(n, NOTIFY_BREACH, "Live", &c, T0 + 4, T0 + 4);
	notifier_flush(n, T0 + 4);
	assert_int_equal(delivered(n), 4);
	assert_non_null(strstr(terminal_read(f), ";SLA breached in Live;Ann · #3 · was due "));

	/* Std's next breaches, 1 s and 2 s after its window opened again at T0 + 5 */
	c.id = 4;
	notifier_event(n, NOTIFY_BREACH, "Std", &c, T0 + 5, T0 + 5);
	notifier_flush(n, T0 + 5);
	c.id = 5;
	notifier_event(n, NOTIFY_BREACH, "Std", &c, T0 + 6, T0 + 6);
	notifier_flush(n, T0 + 6);
	c.id = 6;
	notifier_event(n, NOTIFY_BREACH, "Std", &c, T0 + 7, T0 + 7);
	notifier_flush(n, T0 + 7);
	assert_int_equal(delivered(n), 5);
	assert_int_equal(osc_count(terminal_read(f)), 1);
	notifier_flush(n, T0 + 8);
	out = terminal_read(f);
	assert_int_equal(delivered(n), 6);
	assert_non_null(strstr(out, ";2 conversations breached in Std;\a"));
	/* nothing left over */
	notifier_flush(n, T0 + 20);
	assert_int_equal(delivered(n), 6);
}

/* More than the notifier keeps are still counted into the summary. */
static void test_overflow_counted(void **state)
{
	struct fixture *f = *state;
	struct notifier *n = notifier_start(f);
	struct conversation c = conversation_make(1, "Bo", NULL);
	int i;

	for (i = 0; i < 1000; i++) {
		c.id = i + 1;
		notifier_event(n, NOTIFY_BREACH, "Live", &c, T0, T0);
	}
	notifier_flush(n, T0);
	assert_int_equal(delivered(n), 1);
	assert_non_null(strstr(terminal_read(f), ";1000 conversations breached in Live;\a"));
}

/* The customer's name is sanitised; the message text never appears without preview. */
static void test_no_text_and_inert_name(void **state)
{
	struct fixture *f = *state;
	struct notifier *n = notifier_start(f);
	struct conversation c = conversation_make(9, "Eve\033]0;owned\a;$(rm -rf /)",
						  "SECRET text 123 eve@example.com");
	const char *out;

	notifier_event(n, NOTIFY_BREACH, "Live", &c, T0, T0);
	notifier_flush(n, T0);
	out = terminal_read(f);
	assert_int_equal(osc_count(out), 1);
	assert_null(strstr(out, "SECRET"));
	assert_null(strstr(out, "\033]0;"));
	assert_null(strstr(out, "owned\a"));
	assert_non_null(strstr(out, "SLA breached in Live;Eve"));
}

static void test_preview_in_notification(void **state)
{
	struct fixture *f = *state;
	struct notifier *n;
	struct conversation c =
	    conversation_make(9, "Eve", "<p>Order 4711 for eve@example.com\nhas not arrived</p>");
	const char *out;

	c.body_is_html = true;
	f->cfg.notify.preview = CONFIG_PREVIEW_REDACTED;
	n = notifier_start(f);
	notifier_event(n, NOTIFY_NEW_CONVERSATION, "Live", &c, 0, T0);
	notifier_flush(n, T0);
	out = terminal_read(f);
	/* the newline between the line and the preview is a space on a terminal */
	assert_non_null(strstr(out, "Eve · #9 “Order #### for [email] has not arrived”\a"));
	assert_null(strstr(out, "4711"));
	assert_null(strstr(out, "example"));

	/* a new message: the record holds the opening message, not the new one */
	notifier_event(n, NOTIFY_NEW_MESSAGE, "Live", &c, 0, T0 + 5);
	notifier_flush(n, T0 + 5);
	out = terminal_read(f);
	assert_int_equal(osc_count(out), 1);
	assert_null(strstr(out, "Order"));
}

static void redact_check(const char *text, size_t max, const char *expected)
{
	char *got = notify_preview_redact(text, max);

	assert_string_equal(got, expected);
	free(got);
}

static void test_redact(void **state)
{
	(void)state;
	redact_check("Call +48 600 123 456 now", 60, "Call +## ### ### ### now");
	redact_check("mail me: (john.doe@example.com), or x@y", 60, "mail me: [email] or [email]");
	redact_check("", 60, "");
	/* cut on characters, not bytes, without a space before the ellipsis */
	redact_check("Zażółć gęślą jaźń", 7, "Zażółć…");
	redact_check("ab cd ef", 3, "ab…");
	redact_check("abcdef", 6, "abcdef");
	/* control characters are made visible, never passed on */
	redact_check("a\033[31mb", 60, "a\xe2\x90\x9b[##mb");
}

/* notify_terminal_format: fields without control characters or (777) semicolons. */
static void test_terminal_format(void **state)
{
	char buf[128];
	size_t n;

	(void)state;
	n = notify_terminal_format(true, CONFIG_OSC_777, "T;1", "b\033x;y", buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_string_equal(buf, "\a\033]777;notify;T,1;b x,y\a");
	notify_terminal_format(false, CONFIG_OSC_9, "T;1", "body", buf, sizeof(buf));
	assert_string_equal(buf, "\033]9;T;1: body\a");
	notify_terminal_format(true, CONFIG_OSC_OFF, "T", "b", buf, sizeof(buf));
	assert_string_equal(buf, "\a");
	/* a cut title still closes the sequence */
	notify_terminal_format(false, CONFIG_OSC_777, "a very long title indeed", "", buf, 24);
	assert_int_equal(buf[strlen(buf) - 1], '\a');
}

/* Desktop on but no session bus: said once, at the first notification. */
static void test_no_bus_told_once(void **state)
{
	struct fixture *f = *state;
	struct notifier *n;
	struct conversation c = conversation_make(3, "Cy", NULL);
	const char *msg;

	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	setenv("XDG_RUNTIME_DIR", "/nonexistent", 1);
	f->cfg.notify.desktop = true;
	n = notifier_start(f);
	assert_null(notifier_status(n));
	notifier_event(n, NOTIFY_BREACH, "Live", &c, T0, T0);
	notifier_flush(n, T0);
	msg = notifier_status(n);
	assert_non_null(msg);
	assert_non_null(strstr(msg, "desktop notifications unavailable: "));
	assert_null(notifier_status(n));
	notifier_event(n, NOTIFY_BREACH, "Live", &c, T0, T0 + 10);
	notifier_flush(n, T0 + 10);
	assert_null(notifier_status(n));
	assert_int_equal(delivered(n), 2);
}

/* The command is split into words when the notifier starts, before the desktop thread
 * would: wordexp assigns ${NAME:=word} with setenv, which must not run beside threads. */
static void test_command_split_at_start(void **state)
{
	struct fixture *f = *state;
	struct notifier *n;
	struct conversation c = conversation_make(4, "Di", NULL);

	assert_int_equal(setenv("NOTIFY_UNIT_EMPTY", "", 1), 0);
	f->cfg.notify.command = strdup("true ${NOTIFY_UNIT_EMPTY:=assigned}");
	assert_non_null(f->cfg.notify.command);
	n = notifier_start(f);
	assert_string_equal(getenv("NOTIFY_UNIT_EMPTY"), "assigned");
	assert_int_equal(setenv("NOTIFY_UNIT_EMPTY", "", 1), 0);
	notifier_event(n, NOTIFY_BREACH, "Live", &c, T0, T0);
	notifier_flush(n, T0);
	assert_int_equal(delivered(n), 1);
	/* The notification ran the words split at start and assigned nothing. */
	assert_string_equal(getenv("NOTIFY_UNIT_EMPTY"), "");
	assert_null(notifier_status(n));
	assert_int_equal(unsetenv("NOTIFY_UNIT_EMPTY"), 0);
}

static void command_go(const char *dir)
{
	char *path;
	FILE *fp;

	assert_true(asprintf(&path, "%s/go", dir) > 0);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fclose(fp), 0);
	free(path);
}

/* A scratch directory with a notify command that appends its conversation's id to
 * "runs" once the file "go" exists (made here at once unless hold). */
static char *command_dir(struct fixture *f, bool hold)
{
	char tmpl[] = "/tmp/notify-unit.XXXXXX", *dir, *path;
	FILE *fp;

	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	dir = strdup(dir);
	assert_non_null(dir);
	assert_true(asprintf(&path, "%s/cmd", dir) > 0);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\nwhile [ ! -e '%s/go' ]; do sleep 0.02; done\n"
		    "sleep 0.1\necho \"$FRONTLINE_EVENT $FRONTLINE_CONVERSATION_ID\" >>'%s/runs'\n",
		dir, dir);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, 0700), 0);
	f->cfg.notify.command = path;
	if (!hold)
		command_go(dir);
	return dir;
}

/* What the command wrote so far, after flushing for up to 10 s until it has n lines. */
static char *command_runs(struct notifier *n, const char *dir, fl_time now, int want)
{
	static char buf[4096];
	char *path;
	int tries, lines = 0;
	size_t len = 0;

	assert_true(asprintf(&path, "%s/runs", dir) > 0);
	for (tries = 0; tries < 500 && lines < want; tries++) {
		FILE *fp;

		usleep(20000);
		notifier_flush(n, now);
		fp = fopen(path, "r");
		if (!fp)
			continue;
		len = fread(buf, 1, sizeof(buf) - 1, fp);
		fclose(fp);
		buf[len] = '\0';
		lines = 0;
		for (const char *p = buf; (p = strchr(p, '\n')); p++)
			lines++;
	}
	free(path);
	buf[len] = '\0';
	return buf;
}

static void command_dir_remove(const char *dir)
{
	char *cmd;

	assert_true(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

/* Two notifications of one flush (a new conversation, another's breach) both reach a
 * command that takes a moment, in the order they were delivered. */
static void test_command_runs_in_turn(void **state)
{
	struct fixture *f = *state;
	struct conversation a = conversation_make(7, "Ann", NULL);
	struct conversation b = conversation_make(8, "Bo", NULL);
	struct notifier *n;
	char *dir = command_dir(f, false);

	n = notifier_start(f);
	notifier_event(n, NOTIFY_NEW_CONVERSATION, "Live", &a, 0, T0);
	notifier_event(n, NOTIFY_BREACH, "Live", &b, T0, T0);
	notifier_flush(n, T0);
	assert_int_equal(delivered(n), 2);
	assert_string_equal(command_runs(n, dir, T0, 2), "breach 8\nnew 7\n");
	assert_null(notifier_status(n));
	command_dir_remove(dir);
	free(dir);
}

/* Behind a run that does not end, COMMAND_QUEUE_MAX (32) runs wait and later ones are
 * skipped, told once; when it ends, the 32 run in order. */
static void test_command_backlog(void **state)
{
	struct fixture *f = *state;
	struct notifier_counts counts;
	struct notifier *n;
	char *dir = command_dir(f, true), *runs, expect[2048];
	size_t used = 0;
	fl_time now = T0;
	int i;

	n = notifier_start(f);
	for (i = 1; i <= 40; i++) {
		struct conversation c = conversation_make(100 + i, "Cy", NULL);

		notifier_event(n, NOTIFY_BREACH, "Live", &c, now, now);
		notifier_flush(n, now);
		now += NOTIFY_COALESCE_SECONDS;
	}
	notifier_counts(n, &counts);
	assert_int_equal(counts.delivered, 40);
	assert_int_equal(counts.command_skipped, 7);
	assert_non_null(strstr(notifier_status(n), "is still running with 32 runs waiting"));
	assert_null(notifier_status(n));
	command_go(dir);
	runs = command_runs(n, dir, now, 33);
	for (i = 1; i <= 33; i++)
		used += (size_t)snprintf(expect + used, sizeof(expect) - used, "breach %d\n", 100 + i);
	assert_string_equal(runs, expect);
	assert_null(notifier_status(n));
	command_dir_remove(dir);
	free(dir);
}

static void test_config_keys(void **state)
{
	char path[] = "/tmp/notify-unit.XXXXXX", err[512];
	const char text[] = "[notify]\npreview = redacted\ntitle = no\n";
	struct config c;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	config_defaults(&c);
	assert_int_equal(c.notify.preview, CONFIG_PREVIEW_NONE);
	assert_true(c.notify.title);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), 0);
	assert_int_equal(c.notify.preview, CONFIG_PREVIEW_REDACTED);
	assert_false(c.notify.title);
	config_release(&c);

	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "[notify]\npreview = full\n", 24), 24);
	close(fd);
	config_defaults(&c);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "none|redacted"));
	config_release(&c);
	unlink(path);
}

/* ---- the desktop's queue ---- */

static void queue_post(struct desktop_queue *q, int64_t id, enum notify_kind kind,
		       unsigned long count, const char *summary, const char *body)
{
	struct desktop_item it = {.id = id,
				  .kind = kind,
				  .deadline = T0 + id,
				  .count = count,
				  .summary = (char *)summary,
				  .body = (char *)body};

	desktop_queue_post(q, &it);
}

/* take: the next item's id (0 if none), its summary and body copied out. */
static int64_t queue_take(struct desktop_queue *q, bool stalled, char *summary, char *body)
{
	struct desktop_item it;
	int64_t id;

	if (!desktop_queue_take(q, stalled, &it))
		return 0;
	snprintf(summary, 256, "%s", it.summary);
	snprintf(body, 1024, "%s", it.body);
	id = it.id;
	desktop_item_release(&it);
	return id;
}

static void test_desktop_queue_replaces(void **state)
{
	struct desktop_queue q = {0};
	char summary[256], body[1024];

	(void)state;
	queue_post(&q, 7, NOTIFY_WARNING, 0, "Reply due soon in Live", "Ann · #7 · due 12:00:10");
	queue_post(&q, 8, NOTIFY_NEW_CONVERSATION, 0, "New conversation in Live", "Bo · #8");
	queue_post(&q, 7, NOTIFY_BREACH, 0, "SLA breached in Live", "Ann · #7 · was due 12:00:10");
	queue_post(&q, -2, NOTIFY_BREACH, 3, "3 conversations breached in Std", "");
	queue_post(&q, -2, NOTIFY_BREACH, 2, "2 conversations breached in Std", "");
	assert_int_equal(q.count, 4);
	/* the breach took the warning's place; summaries stay apart */
	assert_int_equal(queue_take(&q, false, summary, body), 7);
	assert_string_equal(summary, "SLA breached in Live");
	assert_int_equal(queue_take(&q, false, summary, body), 8);
	assert_int_equal(queue_take(&q, false, summary, body), -2);
	assert_string_equal(summary, "3 conversations breached in Std");
	assert_int_equal(queue_take(&q, false, summary, body), -2);
	assert_int_equal(queue_take(&q, false, summary, body), 0);
	/* full: the oldest goes */
	for (int64_t id = 1; id <= DESKTOP_QUEUE_MAX + 1; id++)
		queue_post(&q, id, NOTIFY_NEW_CONVERSATION, 0, "New conversation in Live", "x");
	assert_int_equal(q.dropped, 1);
	assert_int_equal(queue_take(&q, false, summary, body), 2);
	desktop_queue_release(&q);
	assert_int_equal(q.count, 0);
}

/* Conversation 7 was answered; the others still hold at the deadline they were told. */
static bool not_seven(void *ctx, int64_t id, enum notify_kind kind, fl_time deadline)
{
	(void)ctx;
	(void)kind;
	assert_true(deadline == T0 + id);
	return id != 7;
}

static void test_desktop_queue_filter(void **state)
{
	struct desktop_queue q = {0};
	char summary[256], body[1024];

	(void)state;
	queue_post(&q, 7, NOTIFY_BREACH, 0, "SLA breached in Live", "Ann · #7");
	queue_post(&q, -1, NOTIFY_WARNING, 4, "4 conversations near their deadline in Live", "");
	queue_post(&q, 9, NOTIFY_NEW_CONVERSATION, 0, "New conversation in Live", "Cy · #9");
	desktop_queue_filter(&q, not_seven, NULL);
	assert_int_equal(q.count, 2);
	assert_int_equal(queue_take(&q, false, summary, body), -1);
	assert_int_equal(queue_take(&q, false, summary, body), 9);
	assert_int_equal(queue_take(&q, false, summary, body), 0);
}

static void test_desktop_queue_catch_up(void **state)
{
	struct desktop_queue q = {0};
	char summary[256], body[1024];
	struct desktop_item it;
	int64_t id;

	(void)state;
	/* one waiting after a stall: itself */
	queue_post(&q, 5, NOTIFY_WARNING, 0, "Reply due soon in Live", "Di · #5 · due 12:00:05");
	assert_int_equal(queue_take(&q, true, summary, body), 5);
	/* several: one summary of them all, the most urgent kind, first lines only */
	queue_post(&q, 7, NOTIFY_BREACH, 0, "SLA breached in Live",
		   "Ann · #7 · was due 12:00:07\n“my card ####”");
	queue_post(&q, 9, NOTIFY_WARNING, 0, "Reply due soon in Live", "Cy · #9 · due 12:00:09");
	queue_post(&q, -2, NOTIFY_BREACH, 3, "3 conversations breached in Std", "");
	queue_post(&q, 10, NOTIFY_NEW_CONVERSATION, 0, "New conversation in Live", "Eve · #10");
	queue_post(&q, 11, NOTIFY_NEW_CONVERSATION, 0, "New conversation in Live", "Flo · #11");
	assert_true(desktop_queue_take(&q, true, &it));
	assert_int_equal(q.count, 0);
	assert_true(it.id == DESKTOP_CATCH_UP_ID);
	assert_int_equal(it.kind, NOTIFY_BREACH);
	assert_int_equal(it.count, 7);
	assert_string_equal(it.summary, "Catching up: 4 breached, 1 due soon, 2 new conversations");
	assert_string_equal(it.body, "SLA breached in Live: Ann · #7 · was due 12:00:07\n"
				     "Reply due soon in Live: Cy · #9 · due 12:00:09\n"
				     "3 conversations breached in Std\n"
				     "New conversation in Live: Eve · #10\n"
				     "New conversation in Live: Flo · #11");
	desktop_item_release(&it);
	/* more than it lists: the rest counted */
	for (id = 1; id <= 8; id++)
		queue_post(&q, id, NOTIFY_NEW_MESSAGE, 0, "New message in Live", "x");
	assert_true(queue_take(&q, true, summary, body) == DESKTOP_CATCH_UP_ID);
	assert_string_equal(summary, "Catching up: 8 new messages");
	assert_non_null(strstr(body, "\nand 2 more"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_levels, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_coalescing, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_overflow_counted, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_no_text_and_inert_name, fixture_setup,
					    fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_preview_in_notification, fixture_setup,
					    fixture_teardown),
	    cmocka_unit_test(test_redact),
	    cmocka_unit_test(test_terminal_format),
	    cmocka_unit_test_setup_teardown(test_no_bus_told_once, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_command_runs_in_turn, fixture_setup,
					    fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_command_backlog, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_command_split_at_start, fixture_setup,
					    fixture_teardown),
	    cmocka_unit_test(test_config_keys),
	    cmocka_unit_test(test_desktop_queue_replaces),
	    cmocka_unit_test(test_desktop_queue_filter),
	    cmocka_unit_test(test_desktop_queue_catch_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
