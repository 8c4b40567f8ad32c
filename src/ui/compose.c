/* compose.c: replies and notes through $VISUAL/$EDITOR with a review step. The agent's
 * text lives in a file in the drafts directory until the backend confirmed it (writes.c
 * sends it), so it survives a failed send or a crash.
 * While the editor runs, the loop keeps polling and ticking; it only stops drawing. */
#include "build-config.h"

#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loop.h"
#include "store.h"
#include "text.h"
#include "ui-private.h"
#include "util.h"

#define DRAFT_MAX (1u << 20)

extern char **environ;

static const char *kind_word(enum write_kind k)
{
	return k == WRITE_NOTE ? "note" : "reply";
}

/* One file per conversation and kind ("drafts/reply-12.txt"): r or c finds it again. */
static char *draft_path(const struct ui *u, enum write_kind kind, int64_t id)
{
	return xasprintf("%s/drafts/%s-%lld.txt", u->cfg->state_dir, kind_word(kind),
			 (long long)id);
}

void ui_compose_release(struct ui *u)
{
	free(u->draft.path);
	ui_collision_release(u);
	memset(&u->draft, 0, sizeof(u->draft));
}

char *ui_file_read(const char *path)
{
	char *buf;
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	buf = xmalloc(DRAFT_MAX + 1);
	while (len < DRAFT_MAX && (n = read(fd, buf + len, DRAFT_MAX - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			close(fd);
			return NULL;
		}
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	return buf;
}

/* The text to send: without the quoted thread below the scissors line and the white
 * space an editor leaves at the end; NULL if blank. */
static char *draft_text(const char *path)
{
	char *raw = ui_file_read(path), *text;
	size_t n;

	if (!raw)
		return NULL;
	text = text_draft_clean(raw);
	free(raw);
	for (n = strlen(text); n > 0 && strchr(" \t\r\n", text[n - 1]); n--)
		text[n - 1] = '\0';
	if (!text[strspn(text, " \t\r\n")]) {
		free(text);
		return NULL;
	}
	return text;
}

/* Hands the terminal to the editor; the loop keeps running and ui_compose_child picks
 * the editor up when it exits (SIGCHLD). */
static int editor_start(struct ui *u)
{
	char *argv[] = {"/bin/sh", "-c",	  "exec ${VISUAL:-${EDITOR:-vi}} \"$1\"",
			"sh",	   u->draft.path, NULL};
	pid_t pid;
	int rc;

	ui_suspend_input(u);
	def_prog_mode();
	endwin();
	rc = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ);
	if (rc != 0) {
		reset_prog_mode();
		ui_resume_input(u);
		ui_message(u, true, "cannot run the editor: %s; your draft is %s", strerror(rc),
			   u->draft.path);
		return -1;
	}
	u->draft.editor = pid;
	u->mode = UI_MODE_EDITING;
	return 0;
}

unsigned ui_compose_start(struct ui *u, enum write_kind kind)
{
	int64_t id = ui_current_conversation(u);

	if (!id)
		return 0;
	if (u->draft.active) {
		ui_message(u, true, "finish the other draft first");
		return UI_DIRTY_STATUS;
	}
	if (!u->cfg->state_dir) {
		ui_message(u, true, "no state directory for drafts (set XDG_STATE_HOME or HOME)");
		return UI_DIRTY_STATUS;
	}
	free(u->draft.path);
	/* One file per conversation and kind: an unsent draft is picked up again, whether
	 * the composer, the editor or a crash left it. */
	u->draft.path = draft_path(u, kind, id);
	/* ...but not while its text is on its way: it goes once the backend has it */
	if (ui_write_sending_draft(u, u->draft.path)) {
		ui_message(u, true, "the %s to #%lld is on its way; try again in a moment",
			   kind_word(kind), (long long)id);
		return UI_DIRTY_STATUS;
	}
	u->draft.active = true;
	u->draft.kind = kind;
	u->draft.conversation = id;
	ui_collision_base(u);
	return ui_composer_open(u) | UI_DIRTY_STATUS;
}

/* The conversation quoted for the editor: the thread the conversation view fetched
 * (quoted as `reply` quotes it), else what the queue holds; each line a comment below the
 * scissors line. */
static void quote_thread(struct ui *u, FILE *f)
{
	const struct store_entry *e = store_get(u->engine.store, u->draft.conversation);
	struct thread t = {0};
	int i;
	char *quoted;

	for (i = u->n_pagers - 1; i >= 0; i--) {
		const struct ui_pager *p = &u->pagers[i];

		if (p->kind != UI_PAGER_THREAD || p->conversation != u->draft.conversation ||
		    !p->have_thread)
			continue;
		quoted = text_draft_quote(&p->thread, u->engine.dir);
		fputs(quoted, f);
		free(quoted);
		return;
	}
	/* no thread fetched: the queue's record, its opening message the one part */
	if (e) {
		struct thread_part part = {.kind = "source", .author = e->conv.customer,
					   .at = e->conv.created_at};

		t.conv = e->conv;
		part.body = conversation_preview(&e->conv);
		t.parts = &part;
		t.n_parts = 1;
		quoted = text_draft_quote(&t, u->engine.dir);
		free(part.body);
		fputs(quoted, f);
		free(quoted);
		return;
	}
	quoted = text_draft_quote(&t, u->engine.dir);
	fputs(quoted, f);
	free(quoted);
}

unsigned ui_compose_editor(struct ui *u)
{
	char *text = ui_composer_text(u), *file = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&file, &len);
	int rc = -1;

	if (f) {
		fprintf(f, "%s\n", text);
		quote_thread(u, f);
		if (fclose(f) == 0)
			rc = ui_draft_write(u->draft.path, file);
	}
	free(file);
	free(text);
	if (rc != 0) {
		ui_message(u, true, "cannot write %s: %s", u->draft.path, strerror(errno));
		return UI_DIRTY_STATUS;
	}
	if (editor_start(u) < 0) {
		/* the composer's text is in the file already: take it back without the quote */
		ui_composer_load(u);
		u->mode = UI_MODE_COMPOSE;
	}
	return UI_DIRTY_STATUS;
}

