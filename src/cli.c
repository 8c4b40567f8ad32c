/* cli.c: frontline's scriptable subcommands (list, status, show, articles; reply, tag
 * and outbox are in cli-write.c, the table that dispatches them in cli-table.c): each
 * syncs what it needs on the event loop, prints, and exits with a code scripts can rely
 * on. Customer text is sanitised before it reaches a terminal; --json output is
 * JSON-escaped instead. */
#include "build-config.h"

#include "cli.h"
#include "cli-private.h"

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
#include "convsearch.h"
#include "customers.h"
#include "engine.h"
#include "loop.h"
#include "notify.h"
#include "text.h"
#include "query.h"
#include "util.h"

#define ARTICLE_RESULTS 10

static void on_synced(void *arg, const char *error)
{
	struct cli *c = arg;

	snprintf(c->error, sizeof(c->error), "%s", error ? error : "");
	c->done = true;
}

void cli_wait(struct cli *c)
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
int cli_setup(struct cli *c, const char *token)
{
	struct engine_listener l = {.arg = c, .synced = on_synced};
	char err[256];

	c->loop = loop_new();
	if (!c->loop) {
		snprintf(c->error, sizeof(c->error), "cannot set up the event loop");
		return -1;
	}
	if (engine_init(&c->engine, c->cfg, c->loop, token, &l, err,
			sizeof(err)) < 0) {
		snprintf(c->error, sizeof(c->error), "%s", err);
		return -1;
	}
	return 0;
}

int cli_start(struct cli *c, const char *token, bool sync)
{
	if (!c->loop && cli_setup(c, token) < 0)
		return -1;
	c->engine.directory_only = !sync;
	engine_start(&c->engine, false);
	cli_wait(c);
	/* A configured team the workspace lacks is a mistake in the configuration: the
	 * queue would stay empty. */
	if (sync && c->engine.team_unknown)
		snprintf(c->error, sizeof(c->error),
			 "correct teams = in the configuration (frontline.conf(5)): a team must "
			 "be one of the workspace's, by name or id");
	return c->error[0] ? -1 : 0;
}

int cli_start_fail(struct cli *c)
{
	return cli_fail(c, c->engine.team_unknown ? CLI_USAGE : CLI_FAILED);
}

void cli_release(struct cli *c)
{
	size_t i;

	if (c->loop) {
		engine_release(&c->engine);
		loop_free(c->loop);
	}
	if (c->have_thread)
		thread_release(&c->thread);
	customer_release(&c->customer);
	for (i = 0; i < c->n_found; i++)
		article_release(&c->found[i]);
	free(c->found);
	free(c->items);
	for (i = 0; i < c->n_convs; i++)
		conversation_release(&c->convs[i]);
	free(c->convs);
}

int cli_fail(struct cli *c, int code)
{
	fprintf(stderr, "%s: %s\n", util_progname(), c->error);
	return code;
}

void cli_print_safe(FILE *f, const char *s, bool keep_newlines)
{
	char *safe = text_sanitize(s, keep_newlines);

	fputs(safe, f);
	free(safe);
}

void cli_print_json(json_t *j)
{
	char *dumped = json_dumps(j, JSON_INDENT(2)), *inert;

	if (!dumped)
		die("out of memory");
	inert = text_json_inert(dumped);
	puts(inert);
	free(inert);
	free(dumped);
}

static const char *state_word(enum sla_state s)
{
	switch (s) {
	case SLA_PAUSED: return "paused";
	case SLA_UNKNOWN: return "unknown";
	case SLA_OK: return "ok";
	case SLA_WARNING: return "warning";
	case SLA_BREACHED: return "breached";
	default: return "-";
	}
}

/* The clock's state as list shows it: "waiting" when no clock runs because the
 * customer has been answered. */
