/* notify.c: the notifier: filters events by each queue's level, coalesces bursts, and
 * fans each notification out to the desktop (desktop.c: libnotify on a thread of its own,
 * fed by a bounded queue), the terminal (BEL, OSC) and the user's command (spawned
 * without a shell, reaped without waiting). The caller's side never waits. */
#include "build-config.h"

#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wordexp.h>

#include "desktop.h"
#include "text.h"
#include "util.h"

extern char **environ;

#define PENDING_MAX 256 /* events waiting for the window to close; more are counted only */
#define STATUS_MAX  8	/* messages waiting for notifier_status */
/* Runs of the user's command waiting for the one before to end; more are skipped. */
#define COMMAND_QUEUE_MAX 32

/* One notification on its way out, single or summary. */
struct notify_message {
	enum notify_kind kind;
	int queue_index;
	unsigned long summarised; /* events summed up; 0 for a single one */
	const char *queue, *event;
	char *summary, *body;
	int64_t id; /* the conversation, or a negative id per queue and kind for summaries */
	const char *customer;
	const char *preview; /* redacted, or NULL */
	fl_time deadline;
};

struct pending {
	enum notify_kind kind;
	int queue;
	int64_t id;
	char *customer; /* sanitised */
	char *preview;	/* redacted, or NULL */
	fl_time deadline;
};

/* ---- the user's command ---- */

struct notify_command {
	const char *command; /* the config's, NULL for none */
	wordexp_t words;     /* its words, when split_error is 0 */
	int split_error;     /* wordexp's error, or -1 for no words at all */
	pid_t pid;	     /* the one still running, or 0 */
	char **waiting[COMMAND_QUEUE_MAX]; /* the environments of the runs to come, in order */
	size_t first, n_waiting;
	unsigned long skipped;
	bool told_slow, told_failed;
};

struct notifier;
static void notifier_tell(struct notifier *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A failed command is told once: a broken script must not flood the status line. */
static void command_failed(struct notify_command *cmd, struct notifier *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void command_failed(struct notify_command *cmd, struct notifier *n, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	if (cmd->told_failed)
		return;
	cmd->told_failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	notifier_tell(n, "notification command \"%s\" %s", cmd->command, msg);
}

static void command_reap(struct notify_command *cmd, struct notifier *n)
{
	pid_t r;
	int status;

	if (cmd->pid <= 0)
		return;
	do
		r = waitpid(cmd->pid, &status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return;
	cmd->pid = 0;
	if (r < 0)
		return; /* reaped by someone else (the UI's SIGCHLD handler): status unknown */
	if (WIFSIGNALED(status))
		command_failed(cmd, n, "was killed by signal %d", WTERMSIG(status));
	else if (WEXITSTATUS(status))
		command_failed(cmd, n, "failed with exit status %d", WEXITSTATUS(status));
}

/* The environment of the command: ours without FRONTLINE_* (the token among them), plus
 * the event's. Returns a NULL-terminated array; each string and the array are freed by
 * the caller. */
static char **command_environment(const struct notify_message *m)
{
	size_t n = 0, i, used = 0;
	char **env;

	while (environ[n])
		n++;
	env = xcalloc(n + 9, sizeof(*env));
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "FRONTLINE_", 10))
			env[used++] = xstrdup(environ[i]);
	env[used++] = xasprintf("FRONTLINE_EVENT=%s", m->summarised ? "summary" : m->event);
	env[used++] = xasprintf("FRONTLINE_KIND=%s", m->event);
	env[used++] = xasprintf("FRONTLINE_QUEUE=%s", m->queue);
	env[used++] = m->id > 0 ? xasprintf("FRONTLINE_CONVERSATION_ID=%lld", (long long)m->id)
				: xstrdup("FRONTLINE_CONVERSATION_ID=");
	env[used++] = xasprintf("FRONTLINE_CUSTOMER=%s", m->customer);
	env[used++] = m->deadline ? xasprintf("FRONTLINE_DEADLINE=%lld", (long long)m->deadline)
				  : xstrdup("FRONTLINE_DEADLINE=");
	env[used++] = xasprintf("FRONTLINE_SUMMARY=%s", m->summary);
	env[used++] = xasprintf("FRONTLINE_PREVIEW=%s", m->preview ? m->preview : "");
	env[used] = NULL;
	return env;
}

static void environment_free(char **env)
{
	size_t i;

	for (i = 0; env[i]; i++)
		free(env[i]);
	free(env);
}

/* Splits the command into words once, before the desktop thread starts: wordexp may
 * assign a variable (${NAME:=word} calls setenv), which is not safe beside other threads.
 * The environment the words come from does not change after start, so once is enough. */
static void command_split(struct notify_command *cmd)
{
	if (!cmd->command)
		return;
	cmd->split_error = wordexp(cmd->command, &cmd->words, WRDE_NOCMD | WRDE_UNDEF);
	if (!cmd->split_error && !cmd->words.we_wordc) {
		wordfree(&cmd->words);
		cmd->split_error = -1;
	}
}

/* The environment of the first run waiting, taken off the queue (which is not empty). */
static char **command_pop(struct notify_command *cmd)
{
	char **env = cmd->waiting[cmd->first];

	cmd->first = (cmd->first + 1) % COMMAND_QUEUE_MAX;
	cmd->n_waiting--;
	return env;
}

static void command_release(struct notify_command *cmd)
{
	while (cmd->n_waiting)
		environment_free(command_pop(cmd));
	if (cmd->command && !cmd->split_error)
		wordfree(&cmd->words);
}

/* Starts the command with env (freed here). Its stdin, stdout and stderr are /dev/null, so
 * it cannot draw over the screen. */
static void command_spawn(struct notify_command *cmd, struct notifier *n, char **env)
{
	posix_spawn_file_actions_t actions;
	int rc;

	rc = posix_spawn_file_actions_init(&actions);
	if (!rc) {
		rc = posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY,
						      0);
		if (!rc)
			rc = posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
							      O_WRONLY, 0);
		if (!rc)
			rc = posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO,
							      STDERR_FILENO);
		if (!rc)
			rc = posix_spawnp(&cmd->pid, cmd->words.we_wordv[0], &actions, NULL,
					  cmd->words.we_wordv, env);
		if (rc)
			cmd->pid = 0;
		posix_spawn_file_actions_destroy(&actions);
	}
	if (rc)
		command_failed(cmd, n, "cannot run: %s", strerror(rc));
	environment_free(env);
}

