/* engine.c: everything frontline knows and does, without the screen: the backend driver,
 * the store, the SLA clock ticking on the wall-clock second, polling with incremental
 * syncs and periodic full resyncs, and the connection's health. */
#include "build-config.h"

#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "loop.h"
#include "sender.h"
#include "util.h"

static void schedule_poll(struct engine *e, int64_t delay_ms);
static bool hours_wanted(const struct engine *e);
static void hours_fetch(struct engine *e);

fl_time engine_now(const struct engine *e)
{
	return (fl_time)time(NULL) + e->clock_offset;
}

int64_t engine_data_age(const struct engine *e)
{
	return e->last_ok ? (int64_t)(time(NULL) - e->last_ok) : -1;
}

int64_t engine_poll_interval(const struct engine *e)
{
	return e->poll_ms > 0 ? (e->poll_ms + 999) / 1000 : e->cfg->poll_interval;
}

int engine_queue_find(const struct engine *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->cfg->n_queues; i++)
		if (!strcasecmp(e->cfg->queues[i].key, name) ||
		    (e->cfg->queues[i].title && !strcasecmp(e->cfg->queues[i].title, name)))
			return (int)i;
	return -1;
}

static void notify_changed(struct engine *e)
{
	if (e->listener.changed)
		e->listener.changed(e->listener.arg);
}

static void on_sla_event(void *arg, const struct store_entry *entry, enum sla_event ev)
{
	struct engine *e = arg;

	if (e->listener.sla_event)
		e->listener.sla_event(e->listener.arg, entry, ev);
}

/* The countdown tick, aligned to the wall-clock second so every row changes together. */
static void on_tick(void *arg)
{
	struct engine *e = arg;

	e->tick_timer = loop_timer_add(e->loop, loop_ms_to_next_second(), on_tick, e);
	if (!e->catching_up)
		store_tick(e->store, engine_now(e), on_sla_event, e);
	notify_changed(e);
}

static void start_sync(struct engine *e)
{
	bool full = (!e->synced && !e->catching_up) ||
		    (e->synced && time(NULL) - e->last_full >= e->cfg->resync_interval);

	if (e->syncing || !e->ready)
		return;
	/* Business hours from the backend come before the first sync, so that no clock is
	 * ever shown counting outside them. */
	if (!e->hours_known && hours_wanted(e)) {
		if (!e->hours_fetching)
			hours_fetch(e);
		return;
	}
	if (e->hours_only) {
		if (e->listener.synced)
			e->listener.synced(e->listener.arg, NULL);
		return;
	}
	e->syncing = true;
	e->sync_full = full;
	e->sync_damaged = false;
	e->poll_started = engine_now(e);
	e->started_known = e->clock_known;
	e->poll_changes = 0;
	if (full) {
		e->last_full = time(NULL);
		store_sweep_begin(e->store);
	}
	e->ops->sync(e->backend, full, e->next_after, e->teams, e->n_teams, e->assignee);
}

static void on_poll_timer(void *arg)
{
	struct engine *e = arg;

	e->poll_timer = 0;
	start_sync(e);
}

static void schedule_poll(struct engine *e, int64_t delay_ms)
{
	if (e->poll_timer)
		loop_timer_cancel(e->loop, e->poll_timer);
	e->poll_timer = loop_timer_add(e->loop, delay_ms, on_poll_timer, e);
	e->next_attempt = time(NULL) + (delay_ms + 999) / 1000;
}

/* The longest wait between polls of a quiet backend, in ms: poll_interval_max, at most a
 * third of the smallest warn lead time of any queue, never below poll_interval. */
static int64_t poll_ceiling_ms(const struct engine *e)
{
	int64_t ceiling = e->cfg->poll_interval_max;
	size_t q;

	for (q = 0; q < e->cfg->n_queues; q++) {
		const struct sla_policy *p = &e->cfg->queues[q].policy;

		if (p->n_warn > 0 && p->warn[p->n_warn - 1] > 0 &&
		    p->warn[p->n_warn - 1] / 3 < ceiling)
			ceiling = p->warn[p->n_warn - 1] / 3;
	}
	return (ceiling > e->cfg->poll_interval ? ceiling : e->cfg->poll_interval) * 1000;
}

/* The agent acts, or something changed: polls go back to poll_interval, the next one
 * no later than that from now. */
static void poll_wake(struct engine *e)
{
	int64_t base = e->cfg->poll_interval * 1000;

	if (e->poll_ms <= base)
		return;
	e->poll_ms = base;
	if (e->poll_timer && !e->syncing && e->next_attempt > time(NULL) + e->cfg->poll_interval)
		schedule_poll(e, base);
}

