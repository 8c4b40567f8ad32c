/* ui-private.h: what the files of the screen share: the one top-level struct ui, the
 * dirty flags handlers set, and each part's entry points. Not for use outside src/ui/. */
#ifndef FRONTLINE_UI_PRIVATE_H
#define FRONTLINE_UI_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <wchar.h>

#include "articles.h"
#include "config.h"
#include "customers.h"
#include "engine.h"
#include "query.h"

struct loop;

#define UI_PROMPT_MAX 256

/* What a handler changed; the loop draws what is marked, once per pass. */
enum ui_dirty {
	UI_DIRTY_ROWS = 1u << 0,   /* queue rows may differ: recheck the visible ones */
	UI_DIRTY_PANES = 1u << 1,  /* selection or scroll moved: recheck and redraw titles */
	UI_DIRTY_STATUS = 1u << 2, /* the status bar */
	UI_DIRTY_PAGER = 1u << 3,  /* the view on top (thread, help, articles) */
	UI_DIRTY_LAYOUT = 1u << 4, /* size changed or the screen was lost: lay out, clear all */
};

/* Colour pairs and the attributes that stand in for them without colour. */
enum ui_style {
	UI_STYLE_NORMAL,
	UI_STYLE_OK,
	UI_STYLE_WARNING,
	UI_STYLE_BREACHED,
	UI_STYLE_TITLE,
	UI_STYLE_STATUS,
	UI_STYLE_CUSTOMER,
	UI_STYLE_AGENT,
	UI_STYLE_NOTE,
	UI_STYLE_EVENT,
	UI_STYLE_ERROR,
	UI_STYLE_COUNT
};

/* Where an action applies. */
enum ui_context {
	UI_CTX_LIST = 1u << 0,
	UI_CTX_PAGER = 1u << 1,	  /* any view on top: help, thread, results, article */
	UI_CTX_THREAD = 1u << 2,  /* the conversation view only */
	UI_CTX_RESULTS = 1u << 3, /* the article results only */
	UI_CTX_ARTICLE = 1u << 4, /* an article being read */
	UI_CTX_SEARCH = 1u << 5,  /* the conversation search's results */
	UI_CTX_CLOSED = 1u << 6,  /* the conversations closed lately */
};

/* A key: a character, or a curses KEY_* code with UI_KEY_FUNCTION set (KEY_DOWN and
 * friends collide with characters such as U+0102 otherwise). */
#define UI_KEY_FUNCTION 0x40000000
#define UI_KEY_CTRL(c)	((c)&0x1f)

struct ui;

/* One named action: the table drives dispatch, the ? screen and the man page. In help,
 * {name} stands for the key of the action called name, as the key map has it. */
struct ui_action {
	const char *name;
	int keys[3]; /* default keys; 0 ends the list */
	unsigned contexts;
	const char *help;
	unsigned (*run)(struct ui *u); /* returns enum ui_dirty bits */
	/* as a command with arguments (":snooze 2h"); NULL: it takes none */
	unsigned (*run_args)(struct ui *u, const char *args);
};

extern const struct ui_action ui_actions[];
extern const size_t ui_n_actions;

struct ui_binding {
	int key;
	const struct ui_action *action;
};

/* The orders a pane can show; urgency is the store's own, the others a sorted index. */
enum ui_order { UI_ORDER_URGENCY, UI_ORDER_NEWEST, UI_ORDER_WAITING, UI_ORDER_COUNT };

/* One queue on screen. Rows are positions in the pane's view: the queue itself in
 * urgency order without a filter, else the ids in view[], rebuilt only when the store
 * changed (store_gen: records, clock states, order), the filter or the order changed, or
 * a time filter's second passed. */
