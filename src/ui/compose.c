/* compose.c: replies and notes through $VISUAL/$EDITOR with a review step, and the
 * other writes (assign, close, tags). The agent's text lives in a file in the drafts
 * directory until the backend confirmed it, so it survives a failed send or a crash.
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
#include "sender.h"
#include "ui-private.h"
#include "util.h"

#define DRAFT_MAX (1u << 20)

extern char **environ;

static const char *kind_word(enum backend_write_kind k)
{
	return k == WRITE_NOTE ? "note" : "reply";
}

void ui_write_release(struct ui *u)
{
	free(u->write.text);
	free(u->write.what);
	free(u->write.draft);
	free(u->write.tags_left);
	free(u->write.creating);
	free(u->write.tags_all);
	free(u->write.targets);
	free(u->write.created_name);
	memset(&u->write, 0, sizeof(u->write));
	free(u->draft.path);
	memset(&u->draft, 0, sizeof(u->draft));
}

/* The whole file, or NULL. */
static char *read_file(const char *path)
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

/* The text to send: without the white space an editor leaves at the end; NULL if blank. */
static char *draft_text(const char *path)
{
	char *text = read_file(path);
	size_t n;

	if (!text)
		return NULL;
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

unsigned ui_compose_start(struct ui *u, enum backend_write_kind kind)
{
	int64_t id = ui_current_conversation(u);
	char *dir;
	int fd;

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
	dir = xasprintf("%s/drafts", u->cfg->state_dir);
	free(u->draft.path);
	/* One file per conversation and kind: an unsent draft is picked up again. */
	u->draft.path = xasprintf("%s/%s-%lld.txt", dir, kind_word(kind), (long long)id);
	if (util_mkdir_p(dir, 0700) != 0 ||
	    (fd = open(u->draft.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		ui_message(u, true, "cannot write %s: %s", u->draft.path, strerror(errno));
		free(dir);
		return UI_DIRTY_STATUS;
	}
	close(fd);
	free(dir);
	u->draft.active = true;
	u->draft.kind = kind;
	u->draft.conversation = id;
	if (editor_start(u) < 0)
		u->draft.active = false;
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
		return;
	}
	free(text);
	if (r > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		ui_message(u, true, "the editor failed; the draft is kept");
	u->mode = UI_MODE_REVIEW;
	u->dirty |= UI_DIRTY_STATUS;
}

static void on_write_done(void *arg, const char *error, bool ambiguous);

/* The write on its way (the one watched) went, failed, or waits in the outbox for the
 * backend: the screen goes on either way. */
static void on_outbox_item(void *arg, const struct outbox_item *it)
{
	struct ui *u = arg;
	char *what;

	if (it->state == OUTBOX_SENDING)
		return;
	sender_forget(u->engine.sender, u);
	if (it->state == OUTBOX_SENT) {
		on_write_done(u, NULL, false);
	} else if (it->state == OUTBOX_FAILED || it->state == OUTBOX_GONE) {
		/* the draft keeps a reply's text: one copy, where r and c find it */
		if (it->state == OUTBOX_FAILED && (u->write.draft || !it->body))
			(void)sender_discard(u->engine.sender, it->id);
		on_write_done(u, it->error ? it->error : "discarded from the outbox", false);
	} else {
		/* stored, not sent yet: the outbox holds the text now, and sends it in the
		 * background (the status bar counts it) */
		what = xstrdup(u->write.what);
		on_write_done(u, NULL, false);
		ui_message(u, it->state == OUTBOX_AMBIGUOUS, "%s waits in the outbox (%s); it goes "
							    "when the backend answers",
			   what, it->error ? it->error : "not sent yet");
		free(what);
	}
}

void ui_write_send(struct ui *u, const struct backend_write *w, const char *what)
{
	char err[256] = "no outbox";

	u->write.inflight = true;
	u->write.w = *w;
	free(u->write.what);
	u->write.what = xstrdup(what);
	ui_message(u, false, "%s…", what);
	/* Stored before it goes; nothing goes unless it was stored. */
	if (!u->engine.sender || sender_submit(u->engine.sender, w, NULL, on_outbox_item, u, err,
					       sizeof(err)) < 0)
		on_write_done(u, err, false);
}

static void tags_next(struct ui *u);
static void tags_stop(struct ui *u);

static void on_write_done(void *arg, const char *error, bool ambiguous)
{
	struct ui *u = arg;
	int64_t id = u->write.w.conversation;

	u->write.inflight = false;
	if (error) {
		if (u->write.draft)
			ui_message(u, true, "%s %s: %s; your text is in %s", u->write.what,
				   ambiguous
				       ? "may or may not have gone (check before sending again)"
				       : "failed",
				   error, u->write.draft);
		else
			ui_message(u, true, "%s %s: %s", u->write.what,
				   ambiguous ? "may or may not have happened" : "failed", error);
		tags_stop(u);
	} else {
		if (u->write.draft && unlink(u->write.draft) != 0 && errno != ENOENT)
			ui_message(u, true, "%s: done, but %s stays: %s", u->write.what,
				   u->write.draft, strerror(errno));
		else
			ui_message(u, false, "%s: done", u->write.what);
	}
	free(u->write.draft);
	u->write.draft = NULL;
	free(u->write.text);
	u->write.text = NULL;
	engine_poll_now(&u->engine);
	ui_thread_refresh(u, id);
	if (u->write.tags_left)
		tags_next(u);
}

static unsigned review_send(struct ui *u)
{
	struct backend_write w = {.kind = u->draft.kind, .conversation = u->draft.conversation};
	char *what, *text = draft_text(u->draft.path);

	if (!text) {
		ui_message(u, true, "the draft %s is empty or gone", u->draft.path);
		u->draft.active = false;
		u->mode = UI_MODE_NORMAL;
		return UI_DIRTY_STATUS;
	}
	if (u->write.inflight) {
		free(text);
		ui_message(u, true, "another write is still on its way; try again in a moment");
		return UI_DIRTY_STATUS;
	}
	u->write.text = text;
	u->write.draft = xstrdup(u->draft.path);
	w.body = text;
	what = xasprintf("%s to #%lld", kind_word(w.kind), (long long)w.conversation);
	ui_write_send(u, &w, what);
	free(what);
	u->draft.active = false;
	u->mode = UI_MODE_NORMAL;
	return UI_DIRTY_STATUS;
}

/* The review step after the editor: s send, e edit again, t reply <-> note, d discard. */
unsigned ui_review_key(struct ui *u, int key)
{
	switch (key) {
	case 's':
	case 'y':
		return review_send(u);
	case 'e':
		if (editor_start(u) < 0)
			u->mode = UI_MODE_REVIEW;
		return UI_DIRTY_STATUS;
	case 't':
		u->draft.kind = u->draft.kind == WRITE_NOTE ? WRITE_REPLY : WRITE_NOTE;
		return UI_DIRTY_STATUS;
	case 'd':
		if (unlink(u->draft.path) != 0 && errno != ENOENT) {
			ui_message(u, true, "cannot remove %s: %s", u->draft.path, strerror(errno));
			return UI_DIRTY_STATUS;
		}
		ui_message(u, false, "the %s was discarded", kind_word(u->draft.kind));
		u->draft.active = false;
		u->mode = UI_MODE_NORMAL;
		return UI_DIRTY_STATUS;
	case 27:
	case 'q':
		ui_message(u, false, "the draft stays in %s; r or c picks it up again",
			   u->draft.path);
		u->draft.active = false;
		u->mode = UI_MODE_NORMAL;
		return UI_DIRTY_STATUS;
	default:
		return 0;
	}
}

unsigned ui_write_simple(struct ui *u, enum backend_write_kind kind, const char *what)
{
	struct backend_write w = {.kind = kind, .conversation = ui_current_conversation(u)};
	char *msg;

	if (!w.conversation)
		return 0;
	if (u->write.inflight) {
		ui_message(u, true, "another write is still on its way; try again in a moment");
		return UI_DIRTY_STATUS;
	}
	msg = xasprintf("%s #%lld", what, (long long)w.conversation);
	ui_write_send(u, &w, msg);
	free(msg);
	return UI_DIRTY_STATUS;
}

/* ---- tags: "+name -name", one write after the other ---- */

static void on_tag_created(void *arg, int64_t tag_id, const char *error)
{
	struct ui *u = arg;
	struct backend_write w = {
	    .kind = WRITE_TAG, .conversation = u->write.w.conversation, .tag = tag_id};
	char *what;

	u->write.inflight = false;
	if (error) {
		ui_message(u, true, "cannot create the tag \"%s\": %s", u->write.creating, error);
		tags_stop(u);
		return;
	}
	/* the directory does not know it yet: the next conversations need its id too */
	u->write.created_tag = tag_id;
	free(u->write.created_name);
	u->write.created_name = xstrdup(u->write.creating);
	what = xasprintf("created and added tag %s on #%lld", u->write.creating,
			 (long long)w.conversation);
	ui_write_send(u, &w, what);
	free(what);
}

static void tags_stop(struct ui *u)
{
	free(u->write.tags_left);
	u->write.tags_left = NULL;
	free(u->write.tags_all);
	u->write.tags_all = NULL;
	free(u->write.targets);
	u->write.targets = NULL;
	u->write.n_targets = 0;
}

/* Done with the tags of one conversation: the same tags on the next target, if any. */
static bool tags_next_target(struct ui *u)
{
	if (!u->write.n_targets || !u->write.tags_all) {
		tags_stop(u);
		return false;
	}
	u->write.w.conversation = u->write.targets[0];
	memmove(u->write.targets, u->write.targets + 1,
		(u->write.n_targets - 1) * sizeof(*u->write.targets));
	u->write.n_targets--;
	free(u->write.tags_left);
	u->write.tags_left = xstrdup(u->write.tags_all);
	return true;
}

static int64_t tag_find(struct ui *u, const char *name)
{
	const struct directory *d = u->engine.dir;
	int64_t tag = d ? directory_find(d->tags, d->n_tags, name) : 0;

	if (!tag && u->write.created_name && strcmp(u->write.created_name, name) == 0)
		tag = u->write.created_tag;
	return tag;
}

static void tags_next(struct ui *u)
{
	char *rest = u->write.tags_left, *word, *save = NULL, *what;
	struct backend_write w = {0};
	int64_t tag;
	bool add;

	word = rest ? strtok_r(rest, " \t,", &save) : NULL;
	if (!word) {
		if (tags_next_target(u))
			tags_next(u);
		return;
	}
	w.conversation = u->write.w.conversation;
	/* word and save point into rest, which goes once they are copied */
	u->write.tags_left = xstrdup(save ? save : "");
	add = word[0] != '-';
	if (word[0] == '+' || word[0] == '-')
		word++;
	free(u->write.creating);
	u->write.creating = xstrdup(word);
	free(rest);
	word = u->write.creating;
	tag = *word ? tag_find(u, word) : 0;
	if (!tag && (!add || !*word)) {
		ui_message(u, true, "no tag named \"%s\"", word);
		tags_next(u);
		return;
	}
	if (!tag) {
		u->write.inflight = true;
		u->engine.ops->create_tag(u->engine.backend, word, on_tag_created, u);
		return;
	}
	w.kind = add ? WRITE_TAG : WRITE_UNTAG;
	w.tag = tag;
	what = xasprintf("%s tag %s on #%lld", add ? "add" : "remove", word,
			 (long long)w.conversation);
	ui_write_send(u, &w, what);
	free(what);
}

/* The tags go to every marked conversation (in marking order), else to the current one;
 * the marks are used up. */
static void on_tags_entered(struct ui *u, const char *text)
{
	size_t n = u->n_pagers ? 0 : u->n_marks;

	if (!text[strspn(text, " \t,")])
		return;
	tags_stop(u);
	if (n) {
		u->write.w.conversation = u->marks[0];
		u->write.targets = xmalloc(n * sizeof(*u->write.targets));
		memcpy(u->write.targets, u->marks + 1, (n - 1) * sizeof(*u->marks));
		u->write.n_targets = n - 1;
		ui_marks_clear(u);
	}
	u->write.tags_all = xstrdup(text);
	u->write.tags_left = xstrdup(text);
	tags_next(u);
	u->dirty |= UI_DIRTY_STATUS;
}

unsigned ui_tags_prompt(struct ui *u)
{
	int64_t id = ui_current_conversation(u);
	size_t marked = u->n_pagers ? 0 : u->n_marks; /* a conversation view tags its own */

	if ((!id && !marked) || !u->engine.dir)
		return 0;
	if (u->write.inflight) {
		ui_message(u, true, "another write is still on its way; try again in a moment");
		return UI_DIRTY_STATUS;
	}
	u->write.w.conversation = id;
	if (marked)
		ui_prompt_start(u,
				marked == 1 ? "tags for 1 marked (+add -remove): "
					    : "tags for the marked (+add -remove): ",
				"", on_tags_entered);
	else
		ui_prompt_start(u, "tags (+add -remove): ", "", on_tags_entered);
	return UI_DIRTY_STATUS;
}

/* ---- quitting with an unsent draft ---- */

/* The conversation of a draft left in drafts/ ("reply-12.txt", "note-12.txt"), other
 * than the one on its way to the backend; 0 if none. */
static int64_t unsent_draft(struct ui *u)
{
	char *path;
	DIR *dir;
	struct dirent *d;
	long long id = 0;
	int64_t found = 0;

	if (!u->cfg->state_dir)
		return 0;
	path = xasprintf("%s/drafts", u->cfg->state_dir);
	dir = opendir(path);
	while (dir && !found && (d = readdir(dir)) != NULL) {
		char *full;
		struct stat st;
		int end = 0;

		if ((sscanf(d->d_name, "reply-%lld.txt%n", &id, &end) != 1 || !end) &&
		    (sscanf(d->d_name, "note-%lld.txt%n", &id, &end) != 1 || !end))
			continue;
		if (id <= 0 || d->d_name[end] != '\0')
			continue;
		full = xasprintf("%s/%s", path, d->d_name);
		/* an empty file is what r leaves before the editor wrote anything */
		if (stat(full, &st) == 0 && st.st_size > 0 &&
		    !(u->write.draft && strcmp(u->write.draft, full) == 0))
			found = (int64_t)id;
		free(full);
	}
	if (dir)
		closedir(dir);
	free(path);
	return found;
}

static unsigned on_quit_answer(struct ui *u, int key)
{
	if (key == 'y' || key == 'Y')
		u->quit = true;
	return UI_DIRTY_STATUS;
}

unsigned ui_quit_ask(struct ui *u)
{
	int64_t id = unsent_draft(u);

	if (!id) {
		u->quit = true;
		return 0;
	}
	ui_choice_start(u, on_quit_answer, "unsent draft for #%lld — quit anyway? y/n",
			(long long)id);
	return UI_DIRTY_STATUS;
}