void engine_poll_now(struct engine *e)
{
	poll_wake(e);
	if (e->refused) {
		/* The agent asks to try the token again: from the start if start-up failed. */
		e->refused = false;
		if (!e->ready) {
			e->next_attempt = time(NULL);
			e->ops->start(e->backend);
			return;
		}
	}
	/* During a sync, poll again right after it: what was just written must show. */
	if (e->syncing)
		e->poll_again = true;
	else
		schedule_poll(e, 0);
}

/* ---- business hours from the backend's office hours schedules ---- */

static bool hours_wanted(const struct engine *e)
{
	size_t q;

	for (q = 0; q < e->cfg->n_queues; q++)
		if (e->cfg->queues[q].policy.hours.schedule[0])
			return true;
	return false;
}

static void on_schedules(void *arg, const struct sla_schedule *items, size_t n,
			 const struct result *r);

static void hours_fetch(struct engine *e)
{
	struct result res = {.cls = RESULT_PERMANENT};

	e->hours_fetching = true;
	if (!e->ops->fetch_schedules) {
		res.message = "this backend has no office hours: write the queue's hours in the "
			      "configuration";
		on_schedules(e, NULL, 0, &res);
		return;
	}
	e->ops->fetch_schedules(e->backend, on_schedules, e);
}

static void on_hours_timer(void *arg)
{
	struct engine *e = arg;

	e->hours_timer = 0;
	hours_fetch(e);
}

/* "Live chat", "Support" into buf: the schedules' names for a message. */
static void schedule_names(const struct sla_schedule *items, size_t n, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s\"%s\"", i ? ", " : "",
					 items[i].name);
	if (n == 0)
		snprintf(buf, len, "none");
}

/* The schedule queue q asks for, or NULL with a message: hours = NAME names one (any
 * case); hours = backend takes the one named after one of the queue's teams, else the
 * workspace's only schedule (2.16 does not tell which schedule a team uses). */
static const struct sla_schedule *schedule_for(const struct engine *e, size_t q,
					       const struct sla_schedule *items, size_t n,
					       char *err, size_t errlen)
{
	const struct config_queue *queue = &e->cfg->queues[q];
	const char *want = queue->policy.hours.schedule;
	const struct sla_schedule *found = NULL;
	char names[200];
	size_t i, t;

	for (i = 0; i < n && !found; i++) {
		if (strcmp(want, "backend") != 0) {
			if (!strcasecmp(items[i].name, want))
				found = &items[i];
			continue;
		}
		for (t = 0; t < queue->n_teams; t++)
			if (!strcasecmp(items[i].name, queue->teams[t]))
				found = &items[i];
	}
	if (!found && !strcmp(want, "backend") && n == 1)
		found = &items[0];
	schedule_names(items, n, names, sizeof(names));
	if (!found && strcmp(want, "backend") != 0)
		snprintf(err, errlen,
			 "queue %s: no office hours schedule named \"%s\"; the workspace has: %s "
			 "(hours = NAME takes one, hours = backend the one named after the queue's "
			 "team; written hours need times, e.g. Mon-Fri 09:00-17:00)",
			 queue->key, want, names);
	else if (!found)
		snprintf(err, errlen,
			 "queue %s: hours = backend, but no office hours schedule is named after "
			 "its teams; the workspace has: %s; choose one with hours = NAME",
			 queue->key, names);
	else if (found->problem[0])
		snprintf(err, errlen, "queue %s: office hours schedule \"%s\" cannot be used: %s",
			 queue->key, found->name, found->problem);
	return found && !found->problem[0] ? found : NULL;
}

static void on_failed(void *arg, const char *error);

/* At start a failure is the start-up's; later the hours held stay until the next try. A
 * schedule that is missing or unusable is the configuration's problem: like a refused
 * token, it is not retried on a timer (Ctrl-R tries again). */
