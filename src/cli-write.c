/* cli-write.c: the commands that write (reply, tag) and the outbox command: every write
 * is stored in the outbox first (sender.h), then waited for; what could not be sent is
 * taken back and the agent's text kept in drafts/. */
#include "build-config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli-private.h"
#include "loop.h"
#include "model.h"
#include "outbox.h"
#include "sender.h"
#include "text.h"
#include "util.h"

#define BODY_MAX (1u << 20)
/* reply and tag keep trying this long, then take back what has not gone... */
#define SEND_PATIENCE_MS 20000
/* ...and wait this much longer for a request in flight to end. */
#define SEND_GRACE_MS 45000

extern char **environ;

/* ---- writes: stored in the outbox, then sent ---- */

static void on_item(void *arg, const struct outbox_item *it)
{
	struct cli *c = arg;
	size_t i;

	for (i = 0; i < c->n_items; i++)
		if (c->items[i].id == it->id) {
			c->items[i].state = it->state;
			c->items[i].status = it->status;
			if (it->error)
				snprintf(c->items[i].error, sizeof(c->items[i].error), "%s",
					 it->error);
		}
}

/* Stores w in the outbox, watched. Returns 0, or -1 with c->error set. */
static int cli_submit(struct cli *c, const struct write_op *w, const char *tag_name)
{
	const char *refusal = engine_write_refusal(&c->engine);
	char err[256];
	int64_t id;

	if (refusal) {
		snprintf(c->error, sizeof(c->error), "%s", refusal);
		return -1;
	}
	if (!c->n_items)
		cli_agent_warn(c);
	/* Room first: once submitted, the write is in the outbox and must be followed. */
	if (util_grow(&c->items, &c->cap_items, c->n_items + 1, sizeof(*c->items)) < 0) {
		snprintf(c->error, sizeof(c->error), "out of memory");
		return -1;
	}
	if (!c->engine.sender)
		c->engine.sender = engine_sender_new(&c->engine, SENDER_SUBMITTED, 100);
	id = sender_submit(c->engine.sender, w, tag_name, on_item, c, err, sizeof(err));
	if (id < 0) {
		snprintf(c->error, sizeof(c->error), "%s", err);
		return -1;
	}
	c->items[c->n_items++] = (struct cli_item){.id = id, .state = OUTBOX_PENDING};
	return 0;
}

static bool item_final(const struct cli_item *ci)
{
	return ci->withdrawn || ci->state == OUTBOX_SENT || ci->state == OUTBOX_FAILED ||
	       ci->state == OUTBOX_GONE;
}

static bool items_final(const struct cli *c)
{
	size_t i;

	for (i = 0; i < c->n_items; i++)
		if (!item_final(&c->items[i]))
			return false;
	return true;
}

/* Takes back from the outbox what has not gone and is not in flight: nothing is sent
 * behind the back of a command that said it failed. */
static void items_withdraw(struct cli *c)
{
	size_t i;

	for (i = 0; i < c->n_items; i++) {
		struct cli_item *ci = &c->items[i];
		enum outbox_state was = ci->state; /* not "gone": it was taken back */

		if (!item_final(ci) && sender_discard(c->engine.sender, ci->id) == 0) {
			ci->withdrawn = true;
			ci->state = was;
		}
	}
}

static void on_patience(void *arg)
{
	struct cli *c = arg;

	c->give_up = true;
}

/* Runs the loop until every item submitted is sent or failed, or, after the patience,
 * taken back; an item in flight at the end of the grace stays in the outbox (the next
 * sender checks it). Then waits for this process's requests to end. */
static void items_wait(struct cli *c)
{
	uint64_t patience = loop_timer_add(c->loop, SEND_PATIENCE_MS, on_patience, c);
	int64_t end = loop_now_ms() + SEND_PATIENCE_MS + SEND_GRACE_MS;

	while (!items_final(c) || sender_in_flight(c->engine.sender)) {
		if (c->give_up)
			items_withdraw(c);
		if (loop_now_ms() >= end || loop_run_once(c->loop, c->give_up ? 200 : -1) < 0)
			break;
	}
	if (!c->give_up)
		loop_timer_cancel(c->loop, patience);
}

