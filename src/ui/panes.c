/* panes.c: the two queues on screen: layout (side by side, stacked below 100 columns),
 * one row per conversation, and the selection, which follows its conversation as the
 * queue re-sorts. Each row remembers what it shows, so only rows that changed are
 * written. */
#include "build-config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "query.h"
#include "sender.h"
#include "store.h"
#include "text.h"
#include "ui-private.h"
#include "urgency.h"
#include "util.h"

#define SIDE_BY_SIDE_MIN 100

/* A pane is its title, its rows and, with room for it, a footer: what is hidden above
 * and below, and the selection's position ("↑ 11 more  ↓ 120 more   12/143"). */
static bool pane_has_footer(const struct ui_pane *p) { return p->height > 2; }

int ui_pane_rows(const struct ui_pane *p)
{
	return p->height > 1 ? p->height - 1 - pane_has_footer(p) : 0;
}

static void pane_forget(struct ui_pane *p)
{
	int i;

	for (i = 0; p->shown && i < ui_pane_rows(p); i++)
		free(p->shown[i]);
	free(p->shown);
	free(p->shown_attr);
	free(p->title_shown);
	free(p->footer_shown);
	p->shown = NULL;
	p->shown_attr = NULL;
	p->title_shown = NULL;
	p->footer_shown = NULL;
}

void ui_panes_release(struct ui *u)
{
	int i;

	for (i = 0; i < u->n_panes; i++)
		pane_forget(&u->panes[i]);
}

void ui_panes_free(struct ui *u)
{
	int i;

	ui_panes_release(u);
	for (i = 0; i < u->n_panes; i++) {
		free(u->panes[i].view);
		u->panes[i].view = NULL;
		u->panes[i].n_view = u->panes[i].cap_view = 0;
	}
	free(u->marks);
	u->marks = NULL;
	u->n_marks = u->cap_marks = 0;
}

/* The queues shown: the first real-time queue on the left, the first other one on the
 * right (more queues wait for a queue switcher). */
static void panes_pick_queues(struct ui *u)
{
	int q, rt = -1, other = -1;

	for (q = 0; q < (int)u->cfg->n_queues; q++) {
		if (u->cfg->queues[q].realtime && rt < 0)
			rt = q;
		else if (!u->cfg->queues[q].realtime && other < 0)
			other = q;
	}
	if (rt < 0 && u->cfg->n_queues > 1) {
		rt = 0;
		other = 1;
	}
	u->n_panes = 0;
	if (rt >= 0)
		u->panes[u->n_panes++].queue = rt;
	if (other >= 0)
		u->panes[u->n_panes++].queue = other;
}

void ui_panes_layout(struct ui *u)
{
	int area = u->rows - 1 - ui_composer_rows(u), i;

	ui_panes_release(u);
	if (u->n_panes == 0)
		panes_pick_queues(u);
	u->stacked = u->cols < SIDE_BY_SIDE_MIN;
	for (i = 0; i < u->n_panes; i++) {
		struct ui_pane *p = &u->panes[i];

		if (u->n_panes == 1) {
			p->y = 0;
			p->x = 0;
			p->height = area;
			p->width = u->cols;
		} else if (u->stacked) {
			p->y = i == 0 ? 0 : area / 2;
			p->x = 0;
			p->height = i == 0 ? area / 2 : area - area / 2;
			p->width = u->cols;
		} else {
			/* One column between the panes for the divider. */
			p->y = 0;
			p->x = i == 0 ? 0 : u->cols / 2 + 1;
			p->height = area;
			p->width = i == 0 ? u->cols / 2 : u->cols - u->cols / 2 - 1;
		}
		if (p->height < 1)
			p->height = 1;
		p->shown = xcalloc((size_t)ui_pane_rows(p) + 1, sizeof(*p->shown));
		p->shown_attr = xcalloc((size_t)ui_pane_rows(p) + 1, sizeof(*p->shown_attr));
	}
	ui_panes_follow(u);
}

/* ---- the view: filter and order ---- */

/* The filter = of the pane's queue, parsed (the configuration checked it): empty when
 * the queue has none. */
static void pane_queue_filter(const struct ui *u, const struct ui_pane *p, struct query *out)
{
	const char *text = p->queue >= 0 && (size_t)p->queue < u->cfg->n_queues
			       ? u->cfg->queues[p->queue].filter
			       : NULL;
	char err[200];

	if (query_parse(text, out, err, sizeof(err)) < 0)
		memset(out, 0, sizeof(*out));
}

/* Whether the queue's filter = has terms of the clock (sla:, breached, ...): the store
 * chooses a queue's conversations by the others, so only those need a view here. */
static bool pane_queue_filter_clock(const struct ui *u, const struct ui_pane *p)
{
	/* Asked per row drawn: the answer for the last filter text (the configuration's,
	 * which stays put) is kept. */
	static const char *last;
	static bool last_clock;
	const char *text;
	struct query own;

	if (p->queue < 0 || (size_t)p->queue >= u->cfg->n_queues)
		return false;
	text = u->cfg->queues[p->queue].filter;
	if (!text)
		return false;
	if (text != last) {
		pane_queue_filter(u, p, &own);
		last_clock = query_uses_clock(&own);
		last = text;
	}
	return last_clock;
}

