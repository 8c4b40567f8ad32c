/* cli-report.c: frontline report: how fast the conversations created in a range got their
 * first reply, per queue and per agent, from the backend's conversations (closed ones
 * too) and their statistics, on each queue's clock (its business hours and targets). */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <jansson.h>

#include "cli-private.h"
#include "report.h"
#include "reportcache.h"
#include "sla.h"
#include "text.h"
#include "util.h"

/* Without a terminal on stderr, a progress line every this many pages. */
#define PROGRESS_PAGES 10
#define BAR_WIDTH      30

/* How a first reply is credited to a teammate (frontline(1) says the same). */
static const char credit_note[] =
    "a first reply is credited to the teammate who sent it where the conversation's parts "
    "were read, else (the statistics alone, which do not say who replied) to the "
    "conversation's current assignee";

/* Conversations whose parts are fetched at once (each one request of the rate limit). */
#define THREADS_AT_ONCE 8

/* Searches running at once over slices of the range, each with its own cursor: the
 * backend answers one while the last is parsed. */
#define REPORT_SLICES 4
/* Fewer conversations expected than this, one search. */
#define SLICE_MIN 300

struct report_run;

/* One part of the range [since, until) paged by its own search. */
struct report_slice {
	struct report_run *run;
	fl_time since, until;
	char *cursor;
	size_t total;
	bool started, last;
};

struct report_run {
	struct cli *c;
	fl_time since, until;
	fl_time after;	/* > 0: only the conversations updated after it (the cache has the rest) */
	fl_time newest; /* the latest updated_at fetched */
	struct conversation *convs;
	size_t n, cap;
	struct report_slice slices[REPORT_SLICES];
	size_t n_slices, running, pages;
	bool tty;
};

struct agent_group {
	int64_t id;
	struct report_group first, next;
};

static void on_page(void *arg, struct conversation *items, size_t n, const char *next, size_t total,
		    const struct result *r);

static void slice_request(struct report_slice *sl)
{
	struct report_run *run = sl->run;

	run->running++;
	engine_report_page(&run->c->engine, sl->since, sl->until, run->after, sl->cursor, on_page,
			   sl);
}

static void progress(const struct report_run *run)
{
	size_t i, total = 0;

	for (i = 0; i < run->n_slices; i++) {
		if (!run->slices[i].started)
			return; /* the whole is not known yet */
		total += run->slices[i].total;
	}
	/* A conversation in the second where two slices meet is in both searches' totals
	 * (the backend's "<" lets its own second in), so with slices the total is an upper
	 * bound. */
	if (run->tty)
		fprintf(stderr, "\r%s: page %zu, %zu of %s%zu conversations\033[K", util_progname(),
			run->pages, run->n, run->n_slices > 1 ? "about " : "", total);
	else if (run->pages % PROGRESS_PAGES == 0)
		fprintf(stderr, "%s: page %zu, %zu of %s%zu conversations\n", util_progname(),
			run->pages, run->n, run->n_slices > 1 ? "about " : "", total);
}

static void on_page(void *arg, struct conversation *items, size_t n, const char *next, size_t total,
		    const struct result *r)
{
	struct report_slice *sl = arg;
	struct report_run *run = sl->run;
	struct cli *c = run->c;
	size_t i;

	run->running--;
	if (r->cls != RESULT_OK && !c->error[0]) {
		snprintf(c->error, sizeof(c->error), "%s",
			 r->message ? r->message : "the search failed");
		c->error_status = r->status;
	}
	xgrow(&run->convs, &run->cap, run->n + n, sizeof(*run->convs));
	for (i = 0; i < n; i++) {
		/* no figure reads the opening message: 100,000 of them would be 100 MB */
		free(items[i].body);
		items[i].body = NULL;
		if (items[i].updated_at > run->newest)
			run->newest = items[i].updated_at;
		run->convs[run->n++] = items[i];
		memset(&items[i], 0, sizeof(items[i]));
	}
	/* A cursor that comes back would page for ever. */
	if (!c->error[0] && next && sl->cursor && !strcmp(next, sl->cursor))
		snprintf(c->error, sizeof(c->error),
			 "the backend's search gave the same page's cursor again; its pages "
			 "never end");
	free(sl->cursor);
	sl->cursor = next ? xstrdup(next) : NULL;
	sl->last = !next;
	if (!sl->started)
		sl->total = total;
	sl->started = true;
	run->pages++;
	if (!c->error[0] && !sl->last)
		slice_request(sl);
	/* Whichever slice's page it was, the last one or not: more to come is what counts. */
	if (!c->error[0] && run->running)
		progress(run);
	if (!run->running)
		c->done = true;
}

