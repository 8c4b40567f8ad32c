/* keys.c: the effective key map: the action table's default keys, changed by the [keys]
 * section of the configuration (an action given keys there loses its defaults, and a key
 * given there is taken from the action that had it by default), and the colours of
 * [colors] over the built-in ones. */
#include "build-config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-private.h"
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

/* Whether the configuration gives key to an action that can meet a (shares a context). */
static bool key_taken(const struct config *cfg, int key, const struct ui_action *a)
{
	size_t i, k;
	const struct ui_action *other;

	for (i = 0; i < cfg->n_bindings; i++) {
		other = ui_action_find(cfg->bindings[i].action);
		if (!other || other == a || !(other->contexts & a->contexts))
			continue;
		for (k = 0; k < cfg->bindings[i].n_keys; k++) {
			int given = key_from_config(cfg->bindings[i].keys[k]);

			/* Enter given to an action takes both codes a terminal sends for it */
			if (given == key || (given == '\r' && key == '\n'))
				return true;
		}
	}
	return false;
}

static void bind(struct ui *u, int key, const struct ui_action *a)
{
	xgrow(&u->bindings, &u->cap_bindings, u->n_bindings + 1, sizeof(*u->bindings));
	u->bindings[u->n_bindings].key = key;
	u->bindings[u->n_bindings++].action = a;
}

int ui_bindings_init(struct ui *u)
{
	const struct config *cfg = u->cfg;
	const struct config_binding *b;
	size_t a, k;

	for (a = 0; a < cfg->n_bindings; a++) {
		const struct ui_action *act = ui_action_find(cfg->bindings[a].action);

		/* the configuration's own names, not the : aliases */
		if (!act || strcmp(act->name, cfg->bindings[a].action)) {
			fprintf(
			    stderr,
			    "%s:%d: [keys]: there is no action \"%s\"; the names are listed by ? "
			    "and in frontline(1), KEYS\n",
			    cfg->path ? cfg->path : "configuration", cfg->bindings[a].line,
			    cfg->bindings[a].action);
			return -1;
		}
	}
	for (a = 0; a < ui_n_actions; a++) {
		const struct ui_action *act = &ui_actions[a];

		b = configured(cfg, act->name);
		if (b) {
			for (k = 0; k < b->n_keys; k++) {
				bind(u, key_from_config(b->keys[k]), act);
				/* a terminal's Enter may come as either */
				if (b->keys[k] == '\r')
					bind(u, '\n', act);
			}
			continue;
		}
		for (k = 0; k < 3 && act->keys[k]; k++)
			if (!key_taken(cfg, act->keys[k], act))
				bind(u, act->keys[k], act);
	}
	return 0;
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
