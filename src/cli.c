/* cli.c: frontline's scriptable subcommands (list, status, show, reply, tag, articles,
 * outbox): each syncs what it needs on the event loop, prints, and exits with a code
 * scripts can rely on. Writes go through the outbox (sender.h). Customer text is sanitised before it reaches a terminal; --json output is
 * JSON-escaped instead. */
#include "build-config.h"

#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "articles.h"
#include "engine.h"
#include "loop.h"
#include "notify.h"
#include "outbox.h"
#include "sender.h"
#include "text.h"
#include "util.h"

#define ARTICLE_RESULTS 10
#define BODY_MAX (1u << 20)
/* reply and tag keep trying this long, then take back what has not gone... */
#define SEND_PATIENCE_MS 20000
/* ...and wait this much longer for a request in flight to end. */
#define SEND_GRACE_MS 45000

/* One write a command submitted to the outbox, and what became of it. */
struct cli_item {
	int64_t id;
	enum outbox_state state;
	char error[256];
	bool withdrawn; /* taken back from the outbox after giving up */
};

extern char **environ;

struct cli {
	const struct config *cfg;
	struct loop *loop;
	struct engine engine;
	char error[256];
	bool ambiguous;
	int64_t tag_id;
	struct thread thread;
	bool have_thread;
	struct article *found;
	size_t n_found;
	bool done; /* the operation being waited for finished */
	struct cli_item *items; /* the writes submitted */
	size_t n_items;
	bool give_up; /* patience ran out */
};

static void on_synced(void *arg, const char *error)
{
	struct cli *c = arg;

	snprintf(c->error, sizeof(c->error), "%s", error ? error : "");
	c->done = true;
}

/* Runs the loop until a callback sets c->done. */
static void cli_wait(struct cli *c)
{
	while (!c->done)
		if (loop_run_once(c->loop, -1) < 0) {
			snprintf(c->error, sizeof(c->error), "the event loop failed");
			break;
		}
	c->done = false;
}

/* Starts the engine and runs the loop until the directory (and with sync, the queues)
 * arrived. Returns 0, or -1 with c->error set. */
/* The loop and the engine, not started yet. Returns 0, or -1 with c->error set. */
static int cli_setup(struct cli *c, const char *token)
{
	struct engine_listener l = {.arg = c, .synced = on_synced};
	char err[256];

	c->loop = loop_new();
	if (!c->loop) {
		snprintf(c->error, sizeof(c->error), "cannot set up the event loop");
		return -1;
	}
	if (engine_init(&c->engine, c->cfg, c->loop, &intercom_backend, token, &l, err,
			sizeof(err)) < 0) {
		snprintf(c->error, sizeof(c->error), "%s", err);
		return -1;
	}
	return 0;
}

static int cli_start(struct cli *c, const char *token, bool sync)
{
	if (!c->loop && cli_setup(c, token) < 0)
		return -1;
	c->engine.directory_only = !sync;
	engine_start(&c->engine, false);
	cli_wait(c);
	return c->error[0] ? -1 : 0;
}

static void cli_release(struct cli *c)
{
	size_t i;

	if (c->loop) {
		engine_release(&c->engine);
		loop_free(c->loop);
	}
	if (c->have_thread)
		thread_release(&c->thread);
	for (i = 0; i < c->n_found; i++)
		article_release(&c->found[i]);
	free(c->found);
	free(c->items);
}

static int fail(struct cli *c, int code)
{
	fprintf(stderr, "%s: %s\n", util_progname(), c->error);
	return code;
}

static void print_safe(FILE *f, const char *s, bool keep_newlines)
{
	char *safe = text_sanitize(s, keep_newlines);

	fputs(safe, f);
	free(safe);
}

static const char *state_word(enum sla_state s)
{
	switch (s) {
	case SLA_PAUSED: return "paused";
	case SLA_OK: return "ok";
	case SLA_WARNING: return "warning";
	case SLA_BREACHED: return "breached";
	default: return "-";
	}
}

static const char *conv_state_word(enum conv_state s)
{
	return s == CONV_CLOSED ? "closed" : s == CONV_SNOOZED ? "snoozed" : "open";
}

static int64_t clock_left(const struct engine *e, const struct sla_clock *clock)
{
	/* Between ticks `left` is stale; the deadline is not. */
	return clock->deadline - engine_now(e);
}

/* ---- list ---- */

