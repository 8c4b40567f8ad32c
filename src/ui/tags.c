/* tags.c: the tag picker: "+name -name" typed with Tab completion from the backend's
 * tags, a question before a new tag is created (the outbox's sender creates it), then one
 * write after the other on the marked conversations or the current one. */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui-private.h"
#include "util.h"

void ui_tags_stop(struct ui *u)
{
	free(u->write.tags_left);
	u->write.tags_left = NULL;
	free(u->write.tags_all);
	u->write.tags_all = NULL;
	free(u->write.targets);
	u->write.targets = NULL;
	u->write.n_targets = 0;
}

/* Done with the tags of one conversation: the same tags on the next target, if any. */
static bool tags_next_target(struct ui *u)
{
	if (!u->write.n_targets || !u->write.tags_all) {
		ui_tags_stop(u);
		return false;
	}
	u->write.w.conversation = u->write.targets[0];
	memmove(u->write.targets, u->write.targets + 1,
		(u->write.n_targets - 1) * sizeof(*u->write.targets));
	u->write.n_targets--;
	free(u->write.tags_left);
	u->write.tags_left = xstrdup(u->write.tags_all);
	return true;
}

static int64_t tag_find(struct ui *u, const char *name)
{
	const struct directory *d = u->engine.dir;

	return d ? directory_find(d->tags, d->n_tags, name) : 0;
}

void ui_tags_next(struct ui *u)
{
	char *rest = u->write.tags_left, *word, *save = NULL, *what;
	struct write_op w = {0};
	bool add;

	word = rest ? strtok_r(rest, " \t,", &save) : NULL;
	if (!word) {
		free(rest);
		u->write.tags_left = NULL;
		if (tags_next_target(u))
			ui_tags_next(u);
		return;
	}
	w.conversation = u->write.w.conversation;
	/* word and save point into rest, which goes once the write is on its way */
	u->write.tags_left = xstrdup(save ? save : "");
	add = word[0] != '-';
	if (word[0] == '+' || word[0] == '-')
		word++;
	w.tag = *word ? tag_find(u, word) : 0;
	if (!w.tag && (!add || !*word)) {
		ui_message(u, true, "no tag named \"%s\"", word);
		free(rest);
		ui_tags_next(u);
		return;
	}
	w.kind = add ? WRITE_TAG : WRITE_UNTAG;
	/* a tag the backend does not have yet goes by name: the sender creates it */
	what =
	    xasprintf("%s tag %s on #%lld", w.tag ? (add ? "add" : "remove") : "created and added",
		      word, (long long)w.conversation);
	ui_write_send_named(u, &w, w.tag ? NULL : word, what);
	free(what);
	free(rest);
}

/* ---- the picker ---- */

/* Starts the chain on the targets: every marked conversation (in marking order) on the
 * queues, else the current one; the marks are used up. */
static void tags_start(struct ui *u, const char *text)
{
	size_t n = u->n_pagers ? 0 : u->n_marks;

	if (!text[strspn(text, " \t,")])
		return;
	ui_tags_stop(u);
	if (n) {
		u->write.w.conversation = u->marks[0];
		u->write.targets = xmalloc(n * sizeof(*u->write.targets));
		memcpy(u->write.targets, u->marks + 1, (n - 1) * sizeof(*u->marks));
		u->write.n_targets = n - 1;
		ui_marks_clear(u);
	} else {
		u->write.w.conversation = ui_current_conversation(u);
	}
	u->write.tags_all = xstrdup(text);
	u->write.tags_left = xstrdup(text);
	ui_tags_next(u);
	u->dirty |= UI_DIRTY_STATUS;
}

/* The words of text that add a tag the backend does not have: "a, b" (NULL if none). */
static char *tags_unknown(struct ui *u, const char *text)
{
	char *copy = xstrdup(text), *save = NULL, *word, *list = NULL, *more;

	for (word = strtok_r(copy, " \t,", &save); word; word = strtok_r(NULL, " \t,", &save)) {
		if (word[0] == '-')
			continue;
		if (word[0] == '+')
			word++;
		if (!*word || tag_find(u, word))
			continue;
		more = xasprintf("%s%s\"%s\"", list ? list : "", list ? ", " : "", word);
		free(list);
		list = more;
	}
	free(copy);
	return list;
}

/* text without the words that would create a tag */
static char *tags_known_only(struct ui *u, const char *text)
{
	char *copy = xstrdup(text), *save = NULL, *word, *out = xstrdup(""), *more;

	for (word = strtok_r(copy, " \t,", &save); word; word = strtok_r(NULL, " \t,", &save)) {
		const char *name = word[0] == '+' || word[0] == '-' ? word + 1 : word;

		if (word[0] != '-' && *name && !tag_find(u, name))
			continue;
		more = xasprintf("%s%s%s", out, *out ? " " : "", word);
		free(out);
		out = more;
	}
	free(copy);
	return out;
}

static unsigned on_create_answer(struct ui *u, int key)
{
	char *text = u->write.tags_asked;

	u->write.tags_asked = NULL;
	if (!text)
		return 0;
	if (key == 'y' || key == 'Y') {
		tags_start(u, text);
	} else {
		char *known = tags_known_only(u, text);

		if (*known)
			tags_start(u, known);
		else
			ui_message(u, false, "no tag created");
		free(known);
	}
	free(text);
	return UI_DIRTY_STATUS | UI_DIRTY_ROWS;
}

void ui_tags_apply(struct ui *u, const char *text)
{
	char *unknown;

	if (!text[strspn(text, " \t,")] || !u->engine.dir)
		return;
	if (u->write.inflight) {
		ui_message(u, true, "another write is still on its way; try again in a moment");
		return;
	}
	unknown = tags_unknown(u, text);
	if (!unknown) {
		tags_start(u, text);
		return;
	}
	free(u->write.tags_asked);
	u->write.tags_asked = xstrdup(text);
	ui_choice_start(u, on_create_answer, "create the new tag %s? y/n", unknown);
	free(unknown);
}

void ui_tags_complete(struct ui *u)
{
	const struct directory *d = u->engine.dir;
	const char **names;
	size_t i, start = u->prompt.len;

	if (!d)
		return;
	while (start > 0 && u->prompt.buf[start - 1] != L' ' && u->prompt.buf[start - 1] != L',')
		start--;
	if (start < u->prompt.len && (u->prompt.buf[start] == L'+' || u->prompt.buf[start] == L'-'))
		start++;
	names = xcalloc(d->n_tags + 1, sizeof(*names));
	for (i = 0; i < d->n_tags; i++)
		names[i] = d->tags[i].name;
	ui_prompt_complete(u, start, names, d->n_tags);
	free(names);
}

unsigned ui_tags_prompt(struct ui *u)
{
	int64_t id = ui_current_conversation(u);
	size_t marked = u->n_pagers ? 0 : u->n_marks; /* a conversation view tags its own */

	if ((!id && !marked) || !u->engine.dir)
		return 0;
	if (u->write.inflight) {
		ui_message(u, true, "another write is still on its way; try again in a moment");
		return UI_DIRTY_STATUS;
	}
	if (marked)
		ui_prompt_start(u,
				marked == 1 ? "tags for 1 marked (+add -remove): "
					    : "tags for the marked (+add -remove): ",
				"", ui_tags_apply);
	else
		ui_prompt_start(u, "tags (+add -remove): ", "", ui_tags_apply);
	u->prompt.complete = ui_tags_complete;
	return UI_DIRTY_STATUS;
}
