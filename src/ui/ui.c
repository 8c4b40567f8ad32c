/* ui.c: the agent's screen: curses set up once, one loop that runs the engine's event
 * loop and draws what handlers marked dirty after each pass, keys dispatched through the
 * action table, the status bar, messages and the one-line prompt (with Tab completion).
 *
 * Not done yet (issue 4):
 * - the conversation view's suggested articles come only from the local index (none
 *   while it is empty); the backend's search is used for K only
 */
#include "build-config.h"

#include "ui.h"

#include <ctype.h>
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <wctype.h>

#include "customers.h"
#include "loop.h"
#include "sender.h"
#include "store.h"
#include "text.h"
#include "ui-private.h"
#include "util.h"
/* last: its capability macros (lines, columns...) would rename our fields */
#include <term.h>

#define MESSAGE_MS 6000

/* ---- styles ---- */

int ui_style_attr(const struct ui *u, enum ui_style s)
{
	if (!u->color) {
		switch (s) {
		case UI_STYLE_CUSTOMER:
		case UI_STYLE_ERROR:
			return A_BOLD;
		case UI_STYLE_NOTE:
			return A_UNDERLINE;
		case UI_STYLE_EVENT:
			return A_DIM;
		default:
			return A_NORMAL;
		}
	}
	return s == UI_STYLE_NORMAL ? (int)A_NORMAL : (int)COLOR_PAIR(s) | u->style_attrs[s];
}

static void ui_colors_init(struct ui *u)
{
	const char *no_color = getenv("NO_COLOR");

	/* https://no-color.org: set and not empty means no colour. */
	u->color = !(no_color && *no_color) && has_colors() && start_color() == OK;
	if (!u->color)
		return;
	if (use_default_colors() != OK)
		assume_default_colors(COLOR_WHITE, COLOR_BLACK);
	init_pair(UI_STYLE_OK, COLOR_GREEN, -1);
	init_pair(UI_STYLE_WARNING, COLOR_YELLOW, -1);
	init_pair(UI_STYLE_BREACHED, COLOR_RED, -1);
	init_pair(UI_STYLE_TITLE, COLOR_CYAN, -1);
	init_pair(UI_STYLE_STATUS, COLOR_BLACK, COLOR_CYAN);
	init_pair(UI_STYLE_CUSTOMER, COLOR_MAGENTA, -1);
	init_pair(UI_STYLE_AGENT, COLOR_BLUE, -1);
	init_pair(UI_STYLE_NOTE, COLOR_YELLOW, -1);
	init_pair(UI_STYLE_EVENT, COLOR_CYAN, -1);
	init_pair(UI_STYLE_ERROR, COLOR_RED, -1);
	ui_colors_configure(u);
}

/* ---- messages and keys ---- */

static void on_message_timeout(void *arg)
{
	struct ui *u = arg;

	u->message_timer = 0;
	u->message[0] = '\0';
	u->dirty |= UI_DIRTY_STATUS;
}

void ui_message(struct ui *u, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->message, sizeof(u->message), fmt, ap);
	va_end(ap);
	u->message_error = error;
	u->dirty |= UI_DIRTY_STATUS;
	if (u->message_timer)
		loop_timer_cancel(u->loop, u->message_timer);
	u->message_timer =
	    loop_timer_add(u->loop, error ? 2 * MESSAGE_MS : MESSAGE_MS, on_message_timeout, u);
}

const char *ui_key_name(int key, char *buf, size_t len)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
	    {'\t', "Tab"},
	    {'\n', "Enter"},
	    {'\r', "Return"},
	    {' ', "Space"},
	    {27, "Esc"},
	    {KEY_DOWN | UI_KEY_FUNCTION, "Down"},
	    {KEY_UP | UI_KEY_FUNCTION, "Up"},
	    {KEY_LEFT | UI_KEY_FUNCTION, "Left"},
	    {KEY_RIGHT | UI_KEY_FUNCTION, "Right"},
	    {KEY_HOME | UI_KEY_FUNCTION, "Home"},
	    {KEY_END | UI_KEY_FUNCTION, "End"},
	    {KEY_NPAGE | UI_KEY_FUNCTION, "PgDn"},
	    {KEY_PPAGE | UI_KEY_FUNCTION, "PgUp"},
	    {KEY_ENTER | UI_KEY_FUNCTION, "KEnter"},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].key == key)
			return names[i].name;
	if (key > 0 && key < 32)
		snprintf(buf, len, "C-%c", key + 'a' - 1);
	else if (key & UI_KEY_FUNCTION)
		snprintf(buf, len, "%s", keyname(key & ~UI_KEY_FUNCTION));
	else
		snprintf(buf, len, "%lc", (wint_t)key);
	return buf;
}