static bool pane_uses_view(const struct ui *u, const struct ui_pane *p)
{
	return p->filter.n_terms > 0 || p->order != UI_ORDER_URGENCY ||
	       pane_queue_filter_clock(u, p);
}

static void view_reserve(struct ui_pane *p, size_t n)
{
	xgrow(&p->view, &p->cap_view, n, sizeof(*p->view));
}

static int compare_newest(const void *a, const void *b)
{
	const struct store_entry *x = *(const struct store_entry *const *)a;
	const struct store_entry *y = *(const struct store_entry *const *)b;

	if (x->conv.created_at != y->conv.created_at)
		return x->conv.created_at > y->conv.created_at ? -1 : 1;
	return x->conv.id > y->conv.id ? -1 : x->conv.id < y->conv.id;
}

/* The customer waiting longest first; those not waiting on us last. */
static int compare_waiting(const void *a, const void *b)
{
	const struct store_entry *x = *(const struct store_entry *const *)a;
	const struct store_entry *y = *(const struct store_entry *const *)b;
	fl_time wx = x->conv.waiting_since, wy = y->conv.waiting_since;

	if ((wx == 0) != (wy == 0))
		return wx == 0 ? 1 : -1;
	if (wx != wy)
		return wx < wy ? -1 : 1;
	return x->conv.id < y->conv.id ? -1 : x->conv.id > y->conv.id;
}

/* Walks the queue in urgency order keeping the rows that match, then sorts them if the
 * pane shows another order; the view keeps ids, which outlive a store change. Runs only
 * when something it depends on changed. */
static void pane_view_build(struct ui *u, struct ui_pane *p, fl_time now)
{
	const struct store *s = u->engine.store;
	const struct directory *dir = u->engine.dir;
	int64_t me = dir ? dir->me : 0;
	size_t i, kept = 0, n = store_queue_count(s, p->queue);
	const struct store_entry **rows = xmalloc((n ? n : 1) * sizeof(*rows));
	struct query own;

	pane_queue_filter(u, p, &own);
	for (i = 0; i < n; i++) {
		const struct store_entry *e = store_queue_at(s, p->queue, i);

		if (e && query_match(&own, e, dir, me, now) &&
		    (p->filter.n_terms == 0 || query_match(&p->filter, e, dir, me, now)))
			rows[kept++] = e;
	}
	if (p->order != UI_ORDER_URGENCY && kept > 1)
		qsort(rows, kept, sizeof(*rows),
		      p->order == UI_ORDER_NEWEST ? compare_newest : compare_waiting);
	view_reserve(p, kept);
	p->view_warning = p->view_breached = 0;
	for (i = 0; i < kept; i++) {
		p->view[i] = rows[i]->conv.id;
		p->view_warning += rows[i]->clock.state == SLA_WARNING;
		p->view_breached += rows[i]->clock.state == SLA_BREACHED;
	}
	p->n_view = kept;
	free(rows);
	p->view_valid = true;
	p->view_gen = u->store_gen;
	p->view_now = now;
}

static void pane_view_update(struct ui *u, struct ui_pane *p)
{
	fl_time now;

	if (!pane_uses_view(u, p) || !u->engine.store)
		return;
	now = engine_now(&u->engine);
	if (p->view_valid && p->view_gen == u->store_gen &&
	    (!p->filter.uses_time || p->view_now == now)) {
		struct query own;

		if (p->view_now == now || !u->cfg->queues[p->queue].filter)
			return;
		pane_queue_filter(u, p, &own);
		if (!own.uses_time)
			return;
	}
	pane_view_build(u, p, now);
}

static void pane_view_invalidate(struct ui_pane *p) { p->view_valid = false; }

size_t ui_pane_count(struct ui *u, struct ui_pane *p)
{
	if (!u->engine.store)
		return 0;
	if (!pane_uses_view(u, p))
		return store_queue_count(u->engine.store, p->queue);
	pane_view_update(u, p);
	return p->n_view;
}

const struct store_entry *ui_pane_at(struct ui *u, struct ui_pane *p, size_t pos)
{
	if (!u->engine.store)
		return NULL;
	if (!pane_uses_view(u, p))
		return store_queue_at(u->engine.store, p->queue, pos);
	pane_view_update(u, p);
	return pos < p->n_view ? store_get_in(u->engine.store, p->queue, p->view[pos]) : NULL;
}

/* The view position of a conversation, or (size_t)-1; hint is checked first. */
static size_t pane_position(struct ui *u, struct ui_pane *p, int64_t id, size_t hint)
{
	const struct store_entry *e = store_get_in(u->engine.store, p->queue, id);
	size_t i;

	if (!e)
		return (size_t)-1;
	if (!pane_uses_view(u, p))
		return store_queue_index_in(u->engine.store, p->queue, id);
	pane_view_update(u, p);
	if (hint < p->n_view && p->view[hint] == id)
		return hint;
	for (i = 0; i < p->n_view; i++)
		if (p->view[i] == id)
			return i;
	return (size_t)-1;
}

/* Keeps the selection on screen, scrolling as little as possible. */
static void pane_scroll_to_selection(struct ui_pane *p)
{
	size_t rows = (size_t)ui_pane_rows(p);

	if (rows == 0)
		return;
	if (p->selected < p->first)
		p->first = p->selected;
	else if (p->selected >= p->first + rows)
		p->first = p->selected - rows + 1;
}

