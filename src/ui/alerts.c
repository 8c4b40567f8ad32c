/* alerts.c: the screen's notifications. SLA warnings and breaches, new conversations and
 * new customer messages go to a notifier (desktop, terminal bell and OSC, the user's
 * command), flushed on every tick; what it has to say once goes to the status bar; the
 * terminal's (or tmux pane's) title carries the counts of breached and warning
 * conversations. While $EDITOR owns the terminal the engine's loop keeps running, so
 * desktop notifications and the command keep coming; only writes to the terminal wait. */
#include "build-config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "notify.h"
#include "ui-private.h"
#include "util.h"

struct ui_alerts {
	struct notifier *notifier;
	char *title_start, *title_end; /* the terminal's title sequence; NULL: no title */
	char title_shown[80];	       /* the title last written, "" before the first */
	bool title_pushed;	       /* the terminal's own title was saved (XTWINOPS 22) */
	bool terminal_lent;	       /* the editor has the terminal */
};

/* Terminals that take OSC 2 without saying so in terminfo (xterm-256color has no tsl). */
static bool term_takes_osc_title(const char *term)
{
	static const char *const families[] = {"xterm",	  "rxvt",   "alacritty", "foot", "kitty",
					       "wezterm", "screen", "tmux",	 "st-",	 "vte"};
	size_t i;

	if (!term)
		return false;
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (!strncmp(term, families[i], strlen(families[i])))
			return true;
	return !strcmp(term, "st");
}

/* The title sequence: terminfo's tsl/fsl when the terminal has a status line (tmux's
 * entries do), else OSC 2 for terminals known to take it. */
static void title_init(struct ui_alerts *a, const struct config *cfg)
{
	char *tsl, *fsl;

	if (!cfg->notify.title)
		return;
	tsl = tigetstr("tsl");
	fsl = tigetstr("fsl");
	if (tigetflag("hs") > 0 && tsl && tsl != (char *)-1 && fsl && fsl != (char *)-1) {
		a->title_start = xstrdup(tsl);
		a->title_end = xstrdup(fsl);
	} else if (term_takes_osc_title(getenv("TERM"))) {
		a->title_start = xstrdup("\033]2;");
		a->title_end = xstrdup("\a");
	}
}

/* A few bytes to the terminal, between curses' updates (which end flushed); a short or
 * failed write only loses a title. */
static void terminal_write(const char *s)
{
	size_t len = strlen(s);
	ssize_t w;

	while (len) {
		w = write(STDOUT_FILENO, s, len);
		if (w <= 0)
			return;
		s += w;
		len -= (size_t)w;
	}
}

/* "frontline: 2 breached, 3 warning", or "frontline": numbers only, never customer text. */
static void title_format(const struct ui *u, char *buf, size_t len)
{
	struct store_counts counts, sum = {0};
	size_t q;

	for (q = 0; q < u->cfg->n_queues; q++) {
		store_queue_counts(u->engine.store, (int)q, &counts);
		sum.breached += counts.breached;
		sum.warning += counts.warning;
	}
	if (sum.breached && sum.warning)
		snprintf(buf, len, "frontline: %zu breached, %zu warning", sum.breached,
			 sum.warning);
	else if (sum.breached)
		snprintf(buf, len, "frontline: %zu breached", sum.breached);
	else if (sum.warning)
		snprintf(buf, len, "frontline: %zu warning", sum.warning);
	else
		snprintf(buf, len, "frontline");
}

static void title_update(struct ui *u, struct ui_alerts *a)
{
	char title[sizeof(a->title_shown)], *seq;

	if (!a->title_start || !u->engine.store)
		return;
	title_format(u, title, sizeof(title));
	if (!strcmp(title, a->title_shown))
		return;
	if (!a->title_pushed) {
		terminal_write("\033[22;0t"); /* save the terminal's own titles for the end */
		a->title_pushed = true;
	}
	seq = xasprintf("%s%s%s", a->title_start, title, a->title_end);
	terminal_write(seq);
	free(seq);
	snprintf(a->title_shown, sizeof(a->title_shown), "%s", title);
}

void ui_alerts_init(struct ui *u)
{
	struct ui_alerts *a = xcalloc(1, sizeof(*a));
	char err[256];

	a->notifier = notifier_new(u->cfg, err, sizeof(err));
	if (!a->notifier)
		ui_message(u, true, "notifications unavailable: %s", err);
	else
		notifier_set_terminal(a->notifier, STDOUT_FILENO);
	if (a->notifier)
		notifier_set_store(a->notifier, u->engine.store);
	title_init(a, u->cfg);
	u->alerts = a;
}

void ui_alerts_sla(void *arg, const struct store_entry *e, enum sla_event ev)
{
	struct ui *u = arg;

	if (u->alerts && u->alerts->notifier)
		notifier_sla_event(u->alerts->notifier, e, ev, engine_now(&u->engine));
}

void ui_alerts_new_conversation(void *arg, const struct store_entry *e)
{
	struct ui *u = arg;

	if (u->alerts && u->alerts->notifier)
		notifier_entry_event(u->alerts->notifier, NOTIFY_NEW_CONVERSATION, e,
				     engine_now(&u->engine));
}

void ui_alerts_new_message(void *arg, const struct store_entry *e)
{
	struct ui *u = arg;

	if (u->alerts && u->alerts->notifier)
		notifier_entry_event(u->alerts->notifier, NOTIFY_NEW_MESSAGE, e,
				     engine_now(&u->engine));
}

void ui_alerts_tick(struct ui *u)
{
	struct ui_alerts *a = u->alerts;
	bool lent = u->mode == UI_MODE_EDITING;
	const char *msg;

	if (!a)
		return;
	/* The editor draws on the terminal: a bell or an OSC in the middle of its output
	 * could cut one of its sequences. The desktop and the command go on. */
	if (a->notifier && lent != a->terminal_lent)
		notifier_set_terminal(a->notifier, lent ? -1 : STDOUT_FILENO);
	a->terminal_lent = lent;
	if (a->notifier)
		notifier_flush(a->notifier, engine_now(&u->engine));
	if (lent)
		return;
	title_update(u, a);
	/* One message at a time, each once, when the status bar is free for it. */
	if (a->notifier && !u->message[0] && (msg = notifier_status(a->notifier)))
		ui_message(u, true, "%s", msg);
}

bool ui_alerts_release(struct ui *u)
{
	struct ui_alerts *a = u->alerts;
	bool exit_now;

	if (!a)
		return false;
	/* The terminal's own titles back, unless an editor still has it. */
	if (a->title_pushed && u->mode != UI_MODE_EDITING)
		terminal_write("\033[23;0t");
	exit_now = notifier_free(a->notifier);
	free(a->title_start);
	free(a->title_end);
	free(a);
	u->alerts = NULL;
	return exit_now;
}