struct ui_pane {
	int queue;		 /* index into cfg->queues, -1 when unused */
	int y, x, height, width; /* including the title row */
	size_t first;		 /* view position of the first visible row */
	size_t selected;	 /* view position of the selection */
	int64_t selected_id;	 /* followed through re-sorting; 0: none */
	wchar_t **shown;	 /* what each row shows now (height - 1 entries) */
	int *shown_attr;
	wchar_t *title_shown;
	/* the filter and the order */
	struct query filter;
	char filter_text[UI_PROMPT_MAX * 4 + 1]; /* "" when none */
	enum ui_order order;
	int64_t *view; /* conversation ids, when filtered or not in urgency order */
	size_t n_view, cap_view;
	bool view_valid;
	uint64_t view_gen; /* u->store_gen it was built for */
	fl_time view_now;  /* the second it was built at, for time filters */
	wchar_t *footer_shown;		    /* what the footer shows now */
	size_t view_warning, view_breached; /* of the rows of view[] */
};

/* A display line of a view: text already made safe and wrapped. */
struct ui_line {
	char *text;
	enum ui_style style;
	bool bold;
	size_t item; /* the result it belongs to, in the results view */
};

enum ui_pager_kind {
	UI_PAGER_HELP,
	UI_PAGER_THREAD,
	UI_PAGER_RESULTS,
	UI_PAGER_ARTICLE,
	UI_PAGER_SEARCH, /* the conversations a search found */
	UI_PAGER_CLOSED, /* closed.c: closed by me lately */
	UI_PAGER_TEAM,	 /* team.c: the team's load */
};

struct ui_pager {
	enum ui_pager_kind kind;
	char *title;
	struct ui_line *lines;
	size_t n_lines, cap_lines;
	size_t top;	   /* first line shown */
	size_t selected;   /* the results view's selected item */
	int built_width;   /* lines are wrapped for this width */
	size_t build_item; /* the result the lines being added belong to */
	/* sources, kept to wrap again after a resize */
	int64_t conversation;
	bool loading;
	char *error;
	struct thread thread;
	bool have_thread;
	/* the conversation as first fetched: the collision check's starting point */
	size_t opened_parts;
	int64_t opened_assignee;
	fl_time opened_at;
	/* When the thread was last asked for; recheck: it answered with a change made in that
	 * very second, so a later change of the same second could be missing (the backend
	 * counts whole seconds): ask once more in a later second. */
	fl_time fetch_sent_at;
	bool recheck, rechecking;
	struct article *results;
	size_t n_results;
	struct article article;
	bool have_article;
	/* the conversation view's suggested articles, from the local index */
	struct article *suggested;
	size_t n_suggested;
	/* the conversation search's results */
	struct conversation *convs;
	size_t n_convs;
	/* closed.c: the conversations closed lately, and when */
	int64_t *closed;
	fl_time *closed_at;
	size_t n_closed, cap_closed, cap_closed_at;
	/* the conversation view's customer panel (toggled), fetched on first show */
	bool show_customer, customer_loading, have_customer;
	struct customer customer;
	char *customer_error;
	size_t customer_selected; /* the previous conversation Enter opens */
	/* when the customer shown was fetched (the cache's entry may be old); why the
	 * backend could not be asked again */
	fl_time customer_fetched_at;
	char *customer_offline;
};

#define UI_SUGGESTED_MAX 3

#define UI_MAX_PAGERS 4

enum ui_mode {
	UI_MODE_NORMAL,
	UI_MODE_PROMPT,	 /* a line of input on the status row */
	UI_MODE_REVIEW,	 /* send / edit again / discard a draft */
	UI_MODE_EDITING, /* the editor owns the terminal: nothing draws */
	UI_MODE_CHOICE,	 /* one key answers a question on the status row (menus, y/n) */
	UI_MODE_COMPOSE, /* the inline composer takes the keys */
};

/* A question on the status row: text shown, key handles the answer (Esc cancels). */
struct ui_choice {
	char text[256];
	unsigned (*key)(struct ui *u, int key);
};