static void pane_select(struct ui *u, struct ui_pane *p, size_t index)
{
	size_t n = ui_pane_count(u, p);
	const struct store_entry *e;

	if (n == 0) {
		p->selected = 0;
		p->selected_id = 0;
		p->first = 0;
		return;
	}
	if (index >= n)
		index = n - 1;
	e = ui_pane_at(u, p, index);
	p->selected = index;
	p->selected_id = e ? e->conv.id : 0;
	if (p->first + (size_t)ui_pane_rows(p) > n && n >= (size_t)ui_pane_rows(p))
		p->first = n - (size_t)ui_pane_rows(p);
	pane_scroll_to_selection(p);
}

void ui_panes_follow(struct ui *u)
{
	int i;

	if (!u->engine.store)
		return;
	for (i = 0; i < u->n_panes; i++) {
		struct ui_pane *p = &u->panes[i];
		size_t at =
		    p->selected_id ? pane_position(u, p, p->selected_id, p->selected) : (size_t)-1;

		/* Gone, filtered out or moved to another queue: the row that took its place. */
		if (at == (size_t)-1)
			at = p->selected;
		pane_select(u, p, at);
	}
}

const struct store_entry *ui_pane_selected(const struct ui *u)
{
	const struct ui_pane *p;

	if (u->n_panes == 0)
		return NULL;
	p = &u->panes[u->focus];
	return p->selected_id ? store_get_in(u->engine.store, p->queue, p->selected_id) : NULL;
}

unsigned ui_pane_move(struct ui *u, long delta)
{
	struct ui_pane *p;
	size_t to;

	if (u->n_panes == 0)
		return 0;
	p = &u->panes[u->focus];
	if (delta < 0 && (size_t)-delta > p->selected)
		to = 0;
	else
		to = p->selected + (size_t)delta;
	pane_select(u, p, to);
	return UI_DIRTY_PANES;
}

unsigned ui_pane_jump(struct ui *u, bool end)
{
	if (u->n_panes == 0)
		return 0;
	pane_select(u, &u->panes[u->focus], end ? (size_t)-1 / 2 : 0);
	return UI_DIRTY_PANES;
}

unsigned ui_pane_focus(struct ui *u, int pane)
{
	if (pane < 0 || pane >= u->n_panes || pane == u->focus)
		return 0;
	u->focus = pane;
	return UI_DIRTY_PANES | UI_DIRTY_STATUS;
}

/* How urgent e is: its clock against its queue's targets for its priority and SLA. */
static void entry_urgency(const struct ui *u, const struct store_entry *e, fl_time now,
			  struct sla_urgency *out)
{
	struct sla_targets t;

	sla_targets_for(&u->cfg->queues[e->queue].policy, &e->conv, &t);
	sla_urgency_of(&t, &e->clock, now, out);
}

/* The most urgent row a pane shows (not except), by sla_urgency_compare: its position in
 * *at and its urgency in *best; NULL when no row has a running clock. Every running clock
 * is weighed, since targets differ by priority and named SLA within one queue too. */
static const struct store_entry *pane_most_urgent(struct ui *u, struct ui_pane *p, int64_t except,
						  size_t *at, struct sla_urgency *best)
{
	fl_time now = engine_now(&u->engine);
	const struct store_entry *found = NULL;
	size_t i, n = ui_pane_count(u, p);

	for (i = 0; i < n; i++) {
		const struct store_entry *e = ui_pane_at(u, p, i);
		struct sla_urgency g;

		if (!e || e->conv.id == except || e->clock.state < SLA_OK) {
			/* in urgency order, the running clocks come first */
			if (e && e->clock.state < SLA_OK && p->order == UI_ORDER_URGENCY)
				break;
			continue;
		}
		entry_urgency(u, e, now, &g);
		if (!found || sla_urgency_compare(&g, best) < 0) {
			found = e;
			*best = g;
			*at = i;
		}
	}
	return found;
}

/* Tab: the most urgent conversation of both panes (urgency.h: lateness, or time left,
 * as a share of the target each queue holds it to). */
unsigned ui_panes_most_urgent(struct ui *u) { return ui_panes_most_urgent_except(u, 0); }

/* The same, passing over one conversation: after a reply is sent, its row is no longer
 * the next one to answer, whatever the store says until the backend confirms. */
unsigned ui_panes_most_urgent_except(struct ui *u, int64_t except)
{
	struct sla_urgency best = {0}, g;
	int i, best_pane = -1;
	size_t best_at = 0, at = 0;

	if (!u->engine.store)
		return 0;
	for (i = 0; i < u->n_panes; i++)
		if (pane_most_urgent(u, &u->panes[i], except, &at, &g) &&
		    (best_pane < 0 || sla_urgency_compare(&g, &best) < 0)) {
			best = g;
			best_pane = i;
			best_at = at;
		}
	if (best_pane < 0)
		return 0;
	u->focus = best_pane;
	pane_select(u, &u->panes[best_pane], best_at);
	return UI_DIRTY_PANES | UI_DIRTY_STATUS;
}

/* J and K in the conversation view: the next (delta 1) or previous (-1) conversation of
 * the pane it is in, in the pane's order; the pane's selection follows. A conversation that
 * left the pane meanwhile counts from the row that took its place. */