static int by_time(const void *a, const void *b)
{
	fl_time x = *(const fl_time *)a, y = *(const fl_time *)b;

	return (x > y) - (x < y);
}

/* The slices of the range: where the cache tells which conversations will come back
 * (those it holds updated after run->after), equal numbers of them in each; else equal
 * spans of time. */
static void slices_plan(struct report_run *run, const struct conversation *cached, size_t n)
{
	fl_time *created = xcalloc(n + 1, sizeof(*created)), span;
	size_t m = 0, i, k = REPORT_SLICES;

	for (i = 0; run->after > 0 && i < n; i++)
		if (cached[i].updated_at > run->after)
			created[m++] = cached[i].created_at;
	if (run->after > 0 && m < SLICE_MIN)
		k = 1;
	run->n_slices = k;
	qsort(created, m, sizeof(*created), by_time);
	span = (run->until - run->since) / (fl_time)k;
	for (i = 0; i < k; i++) {
		struct report_slice *sl = &run->slices[i];

		memset(sl, 0, sizeof(*sl));
		sl->run = run;
		sl->since = i == 0 ? run->since
			    : m	   ? created[m * i / k]
				   : run->since + span * (fl_time)i;
		sl->until = run->until;
		if (i > 0)
			run->slices[i - 1].until = sl->since;
	}
	free(created);
}

/* Every page of the range; 0, or -1 with c->error set. */
static int fetch_all(struct report_run *run, const struct conversation *cached, size_t n)
{
	size_t i;

	slices_plan(run, cached, n);
	for (i = 0; i < run->n_slices; i++)
		if (run->slices[i].since < run->slices[i].until)
			slice_request(&run->slices[i]);
		else
			run->slices[i].started = run->slices[i].last = true;
	if (run->running)
		cli_wait(run->c);
	if (run->tty && run->pages > 1)
		fprintf(stderr, "\r\033[K");
	for (i = 0; i < run->n_slices; i++)
		free(run->slices[i].cursor);
	return run->c->error[0] ? -1 : 0;
}

/* The cached conversations of the range, and from when the backend must be asked again
 * (run->after, less the overlap the search index may lag by), into *cached; the cache, or
 * NULL when there is none to use (said on stderr). fresh: ask for everything. */
static struct report_cache *cache_read(struct report_run *run, bool fresh,
				       struct conversation **cached, size_t *n, size_t *cap)
{
	struct cli *c = run->c;
	char err[512];
	fl_time mark = 0;
	int found = 0;
	struct report_cache *rc;

	if (!c->cfg->state_dir)
		return NULL;
	rc = report_cache_open(c->cfg->state_dir, c->cfg->url, c->engine.dir->me, err, sizeof(err));
	if (rc && !fresh &&
	    ((found = report_cache_watermark(rc, run->since, run->until, &mark, err, sizeof(err))) <
		 0 ||
	     (found > 0 && report_cache_get(rc, run->since, run->until, cached, n, cap, err,
					    sizeof(err)) < 0))) {
		report_cache_close(rc);
		rc = NULL;
	}
	if (!rc) {
		fprintf(stderr, "%s: the report is not cached, every conversation is fetched: %s\n",
			util_progname(), err);
		return NULL;
	}
	if (found > 0 && mark - c->cfg->poll_overlap > 0)
		run->after = mark - c->cfg->poll_overlap;
	else
		while (*n)
			conversation_release(&(*cached)[--*n]);
	run->newest = mark;
	return rc;
}

/* The fetched changes stored; the cached conversations no change replaced, added to the
 * run's. A fetched record the cache holds with the same updated_at (the search's overlap
 * asks again for what may have been missed) is not written again. */
static void cache_merge(struct report_run *run, struct report_cache *rc,
			struct conversation *cached, size_t n)
{
	char err[512];
	GHashTable *known = g_hash_table_new(g_int64_hash, g_int64_equal);
	size_t i, changed = 0;

