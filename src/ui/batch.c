/* batch.c: writes that reach more than one conversation: close, assign and snooze on
 * every marked row, one write after the other, and "send and close" after a reply. */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-private.h"
#include "util.h"

static void batch_stop(struct ui *u)
{
	free(u->write.batch_ids);
	u->write.batch_ids = NULL;
	u->write.n_batch = 0;
	free(u->write.batch_what);
	u->write.batch_what = NULL;
	free(u->write.batch_detail);
	u->write.batch_detail = NULL;
}

static void batch_send_one(struct ui *u, int64_t id)
{
	struct write_op w = u->write.batch;
	char *what;

	w.conversation = id;
	char more[48] = "";

	if (u->write.n_batch)
		snprintf(more, sizeof(more), " (%zu more)", u->write.n_batch);
	what = xasprintf("%s #%lld%s%s%s", u->write.batch_what, (long long)id,
			 u->write.batch_detail ? " " : "",
			 u->write.batch_detail ? u->write.batch_detail : "", more);
	ui_write_send(u, &w, what);
	free(what);
}

/* The next conversation of the batch, if any. */
static void batch_next(struct ui *u)
{
	int64_t id;

	if (!u->write.n_batch) {
		batch_stop(u);
		return;
	}
	id = u->write.batch_ids[0];
	memmove(u->write.batch_ids, u->write.batch_ids + 1,
		(u->write.n_batch - 1) * sizeof(*u->write.batch_ids));
	u->write.n_batch--;
	batch_send_one(u, id);
}

bool ui_marks_apply(const struct ui *u) { return !u->n_pagers && u->n_marks > 0; }

unsigned ui_write_each(struct ui *u, const struct write_op *w, const char *what,
		       const char *detail)
{
	int64_t id;

	if (u->write.inflight) {
		ui_message(u, true, "another write is still on its way; try again in a moment");
		return UI_DIRTY_STATUS;
	}
	batch_stop(u);
	u->write.batch = *w;
	u->write.batch_what = xstrdup(what);
	u->write.batch_detail = detail ? xstrdup(detail) : NULL;
	if (ui_marks_apply(u)) {
		/* in marking order; the marks are used up */
		id = u->marks[0];
		u->write.n_batch = u->n_marks - 1;
		u->write.batch_ids = xmalloc(u->n_marks * sizeof(*u->write.batch_ids));
		memcpy(u->write.batch_ids, u->marks + 1, u->write.n_batch * sizeof(*u->marks));
		ui_marks_clear(u);
	} else {
		id = w->conversation ? w->conversation : ui_current_conversation(u);
	}
	if (!id) {
		batch_stop(u);
		return 0;
	}
	batch_send_one(u, id);
	return UI_DIRTY_STATUS | UI_DIRTY_ROWS;
}

unsigned ui_write_simple(struct ui *u, enum write_kind kind, const char *what)
{
	struct write_op w = {.kind = kind};

	return ui_write_each(u, &w, what, NULL);
}

void ui_write_followup(struct ui *u, bool failed)
{
	int64_t close = u->write.close_after;
	struct write_op w = {.kind = WRITE_CLOSE};

	u->write.close_after = 0;
	if (failed) {
		/* the rest waits for the agent: the message says what went wrong */
		batch_stop(u);
		return;
	}
	if (close) {
		w.conversation = close;
		batch_stop(u);
		u->write.batch = w;
		u->write.batch_what = xstrdup("close");
		batch_send_one(u, close);
		return;
	}
	batch_next(u);
}

void ui_batch_release(struct ui *u) { batch_stop(u); }
