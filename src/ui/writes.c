/* writes.c: every write the screen makes, and the screen's only record of them. Each is
 * stored in the outbox (sender.h) and watched until it went, failed, or waits there for
 * the backend; any number may be on their way at once, since the outbox keeps each
 * conversation's writes in order. Here too: each write's messages, the draft file a
 * reply came from (removed once the backend has the text), "send and close", and the
 * writes on every marked row. */
#include "build-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "directory.h"
#include "sender.h"
#include "store.h"
#include "text.h"
#include "ui-private.h"
#include "util.h"

/* The writes of one action on several rows: one report when all came back. */
struct write_batch {
	char *what;		      /* "assign to me"; set when the action closed it */
	size_t pending;		      /* its writes not settled yet */
	size_t done, failed, waiting; /* what became of the others */
	char *failures;		      /* "#72: reason; #73: reason", or NULL */
	bool closed;		      /* the action submitted all its writes */
};

/* One write on its way, watched through the sender (it is the watch's argument). */
struct write_item {
	struct write_batch *batch; /* the action's on several rows, or NULL */
	struct ui *u;
	int64_t conversation;
	char *what;	 /* "reply to #12", for the messages */
	char *draft;	 /* the draft file to remove once sent, or NULL */
	bool then_close; /* send and close: close the conversation once it went */
	int64_t id;	 /* the outbox's item */
};

/* The last action whose writes wait in the outbox for undo_delay: u takes them back. */
struct ui_undo {
	int64_t *ids; /* the outbox's items */
	size_t n, cap;
	char *what;	   /* "close #12", "close 3" */
	int64_t until_ms;  /* when they go */
	bool open;	   /* the action is still submitting its writes */
};

struct ui_writes {
	struct write_item **items; /* on their way, oldest first */
	size_t n, cap;
	struct ui_undo undo;
	struct write_batch *batch; /* the action submitting writes now, or NULL */
};

/* Says what became of a batch's writes, e.g. "close: 2 done, 1 failed (#72: reason)". */
static void batch_report(struct ui *u, const struct write_batch *b)
{
	char done[32] = "", waiting[48] = "";

	if (b->done || (!b->failed && !b->waiting))
		snprintf(done, sizeof(done), "%zu done", b->done);
	if (b->waiting)
		snprintf(waiting, sizeof(waiting), "%s%zu wait%s in the outbox", done[0] ? ", " : "",
			 b->waiting, b->waiting == 1 ? "s" : "");
	if (b->failed)
		ui_message(u, true, "%s: %s%s%s%zu failed (%s)", b->what ? b->what : "?", done,
			   waiting, done[0] || waiting[0] ? ", " : "", b->failed,
			   b->failures ? b->failures : "?");
	else
		ui_message(u, false, "%s: %s%s", b->what ? b->what : "?", done, waiting);
}

/* A write of b is settled (or dropped); the last one reports the whole, when told. */
static void batch_drop(struct ui *u, struct write_batch *b, bool report)
{
	if (!b || --b->pending > 0 || !b->closed)
		return;
	if (report && b->done + b->failed + b->waiting > 0)
		batch_report(u, b);
	free(b->what);
	free(b->failures);
	free(b);
}

static void item_free(struct write_item *wi)
{
	batch_drop(wi->u, wi->batch, false);
	free(wi->what);
	free(wi->draft);
	free(wi);
}

/* No longer watched nor on its way. */
static void item_forget(struct write_item *wi)
{
	struct ui_writes *ws = wi->u->writes;
	size_t i;

	if (wi->u->engine.sender)
		sender_forget(wi->u->engine.sender, wi);
	batch_drop(wi->u, wi->batch, true);
	wi->batch = NULL;
	for (i = 0; i < ws->n; i++)
		if (ws->items[i] == wi) {
			memmove(ws->items + i, ws->items + i + 1,
				(ws->n - i - 1) * sizeof(*ws->items));
			ws->n--;
			break;
		}
	item_free(wi);
}