static json_t *entry_json(const struct engine *e, const struct store_entry *en)
{
	const struct conversation *cv = &en->conv;
	char *preview = conversation_preview(cv);
	json_t *tags = json_array(), *j;
	size_t i;

	for (i = 0; i < cv->n_tags; i++) {
		const char *name = directory_name(e->dir->tags, e->dir->n_tags, cv->tag_ids[i]);

		json_array_append_new(tags, json_string(name ? name : ""));
	}
	j = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:b, s:b, s:I}",
			 "id", (json_int_t)cv->id, "queue", e->cfg->queues[en->queue].key, "state",
			 conv_state_word(cv->state), "sla", state_word(en->clock.state),
			 "deadline",
			 en->clock.state >= SLA_OK ? json_integer(en->clock.deadline) : json_null(),
			 "left",
			 en->clock.state >= SLA_OK ? json_integer(clock_left(e, &en->clock))
						   : json_null(),
			 "kind",
			 en->clock.kind == SLA_KIND_FIRST  ? "first_response"
			 : en->clock.kind == SLA_KIND_NEXT ? "next_response"
							   : "none",
			 "customer", cv->customer ? json_string(cv->customer) : json_null(), "title",
			 cv->title ? json_string(cv->title) : json_null(), "preview",
			 preview ? json_string(preview) : json_null(), "tags", tags, "priority",
			 cv->priority, "unread", !cv->read, "assignee",
			 (json_int_t)cv->admin_assignee_id);
	free(preview);
	json_object_set_new(j, "backend_sla",
			    json_string(cv->backend_sla == BACKEND_SLA_ACTIVE	   ? "active"
					: cv->backend_sla == BACKEND_SLA_HIT	   ? "hit"
					: cv->backend_sla == BACKEND_SLA_MISSED	   ? "missed"
					: cv->backend_sla == BACKEND_SLA_CANCELLED ? "cancelled"
										   : "none"));
	return j;
}

static void print_entry(const struct engine *e, const struct store_entry *en)
{
	const struct conversation *cv = &en->conv;
	char left[32] = "";

	if (en->clock.state >= SLA_OK)
		text_countdown(clock_left(e, &en->clock), left, sizeof(left));
	printf("%-10s %-8s %7s  #%-8lld ", e->cfg->queues[en->queue].key,
	       state_word(en->clock.state), left, (long long)cv->id);
	print_safe(stdout, cv->customer ? cv->customer : "?", false);
	fputs(" — ", stdout);
	if (cv->title) {
		print_safe(stdout, cv->title, false);
	} else {
		char *preview = conversation_preview(cv);

		print_safe(stdout, preview ? preview : "", false);
		free(preview);
	}
	putchar('\n');
}

