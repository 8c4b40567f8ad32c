/* config.c: frontline's INI settings, read through one option table that also gives the
 * defaults and frontline.conf(5). The values are parsed in config-values.c, the token in
 * config-token.c, [keys] and [colors] in config-keys.c, the man page in config-doc.c. */
#include "build-config.h"

#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config-private.h"
#include "util.h"

#define CONF(field)  offsetof(struct config, field)
#define QUEUE(field) offsetof(struct config_queue, field)

const struct config_option config_options[] = {
    {CONFIG_SECTION_BACKEND, "type", config_parse_backend, CONF(backend), "intercom", "intercom",
     NULL, "The conversation backend. Only intercom for now; chatwoot is planned."},
    {CONFIG_SECTION_BACKEND, "url", config_parse_url, CONF(url), "URL", "https://api.intercom.io",
     NULL,
     "Base URL of the API. It must start with https://; plain http:// is allowed only to "
     "this machine (localhost, 127.0.0.1, [::1]), e.g. for frontline-sim. Certificates "
     "are always verified."},
    {CONFIG_SECTION_BACKEND, "token_command", config_parse_command, CONF(token_command), "command",
     NULL, "none",
     "A command whose first line of output is the API token, e.g. pass show intercom. "
     "It runs without a shell: words are split and quotes, $VARIABLES and ~ expanded as a "
     "shell would, but $(...), backquotes, pipes, redirections and unset variables are "
     "refused. It runs at start-up unless $FRONTLINE_TOKEN or token gives the token."},
    {CONFIG_SECTION_BACKEND, "token", config_parse_token, CONF(token), "token", NULL, "none",
     "The API token itself. Accepted only when group and others can neither read nor "
     "write the file (chmod 600). Prefer token_command or $FRONTLINE_TOKEN."},
    {CONFIG_SECTION_BACKEND, "poll_interval", config_parse_duration, CONF(poll_interval),
     "duration", "5s", NULL,
     "How often to ask the backend for conversations changed since the last poll."},
    {CONFIG_SECTION_BACKEND, "resync_interval", config_parse_duration, CONF(resync_interval),
     "duration", "15m", NULL,
     "How often to fetch all open conversations of the queues' teams again, to heal what "
     "the incremental polls missed (they already see closures and moves to other teams, "
     "so this is a safety net; each resync costs one request per 150 conversations)."},
    {CONFIG_SECTION_BACKEND, "poll_overlap", config_parse_duration, CONF(poll_overlap), "duration",
     "1s", NULL,
     "Each poll asks for conversations updated after what the previous poll saw (the moment "
     "it began by the server's clock, or the newest update seen), less this overlap, so "
     "changes the server commits late are not lost: updated_at counts whole seconds, and one "
     "second reads the last one again. The server's own timestamps are compared, so clocks "
     "need not agree."},
    {CONFIG_SECTION_BACKEND, "article_refresh", config_parse_duration, CONF(article_refresh),
     "duration", "1h", NULL,
     "How long help-center articles are kept before they are fetched again."},
    {CONFIG_SECTION_QUEUE, "title", config_parse_text, QUEUE(title), "text", NULL,
     "the queue's NAME", "The title of the queue's pane."},
    /* The whole struct config_queue: the list and its length. */
    {CONFIG_SECTION_QUEUE, "teams", config_parse_teams, 0, "list", NULL, NULL,
     "Required. The teams whose conversations the queue shows: names or ids separated by "
     "commas, at most " STRING(CONFIG_MAX_TEAMS) "."},
    {CONFIG_SECTION_QUEUE, "realtime", config_parse_bool, QUEUE(realtime), "boolean", NULL, "no",
     "Shows the queue in the real-time pane, and gives it the real-time defaults of "
     "first_response, next_response and warn."},
    {CONFIG_SECTION_QUEUE, "first_response", config_parse_duration, QUEUE(policy.first_response),
     "duration", NULL, "2m if realtime, else 1h",
     "Time allowed for the first reply to a conversation."},
    {CONFIG_SECTION_QUEUE, "next_response", config_parse_duration, QUEUE(policy.next_response),
     "duration", NULL, "2m if realtime, else 1h",
     "Time allowed for each later reply, counted from when the customer started waiting."},
    {CONFIG_SECTION_QUEUE, "warn", config_parse_warn, QUEUE(policy), "list of durations", NULL,
     "60s,30s if realtime, else 10m,5m",
     "How long before a deadline to warn, separated by commas, at most " STRING(
	 SLA_MAX_WARN) "; the countdown "
		       "turns amber at the largest. Empty: no warnings."},
    {CONFIG_SECTION_QUEUE, "pause_snoozed", config_parse_bool, QUEUE(policy.pause_snoozed),
     "boolean", NULL, "yes", "Stops the clock while a conversation is snoozed."},
    {CONFIG_SECTION_QUEUE, "hours", config_parse_hours, QUEUE(policy.hours), "days and times", NULL,
     "always",
     "Business hours; the clock runs only inside them. Days (Mon-Fri, or Sat,Sun; every "
     "day when left out), then up to " STRING(
	 SLA_MAX_RANGES) " time ranges (09:00-17:00, or 09:00-12:00,13:00-17:00; "
			 "22:00-06:00 runs past midnight). always: the clock never stops."},
    {CONFIG_SECTION_QUEUE, "timezone", config_parse_timezone, QUEUE(policy.hours.tz), "zone", NULL,
     "UTC",
     "The time zone of hours, an IANA name such as Europe/Warsaw that exists under "
     "/usr/share/zoneinfo (or $TZDIR)."},
    {CONFIG_SECTION_QUEUE, "notify", config_parse_notify_level, QUEUE(notify),
     "none|breach|new|all", NULL, "new if realtime, else breach",
     "Which of the queue's events notify: none; breach (a warning at each lead time of "
     "warn and a breach at the deadline); new (also new conversations and new customer "
     "messages); all (today the same as new). Notifications tell the queue, the customer's "
     "name and the time, never the message."},
    {CONFIG_SECTION_NOTIFY, "desktop", config_parse_bool, CONF(notify.desktop), "boolean", "yes",
     NULL,
     "Desktop notifications through libnotify (a notification server on the D-Bus session "
     "bus). Without a bus or a server, the other ways still work and the status says once "
     "that desktop notifications are unavailable."},
    {CONFIG_SECTION_NOTIFY, "command", config_parse_command, CONF(notify.command), "command", NULL,
     "none",
     "A program run for each notification, without a shell (split as for token_command), "
     "with the event in its environment: FRONTLINE_EVENT (warning, breach, new, message or "
     "summary), FRONTLINE_KIND (what a summary sums up, else the same), FRONTLINE_QUEUE, "
     "FRONTLINE_CONVERSATION_ID, FRONTLINE_CUSTOMER (control characters made visible), "
     "FRONTLINE_DEADLINE (seconds since the epoch), FRONTLINE_SUMMARY (the notification's "
     "title) and FRONTLINE_PREVIEW (see preview; empty without). Each is empty when it "
     "does not apply. frontline never waits for it: while it still runs, later events "
     "skip it; a failure is reported once."},
    {CONFIG_SECTION_NOTIFY, "bell", config_parse_bool, CONF(notify.bell), "boolean", "yes", NULL,
     "Rings the terminal's bell (BEL) on a notification; tmux and screen pass it on as "
     "an alert."},
    {CONFIG_SECTION_NOTIFY, "osc", config_parse_osc, CONF(notify.osc), "off|777|9", "off", NULL,
     "Also sends the notification as a terminal escape sequence, which reaches the desktop "
     "of a terminal reached over SSH: 777 (urxvt, foot, kitty, WezTerm) or 9 (iTerm2, "
     "Windows Terminal, WezTerm). Only to a terminal, never into a pipe or a file."},
    {CONFIG_SECTION_NOTIFY, "preview", config_parse_preview, CONF(notify.preview), "none|redacted",
     "none", NULL,
     "none: notifications never show the message. redacted: those of new conversations, "
     "warnings and breaches add the first 60 characters of the opening message, every "
     "digit shown as # and every word with an @ (an e-mail address) as [email]; also in "
     "FRONTLINE_PREVIEW for command."},
    {CONFIG_SECTION_NOTIFY, "title", config_parse_bool, CONF(notify.title), "boolean", "yes", NULL,
     "Shows the counts of breached and warning conversations in the terminal's (or tmux "
     "pane's) title, e.g. \"frontline: 2 breached, 3 warning\", updated when they change. "
     "Only numbers: never customer text."},
    {CONFIG_SECTION_STATE, "dir", config_parse_path, CONF(state_dir), "directory", NULL,
     "$XDG_STATE_HOME/frontline, or ~/.local/state/frontline",
     "Where the outbox, drafts and article cache are kept. A leading ~/ stands for the "
     "home directory."},
    /* Any action's name: the one entry stands for them all (option_find). */
    {CONFIG_SECTION_KEYS, "ACTION", config_parse_binding, 0, "keys", NULL,
     "the keys of frontline(1)",
     "The keys that run the screen's action named ACTION (every name is listed by ? on "
     "the screen and in frontline(1), KEYS), separated by commas; they replace the "
     "action's default keys, and another action's default key given here is taken from it. "
     "A key is a character (r, G, ?, :), C- and a letter for Control (C-x), or Tab, Enter, "
     "Space, Esc, Backspace, Delete, Insert, Up, Down, Left, Right, Home, End, PgUp, PgDn "
     "or F1 to F12; none leaves the action without a key. Example: close = x, C-x."},
    {CONFIG_SECTION_COLORS, "ok", config_parse_color, CONF(colors.ok), "color", NULL, "green",
     "The countdown of a conversation in time. A colour is a name (default, black, red, "
     "green, yellow, blue, magenta, cyan, white, or bright and a name), color0 to "
     "color255, or FG on BG, with any of bold, underline and reverse before it, e.g. "
     "bold white on red. $NO_COLOR turns every colour off."},
    {CONFIG_SECTION_COLORS, "warning", config_parse_color, CONF(colors.warning), "color", NULL,
     "yellow", "The countdown once a warning lead time is reached."},
    {CONFIG_SECTION_COLORS, "breached", config_parse_color, CONF(colors.breached), "color", NULL,
     "red", "The countdown past the deadline."},
    {CONFIG_SECTION_COLORS, "title", config_parse_color, CONF(colors.title), "color", NULL, "cyan",
     "The panes' and the views' titles."},
    {CONFIG_SECTION_COLORS, "status", config_parse_color, CONF(colors.status), "color", NULL,
     "black on cyan", "The status bar."},
    {CONFIG_SECTION_COLORS, "customer", config_parse_color, CONF(colors.customer), "color", NULL,
     "magenta", "The customer's messages in the conversation view."},
    {CONFIG_SECTION_COLORS, "agent", config_parse_color, CONF(colors.agent), "color", NULL, "blue",
     "The agents' replies in the conversation view."},
    {CONFIG_SECTION_COLORS, "note", config_parse_color, CONF(colors.note), "color", NULL, "yellow",
     "Internal notes."},
    {CONFIG_SECTION_COLORS, "event", config_parse_color, CONF(colors.event), "color", NULL, "cyan",
     "Events of the conversation (closed, assigned...) and hints."},
    {CONFIG_SECTION_COLORS, "error", config_parse_color, CONF(colors.error), "color", NULL, "red",
     "Error messages."},
};