	for (i = 0; i < n; i++)
		g_hash_table_insert(known, &cached[i].id, &cached[i]);
	/* the changed records first, so one call stores them */
	for (i = 0; i < run->n; i++) {
		const struct conversation *was = g_hash_table_lookup(known, &run->convs[i].id);

		if (!was || was->updated_at != run->convs[i].updated_at) {
			struct conversation t = run->convs[changed];

			run->convs[changed++] = run->convs[i];
			run->convs[i] = t;
		}
	}
	if (report_cache_put(rc, run->since, run->until, run->convs, changed, run->newest, err,
			     sizeof(err)) < 0)
		fprintf(stderr, "%s: the report is not cached: %s\n", util_progname(), err);
	g_hash_table_remove_all(known);
	xgrow(&run->convs, &run->cap, run->n + n, sizeof(*run->convs)); /* before the keys */
	for (i = 0; i < run->n; i++)
		g_hash_table_add(known, &run->convs[i].id);
	for (i = 0; i < n; i++) {
		if (g_hash_table_contains(known, &cached[i].id))
			conversation_release(&cached[i]);
		else
			run->convs[run->n++] = cached[i];
	}
	g_hash_table_destroy(known);
}

/* Whether text can be drawn with Unicode blocks: no --ascii, no NO_COLOR, a UTF-8 locale
 * (LC_ALL, else LC_CTYPE, else LANG). */
static bool unicode_ok(bool ascii)
{
	const char *names[] = {"LC_ALL", "LC_CTYPE", "LANG"}, *v = NULL, *no_color;
	size_t i;

	no_color = getenv("NO_COLOR");
	if (ascii || (no_color && *no_color))
		return false;
	for (i = 0; i < 3 && !(v && *v); i++)
		v = getenv(names[i]);
	return v && (strcasestr(v, "UTF-8") || strcasestr(v, "utf8"));
}

/* The conversations of a group: those it counted, else one a sample or unanswered. */
static size_t group_conversations(const struct report_group *g)
{
	return g->conversations ? g->conversations : g->n + g->unanswered;
}

static json_t *group_json(const struct report_group *g, int64_t target)
{
	json_t *longest = json_array(), *hours = json_array(), *bins = json_array(), *j;
	size_t counts[REPORT_BINS], i;
	int64_t width = target > 0 ? report_histogram(g->samples, g->n, target, counts) : 0;

	for (i = 0; i < g->n_longest; i++)
		json_array_append_new(longest, json_integer(g->longest[i]));
	for (i = 0; i < REPORT_HOURS; i++)
		if (g->hour_total[i])
			json_array_append_new(
			    hours, json_pack("{s:i, s:I, s:I}", "hour", (int)i, "replied",
					     (json_int_t)g->hour_total[i], "within_target",
					     (json_int_t)g->hour_within[i]));
	for (i = 0; target > 0 && i < REPORT_BINS; i++)
		json_array_append_new(bins, json_integer((json_int_t)counts[i]));
	j = json_pack("{s:I, s:I, s:I, s:o, s:o, s:I, s:o, s:I, s:o, s:o}", "conversations",
		      (json_int_t)group_conversations(g), "replied", (json_int_t)g->n, "unanswered",
		      (json_int_t)g->unanswered, "median",
		      g->n ? json_integer(g->median) : json_null(), "p90",
		      g->n ? json_integer(g->p90) : json_null(), "within_target",
		      (json_int_t)g->within, "share_within_target",
		      g->n ? json_real((double)g->within / (double)g->n) : json_null(), "breaches",
		      (json_int_t)g->breaches, "longest", longest, "by_hour", hours);
	if (target > 0)
		json_object_set_new(
		    j, "histogram",
		    json_pack("{s:I, s:o}", "bin_seconds", (json_int_t)width, "counts", bins));
	else
		json_decref(bins);
	return j;
}

