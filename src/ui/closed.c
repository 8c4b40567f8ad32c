/* closed.c: the conversations this agent closed lately (the outbox's sent closes of the
 * last day, newest first, those reopened since left out), as a list to open and reopen:
 * closed conversations leave the queues, and this is where the agent finds them again. */
#include "build-config.h"

#include <stdlib.h>
#include <time.h>

#include "sender.h"
#include "store.h"
#include "text.h"
#include "ui-private.h"
#include "util.h"

#define CLOSED_WITHIN_S (24 * 3600)

/* Whether items[0..n) hold a sent reopening of conversation after item `after`. */
static bool reopened_after(const struct outbox_item *items, size_t n, size_t after)
{
	size_t i;

	for (i = after + 1; i < n; i++)
		if (items[i].conversation == items[after].conversation &&
		    items[i].state == OUTBOX_SENT && items[i].kind == WRITE_OPEN)
			return true;
	return false;
}

void ui_closed_build(struct ui *u, struct ui_pager *p)
{
	size_t i;

	if (!p->n_closed) {
		ui_pager_add(p, UI_STYLE_EVENT, false,
			     "nothing closed from this frontline in the last 24 hours");
		return;
	}
	for (i = 0; i < p->n_closed; i++) {
		const struct store_entry *e = store_get(u->engine.store, p->closed[i]);
		time_t t = (time_t)p->closed_at[i];
		struct tm tm;
		char when[32] = "", *line, *safe;

		if (localtime_r(&t, &tm))
			strftime(when, sizeof(when), "%a %H:%M", &tm);
		p->build_item = i;
		line = xasprintf("#%-8lld closed %s%s%s%s%s", (long long)p->closed[i], when,
				 e ? "  " : "", e && e->conv.customer ? e->conv.customer : "",
				 e ? "  " : "", e && e->conv.title ? e->conv.title : "");
		safe = text_sanitize(line, false);
		ui_pager_add(p, UI_STYLE_NORMAL, false, safe);
		free(safe);
		free(line);
	}
}

unsigned ui_closed_open(struct ui *u)
{
	struct outbox_item *items = NULL;
	struct ui_pager *p;
	size_t i, n = 0, j;
	fl_time now = time(NULL);

	if (!u->engine.sender || sender_sent(u->engine.sender, CLOSED_WITHIN_S, &items, &n) < 0) {
		ui_message(u, true, "the outbox cannot be read: %s",
			   u->engine.sender ? sender_error(u->engine.sender) : "none");
		return UI_DIRTY_STATUS;
	}
	p = ui_pager_push(u, UI_PAGER_CLOSED, "Closed by me in the last 24 hours");
	if (!p) {
		outbox_items_free(items, n);
		return UI_DIRTY_STATUS;
	}
	/* newest first, each conversation once, not those reopened since */
	for (i = n; i-- > 0;) {
		const struct outbox_item *it = &items[i];

		if (it->kind != WRITE_CLOSE || it->state != OUTBOX_SENT ||
		    now - it->sent_at > CLOSED_WITHIN_S || reopened_after(items, n, i))
			continue;
		for (j = 0; j < p->n_closed && p->closed[j] != it->conversation; j++)
			;
		if (j < p->n_closed)
			continue;
		xgrow(&p->closed, &p->cap_closed, p->n_closed + 1, sizeof(*p->closed));
		xgrow(&p->closed_at, &p->cap_closed_at, p->n_closed + 1, sizeof(*p->closed_at));
		p->closed[p->n_closed] = it->conversation;
		p->closed_at[p->n_closed++] = it->sent_at;
	}
	outbox_items_free(items, n);
	ui_pager_build(u, p);
	return UI_DIRTY_LAYOUT;
}

int64_t ui_closed_selected(struct ui *u)
{
	const struct ui_pager *p = ui_pager_top(u);

	return p && p->kind == UI_PAGER_CLOSED && p->selected < p->n_closed
		   ? p->closed[p->selected]
		   : 0;
}