unsigned ui_context(const struct ui *u)
{
	const struct ui_pager *p = u->n_pagers ? &u->pagers[u->n_pagers - 1] : NULL;

	if (!p)
		return UI_CTX_LIST;
	if (p->kind == UI_PAGER_THREAD)
		return UI_CTX_PAGER | UI_CTX_THREAD;
	if (p->kind == UI_PAGER_RESULTS)
		return UI_CTX_PAGER | UI_CTX_RESULTS;
	if (p->kind == UI_PAGER_ARTICLE)
		return UI_CTX_PAGER | UI_CTX_ARTICLE;
	if (p->kind == UI_PAGER_SEARCH)
		return UI_CTX_PAGER | UI_CTX_SEARCH;
	if (p->kind == UI_PAGER_CLOSED)
		return UI_CTX_PAGER | UI_CTX_CLOSED;
	return UI_CTX_PAGER;
}

int64_t ui_current_conversation(const struct ui *u)
{
	const struct store_entry *e;
	int i;

	/* a search's results act like queue rows: on the selected one */
	if (u->n_pagers && u->pagers[u->n_pagers - 1].kind == UI_PAGER_SEARCH)
		return ui_search_selected(&u->pagers[u->n_pagers - 1]);
	for (i = u->n_pagers - 1; i >= 0; i--)
		if (u->pagers[i].kind == UI_PAGER_THREAD)
			return i == u->n_pagers - 1 ? u->pagers[i].conversation : 0;
	e = ui_pane_selected(u);
	return e ? e->conv.id : 0;
}

static unsigned ui_dispatch(struct ui *u, int key)
{
	unsigned ctx = ui_context(u);
	size_t b;

	char name[32], help[32];

	for (b = 0; b < u->n_bindings; b++)
		if (u->bindings[b].key == key && (u->bindings[b].action->contexts & ctx))
			return ui_action_run(u, u->bindings[b].action, NULL);
	/* a key that does nothing here says so, once, quietly */
	ui_message(u, false, "%s: no action here; %s lists the keys",
		   ui_key_name(key, name, sizeof(name)), ui_key_for(u, "help", help, sizeof(help)));
	return UI_DIRTY_STATUS;
}

/* ---- the prompt ---- */

void ui_prompt_start(struct ui *u, const char *label, const char *initial,
		     void (*done)(struct ui *u, const char *text))
{
	size_t n;

	memset(&u->prompt, 0, sizeof(u->prompt));
	/* the caller sets u->prompt.complete after this, if it completes */
	u->prompt.label = label;
	u->prompt.done = done;
	n = mbstowcs(u->prompt.buf, initial, UI_PROMPT_MAX - 1);
	u->prompt.len = n == (size_t)-1 ? 0 : n;
	u->mode = UI_MODE_PROMPT;
	u->dirty |= UI_DIRTY_STATUS;
}

void ui_prompt_text(struct ui *u, char *buf, size_t len)
{
	size_t n;

	u->prompt.buf[u->prompt.len] = 0;
	n = wcstombs(buf, u->prompt.buf, len - 1);
	buf[n == (size_t)-1 ? 0 : n] = '\0';
}

static void ui_prompt_key(struct ui *u, int key)
{
	struct ui_prompt *p = &u->prompt;
	char text[UI_PROMPT_MAX * 4 + 1];

	u->dirty |= UI_DIRTY_STATUS;
	p->hint[0] = '\0';
	/* a hint shown over the rows above goes: they are drawn again */
	if (p->hint_rows) {
		p->hint_rows = 0;
		u->dirty |= UI_DIRTY_LAYOUT;
	}
	if (key == '\t') {
		if (p->complete)
			p->complete(u);
	} else if (key == '\n' || key == '\r' || key == (KEY_ENTER | UI_KEY_FUNCTION)) {
		ui_prompt_text(u, text, sizeof(text));
		u->mode = p->back;
		p->done(u, text);
	} else if (key == 27 || key == UI_KEY_CTRL('g') || key == UI_KEY_CTRL('c')) {
		u->mode = p->back;
	} else if (key == 127 || key == 8 || key == (KEY_BACKSPACE | UI_KEY_FUNCTION)) {
		if (p->len)
			p->len--;
		if (p->changed)
			p->changed(u);
	} else if (key == UI_KEY_CTRL('u')) {
		p->len = 0;
		if (p->changed)
			p->changed(u);
	} else if (!(key & UI_KEY_FUNCTION) && iswprint((wint_t)key) &&
		   p->len + 1 < UI_PROMPT_MAX) {
		p->buf[p->len++] = (wchar_t)key;
		if (p->changed)
			p->changed(u);
	}
}