/* The characters of UTF-8 text s: the cells a bar takes. */
static size_t cells(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* name in a column of width characters: cut on a character boundary (an ellipsis, or
 * "~" without Unicode, marks the cut) and padded by characters, not bytes, so "Zoë
 * Martin" keeps the columns. */
static void print_name_column(const char *name, size_t width, bool unicode)
{
	size_t n = cells(name), kept = 0;
	const char *p = name;

	if (n > width) {
		while (*p && kept < width - 1) {
			p++;
			if (((unsigned char)*p & 0xC0) != 0x80)
				kept++;
		}
		printf("%.*s%s", (int)(p - name), name, unicode ? "\u2026" : "~");
		return;
	}
	printf("%s%*s", name, (int)(width - n), "");
}

static void print_row(const char *name, const struct report_group *g, bool unicode)
{
	char med[16], p90[16];
	size_t i;

	fputs("  ", stdout);
	print_name_column(name, 18, unicode);
	printf(" %6zu %7zu %7s %7s %6zu ", group_conversations(g), g->n,
	       g->n ? report_duration(g->median, med, sizeof(med)) : "-",
	       g->n ? report_duration(g->p90, p90, sizeof(p90)) : "-", g->within);
	if (g->n)
		printf("%5.1f %%", 100.0 * (double)g->within / (double)g->n);
	else
		printf("%7s", "-");
	printf(" %8zu  ", g->breaches);
	for (i = 0; i < g->n_longest; i++)
		printf("%s#%lld", i ? " " : "", (long long)g->longest[i]);
	putchar('\n');
}

static void print_header(const char *what)
{
	printf("  %-18s %6s %7s %7s %7s %6s %7s %8s  %s\n", what, "convs", "replied", "median",
	       "p90", "within", "share", "breaches", "longest waits");
}

/* The histogram of first replies with the target marked, and the share within target by
 * hour of the day as a sparkline. */
static void print_drawings(const char *title, const char *what, const struct report_group *g,
			   int64_t target, bool unicode)
{
	size_t counts[REPORT_BINS], max = 0, i;
	int64_t width;
	double shares[REPORT_HOURS];
	char a[16], b[16], t[16], *s;

	if (!g->n || target <= 0)
		return;
	width = report_histogram(g->samples, g->n, target, counts);
	for (i = 0; i < REPORT_BINS; i++)
		max = counts[i] > max ? counts[i] : max;
	printf("\n%s: %s (target %s)\n", title, what, report_duration(target, t, sizeof(t)));
	for (i = 0; i < REPORT_BINS; i++) {
		if (i == 4)
			printf("  %s target %s\n", unicode ? "────────────" : "------------", t);
		if (i < REPORT_BINS - 1)
			printf("  %6s-%-6s ", report_duration((int64_t)i * width, a, sizeof(a)),
			       report_duration((int64_t)(i + 1) * width, b, sizeof(b)));
		else
			printf("  %6s+%-6s ", report_duration((int64_t)i * width, a, sizeof(a)),
			       "");
		s = report_bar(counts[i], max, BAR_WIDTH, !unicode);
		printf("%s%*s %zu\n", s, BAR_WIDTH - (int)cells(s), "", counts[i]);
		free(s);
	}
	for (i = 0; i < REPORT_HOURS; i++)
		shares[i] =
		    g->hour_total[i] ? (double)g->hour_within[i] / (double)g->hour_total[i] : -1;
	s = report_sparkline(shares, REPORT_HOURS, !unicode);
	printf("  within target by hour  00 %s 23\n", s);
	free(s);
}

static void time_text(fl_time t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%d %H:%M", &tm))
		snprintf(buf, size, "%lld", (long long)t);
}

/* ---- the figures ---- */

struct report_figures {
	struct report_group first[CONFIG_MAX_QUEUES], next[CONFIG_MAX_QUEUES];
	struct agent_group *agents;
	size_t n_agents, cap_agents;
	size_t outside, unknown, counted;
	size_t by_replier, by_assignee; /* how the first replies were credited */
	int queue;			/* --queue's index, or -1 */
	int64_t agent;			/* --agent's id, or 0 */
};

static struct agent_group *agent_group(struct report_figures *f, int64_t id)
{
	size_t i;

	for (i = 0; i < f->n_agents; i++)
		if (f->agents[i].id == id)
			return &f->agents[i];
	xgrow(&f->agents, &f->cap_agents, f->n_agents + 1, sizeof(*f->agents));
	memset(&f->agents[f->n_agents], 0, sizeof(*f->agents));
	f->agents[f->n_agents].id = id;
	return &f->agents[f->n_agents++];
}

static int local_hour(fl_time t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	return localtime_r(&tt, &tm) ? tm.tm_hour : -1;
}

/* Whether the statistics leave something only cv's parts tell: a teammate replied and
 * the conversation has more parts than the first reply, the customer's message after it
 * and, closed, its close (so a later reply, a snooze, a note, an assignment, a second
 * close...), or the count is unknown. A closed conversation has at least one close part,
 * so counting one never hides another part. */
static bool needs_parts(const struct conversation *cv)
{
	int64_t explained = 1 + (cv->last_contact_reply_at >= cv->first_admin_reply_at) +
			    (cv->state == CONV_CLOSED);

	return cv->first_admin_reply_at && (cv->count_parts < 0 || cv->count_parts > explained);
}

/* cv's first reply and next replies into the groups of queue j (on its clock p) and of
 * the agents credited, once for the agents (first_queue). th: what its parts told, or
 * NULL for the statistics alone. */
static void figures_add(struct report_figures *f, const struct sla_policy *p, size_t j,
			bool first_queue, const struct conversation *cv,
			const struct report_thread *th)
{
	struct report_sample s = {.conversation = cv->id};
	const struct report_wait *first = NULL;
	bool any_next = false, waiting;
	size_t i;

	for (i = 0; th && i < th->n_waits && !first; i++)
		if (th->waits[i].kind == REPORT_WAIT_FIRST)
			first = &th->waits[i];
	/* the first reply */
	s.hour = local_hour(cv->first_contact_reply_at);
	if (th ? first != NULL : report_first_sample(p, cv, &s)) {
		int64_t credited = first ? first->admin : cv->admin_assignee_id;

		if (first)
			report_wait_sample(p, cv, first, &s);
		if (!f->agent || credited == f->agent) {
			report_group_add(&f->first[j], &s);
			f->first[j].conversations++;
			if (first_queue) {
				report_group_add(&agent_group(f, credited)->first, &s);
				agent_group(f, credited)->first.conversations++;
				f->by_replier += first != NULL;
				f->by_assignee += first == NULL;
			}
		}
	} else if (!cv->first_admin_reply_at && (!f->agent || cv->admin_assignee_id == f->agent)) {
		f->first[j].unanswered++;
		f->first[j].conversations++;
		if (first_queue) {
			agent_group(f, cv->admin_assignee_id)->first.unanswered++;
			agent_group(f, cv->admin_assignee_id)->first.conversations++;
		}
	}
	/* the next replies, each credited to its sender */
	for (i = 0; th && i < th->n_waits; i++) {
		const struct report_wait *w = &th->waits[i];

		if (w->kind != REPORT_WAIT_NEXT || (f->agent && w->admin != f->agent))
			continue;
		s.hour = local_hour(w->from);
		report_wait_sample(p, cv, w, &s);
		report_group_add(&f->next[j], &s);
		if (first_queue)
			report_group_add(&agent_group(f, w->admin)->next, &s);
		any_next = true;
	}
	/* a customer who waits for a next reply now: the statistics tell it too */
	waiting = th ? th->waiting
		     : cv->first_admin_reply_at && cv->waiting_since && cv->state != CONV_CLOSED;
	if (waiting && (!f->agent || cv->admin_assignee_id == f->agent)) {
		f->next[j].unanswered++;
		if (first_queue)
			agent_group(f, cv->admin_assignee_id)->next.unanswered++;
		any_next = true;
	}
	if (any_next)
		f->next[j].conversations++;
}

static void figures_release(struct report_figures *f)
{
	size_t i;

	for (i = 0; i < CONFIG_MAX_QUEUES; i++) {
		report_group_release(&f->first[i]);
		report_group_release(&f->next[i]);
	}
	for (i = 0; i < f->n_agents; i++) {
		report_group_release(&f->agents[i].first);
		report_group_release(&f->agents[i].next);
	}
	free(f->agents);
}

/* ---- the conversations' parts ---- */

struct parts_run {
	struct cli *c;
	const struct conversation **todo; /* those to fetch */
	size_t n_todo, next, running, done;
	struct report_thread *got; /* what their parts told */
	size_t n_got, cap_got;
	size_t failed, incomplete;
	bool tty;
};

static void parts_request(struct parts_run *pr);

static void on_thread(void *arg, struct thread *t, const struct result *r)
{
	struct parts_run *pr = arg;

	pr->running--;
	pr->done++;
	if (!t || r->cls != RESULT_OK)
		pr->failed++;
	else if (t->n_missing > 0)
		pr->incomplete++; /* the oldest parts left out: the statistics tell the first */
	else {
		xgrow(&pr->got, &pr->cap_got, pr->n_got + 1, sizeof(*pr->got));
		report_thread_replay(t, t->conv.first_contact_reply_at, &pr->got[pr->n_got++]);
	}
	if (pr->tty)
		fprintf(stderr, "\r%s: parts of %zu of %zu conversations\033[K", util_progname(),
			pr->done, pr->n_todo);
	else if (pr->done % (PROGRESS_PAGES * 150) == 0)
		fprintf(stderr, "%s: parts of %zu of %zu conversations\n", util_progname(),
			pr->done, pr->n_todo);
	parts_request(pr);
	if (!pr->running)
		pr->c->done = true;
}

static void parts_request(struct parts_run *pr)
{
	while (pr->running < THREADS_AT_ONCE && pr->next < pr->n_todo) {
		pr->running++;
		engine_fetch_thread(&pr->c->engine, pr->todo[pr->next++]->id, on_thread, pr);
	}
}

/* The parts of the conversations in queues that need them (needs_parts), from the cache
 * where it holds them as of the conversation's updated_at, else fetched (and cached):
 * into *threads (report_threads_free), and a table from id to each. Counts what it did. */
static GHashTable *parts_read(struct cli *c, struct report_cache *rc,
			      const struct conversation *convs, size_t n,
			      struct report_thread **threads, size_t *n_threads, size_t *needed,
			      size_t *fetched, size_t *failed)
{
	GHashTable *by_id = g_hash_table_new(g_int64_hash, g_int64_equal), *cached_ids;
	struct parts_run pr = {.c = c, .tty = isatty(STDERR_FILENO)};
	struct report_thread *cached = NULL;
	size_t n_cached = 0, i, kept = 0;
	char err[512];

	*needed = *fetched = *failed = 0;
	if (rc && report_cache_get_threads(rc, &cached, &n_cached, err, sizeof(err)) < 0)
		fprintf(stderr, "%s: the report's parts are not cached: %s\n", util_progname(),
			err);
	cached_ids = g_hash_table_new(g_int64_hash, g_int64_equal);
	for (i = 0; i < n_cached; i++)
		g_hash_table_insert(cached_ids, &cached[i].id, &cached[i]);
	pr.todo = xcalloc(n + 1, sizeof(*pr.todo));
	for (i = 0; i < n; i++) {
		struct report_thread *th;

		if (!engine_queues_of(&c->engine, &convs[i]) || !needs_parts(&convs[i]))
			continue;
		(*needed)++;
		th = g_hash_table_lookup(cached_ids, &convs[i].id);
		if (th && th->updated_at == convs[i].updated_at)
			continue;
		if (th)
			th->updated_at = -1; /* stale: not used even if the fetch fails */
		pr.todo[pr.n_todo++] = &convs[i];
	}
	g_hash_table_destroy(cached_ids);
	parts_request(&pr);
	if (pr.running)
		cli_wait(c);
	if (pr.tty && pr.n_todo)
		fprintf(stderr, "\r\033[K");
	if (pr.failed || pr.incomplete)
		fprintf(stderr,
			"%s: the parts of %zu conversations could not be read (%zu incomplete): "
			"their first replies are from the statistics, credited to the assignee\n",
			util_progname(), pr.failed + pr.incomplete, pr.incomplete);
	if (rc && pr.n_got && report_cache_put_threads(rc, pr.got, pr.n_got, err, sizeof(err)) < 0)
		fprintf(stderr, "%s: the report's parts are not cached: %s\n", util_progname(),
			err);
	/* the fetched first, then the cached no fetch replaced */
	*fetched = pr.n_todo;
	*failed = pr.failed + pr.incomplete;
	xgrow(&pr.got, &pr.cap_got, pr.n_got + n_cached, sizeof(*pr.got));
	for (i = 0; i < pr.n_got; i++)
		g_hash_table_insert(by_id, &pr.got[i].id, &pr.got[i]);
	for (i = 0; i < n_cached; i++) {
		if (cached[i].updated_at < 0 || g_hash_table_contains(by_id, &cached[i].id)) {
			report_thread_release(&cached[i]);
			continue;
		}
		pr.got[pr.n_got + kept] = cached[i];
		g_hash_table_insert(by_id, &pr.got[pr.n_got + kept].id, &pr.got[pr.n_got + kept]);
		kept++;
	}
	free(cached);
	free(pr.todo);
	*threads = pr.got;
	*n_threads = pr.n_got + kept;
	return by_id;
}

/* ---- the output ---- */

static json_t *report_json(struct cli *c, const struct report_run *run,
			   const struct report_figures *f, size_t needed, size_t fetched,
			   size_t failed)
{
	json_t *qs = json_array(), *as = json_array();
	size_t i;

	for (i = 0; i < c->cfg->n_queues; i++) {
		const struct sla_policy *p = store_policy(c->engine.store, (int)i);

		if (f->queue >= 0 && (int)i != f->queue)
			continue;
		json_array_append_new(
		    qs, json_pack("{s:s, s:s, s:I, s:I, s:b, s:o, s:o}", "queue",
				  c->cfg->queues[i].key, "title",
				  c->cfg->queues[i].title ? c->cfg->queues[i].title
							  : c->cfg->queues[i].key,
				  "target", (json_int_t)p->first_response, "next_target",
				  (json_int_t)p->next_response, "business_hours", p->hours.enabled,
				  "first_response", group_json(&f->first[i], p->first_response),
				  "next_response", group_json(&f->next[i], p->next_response)));
	}
	for (i = 0; i < f->n_agents; i++) {
		const char *name =
		    directory_name(c->engine.dir->admins, c->engine.dir->n_admins, f->agents[i].id);

		json_array_append_new(
		    as, json_pack("{s:I, s:o, s:o, s:o}", "id", (json_int_t)f->agents[i].id, "name",
				  name ? json_string(name) : json_null(), "first_response",
				  group_json(&f->agents[i].first, 0), "next_response",
				  group_json(&f->agents[i].next, 0)));
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:s}, s:{s:I, s:I, s:I},"
			 " s:o, s:o}",
			 "since", (json_int_t)run->since, "until", (json_int_t)run->until,
			 "conversations", (json_int_t)f->counted, "outside_queues",
			 (json_int_t)f->outside, "statistics_unknown", (json_int_t)f->unknown,
			 "first_reply_credit", "to_replier", (json_int_t)f->by_replier,
			 "to_assignee", (json_int_t)f->by_assignee, "rule", credit_note, "parts",
			 "needed", (json_int_t)needed, "fetched", (json_int_t)fetched, "unreadable",
			 (json_int_t)failed, "queues", qs, "agents", as);
}