/* Reaps the run that ended and starts the next one waiting, one at a time and in order:
 * two notifications of the same second (a new conversation and its warning) both reach a
 * command that takes a moment, and a script that appends to a file sees them in order. */
static void command_pump(struct notify_command *cmd, struct notifier *n)
{
	command_reap(cmd, n);
	while (cmd->pid <= 0 && cmd->n_waiting)
		command_spawn(cmd, n, command_pop(cmd));
	if (!cmd->n_waiting)
		cmd->told_slow = false; /* caught up: a later backlog is told again */
}

/* Runs the command for m after those waiting; with COMMAND_QUEUE_MAX waiting behind one
 * that does not end, m is skipped (and that is told once a backlog). */
static void command_run(struct notify_command *cmd, struct notifier *n,
			const struct notify_message *m)
{
	if (!cmd->command)
		return;
	if (cmd->split_error) {
		command_failed(cmd, n, "cannot be split into words (error %d)",
			       cmd->split_error < 0 ? 0 : cmd->split_error);
		return;
	}
	command_pump(cmd, n); /* a run that ended makes room */
	if (cmd->n_waiting == COMMAND_QUEUE_MAX) {
		cmd->skipped++;
		if (!cmd->told_slow)
			notifier_tell(n,
				      "notification command \"%s\" is still running with %d runs "
				      "waiting; notifications are skipped until it ends",
				      cmd->command, COMMAND_QUEUE_MAX);
		cmd->told_slow = true;
		return;
	}
	cmd->waiting[(cmd->first + cmd->n_waiting) % COMMAND_QUEUE_MAX] = command_environment(m);
	cmd->n_waiting++;
	command_pump(cmd, n);
}

/* ---- the notifier ---- */