/* News that a write went does not hide an error on the message line (another write's,
 * with the writes on their way at once). */
static void say_went(struct ui *u, const char *text)
{
	if (u->message_error && u->message[0])
		return;
	ui_message(u, false, "%s", text);
}

static int submit(struct ui *u, const struct write_op *w, const char *tag_name, const char *what,
		  const char *draft, bool then_close);
static void asked_free(struct ui *u);

/* The screen is done with a write (it went, failed, or the outbox sends it later): the
 * draft goes unless it failed, the views catch up, and send and close closes. */
static void item_settle(struct write_item *wi, bool failed)
{
	struct ui *u = wi->u;
	struct write_op close = {.kind = WRITE_CLOSE, .conversation = wi->conversation};
	bool then_close = wi->then_close && !failed;
	char *what;

	if (!failed && wi->draft && unlink(wi->draft) != 0 && errno != ENOENT)
		ui_message(u, true, "%s: done, but %s stays: %s", wi->what, wi->draft,
			   strerror(errno));
	item_forget(wi);
	engine_poll_now(&u->engine);
	ui_thread_refresh(u, close.conversation);
	if (!then_close)
		return;
	what = xasprintf("close #%lld", (long long)close.conversation);
	(void)submit(u, &close, NULL, what, NULL, false);
	free(what);
}

static void say_failed(struct ui *u, const char *what, const char *draft, const char *error)
{
	if (draft)
		ui_message(u, true, "%s failed: %s; your text is in %s", what, error, draft);
	else
		ui_message(u, true, "%s failed: %s", what, error);
}

/* A write changed state in the outbox. */
static void on_outbox_item(void *arg, const struct outbox_item *it)
{
	struct write_item *wi = arg;
	struct ui *u = wi->u;
	char *text;

	switch (it->state) {
	case OUTBOX_SENDING:
		return;
	case OUTBOX_SENT:
		if (wi->batch) {
			wi->batch->done++;
		} else {
			text = xasprintf("%s: done", wi->what);
			say_went(u, text);
			free(text);
		}
		item_settle(wi, false);
		return;
	case OUTBOX_FAILED:
		/* the draft keeps a reply's text: one copy, where r and c find it */
		if (wi->draft || !it->body)
			(void)sender_discard(u->engine.sender, it->id);
		/* fall through */
	case OUTBOX_GONE:
		if (wi->batch) {
			char *all = xasprintf("%s%s#%lld: %s",
					      wi->batch->failures ? wi->batch->failures : "",
					      wi->batch->failures ? "; " : "",
					      (long long)wi->conversation,
					      it->error ? it->error : "discarded from the outbox");

			wi->batch->failed++;
			free(wi->batch->failures);
			wi->batch->failures = all;
		} else {
			say_failed(u, wi->what, wi->draft,
				   it->error ? it->error : "discarded from the outbox");
		}
		item_settle(wi, true);
		return;
	default:
		/* stored, not sent yet: the outbox holds the text now, and sends it in the
		 * background (the status bar counts it) */
		text = xasprintf("%s waits in the outbox (%s); it goes when the backend answers",
				 wi->what, it->error ? it->error : "not sent yet");
		if (wi->batch)
			wi->batch->waiting++;
		else if (it->state == OUTBOX_AMBIGUOUS)
			ui_message(u, true, "%s", text);
		else
			say_went(u, text);
		free(text);
		item_settle(wi, false);
	}
}