/* SIGCHLD: if it was the editor, take the screen back and review the draft. */
void ui_compose_child(struct ui *u)
{
	int status;
	pid_t r;
	char *text;

	if (u->mode != UI_MODE_EDITING || !u->draft.editor)
		return;
	r = waitpid(u->draft.editor, &status, WNOHANG);
	if (r == 0 || (r < 0 && errno == EINTR))
		return;
	u->draft.editor = 0;
	reset_prog_mode();
	ui_resume_input(u);
	u->mode = UI_MODE_NORMAL;
	u->dirty |= UI_DIRTY_LAYOUT;
	text = draft_text(u->draft.path);
	if (!text) {
		if (unlink(u->draft.path) != 0 && errno != ENOENT)
			ui_message(u, true, "cannot remove %s: %s", u->draft.path, strerror(errno));
		else
			ui_message(u, false, "nothing written: the %s was discarded",
				   kind_word(u->draft.kind));
		u->draft.active = false;
		ui_composer_close(u);
		return;
	}
	/* the file keeps the agent's words only, as the composer saves them */
	if (ui_draft_write(u->draft.path, text) != 0)
		ui_message(u, true, "cannot write %s: %s", u->draft.path, strerror(errno));
	free(text);
	ui_composer_load(u);
	if (r > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		ui_message(u, true, "the editor failed; the draft is kept");
	u->mode = UI_MODE_REVIEW;
	ui_collision_check(u);
	u->dirty |= UI_DIRTY_STATUS;
}

/* Sends the reviewed draft; with then_close, closes the conversation once it went. */
unsigned ui_review_send(struct ui *u, bool then_close)
{
	struct write_op w = {.kind = u->draft.kind, .conversation = u->draft.conversation};
	char *what, *text;

	if (ui_composer_save(u) != 0)
		return UI_DIRTY_STATUS;
	text = draft_text(u->draft.path);
	if (!text) {
		ui_message(u, true, "the draft is empty: nothing to send");
		u->mode = UI_MODE_COMPOSE;
		return UI_DIRTY_STATUS;
	}
	w.body = text;
	what = xasprintf("%s to #%lld", kind_word(w.kind), (long long)w.conversation);
	(void)ui_write_send_draft(u, &w, what, u->draft.path, then_close);
	free(what);
	free(text);
	u->draft.active = false;
	u->mode = UI_MODE_NORMAL;
	ui_composer_close(u);
	/* the cursor goes on to the next most urgent row, not after the one just answered */
	return ui_panes_most_urgent_except(u, w.conversation) | UI_DIRTY_STATUS | UI_DIRTY_LAYOUT;
}

/* A reply becomes a note and back; the file follows, so r or c finds it later. */
static void review_switch(struct ui *u)
{
	enum write_kind to = u->draft.kind == WRITE_NOTE ? WRITE_REPLY : WRITE_NOTE;
	char *path = draft_path(u, to, u->draft.conversation);

	if (access(path, F_OK) != 0 && rename(u->draft.path, path) == 0) {
		free(u->draft.path);
		u->draft.path = path;
	} else {
		free(path);
	}
	u->draft.kind = to;
}

static unsigned on_discard_answer(struct ui *u, int key)
{
	if (key != 'y' && key != 'Y') {
		u->mode = UI_MODE_REVIEW;
		return UI_DIRTY_STATUS;
	}
	if (unlink(u->draft.path) != 0 && errno != ENOENT) {
		ui_message(u, true, "cannot remove %s: %s", u->draft.path, strerror(errno));
		u->mode = UI_MODE_REVIEW;
		return UI_DIRTY_STATUS;
	}
	ui_message(u, false, "the %s was discarded", kind_word(u->draft.kind));
	u->draft.active = false;
	u->composer.unsaved = false;
	ui_composer_close(u);
	return UI_DIRTY_STATUS | UI_DIRTY_LAYOUT;
}

enum review_do {
	REVIEW_SEND,
	REVIEW_SEND_CLOSE,
	REVIEW_EDIT,
	REVIEW_EDITOR,
	REVIEW_SWITCH,
	REVIEW_DISCARD,
	REVIEW_LATER,
};

/* The review step's keys: its dispatch and its hint on the status bar both come from
 * here. word: the hint's, NULL for a key not hinted (y for s, Esc for q); word_changed:
 * the hint's when the review shows a teammate's change, NULL to leave the key out. */
static const struct review_key {
	int key;
	enum review_do what;
	const char *word, *word_changed;
} review_keys[] = {
    {'s', REVIEW_SEND, "send", "send anyway"},
    {'x', REVIEW_SEND_CLOSE, "send and close", NULL},
    {'e', REVIEW_EDIT, "edit", "back to edit"},
    {'v', REVIEW_EDITOR, "$EDITOR", NULL},
    {'t', REVIEW_SWITCH, "make it a", NULL},
    {'d', REVIEW_DISCARD, "discard", "discard"},
    {'q', REVIEW_LATER, "later", "later"},
    {'y', REVIEW_SEND, NULL, NULL},
    {27, REVIEW_LATER, NULL, NULL},
};

#define N_REVIEW_KEYS (sizeof(review_keys) / sizeof(review_keys[0]))

char *ui_review_hint(const struct ui *u, bool changed)
{
	char *s = xstrdup(""), *more, name[32];
	size_t i;

	for (i = 0; i < N_REVIEW_KEYS; i++) {
		const struct review_key *k = &review_keys[i];
		const char *word = changed ? k->word_changed : k->word;

		if (!word)
			continue;
		more = xasprintf("%s%s%s %s%s", s, *s ? " · " : "",
				 ui_key_name(k->key, name, sizeof(name)), word,
				 k->what != REVIEW_SWITCH	      ? ""
				 : u->draft.kind == WRITE_NOTE ? " reply"
								: " note");
		free(s);
		s = more;
	}
	return s;
}

/* The review step after the composer or the editor: send, send and close, edit again,
 * edit in $EDITOR, reply <-> note, discard (asks), later. */
unsigned ui_review_key(struct ui *u, int key)
{
	char again[32];
	size_t i;

	for (i = 0; i < N_REVIEW_KEYS && review_keys[i].key != key; i++)
		;
	if (i == N_REVIEW_KEYS)
		return 0;
	switch (review_keys[i].what) {
	case REVIEW_SEND:
	case REVIEW_SEND_CLOSE:
		if (!ui_collision_may_send(u, review_keys[i].what == REVIEW_SEND_CLOSE))
			return UI_DIRTY_STATUS;
		return ui_review_send(u, review_keys[i].what == REVIEW_SEND_CLOSE);
	case REVIEW_EDIT:
		u->mode = UI_MODE_COMPOSE;
		return UI_DIRTY_STATUS;
	case REVIEW_EDITOR:
		return ui_compose_editor(u);
	case REVIEW_SWITCH:
		review_switch(u);
		return UI_DIRTY_STATUS | UI_DIRTY_LAYOUT;
	case REVIEW_DISCARD:
		ui_choice_start(u, on_discard_answer, "discard the %s to #%lld? y/n",
				kind_word(u->draft.kind), (long long)u->draft.conversation);
		return UI_DIRTY_STATUS;
	case REVIEW_LATER:
		ui_message(u, false, "the draft stays in %s; %s picks it up again", u->draft.path,
			   ui_key_for(u, u->draft.kind == WRITE_NOTE ? "note" : "reply", again,
				      sizeof(again)));
		u->draft.active = false;
		u->mode = UI_MODE_NORMAL;
		ui_composer_close(u);
		return UI_DIRTY_STATUS | UI_DIRTY_LAYOUT;
	}
	return 0;
}

/* ---- quitting with an unsent draft ---- */

/* The conversations of the drafts left in drafts/ ("reply-12.txt", "note-12.txt"), other
 * than the one on its way to the backend: each once, in order, at most max; returns how
 * many there are (possibly more than max). */
static size_t unsent_drafts(struct ui *u, int64_t *ids, size_t max)
{
	char *path;
	DIR *dir;
	struct dirent *d;
	long long id = 0;
	size_t n = 0, total = 0, i;

	if (!u->cfg->state_dir)
		return 0;
	path = xasprintf("%s/drafts", u->cfg->state_dir);
	dir = opendir(path);
	while (dir && (d = readdir(dir)) != NULL) {
		char *full;
		struct stat st;
		int end = 0;
		bool unsent;

		if ((sscanf(d->d_name, "reply-%lld.txt%n", &id, &end) != 1 || !end) &&
		    (sscanf(d->d_name, "note-%lld.txt%n", &id, &end) != 1 || !end))
			continue;
		if (id <= 0 || d->d_name[end] != '\0')
			continue;
		full = xasprintf("%s/%s", path, d->d_name);
		/* an empty file is what r leaves before the editor wrote anything */
		unsent = stat(full, &st) == 0 && st.st_size > 0 && !ui_write_sending_draft(u, full);
		free(full);
		if (!unsent)
			continue;
		for (i = 0; i < n && ids[i] < id; i++)
			;
		if (i < n && ids[i] == id)
			continue;
		total++;
		if (i == max)
			continue;
		if (n == max)
			n--;
		memmove(ids + i + 1, ids + i, (n - i) * sizeof(ids[0]));
		ids[i] = (int64_t)id;
		n++;
	}
	if (dir)
		closedir(dir);
	free(path);
	return total;
}

static unsigned on_quit_answer(struct ui *u, int key)
{
	if (key == 'y' || key == 'Y')
		u->quit = true;
	return UI_DIRTY_STATUS;
}

unsigned ui_quit_ask(struct ui *u)
{
	int64_t ids[8];
	size_t n = unsent_drafts(u, ids, sizeof(ids) / sizeof(ids[0])), i;
	char list[128] = "";
	size_t len = 0;

	if (!n) {
		u->quit = true;
		return 0;
	}
	for (i = 0; i < n && i < sizeof(ids) / sizeof(ids[0]) && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s#%lld", i ? ", " : "",
					(long long)ids[i]);
	ui_choice_start(u, on_quit_answer, "%zu unsent draft%s: %s%s — quit anyway? y/n", n,
			n == 1 ? "" : "s", list, n > i ? ", …" : "");
	return UI_DIRTY_STATUS;
}

bool ui_quit_asking(const struct ui *u)
{
	return u->mode == UI_MODE_CHOICE && u->choice.key == on_quit_answer;
}

unsigned ui_quit_interrupt(struct ui *u)
{
	if (ui_quit_asking(u)) {
		u->quit = true;
		return 0;
	}
	return ui_quit_ask(u);
}