static const char *entry_state_word(const struct store_entry *en)
{
	if (en->clock.state == SLA_NONE && conversation_waiting_on_customer(&en->conv))
		return "waiting";
	return state_word(en->clock.state);
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

/* The priority level and the backend's SLA, as list --json and show --json give them. */
static void sla_fields_set(json_t *j, const struct conversation *cv)
{
	json_object_set_new(j, "priority", json_string(priority_word(cv->priority)));
	json_object_set_new(j, "backend_sla", json_string(backend_sla_word(cv->backend_sla)));
	json_object_set_new(j, "sla_applied",
			    cv->backend_sla == BACKEND_SLA_NONE
				? json_null()
				: json_pack("{s:o, s:s}", "name",
					    cv->sla_name ? json_string(cv->sla_name) : json_null(),
					    "status", backend_sla_word(cv->backend_sla)));
}

/* What list --json tells of an entry's clock in its queue. */
static json_t *entry_clock_json(const struct engine *e, const struct store_entry *en)
{
	const struct conversation *cv = &en->conv;

	return json_pack("{s:s, s:o, s:o, s:o, s:s}", "queue", e->cfg->queues[en->queue].key, "sla",
			 en->clock.state == SLA_NONE && !conversation_waiting_on_customer(cv)
			     ? json_null()
			     : json_string(entry_state_word(en)),
			 "deadline",
			 en->clock.state >= SLA_OK ? json_integer(en->clock.deadline) : json_null(),
			 "left",
			 en->clock.state >= SLA_OK ? json_integer(clock_left(e, &en->clock))
						   : json_null(),
			 "kind",
			 en->clock.kind == SLA_KIND_FIRST  ? "first_response"
			 : en->clock.kind == SLA_KIND_NEXT ? "next_response"
							   : "none");
}

static json_t *entry_json(const struct engine *e, const struct store_entry *en)
{
	const struct conversation *cv = &en->conv;
	char *preview = conversation_preview(cv);
	const char *assignee;
	json_t *tags = json_array(), *j, *clock;
	size_t i;

	for (i = 0; i < cv->n_tags; i++) {
		const char *name = directory_name(e->dir->tags, e->dir->n_tags, cv->tag_ids[i]);

		json_array_append_new(tags, json_string(name ? name : ""));
	}
	j = json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:b, s:I}", "id", (json_int_t)cv->id, "state",
		      conv_state_word(cv->state), "customer",
		      cv->customer ? json_string(cv->customer) : json_null(), "title",
		      cv->title ? json_string(cv->title) : json_null(), "preview",
		      preview ? json_string(preview) : json_null(), "tags", tags, "unread",
		      !cv->read, "assignee", (json_int_t)cv->admin_assignee_id);
	free(preview);
	clock = entry_clock_json(e, en);
	json_object_update(j, clock);
	json_decref(clock);
	sla_fields_set(j, cv);
	assignee = cv->admin_assignee_id ? directory_name(e->dir->admins, e->dir->n_admins,
							  cv->admin_assignee_id)
					 : NULL;
	json_object_set_new(j, "assignee_name", assignee ? json_string(assignee) : json_null());
	json_object_set_new(j, "waiting_on_customer",
			    json_boolean(conversation_waiting_on_customer(cv)));
	json_object_set_new(j, "snoozed_until",
			    cv->state == CONV_SNOOZED && cv->snoozed_until
				? json_integer(cv->snoozed_until)
				: json_null());
	return j;
}

static void print_entry(const struct engine *e, const struct store_entry *en)
{
	const struct conversation *cv = &en->conv;
	char left[32] = "";

	if (en->clock.state >= SLA_OK)
		text_countdown(clock_left(e, &en->clock), left, sizeof(left));
	printf("%-10s %-8s %7s  #%-8lld ", e->cfg->queues[en->queue].key,
	       entry_state_word(en), left, (long long)cv->id);
	cli_print_safe(stdout, cv->customer ? cv->customer : "?", false);
	fputs(" — ", stdout);
	if (cv->title) {
		cli_print_safe(stdout, cv->title, false);
	} else {
		char *preview = conversation_preview(cv);

		cli_print_safe(stdout, preview ? preview : "", false);
		free(preview);
	}
	putchar('\n');
}

/* Whether list shows id in queue q: it is in the queue and matches the queue's filter =
 * (checked when the configuration was read; its clock terms need the queue's clock). */
static bool listed_in(struct cli *c, int64_t id, int q)
{
	const struct store_entry *en = store_get_in(c->engine.store, q, id);
	const struct directory *dir = c->engine.dir;
	struct query own;
	char err[200];

	if (!en)
		return false;
	if (query_parse(c->cfg->queues[q].filter, &own, err, sizeof(err)) < 0)
		return true;
	return query_match(&own, en, dir, dir ? dir->me : 0, engine_now(&c->engine));
}