/* Stores w in the outbox, watched; 0, or -1 (the message says why). */
static int submit(struct ui *u, const struct write_op *w, const char *tag_name, const char *what,
		  const char *draft, bool then_close)
{
	struct ui_writes *ws = u->writes;
	struct write_item *wi;
	char err[256] = "no outbox";
	const char *refusal = engine_write_refusal(&u->engine);

	if (refusal) {
		say_failed(u, what, draft, refusal);
		return -1;
	}
	if (!ws)
		ws = u->writes = xcalloc(1, sizeof(*ws));
	wi = xcalloc(1, sizeof(*wi));
	*wi = (struct write_item){.u = u,
				  .conversation = w->conversation,
				  .what = xstrdup(what),
				  .draft = draft ? xstrdup(draft) : NULL,
				  .then_close = then_close};
	if (!ws->batch)
		ui_message(u, false, "%s…", what);
	/* Stored before it goes; nothing goes unless it was stored. */
	if (!u->engine.sender ||
	    (wi->id = sender_submit_at(u->engine.sender, w, tag_name,
				       ws->undo.open ? ws->undo.until_ms : 0, on_outbox_item, wi,
				       err, sizeof(err))) < 0) {
		say_failed(u, what, draft, err);
		item_free(wi);
		return -1;
	}
	if (ws->undo.open) {
		xgrow(&ws->undo.ids, &ws->undo.cap, ws->undo.n + 1, sizeof(*ws->undo.ids));
		ws->undo.ids[ws->undo.n++] = wi->id;
	}
	if (ws->batch) {
		wi->batch = ws->batch;
		wi->batch->pending++;
	}
	xgrow(&ws->items, &ws->cap, ws->n + 1, sizeof(*ws->items));
	ws->items[ws->n++] = wi;
	ui_ticked_threads(u); /* the header says what is on its way */
	return 0;
}

int ui_write_send(struct ui *u, const struct write_op *w, const char *what)
{
	return submit(u, w, NULL, what, NULL, false);
}

int ui_write_send_named(struct ui *u, const struct write_op *w, const char *tag_name,
			const char *what)
{
	return submit(u, w, tag_name, what, NULL, false);
}

int ui_write_send_draft(struct ui *u, const struct write_op *w, const char *what, const char *draft,
			bool then_close)
{
	return submit(u, w, NULL, what, draft, then_close);
}

char *ui_writes_pending(const struct ui *u, int64_t id)
{
	char *out = NULL, *next;
	size_t i;

	for (i = 0; u->writes && i < u->writes->n; i++) {
		if (u->writes->items[i]->conversation != id)
			continue;
		next = xasprintf("%s%s%s", out ? out : "", out ? ", " : "",
				 u->writes->items[i]->what);
		free(out);
		out = next;
	}
	return out;
}

bool ui_write_sending_draft(const struct ui *u, const char *path)
{
	size_t i;

	for (i = 0; u->writes && i < u->writes->n; i++)
		if (u->writes->items[i]->draft && !strcmp(u->writes->items[i]->draft, path))
			return true;
	return false;
}

void ui_writes_release(struct ui *u)
{
	size_t i;

	asked_free(u);
	if (!u->writes)
		return;
	for (i = 0; i < u->writes->n; i++) {
		if (u->engine.sender)
			sender_forget(u->engine.sender, u->writes->items[i]);
		item_free(u->writes->items[i]);
	}
	free(u->writes->items);
	free(u->writes->undo.ids);
	free(u->writes->undo.what);
	free(u->writes);
	u->writes = NULL;
}

void ui_write_read(struct ui *u, int64_t id)
{
	struct write_op w = {.kind = WRITE_READ, .conversation = id};
	char err[256] = "no outbox";

	/* Quiet: the row's mark cleared already; the outbox tells the backend. */
	if (engine_write_refusal(&u->engine))
		return;
	if (!u->engine.sender || sender_submit(u->engine.sender, &w, NULL, NULL, NULL, err,
					       sizeof(err)) < 0)
		ui_message(u, true, "cannot tell the backend #%lld was read: %s", (long long)id,
			   err);
}

/* ---- the marked rows ---- */

bool ui_marks_apply(const struct ui *u) { return !u->n_pagers && u->n_marks > 0; }

