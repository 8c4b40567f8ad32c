/* helpcenter.c: K: search the help center (the local index, or the backend's own search
 * while the index is empty), a list of results, and an article to read. */
#include "build-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui-private.h"
#include "util.h"

#define RESULTS_MAX 30

void ui_articles_open_index(struct ui *u)
{
	char err[256], *path;

	if (!u->cfg->state_dir || util_mkdir_p(u->cfg->state_dir, 0700) != 0)
		return;
	path = xasprintf("%s/articles.db", u->cfg->state_dir);
	u->index = articles_open(path, err, sizeof(err));
	if (!u->index)
		ui_message(u, true, "help center index: %s", err);
	free(path);
}

static void on_articles_synced(void *arg, const char *error, bool ambiguous)
{
	struct ui *u = arg;

	(void)ambiguous;
	u->articles_syncing = false;
	if (error)
		ui_message(u, true, "could not refresh the help center: %s", error);
}

/* Refreshes the index in the background when it is empty or old. */
void ui_articles_refresh(struct ui *u)
{
	if (!u->index || u->articles_syncing)
		return;
	if (articles_count(u->index) > 0 &&
	    time(NULL) - articles_synced_at(u->index) < u->cfg->article_refresh)
		return;
	u->articles_syncing = true;
	u->engine.ops->sync_articles(u->engine.backend, u->index, on_articles_synced, u);
}

static struct ui_pager *results_view(struct ui *u)
{
	struct ui_pager *p = ui_pager_top(u);

	return p && p->kind == UI_PAGER_RESULTS && p->loading ? p : NULL;
}

static void on_backend_results(void *arg, struct article *items, size_t n, const char *error)
{
	struct ui *u = arg;
	struct ui_pager *p = results_view(u);
	size_t i;

	if (!p) {
		for (i = 0; i < n; i++)
			article_release(&items[i]);
		return;
	}
	p->loading = false;
	if (error)
		p->error = xstrdup(error);
	p->results = xcalloc(n + 1, sizeof(*p->results));
	for (i = 0; i < n; i++) {
		p->results[i] = items[i];
		memset(&items[i], 0, sizeof(items[i]));
	}
	p->n_results = n;
	p->built_width = -1;
	u->dirty |= UI_DIRTY_PAGER;
}

static void on_query(struct ui *u, const char *query)
{
	struct ui_pager *p;
	char *title;
	int n;

	if (!*query)
		return;
	title = xasprintf(" help center: %s  (Enter reads, q goes back)", query);
	p = ui_pager_push(u, UI_PAGER_RESULTS, title);
	free(title);
	u->dirty |= UI_DIRTY_LAYOUT;
	if (u->index && articles_count(u->index) > 0) {
		p->results = xcalloc(RESULTS_MAX, sizeof(*p->results));
		n = articles_search(u->index, query, p->results, RESULTS_MAX);
		if (n < 0)
			p->error = xstrdup("the local index failed");
		p->n_results = n > 0 ? (size_t)n : 0;
		return;
	}
	/* Nothing local yet: the backend searches, and the view waits for it. */
	p->loading = true;
	u->engine.ops->search_articles(u->engine.backend, query, on_backend_results, u);
}

unsigned ui_articles_prompt(struct ui *u)
{
	if (!u->engine.ready) {
		ui_message(u, true, "not connected yet");
		return UI_DIRTY_STATUS;
	}
	ui_prompt_start(u, "search help center: ", "", on_query);
	return UI_DIRTY_STATUS;
}

unsigned ui_articles_open_selected(struct ui *u)
{
	struct ui_pager *from = ui_pager_top(u), *p;
	struct article a;
	char *title;
	int found = 0;

	if (!from || from->kind != UI_PAGER_RESULTS || from->selected >= from->n_results)
		return 0;
	memset(&a, 0, sizeof(a));
	if (u->index && !from->results[from->selected].body)
		found = articles_get(u->index, from->results[from->selected].id, &a);
	if (found != 1) {
		/* The result itself carries what there is (the backend's search gives bodies). */
		const struct article *r = &from->results[from->selected];

		a.id = r->id;
		a.title = xstrdup(r->title ? r->title : "");
		a.url = r->url ? xstrdup(r->url) : NULL;
		a.description = r->description ? xstrdup(r->description) : NULL;
		a.body = r->body ? xstrdup(r->body) : NULL;
		a.updated_at = r->updated_at;
	}
	title = xasprintf(" %s", a.title ? a.title : "");
	p = ui_pager_push(u, UI_PAGER_ARTICLE, title);
	free(title);
	p->article = a;
	p->have_article = true;
	return UI_DIRTY_LAYOUT;
}

void ui_articles_build(struct ui *u, struct ui_pager *p)
{
	size_t i;

	(void)u;
	if (p->kind == UI_PAGER_ARTICLE) {
		if (p->article.url)
			ui_pager_add_wrapped(p, UI_STYLE_AGENT, p->article.url, 1);
		if (p->article.description)
			ui_pager_add_wrapped(p, UI_STYLE_EVENT, p->article.description, 1);
		ui_pager_add(p, UI_STYLE_NORMAL, false, "");
		ui_pager_add_wrapped(p, UI_STYLE_NORMAL, p->article.body ? p->article.body : "", 1);
		return;
	}
	if (p->loading) {
		ui_pager_add(p, UI_STYLE_NORMAL, false, " searching…");
		return;
	}
	if (p->error)
		ui_pager_add_wrapped(p, UI_STYLE_ERROR, p->error, 1);
	if (!p->n_results)
		ui_pager_add(p, UI_STYLE_NORMAL, false, " no articles found");
	for (i = 0; i < p->n_results; i++) {
		p->build_item = i;
		ui_pager_add_wrapped(p, UI_STYLE_CUSTOMER,
				     p->results[i].title ? p->results[i].title : "?", 1);
		p->lines[p->n_lines - 1].bold = true;
		if (p->results[i].description && *p->results[i].description)
			ui_pager_add_wrapped(p, UI_STYLE_NORMAL, p->results[i].description, 3);
	}
	p->build_item = 0;
}