static void on_schedules(void *arg, const struct sla_schedule *items, size_t n,
			 const struct result *r)
{
	struct engine *e = arg;
	struct sla_policy policies[CONFIG_MAX_QUEUES];
	const struct sla_schedule *found;
	char err[512];
	size_t q;

	e->hours_fetching = false;
	err[0] = '\0';
	if (r->cls != RESULT_OK)
		snprintf(err, sizeof(err), "%s", r->message ? r->message : "office hours: failed");
	for (q = 0; !err[0] && q < e->cfg->n_queues; q++) {
		policies[q] = e->cfg->queues[q].policy;
		if (!policies[q].hours.schedule[0])
			continue;
		found = schedule_for(e, q, items, n, err, sizeof(err));
		if (found) {
			policies[q].hours = found->hours;
			memcpy(policies[q].hours.schedule, e->cfg->queues[q].policy.hours.schedule,
			       sizeof(policies[q].hours.schedule));
		}
	}
	if (err[0] && !e->hours_known) {
		if (r->cls == RESULT_OK || r->cls == RESULT_PERMANENT)
			e->refused = true;
		on_failed(e, err);
		return;
	}
	if (e->polling && !e->hours_timer)
		e->hours_timer =
		    loop_timer_add(e->loop, e->cfg->hours_refresh * 1000, on_hours_timer, e);
	if (err[0]) {
		snprintf(e->error, sizeof(e->error), "%s", err);
		return;
	}
	for (q = 0; q < e->cfg->n_queues; q++)
		if (policies[q].hours.schedule[0])
			store_set_policy(e->store, (int)q, &policies[q]);
	if (!e->hours_known) {
		e->hours_known = true;
		start_sync(e);
		return;
	}
	if (!e->catching_up)
		store_tick(e->store, engine_now(e), on_sla_event, e);
	notify_changed(e);
}

static bool view_match(void *arg, const struct conversation *c)
{
	const struct engine_view *v = arg;
	const struct directory *dir = v->engine->dir;

	return query_match_record(&v->filter, c, dir, dir ? dir->me : 0);
}

static bool query_has(const struct query *q, enum query_kind kind)
{
	size_t i;

	for (i = 0; i < q->n_terms; i++)
		if (q->terms[i].kind == kind)
			return true;
	return false;
}

/* Each queue's filter = decides what it holds; a queue without teams holds what matches
 * of every conversation fetched, and assignee:me there has the polls fetch the agent's
 * own conversations, whatever their team. */
static void views_set(struct engine *e, const struct directory *dir)
{
	size_t q;
	char err[200];

	e->assignee = 0;
	for (q = 0; q < e->cfg->n_queues; q++) {
		const struct config_queue *cq = &e->cfg->queues[q];
		struct engine_view *v = &e->views[q];
		bool all_teams = cq->n_teams == 0;

		v->engine = e;
		/* The configuration checked the filter when it was read. */
		if (query_parse(cq->filter, &v->filter, err, sizeof(err)) < 0)
			memset(&v->filter, 0, sizeof(v->filter));
		if (!cq->filter && !all_teams)
			continue;
		if (all_teams && query_has(&v->filter, QUERY_ASSIGNEE_ME))
			e->assignee = dir->me;
		store_set_queue_match(e->store, (int)q, all_teams, view_match, v);
	}
}

/* The queues' teams by their ids in dir: tracked by the store and searched by the polls.
 * Names dir does not know are said on stderr when tell. */
static void teams_map(struct engine *e, const struct directory *dir, bool tell)
{
	size_t q, t;

	e->n_teams = 0;
	e->team_unknown = false;
	for (q = 0; q < e->cfg->n_queues; q++)
		for (t = 0; t < e->cfg->queues[q].n_teams; t++) {
			int64_t id = directory_find(dir->teams, dir->n_teams, e->cfg->queues[q].teams[t]);

			if (id == 0) {
				if (tell)
					fprintf(stderr,
						"%s: queue %s: no team named \"%s\" in the workspace\n",
						util_progname(), e->cfg->queues[q].key,
						e->cfg->queues[q].teams[t]);
				e->team_unknown = true;
				continue;
			}
			store_set_team_queue(e->store, id, (int)q);
			e->teams[e->n_teams++] = id;
		}
	views_set(e, dir);
}

static void cache_check(struct engine *e, const struct directory *dir);
static void cache_note(struct engine *e, int64_t id);
static void cache_save_soon(struct engine *e, bool full);
static void cache_forget(struct engine *e);

static void on_ready(void *arg, const struct directory *dir)
{
	struct engine *e = arg;

	e->dir = dir;
	e->ready = true;
	if (e->directory_only) {
		if (e->listener.synced)
			e->listener.synced(e->listener.arg, NULL);
		return;
	}
	teams_map(e, dir, true);
	cache_check(e, dir);
	start_sync(e);
}

static void on_restart(void *arg)
{
	struct engine *e = arg;

	e->restart_timer = 0;
	e->ops->start(e->backend);
}