size_t ui_marks_take(struct ui *u, int64_t fallback, int64_t **ids)
{
	size_t n = ui_marks_apply(u) ? u->n_marks : 0;

	if (!n) {
		fallback = fallback ? fallback : ui_current_conversation(u);
		*ids = fallback ? xmalloc(sizeof(**ids)) : NULL;
		if (fallback)
			**ids = fallback;
		return fallback ? 1 : 0;
	}
	*ids = xmalloc(n * sizeof(**ids));
	memcpy(*ids, u->marks, n * sizeof(**ids));
	ui_marks_clear(u);
	return n;
}

unsigned ui_marks_prompt(struct ui *u, const char *what, const char *hint,
			 void (*done)(struct ui *u, const char *text), void (*complete)(struct ui *u))
{
	int64_t id = ui_current_conversation(u);
	size_t marked = u->n_pagers ? 0 : u->n_marks; /* a conversation view acts on its own */
	static char label[160]; /* the prompt keeps it while it is shown */

	if ((!id && !marked) || !u->engine.dir)
		return 0;
	snprintf(label, sizeof(label), "%s%s (%s): ", what,
			  marked == 1 ? " for 1 marked"
			  : marked    ? " for the marked"
				      : "",
			  hint);
	ui_prompt_start(u, label, "", done);
	u->prompt.complete = complete;
	return UI_DIRTY_STATUS;
}

void ui_write_batch_begin(struct ui *u)
{
	if (!u->writes)
		u->writes = xcalloc(1, sizeof(*u->writes));
	if (u->writes->batch)
		return;
	u->writes->batch = xcalloc(1, sizeof(*u->writes->batch));
	/* held by the action until ui_write_queued closes it */
	u->writes->batch->pending = 1;
}

void ui_write_queued(struct ui *u, const char *what, size_t stored, size_t n)
{
	struct write_batch *b = u->writes ? u->writes->batch : NULL;
	size_t i;

	if (n > 1 && stored == n)
		ui_message(u, false, "%s: %zu queued", what, n);
	if (!b)
		return;
	u->writes->batch = NULL;
	/* one write tells its own news, as ever */
	if (n <= 1)
		for (i = 0; i < u->writes->n; i++)
			if (u->writes->items[i]->batch == b) {
				u->writes->items[i]->batch = NULL;
				b->pending--;
				if (stored == 1)
					ui_message(u, false, "%s…", u->writes->items[i]->what);
			}
	b->what = xstrdup(what);
	b->closed = true;
	batch_drop(u, b, true);
}

/* ---- asking first: an action on several marked rows, taking from a colleague ---- */

/* The write a question waits on; w's strings are the caller's and outlive the question
 * (the kinds asked about carry none but the priority's static word). */
struct ui_asked {
	struct write_op w;
	char *what, *detail;
	bool yes; /* answered: the next ui_write_each goes ahead */
};

static void asked_free(struct ui *u)
{
	if (!u->asked)
		return;
	free(u->asked->what);
	free(u->asked->detail);
	free(u->asked);
	u->asked = NULL;
}

static unsigned on_asked_answer(struct ui *u, int key)
{
	unsigned dirty = UI_DIRTY_STATUS;

	if (!u->asked)
		return dirty;
	if (key == 'y' || key == 'Y') {
		u->asked->yes = true;
		dirty |= ui_write_each(u, &u->asked->w, u->asked->what, u->asked->detail);
	} else {
		ui_message(u, false, "%s: nothing done", u->asked->what);
	}
	asked_free(u);
	return dirty;
}

/* The named colleague conversation id is assigned to, or NULL (unassigned, mine, or a
 * name the directory does not know). */
static const char *colleague_of(const struct ui *u, int64_t id)
{
	const struct store_entry *e = id ? store_get(u->engine.store, id) : NULL;
	const struct directory *d = u->engine.dir;
	int64_t who = e ? e->conv.admin_assignee_id : 0;

	if (!who || !d || who == d->me)
		return NULL;
	return directory_name(d->admins, d->n_admins, who);
}