unsigned ui_pane_step_conversation(struct ui *u, long delta)
{
	const struct ui_pager *top = ui_pager_top(u);
	const struct store_entry *e;
	struct ui_pane *p;
	size_t at = (size_t)-1, n;
	int i;

	if (!top || top->kind != UI_PAGER_THREAD || u->n_panes == 0 || !u->engine.store)
		return 0;
	p = &u->panes[u->focus];
	for (i = 0; i < u->n_panes && at == (size_t)-1; i++) {
		at = pane_position(u, &u->panes[i], top->conversation, u->panes[i].selected);
		if (at != (size_t)-1)
			p = &u->panes[i];
	}
	n = ui_pane_count(u, p);
	if (at == (size_t)-1)
		at = delta > 0 ? p->selected - 1 : p->selected;
	if ((delta > 0 && (at == (size_t)-1 ? 0 : at + 1) >= n) || (delta < 0 && (at == 0 || at > n))) {
		ui_message(u, false, delta > 0 ? "no next conversation in this pane: this is the last"
					      : "no previous conversation in this pane: this is the first");
		return UI_DIRTY_STATUS;
	}
	at = delta > 0 ? at + 1 : at - 1;
	e = ui_pane_at(u, p, at);
	if (!e)
		return 0;
	u->focus = (int)(p - u->panes);
	pane_select(u, p, at);
	ui_pager_pop(u);
	return ui_thread_open(u, e->conv.id) | UI_DIRTY_PANES | UI_DIRTY_STATUS;
}

/* ---- filter, order and marks ---- */

void ui_pane_filter_set(struct ui *u, const char *text)
{
	struct ui_pane *p;
	struct query q;
	char err[200];

	if (u->n_panes == 0)
		return;
	p = &u->panes[u->focus];
	if (query_parse(text, &q, err, sizeof(err)) != 0) {
		ui_message(u, true, "filter: %s", err);
		return;
	}
	p->filter = q;
	snprintf(p->filter_text, sizeof(p->filter_text), "%s", q.n_terms ? text : "");
	if (q.n_terms) {
		u->find = q;
		snprintf(u->find_text, sizeof(u->find_text), "%s", text);
	}
	pane_view_invalidate(p);
	p->selected = 0;
	p->first = 0;
	p->selected_id = 0;
	pane_select(u, p, 0);
	u->dirty |= UI_DIRTY_PANES | UI_DIRTY_ROWS;
}

unsigned ui_pane_find_next(struct ui *u, int dir)
{
	const struct directory *d = u->engine.dir;
	fl_time now;
	size_t count[2] = {0, 0}, total = 0, at, step;
	int i;

	if (!u->find_text[0]) {
		char keys[3][32];

		ui_message(u, true, "nothing to look for: %s sets a filter, then %s and %s find it",
			   ui_key_for(u, "filter", keys[0], sizeof(keys[0])),
			   ui_key_for(u, "find-next", keys[1], sizeof(keys[1])),
			   ui_key_for(u, "find-prev", keys[2], sizeof(keys[2])));
		return UI_DIRTY_STATUS;
	}
	if (u->n_panes == 0 || !u->engine.store)
		return 0;
	now = engine_now(&u->engine);
	for (i = 0; i < u->n_panes && i < 2; i++)
		total += count[i] = ui_pane_count(u, &u->panes[i]);
	/* the rows of both panes as one ring, the focused row its start */
	at = (u->focus == 1 ? count[0] : 0) + u->panes[u->focus].selected;
	for (step = 1; total && step <= total; step++) {
		size_t k = (at + (dir > 0 ? step : total * 2 - step)) % total;
		int pane = k < count[0] ? 0 : 1;
		size_t pos = pane ? k - count[0] : k;
		const struct store_entry *e = ui_pane_at(u, &u->panes[pane], pos);

		if (e && query_match(&u->find, e, d, d ? d->me : 0, now)) {
			u->focus = pane;
			pane_select(u, &u->panes[pane], pos);
			return UI_DIRTY_PANES | UI_DIRTY_STATUS;
		}
	}
	ui_message(u, true, "no row matches /%s", u->find_text);
	return UI_DIRTY_STATUS;
}

unsigned ui_pane_filter_prompt(struct ui *u)
{
	if (u->n_panes == 0)
		return 0;
	ui_prompt_start(u, "filter: ", u->panes[u->focus].filter_text, ui_pane_filter_set);
	return UI_DIRTY_STATUS;
}

unsigned ui_pane_filter_clear(struct ui *u)
{
	struct ui_pane *p;

	if (u->n_panes == 0)
		return 0;
	p = &u->panes[u->focus];
	if (p->filter.n_terms == 0)
		return 0;
	memset(&p->filter, 0, sizeof(p->filter));
	p->filter_text[0] = '\0';
	pane_view_invalidate(p);
	/* the selection stays on its conversation */
	ui_panes_follow(u);
	return UI_DIRTY_PANES | UI_DIRTY_ROWS;
}

static const char *order_name(enum ui_order o)
{
	return o == UI_ORDER_NEWEST    ? "newest first"
	       : o == UI_ORDER_WAITING ? "waiting longest"
				       : "urgency";
}