#define N_OPTIONS (sizeof(config_options) / sizeof(config_options[0]))

/* The sections' names as written between brackets ([queue NAME] takes a name too). */
static const char *const section_names[] = {
    [CONFIG_SECTION_BACKEND] = "backend", [CONFIG_SECTION_QUEUE] = "queue",
    [CONFIG_SECTION_NOTIFY] = "notify",	  [CONFIG_SECTION_STATE] = "state",
    [CONFIG_SECTION_KEYS] = "keys",	  [CONFIG_SECTION_COLORS] = "colors",
};

const size_t config_n_options = N_OPTIONS;

/* The reader's own bookkeeping, around what the value parsers see. */
struct reader {
	struct config_parser p;
	int seen[N_OPTIONS]; /* line each key outside [queue NAME] was set on */
	int queue_line[CONFIG_MAX_QUEUES];
	int queue_seen[CONFIG_MAX_QUEUES][N_OPTIONS];
};

static struct reader *reader_of(struct config_parser *p)
{
	return (struct reader *)((char *)p - offsetof(struct reader, p));
}

void config_fail_at(struct config_parser *p, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(p->err, p->errlen, "%s:%d: %s", p->shown, line, msg);
	else
		snprintf(p->err, p->errlen, "%s: %s", p->shown, msg);
	p->failed = true;
	p->fail_line = line;
}