/* Whether w must wait for a y/n first (then the question is asked): several marked rows,
 * or assigning to me a conversation a named colleague has. */
static bool ask_first(struct ui *u, const struct write_op *w, const char *what,
		      const char *detail)
{
	size_t n = ui_marks_apply(u) ? u->n_marks : 0, i, taken = 0;
	const char *from = NULL;
	char extra[64] = "";

	if (u->asked && u->asked->yes)
		return false;
	if (w->kind == WRITE_ASSIGN_ME)
		for (i = 0; i < n; i++)
			taken += colleague_of(u, u->marks[i]) != NULL;
	if (!n && w->kind == WRITE_ASSIGN_ME)
		from = colleague_of(u, w->conversation ? w->conversation
						       : ui_current_conversation(u));
	if (n < 2 && !from)
		return false;
	asked_free(u);
	u->asked = xcalloc(1, sizeof(*u->asked));
	u->asked->w = *w;
	u->asked->what = xstrdup(what);
	u->asked->detail = detail ? xstrdup(detail) : NULL;
	if (from) {
		char *safe = text_sanitize(from, false);

		ui_choice_start(u, on_asked_answer, "take #%lld from %s? y/n",
				(long long)(w->conversation ? w->conversation
							    : ui_current_conversation(u)),
				safe);
		free(safe);
		return true;
	}
	if (taken)
		snprintf(extra, sizeof(extra), " (%zu from colleagues)", taken);
	ui_choice_start(u, on_asked_answer, "%s %zu conversations%s%s%s? y/n", what, n,
			detail ? " " : "", detail ? detail : "", extra);
	return true;
}

unsigned ui_write_each(struct ui *u, const struct write_op *w, const char *what, const char *detail)
{
	struct write_op one = *w;
	int64_t *ids;
	size_t i, n, stored = 0;
	char *label, *text;

	if (ask_first(u, w, what, detail))
		return UI_DIRTY_STATUS;
	n = ui_marks_take(u, w->conversation, &ids);
	ui_write_batch_begin(u);
	label = xasprintf("%s%s%s", what, detail ? " " : "", detail ? detail : "");
	if (n == 1) {
		text = xasprintf("%s #%lld", what, (long long)ids[0]);
		ui_undo_begin(u, w->kind, text);
		free(text);
	} else {
		text = xasprintf("%s %zu", what, n);
		ui_undo_begin(u, w->kind, text);
		free(text);
	}

	/* all at once, in marking order: the outbox orders each conversation's writes */
	for (i = 0; i < n; i++) {
		one.conversation = ids[i];
		text = xasprintf("%s #%lld%s%s", what, (long long)ids[i], detail ? " " : "",
				 detail ? detail : "");
		if (ui_write_send(u, &one, text) == 0)
			stored++;
		free(text);
	}
	ui_undo_end(u);
	ui_write_queued(u, label, stored, n);
	free(label);
	free(ids);
	return n ? UI_DIRTY_STATUS | UI_DIRTY_ROWS : 0;
}

unsigned ui_write_simple(struct ui *u, enum write_kind kind, const char *what)
{
	struct write_op w = {.kind = kind};

	return ui_write_each(u, &w, what, NULL);
}

/* ---- priority: a key per level, or :priority LEVEL ---- */

unsigned ui_priority_text(struct ui *u, const char *text)
{
	struct write_op w = {.kind = WRITE_PRIORITY};
	char word[16];
	int level;

	if (sscanf(text, " %15s", word) != 1 || (level = priority_from_word(word)) < 0) {
		ui_message(u, true, "priority: none, low, medium, high or urgent");
		return UI_DIRTY_STATUS;
	}
	w.body = priority_word((enum conv_priority)level);
	return ui_write_each(u, &w, "priority", w.body);
}

/* The priority menu's keys: the levels' first letters, in order; the menu says them. */
static const char priority_keys[] = "nlmhu";

