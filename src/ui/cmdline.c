/* cmdline.c: the `:` command line. Every action of the table is a command by its name
 * (:reply, :close, :snooze 2h, :tags +vip, :filter breached, :order newest, :quit), so
 * keys and commands share one dispatch path; a few short aliases (:q, :tag, :sort)
 * stand for the names agents type from habit. Tab completes the name. */
#include "build-config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui-private.h"
#include "util.h"

static const struct {
	const char *alias, *name;
} aliases[] = {
    {"q", "quit"},
    {"tag", "tags"},
    {"sort", "order"},
    {"articles", "help-center"},
};

#define N_ALIASES (sizeof(aliases) / sizeof(aliases[0]))

const struct ui_action *ui_action_find(const char *name)
{
	size_t i;

	for (i = 0; i < N_ALIASES; i++)
		if (!strcmp(aliases[i].alias, name)) {
			name = aliases[i].name;
			break;
		}
	for (i = 0; i < ui_n_actions; i++)
		if (!strcmp(ui_actions[i].name, name))
			return &ui_actions[i];
	return NULL;
}

unsigned ui_action_run(struct ui *u, const struct ui_action *a, const char *args)
{
	if (args && *args) {
		if (!a->run_args) {
			ui_message(u, true, ":%s takes no argument", a->name);
			return UI_DIRTY_STATUS;
		}
		return a->run_args(u, args);
	}
	return a->run(u);
}

#define NAME_MAX_LEN 64

/* The command's name at the start of line (after blanks and ':') into name, and where
 * its arguments start. 1, 0 when there is none, -1 when it is too long to be one. */
static int command_name(const char *line, char name[NAME_MAX_LEN], const char **args)
{
	size_t n;

	line += strspn(line, " \t:");
	n = strcspn(line, " \t");
	*args = line + n + strspn(line + n, " \t");
	if (!n)
		return 0;
	if (n >= NAME_MAX_LEN) {
		snprintf(name, NAME_MAX_LEN, "%.20s…", line);
		return -1;
	}
	memcpy(name, line, n);
	name[n] = '\0';
	return 1;
}

/* ":name args": the action by its name, where it applies. */
void ui_command_run(struct ui *u, const char *line)
{
	char name[NAME_MAX_LEN];
	const char *args;
	const struct ui_action *a;
	int found = command_name(line, name, &args);

	if (!found)
		return;
	a = found > 0 ? ui_action_find(name) : NULL;
	if (!a) {
		ui_message(u, true, "no command \"%s\"; Tab lists them, ? shows them all", name);
		return;
	}
	if (!(a->contexts & ui_context(u))) {
		ui_message(u, true, ":%s does not apply here", a->name);
		return;
	}
	u->dirty |= ui_action_run(u, a, args);
}

static void command_complete(struct ui *u)
{
	const char **names;
	char typed[UI_PROMPT_MAX * 4 + 1], name[NAME_MAX_LEN];
	const char *args;
	const struct ui_action *a;
	size_t i, n;

	/* after the command's name, only the tags of :tags have names to complete */
	ui_prompt_text(u, typed, sizeof(typed));
	if (wcschr(u->prompt.buf, L' ')) {
		a = command_name(typed, name, &args) > 0 ? ui_action_find(name) : NULL;
		if (a && !strcmp(a->name, "tags"))
			ui_tags_complete(u);
		return;
	}
	names = xcalloc(ui_n_actions + 1, sizeof(*names));
	for (i = n = 0; i < ui_n_actions; i++)
		if (ui_actions[i].contexts & ui_context(u))
			names[n++] = ui_actions[i].name;
	ui_prompt_complete(u, 0, names, n);
	free(names);
}

unsigned ui_command_prompt(struct ui *u)
{
	ui_prompt_start(u, ":", "", ui_command_run);
	u->prompt.complete = command_complete;
	return UI_DIRTY_STATUS;
}