static void on_failed(void *arg, const char *error)
{
	struct engine *e = arg;

	snprintf(e->error, sizeof(e->error), "%s", error);
	e->failures++;
	if (e->listener.synced && !e->synced)
		e->listener.synced(e->listener.arg, e->error);
	if (e->polling && !e->refused) {
		if (e->restart_timer)
			loop_timer_cancel(e->loop, e->restart_timer);
		e->restart_timer =
		    loop_timer_add(e->loop, e->cfg->poll_interval * 1000, on_restart, e);
		e->next_attempt = time(NULL) + e->cfg->poll_interval;
	} else {
		e->next_attempt = 0;
	}
}

/* A refused token is not retried on a timer (every attempt would be refused again): the
 * failure that follows stays on the screen until the agent asks again (Ctrl-R). */
static void on_refused(void *arg)
{
	struct engine *e = arg;

	e->refused = true;
}

/* Tells the listener what an upsert brought: a conversation new to a tracked queue, or a
 * customer message newer than the one held before (customer_before; -1 when the old
 * record did not know). Never during the first full sync. */
static void tell_news(struct engine *e, int64_t id, enum store_change change,
		      fl_time customer_before)
{
	const struct store_entry *now;

	if (!e->synced || (change != STORE_ADDED && change != STORE_UPDATED))
		return;
	now = store_get(e->store, id);
	if (!now)
		return;
	if (change == STORE_ADDED) {
		if (e->listener.new_conversation)
			e->listener.new_conversation(e->listener.arg, now);
	} else if (customer_before >= 0 && !(now->conv.unknown & CONV_UNKNOWN_STATISTICS) &&
		   now->conv.last_contact_reply_at > customer_before) {
		if (e->listener.new_message)
			e->listener.new_message(e->listener.arg, now);
	}
}

/* This sync brought something it could not read: until a clean full sync, the cache is
 * written as of no queues, so that the next start does not take it for whole. */
static void sync_damage(struct engine *e)
{
	e->sync_damaged = e->cache_damaged = true;
}

static void on_damaged(void *arg)
{
	sync_damage(arg);
}

static void on_conversation(void *arg, const struct conversation *c)
{
	struct engine *e = arg;
	/* Read before the upsert, which may move or free the held record; only news needs
	 * it, and there is none during the first full sync (tell_news). */
	const struct store_entry *held = e->synced ? store_get(e->store, c->id) : NULL;
	fl_time customer_before =
	    held && !(held->conv.unknown & CONV_UNKNOWN_STATISTICS) ? held->conv.last_contact_reply_at
								     : -1;
	enum store_change change;

	if (c->updated_at > e->newest)
		e->newest = c->updated_at;
	/* A record whose state, time, team or assignee could not be read may have left a
	 * queue it is in: a cache written now would keep that until the next full sync.
	 * (Statistics may come null on a whole record, as Intercom sends them at times: the
	 * clock then says it cannot tell, in the cache as on the screen.) */
	if (c->unknown & (CONV_UNKNOWN_STATE | CONV_UNKNOWN_UPDATED | CONV_UNKNOWN_ASSIGNEE |
			  CONV_UNKNOWN_TEAM))
		sync_damage(e);
	change = store_upsert(e->store, c, engine_now(e));
	if (change != STORE_UNCHANGED) {
		cache_note(e, c->id);
		e->poll_changes++;
	}
	tell_news(e, c->id, change, customer_before);
}

/* Where the next poll starts, by the server's clock: after what this sync has seen,
 * less the overlap for changes the server commits late. What it has seen is everything
 * up to the moment it started, when the server's Date header told that moment (less a
 * second: the Date and the local clock both count whole seconds), else up to the newest
 * update seen. Either way a poll's cost follows the changes since the last one: a quiet
 * queue polls empty pages, not the queue, nor the last changes again and again. */
static fl_time next_after(const struct engine *e)
{
	fl_time from = e->newest;

	if (e->started_known && e->poll_started - 1 > from)
		from = e->poll_started - 1;
	else if (!from)
		from = e->poll_started;
	return from - e->cfg->poll_overlap;
}

static const struct conversation *on_held(void *arg, int64_t id)
{
	const struct store_entry *held = store_get(((struct engine *)arg)->store, id);

	return held ? &held->conv : NULL;
}