struct ui_prompt {
	const char *label;
	wchar_t buf[UI_PROMPT_MAX];
	size_t len;
	void (*done)(struct ui *u, const char *text);
	void (*complete)(struct ui *u); /* Tab, when set */
	void (*changed)(struct ui *u);	/* after each key that changed the text, when set */
	enum ui_mode back;		/* the mode Enter and Esc return to (0: normal) */
	char hint[2048];		/* shown after the text: the candidates of a Tab */
	int hint_rows;			/* rows above the prompt the hint took */
};

/* The inline composer: the draft's text while it is typed or reviewed. */
struct ui_composer {
	bool open; /* shown: composing or reviewing */
	wchar_t *buf;
	size_t len, cap, cursor;
	size_t top;	      /* first screen row shown */
	bool unsaved;	      /* typed since the last save */
	bool prefix;	      /* C-x was pressed */
	uint64_t save_timer;  /* the autosave */
	wchar_t *killed;      /* what C-k, C-u or C-w took, for C-y */
	int cursor_y, cursor_x; /* where the last draw left the cursor */
	int width;		/* columns of the last draw: up and down go by screen rows */
};

/* The reply or note being written: its text lives in a file until the backend has it. */
/* The collision check of the review step (collision.c). */
enum ui_check { UI_CHECK_NONE, UI_CHECK_PENDING, UI_CHECK_CLEAR, UI_CHECK_CHANGED, UI_CHECK_FAILED };

struct ui_draft {
	bool active;
	enum write_kind kind; /* WRITE_REPLY or WRITE_NOTE */
	int64_t conversation;
	char *path;
	pid_t editor;
	/* what the conversation was when the agent opened it, and what changed since */
	enum ui_check check;
	int send_waiting;     /* 1 send, 2 send and close once the check answers; 0 none */
	size_t base_parts;    /* parts it had (with those left out); SIZE_MAX: unknown */
	int64_t base_assignee;
	fl_time base_time;
	char *check_text; /* owned: what changed, or why the check could not be made */
};

struct ui_writes; /* writes.c */

struct ui {
	const struct config *cfg;
	struct loop *loop;
	struct engine engine;
	bool engine_ok;
	struct articles *index;
	struct customer_cache *customers; /* customers.h; opened on first use */
	bool customers_failed;		  /* ...and it could not be: said once */
	bool articles_syncing;
	int64_t articles_refine;      /* K from the queues: the thread asked for */
	char *articles_refine_words;  /* and the keywords the prompt started with */
	/* the last filter `/` applied, which n and N look for in both panes */
	struct query find;
	char find_text[UI_PROMPT_MAX * 4 + 1]; /* "" when none */
	bool color;
	bool quit;
	unsigned dirty;
	int rows, cols;
	char *host;

	struct ui_pane panes[2];
	int n_panes;
	int focus;
	bool stacked;

	struct ui_pager pagers[UI_MAX_PAGERS];
	int n_pagers;

	enum ui_mode mode;
	struct ui_prompt prompt;
	struct ui_choice choice;
	int64_t snooze_target;
	uint64_t store_gen;	/* views rebuild when it moves: store changes, syncs */
	uint64_t store_version; /* store_version() when store_gen last moved for it */
	int64_t *marks;	    /* marked conversations, in marking order */
	size_t n_marks, cap_marks;
	struct ui_draft draft;
	struct ui_composer composer;
	struct ui_writes *writes; /* writes.c: the writes on their way, NULL before the first */
	char *tags_asked;	  /* tags.c: "+a -b" waiting for "create the new tag?" */
	struct ui_saved *saved;	  /* saved.c: the saved replies, NULL before the first */
	struct ui_today *today;	  /* today.c: today's share within target, NULL before */
	struct ui_team *team;	  /* team.c: the team view's metrics, NULL before */

	struct ui_binding *bindings;
	size_t n_bindings, cap_bindings;
	int style_attrs[UI_STYLE_COUNT]; /* bold, underline, reverse from [colors] */

	char message[256];
	bool message_error;
	uint64_t message_timer;
	char *status_shown;
	int stderr_saved; /* stderr while the screen is up, or -1 */
	void *screen;	  /* curses' SCREEN, for delscreen */
	struct ui_alerts *alerts; /* alerts.c: notifications and the terminal's title */
	struct ui_asked *asked;	  /* writes.c: a write waiting for its y/n, or NULL */
};

