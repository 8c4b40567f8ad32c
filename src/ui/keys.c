/* keys.c: the effective key map: the action table's default keys, changed by the [keys]
 * section of the configuration (an action given keys there loses its defaults, and a key
 * given there is taken from the action that had it by default), its checks, and what names
 * keys from it: the hints, the ? list and frontline(1)'s list of actions; and the colours
 * of [colors] over the built-in ones. */
#include "build-config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui-private.h"
#include "ui.h"
#include "util.h"

/* A key of the configuration as the screen reads it (get_wch's codes). */
static int key_from_config(int key)
{
	static const int function[] = {
	    [CONFIG_KEY_UP - CONFIG_KEY_UP] = KEY_UP,
	    [CONFIG_KEY_DOWN - CONFIG_KEY_UP] = KEY_DOWN,
	    [CONFIG_KEY_LEFT - CONFIG_KEY_UP] = KEY_LEFT,
	    [CONFIG_KEY_RIGHT - CONFIG_KEY_UP] = KEY_RIGHT,
	    [CONFIG_KEY_HOME - CONFIG_KEY_UP] = KEY_HOME,
	    [CONFIG_KEY_END - CONFIG_KEY_UP] = KEY_END,
	    [CONFIG_KEY_PGUP - CONFIG_KEY_UP] = KEY_PPAGE,
	    [CONFIG_KEY_PGDN - CONFIG_KEY_UP] = KEY_NPAGE,
	    [CONFIG_KEY_DELETE - CONFIG_KEY_UP] = KEY_DC,
	    [CONFIG_KEY_INSERT - CONFIG_KEY_UP] = KEY_IC,
	    [CONFIG_KEY_BACKSPACE - CONFIG_KEY_UP] = KEY_BACKSPACE,
	};

	if (key >= CONFIG_KEY_F1)
		return KEY_F(key - CONFIG_KEY_F1 + 1) | UI_KEY_FUNCTION;
	if (key >= CONFIG_KEY_UP)
		return function[key - CONFIG_KEY_UP] | UI_KEY_FUNCTION;
	return key;
}

static const struct config_binding *configured(const struct config *cfg, const char *action)
{
	size_t i;

	for (i = 0; i < cfg->n_bindings; i++)
		if (!strcmp(cfg->bindings[i].action, action))
			return &cfg->bindings[i];
	return NULL;
}

/* The views the keys can be in, as ui_context gives them. */
static const unsigned views[] = {
    UI_CTX_LIST,		    UI_CTX_PAGER | UI_CTX_THREAD,  UI_CTX_PAGER | UI_CTX_RESULTS,
    UI_CTX_PAGER | UI_CTX_ARTICLE, UI_CTX_PAGER | UI_CTX_SEARCH, UI_CTX_PAGER | UI_CTX_CLOSED,
    UI_CTX_PAGER,
};

static const char *const view_names[] = {
    "the queues",	  "the conversation", "the article results", "an article",
    "the search results", "the closed list",  "the help",
};

#define N_VIEWS (sizeof(views) / sizeof(views[0]))

/* The first view where actions of contexts a and b both act, or -1 when none. */
static int contexts_meet(unsigned a, unsigned b)
{
	size_t v;

	for (v = 0; v < N_VIEWS; v++)
		if ((a & views[v]) && (b & views[v]))
			return (int)v;
	return -1;
}

/* The binding of the configuration that gives key to an action (not a) that can meet a,
 * or NULL. */
static const struct config_binding *key_taken(const struct config *cfg, int key,
					      const struct ui_action *a)
{
	size_t i, k;
	const struct ui_action *other;

	for (i = 0; i < cfg->n_bindings; i++) {
		other = ui_action_find(cfg->bindings[i].action);
		if (!other || other == a || contexts_meet(other->contexts, a->contexts) < 0)
			continue;
		for (k = 0; k < cfg->bindings[i].n_keys; k++) {
			int given = key_from_config(cfg->bindings[i].keys[k]);

			/* Enter given to an action takes both codes a terminal sends for it */
			if (given == key || (given == '\r' && key == '\n'))
				return &cfg->bindings[i];
		}
	}
	return NULL;
}

static void bind(struct ui_binding **map, size_t *n, size_t *cap, int key,
		 const struct ui_action *a)
{
	xgrow(map, cap, *n + 1, sizeof(**map));
	(*map)[*n].key = key;
	(*map)[(*n)++].action = a;
}

/* The effective map: each action's keys of [keys], else its default keys not given to
 * another action there. */