static void on_sync_done(void *arg, bool full, const char *error)
{
	struct engine *e = arg;
	bool first = !e->synced;

	e->syncing = false;
	if (error) {
		/* Keep the last known data; it is marked stale by its age. */
		snprintf(e->error, sizeof(e->error), "%s", error);
		e->failures++;
		if (first && e->listener.synced && !e->polling)
			e->listener.synced(e->listener.arg, e->error);
	} else {
		if (full)
			store_sweep_end(e->store);
		if (full && !e->sync_damaged)
			e->cache_damaged = false;
		e->error[0] = '\0';
		e->failures = 0;
		e->last_ok = time(NULL);
		e->next_after = next_after(e);
		e->polls++;
		if (full || e->catching_up)
			e->synced = true;
		/* Caught up: the full resyncs keep the cadence of the run that wrote the cache. */
		if (e->catching_up)
			e->last_full = e->cached.last_full;
		e->catching_up = false;
		cache_save_soon(e, full);
		store_tick(e->store, engine_now(e), on_sla_event, e);
		notify_changed(e);
		if (first && e->synced && e->listener.synced)
			e->listener.synced(e->listener.arg, NULL);
	}
	/* A quiet backend is polled less often: each poll that changed nothing doubles the
	 * wait, up to the ceiling; a failure, a full sync or a change goes back to the base. */
	if (error || full || e->poll_changes || e->poll_ms <= 0)
		e->poll_ms = e->cfg->poll_interval * 1000;
	else if ((e->poll_ms *= 2) > poll_ceiling_ms(e))
		e->poll_ms = poll_ceiling_ms(e);
	if (e->polling && !e->refused)
		schedule_poll(e, e->poll_again ? 0 : e->poll_ms);
	else
		e->next_attempt = 0;
	e->poll_again = false;
}

static void on_server_time(void *arg, fl_time server, fl_time local)
{
	struct engine *e = arg;

	if (server > 0 && local > 0) {
		e->clock_offset = server - local;
		e->clock_known = true;
	}
}

/* ---- the queues' cache (storecache.h) ---- */

/* What the cached records depend on beyond the scope: the queues, their teams and
 * filters. Another configuration finds no cache. A new string. */
static char *cache_signature(const struct engine *e)
{
	char *s = xstrdup(""), *teams, *next;
	size_t q, t;

	for (q = 0; q < e->cfg->n_queues; q++) {
		const struct config_queue *cq = &e->cfg->queues[q];

		teams = xstrdup("");
		for (t = 0; t < cq->n_teams; t++) {
			next = xasprintf("%s%s%s", teams, t ? "," : "", cq->teams[t]);
			free(teams);
			teams = next;
		}
		next = xasprintf("%s%s[%s]%s;", s, cq->key, teams, cq->filter ? cq->filter : "");
		free(teams);
		free(s);
		s = next;
	}
	return s;
}

/* Whose records they are: the backend, where it is, and the agent asked for. */
static char *cache_scope(const struct engine *e)
{
	const char *type = e->cfg->backend ? e->cfg->backend : "intercom";

	return xasprintf("%s %s %s", type, e->cfg->url ? e->cfg->url : "",
			 e->cfg->admin ? e->cfg->admin : "");
}

/* A cache that cannot be read is not used: the first sync is a full one. */
static void cache_warn(const char *err, const char *then)
{
	fprintf(stderr, "%s: %s; the queues' cache is not used%s\n", util_progname(), err, then);
}

static void cache_row(void *arg, const struct conversation *c)
{
	struct engine *e = arg;

	store_upsert(e->store, c, engine_now(e));
}

/* Whether the cache is fresh enough to show; if so, the store tracks the queues' teams as
 * the cached directory names them, so its records land where they did. */
static bool cache_use(void *arg, const struct store_cache_state *state,
		      const struct directory *dir)
{
	struct engine *e = arg;
	fl_time now = time(NULL);

	if (now - state->saved_at > e->cfg->cache_max_age || state->saved_at > now)
		return false;
	e->dir = dir;
	teams_map(e, dir, false);
	return true;
}

/* Puts the cache's records in the store and has the first sync catch up from its
 * watermark, when it is there, fresh enough and of these queues. */
static void cache_load(struct engine *e)
{
	struct store_cache_reader reader = {.arg = e, .use = cache_use, .conversation = cache_row};
	char err[512], *scope, *signature;
	int found;

	if (!e->cfg->cache_max_age || !e->cfg->state_dir || e->directory_only || e->hours_only)
		return;
	scope = cache_scope(e);
	e->cache = store_cache_open(e->cfg->state_dir, scope, err, sizeof(err));
	free(scope);
	if (!e->cache) {
		cache_warn(err, "");
		return;
	}
	signature = cache_signature(e);
	found = store_cache_load(e->cache, signature, &e->cached, &e->cached_dir, &reader, err,
				 sizeof(err));
	free(signature);
	if (found == 1) {
		/* The directory the records were placed with, until the backend's arrives. */
		e->dir = &e->cached_dir;
		e->catching_up = true;
		e->newest = e->cached.newest;
		e->next_after = e->cached.next_after;
		e->clock_offset = e->cached.clock_offset;
		return;
	}
	if (found < 0)
		cache_warn(err, ", and is written anew");
	/* What cache_use set up for the records, if it ran. */
	while (e->n_teams)
		store_set_team_queue(e->store, e->teams[--e->n_teams], -1);
	e->dir = NULL;
	e->assignee = 0;
	cache_forget(e);
}