static void print_agents(struct cli *c, const struct report_figures *f, bool next,
			 bool unicode)
{
	size_t i;

	print_header("agent");
	for (i = 0; i < f->n_agents; i++) {
		const struct report_group *g = next ? &f->agents[i].next : &f->agents[i].first;
		const char *name = f->agents[i].id
				       ? directory_name(c->engine.dir->admins,
							c->engine.dir->n_admins, f->agents[i].id)
				       : "unassigned";
		char *safe;

		if (!group_conversations(g))
			continue;
		safe = text_sanitize(name ? name : "?", false);
		print_row(safe, g, unicode);
		free(safe);
	}
}

static void report_text(struct cli *c, const struct report_run *run, const struct report_figures *f,
			bool unicode)
{
	char a[32], b[32];
	size_t i;
	int next;

	time_text(run->since, a, sizeof(a));
	time_text(run->until, b, sizeof(b));
	printf("Replies to the conversations created %s to %s\n", a, b);
	if (!f->counted) {
		printf("No conversation of the queues was created in this range.\n");
		return;
	}
	for (next = 0; next < 2; next++) {
		printf("\n%s\n", next ? "Next replies (each later reply to a customer's message)"
				      : "First replies");
		print_header("queue");
		for (i = 0; i < c->cfg->n_queues; i++)
			if (f->queue < 0 || (int)i == f->queue)
				print_row(c->cfg->queues[i].key, next ? &f->next[i] : &f->first[i],
					  unicode);
		putchar('\n');
		print_agents(c, f, next, unicode);
	}
	for (next = 0; next < 2; next++)
		for (i = 0; i < c->cfg->n_queues; i++) {
			const struct sla_policy *p = store_policy(c->engine.store, (int)i);

			if (f->queue < 0 || (int)i == f->queue)
				print_drawings(
				    c->cfg->queues[i].key, next ? "next replies" : "first replies",
				    next ? &f->next[i] : &f->first[i],
				    next ? p->next_response : p->first_response, unicode);
		}
	printf("\nShare within target: replied before the target's second, on the queue's "
	       "business hours, snoozed time taken out.\nLongest waits: frontline show ID "
	       "opens them. Unanswered conversations are in no figure but convs.\n"
	       "First replies credited: %zu to the teammate who sent them, %zu to the "
	       "assignee (statistics only).\n",
	       f->by_replier, f->by_assignee);
}