struct notifier {
	const struct config *cfg;
	struct notify_desktop *desktop; /* NULL when off, not built in or without a bus */
	char desktop_why[200];		/* why it is NULL though on, told at the first event */
	struct notify_command command;
	int terminal; /* fd for BEL and OSC, or -1 */
	const struct store *store; /* what is still true, or NULL */
	struct pending pending[PENDING_MAX];
	size_t n_pending;
	unsigned long overflow[CONFIG_MAX_QUEUES][NOTIFY_KINDS]; /* past PENDING_MAX */
	fl_time last_delivery[CONFIG_MAX_QUEUES][NOTIFY_KINDS];	 /* each window's start */
	unsigned long delivered;
	char *status[STATUS_MAX];
	size_t n_status;
	char *status_shown;
};

static const char *const kind_words[NOTIFY_KINDS] = {
    [NOTIFY_WARNING] = "warning",
    [NOTIFY_BREACH] = "breach",
    [NOTIFY_NEW_CONVERSATION] = "new",
    [NOTIFY_NEW_MESSAGE] = "message",
};

static void notifier_tell(struct notifier *n, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	if (n->n_status == STATUS_MAX) {
		free(msg);
		return;
	}
	n->status[n->n_status++] = msg;
}

struct notifier *notifier_new(const struct config *cfg, char *err, size_t errlen)
{
	struct notifier *n = xcalloc(1, sizeof(*n));
	char why[200];

	n->cfg = cfg;
	n->terminal = -1;
	n->command.command = cfg->notify.command;
	command_split(&n->command);
	if (!cfg->notify.desktop)
		return n;
	why[0] = '\0';
	(void)err, (void)errlen; /* every failure leaves the other channels */
	n->desktop = notify_desktop_start(why, sizeof(why));
	if (!n->desktop)
		snprintf(n->desktop_why, sizeof(n->desktop_why), "%s", why);
	return n;
}

static void pending_free(struct pending *p)
{
	free(p->customer);
	free(p->preview);
}

bool notifier_free(struct notifier *n)
{
	bool stuck;
	size_t i;

	if (!n)
		return false;
	stuck = notify_desktop_stop(n->desktop);
	command_release(&n->command);
	for (i = 0; i < n->n_pending; i++)
		pending_free(&n->pending[i]);
	for (i = 0; i < n->n_status; i++)
		free(n->status[i]);
	free(n->status_shown);
	free(n);
	return stuck;
}

void notifier_set_store(struct notifier *n, const struct store *store)
{
	n->store = store;
}

/* Whether an event of a conversation still holds: the conversation is still there with
 * the same deadline (an answer starts another clock, or none), and a warning or breach is
 * still its state (a breach supersedes the warning). */
static bool entry_event_true(const struct store_entry *e, enum notify_kind kind,
			     fl_time deadline)
{
	if (e->clock.kind == SLA_KIND_NONE || e->clock.deadline != deadline)
		return false;
	if (kind == NOTIFY_WARNING)
		return e->clock.state == SLA_WARNING;
	if (kind == NOTIFY_BREACH)
		return e->clock.state == SLA_BREACHED;
	return true;
}

/* In a conversation in several queues, each queue's clock has its own deadline: the
 * event holds if one of them still says it. */
static bool event_still_true(void *arg, int64_t id, enum notify_kind kind, fl_time deadline)
{
	const struct notifier *n = arg;
	unsigned queues = store_queues_of(n->store, id);
	int q;

	if (!queues)
		return false;
	if (!deadline)
		return true;
	for (q = 0; q < STORE_MAX_QUEUES; q++)
		if ((queues & (1u << q)) && entry_event_true(store_get_in(n->store, q, id), kind, deadline))
			return true;
	return false;
}

void notifier_set_terminal(struct notifier *n, int fd)
{
	n->terminal = fd >= 0 && isatty(fd) ? fd : -1;
}

static int queue_find(const struct config *cfg, const char *title)
{
	size_t i;

	for (i = 0; i < cfg->n_queues; i++)
		if (cfg->queues[i].title == title)
			return (int)i;
	for (i = 0; i < cfg->n_queues; i++) {
		const struct config_queue *q = &cfg->queues[i];

		if ((q->title && !strcmp(q->title, title)) || !strcmp(q->key, title))
			return (int)i;
	}
	return -1;
}