static int cmd_list(struct cli *c, int argc, char **argv, const char *token)
{
	static const struct option opts[] = {
		{"queue", required_argument, NULL, 'q'}, {"json", no_argument, NULL, 'j'}, {0}};
	const char *queue = NULL;
	bool json = false;
	json_t *out = NULL;
	int ch, q, from = 0, to;

	while ((ch = getopt_long(argc, argv, "q:j", opts, NULL)) != -1) {
		if (ch == 'q')
			queue = optarg;
		else if (ch == 'j')
			json = true;
		else
			return CLI_USAGE;
	}
	if (cli_start(c, token, true) < 0)
		return fail(c, CLI_FAILED);
	to = (int)c->cfg->n_queues;
	if (queue) {
		from = engine_queue_find(&c->engine, queue);
		if (from < 0) {
			snprintf(c->error, sizeof(c->error), "no queue named \"%s\" in the configuration",
				 queue);
			return fail(c, CLI_NOT_FOUND);
		}
		to = from + 1;
	}
	if (json)
		out = json_array();
	for (q = from; q < to; q++) {
		size_t i, n = store_queue_count(c->engine.store, q);

		for (i = 0; i < n; i++) {
			const struct store_entry *en = store_queue_at(c->engine.store, q, i);

			if (json)
				json_array_append_new(out, entry_json(&c->engine, en));
			else
				print_entry(&c->engine, en);
		}
	}
	if (json) {
		json_dumpf(out, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(out);
	}
	return CLI_OK;
}

/* ---- status ---- */

/* The status line: counts per queue, the most urgent deadline, and the data's age when
 * polls fail. Returns a new string. */
static char *status_line(const struct engine *e)
{
	const struct store_entry *next = NULL;
	char *out = NULL;
	size_t q, len;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		die("out of memory");
	for (q = 0; q < e->cfg->n_queues; q++) {
		const struct config_queue *cq = &e->cfg->queues[q];
		const struct store_entry *top = store_queue_at(e->store, (int)q, 0);
		struct store_counts counts;

		store_queue_counts(e->store, (int)q, &counts);
		fprintf(f, "%s%s %zu open", q ? " · " : "", cq->title ? cq->title : cq->key, counts.open);
		if (counts.warning)
			fprintf(f, ", %zu warning", counts.warning);
		if (counts.breached)
			fprintf(f, ", %zu breached", counts.breached);
		if (top && top->clock.state >= SLA_OK &&
		    (!next || top->clock.deadline < next->clock.deadline))
			next = top;
	}
	if (next) {
		char left[32];

		text_countdown(clock_left(e, &next->clock), left, sizeof(left));
		fprintf(f, " · next %s #%lld", left, (long long)next->conv.id);
	}
	/* Stale once a poll failed, or once answers are overdue while requests retry. */
	if (e->error[0] || engine_data_age(e) > 3 * e->cfg->poll_interval + 5)
		fprintf(f, " · stale: data %llds old%s%s%s", (long long)engine_data_age(e),
			e->error[0] ? " (" : "", e->error, e->error[0] ? ")" : "");
	if (fclose(f) != 0)
		die("out of memory");
	return out;
}

struct watch {
	struct cli *c;
	char *last;
	struct notifier *notifier;
};

/* What the notifier has to say once (no session bus, a failing command) goes to stderr,
 * so stdout keeps one status line per change. */
static void watch_notify_status(struct watch *w)
{
	const char *msg;

	while ((msg = notifier_status(w->notifier)))
		fprintf(stderr, "frontline: %s\n", msg);
}

static void on_watch_sla(void *arg, const struct store_entry *e, enum sla_event ev)
{
	struct watch *w = arg;

	notifier_sla_event(w->notifier, e, ev, engine_now(&w->c->engine));
}

static void on_watch_new_conversation(void *arg, const struct store_entry *e)
{
	struct watch *w = arg;

	notifier_entry_event(w->notifier, NOTIFY_NEW_CONVERSATION, e, engine_now(&w->c->engine));
}

static void on_watch_new_message(void *arg, const struct store_entry *e)
{
	struct watch *w = arg;

	notifier_entry_event(w->notifier, NOTIFY_NEW_MESSAGE, e, engine_now(&w->c->engine));
}

static void on_watch_change(void *arg)
{
	struct watch *w = arg;
	char *line = status_line(&w->c->engine);

	if (w->last && !strcmp(line, w->last)) {
		free(line);
		return;
	}
	printf("%s\n", line);
	fflush(stdout);
	free(w->last);
	w->last = line;
}

/* The status line when it changes, and the notifications due (the engine calls this at
 * least on every one-second tick). */
static void on_watch_tick(void *arg)
{
	struct watch *w = arg;

	on_watch_change(w);
	notifier_flush(w->notifier, engine_now(&w->c->engine));
	watch_notify_status(w);
}

static void on_watch_signal(void *arg, int signo)
{
	struct cli *c = arg;

	(void)signo;
	c->done = true;
}

/* status --watch: keeps polling and prints the line again whenever it changes. */
static int watch_status(struct cli *c, const char *token)
{
	struct watch w = {.c = c};
	struct engine_listener l = {.arg = &w,
				    .changed = on_watch_tick,
				    .sla_event = on_watch_sla,
				    .new_conversation = on_watch_new_conversation,
				    .new_message = on_watch_new_message};
	char err[256];

	w.notifier = notifier_new(c->cfg, err, sizeof(err));
	if (!w.notifier) {
		snprintf(c->error, sizeof(c->error), "%s", err);
		return fail(c, CLI_FAILED);
	}
	/* BEL and OSC only to a terminal: stdout may be a pipe to a script. */
	notifier_set_terminal(w.notifier, STDERR_FILENO);
	watch_notify_status(&w);

	c->loop = loop_new();
	if (!c->loop || loop_signal(c->loop, SIGINT, on_watch_signal, c) < 0 ||
	    loop_signal(c->loop, SIGTERM, on_watch_signal, c) < 0) {
		snprintf(c->error, sizeof(c->error), "cannot set up the event loop");
		notifier_free(w.notifier);
		return fail(c, CLI_FAILED);
	}
	if (engine_init(&c->engine, c->cfg, c->loop, &intercom_backend, token, &l, err,
			sizeof(err)) < 0) {
		snprintf(c->error, sizeof(c->error), "%s", err);
		notifier_free(w.notifier);
		return fail(c, CLI_FAILED);
	}
	engine_start(&c->engine, true);
	cli_wait(c);
	free(w.last);
	if (notifier_free(w.notifier)) {
		/* D-Bus threads (and a delivery thread a hung server holds) live on: do
		 * not let exit handlers wait for them. */
		fflush(NULL);
		_exit(CLI_OK);
	}
	return CLI_OK;
}

static int cmd_status(struct cli *c, int argc, char **argv, const char *token)
{
	static const struct option opts[] = {{"watch", no_argument, NULL, 'w'}, {0}};
	char *line;
	int ch;

	while ((ch = getopt_long(argc, argv, "w", opts, NULL)) != -1) {
		if (ch != 'w')
			return CLI_USAGE;
		return watch_status(c, token);
	}
	if (cli_start(c, token, true) < 0)
		return fail(c, CLI_FAILED);
	line = status_line(&c->engine);
	printf("%s\n", line);
	free(line);
	return CLI_OK;
}

/* ---- show ---- */

static int parse_id(const char *s, int64_t *id)
{
	long long v;

	if (s && *s == '#')
		s++;
	if (util_parse_ll(s, 1, INT64_MAX, &v) < 0)
		return -1;
	*id = v;
	return 0;
}

static void on_thread(void *arg, struct thread *t, const char *error)
{
	struct cli *c = arg;

	if (error) {
		snprintf(c->error, sizeof(c->error), "%s", error);
	} else {
		c->thread = *t;
		memset(t, 0, sizeof(*t));
		c->have_thread = true;
	}
	c->done = true;
}

static void print_time(fl_time t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];

	if (t && localtime_r(&tt, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &tm))
		fputs(buf, stdout);
	else
		fputs("?", stdout);
}