/* The longest prefix all of names that start with the typed word share. */
void ui_prompt_complete(struct ui *u, size_t start, const char *const *names, size_t n)
{
	struct ui_prompt *p = &u->prompt;
	char word[UI_PROMPT_MAX * 4 + 1], common[UI_PROMPT_MAX * 4 + 1] = "";
	size_t i, matches = 0, len, hint = 0, k;
	wchar_t wide[UI_PROMPT_MAX];

	if (start > p->len)
		return;
	p->buf[p->len] = 0;
	k = wcstombs(word, p->buf + start, sizeof(word) - 1);
	if (k == (size_t)-1)
		return;
	word[k] = '\0';
	len = strlen(word);
	for (i = 0; i < n; i++) {
		if (!names[i] || strncasecmp(names[i], word, len) != 0)
			continue;
		if (!matches++) {
			snprintf(common, sizeof(common), "%s", names[i]);
		} else {
			for (k = 0; common[k] && tolower((unsigned char)common[k]) ==
						     tolower((unsigned char)names[i][k]);
			     k++)
				;
			common[k] = '\0';
		}
		if (hint + strlen(names[i]) + 2 < sizeof(p->hint))
			hint += (size_t)snprintf(p->hint + hint, sizeof(p->hint) - hint, "%s%s",
						 hint ? " " : "", names[i]);
	}
	if (!matches) {
		snprintf(p->hint, sizeof(p->hint), "(no match)");
		return;
	}
	/* a unique match is complete: a space follows it; several stay listed */
	if (matches == 1) {
		p->hint[0] = '\0';
		strncat(common, " ", sizeof(common) - strlen(common) - 1);
	}
	k = mbstowcs(wide, common, UI_PROMPT_MAX - 1);
	if (k == (size_t)-1 || start + k >= UI_PROMPT_MAX - 1)
		return;
	wmemcpy(p->buf + start, wide, k);
	p->len = start + k;
}

/* ---- one-key questions ---- */

void ui_choice_start(struct ui *u, unsigned (*key)(struct ui *u, int key), const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->choice.text, sizeof(u->choice.text), fmt, ap);
	va_end(ap);
	u->choice.key = key;
	u->mode = UI_MODE_CHOICE;
	u->dirty |= UI_DIRTY_STATUS;
}

static void ui_choice_key(struct ui *u, int key)
{
	u->dirty |= UI_DIRTY_STATUS;
	if (key == (KEY_RESIZE | UI_KEY_FUNCTION)) {
		u->dirty |= UI_DIRTY_LAYOUT;
		return;
	}
	/* The handler may ask another question (a prompt, say): it sets the mode itself. */
	u->mode = UI_MODE_NORMAL;
	if (key == UI_KEY_CTRL('g') || key == UI_KEY_CTRL('c'))
		key = 27;
	u->dirty |= u->choice.key(u, key);
}

/* ---- the status bar ---- */

static const char *host_of(const char *url)
{
	const char *s = strstr(url ? url : "", "://");

	return s ? s + 3 : url ? url : "";
}

/* The agent as the status bar names it: "Maya Patel", "Kenji (away)", "Operator (bot)",
 * "nobody (read only)" when no admin can be acted as, "…" before the directory. */
static void status_agent(const struct engine *e, char *buf, size_t len)
{
	const struct directory *d = e->ready ? e->dir : NULL;

	if (!d)
		snprintf(buf, len, "…");
	else if (!d->me)
		snprintf(buf, len, "nobody (read only)");
	else
		snprintf(buf, len, "%s%s", d->me_name && *d->me_name ? d->me_name : "?",
			 d->me_bot ? " (bot)" : d->me_away ? " (away)" : "");
}

/* The queues shown are the cache's, until the first poll catches up: "cached as of 4 min
 * ago · catching up", or why it cannot yet. */
static void status_cached(const struct engine *e, const char *retry, char *buf, size_t len)
{
	char *age = customer_cache_age_text(e->cached.saved_at, time(NULL));

	snprintf(buf, len, "cached %s · %s%s%s%s", age ? age : "just now",
		 e->error[0] ? "offline" : "catching up", retry, e->error[0] ? ": " : "",
		 e->error);
	free(age);
}

