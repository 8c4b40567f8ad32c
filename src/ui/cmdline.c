/* cmdline.c: the `:` command line. Every action of the table is a command by its name
 * (:reply, :close, :snooze 2h, :tags +vip, :filter breached, :order newest, :quit), so
 * keys and commands share one dispatch path; a few short aliases (:q, :tag, :sort,
 * :assign) stand for the names agents type from habit. Tab completes the name. */
#include "build-config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-private.h"
#include "util.h"

static const struct {
	const char *alias, *name;
} aliases[] = {
    {"q", "quit"},
    {"tag", "tags"},
    {"sort", "order"},
    {"assign", "assign-me"},
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

/* ":name args": the action by its name, where it applies. */
void ui_command_run(struct ui *u, const char *line)
{
	char name[64];
	const char *args;
	const struct ui_action *a;
	size_t n;

	line += strspn(line, " \t:");
	n = strcspn(line, " \t");
	if (!n)
		return;
	if (n >= sizeof(name)) {
		ui_message(u, true, "no command \"%.20s…\"; Tab lists them", line);
		return;
	}
	memcpy(name, line, n);
	name[n] = '\0';
	args = line + n;
	args += strspn(args, " \t");
	a = ui_action_find(name);
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
	const char **names = xcalloc(ui_n_actions + N_ALIASES, sizeof(*names));
	size_t i, n = 0;

	/* the command's name; after it, only the tags of :tags have names to complete */
	for (i = 0; i < u->prompt.len; i++)
		if (u->prompt.buf[i] == L' ') {
			char name[16];
			const struct ui_action *a;
			size_t k;

			free(names);
			for (k = 0; k < i && k + 1 < sizeof(name); k++)
				name[k] = (char)u->prompt.buf[k];
			name[k] = '\0';
			a = ui_action_find(name);
			if (a && !strcmp(a->name, "tags"))
				ui_tags_complete(u);
			return;
		}
	for (i = 0; i < ui_n_actions; i++)
		if (ui_actions[i].contexts & ui_context(u))
			names[n++] = ui_actions[i].name;
	ui_prompt_complete(u, 0, names, n);
	free(names);
}

static void on_command(struct ui *u, const char *text) { ui_command_run(u, text); }

unsigned ui_command_prompt(struct ui *u)
{
	ui_prompt_start(u, ":", "", on_command);
	u->prompt.complete = command_complete;
	return UI_DIRTY_STATUS;
}