static int cmd_show(struct cli *c, int argc, char **argv, const char *token)
{
	const struct conversation *cv;
	size_t i;
	int64_t id;

	if (argc != 2 || parse_id(argv[1], &id) < 0) {
		fprintf(stderr, "usage: frontline show ID\n");
		return CLI_USAGE;
	}
	if (cli_start(c, token, false) < 0)
		return fail(c, CLI_FAILED);
	c->engine.ops->fetch_thread(c->engine.backend, id, on_thread, c);
	cli_wait(c);
	if (!c->have_thread)
		return fail(c, strstr(c->error, " 404 ") ? CLI_NOT_FOUND : CLI_FAILED);
	cv = &c->thread.conv;
	printf("#%lld  %s  ", (long long)cv->id, conv_state_word(cv->state));
	print_safe(stdout, cv->customer ? cv->customer : "?", false);
	fputs("\n", stdout);
	if (cv->title) {
		print_safe(stdout, cv->title, false);
		putchar('\n');
	}
	for (i = 0; i < c->thread.n_parts; i++) {
		const struct thread_part *p = &c->thread.parts[i];

		putchar('\n');
		print_time(p->at);
		fputs("  ", stdout);
		print_safe(stdout, p->author ? p->author : p->from_admin ? "agent" : "customer", false);
		if (strcmp(p->kind, "comment") && strcmp(p->kind, "source"))
			printf(" [%s]", p->kind);
		putchar('\n');
		if (p->body) {
			print_safe(stdout, p->body, true);
			putchar('\n');
		}
	}
	return CLI_OK;
}

/* ---- writes: stored in the outbox, then sent ---- */

static void on_done(void *arg, const char *error, bool ambiguous)
{
	struct cli *c = arg;

	snprintf(c->error, sizeof(c->error), "%s", error ? error : "");
	c->ambiguous = ambiguous;
	c->done = true;
}

static void on_item(void *arg, const struct outbox_item *it)
{
	struct cli *c = arg;
	size_t i;

	for (i = 0; i < c->n_items; i++)
		if (c->items[i].id == it->id) {
			c->items[i].state = it->state;
			if (it->error)
				snprintf(c->items[i].error, sizeof(c->items[i].error), "%s", it->error);
		}
}

/* Stores w in the outbox, watched. Returns 0, or -1 with c->error set. */
static int cli_submit(struct cli *c, const struct backend_write *w, const char *tag_name)
{
	char err[256];
	int64_t id;

	if (!c->engine.sender)
		c->engine.sender = sender_new(&c->engine, SENDER_SUBMITTED, 100);
	id = sender_submit(c->engine.sender, w, tag_name, on_item, c, err, sizeof(err));
	if (id < 0) {
		snprintf(c->error, sizeof(c->error), "%s", err);
		return -1;
	}
	c->items = xrealloc(c->items, (c->n_items + 1) * sizeof(*c->items));
	c->items[c->n_items++] = (struct cli_item){.id = id, .state = OUTBOX_PENDING};
	return 0;
}

static bool item_final(const struct cli_item *ci)
{
	return ci->withdrawn || ci->state == OUTBOX_SENT || ci->state == OUTBOX_FAILED ||
	       ci->state == OUTBOX_GONE;
}

static bool items_final(const struct cli *c)
{
	size_t i;

	for (i = 0; i < c->n_items; i++)
		if (!item_final(&c->items[i]))
			return false;
	return true;
}

/* Takes back from the outbox what has not gone and is not in flight: nothing is sent
 * behind the back of a command that said it failed. */
static void items_withdraw(struct cli *c)
{
	size_t i;

	for (i = 0; i < c->n_items; i++) {
		struct cli_item *ci = &c->items[i];
		enum outbox_state was = ci->state; /* not "gone": it was taken back */

		if (!item_final(ci) && sender_discard(c->engine.sender, ci->id) == 0) {
			ci->withdrawn = true;
			ci->state = was;
		}
	}
}

static void on_patience(void *arg)
{
	struct cli *c = arg;

	c->give_up = true;
}

/* Runs the loop until every item submitted is sent or failed, or, after the patience,
 * taken back; an item in flight at the end of the grace stays in the outbox (the next
 * sender checks it). Then waits for this process's requests to end. */
static void items_wait(struct cli *c)
{
	uint64_t patience = loop_timer_add(c->loop, SEND_PATIENCE_MS, on_patience, c);
	int64_t end = loop_now_ms() + SEND_PATIENCE_MS + SEND_GRACE_MS;

	while (!items_final(c) || sender_in_flight(c->engine.sender)) {
		if (c->give_up)
			items_withdraw(c);
		if (loop_now_ms() >= end ||
		    loop_run_once(c->loop, c->give_up ? 200 : -1) < 0)
			break;
	}
	if (!c->give_up)
		loop_timer_cancel(c->loop, patience);
}

