/* actions.c: the table of named actions: what each does, its default keys, where it
 * applies and its help line. Dispatch, the ? screen and frontline(1)'s KEYS come from it;
 * the [keys] section of the configuration will rebind by name. */
#include "build-config.h"

#include <curses.h>

#include "ui-private.h"

static bool in_pager(const struct ui *u) { return u->n_pagers > 0; }

static unsigned half_page(const struct ui *u)
{
	int rows = in_pager(u)	? ui_pager_rows(u)
		   : u->n_panes ? ui_pane_rows(&u->panes[u->focus])
				: 2;

	return rows > 2 ? (unsigned)rows / 2 : 1;
}

static unsigned act_down(struct ui *u)
{
	return in_pager(u) ? ui_pager_scroll(u, 1) : ui_pane_move(u, 1);
}

static unsigned act_up(struct ui *u)
{
	return in_pager(u) ? ui_pager_scroll(u, -1) : ui_pane_move(u, -1);
}

static unsigned act_top(struct ui *u)
{
	return in_pager(u) ? ui_pager_jump(u, false) : ui_pane_jump(u, false);
}

static unsigned act_bottom(struct ui *u)
{
	return in_pager(u) ? ui_pager_jump(u, true) : ui_pane_jump(u, true);
}

static unsigned act_half_down(struct ui *u)
{
	long n = (long)half_page(u);

	return in_pager(u) ? ui_pager_scroll(u, n) : ui_pane_move(u, n);
}

static unsigned act_half_up(struct ui *u)
{
	long n = (long)half_page(u);

	return in_pager(u) ? ui_pager_scroll(u, -n) : ui_pane_move(u, -n);
}

static unsigned act_saved_reply(struct ui *u) { return ui_saved_reply_pick(u); }

static unsigned act_most_urgent(struct ui *u) { return ui_panes_most_urgent(u); }

static unsigned act_focus_left(struct ui *u) { return ui_pane_focus(u, 0); }

static unsigned act_focus_right(struct ui *u) { return ui_pane_focus(u, 1); }

static unsigned act_open(struct ui *u)
{
	const struct ui_pager *p = ui_pager_top(u);

	if (p && p->kind == UI_PAGER_RESULTS)
		return ui_articles_open_selected(u);
	if (p && p->kind == UI_PAGER_CLOSED)
		return ui_closed_selected(u) ? ui_thread_open(u, ui_closed_selected(u)) : 0;
	if (p && p->kind != UI_PAGER_SEARCH)
		return 0;
	return ui_thread_open(u, ui_current_conversation(u));
}

static unsigned act_back(struct ui *u)
{
	if (in_pager(u)) {
		ui_pager_pop(u);
		return UI_DIRTY_LAYOUT;
	}
	return ui_quit_ask(u);
}

static unsigned act_poll(struct ui *u)
{
	engine_poll_now(&u->engine);
	ui_message(u, false, "polling…");
	return UI_DIRTY_STATUS;
}

static unsigned act_help(struct ui *u) { return ui_help_open(u); }

static unsigned act_reply(struct ui *u) { return ui_compose_start(u, WRITE_REPLY); }

static unsigned act_note(struct ui *u) { return ui_compose_start(u, WRITE_NOTE); }

static unsigned act_assign(struct ui *u)
{
	return ui_write_simple(u, WRITE_ASSIGN_ME, "assign to me");
}

static unsigned act_close(struct ui *u) { return ui_write_simple(u, WRITE_CLOSE, "close"); }

static unsigned act_tags(struct ui *u) { return ui_tags_prompt(u); }

static unsigned act_snooze(struct ui *u) { return ui_snooze_menu(u); }

static unsigned act_priority(struct ui *u) { return ui_priority_menu(u); }

static unsigned cmd_priority(struct ui *u, const char *args) { return ui_priority_text(u, args); }

static unsigned act_filter(struct ui *u) { return ui_pane_filter_prompt(u); }

static unsigned act_filter_clear(struct ui *u) { return ui_pane_filter_clear(u); }

static unsigned act_order(struct ui *u) { return ui_pane_order_next(u); }

static unsigned act_mark(struct ui *u) { return ui_mark_toggle(u); }

static unsigned act_articles(struct ui *u) { return ui_articles_prompt(u); }

static unsigned act_suggested_1(struct ui *u) { return ui_articles_open_suggested(u, 0); }

static unsigned act_suggested_2(struct ui *u) { return ui_articles_open_suggested(u, 1); }

static unsigned act_suggested_3(struct ui *u) { return ui_articles_open_suggested(u, 2); }

static unsigned act_insert_article(struct ui *u) { return ui_articles_insert(u); }

static unsigned act_customer(struct ui *u) { return ui_customer_toggle(u); }

static unsigned act_customer_open(struct ui *u) { return ui_customer_open_selected(u); }

static unsigned act_customer_next(struct ui *u) { return ui_customer_select_next(u); }

static unsigned act_command_line(struct ui *u) { return ui_command_prompt(u); }

static unsigned act_queue_next(struct ui *u) { return ui_pane_queue_cycle(u, 1); }