unsigned ui_pane_order_set(struct ui *u, const char *name)
{
	struct ui_pane *p;
	size_t len = strlen(name);
	int o;

	if (u->n_panes == 0)
		return 0;
	p = &u->panes[u->focus];
	for (o = 0; o < UI_ORDER_COUNT; o++)
		if (len && !strncmp(order_name((enum ui_order)o), name, len))
			break;
	if (o == UI_ORDER_COUNT) {
		ui_message(u, true, "order: urgency, newest or waiting, not \"%s\"", name);
		return UI_DIRTY_STATUS;
	}
	p->order = (enum ui_order)o;
	pane_view_invalidate(p);
	ui_panes_follow(u);
	ui_message(u, false, "order: %s", order_name(p->order));
	return UI_DIRTY_PANES | UI_DIRTY_ROWS | UI_DIRTY_STATUS;
}

unsigned ui_pane_order_next(struct ui *u)
{
	struct ui_pane *p;

	if (u->n_panes == 0)
		return 0;
	p = &u->panes[u->focus];
	p->order = (enum ui_order)((p->order + 1) % UI_ORDER_COUNT);
	pane_view_invalidate(p);
	ui_panes_follow(u);
	ui_message(u, false, "order: %s", order_name(p->order));
	return UI_DIRTY_PANES | UI_DIRTY_ROWS | UI_DIRTY_STATUS;
}

bool ui_marked(const struct ui *u, int64_t id)
{
	size_t i;

	for (i = 0; i < u->n_marks; i++)
		if (u->marks[i] == id)
			return true;
	return false;
}

void ui_marks_clear(struct ui *u)
{
	u->n_marks = 0;
	u->dirty |= UI_DIRTY_ROWS;
}

unsigned ui_mark_toggle(struct ui *u)
{
	const struct store_entry *e = ui_pane_selected(u);
	size_t i;

	if (!e)
		return 0;
	for (i = 0; i < u->n_marks; i++)
		if (u->marks[i] == e->conv.id) {
			memmove(&u->marks[i], &u->marks[i + 1],
				(u->n_marks - i - 1) * sizeof(*u->marks));
			u->n_marks--;
			return UI_DIRTY_ROWS | ui_pane_move(u, 1);
		}
	xgrow(&u->marks, &u->cap_marks, u->n_marks + 1, sizeof(*u->marks));
	u->marks[u->n_marks++] = e->conv.id;
	/* mutt's habit: (un)marking moves on, so Space Space Space marks three rows */
	return UI_DIRTY_ROWS | ui_pane_move(u, 1);
}

/* ---- drawing ---- */

static char state_marker(enum sla_state s)
{
	return s == SLA_BREACHED  ? '!'
	       : s == SLA_WARNING ? '~'
	       : s == SLA_PAUSED  ? 'z'
	       : s == SLA_UNKNOWN ? '?'
				  : ' ';
}

static enum ui_style state_style(enum sla_state s)
{
	return s == SLA_BREACHED  ? UI_STYLE_BREACHED
	       : s == SLA_WARNING ? UI_STYLE_WARNING
	       : s == SLA_OK	  ? UI_STYLE_OK
				  : UI_STYLE_NORMAL;
}

/* The tags of c by name, comma-separated; a new string. */
char *ui_tag_names(const struct ui *u, const struct conversation *c)
{
	const struct directory *d = u->engine.dir;
	char *out = xstrdup(""), *next;
	size_t i;

	for (i = 0; i < c->n_tags; i++) {
		const char *name = d ? directory_name(d->tags, d->n_tags, c->tag_ids[i]) : NULL;
		char num[32];

		if (!name) {
			snprintf(num, sizeof(num), "%lld", (long long)c->tag_ids[i]);
			name = num;
		}
		next = xasprintf("%s%s%s", out, i ? "," : "", name);
		free(out);
		out = next;
	}
	return out;
}

const char *ui_assignee_name(const struct ui *u, const struct conversation *c)
{
	const struct directory *d = u->engine.dir;
	const char *name;

	if (!c->admin_assignee_id)
		return "-";
	if (d && c->admin_assignee_id == d->me)
		return "me";
	name = d ? directory_name(d->admins, d->n_admins, c->admin_assignee_id) : NULL;
	return name ? name : "?";
}

/* Appends the field s (sanitised here) fitted to width columns, then a space. */
static void row_field(wchar_t *row, size_t cap, const char *s, int width)
{
	char *safe = text_sanitize(s, false);
	wchar_t *fit = ui_fit(safe, width);

	if (wcslen(row) + wcslen(fit) + 2 < cap) {
		wcscat(row, fit);
		wcscat(row, L" ");
	}
	free(fit);
	free(safe);
}

/* The outbox's mark of a row: a write on its way, one that failed, one sent lately. */
static const char *outbox_mark(const struct ui *u, int64_t id)
{
	switch (u->engine.sender ? sender_conversation_state(u->engine.sender, id) : OUTBOX_GONE) {
	case OUTBOX_PENDING:
	case OUTBOX_SENDING:
	case OUTBOX_AMBIGUOUS:
		return "\u2191"; /* ↑ */
	case OUTBOX_FAILED:
		return "\u2717"; /* ✗ */
	case OUTBOX_SENT:
		return "\u2713"; /* ✓ */
	default:
		return " ";
	}
}

