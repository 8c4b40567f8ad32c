/* search.c: the search of every conversation of the backend (convsearch.h) from the
 * screen: a prompt, then a results view whose selected result is the conversation the
 * conversation keys act on (reply, note, close, tags...), and Enter opens. */
#include "build-config.h"

#include <stdlib.h>
#include <string.h>

#include "convsearch.h"
#include "ui-private.h"
#include "util.h"

/* At most this many results: one page of the backend's search. */
#define SEARCH_MAX 50

static const char *const state_words[] = {
    [CONV_OPEN] = "open", [CONV_SNOOZED] = "snoozed", [CONV_CLOSED] = "closed"};

/* The search view on top still waiting for its answer, or NULL. */
static struct ui_pager *waiting_view(struct ui *u)
{
	struct ui_pager *p = ui_pager_top(u);

	return p && p->kind == UI_PAGER_SEARCH && p->loading ? p : NULL;
}

static void on_results(void *arg, struct conversation *items, size_t n, size_t total,
		       const struct result *r)
{
	struct ui *u = arg;
	struct ui_pager *p = waiting_view(u);

	if (!p)
		return;
	p->loading = false;
	if (r->cls != RESULT_OK)
		p->error = xstrdup(r->message ? r->message : "the search failed");
	else if (total > n)
		p->error = xasprintf("%zu of %zu matches shown; narrow the search to see the others",
				     n, total);
	p->convs = xcalloc(n + 1, sizeof(*p->convs));
	for (size_t i = 0; i < n; i++) {
		p->convs[i] = items[i];
		memset(&items[i], 0, sizeof(items[i]));
	}
	p->n_convs = n;
	p->built_width = -1;
	u->dirty |= UI_DIRTY_PAGER | UI_DIRTY_STATUS;
}

unsigned ui_search_run(struct ui *u, const char *text)
{
	struct convsearch q;
	struct ui_pager *p;
	char err[256], *title, open[32], back[32];

	if (!u->engine.ready) {
		ui_message(u, true, "not connected yet");
		return UI_DIRTY_STATUS;
	}
	if (convsearch_parse(text, &q, err, sizeof(err)) < 0) {
		ui_message(u, true, "search: %s", err);
		return UI_DIRTY_STATUS;
	}
	title = xasprintf(" search: %s  (%s opens, %s goes back)", text,
			  ui_key_for(u, "open", open, sizeof(open)),
			  ui_key_for(u, "back", back, sizeof(back)));
	p = ui_pager_push(u, UI_PAGER_SEARCH, title);
	free(title);
	p->loading = true;
	engine_search_conversations(&u->engine, &q, SEARCH_MAX, on_results, u);
	return UI_DIRTY_LAYOUT;
}

static void on_prompt(struct ui *u, const char *text)
{
	if (*text)
		u->dirty |= ui_search_run(u, text);
}

unsigned ui_search_prompt(struct ui *u)
{
	ui_prompt_start(u, "search (text email:ADDRESS #ID state:open|closed|snoozed): ", "",
			on_prompt);
	return UI_DIRTY_STATUS;
}

void ui_search_build(struct ui *u, struct ui_pager *p)
{
	(void)u;
	if (!ui_pager_results_head(p, p->n_convs, " no conversation matches"))
		return;
	for (size_t i = 0; i < p->n_convs; i++) {
		const struct conversation *cv = &p->convs[i];
		char *preview = cv->title ? NULL : conversation_preview(cv);
		char *line = xasprintf("#%-8lld %-7s %s — %s", (long long)cv->id,
				       state_words[cv->state], cv->customer ? cv->customer : "?",
				       cv->title ? cv->title : preview ? preview : "");

		p->build_item = i;
		/* ui_pager_add_joined makes the customer's text safe */
		ui_pager_add_joined(p, UI_STYLE_CUSTOMER, line, 1);
		free(line);
		free(preview);
	}
	p->build_item = 0;
}

int64_t ui_search_selected(const struct ui_pager *p)
{
	return p->kind == UI_PAGER_SEARCH && p->selected < p->n_convs ? p->convs[p->selected].id : 0;
}
