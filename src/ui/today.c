/* today.c: each queue's share of today's first replies within its target, for the panes'
 * titles ("94 % ≤ 2m today"): the conversations created since local midnight with their
 * statistics, paged from the backend in the background (one page at a time) at start and
 * every few minutes, and counted as `frontline report` counts them. */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop.h"
#include "report.h"
#include "sla.h"
#include "ui-private.h"
#include "util.h"

/* Seconds between two counts. */
#define TODAY_REFRESH 300

struct ui_today {
	bool running;	 /* a page is on its way */
	bool said;	 /* an error was said on the status bar */
	uint64_t timer;	 /* the next count */
	fl_time since, until;
	char *cursor;	 /* owned: the next page's */
	struct report_group groups[CONFIG_MAX_QUEUES];
	/* the last count: valid[q] when it has replies to count */
	bool valid[CONFIG_MAX_QUEUES];
	size_t within[CONFIG_MAX_QUEUES], replied[CONFIG_MAX_QUEUES];
};

static void groups_release(struct ui_today *t)
{
	size_t q;

	for (q = 0; q < CONFIG_MAX_QUEUES; q++) {
		report_group_release(&t->groups[q]);
		memset(&t->groups[q], 0, sizeof(t->groups[q]));
	}
}

/* Each queue's first reply of cv, on that queue's clock. */
static void count(struct ui *u, const struct conversation *cv)
{
	struct ui_today *t = u->today;
	unsigned in = engine_queues_of(&u->engine, cv);
	size_t q;

	if (cv->unknown & (CONV_UNKNOWN_FIRST_ADMIN_REPLY | CONV_UNKNOWN_FIRST_CONTACT_REPLY) ||
	    !cv->first_contact_reply_at)
		return;
	for (q = 0; q < u->cfg->n_queues; q++) {
		struct report_sample s = {.conversation = cv->id};

		if (!(in & (1u << q)))
			continue;
		if (report_first_sample(store_policy(u->engine.store, (int)q), cv, &s))
			report_group_add(&t->groups[q], &s);
		else
			t->groups[q].unanswered++;
	}
}

static void schedule(struct ui *u);

static void on_page(void *arg, struct conversation *items, size_t n, const char *next,
		    size_t total, const struct result *r)
{
	struct ui *u = arg;
	struct ui_today *t = u->today;
	size_t i, q;

	(void)total;
	t->running = false;
	if (r->cls == RESULT_OK && next && t->cursor && !strcmp(next, t->cursor)) {
		if (!t->said)
			ui_message(u, true, "today's share within target: the backend's search "
					    "gave the same page's cursor again");
		goto failed;
	}
	if (r->cls != RESULT_OK) {
		if (!t->said)
			ui_message(u, true, "today's share within target: %s",
				   r->message ? r->message : "the search failed");
		goto failed;
	}
	for (i = 0; i < n; i++)
		count(u, &items[i]);
	free(t->cursor);
	t->cursor = next ? xstrdup(next) : NULL;
	if (next) {
		t->running = true;
		engine_report_page(&u->engine, t->since, t->until, 0, t->cursor, on_page, u);
		return;
	}
	for (q = 0; q < u->cfg->n_queues; q++) {
		report_group_finish(&t->groups[q]);
		t->valid[q] = t->groups[q].n > 0;
		t->within[q] = t->groups[q].within;
		t->replied[q] = t->groups[q].n;
	}
	groups_release(t);
	u->dirty |= UI_DIRTY_ROWS;
	schedule(u);
	return;
failed:
	t->said = true;
	memset(t->valid, 0, sizeof(t->valid));
	groups_release(t);
	free(t->cursor);
	t->cursor = NULL;
	u->dirty |= UI_DIRTY_ROWS;
	schedule(u);
}

static void start(struct ui *u)
{
	struct ui_today *t = u->today;
	char err[200];

	if (t->running)
		return;
	t->until = engine_now(&u->engine);
	if (report_parse_when("today", t->until, "", &t->since, err, sizeof(err)) < 0 ||
	    t->since >= t->until) {
		schedule(u);
		return;
	}
	groups_release(t);
	free(t->cursor);
	t->cursor = NULL;
	t->running = true;
	engine_report_page(&u->engine, t->since, t->until, 0, NULL, on_page, u);
}

static void on_timer(void *arg)
{
	struct ui *u = arg;

	u->today->timer = 0;
	start(u);
}

static void schedule(struct ui *u)
{
	if (!u->today->timer)
		u->today->timer = loop_timer_add(u->loop, TODAY_REFRESH * 1000, on_timer, u);
}

void ui_today_start(struct ui *u)
{
	/* a backend without reports: no share in the titles, and nothing to say about it */
	if (u->today || !engine_has_reports(&u->engine))
		return;
	u->today = xcalloc(1, sizeof(*u->today));
	start(u);
}

const char *ui_today_text(const struct ui *u, int queue, char *buf, size_t size)
{
	const struct ui_today *t = u->today;
	char target[16];

	buf[0] = 0;
	if (!t || queue < 0 || (size_t)queue >= u->cfg->n_queues || !t->valid[queue])
		return buf;
	snprintf(buf, size, "  %.0f %% ≤ %s today",
		 100.0 * (double)t->within[queue] / (double)t->replied[queue],
		 report_duration(store_policy(u->engine.store, queue)->first_response, target,
				 sizeof(target)));
	return buf;
}

void ui_today_release(struct ui *u)
{
	if (!u->today)
		return;
	if (u->today->timer && u->loop)
		loop_timer_cancel(u->loop, u->today->timer);
	groups_release(u->today);
	free(u->today->cursor);
	free(u->today);
	u->today = NULL;
}