/* The row's marks of a priority level (none, low, medium, high, urgent) and of the
 * backend's own SLA status (none, active, hit, missed, cancelled). */
static char priority_mark(enum conv_priority p)
{
	return (unsigned)p < PRIORITY_LEVELS ? " .-^!"[p] : ' ';
}

/* Punctuation, not letters: the mark stands right after the countdown, whose units are
 * letters (42m, 3h05m); ASCII, so that a row's marks keep their byte columns too. */
static char backend_sla_mark(enum backend_sla s)
{
	return (unsigned)s <= BACKEND_SLA_CANCELLED ? " >=!/"[s] : ' ';
}

/* While the store holds the cache's records (catching up), a countdown is as of the
 * cache, not now: "~" before it says so, and one too wide for the column with it loses
 * its smaller unit ("~-23h"). */
static void countdown_cached(char *left, size_t len)
{
	char was[32];
	size_t n;

	snprintf(was, sizeof(was), "%s", left);
	n = strlen(was);
	if (n >= 7)
		was[n - 3] = '\0';
	snprintf(left, len, "~%s", was);
}

void ui_countdown_text(const struct ui *u, const struct store_entry *e, char *left, size_t len)
{
	left[0] = '\0';
	if (e->clock.state >= SLA_OK) {
		text_countdown(e->clock.deadline - engine_now(&u->engine), left, len);
		if (u->engine.catching_up)
			countdown_cached(left, len);
	}
	else if (e->clock.state == SLA_PAUSED)
		snprintf(left, len, "snooze");
	else if (e->clock.state == SLA_UNKNOWN)
		snprintf(left, len, "?");
	else if (conversation_waiting_on_customer(&e->conv))
		snprintf(left, len, "waiting");
}

/* The text of one row, exactly width columns wide:
 * "!  -0:13>*^+✓ Customer          subject or preview…     tags       assignee"
 * marker ('?' and no countdown when the record cannot tell the deadline), countdown
 * ("waiting" instead when the agents replied last and the customer owes the answer), the
 * backend SLA's status ('>' active, '=' hit, '!' missed, '/' cancelled), unread, priority, mark
 * ('+', t/Space) and the outbox's mark (↑ on its way, ✓ sent, ✗ failed), then the
 * fields that fit the width. */
/* When a snoozed conversation wakes, in the agent's local time: "wakes 14:30" today,
 * "wakes Tue 09:00" within the week, "wakes 12 Jan 09:00" later; "" when it is not
 * snoozed. */
static void wake_text(const struct conversation *c, fl_time now, char *buf, size_t len)
{
	time_t at = (time_t)c->snoozed_until, t = (time_t)now;
	struct tm when, today;
	char stamp[32];
	size_t n;

	buf[0] = '\0';
	if (c->state != CONV_SNOOZED || !c->snoozed_until || !localtime_r(&at, &when) ||
	    !localtime_r(&t, &today))
		return;
	if (when.tm_year == today.tm_year && when.tm_yday == today.tm_yday)
		n = strftime(stamp, sizeof(stamp), "%H:%M", &when);
	else if (c->snoozed_until > now && c->snoozed_until - now < 6 * 86400)
		n = strftime(stamp, sizeof(stamp), "%a %H:%M", &when);
	else
		n = strftime(stamp, sizeof(stamp), "%d %b %H:%M", &when);
	if (n > 0)
		snprintf(buf, len, "wakes %s \u00b7 ", stamp);
}

#define ROW_HEAD_W	14
#define ROW_SUBJECT_MIN 8

/* The columns of a row width wide. The subject takes what the others leave; when that
 * is under ROW_SUBJECT_MIN, columns give way in this order: the tags go, the customer
 * narrows from 18 to 14, the assignee goes; under 4, the subject goes and the customer
 * takes the rest. So a pane 59 or 60 wide (two at 120 columns, or one at 60) keeps the
 * customer, the subject and the assignee; 49 or 50 (two at 100) the same with the
 * customer at 14; 80 (two at 160, one at 80) has all five. */
static void row_columns(int width, int *name_w, int *subject_w, int *tags_w, int *who_w)
{
	int step;

	*name_w = 18;
	*tags_w = 16;
	*who_w = 10;
	for (step = 0;; step++) {
		*subject_w = width - ROW_HEAD_W - (*name_w + 1) - (*tags_w ? *tags_w + 1 : 0) -
			     (*who_w ? *who_w + 1 : 0);
		if (*subject_w >= ROW_SUBJECT_MIN || step == 3)
			break;
		if (step == 0)
			*tags_w = 0;
		else if (step == 1)
			*name_w = 14;
		else
			*who_w = 0;
	}
	if (*subject_w < 4) {
		/* Too narrow for everything: the customer and the countdown matter most. */
		*subject_w = 0;
		*name_w = width - ROW_HEAD_W - 1;
	}
}