static bool level_wants(enum config_notify_level level, enum notify_kind kind)
{
	switch (kind) {
	case NOTIFY_WARNING:
	case NOTIFY_BREACH:
		return level >= CONFIG_NOTIFY_BREACH;
	case NOTIFY_NEW_CONVERSATION:
	case NOTIFY_NEW_MESSAGE:
		return level >= CONFIG_NOTIFY_NEW;
	}
	return false;
}

/* The redacted preview of c's opening message, if the configuration asks for one and
 * the kind has it (a new message's text is not in the record: its opening message would
 * mislead). NULL otherwise. */
static char *event_preview(const struct notifier *n, enum notify_kind kind,
			   const struct conversation *c)
{
	char *text, *preview;

	if (n->cfg->notify.preview != CONFIG_PREVIEW_REDACTED || kind == NOTIFY_NEW_MESSAGE)
		return NULL;
	text = conversation_preview(c);
	if (!text)
		return NULL;
	preview = notify_preview_redact(text, NOTIFY_PREVIEW_CHARS);
	free(text);
	return preview;
}

/* Records an event of the queue with that index (into cfg->queues). */
static void event_record(struct notifier *n, enum notify_kind kind, int queue,
			 const struct conversation *c, fl_time deadline)
{
	struct pending *p;

	if (queue < 0 || (size_t)queue >= n->cfg->n_queues || (unsigned)kind >= NOTIFY_KINDS ||
	    !level_wants(n->cfg->queues[queue].notify, kind))
		return;
	if (n->n_pending == PENDING_MAX) {
		n->overflow[queue][kind]++;
		return;
	}
	p = &n->pending[n->n_pending++];
	p->kind = kind;
	p->queue = queue;
	p->id = c->id;
	p->customer = text_sanitize(c->customer ? c->customer : "a customer", false);
	p->preview = event_preview(n, kind, c);
	p->deadline = deadline;
}

void notifier_event(struct notifier *n, enum notify_kind kind, const char *queue_title,
		    const struct conversation *c, fl_time deadline, fl_time now)
{
	(void)now;
	event_record(n, kind, queue_find(n->cfg, queue_title), c, deadline);
}

void notifier_entry_event(struct notifier *n, enum notify_kind kind, const struct store_entry *e,
			  fl_time now)
{
	(void)now;
	event_record(n, kind, e->queue, &e->conv, e->clock.deadline);
}

void notifier_sla_event(struct notifier *n, const struct store_entry *e, enum sla_event ev,
			fl_time now)
{
	if (ev != SLA_EVENT_NONE)
		notifier_entry_event(n, ev == SLA_EVENT_BREACHED ? NOTIFY_BREACH : NOTIFY_WARNING,
				     e, now);
}

static const char *queue_title(const struct notifier *n, int queue)
{
	const struct config_queue *q = &n->cfg->queues[queue];

	return q->title ? q->title : q->key;
}

static void clock_format(fl_time t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !localtime_r(&tt, &tm) || !strftime(buf, len, "%H:%M:%S", &tm))
		snprintf(buf, len, "?");
}

/* One event's words: no message text, only who, where and when. */
static void single_format(const struct notifier *n, const struct pending *p,
			  struct notify_message *m)
{
	const char *title = queue_title(n, p->queue);
	char at[16];

	clock_format(p->deadline, at, sizeof(at));
	switch (p->kind) {
	case NOTIFY_WARNING:
		m->summary = xasprintf("Reply due soon in %s", title);
		m->body = xasprintf("%s · #%lld · due %s", p->customer, (long long)p->id, at);
		break;
	case NOTIFY_BREACH:
		m->summary = xasprintf("SLA breached in %s", title);
		m->body = xasprintf("%s · #%lld · was due %s", p->customer, (long long)p->id, at);
		break;
	case NOTIFY_NEW_CONVERSATION:
		m->summary = xasprintf("New conversation in %s", title);
		m->body = xasprintf("%s · #%lld", p->customer, (long long)p->id);
		break;
	case NOTIFY_NEW_MESSAGE:
		m->summary = xasprintf("New message in %s", title);
		m->body = xasprintf("%s · #%lld", p->customer, (long long)p->id);
		break;
	}
	if (p->preview) {
		char *body = xasprintf("%s\n“%s”", m->body, p->preview);

		free(m->body);
		m->body = body;
	}
	m->id = p->id;
	m->customer = p->customer;
	m->preview = p->preview;
	m->deadline = p->deadline;
}