int config_option_fail(struct config_parser *p, const struct config_option *o, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	config_fail_at(p, p->line, "%s: %s", o->name, msg);
	return -1;
}

/* A value quoted back in a message: cut short, control characters as '?', so that a stray
 * byte in the file cannot drive the terminal the message is shown on. */
const char *config_value_shown(char *buf, size_t len, const char *v)
{
	size_t i;

	for (i = 0; v[i] && i + 4 < len; i++)
		buf[i] = iscntrl((unsigned char)v[i]) ? '?' : v[i];
	if (v[i])
		buf[i++] = '.', buf[i++] = '.', buf[i++] = '.';
	buf[i] = '\0';
	return buf;
}

char *config_trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

void config_wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void config_string_replace(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

const char *config_home_dir(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home && home[0] == '/')
		return home;
	pw = getpwuid(getuid());
	return pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
}

/* $VARIABLE/leaf, or ~/fallback/leaf when the variable is unset or relative (the XDG
 * base directory rules); NULL without a home directory. The caller frees it. */
char *config_xdg_path(const char *variable, const char *fallback, const char *leaf)
{
	const char *base = getenv(variable);
	const char *home;

	if (base && base[0] == '/')
		return xasprintf("%s/%s", base, leaf);
	home = config_home_dir();
	return home ? xasprintf("%s/%s/%s", home, fallback, leaf) : NULL;
}