/* "agent @ host · live · 2 pending" and, when polls fail, the data's age and when the
 * next attempt comes. */
static char *status_left(struct ui *u)
{
	const struct engine *e = &u->engine;
	char me[128], state[600], queued[112] = "", retry[64] = "", key[32];
	struct outbox_counts outbox;
	int64_t age = engine_data_age(e);
	size_t pending = engine_pending(e);
	char *s, *safe;

	/* After a failure, when the next attempt comes, counted down as the status bar is
	 * drawn again each second. */
	if (e->error[0] && e->next_attempt > time(NULL))
		snprintf(retry, sizeof(retry), " (retry in %llds)",
			 (long long)(e->next_attempt - time(NULL)));
	else if (e->error[0] && e->refused)
		snprintf(retry, sizeof(retry), " (%s tries again)",
			 ui_key_for(u, "poll", key, sizeof(key)));
	else if (e->error[0] && e->next_attempt)
		snprintf(retry, sizeof(retry), "%s", " (retrying)");
	if (e->catching_up)
		status_cached(e, retry, state, sizeof(state));
	else if (!e->ready && !e->error[0])
		snprintf(state, sizeof(state), "connecting");
	else if (e->error[0] && age < 0)
		snprintf(state, sizeof(state), "offline%s: %s", retry, e->error);
	else if (e->error[0] || age > 3 * engine_poll_interval(e) + 5)
		snprintf(state, sizeof(state), "data %lld s old%s%s%s", (long long)age, retry,
			 e->error[0] ? ": " : "", e->error);
	else if (!e->synced)
		snprintf(state, sizeof(state), "syncing");
	else if (engine_poll_interval(e) > e->cfg->poll_interval)
		snprintf(state, sizeof(state), "live (quiet: polls every %llds)",
			 (long long)engine_poll_interval(e));
	else
		snprintf(state, sizeof(state), "live");
	if (pending)
		snprintf(queued, sizeof(queued), " · %zu pending", pending);
	/* the outbox's writes not sent yet, and those the agent must look at */
	if (e->sender && sender_counts(e->sender, &outbox) == 0 && (outbox.pending || outbox.failed))
		snprintf(queued + strlen(queued), sizeof(queued) - strlen(queued),
			 " · outbox: %zu to send, %zu failed", outbox.pending, outbox.failed);
	status_agent(e, me, sizeof(me));
	s = xasprintf(" %s @ %s · %s%s", me, u->host, state, queued);
	safe = text_sanitize(s, false);
	free(s);
	return safe;
}

/* The keys of the view on top, from the key map: a rebound action shows its new key. */
static char *view_hints(struct ui *u)
{
	static const struct ui_hint thread[] = {
	    {"reply", "reply"},		{"note", "note"}, {"assign-me", "assign"},
	    {"close", "close"},		{"tags", "tags"}, {"help-center", "articles"},
	    {"back", "back"},		{"help", "help"},
	};
	static const struct ui_hint search[] = {
	    {"open", "open"}, {"reply", "reply"}, {"note", "note"},	{"close", "close"},
	    {"tags", "tags"}, {"back", "back"},	  {"help", "help"},
	};
	static const struct ui_hint articles[] = {
	    {"insert-article", "insert into the reply"}, {"back", "back"}, {"help", "help"}};
	static const struct ui_hint closed[] = {
	    {"open", "open"}, {"reopen", "reopen"}, {"back", "back"}, {"help", "help"}};
	static const struct ui_hint help[] = {{"down", "down"}, {"up", "up"}, {"back", "back"}};
	static const struct ui_hint queues[] = {
	    {"open", "open"}, {"most-urgent", "urgent"}, {"help-center", "articles"},
	    {"help", "help"}, {"back", "quit"},
	};
	enum ui_pager_kind kind = u->n_pagers ? ui_pager_top(u)->kind : UI_PAGER_HELP;

#define HINTS(h) ui_hints(u, h, sizeof(h) / sizeof(h[0]))
	if (!u->n_pagers)
		return HINTS(queues);
	switch (kind) {
	case UI_PAGER_THREAD: return HINTS(thread);
	case UI_PAGER_SEARCH: return HINTS(search);
	case UI_PAGER_RESULTS:
	case UI_PAGER_ARTICLE: return HINTS(articles);
	case UI_PAGER_CLOSED: return HINTS(closed);
	case UI_PAGER_TEAM: return HINTS(help);
	case UI_PAGER_HELP: return HINTS(help);
	}
	return HINTS(help);
#undef HINTS
}

