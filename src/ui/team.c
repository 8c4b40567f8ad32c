/* team.c: the team-load view: the agent's teams' teammates with their away mode, the open
 * and snoozed conversations assigned to each and their oldest waiting conversation. The
 * counts come from the backend's team metrics where the workspace has them, else from
 * the conversations held here; the oldest waiting one always from those held here. */
#include "build-config.h"

#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "store.h"
#include "text.h"
#include "ui-private.h"
#include "util.h"

/* Seconds after which the backend counts an open conversation as idle; the view shows
 * open and snoozed only. */
#define TEAM_IDLE 1800

struct ui_team {
	size_t waiting;	  /* teams not answered yet */
	bool from_store;  /* a team's metrics could not be had: counts held here */
	char why[320];	  /* ...and why */
	struct team_metric *metrics;
	size_t n_metrics, cap_metrics;
};

/* Whether admin is in one of the agent's teams. */
static bool in_my_teams(const struct directory_entry *me, const struct directory_entry *admin)
{
	size_t i, j;

	if (!me || !me->n_team_ids)
		return false;
	for (i = 0; i < admin->n_team_ids; i++)
		for (j = 0; j < me->n_team_ids; j++)
			if (admin->team_ids[i] == me->team_ids[j])
				return true;
	return false;
}

static const struct directory_entry *my_entry(const struct directory *d)
{
	size_t i;

	for (i = 0; d && i < d->n_admins; i++)
		if (d->admins[i].id == d->me)
			return &d->admins[i];
	return NULL;
}

void ui_team_load_count(const struct store *s, size_t n_queues, int64_t admin,
			struct ui_team_load *load)
{
	size_t q, i;

	memset(load, 0, sizeof(*load));
	for (q = 0; q < n_queues; q++)
		for (i = 0; i < store_queue_count(s, (int)q); i++) {
			const struct store_entry *e = store_queue_at(s, (int)q, i);
			unsigned in;

			if (!e || e->conv.admin_assignee_id != admin)
				continue;
			/* each conversation once, in the first queue it is in */
			in = store_queues_of(s, e->conv.id);
			if (!in || __builtin_ctz(in) != (int)q)
				continue;
			if (e->conv.state == CONV_OPEN)
				load->open++;
			else if (e->conv.state == CONV_SNOOZED)
				load->snoozed++;
			if (e->conv.state == CONV_OPEN && e->conv.waiting_since &&
			    (!load->oldest || e->conv.waiting_since < load->oldest_since ||
			     (e->conv.waiting_since == load->oldest_since && e->conv.id < load->oldest))) {
				load->oldest = e->conv.id;
				load->oldest_since = e->conv.waiting_since;
			}
		}
}

static const struct team_metric *metric_of(const struct ui_team *t, int64_t admin)
{
	size_t i;

	for (i = 0; i < t->n_metrics; i++)
		if (t->metrics[i].admin == admin)
			return &t->metrics[i];
	return NULL;
}