static wchar_t *row_text(const struct ui *u, const struct store_entry *e, int width)
{
	const struct conversation *c = &e->conv;
	int name_w, tags_w, who_w, subject_w;
	size_t cap = (size_t)width * 2 + 64;
	wchar_t *row = xcalloc(cap, sizeof(*row));
	char head[64], left[32] = "", *preview = NULL, *tags;

	ui_countdown_text(u, e, left, sizeof(left));
	snprintf(head, sizeof(head), "%c%7s%c%c%c%c%s", state_marker(e->clock.state), left,
		 backend_sla_mark(c->backend_sla), c->read ? ' ' : '*', priority_mark(c->priority),
		 ui_marked(u, c->id) ? '+' : ' ', outbox_mark(u, c->id));
	swprintf(row, cap, L"%s ", head);
	row_columns(width, &name_w, &subject_w, &tags_w, &who_w);
	row_field(row, cap, c->customer ? c->customer : "?", name_w);
	if (subject_w > 0) {
		char wake[64], *subject;

		if (!c->title || !*c->title)
			preview = conversation_preview(c);
		wake_text(c, engine_now(&u->engine), wake, sizeof(wake));
		subject = xasprintf("%s%s", wake,
				    c->title && *c->title ? c->title
				    : preview		  ? preview
							  : "");
		row_field(row, cap, subject, subject_w);
		free(subject);
		free(preview);
	}
	if (tags_w) {
		tags = ui_tag_names(u, c);
		row_field(row, cap, tags, tags_w);
		free(tags);
	}
	if (who_w)
		row_field(row, cap, ui_assignee_name(u, c), who_w);
	/* Whatever the arithmetic left over is cut or padded to the exact width. */
	{
		size_t len = wcslen(row);
		int cols = wcswidth(row, len);

		if (cols < 0)
			cols = width;

		while (cols > width && len > 0) {
			cols -= wcwidth(row[len - 1]) > 0 ? wcwidth(row[len - 1]) : 0;
			row[--len] = 0;
		}
		while (cols < width && len + 1 < cap) {
			row[len++] = L' ';
			row[len] = 0;
			cols++;
		}
	}
	return row;
}

static const char *order_title(enum ui_order o)
{
	return o == UI_ORDER_NEWEST    ? " [newest first]"
	       : o == UI_ORDER_WAITING ? " [waiting longest]"
				       : "";
}

/* The counts of the pane's queue; with filter = only of the rows that match it. */
static void pane_queue_counts(struct ui *u, struct ui_pane *p, struct store_counts *n)
{
	const struct store *s = u->engine.store;
	const struct directory *dir = u->engine.dir;
	fl_time now = engine_now(&u->engine);
	size_t i, all;
	struct query own;

	store_queue_counts(s, p->queue, n);
	if (!pane_queue_filter_clock(u, p))
		return;
	pane_queue_filter(u, p, &own);
	all = store_queue_count(s, p->queue);
	memset(n, 0, sizeof(*n));
	for (i = 0; i < all; i++) {
		const struct store_entry *e = store_queue_at(s, p->queue, i);

		if (!e || !query_match(&own, e, dir, dir ? dir->me : 0, now))
			continue;
		n->open++;
		n->warning += e->clock.state == SLA_WARNING;
		n->breached += e->clock.state == SLA_BREACHED;
	}
}

/* " Real-time  4 open · 1 warning · 0 breached", and with a filter
 * " Real-time /tag:vip  2 of 4 open · 0 warning · 1 breached", the warnings and breaches
 * of the rows shown; the order when it is not urgency. */
static wchar_t *pane_title(struct ui *u, struct ui_pane *p)
{
	const struct config_queue *q = &u->cfg->queues[p->queue];
	struct store_counts n;
	char *s, *safe, shown[48] = "", which[64] = "", today[64];
	wchar_t *w;

	pane_queue_counts(u, p, &n);
	/* with more queues than panes, which of them this is ([ and ] switch) */
	if (u->cfg->n_queues > (size_t)u->n_panes)
		snprintf(which, sizeof(which), " ‹%d/%zu›", p->queue + 1, u->cfg->n_queues);
	if (p->filter.n_terms) {
		snprintf(shown, sizeof(shown), "%zu of ", ui_pane_count(u, p));
		n.warning = p->view_warning;
		n.breached = p->view_breached;
	}
	s = xasprintf(" %s%s%s%s%s  %s%zu open · %zu warning · %zu breached",
		      q->title ? q->title : q->key, which, order_title(p->order),
		      p->filter.n_terms ? " /" : "", p->filter.n_terms ? p->filter_text : "", shown,
		      n.open, n.warning, n.breached);
	safe = text_sanitize(s, false);
	/* today's share last, and only whole: the first part a narrow pane leaves out */
	ui_today_text(u, p->queue, today, sizeof(today));
	if (today[0] && ui_width(safe) + ui_width(today) <= p->width) {
		free(s);
		s = safe;
		safe = xasprintf("%s%s", s, today);
	}
	w = ui_fit(safe, p->width);
	free(s);
	free(safe);
	return w;
}

static void put_wide(int y, int x, const wchar_t *w, int attr)
{
	/* Writing into the screen's last cell "fails" after writing; nothing to handle. */
	attrset(attr);
	(void)mvaddwstr(y, x, w);
	attrset(A_NORMAL);
}

static void pane_draw_title(struct ui *u, struct ui_pane *p, int index, bool force)
{
	wchar_t *t = pane_title(u, p);
	int attr =
	    ui_style_attr(u, UI_STYLE_TITLE) | (index == u->focus ? A_REVERSE | A_BOLD : A_BOLD);

	if (force || !p->title_shown || wcscmp(t, p->title_shown) != 0 ||
	    p->shown_attr[ui_pane_rows(p)] != attr) {
		put_wide(p->y, p->x, t, attr);
		free(p->title_shown);
		p->title_shown = t;
		p->shown_attr[ui_pane_rows(p)] = attr;
	} else {
		free(t);
	}
}