char *config_path_shown(const char *path)
{
	const char *home = config_home_dir();
	size_t n = home ? strlen(home) : 0;

	if (n > 1 && !strncmp(path, home, n) && path[n] == '/')
		return xasprintf("~%s", path + n);
	return xstrdup(path);
}

static const struct config_option *option_find(enum config_section section, const char *name)
{
	size_t i;

	for (i = 0; i < N_OPTIONS; i++)
		if (config_options[i].section == section &&
		    (section == CONFIG_SECTION_KEYS || !strcmp(config_options[i].name, name)))
			return &config_options[i];
	return NULL;
}

static void queue_release(struct config_queue *q)
{
	free(q->key);
	free(q->title);
	config_queue_release_teams(q);
	memset(q, 0, sizeof(*q));
}

static enum config_notify_level queue_notify_default(bool realtime)
{
	return realtime ? CONFIG_NOTIFY_NEW : CONFIG_NOTIFY_BREACH;
}

static struct config_queue *queue_add(struct config *c, const char *key)
{
	struct config_queue *q = &c->queues[c->n_queues++];

	memset(q, 0, sizeof(*q));
	q->key = xstrdup(key);
	sla_policy_default(&q->policy, false);
	q->notify = queue_notify_default(false);
	return q;
}

static void parser_enter_queue(struct config_parser *p, const char *key)
{
	struct reader *r = reader_of(p);
	struct config *c = p->c;
	size_t i;

	if (!*key || strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				 "0123456789_-") != strlen(key)) {
		config_fail_at(p, p->line,
			       "a queue needs a name of letters, digits, - and _, "
			       "e.g. [queue realtime]");
		return;
	}
	/* The file's first queue replaces the defaults rather than adding to them. */
	if (!p->own_queues) {
		for (i = 0; i < c->n_queues; i++)
			queue_release(&c->queues[i]);
		c->n_queues = 0;
		p->own_queues = true;
	}
	for (i = 0; i < c->n_queues; i++) {
		if (!strcmp(c->queues[i].key, key)) {
			config_fail_at(p, p->line, "[queue %s] is already defined on line %d", key,
				       r->queue_line[i]);
			return;
		}
	}
	if (c->n_queues == CONFIG_MAX_QUEUES) {
		config_fail_at(p, p->line, "too many queues: at most %d", CONFIG_MAX_QUEUES);
		return;
	}
	p->queue = c->n_queues;
	r->queue_line[p->queue] = p->line;
	queue_add(c, key);
}

/* The reader sees the section header before inih does: it knows the line, and it sees
 * sections that hold no keys, which inih never reports. */