static void summary_format(const struct notifier *n, int queue, enum notify_kind kind,
			   unsigned long count, struct notify_message *m)
{
	static const char *const words[NOTIFY_KINDS] = {
	    [NOTIFY_WARNING] = "conversations near their deadline",
	    [NOTIFY_BREACH] = "conversations breached",
	    [NOTIFY_NEW_CONVERSATION] = "new conversations",
	    [NOTIFY_NEW_MESSAGE] = "new customer messages",
	};

	m->summary = xasprintf("%lu %s in %s", count, words[kind], queue_title(n, queue));
	m->body = xstrdup("");
	m->id = -(int64_t)(queue * NOTIFY_KINDS + (int)kind + 1); /* one per queue and kind */
	m->customer = "";
	m->deadline = 0;
}

static void terminal_deliver(struct notifier *n, const struct notify_message *m)
{
	char buf[1024];
	size_t len;
	ssize_t w;

	if (n->terminal < 0)
		return;
	len = notify_terminal_format(n->cfg->notify.bell, n->cfg->notify.osc, m->summary, m->body,
				     buf, sizeof(buf));
	/* A few bytes to a terminal; a short or failed write only loses the alert. */
	do
		w = write(n->terminal, buf, len);
	while (w < 0 && errno == EINTR);
}

static void deliver(struct notifier *n, struct notify_message *m, fl_time now)
{
	m->queue = queue_title(n, m->queue_index);
	m->event = kind_words[m->kind];
	if (n->desktop) {
		notify_desktop_post(n->desktop, m->id, m->kind, m->deadline, m->summarised,
				    m->summary, m->body);
	} else if (n->desktop_why[0]) {
		/* Said once, when it matters: a notification that cannot reach the desktop. */
		notifier_tell(n, "desktop notifications unavailable: %s", n->desktop_why);
		n->desktop_why[0] = '\0';
	}
	command_run(&n->command, n, m);
	terminal_deliver(n, m);
	n->delivered++;
	n->last_delivery[m->queue_index][m->kind] = now;
	free(m->summary);
	free(m->body);
}

/* What the thread found out, told once. */
static void desktop_status(struct notifier *n)
{
	char msg[256];

	if (n->desktop && notify_desktop_status(n->desktop, msg, sizeof(msg)))
		notifier_tell(n, "%s", msg);
}

/* Forgets the pending events of the queues and kinds just delivered. */
static void pending_drop(struct notifier *n, bool done[CONFIG_MAX_QUEUES][NOTIFY_KINDS])
{
	size_t i, kept = 0;

	for (i = 0; i < n->n_pending; i++) {
		struct pending *p = &n->pending[i];

		if (done[p->queue][p->kind])
			pending_free(p);
		else
			n->pending[kept++] = *p;
	}
	n->n_pending = kept;
}

/* Each queue and kind has its own window: a breach does not wait for the warning of
 * another conversation, only for the breaches told less than the window ago. */
void notifier_flush(struct notifier *n, fl_time now)
{
	unsigned long counts[CONFIG_MAX_QUEUES][NOTIFY_KINDS];
	bool done[CONFIG_MAX_QUEUES][NOTIFY_KINDS] = {{false}};
	int q, k;
	size_t i;

	command_pump(&n->command, n);
	desktop_status(n);
	/* What waits for a slow notification server and is over by now goes. */
	if (n->desktop && n->store)
		notify_desktop_filter(n->desktop, event_still_true, n);
	memcpy(counts, n->overflow, sizeof(counts));
	for (i = 0; i < n->n_pending; i++)
		counts[n->pending[i].queue][n->pending[i].kind]++;
	for (q = 0; q < (int)n->cfg->n_queues; q++) {
		for (k = 0; k < NOTIFY_KINDS; k++) {
			struct notify_message m = {.kind = (enum notify_kind)k,
						   .queue_index = q,
						   .summarised = counts[q][k]};

			if (!counts[q][k] || now - n->last_delivery[q][k] < NOTIFY_COALESCE_SECONDS)
				continue;
			done[q][k] = true;
			n->overflow[q][k] = 0;
			for (i = 0; i < n->n_pending; i++)
				if (n->pending[i].queue == q &&
				    n->pending[i].kind == (enum notify_kind)k)
					break;
			/* Several, or one that only the overflow counted: a summary. */
			if (counts[q][k] > 1 || i == n->n_pending) {
				summary_format(n, q, (enum notify_kind)k, counts[q][k], &m);
				deliver(n, &m, now);
				continue;
			}
			single_format(n, &n->pending[i], &m);
			m.summarised = 0;
			deliver(n, &m, now);
		}
	}
	pending_drop(n, done);
}