/* The exit code for the items, with the first failure's message in c->error. */
static int items_outcome(struct cli *c)
{
	int code = CLI_OK;
	size_t i;

	for (i = 0; i < c->n_items; i++) {
		const struct cli_item *ci = &c->items[i];
		int this = CLI_OK;

		if (ci->state == OUTBOX_SENT)
			continue;
		if (ci->state == OUTBOX_GONE)
			snprintf(c->error, sizeof(c->error), "discarded from the outbox before it went");
		if (!item_final(ci) || (ci->withdrawn && ci->state == OUTBOX_AMBIGUOUS))
			this = CLI_UNSURE;
		else if (strstr(ci->error, " 404 "))
			this = CLI_NOT_FOUND;
		else
			this = CLI_FAILED;
		if (code == CLI_OK && ci->error[0])
			snprintf(c->error, sizeof(c->error), "%s", ci->error);
		if (code == CLI_OK || this == CLI_UNSURE)
			code = this;
	}
	if (code != CLI_OK && !c->error[0])
		snprintf(c->error, sizeof(c->error), "the backend could not be reached");
	return code;
}

/* Fetches the directory (the writes need the agent's id), sends what was submitted and
 * waits for it. An unreachable backend takes the items back at once. */
static int items_send(struct cli *c, const char *token)
{
	if (cli_start(c, token, false) < 0) {
		items_withdraw(c);
		/* another process of the agent's may be sending one already */
		if (items_final(c))
			return CLI_FAILED;
		c->error[0] = '\0';
	}
	items_wait(c);
	return items_outcome(c);
}

