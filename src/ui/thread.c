/* thread.c: the conversation view (the thread fetched from the backend, customer, agent
 * and notes told apart) and the help screen made from the action table. */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "directory.h"
#include "store.h"
#include "text.h"
#include "ui-private.h"
#include "util.h"

static void format_time(fl_time t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !localtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M", &tm))
		snprintf(buf, len, "?");
}

static void on_customer(void *arg, struct customer *cu, const struct result *r);

/* The customer cache, opened on first use; NULL (said once) when it cannot be. */
static struct customer_cache *customer_cache(struct ui *u)
{
	char err[512];

	if (u->customers || u->customers_failed || !u->cfg->state_dir)
		return u->customers;
	u->customers =
	    customer_cache_open(u->cfg->state_dir, u->cfg->url,
				u->engine.dir ? u->engine.dir->me : 0, 0, err, sizeof(err));
	if (!u->customers) {
		u->customers_failed = true;
		ui_message(u, true, "customers are not cached: %s", err);
	}
	return u->customers;
}

/* The view shows cu (taken over) as the cache has it. */
static void customer_show_cached(struct ui_pager *p, struct customer *cu,
				 const struct customer_cache_info *info)
{
	customer_release(&p->customer);
	p->customer = *cu;
	memset(cu, 0, sizeof(*cu));
	p->have_customer = true;
	p->customer_fetched_at = info->fetched_at;
	free(p->customer_error);
	p->customer_error = NULL;
	p->built_width = -1;
}

/* Shows the view's customer: the cached one at once, and asks the backend (on_customer
 * finds the view again) when there is none, the conversation changed since it was
 * cached, or it is old; `changed`: the thread was fetched again, so ask whatever the
 * cache says (a change in the same second as the cached fetch looks no newer). */
static void customer_fetch(struct ui *u, struct ui_pager *p, bool changed)
{
	struct customer_cache *cc = customer_cache(u);
	struct customer_cache_info info;
	struct customer cu;
	fl_time now = engine_now(&u->engine);
	char err[512];
	int found =
	    cc ? customer_cache_get(cc, p->thread.contact_id, &cu, &info, err, sizeof(err)) : 0;

	if (found < 0)
		ui_message(u, true, "%s", err);
	if (found > 0) {
		customer_show_cached(p, &cu, &info);
		u->dirty |= UI_DIRTY_PAGER;
		if (!changed && !customer_cache_stale(&info, p->thread.conv.updated_at, now))
			return;
	}
	p->customer_loading = true;
	engine_fetch_customer(&u->engine, p->thread.contact_id, on_customer, u);
}

/* The customer of a view whose conversation could not be loaded: the cached one, found
 * by the conversation, said to be from the cache. */
static void customer_offline_show(struct ui *u, struct ui_pager *p)
{
	struct customer_cache *cc = customer_cache(u);
	struct customer_cache_info info;
	struct customer cu;
	char err[512];
	int found =
	    cc ? customer_cache_get_for(cc, p->conversation, &cu, &info, err, sizeof(err)) : 0;

	free(p->customer_error);
	p->customer_error = NULL;
	if (found < 0)
		p->customer_error = xstrdup(err);
	else if (found == 0)
		p->customer_error = xstrdup("not cached, and the conversation could not be loaded");
	if (found <= 0)
		return;
	customer_show_cached(p, &cu, &info);
	free(p->customer_offline);
	p->customer_offline = xstrdup(p->error ? p->error : "no answer");
}

/* The open conversation view of id, if it is anywhere in the stack. */
static struct ui_pager *thread_view(struct ui *u, int64_t id)
{
	int i;

	for (i = u->n_pagers - 1; i >= 0; i--)
		if (u->pagers[i].kind == UI_PAGER_THREAD && u->pagers[i].conversation == id)
			return &u->pagers[i];
	return NULL;
}

/* The view's first line: " #ID  Customer — Subject", from c (NULL: only the id, until
 * the thread tells more); a chat without a subject has no dash after the name. */
