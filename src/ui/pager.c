/* pager.c: the views that cover the queues (help, conversation, article results, an
 * article): a stack of scrollable lists of wrapped lines, built again from their source
 * when the width changes. */
#include "build-config.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui-private.h"
#include "util.h"

int ui_pager_rows(const struct ui *u)
{
	/* a title row above, the composer if open and the status bar below */
	int rows = u->rows - 2 - ui_composer_rows(u);

	return rows > 0 ? rows : 0;
}

struct ui_pager *ui_pager_top(struct ui *u)
{
	return u->n_pagers ? &u->pagers[u->n_pagers - 1] : NULL;
}

static void pager_release(struct ui_pager *p)
{
	size_t i;

	ui_pager_clear_lines(p);
	free(p->lines);
	free(p->title);
	free(p->error);
	if (p->have_thread)
		thread_release(&p->thread);
	for (i = 0; i < p->n_results; i++)
		article_release(&p->results[i]);
	free(p->results);
	for (i = 0; i < p->n_suggested; i++)
		article_release(&p->suggested[i]);
	free(p->suggested);
	for (i = 0; i < p->n_convs; i++)
		conversation_release(&p->convs[i]);
	free(p->convs);
	customer_release(&p->customer);
	free(p->customer_error);
	free(p->customer_offline);
	if (p->have_article)
		article_release(&p->article);
	free(p->closed);
	free(p->closed_at);
	memset(p, 0, sizeof(*p));
}

struct ui_pager *ui_pager_push(struct ui *u, enum ui_pager_kind kind, const char *title)
{
	struct ui_pager *p;

	/* The deepest view is dropped rather than refusing to open a new one. */
	if (u->n_pagers == UI_MAX_PAGERS) {
		pager_release(&u->pagers[0]);
		memmove(&u->pagers[0], &u->pagers[1], sizeof(u->pagers[0]) * (UI_MAX_PAGERS - 1));
		u->n_pagers--;
	}
	p = &u->pagers[u->n_pagers++];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->title = text_sanitize(title, false);
	p->built_width = -1;
	return p;
}

void ui_pager_clear_lines(struct ui_pager *p)
{
	size_t i;

	for (i = 0; i < p->n_lines; i++)
		free(p->lines[i].text);
	p->n_lines = 0;
}

void ui_pager_pop(struct ui *u)
{
	if (!u->n_pagers)
		return;
	pager_release(&u->pagers[--u->n_pagers]);
	u->dirty |= UI_DIRTY_LAYOUT;
}

void ui_pager_release_all(struct ui *u)
{
	while (u->n_pagers)
		pager_release(&u->pagers[--u->n_pagers]);
}

void ui_pager_add(struct ui_pager *p, enum ui_style style, bool bold, const char *text)
{
	struct ui_line *l;

	xgrow(&p->lines, &p->cap_lines, p->n_lines + 1, sizeof(*p->lines));
	l = &p->lines[p->n_lines++];
	l->text = xstrdup(text);
	l->style = style;
	l->bold = bold;
	l->item = p->build_item;
}

struct wrap_ctx {
	struct ui_pager *p;
	enum ui_style style;
	int indent;
};

static void on_wrapped(void *arg, const char *line)
{
	struct wrap_ctx *w = arg;
	char *s = xasprintf("%*s%s", w->indent, "", line);

	ui_pager_add(w->p, w->style, false, s);
	free(s);
}

static void pager_add_text(struct ui_pager *p, enum ui_style style, const char *s, int indent,
			   bool keep_newlines)
{
	struct wrap_ctx w = {.p = p, .style = style, .indent = indent};
	char *safe = text_sanitize(s, keep_newlines);

	ui_wrap(safe, p->built_width - indent - 1, on_wrapped, &w);
	free(safe);
}

void ui_pager_add_wrapped(struct ui_pager *p, enum ui_style style, const char *s, int indent)
{
	pager_add_text(p, style, s, indent, true);
}

void ui_pager_add_joined(struct ui_pager *p, enum ui_style style, const char *s, int indent)
{
	pager_add_text(p, style, s, indent, false);
}

bool ui_pager_results_head(struct ui_pager *p, size_t n, const char *none)
{
	if (p->loading) {
		ui_pager_add(p, UI_STYLE_NORMAL, false, " searching…");
		return false;
	}
	if (p->error)
		ui_pager_add_wrapped(p, UI_STYLE_ERROR, p->error, 1);
	if (!n)
		ui_pager_add(p, UI_STYLE_NORMAL, false, none);
	return true;
}

