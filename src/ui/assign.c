/* assign.c: the assign picker: a teammate (email or name), a team, me or none typed with
 * Tab completion from the directory, then the assignment on the marked conversations or
 * the current one, all submitted at once. */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui-private.h"
#include "util.h"

unsigned ui_assign_text(struct ui *u, const char *text)
{
	const struct directory *d = u->engine.dir;
	struct write_op w = {.kind = WRITE_UNASSIGN};
	char err[512];
	const char *who;

	if (!d)
		return 0;
	if (write_assign_resolve(d, text, &w, err, sizeof(err)) < 0) {
		ui_message(u, true, "%s", err);
		return UI_DIRTY_STATUS;
	}
	who = w.kind == WRITE_ASSIGN_ME	    ? "to me"
	      : w.kind == WRITE_UNASSIGN    ? "to nobody"
	      : w.kind == WRITE_ASSIGN_TEAM ? directory_name(d->teams, d->n_teams, w.tag)
					    : directory_name(d->admins, d->n_admins, w.tag);
	if (w.kind == WRITE_ASSIGN_TEAM || w.kind == WRITE_ASSIGN_ADMIN) {
		char *safe = text_sanitize(who ? who : "?", false), *label;
		unsigned dirty;

		label = xasprintf("to %s", safe);
		dirty = ui_write_each(u, &w, "assign", label);
		free(label);
		free(safe);
		return dirty;
	}
	return ui_write_each(u, &w, "assign", who);
}

static void assign_done(struct ui *u, const char *text)
{
	if (text[strspn(text, " \t")])
		u->dirty |= ui_assign_text(u, text);
}

/* Tab: the whole text completed from me, none, the human teammates' emails and names
 * and the teams' names. */
static void assign_complete(struct ui *u)
{
	const struct directory *d = u->engine.dir;
	const char **names;
	size_t i, n = 0;

	if (!d)
		return;
	names = xcalloc(2 * d->n_admins + d->n_teams + 3, sizeof(*names));
	names[n++] = "me";
	names[n++] = "none";
	for (i = 0; i < d->n_admins; i++) {
		if (d->admins[i].bot)
			continue;
		if (d->admins[i].email)
			names[n++] = d->admins[i].email;
		if (d->admins[i].name)
			names[n++] = d->admins[i].name;
	}
	for (i = 0; i < d->n_teams; i++)
		if (d->teams[i].name)
			names[n++] = d->teams[i].name;
	ui_prompt_complete(u, 0, names, n);
	free(names);
}

unsigned ui_assign_prompt(struct ui *u)
{
	return ui_marks_prompt(u, "assign", "to a teammate, team, me or none; Tab completes",
			       assign_done, assign_complete);
}