static unsigned act_queue_prev(struct ui *u) { return ui_pane_queue_cycle(u, -1); }

static unsigned act_quit(struct ui *u) { return ui_quit_ask(u); }

/* ---- as commands with arguments ---- */

static unsigned cmd_tags(struct ui *u, const char *args)
{
	ui_tags_apply(u, args);
	return UI_DIRTY_STATUS;
}

static unsigned cmd_snooze(struct ui *u, const char *args) { return ui_snooze_text(u, args); }

static unsigned cmd_filter(struct ui *u, const char *args)
{
	ui_pane_filter_set(u, args);
	return UI_DIRTY_PANES | UI_DIRTY_ROWS;
}

static unsigned cmd_order(struct ui *u, const char *args) { return ui_pane_order_set(u, args); }

static unsigned cmd_articles(struct ui *u, const char *args)
{
	return ui_articles_search(u, args);
}

static unsigned act_next_conversation(struct ui *u) { return ui_pane_step_conversation(u, 1); }

static unsigned act_prev_conversation(struct ui *u) { return ui_pane_step_conversation(u, -1); }
static unsigned act_search(struct ui *u) { return ui_search_prompt(u); }

static unsigned cmd_search(struct ui *u, const char *args) { return ui_search_run(u, args); }

static unsigned act_find_next(struct ui *u) { return ui_pane_find_next(u, 1); }

static unsigned act_find_prev(struct ui *u) { return ui_pane_find_next(u, -1); }
static unsigned act_assign_to(struct ui *u) { return ui_assign_prompt(u); }

static unsigned cmd_assign_to(struct ui *u, const char *args) { return ui_assign_text(u, args); }

static unsigned act_reopen(struct ui *u)
{
	struct write_op w = {.kind = WRITE_OPEN, .conversation = ui_closed_selected(u)};

	return ui_write_each(u, &w, "reopen", NULL);
}

static unsigned act_closed(struct ui *u) { return ui_closed_open(u); }
static unsigned act_team(struct ui *u) { return ui_team_open(u); }

static unsigned act_undo(struct ui *u) { return ui_undo(u); }

static unsigned act_redraw(struct ui *u)
{
	(void)u;
	return UI_DIRTY_LAYOUT;
}

#define FN(k) ((k) | UI_KEY_FUNCTION)
#define ANY   (UI_CTX_LIST | UI_CTX_PAGER)
#define CONV  (UI_CTX_LIST | UI_CTX_THREAD | UI_CTX_SEARCH)

