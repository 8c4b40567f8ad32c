/* collision.c: before a reply or note goes, the review step fetches the conversation
 * again and says whether a teammate replied, wrote a note, closed it or took it since the
 * agent opened it; the agent then sends anyway or goes back to edit. The draft stays in
 * its file throughout. When the fetch fails the review says the check could not be made,
 * and sending is allowed. */
#include "build-config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "store.h"
#include "text.h"
#include "ui-private.h"
#include "util.h"

/* Longest excerpt of a teammate's words shown, in bytes. */
#define CHECK_EXCERPT 80

static void check_text_set(struct ui *u, char *text)
{
	free(u->draft.check_text);
	u->draft.check_text = text;
}

/* The starting point of the check: the conversation view's first fetch when it is open,
 * else the queue's record now. */
void ui_collision_base(struct ui *u)
{
	const struct store_entry *e = store_get(u->engine.store, u->draft.conversation);
	int i;

	u->draft.check = UI_CHECK_NONE;
	u->draft.send_waiting = 0;
	check_text_set(u, NULL);
	u->draft.base_parts = SIZE_MAX;
	u->draft.base_assignee = e ? e->conv.admin_assignee_id : 0;
	u->draft.base_time = engine_now(&u->engine);
	for (i = u->n_pagers - 1; i >= 0; i--) {
		const struct ui_pager *p = &u->pagers[i];

		if (p->kind == UI_PAGER_THREAD && p->conversation == u->draft.conversation &&
		    p->have_thread) {
			u->draft.base_parts = p->opened_parts;
			u->draft.base_assignee = p->opened_assignee;
			u->draft.base_time = p->opened_at;
			return;
		}
	}
}

/* "40s", "12m", "3h", "2d": how long ago, roughly. */
static void format_ago(fl_time seconds, char *buf, size_t len)
{
	if (seconds < 60)
		snprintf(buf, len, "%llds", (long long)seconds);
	else if (seconds < 3600)
		snprintf(buf, len, "%lldm", (long long)seconds / 60);
	else if (seconds < 86400)
		snprintf(buf, len, "%lldh", (long long)seconds / 3600);
	else
		snprintf(buf, len, "%lldd", (long long)seconds / 86400);
}

static const char *admin_name(const struct ui *u, int64_t id, const char *fallback)
{
	const struct directory *d = u->engine.dir;
	const char *name = d ? directory_name(d->admins, d->n_admins, id) : NULL;

	return name ? name : fallback ? fallback : "a teammate";
}

static void add_change(char **text, char *change)
{
	char *joined = *text ? xasprintf("%s; %s", *text, change) : change;

	if (*text) {
		free(*text);
		free(change);
	}
	*text = joined;
}

/* What teammates did in t since the starting point: their replies, notes and closes, and
 * a new assignee. NULL when nothing. */