const char *notifier_status(struct notifier *n)
{
	free(n->status_shown);
	n->status_shown = NULL;
	desktop_status(n);
	if (!n->n_status)
		return NULL;
	n->status_shown = n->status[0];
	memmove(n->status, n->status + 1, --n->n_status * sizeof(n->status[0]));
	return n->status_shown;
}

void notifier_counts(struct notifier *n, struct notifier_counts *out)
{
	out->delivered = n->delivered;
	out->desktop_dropped = n->desktop ? notify_desktop_dropped(n->desktop) : 0;
	out->command_skipped = n->command.skipped;
}

/* Appends s without control characters (already made visible by text_sanitize, but the
 * config's titles are not) and, inside OSC 777's fields, without semicolons. */
static size_t osc_put(char *buf, size_t used, size_t len, const char *s, bool semicolons)
{
	for (; *s && used + 1 < len; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f)
			ch = ' ';
		else if (ch == ';' && !semicolons)
			ch = ',';
		buf[used++] = (char)ch;
	}
	return used;
}

size_t notify_terminal_format(bool bell, enum config_osc osc, const char *title, const char *body,
			      char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return 0;
	/* Room for the sequence's end is kept back, so a cut title still closes it. */
	if (len < 16) {
		buf[0] = '\0';
		return 0;
	}
	if (bell)
		buf[used++] = '\a';
	if (osc == CONFIG_OSC_777) {
		used += (size_t)snprintf(buf + used, len - used, "\033]777;notify;");
		used = osc_put(buf, used, len - 2, title, false);
		if (used + 3 < len)
			buf[used++] = ';';
		used = osc_put(buf, used, len - 2, body, false);
		buf[used++] = '\a';
	} else if (osc == CONFIG_OSC_9) {
		used += (size_t)snprintf(buf + used, len - used, "\033]9;");
		used = osc_put(buf, used, len - 2, title, true);
		if (*body && used + 4 < len)
			buf[used++] = ':', buf[used++] = ' ';
		used = osc_put(buf, used, len - 2, body, true);
		buf[used++] = '\a';
	}
	buf[used] = '\0';
	return used;
}

/* Every word with an @ becomes "[email]", every ASCII digit "#". Returns a new string. */
static char *preview_mask(const char *s)
{
	char *out = xmalloc(7 * strlen(s) + 1), *w = out; /* a 1-byte word may become 7 */

	while (*s) {
		size_t len = strcspn(s, " ");

		if (memchr(s, '@', len)) {
			memcpy(w, "[email]", 7);
			w += 7;
			s += len;
		} else {
			for (; len; s++, len--)
				*w++ = *s >= '0' && *s <= '9' ? '#' : *s;
		}
		while (*s == ' ')
			*w++ = *s++;
	}
	*w = '\0';
	return out;
}

char *notify_preview_redact(const char *text, size_t max_chars)
{
	char *safe = text_sanitize(text, false), *masked = preview_mask(safe), *out;
	size_t at = 0, chars = 0;

	free(safe);
	while (masked[at] && chars < max_chars) {
		at++;
		while (((unsigned char)masked[at] & 0xc0) == 0x80)
			at++;
		chars++;
	}
	if (!masked[at])
		return masked;
	while (at > 0 && masked[at - 1] == ' ')
		at--;
	out = xasprintf("%.*s…", (int)at, masked);
	free(masked);
	return out;
}