static char *thread_title(int64_t id, const struct conversation *c)
{
	return xasprintf(" #%lld  %s%s%s", (long long)id, c && c->customer ? c->customer : "",
			 c && c->title && *c->title ? " — " : "", c && c->title ? c->title : "");
}

/* The backend's answer; the view it was for may be gone (q pressed meanwhile). */
static void on_thread(void *arg, struct thread *t, const struct result *r)
{
	struct ui *u = arg;
	const char *error = r->cls == RESULT_OK ? NULL : r->message;
	struct ui_pager *p = NULL;
	int i;

	if (t)
		p = thread_view(u, t->conv.id);
	else
		for (i = u->n_pagers - 1; i >= 0 && !p; i--)
			if (u->pagers[i].kind == UI_PAGER_THREAD && u->pagers[i].loading)
				p = &u->pagers[i];
	if (!p) {
		if (t)
			thread_release(t);
		return;
	}
	p->loading = false;
	free(p->error);
	p->error = NULL;
	if (error || !t) {
		p->error = xstrdup(error ? error : "no answer");
		if (p->show_customer && !p->have_thread && !p->have_customer)
			customer_offline_show(u, p);
	} else {
		bool refetched = p->have_thread;

		if (!p->have_thread && !store_get(u->engine.store, t->conv.id)) {
			/* not in the queues (a search's result): the thread tells who and what */
			char *title = thread_title(t->conv.id, &t->conv);

			free(p->title);
			p->title = text_sanitize(title, false);
			free(title);
		}
		if (!p->have_thread) {
			p->opened_parts = t->n_parts + (size_t)(t->n_missing > 0 ? t->n_missing : 0);
			p->opened_assignee = t->conv.admin_assignee_id;
			p->opened_at = engine_now(&u->engine);
		}
		if (p->have_thread)
			thread_release(&p->thread);
		p->thread = *t;
		memset(t, 0, sizeof(*t));
		p->have_thread = true;
		p->recheck = !p->rechecking && p->thread.conv.updated_at >= p->fetch_sent_at;
		p->rechecking = false;
		/* the local index answers at once: suggestions come with the thread */
		ui_articles_suggest(u, p);
		/* the conversation changed: so may have its customer */
		if (p->show_customer && !p->customer_loading)
			customer_fetch(u, p, refetched);
	}
	p->built_width = -1;
	u->dirty |= UI_DIRTY_PAGER;
}

void ui_thread_refresh(struct ui *u, int64_t id)
{
	struct ui_pager *p = thread_view(u, id);

	if (!p)
		return;
	p->loading = true;
	p->fetch_sent_at = engine_now(&u->engine);
	engine_fetch_thread(&u->engine, id, on_thread, u);
}

void ui_thread_follow(struct ui *u)
{
	const struct store_entry *e;
	struct ui_pager *p;
	int i;

	for (i = 0; i < u->n_pagers; i++) {
		p = &u->pagers[i];
		if (p->kind != UI_PAGER_THREAD || p->loading || !p->have_thread)
			continue;
		e = store_get(u->engine.store, p->conversation);
		if (e && e->conv.updated_at > p->thread.conv.updated_at) {
			p->rechecking = false;
			ui_thread_refresh(u, p->conversation);
		} else if (p->recheck && engine_now(&u->engine) > p->fetch_sent_at) {
			p->recheck = false;
			p->rechecking = true;
			ui_thread_refresh(u, p->conversation);
		}
	}
}

unsigned ui_thread_open(struct ui *u, int64_t id)
{
	const struct store_entry *e = store_get(u->engine.store, id);
	char *title;
	struct ui_pager *p;

	if (!id || !u->engine.ready)
		return 0;
	/* a chat without a subject has no dash after the name */
	title = thread_title(id, e ? &e->conv : NULL);
	p = ui_pager_push(u, UI_PAGER_THREAD, title);
	free(title);
	p->conversation = id;
	p->loading = true;
	p->fetch_sent_at = engine_now(&u->engine);
	engine_fetch_thread(&u->engine, id, on_thread, u);
	if (store_mark_read(u->engine.store, id))
		ui_write_read(u, id);
	return UI_DIRTY_LAYOUT | UI_DIRTY_ROWS;
}