static char *status_right(struct ui *u)
{
	char *undo;

	if (u->mode == UI_MODE_CHOICE)
		return text_sanitize(u->choice.text, false);
	if (u->mode == UI_MODE_REVIEW && ui_collision_text(u)) {
		/* teammates' names and words: made safe */
		char *keys = ui_review_hint(u, true);
		char *s = xasprintf("%s to #%lld: %s · %s",
				    u->draft.kind == WRITE_NOTE ? "note" : "reply",
				    (long long)u->draft.conversation, ui_collision_text(u), keys);
		char *safe = text_sanitize(s, false);

		free(keys);
		free(s);
		return safe;
	}
	if (u->mode == UI_MODE_REVIEW) {
		char *keys = ui_review_hint(u, false);
		char *s = xasprintf("%s to #%lld: %s",
				    u->draft.kind == WRITE_NOTE ? "note" : "reply",
				    (long long)u->draft.conversation, keys);

		free(keys);
		return s;
	}
	if (u->mode == UI_MODE_COMPOSE && !u->message[0])
		return xstrdup(ui_composer_hint(u));
	if (u->mode != UI_MODE_COMPOSE && !u->message_error && (undo = ui_undo_hint(u)))
		return undo;
	if (u->message[0])
		return text_sanitize(u->message, false);
	return view_hints(u);
}

struct hint_rows {
	char **text;
	size_t n, cap;
};

static void on_hint_line(void *arg, const char *line)
{
	struct hint_rows *h = arg;

	xgrow(&h->text, &h->cap, h->n + 1, sizeof(*h->text));
	h->text[h->n++] = xasprintf(" %s", line);
}

/* The prompt's hint (made safe) wrapped over the rows just above the prompt, as many as
 * it needs (a last row says how many more when the screen is too short). */
static void prompt_hint_rows(struct ui *u, const char *hint)
{
	struct hint_rows h = {0};
	size_t i, room = u->rows > 2 ? (size_t)u->rows - 2 : 1, shown;
	int attr = ui_style_attr(u, UI_STYLE_STATUS) | A_REVERSE;
	wchar_t *w;

	ui_wrap(hint, u->cols > 3 ? u->cols - 2 : 1, on_hint_line, &h);
	shown = h.n <= room ? h.n : room;
	if (h.n > room) {
		free(h.text[shown - 1]);
		h.text[shown - 1] =
		    xasprintf(" … and %zu more rows: type more of the name", h.n - shown + 1);
	}
	attrset(attr);
	for (i = 0; i < shown; i++) {
		w = ui_fit(h.text[i], u->cols);
		(void)mvaddwstr(u->rows - 1 - (int)shown + (int)i, 0, w);
		free(w);
	}
	attrset(A_NORMAL);
	for (i = 0; i < h.n; i++)
		free(h.text[i]);
	free(h.text);
	u->prompt.hint_rows = (int)shown;
}

static void ui_status_draw(struct ui *u, bool force)
{
	char *left, *right, *line;
	wchar_t *w;
	int lw, rw, attr = ui_style_attr(u, UI_STYLE_STATUS) | A_REVERSE;

	if (u->mode == UI_MODE_PROMPT) {
		char typed[UI_PROMPT_MAX * 4 + 1], *hinted, *raw;

		ui_prompt_text(u, typed, sizeof(typed));
		/* Typed or pasted text and the hints (the backend's tag names) are shown made
		 * safe, as every other text is. */
		raw = xasprintf("%s%s", u->prompt.label, typed);
		line = text_sanitize(raw, false);
		free(raw);
		raw = text_sanitize(u->prompt.hint, false);
		hinted = xasprintf("%s%s%s", line, raw[0] ? "   " : "", raw);
		/* candidates that do not fit after the text: all of them, over the rows above */
		if (raw[0] && ui_width(hinted) > u->cols) {
			prompt_hint_rows(u, raw);
			free(hinted);
			hinted = xstrdup(line);
		}
		free(raw);
		w = ui_fit(hinted, u->cols);
		attrset(A_NORMAL);
		(void)mvaddwstr(u->rows - 1, 0, w);
		/* the cursor where the next character goes */
		(void)move(u->rows - 1, ui_width(line) < u->cols ? ui_width(line) : u->cols - 1);
		free(w);
		free(line);
		free(hinted);
		free(u->status_shown);
		u->status_shown = NULL;
		return;
	}
	left = status_left(u);
	right = status_right(u);
	lw = ui_width(left);
	rw = ui_width(right);
	/* A question takes the whole row; otherwise the right part (hints, messages) gives
	 * way to the left (who, where, how fresh). */
	if (u->mode == UI_MODE_CHOICE)
		line = xasprintf(" %s", right);
	else if (lw + rw + 3 > u->cols)
		line = xasprintf("%s │ %s", left, right);
	else
		line = xasprintf("%s%*s%s ", left, u->cols - lw - rw - 1, "", right);
	if (force || !u->status_shown || strcmp(line, u->status_shown) != 0) {
		w = ui_fit(line, u->cols);
		attrset(u->message_error && u->message[0] ? attr | (int)A_BOLD : attr);
		(void)mvaddwstr(u->rows - 1, 0, w);
		attrset(A_NORMAL);
		free(w);
		free(u->status_shown);
		u->status_shown = line;
	} else {
		free(line);
	}
	free(left);
	free(right);
}