static void parser_enter_section(struct config_parser *p, const char *line)
{
	const char *close = strchr(line, ']');
	char name[96], shown[96], *s;
	size_t n, i;

	if (!close)
		return; /* inih reports the malformed line */
	n = (size_t)(close - line - 1);
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, line + 1, n);
	name[n] = '\0';
	s = config_trim(name);
	for (i = CONFIG_SECTION_BACKEND; i < sizeof(section_names) / sizeof(section_names[0]);
	     i++) {
		if (i != CONFIG_SECTION_QUEUE && !strcmp(s, section_names[i])) {
			p->section = (enum config_section)i;
			return;
		}
	}
	if (!strncmp(s, "queue", 5) && (!s[5] || isspace((unsigned char)s[5]))) {
		p->section = CONFIG_SECTION_QUEUE;
		parser_enter_queue(p, config_trim(s + 5));
	} else {
		config_fail_at(
		    p, p->line,
		    "unknown section [%s]; known sections: [backend], [queue NAME], [notify], "
		    "[state], [keys], [colors]",
		    config_value_shown(shown, sizeof(shown), s));
	}
}

/* inih's fgets: counts lines, so that the handler can name the line of a semantic error,
 * and stops the parse at the first error. */
static char *parser_read_line(char *str, int num, void *stream)
{
	struct config_parser *p = stream;
	ssize_t n;
	char *start;

	if (p->failed)
		return NULL;
	errno = 0;
	n = getline(&p->buf, &p->cap, p->file);
	if (n < 0) {
		if (ferror(p->file))
			config_fail_at(p, 0, "cannot read: %s", strerror(errno ? errno : EIO));
		return NULL;
	}
	p->line++;
	if (memchr(p->buf, '\0', (size_t)n)) {
		config_fail_at(p, p->line, "the line holds a NUL byte");
		return NULL;
	}
	/* Without its indentation a line is never taken as the continuation of the previous
	 * value, and an indented key is read as the key it looks like. */
	start = p->buf;
	if (p->line == 1 && !strncmp(start, "\xEF\xBB\xBF", 3))
		start += 3; /* a UTF-8 byte order mark, which would hide a first [section] */
	start = config_trim(start);
	if ((int)strlen(start) > num - 3) {
		config_fail_at(p, p->line, "the line is longer than %d characters", num - 3);
		return NULL;
	}
	if (start[0] == '[')
		parser_enter_section(p, start);
	if (p->failed)
		return NULL;
	snprintf(str, (size_t)num, "%s\n", start);
	return str;
}

static void option_list(enum config_section section, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < N_OPTIONS && used < len; i++)
		if (config_options[i].section == section)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
						 config_options[i].name);
}

static int parser_handle(void *user, const char *section, const char *name, const char *value)
{
	struct config_parser *p = user;
	struct reader *r = reader_of(p);
	const struct config_option *o;
	char known[256], shown[64], where[96];
	char *base = (char *)p->c;
	int *seen = r->seen;

	(void)section; /* the reader followed the sections, with their lines */
	if (p->failed)
		return 0;
	config_value_shown(shown, sizeof(shown), name);
	if (p->section == CONFIG_SECTION_NONE) {
		config_fail_at(p, p->line,
			       "key \"%s\" is outside any section; put it under "
			       "[backend], [queue NAME], [notify], [state], [keys] or [colors]",
			       shown);
		return 0;
	}
	if (p->section == CONFIG_SECTION_QUEUE) {
		base = (char *)&p->c->queues[p->queue];
		seen = r->queue_seen[p->queue];
		snprintf(where, sizeof(where), "[queue %s]", p->c->queues[p->queue].key);
	} else {
		snprintf(where, sizeof(where), "[%s]", section_names[p->section]);
	}
	o = option_find(p->section, name);
	if (!o) {
		option_list(p->section, known, sizeof(known));
		config_fail_at(p, p->line, "unknown key \"%s\" in %s; known keys: %s", shown, where,
			       known);
		return 0;
	}
	p->name = name;
	/* [keys] holds one entry for every action: parse_binding finds repeats */
	if (seen[o - config_options] && p->section != CONFIG_SECTION_KEYS) {
		config_fail_at(p, p->line, "%s: given twice in %s (first on line %d)", o->name,
			       where, seen[o - config_options]);
		return 0;
	}
	seen[o - config_options] = p->line;
	return o->parse(p, o, base + o->offset, value) == 0;
}

static bool queue_seen(const struct reader *r, size_t queue, const char *name)
{
	return r->queue_seen[queue][option_find(CONFIG_SECTION_QUEUE, name) - config_options] != 0;
}

/* What needs the whole section: the required teams, the title, and the real-time
 * defaults, which depend on realtime wherever it is written. */
