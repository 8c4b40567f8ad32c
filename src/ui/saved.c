/* saved.c: saved replies: the backend's macros visible to the agent (everyone's, and
 * those of the agent's teams), fetched when first wanted and again after article_refresh,
 * and the agent's own, one a file in the replies directory beside the configuration; a
 * prompt filters them by a fuzzy match of their names, Enter puts the best one, its
 * placeholders filled from the conversation's customer and the agent, into the reply as a
 * paragraph of its own. */
#include "build-config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "replies.h"
#include "text.h"
#include "ui-private.h"
#include "util.h"

#define HINT_NAMES 5

struct ui_saved {
	struct saved_reply *macros; /* the visible macros, as last fetched */
	size_t n_macros;
	time_t fetched_at; /* 0: never */
	bool loading;
	struct saved_reply *all; /* the prompt's candidates: the agent's own, then the backend's */
	size_t n_all;
	int64_t conversation; /* the prompt's */
};

static void replies_free(struct saved_reply *list, size_t n)
{
	while (n)
		saved_reply_release(&list[--n]);
	free(list);
}

void ui_saved_release(struct ui *u)
{
	if (!u->saved)
		return;
	replies_free(u->saved->macros, u->saved->n_macros);
	replies_free(u->saved->all, u->saved->n_all);
	free(u->saved);
	u->saved = NULL;
}

/* The agent's own replies: "replies/" beside the configuration file, else in
 * $XDG_CONFIG_HOME/frontline (~/.config/frontline). NULL without a home. */
static char *personal_dir(const struct ui *u)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME"), *slash;

	if (u->cfg->path) {
		slash = strrchr(u->cfg->path, '/');
		return slash ? xasprintf("%.*s/replies", (int)(slash - u->cfg->path), u->cfg->path)
			     : xstrdup("replies");
	}
	if (xdg && *xdg == '/')
		return xasprintf("%s/frontline/replies", xdg);
	return home && *home ? xasprintf("%s/.config/frontline/replies", home) : NULL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct saved_reply *)a)->name, ((const struct saved_reply *)b)->name);
}

/* Adds the files of the replies directory (not hidden, not editors' backups ~). */
static void add_personal(struct ui *u, struct saved_reply **list, size_t *n, size_t *cap)
{
	char *dir = personal_dir(u), *path, *text;
	size_t first = *n;
	struct dirent *d;
	DIR *dp = dir ? opendir(dir) : NULL;

	while (dp && (d = readdir(dp)) != NULL) {
		size_t len = strlen(d->d_name);

		if (d->d_name[0] == '.' || d->d_name[len - 1] == '~')
			continue;
		path = xasprintf("%s/%s", dir, d->d_name);
		text = ui_file_read(path);
		free(path);
		if (!text)
			continue;
		xgrow(list, cap, *n + 1, sizeof(**list));
		memset(&(*list)[*n], 0, sizeof(**list));
		(*list)[*n].name = xstrdup(d->d_name);
		(*list)[*n].text = text;
		(*list)[*n].everyone = true;
		(*n)++;
	}
	if (dp)
		closedir(dp);
	free(dir);
	if (*n > first) /* *list is NULL when nothing was ever listed */
		qsort(*list + first, *n - first, sizeof(**list), by_name);
}

static void copy_reply(struct saved_reply *to, const struct saved_reply *from)
{
	memset(to, 0, sizeof(*to));
	to->id = from->id ? xstrdup(from->id) : NULL;
	to->name = xstrdup(from->name);
	to->text = from->text ? xstrdup(from->text) : NULL;
	to->everyone = true;
}

static void candidates_build(struct ui *u)
{
	struct ui_saved *s = u->saved;
	size_t cap = 0, i;

	replies_free(s->all, s->n_all);
	s->all = NULL;
	s->n_all = 0;
	add_personal(u, &s->all, &s->n_all, &cap);
	xgrow(&s->all, &cap, s->n_all + s->n_macros + 1, sizeof(*s->all));
	for (i = 0; i < s->n_macros; i++)
		copy_reply(&s->all[s->n_all++], &s->macros[i]);
}

/* The candidate the typed text matches best (the first of equals); -1 for none. */
static long best_match(const struct ui_saved *s, const char *typed, long skip_upto,
		       int *score_out)
{
	long best = -1;
	int best_score = -1, sc;
	size_t i;

	for (i = 0; i < s->n_all; i++) {
		sc = replies_fuzzy_score(typed, s->all[i].name);
		if (sc > best_score && (skip_upto < 0 || sc < *score_out ||
					(sc == *score_out && (long)i > skip_upto))) {
			best_score = sc;
			best = (long)i;
		}
	}
	if (best >= 0)
		*score_out = best_score;
	return best;
}