/* ---- the customer panel ---- */

/* The backend's answer about a customer; the view may be gone, or show another. */
static void on_customer(void *arg, struct customer *cu, const struct result *r)
{
	struct ui *u = arg;
	struct ui_pager *p = NULL;
	int i;

	for (i = u->n_pagers - 1; i >= 0 && !p; i--)
		if (u->pagers[i].kind == UI_PAGER_THREAD && u->pagers[i].customer_loading)
			p = &u->pagers[i];
	if (!p)
		return;
	p->customer_loading = false;
	free(p->customer_offline);
	p->customer_offline = NULL;
	p->built_width = -1;
	u->dirty |= UI_DIRTY_PAGER;
	if ((r->cls == RESULT_TRANSPORT || r->cls == RESULT_TRANSIENT) && p->have_customer) {
		/* offline: the cached customer stays, with its age and why it is not fresh */
		p->customer_offline = xstrdup(r->message ? r->message : "no answer");
		return;
	}
	free(p->customer_error);
	p->customer_error = NULL;
	customer_release(&p->customer);
	p->have_customer = false;
	if (r->cls != RESULT_OK || !cu) {
		p->customer_error = xstrdup(r->message ? r->message : "no answer");
	} else {
		struct customer_cache *cc = customer_cache(u);
		char err[512];

		p->customer = *cu;
		memset(cu, 0, sizeof(*cu));
		p->have_customer = true;
		p->customer_fetched_at = engine_now(&u->engine);
		if (cc && customer_cache_put(cc, &p->customer, p->thread.conv.updated_at,
					     p->customer_fetched_at, err, sizeof(err)) < 0)
			ui_message(u, true, "%s", err);
	}
	p->customer_selected = 0;
}

/* The customer's earlier conversations: all of the customer's but this one. */
static size_t customer_previous(const struct ui_pager *p, const struct customer_conversation **out,
				size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < p->customer.n_previous && n < max; i++)
		if (p->customer.previous[i].id != p->conversation)
			out[n++] = &p->customer.previous[i];
	return n;
}

#define CUSTOMER_PREVIOUS_MAX 20

static struct ui_pager *customer_view(struct ui *u)
{
	struct ui_pager *p = ui_pager_top(u);

	return p && p->kind == UI_PAGER_THREAD ? p : NULL;
}

unsigned ui_customer_toggle(struct ui *u)
{
	struct ui_pager *p = customer_view(u);

	if (!p)
		return 0;
	p->show_customer = !p->show_customer;
	if (p->show_customer && !p->have_customer && !p->customer_loading && p->have_thread)
		customer_fetch(u, p, false);
	else if (p->show_customer && !p->have_customer && !p->have_thread && p->error)
		customer_offline_show(u, p);
	p->built_width = -1;
	return UI_DIRTY_PAGER;
}

/* The conversation view whose customer panel shows its earlier conversations (into prev,
 * n of them), or NULL. */
static struct ui_pager *customer_shown(struct ui *u, const struct customer_conversation **prev,
				       size_t *n)
{
	struct ui_pager *p = customer_view(u);

	if (!p || !p->show_customer || !p->have_customer)
		return NULL;
	*n = customer_previous(p, prev, CUSTOMER_PREVIOUS_MAX);
	return p;
}

unsigned ui_customer_open_selected(struct ui *u)
{
	const struct customer_conversation *prev[CUSTOMER_PREVIOUS_MAX];
	size_t n = 0;
	struct ui_pager *p = customer_shown(u, prev, &n);

	if (!p || p->customer_selected >= n)
		return 0;
	return ui_thread_open(u, prev[p->customer_selected]->id);
}

unsigned ui_customer_select_next(struct ui *u)
{
	const struct customer_conversation *prev[CUSTOMER_PREVIOUS_MAX];
	size_t n = 0;
	struct ui_pager *p = customer_shown(u, prev, &n);

	if (!p)
		return 0;
	p->customer_selected = n ? (p->customer_selected + 1) % n : 0;
	p->built_width = -1;
	return UI_DIRTY_PAGER;
}