static void map_build(const struct config *cfg, struct ui_binding **map, size_t *n, size_t *cap)
{
	const struct config_binding *b;
	size_t a, k;

	for (a = 0; a < ui_n_actions; a++) {
		const struct ui_action *act = &ui_actions[a];

		b = configured(cfg, act->name);
		if (b) {
			for (k = 0; k < b->n_keys; k++) {
				bind(map, n, cap, key_from_config(b->keys[k]), act);
				/* a terminal's Enter may come as either */
				if (b->keys[k] == '\r')
					bind(map, n, cap, '\n', act);
			}
			continue;
		}
		for (k = 0; k < 3 && act->keys[k]; k++)
			if (!key_taken(cfg, act->keys[k], act))
				bind(map, n, cap, act->keys[k], act);
	}
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* Edits from a to b (Levenshtein), both short names. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, row[65], diag, up;

	if (lb > 64)
		return lb;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = min3(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1]));
			diag = up;
		}
	}
	return row[lb];
}

/* How far name is from an action's name: 0 when it is a part of it ("assign" of
 * "assign-me"), else the edits between them. */
static size_t nearness(const char *name, const char *action)
{
	if (strlen(name) >= 3 && strstr(action, name))
		return 0;
	return distance(name, action);
}

/* " (did you mean close or clear-filter?)": at most three of the names nearest to name,
 * or "" when none is near. */
static void nearest_names(const char *name, char *buf, size_t len)
{
	const char *found[3];
	size_t a, best, n = 0, pos, limit = strlen(name) / 3 > 2 ? strlen(name) / 3 : 2;

	buf[0] = '\0';
	for (best = 0; best <= limit && !n; best++)
		for (a = 0; a < ui_n_actions && n < 3; a++)
			if (nearness(name, ui_actions[a].name) == best)
				found[n++] = ui_actions[a].name;
	if (!n)
		return;
	pos = (size_t)snprintf(buf, len, " (did you mean ");
	for (a = 0; a < n && pos < len; a++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s",
					!a ? "" : a + 1 == n ? " or " : ", ", found[a]);
	if (pos < len)
		snprintf(buf + pos, len - pos, "?)");
}

static const char *config_name(const struct config *cfg)
{
	return cfg->path ? cfg->path : "configuration";
}

int ui_keys_check(const struct config *cfg, FILE *err)
{
	struct ui_binding *map = NULL;
	size_t n = 0, cap = 0, a, i, j;
	char near[160], name[32];
	int rc = 0;

	for (a = 0; a < cfg->n_bindings; a++) {
		const struct ui_action *act = ui_action_find(cfg->bindings[a].action);

		/* the configuration's own names, not the : aliases */
		if (act && !strcmp(act->name, cfg->bindings[a].action))
			continue;
		nearest_names(cfg->bindings[a].action, near, sizeof(near));
		fprintf(err,
			"%s:%d: [keys]: there is no action \"%s\"%s; frontline help --keys, ? "
			"and frontline(1), KEYS list them\n",
			config_name(cfg), cfg->bindings[a].line, cfg->bindings[a].action, near);
		return -1;
	}
	map_build(cfg, &map, &n, &cap);
	/* one key, two actions that act in the same view: only [keys] can do that */
	for (i = 0; i < n && !rc; i++)
		for (j = i + 1; j < n && !rc; j++) {
			const struct config_binding *bi, *bj;
			int v;

			if (map[i].key != map[j].key || map[i].action == map[j].action)
				continue;
			v = contexts_meet(map[i].action->contexts, map[j].action->contexts);
			if (v < 0)
				continue;
			bi = configured(cfg, map[i].action->name);
			bj = configured(cfg, map[j].action->name);
			if (bi && bj && bj->line < bi->line) {
				const struct config_binding *t = bi;

				bi = bj;
				bj = t;
			}
			fprintf(err,
				"%s:%d: [keys]: %s and %s both have the key %s in %s (line %d); "
				"give one of them another key\n",
				config_name(cfg), bj ? bj->line : bi ? bi->line : 0,
				map[i].action->name, map[j].action->name,
				ui_key_name(map[i].key, name, sizeof(name)), view_names[v],
				bi ? bi->line : 0);
			rc = -1;
		}
	/* an action [keys] leaves without a key, unless it says so (name = none) */
	for (a = 0; a < ui_n_actions && !rc; a++) {
		const struct ui_action *act = &ui_actions[a];
		const struct config_binding *taker;

		if (!act->keys[0] || configured(cfg, act->name))
			continue;
		for (i = 0; i < n && map[i].action != act; i++)
			;
		if (i < n)
			continue;
		taker = key_taken(cfg, act->keys[0], act);
		fprintf(err,
			"%s:%d: [keys]: %s takes %s from %s, which is then left without a key; "
			"give %s another key, or write %s = none\n",
			config_name(cfg), taker ? taker->line : 0, taker ? taker->action : "?",
			ui_key_name(act->keys[0], name, sizeof(name)), act->name, act->name,
			act->name);
		rc = -1;
	}
	free(map);
	return rc;
}