/* The hint: the names that match, best first. */
static void on_changed(struct ui *u)
{
	struct ui_saved *s = u->saved;
	char typed[UI_PROMPT_MAX * 4 + 1];
	size_t used = 0, shown = 0;
	long at = -1;
	int score = 0;

	ui_prompt_text(u, typed, sizeof(typed));
	u->prompt.hint[0] = '\0';
	while (shown < HINT_NAMES && (at = best_match(s, typed, at, &score)) >= 0) {
		char *name = text_sanitize(s->all[at].name, false);

		if (used + strlen(name) + 4 >= sizeof(u->prompt.hint)) {
			free(name);
			break;
		}
		used += (size_t)snprintf(u->prompt.hint + used, sizeof(u->prompt.hint) - used, "%s%s",
					 shown ? " | " : "", name);
		free(name);
		shown++;
	}
	if (!shown)
		snprintf(u->prompt.hint, sizeof(u->prompt.hint), "%s",
			 s->loading ? "(loading saved replies…)" : "(no match)");
	u->dirty |= UI_DIRTY_STATUS;
}

static char *filled_text(struct ui *u, const struct saved_reply *r)
{
	const struct store_entry *e = store_get(u->engine.store, u->saved->conversation);
	const char *customer = e ? e->conv.customer : NULL;
	bool email = customer && strchr(customer, '@') && !strchr(customer, ' ');
	struct reply_context ctx = {
	    .user_name = email ? NULL : customer,
	    .user_email = email ? customer : NULL,
	    .admin_name = u->engine.dir ? u->engine.dir->me_name : NULL,
	    .admin_email = u->engine.dir ? u->engine.dir->me_email : NULL,
	};

	return replies_fill(r->text, &ctx);
}

static void on_pick(struct ui *u, const char *typed)
{
	struct ui_saved *s = u->saved;
	int score = 0;
	long at = best_match(s, typed, -1, &score);
	char *text, *path;

	if (at < 0) {
		ui_message(u, true, "no saved reply matches \"%s\"", typed);
		return;
	}
	if (!s->all[at].text) {
		ui_message(u, true, "the saved reply \"%s\" came without its text; try again later",
			   s->all[at].name);
		return;
	}
	text = filled_text(u, &s->all[at]);
	if (u->mode == UI_MODE_COMPOSE) {
		if (!ui_composer_insert_paragraph(u, text))
			ui_message(u, true, "the saved reply does not fit in the composer");
		free(text);
		u->dirty |= UI_DIRTY_STATUS;
		return;
	}
	/* from the conversation view: into the reply's draft, then the composer */
	path = xasprintf("%s/drafts/reply-%lld.txt", u->cfg->state_dir, (long long)s->conversation);
	if (ui_write_sending_draft(u, path))
		ui_message(u, true, "the reply to #%lld is on its way; try again in a moment",
			   (long long)s->conversation);
	else if (ui_draft_add_paragraph(path, text) != 0)
		ui_message(u, true, "cannot write %s: %s", path, strerror(errno));
	else
		u->dirty |= ui_compose_start(u, WRITE_REPLY);
	free(path);
	free(text);
}

static void on_macros(void *arg, struct saved_reply *items, size_t n, const struct result *r)
{
	struct ui *u = arg;
	struct ui_saved *s = u->saved;
	const struct directory *d = u->engine.dir;
	const struct directory_entry *me = NULL;
	size_t i;

	if (!s)
		return;
	s->loading = false;
	if (r->cls != RESULT_OK) {
		ui_message(u, true, "could not fetch the saved replies: %s", r->message);
		return;
	}
	for (i = 0; d && i < d->n_admins; i++)
		if (d->admins[i].id == d->me)
			me = &d->admins[i];
	replies_free(s->macros, s->n_macros);
	s->macros = xcalloc(n + 1, sizeof(*s->macros));
	s->n_macros = 0;
	for (i = 0; i < n; i++) {
		if (replies_visible(&items[i], me ? me->team_ids : NULL, me ? me->n_team_ids : 0)) {
			s->macros[s->n_macros++] = items[i];
			memset(&items[i], 0, sizeof(items[i]));
		}
	}
	s->fetched_at = time(NULL);
	if (u->mode == UI_MODE_PROMPT && u->prompt.done == on_pick) {
		candidates_build(u);
		on_changed(u);
	}
}

unsigned ui_saved_reply_pick(struct ui *u)
{
	bool composing = u->mode == UI_MODE_COMPOSE;
	int64_t id = composing ? u->draft.conversation : ui_current_conversation(u);

	if (!id)
		return 0;
	if (!composing && u->draft.active) {
		ui_message(u, true, "finish the other draft first");
		return UI_DIRTY_STATUS;
	}
	if (!composing && !u->cfg->state_dir) {
		ui_message(u, true, "no state directory for drafts (set XDG_STATE_HOME or HOME)");
		return UI_DIRTY_STATUS;
	}
	if (!u->saved)
		u->saved = xcalloc(1, sizeof(*u->saved));
	u->saved->conversation = id;
	if (u->engine.ready && !u->saved->loading &&
	    (!u->saved->fetched_at || time(NULL) - u->saved->fetched_at >= u->cfg->article_refresh)) {
		u->saved->loading = true;
		engine_fetch_macros(&u->engine, on_macros, u);
	}
	candidates_build(u);
	ui_prompt_start(u, "saved reply: ", "", on_pick);
	u->prompt.changed = on_changed;
	u->prompt.back = composing ? UI_MODE_COMPOSE : UI_MODE_NORMAL;
	on_changed(u);
	return UI_DIRTY_STATUS;
}