/* The store lets go of the cache's records (what teams_map tracked for them is untracked
 * by the caller): the full sync starts from nothing, and the next write rewrites the
 * cache. */
static void cache_forget(struct engine *e)
{
	store_sweep_begin(e->store);
	store_sweep_end(e->store);
	store_cache_state_release(&e->cached);
	directory_release(&e->cached_dir);
	e->catching_up = false;
	e->cache_rewrite = true;
	e->newest = e->next_after = 0;
}

static bool team_tracked(const struct engine *e, int64_t id)
{
	size_t i;

	for (i = 0; i < e->n_teams; i++)
		if (e->teams[i] == id)
			return true;
	return false;
}

/* The backend's directory arrived (teams_map ran with it): the cache's records stay only
 * if the queues still track the same teams for the same agent. */
static void cache_check(struct engine *e, const struct directory *dir)
{
	size_t i;
	bool same;

	e->cache_dir_saved = false;
	if (!e->catching_up)
		return;
	same = e->n_teams == e->cached.n_teams && e->assignee == e->cached.assignee &&
	       dir->me == e->cached_dir.me;
	for (i = 0; same && i < e->cached.n_teams; i++)
		same = team_tracked(e, e->cached.teams[i]);
	if (same)
		return;
	for (i = 0; i < e->cached.n_teams; i++)
		if (!team_tracked(e, e->cached.teams[i]))
			store_set_team_queue(e->store, e->cached.teams[i], -1);
	cache_forget(e);
}

static void cache_note(struct engine *e, int64_t id)
{
	if (!e->cache)
		return;
	xgrow(&e->cache_changed, &e->cap_cache_changed, e->n_cache_changed + 1,
	      sizeof(*e->cache_changed));
	e->cache_changed[e->n_cache_changed++] = id;
}

static bool cache_held(void *arg, int64_t id)
{
	return store_get(((struct engine *)arg)->store, id) != NULL;
}

/* The records that changed since the last write (all of them after a failed write, or
 * when the cache holds another process's), with where the next sync starts. A failure
 * is said once on stderr; the cache keeps its last good state, and a later sync writes
 * it whole again. */
static void cache_save(struct engine *e, bool full)
{
	struct store_cache_state st = {0};
	bool rewrite = e->cache_rewrite;
	char err[512], *signature;
	const struct store_entry *held;
	size_t i, q;
	int rc = -1;

	/* A quiet poll moves only the watermark: it is written once a minute, so a later
	 * start reads at most that minute again, and an idle engine writes nothing more. */
	if (e->cache && !full && !rewrite && !e->n_cache_changed && e->cache_dir_saved &&
	    time(NULL) - e->cache_saved_at < 60)
		return;
	if (e->cache && e->ready && store_cache_begin(e->cache, &rewrite, err, sizeof(err)) == 0) {
		for (q = 0; rewrite && q < e->cfg->n_queues; q++)
			for (i = 0; (held = store_queue_at(e->store, (int)q, i)); i++)
				store_cache_put(e->cache, &held->conv);
		for (i = 0; !rewrite && i < e->n_cache_changed; i++) {
			held = store_get(e->store, e->cache_changed[i]);
			if (held)
				store_cache_put(e->cache, &held->conv);
			else
				store_cache_remove(e->cache, e->cache_changed[i]);
		}
		if (!rewrite && full)
			store_cache_prune(e->cache, cache_held, e);
		st.saved_at = time(NULL);
		st.newest = e->newest;
		st.next_after = e->next_after;
		st.last_full = e->last_full;
		st.clock_offset = e->clock_offset;
		st.teams = e->teams;
		st.n_teams = e->n_teams;
		st.assignee = e->assignee;
		/* no queues' signature is empty: a damaged cache is never loaded */
		signature = e->cache_damaged ? xstrdup("") : cache_signature(e);
		rc = store_cache_commit(e->cache, signature, &st,
					rewrite || !e->cache_dir_saved ? e->dir : NULL, err,
					sizeof(err));
		free(signature);
	} else if (!e->cache || !e->ready) {
		rc = 0;
	}
	e->n_cache_changed = 0;
	if (rc < 0 && !e->cache_failing)
		fprintf(stderr, "%s: %s; the queues are not cached until it works again\n",
			util_progname(), err);
	e->cache_failing = rc < 0;
	e->cache_rewrite = rc < 0;
	if (rc == 0 && e->cache && e->ready) {
		e->cache_dir_saved = true;
		e->cache_saved_at = time(NULL);
	}
}