/* One "Label  value" line of the panel, the value sanitised. */
static void customer_add_field(struct ui_pager *p, const char *label, const char *value)
{
	char *safe, *line;

	if (!value || !*value)
		return;
	safe = text_sanitize(value, false);
	line = xasprintf(" %-10s %s", label, safe);
	ui_pager_add_joined(p, UI_STYLE_NORMAL, line, 12);
	free(line);
	free(safe);
}

/* "a, b, c": the n words joined by sep (a new string). */
static char *join_words(char *const *words, size_t n, const char *sep)
{
	size_t i, len = 1;
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(words[i] ? words[i] : "") + strlen(sep);
	s = xcalloc(1, len);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, sep);
		strcat(s, words[i] ? words[i] : "");
	}
	return s;
}

/* How old the customer shown is, when it came from the cache a while ago or the backend
 * could not be asked: "as of 3 min ago; refreshing…", "...; the backend is unreachable". */
static void customer_add_age(struct ui_pager *p, fl_time now)
{
	char *age = customer_cache_age_text(p->customer_fetched_at, now), *line, *safe;

	if (p->customer_offline) {
		safe = text_sanitize(p->customer_offline, false);
		line = xasprintf(" %s%sthe backend is unreachable, shown from the cache (%s)",
				 age ? age : "", age ? "; " : "", safe);
		ui_pager_add_wrapped(p, UI_STYLE_ERROR, line, 1);
		free(safe);
		free(line);
	} else if (age) {
		line = xasprintf(" %s%s", age, p->customer_loading ? "; refreshing…" : "");
		ui_pager_add(p, UI_STYLE_EVENT, false, line);
		free(line);
	}
	free(age);
}

static void thread_add_customer(const struct ui *u, struct ui_pager *p, fl_time now)
{
	const struct customer *cu = &p->customer;
	const struct customer_conversation *prev[CUSTOMER_PREVIOUS_MAX];
	char *place, *zone, *local, when[32], *head, hide[32], next[32], open[32];
	size_t i, n;

	head = xasprintf(" Customer  (%s hides; %s selects, %s opens)",
			 ui_key_for(u, "customer", hide, sizeof(hide)),
			 ui_key_for(u, "customer-next", next, sizeof(next)),
			 ui_key_for(u, "customer-open", open, sizeof(open)));
	ui_pager_add(p, UI_STYLE_TITLE, true, head);
	free(head);
	if (p->customer_loading && !p->have_customer) {
		ui_pager_add(p, UI_STYLE_EVENT, false, " loading…");
		return;
	}
	if (p->have_customer)
		customer_add_age(p, now);
	if (p->customer_error) {
		char *s = xasprintf(" could not load the customer: %s", p->customer_error);

		ui_pager_add_wrapped(p, UI_STYLE_ERROR, s, 1);
		free(s);
		return;
	}
	if (cu->missing) {
		ui_pager_add(p, UI_STYLE_EVENT, false,
			     " the contact was deleted: the backend has no such customer");
		return;
	}
	customer_add_field(p, "Name", cu->name);
	customer_add_field(p, "Email", cu->email);
	customer_add_field(p, "Company", cu->company);
	customer_add_field(p, "Plan", cu->plan);
	if (cu->n_tags) {
		char *tags = join_words(cu->tags, cu->n_tags, ", ");

		customer_add_field(p, "Tags", tags);
		free(tags);
	}
	place = xasprintf("%s%s%s%s%s", cu->city ? cu->city : "",
			  cu->city && (cu->region || cu->country) ? ", " : "",
			  cu->region ? cu->region : "", cu->region && cu->country ? ", " : "",
			  cu->country ? cu->country : "");
	customer_add_field(p, "Location", place);
	free(place);
	zone = customer_time_zone(cu->city);
	local = customer_local_time(zone, now);
	if (local) {
		place = xasprintf("%s (%s, from the city)", local, zone);
		customer_add_field(p, "Local time", place);
		free(place);
	}
	free(zone);
	free(local);
	n = customer_previous(p, prev, CUSTOMER_PREVIOUS_MAX);
	if (!n)
		ui_pager_add(p, UI_STYLE_EVENT, false, " no earlier conversations");
	for (i = 0; i < n; i++) {
		char *title = text_sanitize(prev[i]->title ? prev[i]->title : "", false), *line;

		format_time(prev[i]->created_at, when, sizeof(when));
		line = xasprintf("%s #%lld  %s  %s  %s", i == p->customer_selected ? ">" : " ",
				 (long long)prev[i]->id,
				 prev[i]->state == CONV_CLOSED    ? "closed"
				 : prev[i]->state == CONV_SNOOZED ? "snoozed"
								    : "open",
				 when, title);
		ui_pager_add_joined(p, i == p->customer_selected ? UI_STYLE_TITLE : UI_STYLE_NORMAL,
				    line, 3);
		free(line);
		free(title);
	}
}