/* Writes one row: marker and countdown in the state's colour, the rest plain. */
static void pane_draw_row(struct ui *u, struct ui_pane *p, int r, const wchar_t *text,
			  enum sla_state state, int sel_attr)
{
	int state_attr = ui_style_attr(u, state_style(state)) | sel_attr;
	wchar_t head[16];

	/* Without colour the state still shows: the marker, bold warnings, bold and
	 * underlined breaches. */
	if (!u->color && state == SLA_WARNING)
		state_attr |= A_BOLD;
	if (!u->color && state == SLA_BREACHED)
		state_attr |= A_BOLD | A_UNDERLINE;
	/* The cache's clocks are not current: dimmed until the catch-up ends. */
	if (u->engine.catching_up)
		state_attr |= A_DIM;
	wcsncpy(head, text, 8);
	head[8] = 0;
	put_wide(p->y + 1 + r, p->x, head, state_attr);
	put_wide(p->y + 1 + r, p->x + 8, text + 8, sel_attr);
}

/* A row without a conversation: the first says why the pane is empty. */
static wchar_t *empty_row(const struct ui *u, const struct ui_pane *p, bool first)
{
	char key[32], *s;
	wchar_t *w;

	if (!first)
		return ui_fit("", p->width);
	if (!u->engine.synced)
		return ui_fit("  loading…", p->width);
	if (!p->filter.n_terms)
		return ui_fit("  (empty)", p->width);
	s = xasprintf("  (nothing matches; %s clears the filter)",
		      ui_key_for(u, "clear-filter", key, sizeof(key)));
	w = ui_fit(s, p->width);
	free(s);
	return w;
}

/* The footer: the rows hidden above and below, then the selection's position at the
 * right ("12/143"), which a narrow pane keeps before the marks. */
static wchar_t *pane_footer(struct ui *u, struct ui_pane *p)
{
	size_t n = ui_pane_count(u, p), rows = (size_t)ui_pane_rows(p);
	size_t below = n > p->first + rows ? n - p->first - rows : 0;
	char marks[96] = "", pos[48] = "", *line;
	wchar_t *w, *left;
	int left_w;

	if (n)
		snprintf(pos, sizeof(pos), "%zu/%zu ", p->selected + 1, n);
	if (p->first && p->first <= n)
		snprintf(marks, sizeof(marks), " \u2191 %zu more", p->first);
	if (below)
		snprintf(marks + strlen(marks), sizeof(marks) - strlen(marks), "%s\u2193 %zu more",
			 marks[0] ? "  " : " ", below);
	left_w = p->width - (int)strlen(pos);
	if (left_w < 0)
		return ui_fit(pos, p->width);
	left = ui_fit(marks, left_w);
	line = xasprintf("%ls%s", left, pos);
	free(left);
	w = ui_fit(line, p->width);
	free(line);
	return w;
}

static void pane_draw_footer(struct ui *u, struct ui_pane *p, bool force)
{
	wchar_t *f;

	if (!pane_has_footer(p))
		return;
	f = pane_footer(u, p);
	if (force || !p->footer_shown || wcscmp(f, p->footer_shown) != 0) {
		put_wide(p->y + p->height - 1, p->x, f, A_NORMAL);
		free(p->footer_shown);
		p->footer_shown = f;
	} else {
		free(f);
	}
}

static void pane_draw(struct ui *u, int index, bool force)
{
	struct ui_pane *p = &u->panes[index];
	int r, rows = ui_pane_rows(p);

	pane_draw_title(u, p, index, force);
	for (r = 0; r < rows; r++) {
		size_t at = p->first + (size_t)r;
		const struct store_entry *e = ui_pane_at(u, p, at);
		wchar_t *text;
		int sel_attr = 0, key;

		if (e && at == p->selected)
			sel_attr = index == u->focus ? A_REVERSE : A_UNDERLINE;
		if (e)
			text = row_text(u, e, p->width);
		else
			text = empty_row(u, p, at == 0 && r == 0);
		/* Attributes never use the character bits (A_CHARTEXT): the state goes there.
		 * (Shifted up, it once collided with A_REVERSE and the selection stuck.) */
		key = sel_attr | (e ? (int)e->clock.state : 0);
		if (!force && p->shown[r] && p->shown_attr[r] == key &&
		    wcscmp(p->shown[r], text) == 0) {
			free(text);
			continue;
		}
		if (e)
			pane_draw_row(u, p, r, text, e->clock.state, sel_attr);
		else
			put_wide(p->y + 1 + r, p->x, text, 0);
		free(p->shown[r]);
		p->shown[r] = text;
		p->shown_attr[r] = key;
	}
	pane_draw_footer(u, p, force);
}

void ui_panes_draw(struct ui *u, bool force)
{
	int i, y;

	for (i = 0; i < u->n_panes; i++)
		pane_draw(u, i, force);
	if (force && u->n_panes == 2 && !u->stacked)
		for (y = 0; y < u->rows - 1; y++)
			(void)mvaddwstr(y, u->panes[0].width, L"\u2502");
}