/* keys.c */
/* The effective key map from the table and [keys]; -1 (said on stderr with the file and
 * line) when ui_keys_check refuses [keys]. */
int ui_bindings_init(struct ui *u);
/* The name of the first key bound to the action called name ("Enter", "r", "C-r"), or
 * NULL when [keys] left it none. */
const char *ui_action_key(const struct ui *u, const char *name, char *buf, size_t len);
/* The same, or ":name" when the action has no key: how to run it either way. */
const char *ui_key_for(const struct ui *u, const char *name, char *buf, size_t len);
/* A hint of the status bar or a title: an action and the word said after its key. */
struct ui_hint {
	const char *action, *word;
};
/* "r reply · c note": each hint's action's key now, an action without a key left out.
 * Returns a new string. */
char *ui_hints(const struct ui *u, const struct ui_hint *h, size_t n);
/* The colours of [colors] over the built-in pairs (curses' colours are started). */
void ui_colors_configure(struct ui *u);

/* cmdline.c */
/* The action named name (or an alias such as "q"), or NULL. */
const struct ui_action *ui_action_find(const char *name);
/* Runs a, with args if given (an error message when it takes none). */
unsigned ui_action_run(struct ui *u, const struct ui_action *a, const char *args);
/* A command line such as "snooze 2h". */
void ui_command_run(struct ui *u, const char *line);
unsigned ui_command_prompt(struct ui *u);

