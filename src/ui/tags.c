/* tags.c: the tag picker: "+name -name" typed with Tab completion from the backend's
 * tags, a question before a new tag is created (the outbox's sender creates it), then the
 * writes on the marked conversations or the current one, all submitted at once. */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui-private.h"
#include "util.h"

static int64_t tag_find(struct ui *u, const char *name)
{
	const struct directory *d = u->engine.dir;

	return d ? directory_find(d->tags, d->n_tags, name) : 0;
}

/* The writes of text ("+a -b") on conversation id, all submitted at once; a tag to add
 * that the backend does not have yet goes by name, and the sender creates it. first: the
 * first conversation of the prompt, which creates the new tags and says which names
 * remove nothing. Returns how many writes were stored, of *n. */
static size_t tags_submit(struct ui *u, int64_t id, const char *text, bool first, size_t *n)
{
	char *copy = xstrdup(text), *save = NULL, *word, *what;
	size_t stored = 0;

	for (word = strtok_r(copy, " \t,", &save); word; word = strtok_r(NULL, " \t,", &save)) {
		struct write_op w = {.conversation = id, .kind = WRITE_TAG};

		if (word[0] == '-')
			w.kind = WRITE_UNTAG;
		if (word[0] == '+' || word[0] == '-')
			word++;
		w.tag = *word ? tag_find(u, word) : 0;
		if (!w.tag && (w.kind == WRITE_UNTAG || !*word)) {
			if (first)
				ui_message(u, true, "no tag named \"%s\"", word);
			continue;
		}
		what = xasprintf("%s tag %s on #%lld",
				 w.kind == WRITE_UNTAG ? "remove"
				 : !w.tag && first     ? "created and added"
						       : "add",
				 word, (long long)id);
		(*n)++;
		if (ui_write_send_named(u, &w, w.tag ? NULL : word, what) == 0)
			stored++;
		free(what);
	}
	free(copy);
	return stored;
}

/* ---- the picker ---- */

/* The tags on every marked conversation (in marking order) on the queues, else the
 * current one; the marks are used up. */
static void tags_start(struct ui *u, const char *text)
{
	int64_t *ids;
	size_t i, n, stored = 0, writes = 0;
	char *what;

	if (!text[strspn(text, " \t,")])
		return;
	n = ui_marks_take(u, 0, &ids);
	/* removing a tag may be undone (and the additions made with it) */
	what = n == 1 ? xasprintf("tags #%lld %s", (long long)ids[0], text)
		      : xasprintf("tags %s on %zu", text, n);
	ui_undo_begin(u,
		      text[0] == '-' || strstr(text, " -") || strstr(text, ",-") ? WRITE_UNTAG
										  : WRITE_TAG,
		      what);
	free(what);
	ui_write_batch_begin(u);
	for (i = 0; i < n; i++)
		stored += tags_submit(u, ids[i], text, i == 0, &writes);
	ui_undo_end(u);
	what = xasprintf("tags %s", text);
	ui_write_queued(u, what, stored, writes);
	free(what);
	free(ids);
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
	char *text = u->tags_asked;

	u->tags_asked = NULL;
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
	unknown = tags_unknown(u, text);
	if (!unknown) {
		tags_start(u, text);
		return;
	}
	free(u->tags_asked);
	u->tags_asked = xstrdup(text);
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
	return ui_marks_prompt(u, "tags", "+add -remove", ui_tags_apply, ui_tags_complete);
}

void ui_tags_release(struct ui *u)
{
	free(u->tags_asked);
	u->tags_asked = NULL;
}