/* The exit code for the items, with the first failure's message in c->error. */
static int items_outcome(struct cli *c)
{
	int code = CLI_OK;
	size_t i;

	for (i = 0; i < c->n_items; i++) {
		const struct cli_item *ci = &c->items[i];
		int this = CLI_OK;

		if (ci->state == OUTBOX_SENT)
			continue;
		if (ci->state == OUTBOX_GONE)
			snprintf(c->error, sizeof(c->error),
				 "discarded from the outbox before it went");
		if (!item_final(ci) || (ci->withdrawn && ci->state == OUTBOX_AMBIGUOUS))
			this = CLI_UNSURE;
		else if (ci->status == 404)
			this = CLI_NOT_FOUND;
		else
			this = CLI_FAILED;
		if (code == CLI_OK && ci->error[0])
			snprintf(c->error, sizeof(c->error), "%s", ci->error);
		if (code == CLI_OK || this == CLI_UNSURE)
			code = this;
	}
	if (code != CLI_OK && !c->error[0])
		snprintf(c->error, sizeof(c->error), "the backend could not be reached");
	return code;
}

/* The command's exit code for the items' outcome; an unsure one says what may have been
 * made. */
static int items_report(struct cli *c, int code, const char *what)
{
	if (code == CLI_UNSURE)
		fprintf(stderr,
			"%s: the answer was lost: %s may or may not have been made; check the "
			"conversation\n",
			util_progname(), what);
	return code == CLI_OK ? CLI_OK : cli_fail(c, code);
}

/* Waits for what was submitted (items_wait), then says how it went (items_outcome). */
static int items_send(struct cli *c)
{
	items_wait(c);
	return items_outcome(c);
}

/* Everything fd holds, up to max bytes. NULL on a read error, with errno EFBIG when
 * there is more than max, or EILSEQ when it holds a NUL byte (UTF-16, a binary file):
 * a reply is never cut short without a word. */