static void on_cache_timer(void *arg)
{
	struct engine *e = arg;

	e->cache_timer = 0;
	cache_save(e, e->cache_full);
	e->cache_full = false;
}

/* A sync ended: a one-shot engine writes now (it stops at once); a polling one on the
 * loop's next pass, so the screen draws what the sync brought before the write. */
static void cache_save_soon(struct engine *e, bool full)
{
	e->cache_full |= full;
	if (!e->polling)
		on_cache_timer(e);
	else if (!e->cache_timer)
		e->cache_timer = loop_timer_add(e->loop, 0, on_cache_timer, e);
}

int engine_init(struct engine *e, const struct config *cfg, struct loop *loop,
		const char *token, const struct engine_listener *listener, char *err,
		size_t errlen)
{
	const char *type = cfg->backend ? cfg->backend : "intercom";
	const struct backend_ops *ops = backend_find(type);
	struct sla_policy policies[CONFIG_MAX_QUEUES];
	struct backend_options bopt = {.url = cfg->url,
				       .token = token,
				       .max_response = cfg->max_response,
				       .admin = cfg->admin,
				       .admin_from_env = cfg->admin_from_env,
				       .account_id = cfg->account_id};
	struct backend_listener bl = {
		.ready = on_ready,
		.conversation = on_conversation,
		.damaged = on_damaged,
		.held = on_held,
		.sync_done = on_sync_done,
		.failed = on_failed,
		.refused = on_refused,
		.server_time = on_server_time,
	};
	size_t i;

	memset(e, 0, sizeof(*e));
	if (!ops) {
		char names[128];

		backend_names(names, sizeof(names));
		snprintf(err, errlen, "unknown backend type \"%s\" under [backend]; known: %s", type,
			 names);
		return -1;
	}
	e->cfg = cfg;
	e->loop = loop;
	e->ops = ops;
	if (listener)
		e->listener = *listener;
	for (i = 0; i < cfg->n_queues; i++)
		policies[i] = cfg->queues[i].policy;
	e->store = store_new(policies, cfg->n_queues);
	bl.arg = e;
	e->backend = ops->create(loop, &bopt, &bl, err, errlen);
	if (!e->backend) {
		store_free(e->store);
		e->store = NULL; /* engine_release may follow */
		return -1;
	}
	return 0;
}

void engine_release(struct engine *e)
{
	if (e->poll_timer)
		loop_timer_cancel(e->loop, e->poll_timer);
	if (e->tick_timer)
		loop_timer_cancel(e->loop, e->tick_timer);
	if (e->restart_timer)
		loop_timer_cancel(e->loop, e->restart_timer);
	if (e->hours_timer)
		loop_timer_cancel(e->loop, e->hours_timer);
	/* A write the last sync asked for is made now, while the store holds its records:
	 * a frontline stopped right after its sync still starts from the cache next time. */
	if (e->cache_timer) {
		loop_timer_cancel(e->loop, e->cache_timer);
		on_cache_timer(e);
	}
	/* Before the driver: its requests hold the sender's flights. */
	sender_free(e->sender);
	if (e->backend)
		e->ops->destroy(e->backend);
	store_free(e->store);
	store_cache_close(e->cache);
	store_cache_state_release(&e->cached);
	directory_release(&e->cached_dir);
	free(e->cache_changed);
	memset(e, 0, sizeof(*e));
}

void engine_start(struct engine *e, bool polling)
{
	e->polling = polling;
	if (!e->cache)
		cache_load(e);
	if (polling)
		e->tick_timer = loop_timer_add(e->loop, loop_ms_to_next_second(), on_tick, e);
	if (polling && !e->sender)
		e->sender = engine_sender_new(e, SENDER_ALL, 1000);
	e->ops->start(e->backend);
}

void engine_fetch_thread(struct engine *e, int64_t id, backend_thread_fn fn, void *arg)
{
	poll_wake(e);
	e->ops->fetch_thread(e->backend, id, fn, arg);
}

void engine_fetch_customer(struct engine *e, const char *contact_id, backend_customer_fn fn,
			   void *arg)
{
	struct result r = {.cls = RESULT_PERMANENT,
			   .message = "this backend does not tell who its customers are"};

	if (e->ops->fetch_customer && contact_id)
		e->ops->fetch_customer(e->backend, contact_id, fn, arg);
	else
		fn(arg, NULL, &r);
}

