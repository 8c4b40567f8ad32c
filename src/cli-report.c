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

/* Why there is no next-response figure: the statistics tell when the first reply came,
 * and of the later ones only a median over the whole conversation. */
static const char next_response_note[] =
    "next responses are not reported: the backend's statistics give the time of the first "
    "reply only, and of later replies just a median per conversation";

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
	struct report_group g;
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
	if (!c->error[0] && !sl->last) {
		progress(run);
		slice_request(sl);
	}
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

static struct report_group *agent_group(struct agent_group **agents, size_t *n, size_t *cap,
					int64_t id)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*agents)[i].id == id)
			return &(*agents)[i].g;
	xgrow(agents, cap, *n + 1, sizeof(**agents));
	memset(&(*agents)[*n], 0, sizeof(**agents));
	(*agents)[*n].id = id;
	return &(*agents)[(*n)++].g;
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
		      (json_int_t)(g->n + g->unanswered), "replied", (json_int_t)g->n, "unanswered",
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

static void print_row(const char *name, const struct report_group *g)
{
	char med[16], p90[16];
	size_t i;

	printf("  %-18.18s %6zu %7zu %7s %7s %6zu ", name, g->n + g->unanswered, g->n,
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

/* The characters of UTF-8 text s: the cells a bar takes. */
static size_t cells(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The histogram of first replies with the target marked, and the share within target by
 * hour of the day as a sparkline. */
static void print_drawings(const char *title, const struct report_group *g, int64_t target,
			   bool unicode)
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
	printf("\n%s: first replies (target %s)\n", title, report_duration(target, t, sizeof(t)));
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

int cli_cmd_report(struct cli *c, int argc, char **argv, const char *token)
{
	const char *since_s = "today", *until_s = "now", *queue_s = NULL, *agent_s = NULL;
	struct report_run run = {.c = c};
	struct report_cache *cache = NULL;
	struct conversation *cached = NULL;
	size_t n_cached = 0, cap_cached = 0;
	struct report_group queues[CONFIG_MAX_QUEUES] = {{0}};
	struct agent_group *agents = NULL;
	size_t n_agents = 0, cap_agents = 0, i, j, outside = 0, unknown = 0, counted = 0;
	bool json = false, ascii = false, fresh = false, unicode;
	int ch, queue = -1, code = CLI_OK;
	int64_t agent = 0;
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
	if (queue_s && (queue = engine_queue_find(&c->engine, queue_s)) < 0) {
		fprintf(stderr,
			"%s: no queue named \"%s\"; the configuration's [queue NAME] "
			"sections name them\n",
			util_progname(), queue_s);
		return CLI_NOT_FOUND;
	}
	if (agent_s &&
	    !(agent = directory_find(c->engine.dir->admins, c->engine.dir->n_admins, agent_s))) {
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
	for (i = 0; i < run.n; i++) {
		const struct conversation *cv = &run.convs[i];
		unsigned in = engine_queues_of(&c->engine, cv);
		int q = in ? __builtin_ctz(in) : -1; /* the first: the agent's clock, as list's */
		struct report_sample s = {.conversation = cv->id};
		struct report_group *ag;
		time_t began = (time_t)cv->first_contact_reply_at;
		struct tm tm;

		if (q < 0) {
			outside++;
			continue;
		}
		if (queue >= 0) {
			if (!(in & (1u << queue)))
				continue;
			q = queue;
		}
		if (agent && cv->admin_assignee_id != agent)
			continue;
		if (cv->unknown &
			(CONV_UNKNOWN_FIRST_ADMIN_REPLY | CONV_UNKNOWN_FIRST_CONTACT_REPLY) ||
		    !cv->first_contact_reply_at) {
			unknown++;
			continue;
		}
		counted++;
		ag = agent_group(&agents, &n_agents, &cap_agents, cv->admin_assignee_id);
		s.hour = localtime_r(&began, &tm) ? tm.tm_hour : -1;
		/* each queue it is in, on that queue's clock; the agent's on the first's */
		for (j = 0; j < c->cfg->n_queues; j++) {
			if (!(in & (1u << j)) || (queue >= 0 && (int)j != queue))
				continue;
			if (!report_first_sample(store_policy(c->engine.store, (int)j), cv, &s)) {
				queues[j].unanswered++;
				continue;
			}
			report_group_add(&queues[j], &s);
			if ((int)j == q)
				report_group_add(ag, &s);
		}
		if (!cv->first_admin_reply_at)
			ag->unanswered++;
	}
	for (i = 0; i < c->cfg->n_queues; i++)
		report_group_finish(&queues[i]);
	for (i = 0; i < n_agents; i++)
		report_group_finish(&agents[i].g);

	if (json) {
		json_t *out, *qs = json_array(), *as = json_array();

		for (i = 0; i < c->cfg->n_queues; i++) {
			const struct sla_policy *p = store_policy(c->engine.store, (int)i);
			json_t *o;

			if (queue >= 0 && (int)i != queue)
				continue;
			o = json_pack("{s:s, s:s, s:I, s:b, s:o}", "queue", c->cfg->queues[i].key,
				      "title",
				      c->cfg->queues[i].title ? c->cfg->queues[i].title
							      : c->cfg->queues[i].key,
				      "target", (json_int_t)p->first_response, "business_hours",
				      p->hours.enabled, "first_response",
				      group_json(&queues[i], p->first_response));
			json_array_append_new(qs, o);
		}
		for (i = 0; i < n_agents; i++) {
			const char *name = directory_name(c->engine.dir->admins,
							  c->engine.dir->n_admins, agents[i].id);

			json_array_append_new(
			    as, json_pack("{s:I, s:o, s:o}", "id", (json_int_t)agents[i].id, "name",
					  name ? json_string(name) : json_null(), "first_response",
					  group_json(&agents[i].g, 0)));
		}
		out = json_pack("{s:I, s:I, s:I, s:I, s:I, s:o, s:s, s:o, s:o}", "since",
				(json_int_t)run.since, "until", (json_int_t)run.until,
				"conversations", (json_int_t)counted, "outside_queues",
				(json_int_t)outside, "statistics_unknown", (json_int_t)unknown,
				"next_response", json_null(), "next_response_note",
				next_response_note, "queues", qs, "agents", as);
		cli_print_json(out);
		json_decref(out);
		goto out;
	}
	{
		char a[32], b[32];

		time_text(run.since, a, sizeof(a));
		time_text(run.until, b, sizeof(b));
		printf("First replies to the conversations created %s to %s\n", a, b);
	}
	if (!counted) {
		printf("No conversation of the queues was created in this range.\n");
		goto out;
	}
	putchar('\n');
	print_header("queue");
	for (i = 0; i < c->cfg->n_queues; i++)
		if (queue < 0 || (int)i == queue)
			print_row(c->cfg->queues[i].key, &queues[i]);
	putchar('\n');
	print_header("agent");
	for (i = 0; i < n_agents; i++) {
		const char *name = agents[i].id
				       ? directory_name(c->engine.dir->admins,
							c->engine.dir->n_admins, agents[i].id)
				       : "unassigned";
		char *safe = text_sanitize(name ? name : "?", false);

		print_row(safe, &agents[i].g);
		free(safe);
	}
	for (i = 0; i < c->cfg->n_queues; i++)
		if (queue < 0 || (int)i == queue)
			print_drawings(c->cfg->queues[i].key, &queues[i],
				       store_policy(c->engine.store, (int)i)->first_response,
				       unicode);
	printf("\nShare within target: replied before the target's second, on the queue's "
	       "business hours.\nLongest waits: frontline show ID opens them. Unanswered "
	       "conversations are in no figure but convs.\n");
	fprintf(stderr, "%s: %s\n", util_progname(), next_response_note);
out:
	for (i = 0; i < c->cfg->n_queues; i++)
		report_group_release(&queues[i]);
	for (i = 0; i < n_agents; i++)
		report_group_release(&agents[i].g);
	free(agents);
	report_cache_close(cache);
	for (i = 0; i < n_cached; i++)
		conversation_release(&cached[i]);
	free(cached);
	for (i = 0; i < run.n; i++)
		conversation_release(&run.convs[i]);
	free(run.convs);
	return code;
}