static bool entry_listed_before(struct cli *c, int64_t id, int from, int q)
{
	int k;

	for (k = from; k < q; k++)
		if (listed_in(c, id, k))
			return true;
	return false;
}

int cli_cmd_list(struct cli *c, int argc, char **argv, const char *token)
{
	const char *queue = NULL;
	bool json = false;
	json_t *out = NULL;
	int ch, q, from = 0, to;

	while ((ch = cli_getopt(c, argc, argv)) != -1) {
		if (ch == 'q')
			queue = optarg;
		else if (ch == 'j')
			json = true;
		else
			return cli_usage(c);
	}
	if (cli_start(c, token, true) < 0)
		return cli_start_fail(c);
	to = (int)c->cfg->n_queues;
	if (queue) {
		from = engine_queue_find(&c->engine, queue);
		if (from < 0) {
			snprintf(c->error, sizeof(c->error), "no queue named \"%s\" in the configuration",
				 queue);
			return cli_fail(c, CLI_NOT_FOUND);
		}
		to = from + 1;
	}
	if (json)
		out = json_array();
	for (q = from; q < to; q++) {
		size_t i, n = store_queue_count(c->engine.store, q);

		for (i = 0; i < n; i++) {
			const struct store_entry *en = store_queue_at(c->engine.store, q, i);
			json_t *j, *queues;
			int k;

			if (!listed_in(c, en->conv.id, q))
				continue;
			if (!json) {
				print_entry(&c->engine, en);
				continue;
			}
			/* Once, under the first queue listed; "queues" gives each one's clock. */
			if (entry_listed_before(c, en->conv.id, from, q))
				continue;
			j = entry_json(&c->engine, en);
			queues = json_array();
			for (k = q; k < to; k++)
				if (listed_in(c, en->conv.id, k))
					json_array_append_new(
					    queues, entry_clock_json(&c->engine,
								     store_get_in(c->engine.store,
										  k, en->conv.id)));
			json_object_set_new(j, "queues", queues);
			json_array_append_new(out, j);
		}
	}
	if (json) {
		cli_print_json(out);
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
	/* Stale once a poll failed, or once answers are overdue while requests retry; the
	 * cache's, until the first poll has caught up. */
	if (e->catching_up)
		fprintf(f, " · cached: data %llds old (%s%s)",
			(long long)(time(NULL) - e->cached.saved_at),
			e->error[0] ? "offline: " : "catching up", e->error);
	else if (e->error[0] && engine_data_age(e) < 0)
		fprintf(f, " · offline: no data yet (%s)", e->error);
	else if (e->error[0] || engine_data_age(e) > 3 * engine_poll_interval(e) + 5)
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
		return cli_fail(c, CLI_FAILED);
	}
	/* BEL and OSC only to a terminal: stdout may be a pipe to a script. */
	notifier_set_terminal(w.notifier, STDERR_FILENO);
	watch_notify_status(&w);

	c->loop = loop_new();
	if (!c->loop || loop_signal(c->loop, SIGINT, on_watch_signal, c) < 0 ||
	    loop_signal(c->loop, SIGTERM, on_watch_signal, c) < 0) {
		snprintf(c->error, sizeof(c->error), "cannot set up the event loop");
		notifier_free(w.notifier);
		return cli_fail(c, CLI_FAILED);
	}
	if (engine_init(&c->engine, c->cfg, c->loop, token, &l, err,
			sizeof(err)) < 0) {
		snprintf(c->error, sizeof(c->error), "%s", err);
		notifier_free(w.notifier);
		return cli_fail(c, CLI_FAILED);
	}
	notifier_set_store(w.notifier, c->engine.store);
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

int cli_cmd_status(struct cli *c, int argc, char **argv, const char *token)
{
	char *line;
	int ch;

	while ((ch = cli_getopt(c, argc, argv)) != -1) {
		if (ch != 'w')
			return cli_usage(c);
		return watch_status(c, token);
	}
	if (cli_start(c, token, true) < 0)
		return cli_start_fail(c);
	line = status_line(&c->engine);
	printf("%s\n", line);
	free(line);
	return CLI_OK;
}

/* ---- show ---- */

int cli_parse_id(const char *s, int64_t *id)
{
	long long v;

	if (s && *s == '#')
		s++;
	if (util_parse_ll(s, 1, INT64_MAX, &v) < 0)
		return -1;
	*id = v;
	return 0;
}

static void on_thread(void *arg, struct thread *t, const struct result *r)
{
	struct cli *c = arg;

	if (r->cls != RESULT_OK) {
		snprintf(c->error, sizeof(c->error), "%s", r->message);
		c->error_status = r->status;
	} else {
		c->thread = *t;
		memset(t, 0, sizeof(*t));
		c->have_thread = true;
	}
	c->done = true;
}

int cli_fetch_thread(struct cli *c, int64_t id)
{
	c->done = false;
	engine_fetch_thread(&c->engine, id, on_thread, c);
	cli_wait(c);
	return c->have_thread ? 0 : -1;
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

/* Where the backend left parts out: how many, as a line of its own. */
static void print_gap(const struct thread *t)
{
	char *gap = thread_gap_text(t);

	if (gap)
		printf("\n[%s]\n", gap);
	free(gap);
}

static void on_customer(void *arg, struct customer *cu, const struct result *r)
{
	struct cli *c = arg;

	if (r->cls != RESULT_OK) {
		snprintf(c->customer_error, sizeof(c->customer_error), "%s", r->message);
		c->customer_unreachable = r->cls == RESULT_TRANSPORT || r->cls == RESULT_TRANSIENT;
	} else {
		c->customer = *cu;
		memset(cu, 0, sizeof(*cu));
	}
	c->done = true;
}

/* show's customer through the cache (customers.h): a fresh one is stored; when the
 * backend cannot be reached, the cached one (if any) takes its place, said on stderr.
 * The cache failing is said on stderr and changes nothing else. */
static void show_customer_cache(struct cli *c)
{
	char err[512];
	struct customer cached;
	struct customer_cache_info info;
	struct customer_cache *cc;
	int found;

	if (!c->cfg->state_dir || !c->thread.contact_id ||
	    (c->customer_error[0] && !c->customer_unreachable))
		return;
	cc = customer_cache_open(c->cfg->state_dir, c->cfg->url,
				 c->engine.dir ? c->engine.dir->me : 0, 0, err, sizeof(err));
	if (!cc) {
		fprintf(stderr, "%s: customers are not cached: %s\n", util_progname(), err);
		return;
	}
	if (!c->customer_error[0]) {
		if (customer_cache_put(cc, &c->customer, c->thread.conv.updated_at, time(NULL), err,
				       sizeof(err)) < 0)
			fprintf(stderr, "%s: %s\n", util_progname(), err);
		customer_cache_close(cc);
		return;
	}
	found = customer_cache_get(cc, c->thread.contact_id, &cached, &info, err, sizeof(err));
	if (found < 0)
		fprintf(stderr, "%s: %s\n", util_progname(), err);
	if (found > 0) {
		char *age = customer_cache_age_text(info.fetched_at, time(NULL));

		fprintf(stderr, "%s: the backend is unreachable (", util_progname());
		cli_print_safe(stderr, c->customer_error, false);
		fprintf(stderr, "); the customer is the cached one%s%s\n", age ? ", " : "",
			age ? age : "");
		free(age);
		customer_release(&c->customer);
		c->customer = cached;
		c->customer_error[0] = '\0';
		c->customer_cached_at = info.fetched_at;
	}
	customer_cache_close(cc);
}

/* The customer block of show: who, where, and the earlier conversations, newest first. */
static void print_customer(const struct cli *c)
{
	const struct customer *cu = &c->customer;
	const char *labels[] = {"Name", "Email", "Company", "Plan", "City", "Region", "Country"};
	const char *values[] = {cu->name, cu->email, cu->company, cu->plan,
				cu->city, cu->region, cu->country};
	size_t i;

	fputs("\nCustomer\n", stdout);
	if (c->customer_error[0]) {
		fputs("  unknown: ", stdout);
		cli_print_safe(stdout, c->customer_error, false);
		putchar('\n');
		return;
	}
	if (cu->missing) {
		fputs("  the contact was deleted (the backend has no such contact)\n", stdout);
		return;
	}
	char *zone = customer_time_zone(cu->city), *local = customer_local_time(zone, time(NULL));

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (!values[i] || !*values[i])
			continue;
		printf("  %-9s", labels[i]);
		cli_print_safe(stdout, values[i], false);
		putchar('\n');
	}
	if (local)
		printf("  %-9s%s (%s, from the city)\n", "Local", local, zone);
	free(zone);
	free(local);
	for (i = 0; i < cu->n_tags; i++) {
		fputs(i ? ", " : "  Tags     ", stdout);
		cli_print_safe(stdout, cu->tags[i], false);
		if (i + 1 == cu->n_tags)
			putchar('\n');
	}
	for (i = 0; i < cu->n_previous; i++) {
		const struct customer_conversation *p = &cu->previous[i];

		if (p->id == c->thread.conv.id)
			continue;
		printf("  previous #%lld  %s  ", (long long)p->id, conv_state_word(p->state));
		print_time(p->created_at);
		fputs("  ", stdout);
		cli_print_safe(stdout, p->title ? p->title : "", false);
		putchar('\n');
	}
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* show --json: the conversation, its parts and its customer. */
static json_t *show_json(const struct cli *c)
{
	const struct conversation *cv = &c->thread.conv;
	const struct customer *cu = &c->customer;
	json_t *parts = json_array(), *previous = json_array(), *customer, *tags, *j;
	char *zone, *local;
	size_t i;

	for (i = 0; i < c->thread.n_parts; i++) {
		const struct thread_part *p = &c->thread.parts[i];

		char *event = thread_part_is_message(p) ? NULL : thread_event_text(&c->thread, i,
										    c->engine.dir);

		json_array_append_new(parts, json_pack("{s:s, s:o, s:b, s:I, s:o, s:o}", "kind", p->kind,
						       "author", string_or_null(p->author),
						       "from_admin", p->from_admin, "at",
						       (json_int_t)p->at, "body", string_or_null(p->body),
						       "event", string_or_null(event)));
		free(event);
	}
	for (i = 0; i < cu->n_previous; i++)
		if (cu->previous[i].id != cv->id)
			json_array_append_new(
			    previous, json_pack("{s:I, s:s, s:I, s:o}", "id",
						(json_int_t)cu->previous[i].id, "state",
						conv_state_word(cu->previous[i].state), "created_at",
						(json_int_t)cu->previous[i].created_at, "title",
						string_or_null(cu->previous[i].title)));
	customer = json_pack(
	    "{s:o, s:b, s:o, s:o, s:o, s:o, s:{s:o, s:o, s:o}, s:o, s:o}", "id",
	    string_or_null(c->thread.contact_id), "deleted", cu->missing, "name",
	    string_or_null(cu->name), "email", string_or_null(cu->email), "company",
	    string_or_null(cu->company), "plan", string_or_null(cu->plan), "location", "city",
	    string_or_null(cu->city), "region", string_or_null(cu->region), "country",
	    string_or_null(cu->country), "previous_conversations", previous, "error",
	    c->customer_error[0] ? json_string(c->customer_error) : json_null());
	zone = customer_time_zone(cu->city);
	local = customer_local_time(zone, time(NULL));
	json_object_set_new(customer, "time_zone", string_or_null(zone));
	json_object_set_new(customer, "local_time", string_or_null(local));
	tags = json_array();
	for (i = 0; i < cu->n_tags; i++)
		json_array_append_new(tags, json_string(cu->tags[i]));
	json_object_set_new(customer, "tags", tags);
	json_object_set_new(customer, "cached_at",
			    c->customer_cached_at ? json_integer((json_int_t)c->customer_cached_at)
						  : json_null());
	free(zone);
	free(local);
	j = json_pack("{s:I, s:s, s:o, s:I, s:I, s:o, s:o}", "id", (json_int_t)cv->id, "state",
		      conv_state_word(cv->state), "title", string_or_null(cv->title), "created_at",
		      (json_int_t)cv->created_at, "updated_at", (json_int_t)cv->updated_at, "parts",
		      parts, "customer", customer);
	sla_fields_set(j, cv);
	return j;
}

int cli_cmd_show(struct cli *c, int argc, char **argv, const char *token)
{
	const struct conversation *cv;
	char *summary;
	size_t i;
	int64_t id;
	bool json = argc == 3 && !strcmp(argv[2], "--json");

	if ((argc != 2 && !json) || cli_parse_id(argv[1], &id) < 0)
		return cli_usage(c);
	if (cli_start(c, token, false) < 0)
		return cli_fail(c, CLI_FAILED);
	if (cli_fetch_thread(c, id) < 0)
		return cli_fail(c, c->error_status == 404 ? CLI_NOT_FOUND : CLI_FAILED);
	c->done = false;
	engine_fetch_customer(&c->engine, c->thread.contact_id, on_customer, c);
	cli_wait(c);
	show_customer_cache(c);
	if (json) {
		json_t *j = show_json(c);

		cli_print_json(j);
		json_decref(j);
		return CLI_OK;
	}
	cv = &c->thread.conv;
	printf("#%lld  %s  ", (long long)cv->id, conv_state_word(cv->state));
	cli_print_safe(stdout, cv->customer ? cv->customer : "?", false);
	fputs("\n", stdout);
	if (cv->title) {
		cli_print_safe(stdout, cv->title, false);
		putchar('\n');
	}
	summary = conversation_sla_summary(cv);
	if (summary) {
		cli_print_safe(stdout, summary, false);
		putchar('\n');
		free(summary);
	}
	for (i = 0; i < c->thread.n_parts; i++) {
		const struct thread_part *p = &c->thread.parts[i];

		if (i == thread_gap_index(&c->thread))
			print_gap(&c->thread);
		putchar('\n');
		print_time(p->at);
		fputs("  ", stdout);
		if (!strcmp(p->kind, "comment") || !strcmp(p->kind, "source")) {
			cli_print_safe(stdout, p->author ? p->author : p->from_admin ? "agent" : "customer",
				       false);
		} else if (!strcmp(p->kind, "note")) {
			cli_print_safe(stdout, p->author ? p->author : "agent", false);
			fputs(" [note]", stdout);
		} else {
			char *event = thread_event_text(&c->thread, i, c->engine.dir);

			cli_print_safe(stdout, event, false);
			free(event);
		}
		putchar('\n');
		if (p->body) {
			cli_print_safe(stdout, p->body, true);
			putchar('\n');
		}
	}
	if (thread_gap_index(&c->thread) >= c->thread.n_parts)
		print_gap(&c->thread);
	print_customer(c);
	return CLI_OK;
}

/* ---- articles ---- */

static void on_done(void *arg, const struct result *r)
{
	struct cli *c = arg;

	snprintf(c->error, sizeof(c->error), "%s", r->cls == RESULT_OK ? "" : r->message);
	c->ambiguous = r->ambiguous;
	c->done = true;
}

static void on_articles(void *arg, struct article *items, size_t n, const struct result *r)
{
	struct cli *c = arg;
	size_t i;

	snprintf(c->error, sizeof(c->error), "%s", r->cls == RESULT_OK ? "" : r->message);
	c->found = xcalloc(n, sizeof(*c->found));
	c->n_found = n;
	for (i = 0; i < n; i++) {
		c->found[i] = items[i];
		memset(&items[i], 0, sizeof(items[i]));
	}
	c->done = true;
}

/* Reads [--json] and one operand, argv[optind]: false when argv is not that. */
static bool json_and_query(struct cli *c, int argc, char **argv, bool *json)
{
	int ch;

	while ((ch = cli_getopt(c, argc, argv)) != -1) {
		if (ch != 'j')
			return false;
		*json = true;
	}
	return optind == argc - 1;
}

int cli_cmd_articles(struct cli *c, int argc, char **argv, const char *token)
{
	struct engine_listener l = {0};
	struct articles *index;
	char err[256], *path;
	bool json = false;
	int n = 0, i;

	if (!json_and_query(c, argc, argv, &json))
		return cli_usage(c);
	if (util_mkdir_p(c->cfg->state_dir, 0700) != 0) {
		snprintf(c->error, sizeof(c->error), "cannot create %s: %s", c->cfg->state_dir,
			 strerror(errno));
		return cli_fail(c, CLI_FAILED);
	}
	path = xasprintf("%s/articles.db", c->cfg->state_dir);
	index = articles_open(path, err, sizeof(err));
	free(path);
	if (!index) {
		snprintf(c->error, sizeof(c->error), "%s", err);
		return cli_fail(c, CLI_FAILED);
	}
	c->loop = loop_new();
	if (!c->loop || engine_init(&c->engine, c->cfg, c->loop, token, &l, err,
				    sizeof(err)) < 0) {
		if (c->loop)
			loop_free(c->loop);
		c->loop = NULL;
		articles_close(index);
		snprintf(c->error, sizeof(c->error), "%s", err);
		return cli_fail(c, CLI_FAILED);
	}
	if (articles_count(index) == 0 ||
	    time(NULL) - articles_synced_at(index) >= c->cfg->article_refresh) {
		engine_sync_articles(&c->engine, index, on_done, c);
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
		engine_search_articles(&c->engine, argv[optind], on_articles, c);
		cli_wait(c);
		n = c->error[0] ? -1 : (int)c->n_found;
	}
	articles_close(index);
	if (n < 0)
		return cli_fail(c, CLI_FAILED);
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
		cli_print_json(out);
		json_decref(out);
		return CLI_OK;
	}
	for (i = 0; i < n; i++) {
		cli_print_safe(stdout, c->found[i].title, false);
		if (c->found[i].url) {
			fputs("\n  ", stdout);
			cli_print_safe(stdout, c->found[i].url, false);
		}
		putchar('\n');
	}
	return n > 0 ? CLI_OK : CLI_NOT_FOUND;
}

/* ---- search: every conversation of the backend ---- */

/* At most this many results: one page of the backend's search. */
#define SEARCH_RESULTS 50

static void on_search(void *arg, struct conversation *items, size_t n, size_t total,
		      const struct result *r)
{
	struct cli *c = arg;

	snprintf(c->error, sizeof(c->error), "%s", r->cls == RESULT_OK ? "" : r->message);
	c->error_status = r->status;
	c->convs = xcalloc(n ? n : 1, sizeof(*c->convs));
	c->n_convs = n;
	c->total_convs = total;
	for (size_t i = 0; i < n; i++) {
		c->convs[i] = items[i];
		memset(&items[i], 0, sizeof(items[i]));
	}
	c->done = true;
}

static json_t *search_result_json(const struct engine *e, const struct conversation *cv)
{
	char *preview = conversation_preview(cv);
	json_t *tags = json_array(), *j;

	for (size_t i = 0; i < cv->n_tags; i++) {
		const char *name = directory_name(e->dir->tags, e->dir->n_tags, cv->tag_ids[i]);

		json_array_append_new(tags, json_string(name ? name : ""));
	}
	j = json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:b, s:I, s:I, s:I}", "id",
		      (json_int_t)cv->id, "state", conv_state_word(cv->state), "customer",
		      cv->customer ? json_string(cv->customer) : json_null(), "title",
		      cv->title ? json_string(cv->title) : json_null(), "preview",
		      preview ? json_string(preview) : json_null(), "tags", tags, "unread", !cv->read,
		      "assignee", (json_int_t)cv->admin_assignee_id, "team",
		      (json_int_t)cv->team_assignee_id, "updated_at", (json_int_t)cv->updated_at);
	free(preview);
	json_object_set_new(j, "priority", json_string(priority_word(cv->priority)));
	return j;
}