/* Who wrote a part, and how it is marked: the customer, an agent, an internal note, or
 * an event (close, assignment, ...). */
static void thread_add_part(struct ui_pager *p, size_t index, const struct directory *dir)
{
	const struct thread_part *part = &p->thread.parts[index];
	bool note = part->kind && !strcmp(part->kind, "note");
	enum ui_style style = note				  ? UI_STYLE_NOTE
			      : !thread_part_is_message(part) ? UI_STYLE_EVENT
			      : part->from_admin		  ? UI_STYLE_AGENT
								  : UI_STYLE_CUSTOMER;
	char *head = thread_part_head(&p->thread, index, dir), *safe = text_sanitize(head, false);

	ui_pager_add(p, UI_STYLE_NORMAL, false, "");
	ui_pager_add(p, style, true, safe);
	if (part->body && *part->body)
		ui_pager_add_wrapped(p, note ? UI_STYLE_NOTE : UI_STYLE_NORMAL, part->body, 3);
	free(head);
	free(safe);
}

/* Where the backend left parts out, how many. */
static void thread_add_gap(struct ui_pager *p)
{
	char *gap = thread_gap_text(&p->thread), *line;

	if (!gap)
		return;
	line = xasprintf("··· %s ···", gap);
	ui_pager_add(p, UI_STYLE_NORMAL, false, "");
	ui_pager_add_wrapped(p, UI_STYLE_EVENT, line, 1);
	free(line);
	free(gap);
}

/* Up to three articles for the customer's last message, numbered for the keys 1..3. */
static void thread_add_suggested(struct ui_pager *p)
{
	size_t i;

	if (!p->n_suggested)
		return;
	ui_pager_add(p, UI_STYLE_NORMAL, false, "");
	ui_pager_add(p, UI_STYLE_TITLE, true, " Suggested articles:");
	for (i = 0; i < p->n_suggested; i++) {
		char *line = xasprintf("[%zu] %s", i + 1,
				       p->suggested[i].title ? p->suggested[i].title : "?");

		ui_pager_add_joined(p, UI_STYLE_TITLE, line, 3);
		free(line);
	}
}

static const char *state_word(enum conv_state s)
{
	return s == CONV_CLOSED ? "closed" : s == CONV_SNOOZED ? "snoozed" : "open";
}

/* The conversation's state as the queues know it now (the store follows every poll and
 * tick), else as fetched: countdown, queue, state and wake time, assignee, team, tags,
 * priority and the backend's SLA. */