int cli_cmd_report(struct cli *c, int argc, char **argv, const char *token)
{
	const char *since_s = "today", *until_s = "now", *queue_s = NULL, *agent_s = NULL;
	struct report_run run = {.c = c};
	struct report_cache *cache = NULL;
	struct conversation *cached = NULL;
	size_t n_cached = 0, cap_cached = 0;
	struct report_figures f = {.queue = -1};
	struct report_thread *threads = NULL;
	GHashTable *by_id = NULL;
	size_t n_threads = 0, needed = 0, fetched = 0, failed = 0, i, j;
	bool json = false, ascii = false, fresh = false, unicode;
	int ch, code = CLI_OK;
	fl_time now = time(NULL);

	while ((ch = cli_getopt(c, argc, argv)) != -1) {
		switch (ch) {
		case 's':
			since_s = optarg;
			break;
		case 'u':
			until_s = optarg;
			break;
		case 'q':
			queue_s = optarg;
			break;
		case 'a':
			agent_s = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'A':
			ascii = true;
			break;
		case 'N':
			fresh = true;
			break;
		default:
			return cli_usage(c);
		}
	}
	if (optind < argc)
		return cli_usage(c);
	if (report_parse_when(since_s, now, "", &run.since, c->error, sizeof(c->error)) < 0 ||
	    report_parse_when(until_s, now, "", &run.until, c->error, sizeof(c->error)) < 0) {
		fprintf(stderr, "%s: %s\n", util_progname(), c->error);
		return cli_usage(c);
	}
	if (run.since >= run.until) {
		fprintf(stderr, "%s: --since (%s) must come before --until (%s)\n", util_progname(),
			since_s, until_s);
		return cli_usage(c);
	}
	unicode = unicode_ok(ascii);
	run.tty = isatty(STDERR_FILENO);
	/* The queues' teams and hours, without their open conversations. */
	if (cli_setup(c, token) < 0)
		return cli_fail(c, CLI_FAILED);
	c->engine.hours_only = true;
	if (cli_start(c, token, true) < 0)
		return cli_start_fail(c);
	if (queue_s && (f.queue = engine_queue_find(&c->engine, queue_s)) < 0) {
		fprintf(stderr,
			"%s: no queue named \"%s\"; the configuration's [queue NAME] "
			"sections name them\n",
			util_progname(), queue_s);
		return CLI_NOT_FOUND;
	}
	if (agent_s &&
	    !(f.agent = directory_find(c->engine.dir->admins, c->engine.dir->n_admins, agent_s))) {
		fprintf(stderr, "%s: no teammate named \"%s\"; give a name, an email or an id\n",
			util_progname(), agent_s);
		return CLI_NOT_FOUND;
	}
	cache = cache_read(&run, fresh, &cached, &n_cached, &cap_cached);
	if (fetch_all(&run, cached, n_cached) < 0) {
		code = cli_fail(c, c->error_status == 400 ? CLI_USAGE : CLI_FAILED);
		goto out;
	}
	if (cache) {
		cache_merge(&run, cache, cached, n_cached);
		n_cached = 0;
	}
	by_id = parts_read(c, cache, run.convs, run.n, &threads, &n_threads, &needed, &fetched,
			   &failed);
	for (i = 0; i < run.n; i++) {
		const struct conversation *cv = &run.convs[i];
		unsigned in = engine_queues_of(&c->engine, cv);
		int q = in ? __builtin_ctz(in) : -1; /* the first: the agent's clock, as list's */
		const struct report_thread *th = NULL;

		if (q < 0) {
			f.outside++;
			continue;
		}
		if (f.queue >= 0) {
			if (!(in & (1u << f.queue)))
				continue;
			q = f.queue;
		}
		if (cv->unknown &
			(CONV_UNKNOWN_FIRST_ADMIN_REPLY | CONV_UNKNOWN_FIRST_CONTACT_REPLY) ||
		    !cv->first_contact_reply_at) {
			f.unknown++;
			continue;
		}
		f.counted++;
		/* what the parts told: cached as of this updated_at, or read in this run (then
		 * perhaps newer than the search's record) */
		if (needs_parts(cv))
			th = g_hash_table_lookup(by_id, &cv->id);
		/* each queue it is in, on that queue's clock; the agent's on the first's */
		for (j = 0; j < c->cfg->n_queues; j++)
			if ((in & (1u << j)) && (f.queue < 0 || (int)j == f.queue))
				figures_add(&f, store_policy(c->engine.store, (int)j), j,
					    (int)j == q, cv, th);
	}
	for (i = 0; i < c->cfg->n_queues; i++) {
		report_group_finish(&f.first[i]);
		report_group_finish(&f.next[i]);
	}
	for (i = 0; i < f.n_agents; i++) {
		report_group_finish(&f.agents[i].first);
		report_group_finish(&f.agents[i].next);
	}
	if (json) {
		json_t *out = report_json(c, &run, &f, needed, fetched, failed);

		cli_print_json(out);
		json_decref(out);
	} else {
		report_text(c, &run, &f, unicode);
	}
out:
	figures_release(&f);
	if (by_id)
		g_hash_table_destroy(by_id);
	report_threads_free(threads, n_threads);
	report_cache_close(cache);
	for (i = 0; i < n_cached; i++)
		conversation_release(&cached[i]);
	free(cached);
	for (i = 0; i < run.n; i++)
		conversation_release(&run.convs[i]);
	free(run.convs);
	return code;
}