int cli_cmd_search(struct cli *c, int argc, char **argv, const char *token)
{
	struct convsearch q;
	bool json = false;

	if (!json_and_query(c, argc, argv, &json))
		return cli_usage(c);
	if (convsearch_parse(argv[optind], &q, c->error, sizeof(c->error)) < 0)
		return cli_fail(c, CLI_USAGE);
	if (cli_start(c, token, false) < 0)
		return cli_fail(c, CLI_FAILED);
	engine_search_conversations(&c->engine, &q, SEARCH_RESULTS, on_search, c);
	cli_wait(c);
	if (c->error[0] && c->error_status == 400) {
		fprintf(stderr, "%s: the backend refused the search (%s); change the query\n",
			util_progname(), c->error);
		return CLI_USAGE;
	}
	if (c->error[0])
		return cli_fail(c, CLI_FAILED);
	if (json) {
		json_t *out = json_array();

		for (size_t i = 0; i < c->n_convs; i++)
			json_array_append_new(out, search_result_json(&c->engine, &c->convs[i]));
		cli_print_json(out);
		json_decref(out);
		return CLI_OK;
	}
	for (size_t i = 0; i < c->n_convs; i++) {
		const struct conversation *cv = &c->convs[i];
		char *preview = cv->title ? NULL : conversation_preview(cv);

		printf("#%-8lld %-7s ", (long long)cv->id, conv_state_word(cv->state));
		cli_print_safe(stdout, cv->customer ? cv->customer : "?", false);
		fputs(" — ", stdout);
		cli_print_safe(stdout, cv->title ? cv->title : preview ? preview : "", false);
		putchar('\n');
		free(preview);
	}
	if (c->n_convs == 0) {
		fprintf(stderr, "%s: no conversation matches\n", util_progname());
		return CLI_NOT_FOUND;
	}
	if (c->total_convs > c->n_convs)
		fprintf(stderr, "%s: %zu of %zu matches shown; narrow the search to see the others\n",
			util_progname(), c->n_convs, c->total_convs);
	return CLI_OK;
}