static void thread_add_header(struct ui *u, struct ui_pager *p)
{
	const struct store_entry *e = store_get(u->engine.store, p->conversation);
	const struct conversation *c =
	    e && e->conv.updated_at >= p->thread.conv.updated_at ? &e->conv : &p->thread.conv;
	const struct directory *d = u->engine.dir;
	const char *team = d && c->team_assignee_id
			       ? directory_name(d->teams, d->n_teams, c->team_assignee_id)
			       : NULL;
	char left[32] = "", clock[64] = "", state[64], when[32];
	char *tags = ui_tag_names(u, c), *summary, *line, *pending;
	const char *sla;
	const char *queue = e && e->queue >= 0 && (size_t)e->queue < u->cfg->n_queues
				? u->cfg->queues[e->queue].title
				: NULL;

	if (e && c->state != CONV_CLOSED)
		ui_countdown_text(u, e, left, sizeof(left));
	if (left[0])
		snprintf(clock, sizeof(clock), "%s%s%s  ", e->clock.state >= SLA_OK ? "due " : "", left,
			 e->clock.state == SLA_BREACHED  ? " (breached)"
			 : e->clock.state == SLA_WARNING ? " (warning)"
							 : "");
	format_time(c->snoozed_until, when, sizeof(when));
	snprintf(state, sizeof(state), "%s%s%s", state_word(c->state),
		 c->state == CONV_SNOOZED && c->snoozed_until ? " until " : "",
		 c->state == CONV_SNOOZED && c->snoozed_until ? when : "");
	line = xasprintf("%squeue %s  %s  assignee %s  team %s", clock, queue ? queue : "-", state,
			 ui_assignee_name(u, c), team ? team : c->team_assignee_id ? "?" : "-");
	ui_pager_add_joined(p, UI_STYLE_TITLE, line, 1);
	free(line);
	/* the backend's SLA as `show` words it: "SLA Real-time 2m: missed" */
	summary = conversation_sla_summary(c);
	sla = summary && c->backend_sla != BACKEND_SLA_NONE ? strstr(summary, "SLA ") : NULL;
	line = xasprintf("tags %s  priority %s%s%s", *tags ? tags : "-", priority_word(c->priority),
			 sla ? "  " : "", sla ? sla : "");
	ui_pager_add_joined(p, UI_STYLE_TITLE, line, 1);
	free(line);
	free(summary);
	free(tags);
	/* the agent's changes show at once, before the backend has them */
	pending = ui_writes_pending(u, p->conversation);
	if (pending) {
		line = xasprintf("on its way: %s", pending);
		ui_pager_add_joined(p, UI_STYLE_EVENT, line, 1);
		free(line);
		free(pending);
	}
}

void ui_ticked_threads(struct ui *u)
{
	struct ui_pager *p = ui_pager_top(u);

	/* the header's countdown and state follow the clock and the store */
	if (p && p->kind == UI_PAGER_THREAD && p->have_thread) {
		p->built_width = -1;
		u->dirty |= UI_DIRTY_PAGER;
	}
}

void ui_thread_build(struct ui *u, struct ui_pager *p)
{
	size_t i;

	if (p->error) {
		char *s = xasprintf("could not load the conversation: %s", p->error);

		ui_pager_add_wrapped(p, UI_STYLE_ERROR, s, 1);
		free(s);
		if (p->show_customer && !p->have_thread)
			thread_add_customer(u, p, engine_now(&u->engine));
		return;
	}
	if (!p->have_thread) {
		ui_pager_add(p, UI_STYLE_NORMAL, false, " loading…");
		return;
	}
	thread_add_header(u, p);
	if (p->thread.conv.title && *p->thread.conv.title)
		ui_pager_add_joined(p, UI_STYLE_NORMAL, p->thread.conv.title, 1);
	if (p->show_customer)
		thread_add_customer(u, p, engine_now(&u->engine));
	thread_add_suggested(p);
	for (i = 0; i <= p->thread.n_parts; i++) {
		if (i == thread_gap_index(&p->thread))
			thread_add_gap(p);
		if (i < p->thread.n_parts)
			thread_add_part(p, i, u->engine.dir);
	}
	if (p->loading)
		ui_pager_add(p, UI_STYLE_EVENT, false, " (refreshing…)");
}

/* ---- help ---- */

unsigned ui_help_open(struct ui *u)
{
	char back[32], *title = xasprintf(" frontline keys  (%s to go back)",
					   ui_key_for(u, "back", back, sizeof(back)));

	ui_pager_push(u, UI_PAGER_HELP, title);
	free(title);
	return UI_DIRTY_LAYOUT;
}