static char *read_all(int fd, size_t max)
{
	char *buf = xmalloc(max + 2);
	size_t len = 0;
	ssize_t n;

	/* one byte more than max tells a text of max bytes from a longer one */
	while (len <= max && (n = read(fd, buf + len, max + 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		len += (size_t)n;
	}
	if (len > max || memchr(buf, '\0', len)) {
		free(buf);
		errno = len > max ? EFBIG : EILSEQ;
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* Why a text read for a reply cannot be used (errno from read_all), in words that say
 * what to do. */
static const char *read_failure(void)
{
	if (errno == EFBIG)
		return "it is longer than 1 MiB; shorten it";
	if (errno == EILSEQ)
		return "it holds NUL bytes (UTF-16?); convert it to UTF-8";
	return strerror(errno);
}

/* Writes the agent's text where it survives anything: state_dir/drafts, mode 0600, in a
 * file of its own ("reply-12-20260102-150405.txt", then "-2" and so on within the same
 * second). Returns the file's path (the caller frees it), or NULL with why in err. */
static char *save_draft(const struct config *cfg, const char *what, int64_t id, const char *body,
			char *err, size_t errlen)
{
	char *dir, *path = NULL;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int fd = -1, n;
	size_t len = strlen(body);

	if (!cfg->state_dir) {
		snprintf(err, errlen, "no state directory (set XDG_STATE_HOME or HOME)");
		return NULL;
	}
	dir = xasprintf("%s/drafts", cfg->state_dir);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
	if (util_mkdir_p(dir, 0700) != 0) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	for (n = 1; fd < 0 && n <= 100; n++) {
		free(path);
		path = n == 1
			   ? xasprintf("%s/%s-%lld-%s.txt", dir, what, (long long)id, stamp)
			   : xasprintf("%s/%s-%lld-%s-%d.txt", dir, what, (long long)id, stamp, n);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	free(dir);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	errno = 0; /* a short write sets none */
	if (write(fd, body, len) != (ssize_t)len || fsync(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno ? errno : EIO));
		close(fd);
		unlink(path);
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

/* Runs $VISUAL or $EDITOR on path and waits for it. 0 on a clean exit. */
static int run_editor(const char *path)
{
	char *argv[] = {"/bin/sh", "-c",	 "exec ${VISUAL:-${EDITOR:-vi}} \"$1\"",
			"sh",	   (char *)path, NULL};
	pid_t pid;
	int status;

	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) != 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The file for the editor, created with quote below an empty first line unless an
 * earlier edit left text in it (kept: nothing typed is lost). 0, or -1. */
static int editor_file(const char *path, const char *quote)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int rc = fd < 0 ? -1 : 0;

	if (fd >= 0 && quote && fstat(fd, &st) == 0 && st.st_size == 0) {
		char *text = xasprintf("\n%s", quote);
		size_t len = strlen(text), done = 0;
		ssize_t n;

		while (done < len && ((n = write(fd, text + done, len - done)) > 0 || errno == EINTR))
			done += n > 0 ? (size_t)n : 0;
		rc = done == len ? 0 : -1;
		free(text);
	}
	if (fd >= 0 && close(fd) != 0)
		rc = -1;
	return rc;
}

/* The reply's text: standard input when it is not a terminal, else the editor on a file
 * with quote (the thread, below the scissors line; may be NULL), the quoted lines left
 * out of the text; *edited says which. */
static char *reply_text(const struct config *cfg, int64_t id, const char *quote, bool *edited)
{
	char *dir, *path, *text = NULL, *raw;
	int fd;

	*edited = false;
	if (!isatty(STDIN_FILENO)) {
		text = read_all(STDIN_FILENO, BODY_MAX);
		if (!text)
			fprintf(stderr, "%s: cannot read the text from standard input: %s\n",
				util_progname(), read_failure());
		return text;
	}
	*edited = true;
	if (!cfg->state_dir) {
		fprintf(stderr,
			"%s: no state directory for the editor's file (set XDG_STATE_HOME or "
			"HOME), or give the text on standard input\n",
			util_progname());
		return NULL;
	}
	dir = xasprintf("%s/drafts", cfg->state_dir);
	path = xasprintf("%s/editing-%lld.txt", dir, (long long)id);
	if (util_mkdir_p(dir, 0700) == 0 && editor_file(path, quote) == 0) {
		if (run_editor(path) == 0 && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			raw = read_all(fd, BODY_MAX);
			close(fd);
			text = raw ? text_draft_clean(raw) : NULL;
			free(raw);
		}
	}
	/* with text, or only the quoted thread (the caller says nothing was sent) */
	if (text)
		unlink(path);
	else if (errno == EFBIG || errno == EILSEQ)
		fprintf(stderr, "%s: cannot use the text in %s: %s\n", util_progname(), path,
			read_failure());
	else
		fprintf(stderr, "%s: the editor failed; anything written is in %s\n",
			util_progname(), path);
	free(dir);
	free(path);
	return text;
}

/* The thread quoted for the editor when the text comes from one (standard input a
 * terminal): fetched from the backend. NULL, saying why on stderr, when it cannot be;
 * *code is then the exit status unless the reply is only queued (it goes on without). */
static char *reply_quote(struct cli *c, const char *token, int64_t id, bool queue, int *code)
{
	*code = CLI_OK;
	if (!isatty(STDIN_FILENO))
		return NULL;
	if (cli_start(c, token, false) < 0) {
		*code = queue ? CLI_OK : c->engine.team_unknown ? CLI_USAGE : CLI_FAILED;
	} else if (cli_fetch_thread(c, id) < 0) {
		*code = c->error_status == 404 ? CLI_NOT_FOUND : queue ? CLI_OK : CLI_FAILED;
	} else {
		return text_draft_quote(&c->thread, c->engine.dir);
	}
	fprintf(stderr, "%s: %s%s\n", util_progname(), c->error,
		*code == CLI_OK ? " (the editor opens without the conversation)" : "");
	return NULL;
}

/* Whether s is UTF-8 the backend takes (jansson refuses anything else). */
static bool utf8_valid(const char *s)
{
	json_t *j = json_string(s);

	json_decref(j);
	return j != NULL;
}

/* A reply that did not go (code): says why, and keeps the text in drafts/ (then the
 * outbox forgets a failed copy) or, failing that, on stderr. */
static void reply_keep(struct cli *c, const struct write_op *w, int code)
{
	const char *what = w->kind == WRITE_NOTE ? "note" : "reply";
	char why[512];
	char *saved = save_draft(c->cfg, what, w->conversation, w->body, why, sizeof(why));

	fprintf(stderr, "%s: %s\n", util_progname(), c->error);
	if (code == CLI_UNSURE && c->n_items && !item_final(&c->items[0]))
		fprintf(stderr,
			"%s: the %s is still on its way: it stays in the outbox, and the "
			"next frontline checks the conversation before sending it again\n",
			util_progname(), what);
	else if (code == CLI_UNSURE)
		fprintf(stderr,
			"%s: the answer was lost: the %s may or may not have been sent; "
			"check the conversation before sending it again\n",
			util_progname(), what);
	if (saved) {
		fprintf(stderr, "%s: your text is saved in %s\n", util_progname(), saved);
		if (c->n_items && c->items[0].state == OUTBOX_FAILED && !c->items[0].withdrawn)
			(void)sender_discard(c->engine.sender, c->items[0].id);
	} else {
		fprintf(stderr, "%s: could not save your text (%s); here it is:\n%s\n",
			util_progname(), why, w->body);
	}
	free(saved);
}

int cli_cmd_reply(struct cli *c, int argc, char **argv, const char *token)
{
	struct write_op w = {.kind = WRITE_REPLY};
	bool queue = false, edited;
	char *text, *quote;
	int ch, code;

	while ((ch = cli_getopt(c, argc, argv)) != -1) {
		if (ch == 'n')
			w.kind = WRITE_NOTE;
		else if (ch == 'Q')
			queue = true;
		else
			return cli_usage(c);
	}
	if (optind != argc - 1 || cli_parse_id(argv[optind], &w.conversation) < 0)
		return cli_usage(c);
	quote = reply_quote(c, token, w.conversation, queue, &code);
	if (code != CLI_OK)
		return code; /* reply_quote said why */
	text = reply_text(c->cfg, w.conversation, quote, &edited);
	free(quote);
	if (!text)
		return CLI_USAGE; /* reply_text said why */
	/* The newline an editor or echo leaves at the end is not part of the message (and a
	 * text of white space only is left empty). */
	for (size_t n = strlen(text); n > 0 && strchr(" \t\r\n", text[n - 1]); n--)
		text[n - 1] = '\0';
	if (!*text && edited) {
		fprintf(stderr, "%s: nothing sent: the text is empty (the quoted conversation is "
				"never sent)\n",
			util_progname());
		free(text);
		return CLI_ABORTED;
	}
	if (!*text) {
		fprintf(stderr, "%s: nothing to send: the text is empty\n", util_progname());
		free(text);
		return CLI_USAGE;
	}
	if (!utf8_valid(text)) {
		fprintf(stderr,
			"%s: the text is not valid UTF-8; convert it first (for example iconv -f "
			"LATIN1 -t UTF-8)\n",
			util_progname());
		free(text);
		return CLI_USAGE;
	}
	w.body = text;
	/* Queued, it goes whenever a frontline can send it; otherwise the directory comes
	 * first: who writes it, or that nobody may. */
	if ((!c->loop && cli_setup(c, token) < 0) ||
	    (!queue && !c->engine.ready && cli_start(c, token, false) < 0) ||
	    cli_submit(c, &w, NULL) < 0)
		code = CLI_FAILED;
	else if (queue)
		code = CLI_OK;
	else
		code = items_send(c);
	if (code != CLI_OK)
		reply_keep(c, &w, code);
	else if (queue)
		printf("queued as outbox item %lld\n", (long long)c->items[0].id);
	free(text);
	return code;
}

/* ---- tag ---- */

int cli_cmd_tag(struct cli *c, int argc, char **argv, const char *token)
{
	const struct directory *d;
	int64_t id, *tags;
	int i, code;

	if (argc < 3 || cli_parse_id(argv[1], &id) < 0)
		return cli_usage(c);
	for (i = 2; i < argc; i++)
		if ((argv[i][0] != '+' && argv[i][0] != '-') || !argv[i][1]) {
			fprintf(stderr,
				"%s: \"%s\": write +name to add a tag, -name to remove one\n",
				util_progname(), argv[i]);
			return CLI_USAGE;
		}
	if (cli_start(c, token, false) < 0)
		return cli_fail(c, CLI_FAILED);
	/* Every name first: a tag to remove that does not exist changes nothing. */
	d = c->engine.dir;
	tags = xcalloc((size_t)argc, sizeof(*tags));
	for (i = 2; i < argc; i++) {
		tags[i] = directory_find(d->tags, d->n_tags, argv[i] + 1);
		if (!tags[i] && argv[i][0] == '-') {
			snprintf(c->error, sizeof(c->error), "no tag named \"%s\"", argv[i] + 1);
			free(tags);
			return cli_fail(c, CLI_NOT_FOUND);
		}
	}
	/* A tag added that does not exist yet goes by name: the sender creates it. */
	for (i = 2; i < argc; i++) {
		struct write_op w = {.kind = argv[i][0] == '+' ? WRITE_TAG : WRITE_UNTAG,
					  .conversation = id,
					  .tag = tags[i]};

		if (cli_submit(c, &w, tags[i] ? NULL : argv[i] + 1) < 0) {
			free(tags);
			items_withdraw(c);
			return cli_fail(c, CLI_FAILED);
		}
	}
	code = items_send(c);
	for (i = 2; code == CLI_OK && i < argc; i++)
		if (!tags[i])
			fprintf(stderr, "%s: created the tag \"%s\"\n", util_progname(),
				argv[i] + 1);
	free(tags);
	return items_report(c, code, "a tag change");
}

/* ---- priority ---- */

int cli_cmd_priority(struct cli *c, int argc, char **argv, const char *token)
{
	struct write_op w = {.kind = WRITE_PRIORITY};

	if (argc != 3 || cli_parse_id(argv[1], &w.conversation) < 0)
		return cli_usage(c);
	if (priority_from_word(argv[2]) < 0) {
		fprintf(stderr,
			"%s: \"%s\" is not a priority: use none, low, medium, high or urgent\n",
			util_progname(), argv[2]);
		return CLI_USAGE;
	}
	w.body = priority_word((enum conv_priority)priority_from_word(argv[2]));
	if (cli_start(c, token, false) < 0)
		return cli_fail(c, CLI_FAILED);
	if (cli_submit(c, &w, NULL) < 0)
		return cli_fail(c, CLI_FAILED);
	items_wait(c);
	return items_report(c, items_outcome(c), "the priority change");
}

/* ---- assign ---- */

int cli_cmd_assign(struct cli *c, int argc, char **argv, const char *token)
{
	struct write_op w = {.kind = WRITE_UNASSIGN};

	if (argc != 3 || cli_parse_id(argv[1], &w.conversation) < 0)
		return cli_usage(c);
	if (cli_start(c, token, false) < 0)
		return cli_fail(c, CLI_FAILED);
	if (write_assign_resolve(c->engine.dir, argv[2], &w, c->error, sizeof(c->error)) < 0)
		return cli_fail(c, CLI_USAGE);
	if (cli_submit(c, &w, NULL) < 0)
		return cli_fail(c, CLI_FAILED);
	items_wait(c);
	return items_report(c, items_outcome(c), "the assignment");
}

int cli_cmd_reopen(struct cli *c, int argc, char **argv, const char *token)
{
	struct write_op w = {.kind = WRITE_OPEN};

	if (argc != 2 || cli_parse_id(argv[1], &w.conversation) < 0)
		return cli_usage(c);
	if (cli_start(c, token, false) < 0)
		return cli_fail(c, CLI_FAILED);
	if (cli_submit(c, &w, NULL) < 0)
		return cli_fail(c, CLI_FAILED);
	items_wait(c);
	return items_report(c, items_outcome(c), "the reopening");
}

/* ---- outbox: what is waiting, and the agent's decisions on it ---- */

static struct outbox *cli_outbox(struct cli *c)
{
	char err[256];
	struct outbox *o;

	if (!c->cfg->state_dir) {
		snprintf(c->error, sizeof(c->error),
			 "no state directory (set XDG_STATE_HOME or HOME)");
		return NULL;
	}
	o = outbox_open(c->cfg->state_dir, c->cfg->url, err, sizeof(err));
	if (!o)
		snprintf(c->error, sizeof(c->error), "%s", err);
	return o;
}

/* Whether the item waits for another backend than the one this process talks to. */
static bool item_foreign(const struct cli *c, const struct outbox_item *it)
{
	return strcmp(it->account ? it->account : "", c->cfg->url ? c->cfg->url : "") != 0;
}

static json_t *item_json(const struct cli *c, const struct outbox_item *it)
{
	json_t *j = json_pack(
	    "{s:I, s:s, s:s, s:I, s:i, s:I, s:I}", "id", (json_int_t)it->id, "state",
	    outbox_state_word(it->state), "kind", write_kind_word(it->kind), "conversation",
	    (json_int_t)it->conversation, "attempts", it->attempts, "created_at",
	    (json_int_t)it->created_at, "first_attempt", (json_int_t)it->first_attempt);

	json_object_set_new(j, "body", it->body ? json_string(it->body) : json_null());
	json_object_set_new(j, "error", it->error ? json_string(it->error) : json_null());
	json_object_set_new(j, "backend", json_string(it->account ? it->account : ""));
	json_object_set_new(j, "foreign", json_boolean(item_foreign(c, it)));
	if (it->kind == WRITE_TAG || it->kind == WRITE_UNTAG)
		json_object_set_new(
		    j, "tag", it->tag_name ? json_string(it->tag_name) : json_integer(it->tag));
	if (it->kind == WRITE_ASSIGN_ADMIN || it->kind == WRITE_ASSIGN_TEAM)
		json_object_set_new(j, "assignee", json_integer(it->tag));
	return j;
}

static void print_item(const struct cli *c, const struct outbox_item *it)
{
	printf("%-6lld %-9s %-9s #%-8lld %d tries  ", (long long)it->id,
	       outbox_state_word(it->state), write_kind_word(it->kind),
	       (long long)it->conversation, it->attempts);
	if (it->body) {
		char *first = xstrndup(it->body, strcspn(it->body, "\n"));
		char *line = model_cut_utf8(first, 60); /* never half a character */

		cli_print_safe(stdout, line, false);
		free(line);
		free(first);
	} else if (it->tag_name) {
		cli_print_safe(stdout, it->tag_name, false);
	} else if (it->tag && (it->kind == WRITE_ASSIGN_ADMIN || it->kind == WRITE_ASSIGN_TEAM)) {
		printf("to %s %lld", it->kind == WRITE_ASSIGN_TEAM ? "team" : "teammate",
		       (long long)it->tag);
	} else if (it->tag) {
		printf("tag %lld", (long long)it->tag);
	}
	if (it->error) {
		fputs("\n       ", stdout);
		cli_print_safe(stdout, it->error, false);
	}
	if (item_foreign(c, it)) {
		fputs("\n       for another backend, ", stdout);
		cli_print_safe(stdout, it->account ? it->account : "", false);
	}
	putchar('\n');
}

/* Says on stderr which frontline sends the items waiting for other backends. */
static void tell_foreign(const struct cli *c, const struct outbox_item *items, size_t n)
{
	size_t i, foreign = 0;
	const char *first = NULL;

	for (i = 0; i < n; i++)
		if (item_foreign(c, &items[i]) && items[i].state != OUTBOX_SENT && foreign++ == 0)
			first = items[i].account ? items[i].account : "";
	if (!foreign)
		return;
	fprintf(stderr, "%s: %zu write%s wait%s for another backend than this one (",
		util_progname(), foreign, foreign == 1 ? "" : "s", foreign == 1 ? "s" : "");
	cli_print_safe(stderr, first, false);
	fprintf(stderr,
		"%s): a frontline whose backend is that one sends %s (its screen, "
		"status --watch or outbox send); frontline outbox discard ITEM drops one\n",
		foreign > 1 ? " and others" : "", foreign == 1 ? "it" : "them");
}

static int outbox_show(struct cli *c, bool json)
{
	struct outbox *o = cli_outbox(c);
	struct outbox_item *items;
	json_t *out = json ? json_array() : NULL;
	size_t i, n;

	if (!o || outbox_list_all(o, time(NULL), 0, &items, &n) < 0) {
		if (o)
			snprintf(c->error, sizeof(c->error), "cannot read %s", outbox_path(o));
		outbox_close(o);
		json_decref(out);
		return cli_fail(c, CLI_FAILED);
	}
	for (i = 0; i < n; i++)
		if (json)
			json_array_append_new(out, item_json(c, &items[i]));
		else
			print_item(c, &items[i]);
	if (json) {
		cli_print_json(out);
		json_decref(out);
	}
	tell_foreign(c, items, n);
	outbox_items_free(items, n);
	outbox_close(o);
	return CLI_OK;
}

static int outbox_decide(struct cli *c, const char *verb, const char *arg)
{
	struct outbox *o;
	int64_t id;
	int rc;

	if (cli_parse_id(arg, &id) < 0)
		return cli_usage(c);
	o = cli_outbox(c);
	if (!o)
		return cli_fail(c, CLI_FAILED);
	rc = !strcmp(verb, "retry") ? outbox_retry(o, id) : outbox_discard(o, id);
	outbox_close(o);
	if (rc < 0)
		snprintf(c->error, sizeof(c->error),
			 "cannot write the outbox in %s: is the disk full, or the file read-only?",
			 c->cfg->state_dir);
	else if (rc > 0)
		snprintf(c->error, sizeof(c->error),
			 "outbox item %lld is not there, or is being sent right now (see "
			 "frontline outbox list)",
			 (long long)id);
	if (rc != 0)
		return cli_fail(c, rc < 0 ? CLI_FAILED : CLI_NOT_FOUND);
	printf(!strcmp(verb, "retry") ? "outbox item %lld goes again\n"
				      : "outbox item %lld discarded\n",
	       (long long)id);
	return CLI_OK;
}

static void on_stop_signal(void *arg, int signo)
{
	struct cli *c = arg;

	(void)signo;
	c->done = true;
}

/* outbox send: sends everything that waits (also another process's, once it lets go of
 * the lock), and ends when nothing is left to send or at SIGINT/SIGTERM. */
static int outbox_send(struct cli *c, const char *token)
{
	struct outbox_counts counts;

	if (cli_setup(c, token) < 0)
		return cli_fail(c, CLI_FAILED);
	if (loop_signal(c->loop, SIGINT, on_stop_signal, c) < 0 ||
	    loop_signal(c->loop, SIGTERM, on_stop_signal, c) < 0) {
		snprintf(c->error, sizeof(c->error), "cannot set up the event loop");
		return cli_fail(c, CLI_FAILED);
	}
	c->engine.sender = engine_sender_new(&c->engine, SENDER_ALL, 200);
	if (cli_start(c, token, false) < 0)
		return cli_fail(c, CLI_FAILED);
	/* An error with nothing in flight (the outbox or its lock cannot be used) ends it:
	 * waiting would not help, and the agent is told why. */
	while (!c->done && !sender_idle(c->engine.sender) &&
	       !(sender_error(c->engine.sender) && !sender_in_flight(c->engine.sender)))
		if (loop_run_once(c->loop, 200) < 0)
			break;
	if (sender_error(c->engine.sender)) {
		snprintf(c->error, sizeof(c->error), "%s", sender_error(c->engine.sender));
		return cli_fail(c, CLI_FAILED);
	}
	if (sender_counts(c->engine.sender, &counts) < 0) {
		snprintf(c->error, sizeof(c->error), "cannot read the outbox");
		return cli_fail(c, CLI_FAILED);
	}
	printf("outbox: %zu to send, %zu failed\n", counts.pending, counts.failed);
	return counts.pending || counts.failed ? CLI_FAILED : CLI_OK;
}

int cli_cmd_outbox(struct cli *c, int argc, char **argv, const char *token)
{
	const char *verb = argc > 1 ? argv[1] : "list";

	if (!strcmp(verb, "list") || !strcmp(verb, "--json"))
		return outbox_show(c, !strcmp(verb, "--json") ||
					  (argc > 2 && !strcmp(argv[2], "--json")));
	if (!strcmp(verb, "send") && argc == 2)
		return outbox_send(c, token);
	if ((!strcmp(verb, "retry") || !strcmp(verb, "discard")) && argc == 3)
		return outbox_decide(c, verb, argv[2]);
	return cli_usage(c);
}