/* ---- whoami: the admin frontline acts as, and why ---- */

void cli_agent_warn(const struct cli *c)
{
	const struct directory *d = c->engine.dir;

	if (!d || !d->me || (!d->me_away && !d->me_bot))
		return;
	fprintf(stderr, "%s: warning: acting as ", util_progname());
	cli_print_safe(stderr, d->me_name ? d->me_name : "an admin", false);
	if (d->me_bot)
		fputs(", a bot: its replies to email conversations are stored but never sent to "
		      "the customer",
		      stderr);
	else
		fputs(", who is away", stderr);
	fputc('\n', stderr);
}

static const char *const source_words[] = {
    [DIRECTORY_AGENT_NONE] = "none",
    [DIRECTORY_AGENT_CONFIG] = "config",
    [DIRECTORY_AGENT_ENV] = "env",
    [DIRECTORY_AGENT_OWNER] = "owner",
    [DIRECTORY_AGENT_TOKEN] = "token",
};

int cli_cmd_whoami(struct cli *c, int argc, char **argv, const char *token)
{
	const struct directory *d;
	bool json = false;
	int ch;

	while ((ch = cli_getopt(c, argc, argv)) != -1) {
		if (ch == 'j')
			json = true;
		else
			return cli_usage(c);
	}
	if (optind != argc)
		return cli_usage(c);
	if (cli_start(c, token, false) < 0)
		return cli_fail(c, CLI_FAILED);
	d = c->engine.dir;
	if (json) {
		json_t *out = json_pack(
		    "{s:o, s:o, s:o, s:s, s:s, s:b, s:b, s:o}", "id",
		    d->me ? json_integer((json_int_t)d->me) : json_null(), "name",
		    d->me && d->me_name ? json_string(d->me_name) : json_null(), "email",
		    d->me && d->me_email ? json_string(d->me_email) : json_null(), "source",
		    source_words[d->me_source], "why", directory_agent_why(d), "away",
		    d->me && d->me_away, "bot", d->me && d->me_bot, "refusal",
		    d->me_refusal ? json_string(d->me_refusal) : json_null());

		json_dumpf(out, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(out);
	} else if (d->me) {
		cli_print_safe(stdout, d->me_name ? d->me_name : "", false);
		fputs(" <", stdout);
		cli_print_safe(stdout, d->me_email ? d->me_email : "no email", false);
		printf(">, admin %lld%s%s\n  why: %s\n", (long long)d->me, d->me_away ? ", away" : "",
		       d->me_bot ? ", a bot" : "", directory_agent_why(d));
	} else {
		printf("nobody\n  why: %s\n", directory_agent_why(d));
	}
	cli_agent_warn(c);
	if (!d->me) {
		snprintf(c->error, sizeof(c->error), "%s", d->me_refusal ? d->me_refusal : "");
		return cli_fail(c, CLI_FAILED);
	}
	return CLI_OK;
}