/* ---- drawing ---- */

static void ui_size_read(struct ui *u)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		(void)resizeterm(ws.ws_row, ws.ws_col);
	u->rows = LINES;
	u->cols = COLS;
}

/* Draws what the handlers marked since the last pass, then sends it in one update. */
static void ui_draw(struct ui *u)
{
	bool force = false;
	unsigned d = u->dirty;

	if (u->mode == UI_MODE_EDITING || !d)
		return;
	u->dirty = 0;
	if (d & UI_DIRTY_LAYOUT) {
		ui_size_read(u);
		ui_panes_layout(u);
		(void)erase();
		force = true;
	} else if (d & (UI_DIRTY_ROWS | UI_DIRTY_PANES)) {
		ui_panes_follow(u);
	}
	if (u->n_pagers) {
		if (force || (d & UI_DIRTY_PAGER) || (d & UI_DIRTY_PANES))
			ui_pager_draw(u);
	} else if (force || (d & (UI_DIRTY_ROWS | UI_DIRTY_PANES))) {
		ui_panes_draw(u, force);
	}
	if (u->composer.open && (force || (d & (UI_DIRTY_STATUS | UI_DIRTY_PAGER | UI_DIRTY_ROWS |
						UI_DIRTY_PANES))))
		ui_composer_draw(u);
	ui_status_draw(u, force);
	if (u->mode == UI_MODE_COMPOSE)
		(void)move(u->composer.cursor_y, u->composer.cursor_x);
	(void)curs_set(u->mode == UI_MODE_PROMPT || u->mode == UI_MODE_COMPOSE ? 1 : 0);
	(void)refresh();
}

/* ---- input and signals ---- */

static void on_key(struct ui *u, int key)
{
	if (u->mode == UI_MODE_PROMPT) {
		ui_prompt_key(u, key);
		return;
	}
	if (u->mode == UI_MODE_REVIEW) {
		u->dirty |= ui_review_key(u, key);
		return;
	}
	if (u->mode == UI_MODE_CHOICE) {
		ui_choice_key(u, key);
		return;
	}
	if (u->mode == UI_MODE_COMPOSE) {
		if (u->message[0]) {
			u->message[0] = '\0';
			u->dirty |= UI_DIRTY_STATUS;
		}
		u->dirty |= ui_composer_key(u, key);
		return;
	}
	if (key == (KEY_RESIZE | UI_KEY_FUNCTION)) {
		u->dirty |= UI_DIRTY_LAYOUT;
		return;
	}
	/* A key says the message was seen. */
	if (u->message[0]) {
		u->message[0] = '\0';
		u->dirty |= UI_DIRTY_STATUS;
	}
	u->dirty |= ui_dispatch(u, key);
}

static void on_stdin(void *arg, int fd, short revents)
{
	struct ui *u = arg;
	wint_t wc;
	int r;

	(void)fd;
	if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
		/* the terminal went away */
		u->quit = true;
		return;
	}
	while (u->mode != UI_MODE_EDITING && !u->quit && (r = get_wch(&wc)) != ERR)
		on_key(u, r == KEY_CODE_YES ? (int)wc | UI_KEY_FUNCTION : (int)wc);
}

void ui_suspend_input(struct ui *u) { loop_unwatch(u->loop, STDIN_FILENO); }

void ui_resume_input(struct ui *u)
{
	if (loop_watch(u->loop, STDIN_FILENO, POLLIN, on_stdin, u) < 0)
		u->quit = true;
}