static void parser_finish(struct reader *r)
{
	struct config_parser *p = &r->p;
	struct config_queue *q;
	struct sla_policy fallback;
	size_t i;

	for (i = 0; p->own_queues && i < p->c->n_queues; i++) {
		q = &p->c->queues[i];
		if (!q->n_teams) {
			config_fail_at(p, r->queue_line[i],
				       "[queue %s] has no teams; add e.g. "
				       "teams = Support",
				       q->key);
			return;
		}
		if (!q->title)
			q->title = xstrdup(q->key);
		sla_policy_default(&fallback, q->realtime);
		if (!queue_seen(r, i, "first_response"))
			q->policy.first_response = fallback.first_response;
		if (!queue_seen(r, i, "next_response"))
			q->policy.next_response = fallback.next_response;
		if (!queue_seen(r, i, "warn")) {
			memcpy(q->policy.warn, fallback.warn, sizeof(q->policy.warn));
			q->policy.n_warn = fallback.n_warn;
		}
		if (!queue_seen(r, i, "notify"))
			q->notify = queue_notify_default(q->realtime);
	}
}

static void queue_add_default(struct config *c, const char *key, const char *title,
			      const char *team, bool realtime)
{
	struct config_queue *q = queue_add(c, key);

	q->title = xstrdup(title);
	q->teams[q->n_teams++] = xstrdup(team);
	q->realtime = realtime;
	sla_policy_default(&q->policy, realtime);
	q->notify = queue_notify_default(realtime);
}

void config_defaults(struct config *c)
{
	char err[512];
	struct config_parser p = {
	    .c = c, .shown = "built-in default", .err = err, .errlen = sizeof(err)};
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < N_OPTIONS; i++) {
		const struct config_option *o = &config_options[i];

		if (o->initial && o->parse(&p, o, (char *)c + o->offset, o->initial) < 0)
			die("%s", err);
	}
	c->state_dir = config_xdg_path("XDG_STATE_HOME", ".local/state", "frontline");
	queue_add_default(c, "realtime", "Real-time", "Live chat", true);
	queue_add_default(c, "standard", "Standard", "Support", false);
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	struct reader r = {.p = {.c = c, .err = err, .errlen = errlen}};
	struct config_parser *p = &r.p;
	char *default_path = NULL, *shown;
	struct stat st;
	int rc;

	if (!path) {
		default_path = config_xdg_path("XDG_CONFIG_HOME", ".config", "frontline/config");
		if (!default_path)
			return 0; /* no home directory, so no file: the defaults stand */
		path = default_path;
	}
	shown = config_path_shown(path);
	p->shown = shown;
	p->file = fopen(path, "re");
	if (!p->file) {
		if (!default_path || (errno != ENOENT && errno != ENOTDIR))
			config_fail_at(p, 0, "cannot open the configuration file: %s",
				       strerror(errno));
		goto out;
	}
	if (fstat(fileno(p->file), &st) < 0 || !S_ISREG(st.st_mode)) {
		config_fail_at(p, 0, "not a regular file");
		goto out;
	}
	p->mode = st.st_mode;
	rc = ini_parse_stream(parser_read_line, p, parser_handle, p);
	/* inih reports the first line it could not parse, mine the first it could not use. */
	if (rc > 0 && (!p->failed || (p->fail_line > rc)))
		config_fail_at(p, rc,
			       "cannot parse this line; expected [section], key = value "
			       "or a comment");
	else if (rc < 0 && !p->failed)
		config_fail_at(p, 0, "cannot read the file");
	if (!p->failed)
		parser_finish(&r);
	if (!p->failed)
		config_string_replace(&c->path, path);
out:
	if (p->file && fclose(p->file) != 0 && !p->failed)
		config_fail_at(p, 0, "cannot read: %s", strerror(errno));
	if (p->buf)
		explicit_bzero(p->buf, p->cap); /* it held the lines, a token among them */
	free(p->buf);
	free(shown);
	free(default_path);
	return p->failed ? -1 : 0;
}

void config_release(struct config *c)
{
	size_t i;

	free(c->path);
	free(c->backend);
	free(c->url);
	free(c->token_command);
	config_wipe_free(c->token);
	free(c->state_dir);
	free(c->notify.command);
	for (i = 0; i < c->n_queues; i++)
		queue_release(&c->queues[i]);
	for (i = 0; i < c->n_bindings; i++)
		free(c->bindings[i].action);
	free(c->bindings);
	memset(c, 0, sizeof(*c));
}