static char *changes_since(struct ui *u, const struct thread *t)
{
	const struct directory *d = u->engine.dir;
	int64_t me = d ? d->me : 0, took = -1;
	size_t total = t->n_parts + (size_t)(t->n_missing > 0 ? t->n_missing : 0), i, from = 0;
	fl_time now = engine_now(&u->engine);
	char *text = NULL, ago[32];

	if (u->draft.base_parts != SIZE_MAX) {
		size_t added = total > u->draft.base_parts ? total - u->draft.base_parts : 0;

		from = t->n_parts - (added < t->n_parts ? added : t->n_parts);
	}
	for (i = from; i < t->n_parts; i++) {
		const struct thread_part *p = &t->parts[i];
		const char *who = admin_name(u, p->author_id, p->author);
		char *cut, *safe;

		if (!p->from_admin || (me && p->author_id == me) || !p->kind)
			continue;
		if (u->draft.base_parts == SIZE_MAX && p->at < u->draft.base_time)
			continue;
		if (!strcmp(p->kind, "assignment")) {
			took = p->author_id;
			continue;
		}
		if (!strcmp(p->kind, "close")) {
			add_change(&text, xasprintf("%s closed it", who));
			continue;
		}
		if (strcmp(p->kind, "comment") && strcmp(p->kind, "note"))
			continue;
		format_ago(now > p->at ? now - p->at : 0, ago, sizeof(ago));
		cut = model_cut_utf8(p->body ? p->body : "", CHECK_EXCERPT);
		safe = text_sanitize(cut, false);
		add_change(&text, xasprintf("%s %s %s ago: \u201c%s%s\u201d", who,
					    strcmp(p->kind, "note") ? "replied" : "wrote a note", ago,
					    safe, strlen(p->body ? p->body : "") > strlen(cut) ? "\u2026" : ""));
		free(safe);
		free(cut);
	}
	if (t->conv.admin_assignee_id != u->draft.base_assignee && t->conv.admin_assignee_id != me) {
		if (!t->conv.admin_assignee_id)
			add_change(&text, xstrdup("the conversation was unassigned"));
		else if (took == t->conv.admin_assignee_id)
			add_change(&text, xasprintf("%s took the conversation",
						    admin_name(u, took, NULL)));
		else
			add_change(&text, xasprintf("the conversation was assigned to %s",
						    admin_name(u, t->conv.admin_assignee_id, NULL)));
	}
	return text;
}

static void on_check(void *arg, struct thread *t, const struct result *r)
{
	struct ui *u = arg;
	int waiting = u->draft.send_waiting;

	if (u->mode != UI_MODE_REVIEW || u->draft.check != UI_CHECK_PENDING ||
	    (t && t->conv.id != u->draft.conversation)) {
		if (t)
			thread_release(t);
		return;
	}
	u->draft.send_waiting = 0;
	if (r->cls != RESULT_OK || !t) {
		u->draft.check = UI_CHECK_FAILED;
		check_text_set(u, xasprintf("could not check whether a teammate answered (%s)",
					    r->message ? r->message : "no answer"));
		if (t)
			thread_release(t);
		u->dirty |= UI_DIRTY_STATUS;
		/* offline, the outbox keeps the write until the backend answers */
		if (waiting)
			u->dirty |= ui_review_send(u, waiting == 2);
		return;
	}
	check_text_set(u, changes_since(u, t));
	u->draft.check = u->draft.check_text ? UI_CHECK_CHANGED : UI_CHECK_CLEAR;
	/* what the agent saw now is the new starting point, should they edit again */
	u->draft.base_parts = t->n_parts + (size_t)(t->n_missing > 0 ? t->n_missing : 0);
	u->draft.base_assignee = t->conv.admin_assignee_id;
	u->draft.base_time = engine_now(&u->engine);
	thread_release(t);
	u->dirty |= UI_DIRTY_STATUS;
	if (waiting && u->draft.check == UI_CHECK_CLEAR)
		u->dirty |= ui_review_send(u, waiting == 2);
}

/* Entering the review: fetch the conversation again. */
void ui_collision_check(struct ui *u)
{
	if (!u->engine.ready) {
		u->draft.check = UI_CHECK_FAILED;
		check_text_set(u, xstrdup("could not check whether a teammate answered (not connected)"));
		return;
	}
	u->draft.check = UI_CHECK_PENDING;
	u->draft.send_waiting = 0;
	check_text_set(u, NULL);
	engine_fetch_thread(&u->engine, u->draft.conversation, on_check, u);
}

/* s or x in the review: true to send now; false while the check has not answered (the
 * send then goes when it answers clear). After a warning the next s or x sends anyway. */
bool ui_collision_may_send(struct ui *u, bool then_close)
{
	if (u->draft.check != UI_CHECK_PENDING)
		return true;
	u->draft.send_waiting = then_close ? 2 : 1;
	ui_message(u, false, "checking whether a teammate answered #%lld…",
		   (long long)u->draft.conversation);
	return false;
}

const char *ui_collision_text(const struct ui *u)
{
	return u->mode == UI_MODE_REVIEW ? u->draft.check_text : NULL;
}

void ui_collision_release(struct ui *u)
{
	check_text_set(u, NULL);
}