void engine_write(struct engine *e, const struct write_op *w, backend_done_fn fn, void *arg)
{
	poll_wake(e);
	e->ops->write(e->backend, w, fn, arg);
}

void engine_create_tag(struct engine *e, const char *name, backend_tag_fn fn, void *arg)
{
	e->ops->create_tag(e->backend, name, fn, arg);
}

void engine_sync_articles(struct engine *e, struct articles *index, backend_done_fn fn,
			  void *arg)
{
	e->ops->sync_articles(e->backend, index, fn, arg);
}

void engine_search_articles(struct engine *e, const char *query, backend_articles_fn fn,
			    void *arg)
{
	e->ops->search_articles(e->backend, query, fn, arg);
}

void engine_fetch_macros(struct engine *e, backend_replies_fn fn, void *arg)
{
	struct result none = {.cls = RESULT_OK};

	if (!e->ops->fetch_macros) {
		fn(arg, NULL, 0, &none);
		return;
	}
	e->ops->fetch_macros(e->backend, fn, arg);
}

void engine_search_conversations(struct engine *e, const struct convsearch *q, size_t max,
				 backend_conversations_fn fn, void *arg)
{
	e->ops->search_conversations(e->backend, q, max, fn, arg);
}

unsigned engine_queues_of(const struct engine *e, const struct conversation *cv)
{
	unsigned in = 0;
	size_t q, t;
	bool team;

	for (q = 0; q < e->cfg->n_queues; q++) {
		const struct config_queue *cq = &e->cfg->queues[q];

		team = cq->n_teams == 0;
		for (t = 0; !team && cv->team_assignee_id && t < cq->n_teams; t++)
			team = directory_find(e->dir->teams, e->dir->n_teams, cq->teams[t]) ==
			       cv->team_assignee_id;
		if (team && query_match_record(&e->views[q].filter, cv, e->dir, e->dir->me))
			in |= 1u << q;
	}
	return in;
}

void engine_team_metrics(struct engine *e, int64_t team_id, long idle_threshold,
			 backend_metrics_fn fn, void *arg)
{
	struct result res = {.cls = RESULT_PERMANENT, .message = "this backend has no team metrics"};

	if (!e->ops->team_metrics) {
		fn(arg, NULL, 0, &res);
		return;
	}
	e->ops->team_metrics(e->backend, team_id, idle_threshold, fn, arg);
}

bool engine_has_reports(const struct engine *e)
{
	return e->ops->report_page != NULL;
}

void engine_report_page(struct engine *e, fl_time since, fl_time until, fl_time updated_after,
			const char *cursor, backend_report_fn fn, void *arg)
{
	struct result res = {.cls = RESULT_PERMANENT, .message = "this backend has no reports"};

	if (!e->ops->report_page) {
		fn(arg, NULL, 0, NULL, 0, &res);
		return;
	}
	e->ops->report_page(e->backend, since, until, updated_after, cursor, fn, arg);
}

size_t engine_pending(const struct engine *e)
{
	return e->backend ? e->ops->pending(e->backend) : 0;
}

const char *engine_write_refusal(const struct engine *e)
{
	return e->ready && !e->dir->me ? e->dir->me_refusal : NULL;
}

/* ---- the sender's door (sender.h's struct sender_link) ---- */

/* Nothing is sent without an admin to act as: what waits in the outbox stays there. */
static const struct directory *link_directory(void *arg)
{
	const struct engine *e = arg;

	return e->ready && e->dir->me ? e->dir : NULL;
}

static int64_t link_clock_offset(void *arg)
{
	const struct engine *e = arg;

	return e->clock_offset;
}

static void link_write(void *arg, const struct write_op *w, backend_done_fn fn, void *fnarg)
{
	engine_write(arg, w, fn, fnarg);
}

static void link_fetch_thread(void *arg, int64_t id, backend_thread_fn fn, void *fnarg)
{
	engine_fetch_thread(arg, id, fn, fnarg);
}

static void link_create_tag(void *arg, const char *name, backend_tag_fn fn, void *fnarg)
{
	engine_create_tag(arg, name, fn, fnarg);
}

struct sender *engine_sender_new(struct engine *e, enum sender_scope scope, int64_t poll_ms)
{
	struct sender_link link = {
		.arg = e,
		.loop = e->loop,
		.state_dir = e->cfg->state_dir,
		.account = e->cfg->url,
		.directory = link_directory,
		.clock_offset = link_clock_offset,
		.write = link_write,
		.fetch_thread = link_fetch_thread,
		.create_tag = link_create_tag,
	};

	return sender_new(&link, scope, poll_ms);
}