/* ui.c */
/* Where the keys act now: UI_CTX_* bits. */
unsigned ui_context(const struct ui *u);
void ui_message(struct ui *u, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int ui_style_attr(const struct ui *u, enum ui_style s);
void ui_prompt_start(struct ui *u, const char *label, const char *initial,
		     void (*done)(struct ui *u, const char *text));
/* The prompt's text now, as UTF-8, into buf ("" if the locale cannot hold it). */
void ui_prompt_text(struct ui *u, char *buf, size_t len);
/* The conversation the keys act on: the open thread's, else the selected row's; 0 if none. */
int64_t ui_current_conversation(const struct ui *u);
void ui_suspend_input(struct ui *u);
void ui_resume_input(struct ui *u);
const char *ui_key_name(int key, char *buf, size_t len);
/* Tab in the prompt: the text from position start to the end completed from names
 * (a unique match in full, else their common prefix, the candidates in the hint). */
void ui_prompt_complete(struct ui *u, size_t start, const char *const *names, size_t n);
/* Asks a one-key question on the status row; key gets the answer (27 for Esc). */
void ui_choice_start(struct ui *u, unsigned (*key)(struct ui *u, int key), const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* width.c: columns, not bytes */
/* The UTF-8 string s as wide characters made to fill exactly width columns: cut on a
 * character boundary with "…" when longer, padded with spaces when shorter; characters
 * curses cannot measure become U+FFFD. s must already be sanitised. Returns a new string. */
wchar_t *ui_fit(const char *s, int width);
/* Columns s takes on screen, as ui_fit counts them. */
int ui_width(const char *s);
/* Wraps s (sanitised, newlines kept) to width columns, calling fn for each line (UTF-8,
 * without the newline); words longer than a line break anywhere. */
void ui_wrap(const char *s, int width, void (*fn)(void *arg, const char *line), void *arg);

/* panes.c */
/* The countdown words of a row ("4:12", "-0:13", "snooze", "?", "waiting", or "") into
 * left: the conversation view's header says the same. */
void ui_countdown_text(const struct ui *u, const struct store_entry *e, char *left, size_t len);
/* The tags of c by name, comma-separated (a new string); the assignee's name ("me", "-"
 * unassigned, "?" unknown). */
char *ui_tag_names(const struct ui *u, const struct conversation *c);
const char *ui_assignee_name(const struct ui *u, const struct conversation *c);
void ui_panes_layout(struct ui *u);
/* Forgets what the rows show (before a new layout). */
void ui_panes_release(struct ui *u);
/* Frees everything the panes hold, views and marks included. */
void ui_panes_free(struct ui *u);
void ui_panes_draw(struct ui *u, bool force);
/* Re-finds the selections after the store changed. */
void ui_panes_follow(struct ui *u);
unsigned ui_pane_move(struct ui *u, long delta);
unsigned ui_pane_jump(struct ui *u, bool end);
unsigned ui_pane_focus(struct ui *u, int pane);
unsigned ui_panes_most_urgent(struct ui *u);
unsigned ui_pane_step_conversation(struct ui *u, long delta);
unsigned ui_panes_most_urgent_except(struct ui *u, int64_t except);
const struct store_entry *ui_pane_selected(const struct ui *u);
int ui_pane_rows(const struct ui_pane *p);
/* The view: how many rows, the one at a position (NULL past the end). */
size_t ui_pane_count(struct ui *u, struct ui_pane *p);
const struct store_entry *ui_pane_at(struct ui *u, struct ui_pane *p, size_t pos);
unsigned ui_pane_filter_prompt(struct ui *u);
unsigned ui_pane_filter_clear(struct ui *u);
/* n (dir 1) and N (dir -1): the next or previous row, in either pane, that matches the
 * last filter `/` applied, wrapping around: after the focused pane's rows come the other
 * pane's. */
unsigned ui_pane_find_next(struct ui *u, int dir);
/* Sets the focused pane's filter ("" clears it); a message tells a parse error. */
void ui_pane_filter_set(struct ui *u, const char *text);
unsigned ui_pane_order_next(struct ui *u);
/* queues.c: the focused pane shows the next (1) or previous (-1) configured queue. */
unsigned ui_pane_queue_cycle(struct ui *u, int direction);
/* "urgency", "newest" or "waiting" (a prefix will do). */
unsigned ui_pane_order_set(struct ui *u, const char *name);
/* Marks: t/Space toggles the selected row; tags go to all marked rows. */
unsigned ui_mark_toggle(struct ui *u);
bool ui_marked(const struct ui *u, int64_t id);
void ui_marks_clear(struct ui *u);

/* pager.c */
struct ui_pager *ui_pager_push(struct ui *u, enum ui_pager_kind kind, const char *title);
struct ui_pager *ui_pager_top(struct ui *u);
void ui_pager_pop(struct ui *u);
void ui_pager_release_all(struct ui *u);
void ui_pager_add(struct ui_pager *p, enum ui_style style, bool bold, const char *text);
/* Adds s (sanitised here) wrapped to the view's width, indented by indent columns. */
void ui_pager_add_wrapped(struct ui_pager *p, enum ui_style style, const char *s, int indent);
/* The same for text that is one line, a title or a link: its newlines become spaces, so
 * it breaks only where the width makes it. */
void ui_pager_add_joined(struct ui_pager *p, enum ui_style style, const char *s, int indent);
/* The head of a results view of n results: "searching…" while it waits (false: nothing
 * more to add), then its error, and none when there is no result. */
bool ui_pager_results_head(struct ui_pager *p, size_t n, const char *none);
void ui_pager_clear_lines(struct ui_pager *p);
void ui_pager_draw(struct ui *u);
/* Builds the lines of p from its source for the current width. */
void ui_pager_build(struct ui *u, struct ui_pager *p);
unsigned ui_pager_scroll(struct ui *u, long delta);
unsigned ui_pager_jump(struct ui *u, bool end);
int ui_pager_rows(const struct ui *u);

/* thread.c */
unsigned ui_thread_open(struct ui *u, int64_t id);
void ui_thread_build(struct ui *u, struct ui_pager *p);
/* Each tick: the open conversation view's header is made again (countdown, state). */
void ui_ticked_threads(struct ui *u);
/* The customer panel of the conversation view: toggle; open the selected earlier
 * conversation; select the next one. */
unsigned ui_customer_toggle(struct ui *u);
unsigned ui_customer_open_selected(struct ui *u);
unsigned ui_customer_select_next(struct ui *u);
void ui_thread_refresh(struct ui *u, int64_t id);
/* Fetches again each open conversation view whose conversation changed since its thread
 * came (a reply from another frontline, the customer writing again). */
void ui_thread_follow(struct ui *u);
unsigned ui_help_open(struct ui *u);
void ui_help_build(struct ui *u, struct ui_pager *p);

/* compose.c */
/* r and c: the inline composer on the conversation's draft. */
unsigned ui_compose_start(struct ui *u, enum write_kind kind);
/* Hands the draft to $VISUAL/$EDITOR, the thread quoted below the scissors line. */
unsigned ui_compose_editor(struct ui *u);
/* The whole file (at most 1 MiB), or NULL. Returns a new string. */
char *ui_file_read(const char *path);
void ui_compose_child(struct ui *u);
unsigned ui_review_key(struct ui *u, int key);
/* The review's keys for the status bar ("s send · x send and close · ..."); changed: as
 * when a teammate's change is shown. Returns a new string. */
char *ui_review_hint(const struct ui *u, bool changed);
unsigned ui_review_send(struct ui *u, bool then_close);
/* collision.c */
void ui_collision_base(struct ui *u);
void ui_collision_check(struct ui *u);
bool ui_collision_may_send(struct ui *u, bool then_close);
const char *ui_collision_text(const struct ui *u);
void ui_collision_release(struct ui *u);
/* Frees the draft's path. */
void ui_compose_release(struct ui *u);
/* q on the queues: quits, or asks first when a draft in drafts/ was not sent. */
unsigned ui_quit_ask(struct ui *u);
/* C-c on the queues: as q; a second C-c, while q's question is asked, quits. */
unsigned ui_quit_interrupt(struct ui *u);
/* Whether q's question about unsent drafts is on the status row. */
bool ui_quit_asking(const struct ui *u);

/* composer.c */
/* Replaces path with text (written, synced, renamed into place). 0, or -1 and errno. */
int ui_draft_write(const char *path, const char *text);
/* Adds text to the draft at path as a paragraph of its own. 0, or -1 and errno. */
int ui_draft_add_paragraph(const char *path, const char *text);
/* Inserts text at the composer's cursor as a paragraph of its own; false when it would
 * pass the composer's limit or the locale cannot hold it. */
bool ui_composer_insert_paragraph(struct ui *u, const char *utf8);
/* saved.c: C-r in the composer, saved-reply in the conversation view: the saved replies
 * (the backend's visible to the agent, and the agent's own files) in a prompt that
 * filters them by a fuzzy match; Enter puts the best one, its placeholders filled, into
 * the reply. */
unsigned ui_saved_reply_pick(struct ui *u);
void ui_saved_release(struct ui *u);

/* team.c: the team-load view */
unsigned ui_team_open(struct ui *u);
void ui_team_build(struct ui *u, struct ui_pager *p);
void ui_team_release(struct ui *u);
/* An admin's conversations held in the store (each once): open, snoozed, and the open one
 * waiting longest for a reply (its id, 0 for none, and since when). */
struct ui_team_load {
	size_t open, snoozed;
	int64_t oldest;
	fl_time oldest_since;
};
void ui_team_load_count(const struct store *s, size_t n_queues, int64_t admin,
			struct ui_team_load *load);

/* today.c */
/* Counts today's first replies per queue in the background, now and every few minutes;
 * once the queues are synced (a second call does nothing). */
void ui_today_start(struct ui *u);
/* "  94 % ≤ 2m today" for a queue's title, in buf; "" before the first count, after an
 * error (said once on the status bar) or with no reply today. */
const char *ui_today_text(const struct ui *u, int queue, char *buf, size_t size);
void ui_today_release(struct ui *u);
unsigned ui_composer_open(struct ui *u);
/* Saves and closes the composer. */
void ui_composer_close(struct ui *u);
/* Reads the draft file into the composer. */
void ui_composer_load(struct ui *u);
/* Writes the text to the draft file if it changed (an empty text removes the file). */
int ui_composer_save(struct ui *u);
unsigned ui_composer_key(struct ui *u, int key);
/* Rows the composer takes above the status bar; 0 when closed. */
int ui_composer_rows(const struct ui *u);
void ui_composer_draw(struct ui *u);
/* The text as UTF-8. Returns a new string. */
char *ui_composer_text(const struct ui *u);
const char *ui_composer_hint(const struct ui *u);

/* tags.c */
unsigned ui_tags_prompt(struct ui *u);
/* "+a -b" on the marked conversations, else the current one; asks before creating. */
void ui_tags_apply(struct ui *u, const char *text);
/* Tab: the prompt's last word, after its + or -, completed from the backend's tags. */
void ui_tags_complete(struct ui *u);
void ui_tags_release(struct ui *u);

/* writes.c: every write the screen makes goes through these. Each is stored in the
 * outbox at once, whatever else is on its way, and says on the message line when it
 * went, failed, or waits in the outbox. */
/* Stores w and watches it; what names it in the messages ("close #12"). 0, or -1 when it
 * could not be stored (the message says why). */
int ui_write_send(struct ui *u, const struct write_op *w, const char *what);
/* The same for a tag added or removed by name (w->tag 0): the sender finds the tag, or
 * creates one to add. */
int ui_write_send_named(struct ui *u, const struct write_op *w, const char *tag_name,
			const char *what);
/* A reply or note whose text is in the file draft, removed once the backend has it (kept
 * when it failed); with then_close, the conversation is closed once it went. */
int ui_write_send_draft(struct ui *u, const struct write_op *w, const char *what, const char *draft,
			bool then_close);
/* Whether the text of the draft file at path is on its way. */
bool ui_write_sending_draft(const struct ui *u, const char *path);
void ui_writes_release(struct ui *u);
/* Whether a write goes to the marked rows (on the queues, with rows marked). */
bool ui_marks_apply(const struct ui *u);
/* The conversations an action applies to, into *ids (the caller frees it): the marked
 * rows in marking order (the marks are used up), else fallback, else the current one.
 * Returns how many (0: none, *ids NULL). */
size_t ui_marks_take(struct ui *u, int64_t fallback, int64_t **ids);
/* The prompt "what (hint): " (" for the marked" when rows are marked) whose text done
 * gets, Tab calling complete; 0 when there is nothing to act on. */
unsigned ui_marks_prompt(struct ui *u, const char *what, const char *hint,
			 void (*done)(struct ui *u, const char *text), void (*complete)(struct ui *u));
/* The writes to conversation id on their way (waiting to be undone, or sent and not
 * answered yet), e.g. "close #12, add tag vip on #12"; NULL when none. A new string. */
char *ui_writes_pending(const struct ui *u, int64_t id);
/* Before an action submits its writes: they report as one when they come back, e.g.
 * "close: 2 done, 1 failed (#72: reason)". */
void ui_write_batch_begin(struct ui *u);
/* After n writes of one action were submitted, stored of them: says "what: n queued"
 * when they were several and all were stored; closes the batch ui_write_batch_begin
 * opened (a single write reports alone, as "what #id: done"). */
void ui_write_queued(struct ui *u, const char *what, size_t stored, size_t n);
/* Sends w to every marked conversation at once (the marks are used up), else to
 * w->conversation or the current one; messages say "what #id detail". */
unsigned ui_write_each(struct ui *u, const struct write_op *w, const char *what,
		       const char *detail);
/* The priority of the conversation (or the marked): a one-key menu, or a level's word. */
unsigned ui_priority_menu(struct ui *u);
unsigned ui_priority_text(struct ui *u, const char *text);
unsigned ui_write_simple(struct ui *u, enum write_kind kind, const char *what);
/* Tells the backend, through the outbox and without a message, that id was read. */
void ui_write_read(struct ui *u, int64_t id);
/* assign.c: to a teammate, a team, me or nobody (the marked rows, else the current one):
 * a prompt with completion, or a name typed after :assign. */
unsigned ui_assign_prompt(struct ui *u);
unsigned ui_assign_text(struct ui *u, const char *text);
/* Undo: between ui_undo_begin and ui_undo_end, the writes of an action of a kind that
 * may be undone (close, snooze, assign, untag) wait undo_delay in the outbox; ui_undo
 * takes them back (u); ui_undo_hint is the status bar's "close #12 — u undo (4s)", or
 * NULL. */
void ui_undo_begin(struct ui *u, enum write_kind kind, const char *what);
void ui_undo_end(struct ui *u);
unsigned ui_undo(struct ui *u);
char *ui_undo_hint(const struct ui *u);

/* closed.c: the list of conversations closed from here in the last 24 hours */
unsigned ui_closed_open(struct ui *u);
void ui_closed_build(struct ui *u, struct ui_pager *p);
/* The selected one in the list on top, or 0. */
int64_t ui_closed_selected(struct ui *u);

/* snooze.c */
unsigned ui_snooze_menu(struct ui *u);
/* Snoozes for a duration typed like "90m" (the marked rows, else the current one). */
unsigned ui_snooze_text(struct ui *u, const char *text);
/* When a preset ends, from now (Unix seconds) in local time: 0 for 1 hour, 1 for 4
 * hours, 2 for tomorrow 9:00, 3 for next Monday 9:00. */
fl_time ui_snooze_preset(int preset, fl_time now);

/* alerts.c: SLA events and news to the notifier, its messages to the status bar, the
 * counts to the terminal's title. Init after curses is up; tick on every engine change;
 * release returns true when the process should end with _exit (notifier_free). */
void ui_alerts_init(struct ui *u);
void ui_alerts_tick(struct ui *u);
bool ui_alerts_release(struct ui *u);
/* The engine's listener callbacks (arg is the struct ui). */
void ui_alerts_sla(void *arg, const struct store_entry *e, enum sla_event ev);
void ui_alerts_new_conversation(void *arg, const struct store_entry *e);
void ui_alerts_new_message(void *arg, const struct store_entry *e);

/* helpcenter.c */
void ui_articles_open_index(struct ui *u);
void ui_articles_refresh(struct ui *u);
unsigned ui_articles_prompt(struct ui *u);
/* Searches the help center for query and shows the results. */
unsigned ui_articles_search(struct ui *u, const char *query);
void ui_articles_build(struct ui *u, struct ui_pager *p);
unsigned ui_articles_open_selected(struct ui *u);
/* Keywords of text for a help-center search: words without punctuation and stop words,
 * lowercased, each once, at most max of them (the longest when there are more), in the
 * order they appear. Returns a new string ("" when none). */
char *ui_articles_keywords(const char *text, size_t max);
/* The customer's last message in t (the last message part not from an admin), else the
 * opening message, as plain text. Returns a new string, NULL when there is none. */
char *ui_articles_customer_text(const struct thread *t);
/* Fills p->suggested from the local index for the customer's last message of p's thread;
 * never waits on the network. */
void ui_articles_suggest(struct ui *u, struct ui_pager *p);
/* Opens suggestion n (0-based) of the conversation view on top. */
unsigned ui_articles_open_suggested(struct ui *u, size_t n);
/* Appends the title and URL of the article of the view on top (the selected result or the
 * article being read) to the reply draft of its conversation. */
unsigned ui_articles_insert(struct ui *u);

/* search.c: every conversation of the backend (convsearch.h) in a results view. */
unsigned ui_search_prompt(struct ui *u);
unsigned ui_search_run(struct ui *u, const char *text);
void ui_search_build(struct ui *u, struct ui_pager *p);
/* The id of p's selected result when p is a search view, else 0. */
int64_t ui_search_selected(const struct ui_pager *p);

#endif