int ui_bindings_init(struct ui *u)
{
	if (ui_keys_check(u->cfg, stderr) < 0)
		return -1;
	map_build(u->cfg, &u->bindings, &u->n_bindings, &u->cap_bindings);
	return 0;
}

/* ---- the keys as the screen and the docs name them ---- */

const char *ui_action_key(const struct ui *u, const char *name, char *buf, size_t len)
{
	char key[32];
	size_t b;

	for (b = 0; b < u->n_bindings; b++)
		if (!strcmp(u->bindings[b].action->name, name)) {
			/* into buf, whether the name is built there or a constant */
			snprintf(buf, len, "%s", ui_key_name(u->bindings[b].key, key, sizeof(key)));
			return buf;
		}
	return NULL;
}

const char *ui_key_for(const struct ui *u, const char *name, char *buf, size_t len)
{
	if (ui_action_key(u, name, buf, len))
		return buf;
	snprintf(buf, len, ":%s", name);
	return buf;
}

char *ui_hints(const struct ui *u, const struct ui_hint *h, size_t n)
{
	char *s = xstrdup(""), *more, key[32];
	const char *k;
	size_t i;

	for (i = 0; i < n; i++) {
		k = ui_action_key(u, h[i].action, key, sizeof(key));
		if (!k)
			continue;
		more = xasprintf("%s%s%s %s", s, *s ? " · " : "", k, h[i].word);
		free(s);
		s = more;
	}
	return s;
}

/* Where an action of contexts c acts, in words ("queues", "everywhere"). */
static const char *context_words(unsigned c)
{
	if ((c & UI_CTX_LIST) && (c & UI_CTX_PAGER))
		return "everywhere";
	if (c & UI_CTX_LIST)
		return c & UI_CTX_THREAD ? "queues, conversation" : "queues";
	if (c & UI_CTX_THREAD)
		return "conversation";
	if ((c & UI_CTX_RESULTS) && (c & UI_CTX_ARTICLE))
		return "article, results";
	if (c & UI_CTX_RESULTS)
		return "articles";
	if (c & UI_CTX_ARTICLE)
		return "article";
	return "views";
}

/* The keys of act in map, as names separated by spaces. */
static void keys_of(const struct ui_binding *map, size_t n, const struct ui_action *act,
		    char *keys, size_t size)
{
	char name[32];
	size_t b, len = 0;

	keys[0] = '\0';
	for (b = 0; b < n; b++) {
		if (map[b].action != act || len + 12 >= size)
			continue;
		len += (size_t)snprintf(keys + len, size - len, "%s%s", len ? " " : "",
					ui_key_name(map[b].key, name, sizeof(name)));
	}
}

/* act's help, each {name} in it replaced by the first key map gives the action called name
 * (or :name). Returns a new string. */
static char *help_text(const struct ui_binding *map, size_t n, const struct ui_action *act)
{
	const char *s = act->help, *open, *close;
	char *out = xstrdup(""), *more, name[64], key[32];
	size_t b;

	while ((open = strchr(s, '{')) && (close = strchr(open, '}')) &&
	       (size_t)(close - open) < sizeof(name)) {
		const char *k = NULL;

		snprintf(name, sizeof(name), "%.*s", (int)(close - open - 1), open + 1);
		for (b = 0; b < n && !k; b++)
			if (!strcmp(map[b].action->name, name))
				k = ui_key_name(map[b].key, key, sizeof(key));
		more = xasprintf("%s%.*s%s%s", out, (int)(open - s), s, k ? "" : ":",
				 k ? k : name);
		free(out);
		out = more;
		s = close + 1;
	}
	more = xasprintf("%s%s", out, s);
	free(out);
	return more;
}

struct help_wrap {
	struct ui_pager *p;
	char *first; /* the columns before the first line of WHAT; NULL after it */
	int indent;
};

static void on_help_line(void *arg, const char *line)
{
	struct help_wrap *w = arg;
	char *s;

	if (w->first) {
		s = xasprintf("%s%s", w->first, line);
		free(w->first);
		w->first = NULL;
	} else {
		s = xasprintf("%*s%s", w->indent, "", line);
	}
	ui_pager_add(w->p, UI_STYLE_NORMAL, false, s);
	free(s);
}

#define HELP_COLUMNS 59 /* " KEYS(20) ACTION(15) WHERE(20) " */
#define HELP_WHAT_MIN 20

/* The effective map: every action with the keys bound to it now. WHAT wraps under itself,
 * or, on a narrow screen, below the other columns. */