void ui_team_build(struct ui *u, struct ui_pager *p)
{
	const struct directory *d = u->engine.dir;
	const struct directory_entry *me = my_entry(d);
	const struct ui_team *t = u->team;
	fl_time now = engine_now(&u->engine);
	size_t i, shown = 0;
	char *line, *safe;

	if (!me || !me->n_team_ids) {
		ui_pager_add(p, UI_STYLE_EVENT, false,
			     d && d->me ? "you are in no team: there is no team to show"
					: "no admin is set: set [backend] admin to see your team");
		return;
	}
	if (t && t->waiting) {
		ui_pager_add(p, UI_STYLE_EVENT, false, "asking the backend for the team's load...");
		return;
	}
	if (t && t->from_store) {
		line = xasprintf("counts from the conversations held here (the backend's team "
				 "metrics: %s)",
				 t->why);
		safe = text_sanitize(line, false);
		ui_pager_add_wrapped(p, UI_STYLE_EVENT, safe, 0);
		free(safe);
		free(line);
	} else {
		ui_pager_add(p, UI_STYLE_EVENT, false, "counts from the backend's team metrics");
	}
	ui_pager_add(p, UI_STYLE_NORMAL, false, "");
	line = xasprintf("  %-24s %-5s %5s %8s  %s", "teammate", "away", "open", "snoozed",
			 "oldest waiting");
	ui_pager_add(p, UI_STYLE_TITLE, true, line);
	free(line);
	for (i = 0; i < d->n_admins; i++) {
		const struct directory_entry *a = &d->admins[i];
		const struct team_metric *m;
		struct ui_team_load load;
		char age[16], oldest[48] = "-";
		long open, snoozed;
		int width;

		if (a->bot || !in_my_teams(me, a))
			continue;
		ui_team_load_count(u->engine.store, u->cfg->n_queues, a->id, &load);
		m = t && !t->from_store ? metric_of(t, a->id) : NULL;
		open = m ? m->open : (long)load.open;
		snoozed = m ? m->snoozed : (long)load.snoozed;
		if (load.oldest)
			snprintf(oldest, sizeof(oldest), "#%lld %s", (long long)load.oldest,
				 report_duration(now > load.oldest_since ? now - load.oldest_since : 0,
						 age, sizeof(age)));
		/* the name padded to 24 columns, not bytes */
		safe = text_sanitize(a->name ? a->name : "?", false);
		width = ui_width(safe);
		line = xasprintf("  %s%*s %-5s %5ld %8ld  %s", safe, width < 24 ? 24 - width : 0, "",
				 a->away ? "away" : "", open, snoozed, oldest);
		ui_pager_add(p, a->away ? UI_STYLE_WARNING : UI_STYLE_NORMAL, a->id == d->me, line);
		free(safe);
		free(line);
		shown++;
	}
	if (!shown)
		ui_pager_add(p, UI_STYLE_EVENT, false, "no teammate in your teams");
}

static void on_metrics(void *arg, const struct team_metric *items, size_t n,
		       const struct result *r)
{
	struct ui *u = arg;
	struct ui_team *t = u->team;
	struct ui_pager *p;
	size_t i;

	if (!t)
		return;
	if (t->waiting)
		t->waiting--;
	if (r->cls != RESULT_OK) {
		if (!t->from_store)
			snprintf(t->why, sizeof(t->why), "%s",
				 r->message ? r->message : "not available");
		t->from_store = true;
	}
	for (i = 0; i < n; i++) {
		if (metric_of(t, items[i].admin))
			continue;
		xgrow(&t->metrics, &t->cap_metrics, t->n_metrics + 1, sizeof(*t->metrics));
		t->metrics[t->n_metrics++] = items[i];
	}
	p = ui_pager_top(u);
	if (!t->waiting && p && p->kind == UI_PAGER_TEAM) {
		ui_pager_build(u, p);
		u->dirty |= UI_DIRTY_PAGER;
	}
}

unsigned ui_team_open(struct ui *u)
{
	const struct directory *d = u->engine.dir;
	const struct directory_entry *me = my_entry(d);
	struct ui_pager *p;
	size_t i, teams = me ? me->n_team_ids : 0;
	bool ask = !u->team || !u->team->waiting; /* else the answers on their way do */

	if (!u->engine.ready) {
		/* without the directory, "no admin is set" would be a false alarm */
		ui_message(u, true, "the team view needs the workspace's teammates: try again once "
				    "connected");
		return UI_DIRTY_STATUS;
	}
	if (!u->team)
		u->team = xcalloc(1, sizeof(*u->team));
	if (ask) {
		free(u->team->metrics);
		memset(u->team, 0, sizeof(*u->team));
		u->team->waiting = teams;
	}
	p = ui_pager_push(u, UI_PAGER_TEAM, "Team load");
	if (!p)
		return UI_DIRTY_STATUS;
	for (i = 0; ask && i < teams; i++)
		engine_team_metrics(&u->engine, me->team_ids[i], TEAM_IDLE, on_metrics, u);
	p = ui_pager_top(u);
	if (p && p->kind == UI_PAGER_TEAM)
		ui_pager_build(u, p);
	return UI_DIRTY_LAYOUT;
}

void ui_team_release(struct ui *u)
{
	if (!u->team)
		return;
	free(u->team->metrics);
	free(u->team);
	u->team = NULL;
}
