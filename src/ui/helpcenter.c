/* helpcenter.c: K: search the help center (the local index, or the backend's own search
 * while the index is empty), prefilled with keywords of the customer's last message; a
 * list of results, an article to read, its title and link put into the reply draft; and
 * the conversation view's suggested articles. */
#include "build-config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "html.h"
#include "replies.h"
#include "text.h"
#include "ui-private.h"
#include "util.h"

#define RESULTS_MAX  30
#define KEYWORDS_MAX 6

/* ---- keywords of a customer's message ---- */

/* Words that say nothing about what the customer needs (and the pieces of contractions
 * that splitting on the apostrophe leaves). */
static const char *const stop_words[] = {
    "about",   "above",	     "after",	 "again",   "against",	 "all",	       "also",	 "and",
    "any",     "are",	     "aren",	 "because", "been",	 "before",     "being",	 "below",
    "between", "both",	     "but",	 "can",	    "cannot",	 "could",      "couldn", "did",
    "didn",    "does",	     "doesn",	 "doing",   "don",	 "down",       "during", "each",
    "even",    "ever",	     "few",	 "for",	    "from",	 "further",    "get",	 "gets",
    "getting", "got",	     "had",	 "hadn",    "has",	 "hasn",       "have",	 "haven",
    "having",  "hello",	     "her",	 "here",    "hers",	 "herself",    "hey",	 "him",
    "himself", "his",	     "how",	 "isn",	    "into",	 "its",	       "itself", "just",
    "know",    "let",	     "like",	 "more",    "most",	 "much",       "must",	 "mustn",
    "myself",  "need",	     "needs",	 "nor",	    "not",	 "now",	       "off",	 "once",
    "only",    "other",	     "our",	 "ours",    "ourselves", "out",	       "over",	 "own",
    "please",  "same",	     "shan",	 "she",	    "should",	 "shouldn",    "some",	 "still",
    "such",    "than",	     "thank",	 "thanks",  "that",	 "the",	       "their",	 "theirs",
    "them",    "themselves", "then",	 "there",   "these",	 "they",       "this",	 "those",
    "through", "too",	     "under",	 "until",   "very",	 "want",       "was",	 "wasn",
    "way",     "were",	     "weren",	 "what",    "when",	 "where",      "which",	 "while",
    "who",     "whom",	     "why",	 "will",    "with",	 "won",	       "would",	 "wouldn",
    "yet",     "you",	     "your",	 "yours",   "yourself",	 "yourselves", "ive",	 "i'm",
    "im",      "hi",	     "dear",	 "regards", "cheers",	 "best",       "yes",	 "okay",
    "one",     "two",	     "really",	 "since",   "seems",	 "tried",      "try",	 "trying",
    "today",   "yesterday",  "anyone",	 "someone", "something", "anything",   "able",	 "make",
    "made",    "see",	     "use",	 "using",   "used",	 "think",      "sure",	 "help",
    "issue",   "problem",    "question", "urgent",  "asap",	 "work",       "works",	 "working",
};

static bool stop_word(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(stop_words) / sizeof(stop_words[0]); i++)
		if (!strcmp(stop_words[i], w))
			return true;
	return false;
}

/* Letters and digits; bytes of multi-byte UTF-8 characters count as letters. */
static bool keyword_byte(unsigned char c) { return isalnum(c) || c >= 0x80; }

static bool keyword_wanted(const char *w, size_t len)
{
	size_t i;
	bool letter = false;

	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)w[i]))
			letter = true;
	/* short words and bare numbers rarely name a topic */
	return letter && len >= 3 && !stop_word(w);
}