void ui_help_build(struct ui *u, struct ui_pager *p)
{
	bool beside = p->built_width - HELP_COLUMNS - 1 >= HELP_WHAT_MIN;
	char keys[64], *text, *raw, reply[32], note[32];
	size_t a;

	ui_pager_add(p, UI_STYLE_TITLE, true,
		     beside ? " KEYS                 ACTION          WHERE                WHAT"
			    : " KEYS                 ACTION          WHERE");
	for (a = 0; a < ui_n_actions; a++) {
		const struct ui_action *act = &ui_actions[a];
		struct help_wrap w = {.p = p, .indent = beside ? HELP_COLUMNS : 4};

		keys_of(u->bindings, u->n_bindings, act, keys, sizeof(keys));
		w.first = xasprintf(" %-20s %-15s %-20s ", keys, act->name,
				    context_words(act->contexts));
		if (!beside)
			on_help_line(&w, "");
		raw = help_text(u->bindings, u->n_bindings, act);
		text = text_sanitize(raw, false);
		free(raw);
		ui_wrap(text, p->built_width - w.indent - 1, on_help_line, &w);
		free(text);
		free(w.first);
	}
	ui_pager_add(p, UI_STYLE_NORMAL, false, "");
	ui_pager_add_wrapped(
	    p, UI_STYLE_EVENT,
	    "Countdown marks: '!' breached, '~' warning, 'z' snoozed, '?' unknown (the "
	    "backend did not say enough); '*' unread; priority '.' low, '-' medium, '^' high, "
	    "'!' urgent; right after the countdown, the backend's SLA '>' active, '=' hit, '!' "
	    "missed, '/' cancelled; '+' "
	    "marked; the outbox: '\u2191' on its way, '\u2713' sent, '\u2717' failed. See "
	    "frontline(1), KEYS.",
	    1);
	ui_pager_add_wrapped(
	    p, UI_STYLE_EVENT,
	    "Every action runs by its name on the : command line too (:snooze 2h, :tags +vip); "
	    "Tab completes. [keys] in the configuration gives actions other keys.",
	    1);
	/* the composer's own keys are fixed; the keys that open it are the map's */
	text = xasprintf("The composer (%s, %s): Enter new line, C-d done, C-x C-e $EDITOR, Esc "
			 "later; C-a C-e C-b C-f C-k C-u C-w C-y edit as in a shell.",
			 ui_key_for(u, "reply", reply, sizeof(reply)),
			 ui_key_for(u, "note", note, sizeof(note)));
	ui_pager_add_wrapped(p, UI_STYLE_EVENT, text, 1);
	free(text);
}

void ui_keys_write(FILE *out, bool man)
{
	struct ui_binding *map = NULL;
	struct config none;
	size_t n = 0, cap = 0, a;
	char keys[64], *help;

	memset(&none, 0, sizeof(none));
	map_build(&none, &map, &n, &cap);
	for (a = 0; a < ui_n_actions; a++) {
		const struct ui_action *act = &ui_actions[a];

		keys_of(map, n, act, keys, sizeof(keys));
		help = help_text(map, n, act);
		if (!man) {
			fprintf(out, "%-18s %-20s %-20s %s\n", act->name, *keys ? keys : "-",
				context_words(act->contexts), help);
			free(help);
			continue;
		}
		fputs(".TP\n.B ", out);
		util_man_put(out, act->name);
		fputs("\n", out);
		if (*keys) {
			fputs("\\fB", out);
			util_man_put(out, keys);
			fputs("\\fR", out);
		} else {
			fputs("(no key)", out);
		}
		fputs(" \\(em ", out);
		util_man_put(out, help);
		fprintf(out, " (%s)\n", context_words(act->contexts));
		free(help);
	}
	free(map);
}

/* ---- colours ---- */

void ui_colors_configure(struct ui *u)
{
	const struct config_colors *c = &u->cfg->colors;
	const struct config_color *of[UI_STYLE_COUNT] = {
	    [UI_STYLE_OK] = &c->ok,
	    [UI_STYLE_WARNING] = &c->warning,
	    [UI_STYLE_BREACHED] = &c->breached,
	    [UI_STYLE_TITLE] = &c->title,
	    [UI_STYLE_STATUS] = &c->status,
	    [UI_STYLE_CUSTOMER] = &c->customer,
	    [UI_STYLE_AGENT] = &c->agent,
	    [UI_STYLE_NOTE] = &c->note,
	    [UI_STYLE_EVENT] = &c->event,
	    [UI_STYLE_ERROR] = &c->error,
	};
	int s;

	for (s = 0; s < UI_STYLE_COUNT; s++) {
		if (!of[s] || !of[s]->set)
			continue;
		/* a colour the terminal does not have falls back to the default */
		(void)init_pair((short)s, of[s]->fg < COLORS ? of[s]->fg : -1,
				of[s]->bg < COLORS ? of[s]->bg : -1);
		u->style_attrs[s] = (of[s]->bold ? A_BOLD : 0) |
				    (of[s]->underline ? A_UNDERLINE : 0) |
				    (of[s]->reverse ? A_REVERSE : 0);
	}
}