void ui_pager_build(struct ui *u, struct ui_pager *p)
{
	ui_pager_clear_lines(p);
	p->built_width = u->cols;
	switch (p->kind) {
	case UI_PAGER_HELP:
		ui_help_build(u, p);
		break;
	case UI_PAGER_THREAD:
		ui_thread_build(u, p);
		break;
	case UI_PAGER_RESULTS:
	case UI_PAGER_ARTICLE:
		ui_articles_build(u, p);
		break;
	case UI_PAGER_SEARCH:
		ui_search_build(u, p);
		break;
	case UI_PAGER_CLOSED:
		ui_closed_build(u, p);
		break;
	case UI_PAGER_TEAM:
		ui_team_build(u, p);
		break;
	}
	if (p->top >= p->n_lines)
		p->top = p->n_lines ? p->n_lines - 1 : 0;
}

/* In the results view the keys move the selection; elsewhere they scroll. */
unsigned ui_pager_scroll(struct ui *u, long delta)
{
	struct ui_pager *p = ui_pager_top(u);
	size_t rows = (size_t)ui_pager_rows(u), max;

	if (!p)
		return 0;
	if (p->kind == UI_PAGER_RESULTS || p->kind == UI_PAGER_SEARCH ||
	    p->kind == UI_PAGER_CLOSED) {
		size_t items = p->kind == UI_PAGER_SEARCH   ? p->n_convs
			       : p->kind == UI_PAGER_CLOSED ? p->n_closed
							    : p->n_results;

		if (!items)
			return 0;
		if (delta < 0 && (size_t)-delta > p->selected)
			p->selected = 0;
		else if (p->selected + (size_t)delta >= items)
			p->selected = items - 1;
		else
			p->selected += (size_t)delta;
		return UI_DIRTY_PAGER;
	}
	max = p->n_lines > rows ? p->n_lines - rows : 0;
	if (delta < 0 && (size_t)-delta > p->top)
		p->top = 0;
	else if (p->top + (size_t)delta > max)
		p->top = max;
	else
		p->top += (size_t)delta;
	return UI_DIRTY_PAGER;
}

unsigned ui_pager_jump(struct ui *u, bool end)
{
	return ui_pager_scroll(u, end ? 1000000000L : -1000000000L);
}

void ui_pager_draw(struct ui *u)
{
	struct ui_pager *p = ui_pager_top(u);
	size_t rows = (size_t)ui_pager_rows(u), i, first;
	wchar_t *w;

	if (!p)
		return;
	if (p->built_width != u->cols)
		ui_pager_build(u, p);
	w = ui_fit(p->title, u->cols);
	attrset(ui_style_attr(u, UI_STYLE_TITLE) | A_REVERSE | A_BOLD);
	(void)mvaddwstr(0, 0, w);
	attrset(A_NORMAL);
	free(w);
	first = p->top;
	if (p->kind == UI_PAGER_RESULTS || p->kind == UI_PAGER_SEARCH ||
	    (p->kind == UI_PAGER_CLOSED && p->n_closed)) {
		/* keep the selected result's lines on screen */
		for (i = 0; i < p->n_lines && p->lines[i].item != p->selected; i++)
			;
		if (i < first)
			first = i;
		else if (i + 2 > first + rows)
			first = i + 2 > rows ? i + 2 - rows : 0;
		p->top = first;
	}
	for (i = 0; i < rows; i++) {
		const struct ui_line *l = first + i < p->n_lines ? &p->lines[first + i] : NULL;
		int attr = 0;

		if (l) {
			attr = ui_style_attr(u, l->style) | (l->bold ? A_BOLD : 0);
			if ((p->kind == UI_PAGER_RESULTS || p->kind == UI_PAGER_SEARCH ||
			     p->kind == UI_PAGER_CLOSED) &&
			    l->item == p->selected && (p->n_results || p->n_convs || p->n_closed))
				attr |= A_REVERSE;
		}
		w = ui_fit(l ? l->text : "", u->cols);
		attrset(attr);
		(void)mvaddwstr((int)i + 1, 0, w);
		attrset(A_NORMAL);
		free(w);
	}
}