static void on_signal(void *arg, int signo)
{
	struct ui *u = arg;

	switch (signo) {
	case SIGWINCH:
		u->dirty |= UI_DIRTY_LAYOUT;
		break;
	case SIGCONT:
		/* back from Ctrl-Z: the terminal holds anything */
		u->dirty |= UI_DIRTY_LAYOUT;
		break;
	case SIGCHLD:
		ui_compose_child(u);
		break;
	case SIGINT:
		/* Ctrl-C while the editor runs belongs to the editor. */
		/* Elsewhere it is q: what is open is put away first (as Esc, a draft kept),
		 * then the question about unsent drafts; C-c again while it asks quits. */
		if (u->mode == UI_MODE_EDITING)
			break;
		if (u->mode != UI_MODE_NORMAL && !ui_quit_asking(u))
			on_key(u, 27);
		if (u->mode == UI_MODE_NORMAL || ui_quit_asking(u))
			u->dirty |= ui_quit_interrupt(u);
		break;
	default:
		u->quit = true;
	}
}

/* ---- the engine's news ---- */

static void on_changed(void *arg)
{
	struct ui *u = arg;
	uint64_t v = u->engine.store ? store_version(u->engine.store) : 0;

	/* Each tick says "changed"; one that only brought countdowns down leaves the
	 * filtered and sorted views as they are (a time filter still rebuilds each second). */
	if (v != u->store_version) {
		u->store_version = v;
		u->store_gen++;
	}
	/* each tick too: a thread fetched in the second of its last change is asked again */
	ui_thread_follow(u);
	u->dirty |= UI_DIRTY_ROWS | UI_DIRTY_STATUS;
	ui_ticked_threads(u);
	ui_alerts_tick(u);
}

/* The outbox's items changed: the rows' marks and the status bar's counts follow. */
static void on_outbox_changed(void *arg)
{
	struct ui *u = arg;

	u->dirty |= UI_DIRTY_ROWS | UI_DIRTY_STATUS;
}

static void on_synced(void *arg, const char *error)
{
	struct ui *u = arg;
	char key[32];

	if (error && u->engine.refused)
		ui_message(u, true, "%s (%s tries again)", error,
			   ui_key_for(u, "poll", key, sizeof(key)));
	else if (error)
		ui_message(u, true, "cannot reach the backend: %s (retrying)", error);
	else {
		ui_articles_refresh(u);
		ui_today_start(u);
	}
	u->store_gen++;
	u->dirty |= UI_DIRTY_ROWS | UI_DIRTY_STATUS;
}

/* ---- set-up ---- */

/* While curses owns the terminal, stray writes to stderr (the engine's warnings) would
 * tear the screen: they go to a log file in the state directory instead. */