static unsigned priority_key(struct ui *u, int key)
{
	const char *at = key > 0 && key < 128 ? strchr(priority_keys, key) : NULL;

	if (!at || !*at)
		return UI_DIRTY_STATUS;
	return ui_priority_text(u, priority_word((enum conv_priority)(at - priority_keys)));
}

unsigned ui_priority_menu(struct ui *u)
{
	char menu[128];
	size_t i, len;

	if (!ui_current_conversation(u) && !u->n_marks)
		return 0;
	len = (size_t)snprintf(menu, sizeof(menu), "priority:");
	for (i = 0; priority_keys[i] && len < sizeof(menu); i++)
		len += (size_t)snprintf(menu + len, sizeof(menu) - len, "%s %c %s", i ? "," : "",
					priority_keys[i], priority_word((enum conv_priority)i));
	ui_choice_start(u, priority_key, "%s (Esc: keep)", menu);
	return UI_DIRTY_STATUS;
}

/* ---- undo: the last action's writes wait undo_delay in the outbox ---- */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool undo_kind(enum write_kind k)
{
	return k == WRITE_CLOSE || k == WRITE_SNOOZE || k == WRITE_ASSIGN_ME ||
	       k == WRITE_ASSIGN_ADMIN || k == WRITE_ASSIGN_TEAM || k == WRITE_UNASSIGN ||
	       k == WRITE_UNTAG;
}

void ui_undo_begin(struct ui *u, enum write_kind kind, const char *what)
{
	struct ui_undo *un;

	if (!u->writes)
		u->writes = xcalloc(1, sizeof(*u->writes));
	un = &u->writes->undo;
	un->open = false;
	if (!undo_kind(kind) || u->cfg->undo_delay <= 0)
		return;
	/* a new action: the previous one can no longer be undone, and goes as it would */
	un->n = 0;
	free(un->what);
	un->what = xstrdup(what);
	un->until_ms = now_ms() + u->cfg->undo_delay * 1000;
	un->open = true;
}

void ui_undo_end(struct ui *u)
{
	if (u->writes)
		u->writes->undo.open = false;
}

/* Seconds left to undo the last action, 0 when there is nothing to undo. */
static int64_t undo_left(const struct ui *u)
{
	const struct ui_undo *un = u->writes ? &u->writes->undo : NULL;
	int64_t left = un && un->n ? un->until_ms - now_ms() : 0;

	return left > 0 ? (left + 999) / 1000 : 0;
}

char *ui_undo_hint(const struct ui *u)
{
	int64_t left = undo_left(u);
	char *raw, *safe, key[32];

	if (!left)
		return NULL;
	raw = xasprintf("%s… — %s undo (%llds)", u->writes->undo.what,
			ui_key_for(u, "undo", key, sizeof(key)), (long long)left);
	safe = text_sanitize(raw, false);
	free(raw);
	return safe;
}

unsigned ui_undo(struct ui *u)
{
	struct ui_undo *un = u->writes ? &u->writes->undo : NULL;
	size_t i, j, taken = 0;

	if (!undo_left(u)) {
		/* short: it has to fit an 80-column status bar beside the connection */
		ui_message(u, true, "nothing to undo");
		return UI_DIRTY_STATUS;
	}
	for (i = 0; i < un->n; i++) {
		for (j = 0; j < u->writes->n; j++)
			if (u->writes->items[j]->id == un->ids[i]) {
				item_forget(u->writes->items[j]);
				break;
			}
		taken += sender_discard(u->engine.sender, un->ids[i]) == 0;
	}
	if (taken == un->n)
		ui_message(u, false, "undone: %s", un->what);
	else
		ui_message(u, true, "%s: %zu of %zu undone; the others had gone", un->what, taken,
			   un->n);
	un->n = 0;
	engine_poll_now(&u->engine);
	return UI_DIRTY_STATUS | UI_DIRTY_ROWS;
}