char *ui_articles_keywords(const char *text, size_t max)
{
	char **words = NULL, *out;
	size_t n = 0, cap = 0, i, j, len = 0;
	const char *p = text ? text : "";

	while (*p) {
		const char *start;
		char *w;

		while (*p && !keyword_byte((unsigned char)*p))
			p++;
		start = p;
		while (*p && keyword_byte((unsigned char)*p))
			p++;
		if (p == start || p - start > 40)
			continue;
		w = xstrndup(start, (size_t)(p - start));
		for (i = 0; w[i]; i++)
			w[i] = (char)tolower((unsigned char)w[i]);
		for (j = 0; j < n && strcmp(words[j], w) != 0; j++)
			;
		if (j < n || !keyword_wanted(w, strlen(w))) {
			free(w);
			continue;
		}
		xgrow(&words, &cap, n + 1, sizeof(*words));
		words[n++] = w;
	}
	/* Too many: the shortest go first (the last of equals first), order kept. */
	while (n > max) {
		size_t drop = 0;

		for (i = 1; i < n; i++)
			if (strlen(words[i]) <= strlen(words[drop]))
				drop = i;
		free(words[drop]);
		memmove(&words[drop], &words[drop + 1], (n - drop - 1) * sizeof(*words));
		n--;
	}
	for (i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	out = xmalloc(len + 1);
	out[0] = '\0';
	for (i = 0, len = 0; i < n; i++) {
		len += (size_t)sprintf(out + len, "%s%s", i ? " " : "", words[i]);
		free(words[i]);
	}
	free(words);
	return out;
}

static bool message_part(const struct thread_part *part)
{
	return part->kind && (!strcmp(part->kind, "comment") || !strcmp(part->kind, "source"));
}

static char *opening_text(const struct conversation *c)
{
	if (!c->body || !*c->body)
		return NULL;
	return c->body_is_html ? html_to_text(c->body) : xstrdup(c->body);
}

char *ui_articles_customer_text(const struct thread *t)
{
	size_t i;

	for (i = t->n_parts; i > 0; i--) {
		const struct thread_part *part = &t->parts[i - 1];

		if (!part->from_admin && message_part(part) && part->body && *part->body)
			return xstrdup(part->body);
	}
	return opening_text(&t->conv);
}

void ui_articles_suggest(struct ui *u, struct ui_pager *p)
{
	char *text, *words;
	int n;

	while (p->n_suggested)
		article_release(&p->suggested[--p->n_suggested]);
	if (!u->index || !p->have_thread || !(text = ui_articles_customer_text(&p->thread)))
		return;
	words = ui_articles_keywords(text, KEYWORDS_MAX);
	free(text);
	if (!p->suggested)
		p->suggested = xcalloc(UI_SUGGESTED_MAX, sizeof(*p->suggested));
	n = *words ? articles_search(u->index, words, p->suggested, UI_SUGGESTED_MAX) : 0;
	p->n_suggested = n > 0 ? (size_t)n : 0;
	free(words);
}

/* The conversation the help-center views work for: the conversation view under them,
 * else the row selected in the queues. */
static int64_t articles_conversation(struct ui *u)
{
	const struct store_entry *e;
	int i;

	for (i = u->n_pagers - 1; i >= 0; i--)
		if (u->pagers[i].kind == UI_PAGER_THREAD)
			return u->pagers[i].conversation;
	e = ui_pane_selected(u);
	return e ? e->conv.id : 0;
}

/* Keywords for K: the open thread's last customer message, else the opening message the
 * queues hold. */
static char *prompt_keywords(struct ui *u)
{
	int64_t id = articles_conversation(u);
	const struct store_entry *e = id ? store_get(u->engine.store, id) : NULL;
	char *text = NULL, *words;
	int i;

	for (i = u->n_pagers - 1; i >= 0 && !text; i--)
		if (u->pagers[i].kind == UI_PAGER_THREAD && u->pagers[i].have_thread)
			text = ui_articles_customer_text(&u->pagers[i].thread);
	if (!text && e)
		text = opening_text(&e->conv);
	words = ui_articles_keywords(text, KEYWORDS_MAX);
	free(text);
	return words;
}

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

static void on_articles_synced(void *arg, const struct result *r)
{
	struct ui *u = arg;
	const char *error = r->cls == RESULT_OK ? NULL : r->message;
	int i;

	u->articles_syncing = false;
	if (error) {
		ui_message(u, true, "could not refresh the help center: %s", error);
		return;
	}
	/* Threads that arrived before the index did get their suggestions now. */
	for (i = 0; i < u->n_pagers; i++)
		if (u->pagers[i].kind == UI_PAGER_THREAD && u->pagers[i].have_thread) {
			ui_articles_suggest(u, &u->pagers[i]);
			u->pagers[i].built_width = -1;
			u->dirty |= UI_DIRTY_PAGER;
		}
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
	engine_sync_articles(&u->engine, u->index, on_articles_synced, u);
}

static struct ui_pager *results_view(struct ui *u)
{
	struct ui_pager *p = ui_pager_top(u);

	return p && p->kind == UI_PAGER_RESULTS && p->loading ? p : NULL;
}

static void on_backend_results(void *arg, struct article *items, size_t n,
			       const struct result *r)
{
	struct ui *u = arg;
	const char *error = r->cls == RESULT_OK ? NULL : r->message;
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
	char *title, open[32], back[32];
	int n;

	if (!*query)
		return;
	title = xasprintf(" help center: %s  (%s reads, %s goes back)", query,
			  ui_key_for(u, "open", open, sizeof(open)),
			  ui_key_for(u, "back", back, sizeof(back)));
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
	engine_search_articles(&u->engine, query, on_backend_results, u);
}

unsigned ui_articles_search(struct ui *u, const char *query)
{
	if (!u->engine.ready) {
		ui_message(u, true, "not connected yet");
		return UI_DIRTY_STATUS;
	}
	on_query(u, query);
	return UI_DIRTY_LAYOUT;
}

/* The thread K asked for from the queues: if the prompt still shows the opening
 * message's keywords untouched, the last customer message's take their place. */
static void on_refine_thread(void *arg, struct thread *t, const struct result *r)
{
	struct ui *u = arg;
	bool error = r->cls != RESULT_OK;
	char now[UI_PROMPT_MAX * 4 + 1], *text, *words;
	size_t n;

	if (!t)
		return;
	if (!error && u->mode == UI_MODE_PROMPT && u->prompt.done == on_query &&
	    t->conv.id == u->articles_refine && u->articles_refine_words) {
		ui_prompt_text(u, now, sizeof(now));
		text = ui_articles_customer_text(t);
		words = ui_articles_keywords(text, KEYWORDS_MAX);
		if (!strcmp(now, u->articles_refine_words) && *words) {
			n = mbstowcs(u->prompt.buf, words, UI_PROMPT_MAX - 1);
			u->prompt.len = n == (size_t)-1 ? 0 : n;
			u->dirty |= UI_DIRTY_STATUS;
		}
		free(words);
		free(text);
	}
	thread_release(t);
}

unsigned ui_articles_prompt(struct ui *u)
{
	int64_t id = articles_conversation(u);
	bool have_thread = false;
	char *words;
	int i;

	if (!u->engine.ready) {
		ui_message(u, true, "not connected yet");
		return UI_DIRTY_STATUS;
	}
	words = prompt_keywords(u);
	ui_prompt_start(u, "search help center: ", words, on_query);
	for (i = 0; i < u->n_pagers; i++)
		have_thread |= u->pagers[i].kind == UI_PAGER_THREAD && u->pagers[i].have_thread;
	/* From the queues only the opening message is at hand: the thread is asked for,
	 * and the prompt waits for no one meanwhile. */
	free(u->articles_refine_words);
	u->articles_refine_words = NULL;
	u->articles_refine = 0;
	if (id && !have_thread) {
		u->articles_refine = id;
		u->articles_refine_words = xstrdup(words);
		engine_fetch_thread(&u->engine, id, on_refine_thread, u);
	}
	free(words);
	return UI_DIRTY_STATUS;
}

/* Opens the article r (a result or a suggestion) in a view of its own. */
static unsigned article_open(struct ui *u, const struct article *r)
{
	struct ui_pager *p;
	struct article a;
	char *title;
	int found = 0;

	memset(&a, 0, sizeof(a));
	if (u->index && !r->body)
		found = articles_get(u->index, r->id, &a);
	if (found != 1) {
		/* The result itself carries what there is (the backend's search gives bodies). */
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

unsigned ui_articles_open_selected(struct ui *u)
{
	struct ui_pager *from = ui_pager_top(u);

	if (!from || from->kind != UI_PAGER_RESULTS || from->selected >= from->n_results)
		return 0;
	return article_open(u, &from->results[from->selected]);
}

unsigned ui_articles_open_suggested(struct ui *u, size_t n)
{
	struct ui_pager *from = ui_pager_top(u);

	if (!from || from->kind != UI_PAGER_THREAD)
		return 0;
	if (n >= from->n_suggested) {
		ui_message(u, true, "no suggested article %zu", n + 1);
		return UI_DIRTY_STATUS;
	}
	return article_open(u, &from->suggested[n]);
}

/* Puts text into the draft at path as a paragraph of its own (never glued to the draft's
 * last line), creating the file (0600) and its directory if missing. */
int ui_draft_add_paragraph(const char *path, const char *text)
{
	char *raw = ui_file_read(path), *draft = raw ? text_draft_clean(raw) : NULL, *joined;
	int rc;

	if (!raw && errno != ENOENT)
		return -1;
	joined = replies_join_paragraph(draft, text);
	rc = ui_draft_write(path, joined);
	free(joined);
	free(draft);
	free(raw);
	return rc;
}

unsigned ui_articles_insert(struct ui *u)
{
	struct ui_pager *p = ui_pager_top(u);
	const struct article *a = NULL;
	int64_t id = articles_conversation(u);
	char *dir, *path, *text, key[32];

	if (p && p->kind == UI_PAGER_RESULTS && p->selected < p->n_results)
		a = &p->results[p->selected];
	else if (p && p->kind == UI_PAGER_ARTICLE && p->have_article)
		a = &p->article;
	if (!a)
		return 0;
	if (!id) {
		ui_message(u, true, "no conversation to put the article into");
		return UI_DIRTY_STATUS;
	}
	if (!u->cfg->state_dir) {
		ui_message(u, true, "no state directory for drafts (set XDG_STATE_HOME or HOME)");
		return UI_DIRTY_STATUS;
	}
	dir = xasprintf("%s/drafts", u->cfg->state_dir);
	path = xasprintf("%s/reply-%lld.txt", dir, (long long)id);
	if (ui_write_sending_draft(u, path)) {
		ui_message(u, true, "the reply to #%lld is on its way; try again in a moment",
			   (long long)id);
	} else {
		text = xasprintf("%s\n%s%s", a->title ? a->title : "", a->url ? a->url : "",
				 a->url ? "\n" : "");
		if (ui_draft_add_paragraph(path, text) != 0)
			ui_message(u, true, "cannot write %s: %s", path, strerror(errno));
		else
			ui_message(u, false,
				   "inserted \"%s\" into the reply to #%lld%s; %s opens it",
				   a->title ? a->title : "", (long long)id,
				   a->url ? "" : " (it has no link)",
				   ui_key_for(u, "reply", key, sizeof(key)));
		free(text);
	}
	free(path);
	free(dir);
	return UI_DIRTY_STATUS;
}

void ui_articles_build(struct ui *u, struct ui_pager *p)
{
	size_t i;

	(void)u;
	if (p->kind == UI_PAGER_ARTICLE) {
		if (p->article.url)
			ui_pager_add_joined(p, UI_STYLE_AGENT, p->article.url, 1);
		if (p->article.description)
			ui_pager_add_wrapped(p, UI_STYLE_EVENT, p->article.description, 1);
		ui_pager_add(p, UI_STYLE_NORMAL, false, "");
		ui_pager_add_wrapped(p, UI_STYLE_NORMAL, p->article.body ? p->article.body : "", 1);
		return;
	}
	if (!ui_pager_results_head(p, p->n_results, " no articles found"))
		return;
	for (i = 0; i < p->n_results; i++) {
		p->build_item = i;
		ui_pager_add_joined(p, UI_STYLE_CUSTOMER,
				    p->results[i].title ? p->results[i].title : "?", 1);
		p->lines[p->n_lines - 1].bold = true;
		if (p->results[i].description && *p->results[i].description)
			ui_pager_add_wrapped(p, UI_STYLE_NORMAL, p->results[i].description, 3);
	}
	p->build_item = 0;
}