const struct ui_action ui_actions[] = {
    {"down", {'j', FN(KEY_DOWN)}, ANY, "next row, or scroll down", act_down, NULL},
    {"up", {'k', FN(KEY_UP)}, ANY, "previous row, or scroll up", act_up, NULL},
    {"top", {'g', FN(KEY_HOME)}, ANY, "first row", act_top, NULL},
    {"bottom", {'G', FN(KEY_END)}, ANY, "last row", act_bottom, NULL},
    {"half-page-down", {UI_KEY_CTRL('d'), FN(KEY_NPAGE)}, ANY, "half a page down", act_half_down, NULL},
    {"half-page-up", {UI_KEY_CTRL('u'), FN(KEY_PPAGE)}, ANY, "half a page up", act_half_up, NULL},
    {"queue-next",
     {']'},
     UI_CTX_LIST,
     "show the next configured queue in the focused pane",
     act_queue_next,
     NULL},
    {"queue-prev",
     {'['},
     UI_CTX_LIST,
     "show the previous configured queue in the focused pane",
     act_queue_prev,
     NULL},
    {"most-urgent",
     {'\t'},
     UI_CTX_LIST,
     "the most urgent conversation of both queues",
     act_most_urgent, NULL},
    {"focus-left",
     {'h', '1', FN(KEY_LEFT)},
     UI_CTX_LIST,
     "focus the left (or upper) pane: the real-time queue",
     act_focus_left, NULL},
    {"focus-right",
     {'l', '2', FN(KEY_RIGHT)},
     UI_CTX_LIST,
     "focus the right (or lower) pane: the standard queue",
     act_focus_right, NULL},
    {"open",
     {'\n', '\r', FN(KEY_ENTER)},
     UI_CTX_LIST | UI_CTX_RESULTS | UI_CTX_SEARCH | UI_CTX_CLOSED,
     "open the conversation or article",
     act_open, NULL},
    {"reply",
     {'r'},
     CONV,
     "reply to the customer in the composer (C-x C-e: $EDITOR)",
     act_reply, NULL},
    {"note", {'c'}, CONV, "write an internal note in the composer", act_note, NULL},
    {"assign-me", {'a'}, CONV, "assign the conversation (or the marked) to me", act_assign, NULL},
    {"close", {'x'}, CONV, "close the conversation (or the marked)", act_close, NULL},
    {"tags",
     {'L'},
     CONV,
     "add (+name) and remove (-name) tags, on the marked rows if any; Tab completes",
     act_tags,
     cmd_tags},
    {"snooze",
     {'s'},
     CONV,
     "snooze: 1 hour, 4 hours, tomorrow 9:00, next Monday 9:00 or a duration",
     act_snooze,
     cmd_snooze},
    {"mark",
     {'t', ' '},
     UI_CTX_LIST,
     "mark or unmark the row: {close}, {assign-me}, {snooze} and {tags} then act on every "
     "marked row",
     act_mark, NULL},
    {"filter",
     {'/'},
     UI_CTX_LIST,
     "filter the pane: tag:NAME assignee:me priority:high unassigned sla:<5m breached "
     "warning unknown text",
     act_filter,
     cmd_filter},
    {"clear-filter", {27}, UI_CTX_LIST, "clear the pane's filter", act_filter_clear, NULL},
    {"order",
     {'o'},
     UI_CTX_LIST,
     "order the pane: urgency, newest first, waiting longest",
     act_order,
     cmd_order},
    {"help-center",
     {'K'},
     ANY,
     "search the help center, prefilled with the customer's last message's keywords",
     act_articles,
     cmd_articles},
    {"suggested-1", {'1'}, UI_CTX_THREAD, "open suggested article 1", act_suggested_1, NULL},
    {"suggested-2", {'2'}, UI_CTX_THREAD, "open suggested article 2", act_suggested_2, NULL},
    {"suggested-3", {'3'}, UI_CTX_THREAD, "open suggested article 3", act_suggested_3, NULL},
    {"insert-article",
     {'i'},
     UI_CTX_RESULTS | UI_CTX_ARTICLE,
     "put the article's title and link into the conversation's reply draft",
     act_insert_article, NULL},
    {"priority",
     {'p'},
     CONV,
     "set the priority (or the marked rows'): none, low, medium, high, urgent",
     act_priority,
     cmd_priority},
    {"poll", {UI_KEY_CTRL('r')}, ANY, "poll the backend now", act_poll, NULL},
    {"redraw", {UI_KEY_CTRL('l')}, ANY, "draw the whole screen again", act_redraw, NULL},
    {"command-line",
     {':'},
     ANY,
     "run an action by its name: :close, :snooze 2h, :tags +vip, :filter breached",
     act_command_line, NULL},
    {"help", {'?'}, ANY, "this list", act_help, NULL},
    {"back", {'q'}, ANY, "back to the previous view; quit from the queues", act_back, NULL},
    {"quit", {0}, ANY, "quit (asks when a draft is unsent)", act_quit, NULL},
    {"next-conversation",
     {'J'},
     UI_CTX_THREAD,
     "open the next conversation of the pane",
     act_next_conversation, NULL},
    {"prev-conversation",
     {'P'},
     UI_CTX_THREAD,
     "open the previous conversation of the pane (K is the help center's unless rebound)",
     act_prev_conversation, NULL},
    {"saved-reply",
     {'M'},
     UI_CTX_THREAD,
     "start the reply with a saved reply, picked by a fuzzy match of its name (C-r in the "
     "composer)",
     act_saved_reply, NULL},
    {"search",
     {'S'},
     ANY,
     "search every conversation, closed too: text email:ADDRESS #ID state:open|closed|snoozed",
     act_search,
     cmd_search},
    {"find-next",
     {'n'},
     UI_CTX_LIST,
     "the next row, in either pane, that matches the last / filter",
     act_find_next, NULL},
    {"find-prev",
     {'N'},
     UI_CTX_LIST,
     "the previous row, in either pane, that matches the last / filter",
     act_find_prev, NULL},
    {"assign",
     {'A'},
     CONV,
     "assign to a teammate, a team, me or none (or the marked rows); Tab completes",
     act_assign_to,
     cmd_assign_to},

    {"reopen",
     {'O'},
     CONV | UI_CTX_CLOSED,
     "reopen the conversation (or the marked, or the one selected in the closed list)",
     act_reopen, NULL},
    {"undo",
     {'u'},
     ANY,
     "take back the last close, snooze, assignment or tag removal while the status bar "
     "counts down ([ui] undo_delay)",
     act_undo, NULL},
    {"closed",
     {'C'},
     UI_CTX_LIST,
     "the conversations closed from here in the last 24 hours, to open or reopen ({reopen})",
     act_closed, NULL},
    {"customer",
     {'C'},
     UI_CTX_THREAD,
     "show or hide the customer: email, company, plan, location, local time, earlier "
     "conversations",
     act_customer, NULL},
    {"customer-open",
     {'\n', '\r', FN(KEY_ENTER)},
     UI_CTX_THREAD,
     "open the customer's selected earlier conversation (customer panel shown)",
     act_customer_open, NULL},
    {"customer-next",
     {'\t'},
     UI_CTX_THREAD,
     "select the customer's next earlier conversation (customer panel shown)",
     act_customer_next, NULL},
    {"team",
     {'W'},
     UI_CTX_LIST,
     "who has room: your teams' teammates, away or not, their open and snoozed "
     "conversations and the oldest waiting one",
     act_team, NULL},
};

const size_t ui_n_actions = sizeof(ui_actions) / sizeof(ui_actions[0]);