static void ui_stderr_capture(struct ui *u)
{
	char *path;
	int fd;

	u->stderr_saved = -1;
	if (!isatty(STDERR_FILENO) || !u->cfg->state_dir ||
	    util_mkdir_p(u->cfg->state_dir, 0700) != 0)
		return;
	path = xasprintf("%s/frontline.log", u->cfg->state_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	free(path);
	if (fd < 0)
		return;
	u->stderr_saved = dup(STDERR_FILENO);
	if (u->stderr_saved < 0 || dup2(fd, STDERR_FILENO) < 0) {
		if (u->stderr_saved >= 0)
			close(u->stderr_saved);
		u->stderr_saved = -1;
	}
	close(fd);
}

static void ui_stderr_restore(struct ui *u)
{
	if (u->stderr_saved < 0)
		return;
	if (dup2(u->stderr_saved, STDERR_FILENO) < 0)
		return;
	close(u->stderr_saved);
	u->stderr_saved = -1;
}

static int ui_loop_init(struct ui *u, const char *token)
{
	static const int signals[] = {SIGWINCH, SIGCONT, SIGCHLD, SIGINT, SIGTERM, SIGHUP};
	struct engine_listener l = {.arg = u,
				    .changed = on_changed,
				    .synced = on_synced,
				    .sla_event = ui_alerts_sla,
				    .new_conversation = ui_alerts_new_conversation,
				    .new_message = ui_alerts_new_message};
	char err[256];
	size_t i;

	u->loop = loop_new();
	if (!u->loop) {
		fprintf(stderr, "%s: cannot set up the event loop\n", util_progname());
		return -1;
	}
	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (loop_signal(u->loop, signals[i], on_signal, u) < 0) {
			fprintf(stderr, "%s: cannot handle signal %d\n", util_progname(),
				signals[i]);
			return -1;
		}
	if (engine_init(&u->engine, u->cfg, u->loop, token, &l, err,
			sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", util_progname(), err);
		return -1;
	}
	u->engine_ok = true;
	return 0;
}

static int ui_curses_init(struct ui *u)
{
	const char *term = getenv("TERM");
	const char *cup = NULL;
	int err = 0;

	/* A terminal that cannot move the cursor (TERM=dumb) would show a blank screen;
	 * asked before newterm, which keeps memory when it fails. */
	if (setupterm(NULL, fileno(stdout), &err) == OK) {
		cup = tigetstr("cup");
		if (cup == (char *)-1)
			cup = NULL;
		(void)del_curterm(cur_term);
	}
	u->screen = cup ? newterm(NULL, stdout, stdin) : NULL;
	if (!u->screen) {
		fprintf(stderr,
			"%s: the terminal \"%s\" (TERM) cannot show the screen; run it in a "
			"terminal such as xterm-256color (e.g. TERM=xterm-256color frontline), or "
			"use the commands (frontline help)\n",
			util_progname(), term && *term ? term : "(unset)");
		return -1;
	}
	ui_colors_init(u);
	if (cbreak() == ERR || noecho() == ERR || nonl() == ERR || keypad(stdscr, TRUE) == ERR ||
	    nodelay(stdscr, TRUE) == ERR) {
		endwin();
		fprintf(stderr, "%s: cannot set up the terminal\n", util_progname());
		return -1;
	}
	/* Esc alone should not wait a second for a sequence that never comes. */
	set_escdelay(50);
	(void)curs_set(0);
	u->rows = LINES;
	u->cols = COLS;
	return 0;
}

static void ui_release(struct ui *u)
{
	if (u->message_timer)
		loop_timer_cancel(u->loop, u->message_timer);
	if (u->composer.open)
		ui_composer_close(u);
	if (u->engine_ok)
		engine_release(&u->engine);
	if (u->index)
		articles_close(u->index);
	customer_cache_close(u->customers);
	if (u->screen)
		delscreen(u->screen);
	ui_pager_release_all(u);
	ui_panes_free(u);
	ui_writes_release(u);
	ui_tags_release(u);
	ui_compose_release(u);
	ui_today_release(u);
	ui_team_release(u);
	if (u->loop)
		loop_free(u->loop);
	free(u->bindings);
	free(u->articles_refine_words);
	ui_saved_release(u);
	free(u->status_shown);
	free(u->host);
}

int ui_run(const struct config *cfg, const char *token, bool *exit_now)
{
	struct ui u;
	int rc = 0;

	memset(&u, 0, sizeof(u));
	*exit_now = false;
	u.cfg = cfg;
	u.stderr_saved = -1;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr,
			"%s: the agent screen needs a terminal; for scripts, give a command "
			"(see --help)\n",
			util_progname());
		return 2;
	}
	setlocale(LC_ALL, "");
	u.host = xstrdup(host_of(cfg->url));
	if (ui_bindings_init(&u) < 0) {
		ui_release(&u);
		return 2; /* a mistake in the configuration, as config_load's */
	}
	if (ui_loop_init(&u, token) < 0) {
		ui_release(&u);
		return 1;
	}
	if (ui_curses_init(&u) < 0) {
		ui_release(&u);
		return 2; /* the terminal (TERM) is the mistake, as a configuration's */
	}
	ui_stderr_capture(&u);
	ui_alerts_init(&u);
	ui_resume_input(&u);
	ui_articles_open_index(&u);
	engine_start(&u.engine, true);
	if (u.engine.sender)
		sender_listen(u.engine.sender, on_outbox_changed, &u);
	u.dirty = UI_DIRTY_LAYOUT;
	while (!u.quit) {
		ui_draw(&u);
		if (loop_run_once(u.loop, -1) < 0 && errno != EINTR) {
			rc = 1;
			break;
		}
	}
	/* What was typed last is on disk before anything else can go wrong. */
	if (u.composer.open)
		(void)ui_composer_save(&u);
	/* The editor, if it still runs, gets the terminal back in a sane state first. */
	if (u.mode != UI_MODE_EDITING)
		endwin();
	*exit_now = ui_alerts_release(&u);
	ui_stderr_restore(&u);
	if (rc)
		fprintf(stderr, "%s: the event loop failed\n", util_progname());
	if (u.draft.active || u.mode == UI_MODE_REVIEW)
		fprintf(stderr, "%s: your unsent draft is in %s\n", util_progname(), u.draft.path);
	ui_release(&u);
	return rc;
}