static char *read_all(int fd, size_t max)
{
	char *buf = xmalloc(max + 1);
	size_t len = 0;
	ssize_t n;

	while (len < max && (n = read(fd, buf + len, max - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

/* Writes the agent's text where it survives anything: state_dir/drafts, mode 0600.
 * Returns the file's path (the caller frees it), or NULL. */
static char *save_draft(const struct config *cfg, const char *what, int64_t id, const char *body)
{
	char *dir, *path;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int fd;
	size_t len = strlen(body);

	if (!cfg->state_dir)
		return NULL;
	dir = xasprintf("%s/drafts", cfg->state_dir);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
	path = xasprintf("%s/%s-%lld-%s.txt", dir, what, (long long)id, stamp);
	if (util_mkdir_p(dir, 0700) != 0 ||
	    (fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		free(dir);
		free(path);
		return NULL;
	}
	free(dir);
	if (write(fd, body, len) != (ssize_t)len || fsync(fd) != 0) {
		close(fd);
		unlink(path);
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

/* Runs $VISUAL or $EDITOR on path and waits for it. 0 on a clean exit. */
static int run_editor(const char *path)
{
	char *argv[] = {"/bin/sh", "-c", "exec ${VISUAL:-${EDITOR:-vi}} \"$1\"", "sh", (char *)path,
			NULL};
	pid_t pid;
	int status;

	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) != 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The reply's text: standard input when it is not a terminal, else the editor. */
static char *reply_text(const struct config *cfg, int64_t id)
{
	char *dir, *path, *text = NULL;
	int fd;

	if (!isatty(STDIN_FILENO))
		return read_all(STDIN_FILENO, BODY_MAX);
	dir = xasprintf("%s/drafts", cfg->state_dir);
	path = xasprintf("%s/editing-%lld.txt", dir, (long long)id);
	if (util_mkdir_p(dir, 0700) == 0 &&
	    (fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) >= 0) {
		close(fd);
		if (run_editor(path) == 0 && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			text = read_all(fd, BODY_MAX);
			close(fd);
		}
	}
	if (text && *text)
		unlink(path);
	else if (!text)
		fprintf(stderr, "%s: the editor failed; anything written is in %s\n",
			util_progname(), path);
	free(dir);
	free(path);
	return text;
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r')
			return false;
	return true;
}

/* A reply that did not go (code): says why, and keeps the text in drafts/ (then the
 * outbox forgets a failed copy) or, failing that, on stderr. */
static void reply_keep(struct cli *c, const struct backend_write *w, int code)
{
	const char *what = w->kind == WRITE_NOTE ? "note" : "reply";
	char *saved = save_draft(c->cfg, what, w->conversation, w->body);

	fprintf(stderr, "%s: %s\n", util_progname(), c->error);
	if (code == CLI_UNSURE && c->n_items && !item_final(&c->items[0]))
		fprintf(stderr, "%s: the %s is still on its way: it stays in the outbox, and the "
				"next frontline checks the conversation before sending it again\n",
			util_progname(), what);
	else if (code == CLI_UNSURE)
		fprintf(stderr, "%s: the answer was lost: the %s may or may not have been sent; "
				"check the conversation before sending it again\n",
			util_progname(), what);
	if (saved) {
		fprintf(stderr, "%s: your text is saved in %s\n", util_progname(), saved);
		if (c->n_items && c->items[0].state == OUTBOX_FAILED && !c->items[0].withdrawn)
			(void)sender_discard(c->engine.sender, c->items[0].id);
	} else {
		fprintf(stderr, "%s: could not save your text; here it is:\n%s\n", util_progname(),
			w->body);
	}
	free(saved);
}

static int cmd_reply(struct cli *c, int argc, char **argv, const char *token)
{
	static const struct option opts[] = {
		{"note", no_argument, NULL, 'n'}, {"queue", no_argument, NULL, 'Q'}, {0}};
	struct backend_write w = {.kind = WRITE_REPLY};
	bool queue = false;
	char *text;
	int ch, code;

	while ((ch = getopt_long(argc, argv, "n", opts, NULL)) != -1) {
		if (ch == 'n')
			w.kind = WRITE_NOTE;
		else if (ch == 'Q')
			queue = true;
		else
			return CLI_USAGE;
	}
	if (optind != argc - 1 || parse_id(argv[optind], &w.conversation) < 0) {
		fprintf(stderr, "usage: frontline reply [--note] [--queue] ID < text\n");
		return CLI_USAGE;
	}
	text = reply_text(c->cfg, w.conversation);
	/* The newline an editor or echo leaves at the end is not part of the message. */
	for (size_t n = text ? strlen(text) : 0; n > 0 && strchr(" \t\r\n", text[n - 1]); n--)
		text[n - 1] = '\0';
	if (!text || blank(text)) {
		fprintf(stderr, "%s: nothing to send: the text is empty\n", util_progname());
		free(text);
		return CLI_USAGE;
	}
	w.body = text;
	if (cli_setup(c, token) < 0 || cli_submit(c, &w, NULL) < 0)
		code = CLI_FAILED;
	else if (queue)
		code = CLI_OK;
	else
		code = items_send(c, token);
	if (code != CLI_OK)
		reply_keep(c, &w, code);
	else if (queue)
		printf("queued as outbox item %lld\n", (long long)c->items[0].id);
	free(text);
	return code;
}

/* ---- tag ---- */

static int cmd_tag(struct cli *c, int argc, char **argv, const char *token)
{
	const struct directory *d;
	int64_t id, *tags;
	int i, code;

	if (argc < 3 || parse_id(argv[1], &id) < 0) {
		fprintf(stderr, "usage: frontline tag ID +name -name ...\n");
		return CLI_USAGE;
	}
	for (i = 2; i < argc; i++)
		if ((argv[i][0] != '+' && argv[i][0] != '-') || !argv[i][1]) {
			fprintf(stderr, "%s: \"%s\": write +name to add a tag, -name to remove one\n",
				util_progname(), argv[i]);
			return CLI_USAGE;
		}
	if (cli_start(c, token, false) < 0)
		return fail(c, CLI_FAILED);
	/* Every name first: a tag to remove that does not exist changes nothing. */
	d = c->engine.dir;
	tags = xcalloc((size_t)argc, sizeof(*tags));
	for (i = 2; i < argc; i++) {
		tags[i] = directory_find(d->tags, d->n_tags, argv[i] + 1);
		if (!tags[i] && argv[i][0] == '-') {
			snprintf(c->error, sizeof(c->error), "no tag named \"%s\"", argv[i] + 1);
			free(tags);
			return fail(c, CLI_NOT_FOUND);
		}
	}
	/* A tag added that does not exist yet goes by name: the sender creates it. */
	for (i = 2; i < argc; i++) {
		struct backend_write w = {.kind = argv[i][0] == '+' ? WRITE_TAG : WRITE_UNTAG,
					  .conversation = id, .tag = tags[i]};

		if (cli_submit(c, &w, tags[i] ? NULL : argv[i] + 1) < 0) {
			free(tags);
			items_withdraw(c);
			return fail(c, CLI_FAILED);
		}
	}
	items_wait(c);
	code = items_outcome(c);
	for (i = 2; code == CLI_OK && i < argc; i++)
		if (!tags[i])
			fprintf(stderr, "%s: created the tag \"%s\"\n", util_progname(), argv[i] + 1);
	free(tags);
	if (code == CLI_UNSURE)
		fprintf(stderr, "%s: the answer was lost: a tag change may or may not have been made; "
				"check the conversation\n",
			util_progname());
	return code == CLI_OK ? CLI_OK : fail(c, code);
}

/* ---- outbox: what is waiting, and the agent's decisions on it ---- */

static struct outbox *cli_outbox(struct cli *c)
{
	char err[256];
	struct outbox *o;

	if (!c->cfg->state_dir) {
		snprintf(c->error, sizeof(c->error), "no state directory (set XDG_STATE_HOME or HOME)");
		return NULL;
	}
	o = outbox_open(c->cfg->state_dir, c->cfg->url, err, sizeof(err));
	if (!o)
		snprintf(c->error, sizeof(c->error), "%s", err);
	return o;
}

static json_t *item_json(const struct outbox_item *it)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:I, s:i, s:I, s:I}", "id", (json_int_t)it->id,
			      "state", outbox_state_word(it->state), "kind", outbox_kind_word(it->kind),
			      "conversation", (json_int_t)it->conversation, "attempts", it->attempts,
			      "created_at", (json_int_t)it->created_at, "first_attempt",
			      (json_int_t)it->first_attempt);

	json_object_set_new(j, "body", it->body ? json_string(it->body) : json_null());
	json_object_set_new(j, "error", it->error ? json_string(it->error) : json_null());
	if (it->kind == WRITE_TAG || it->kind == WRITE_UNTAG)
		json_object_set_new(j, "tag", it->tag_name ? json_string(it->tag_name)
							   : json_integer(it->tag));
	return j;
}

static void print_item(const struct outbox_item *it)
{
	printf("%-6lld %-9s %-9s #%-8lld %d tries  ", (long long)it->id,
	       outbox_state_word(it->state), outbox_kind_word(it->kind),
	       (long long)it->conversation, it->attempts);
	if (it->body) {
		char *line = xstrndup(it->body, strcspn(it->body, "\n"));

		if (strlen(line) > 60)
			line[60] = '\0';
		print_safe(stdout, line, false);
		free(line);
	} else if (it->tag_name) {
		print_safe(stdout, it->tag_name, false);
	} else if (it->tag) {
		printf("tag %lld", (long long)it->tag);
	}
	if (it->error) {
		fputs("\n       ", stdout);
		print_safe(stdout, it->error, false);
	}
	putchar('\n');
}

static int outbox_show(struct cli *c, bool json)
{
	struct outbox *o = cli_outbox(c);
	struct outbox_item *items;
	json_t *out = json ? json_array() : NULL;
	size_t i, n;

	if (!o || outbox_list(o, time(NULL), 0, &items, &n) < 0) {
		if (o)
			snprintf(c->error, sizeof(c->error), "cannot read %s", outbox_path(o));
		outbox_close(o);
		json_decref(out);
		return fail(c, CLI_FAILED);
	}
	for (i = 0; i < n; i++)
		if (json)
			json_array_append_new(out, item_json(&items[i]));
		else
			print_item(&items[i]);
	if (json) {
		json_dumpf(out, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(out);
	}
	outbox_items_free(items, n);
	outbox_close(o);
	return CLI_OK;
}

static int outbox_decide(struct cli *c, const char *verb, const char *arg)
{
	struct outbox *o;
	int64_t id;
	int rc;

	if (parse_id(arg, &id) < 0) {
		fprintf(stderr, "usage: frontline outbox %s ITEM\n", verb);
		return CLI_USAGE;
	}
	o = cli_outbox(c);
	if (!o)
		return fail(c, CLI_FAILED);
	rc = !strcmp(verb, "retry") ? outbox_retry(o, id) : outbox_discard(o, id);
	outbox_close(o);
	if (rc < 0)
		snprintf(c->error, sizeof(c->error), "cannot write the outbox");
	else if (rc > 0)
		snprintf(c->error, sizeof(c->error),
			 "outbox item %lld is not there, or is being sent right now", (long long)id);
	if (rc != 0)
		return fail(c, rc < 0 ? CLI_FAILED : CLI_NOT_FOUND);
	printf(!strcmp(verb, "retry") ? "outbox item %lld goes again\n"
				      : "outbox item %lld discarded\n",
	       (long long)id);
	return CLI_OK;
}

/* outbox send: sends everything that waits (also another process's, once it lets go of
 * the lock), and ends when nothing is left to send or at SIGINT/SIGTERM. */
static int outbox_send(struct cli *c, const char *token)
{
	struct outbox_counts counts;

	if (cli_setup(c, token) < 0)
		return fail(c, CLI_FAILED);
	if (loop_signal(c->loop, SIGINT, on_watch_signal, c) < 0 ||
	    loop_signal(c->loop, SIGTERM, on_watch_signal, c) < 0) {
		snprintf(c->error, sizeof(c->error), "cannot set up the event loop");
		return fail(c, CLI_FAILED);
	}
	c->engine.sender = sender_new(&c->engine, SENDER_ALL, 200);
	if (cli_start(c, token, false) < 0)
		return fail(c, CLI_FAILED);
	while (!c->done && !sender_idle(c->engine.sender))
		if (loop_run_once(c->loop, 200) < 0)
			break;
	if (sender_error(c->engine.sender)) {
		snprintf(c->error, sizeof(c->error), "%s", sender_error(c->engine.sender));
		return fail(c, CLI_FAILED);
	}
	if (sender_counts(c->engine.sender, &counts) < 0)
		return CLI_FAILED;
	printf("outbox: %zu to send, %zu failed\n", counts.pending, counts.failed);
	return counts.pending || counts.failed ? CLI_FAILED : CLI_OK;
}

static int cmd_outbox(struct cli *c, int argc, char **argv, const char *token)
{
	const char *verb = argc > 1 ? argv[1] : "list";

	if (!strcmp(verb, "list") || !strcmp(verb, "--json"))
		return outbox_show(c, !strcmp(verb, "--json") ||
					      (argc > 2 && !strcmp(argv[2], "--json")));
	if (!strcmp(verb, "send") && argc == 2)
		return outbox_send(c, token);
	if ((!strcmp(verb, "retry") || !strcmp(verb, "discard")) && argc == 3)
		return outbox_decide(c, verb, argv[2]);
	fprintf(stderr, "usage: frontline outbox [list [--json] | send | retry ITEM | discard ITEM]\n");
	return CLI_USAGE;
}

/* ---- articles ---- */

static void on_articles(void *arg, struct article *items, size_t n, const char *error)
{
	struct cli *c = arg;
	size_t i;

	snprintf(c->error, sizeof(c->error), "%s", error ? error : "");
	c->found = xcalloc(n, sizeof(*c->found));
	c->n_found = n;
	for (i = 0; i < n; i++) {
		c->found[i] = items[i];
		memset(&items[i], 0, sizeof(items[i]));
	}
	c->done = true;
}

static int cmd_articles(struct cli *c, int argc, char **argv, const char *token)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {0}};
	struct engine_listener l = {0};
	struct articles *index;
	char err[256], *path;
	bool json = false;
	int ch, n = 0, i;

	while ((ch = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		if (ch != 'j')
			return CLI_USAGE;
		json = true;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: frontline articles [--json] QUERY\n");
		return CLI_USAGE;
	}
	if (util_mkdir_p(c->cfg->state_dir, 0700) != 0) {
		snprintf(c->error, sizeof(c->error), "cannot create %s: %s", c->cfg->state_dir,
			 strerror(errno));
		return fail(c, CLI_FAILED);
	}
	path = xasprintf("%s/articles.db", c->cfg->state_dir);
	index = articles_open(path, err, sizeof(err));
	free(path);
	if (!index) {
		snprintf(c->error, sizeof(c->error), "%s", err);
		return fail(c, CLI_FAILED);
	}
	c->loop = loop_new();
	if (!c->loop || engine_init(&c->engine, c->cfg, c->loop, &intercom_backend, token, &l, err,
				    sizeof(err)) < 0) {
		if (c->loop)
			loop_free(c->loop);
		c->loop = NULL;
		articles_close(index);
		snprintf(c->error, sizeof(c->error), "%s", err);
		return fail(c, CLI_FAILED);
	}
	if (articles_count(index) == 0 ||
	    time(NULL) - articles_synced_at(index) >= c->cfg->article_refresh) {
		c->engine.ops->sync_articles(c->engine.backend, index, on_done, c);
		cli_wait(c);
		if (c->error[0])
			fprintf(stderr, "%s: could not refresh the help center: %s\n", util_progname(),
				c->error);
	}
	if (articles_count(index) > 0) {
		c->found = xcalloc(ARTICLE_RESULTS, sizeof(*c->found));
		n = articles_search(index, argv[optind], c->found, ARTICLE_RESULTS);
		c->n_found = n > 0 ? (size_t)n : 0;
	} else {
		/* Nothing local yet: the backend's own search. */
		c->engine.ops->search_articles(c->engine.backend, argv[optind], on_articles, c);
		cli_wait(c);
		n = c->error[0] ? -1 : (int)c->n_found;
	}
	articles_close(index);
	if (n < 0)
		return fail(c, CLI_FAILED);
	if (json) {
		json_t *out = json_array();

		for (i = 0; i < n; i++)
			json_array_append_new(
				out, json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)c->found[i].id,
					       "title", c->found[i].title ? c->found[i].title : "", "url",
					       c->found[i].url ? json_string(c->found[i].url) : json_null(),
					       "description",
					       c->found[i].description ? json_string(c->found[i].description)
								       : json_null()));
		json_dumpf(out, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(out);
		return CLI_OK;
	}
	for (i = 0; i < n; i++) {
		print_safe(stdout, c->found[i].title, false);
		if (c->found[i].url) {
			fputs("\n  ", stdout);
			print_safe(stdout, c->found[i].url, false);
		}
		putchar('\n');
	}
	return n > 0 ? CLI_OK : CLI_NOT_FOUND;
}

/* ---- dispatch ---- */

static const char *const commands[] = {"list", "status", "show",    "reply",
				       "tag",  "articles", "outbox"};

int cli_is_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i]))
			return 1;
	return 0;
}

int cli_run(int argc, char **argv, const struct config *cfg, const char *token)
{
	struct cli c = {.cfg = cfg};
	int code;

	optind = 1;
	if (!strcmp(argv[0], "list"))
		code = cmd_list(&c, argc, argv, token);
	else if (!strcmp(argv[0], "status"))
		code = cmd_status(&c, argc, argv, token);
	else if (!strcmp(argv[0], "show"))
		code = cmd_show(&c, argc, argv, token);
	else if (!strcmp(argv[0], "reply"))
		code = cmd_reply(&c, argc, argv, token);
	else if (!strcmp(argv[0], "tag"))
		code = cmd_tag(&c, argc, argv, token);
	else if (!strcmp(argv[0], "outbox"))
		code = cmd_outbox(&c, argc, argv, token);
	else
		code = cmd_articles(&c, argc, argv, token);
	cli_release(&c);
	return code;
}
