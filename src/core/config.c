/* config.c: frontline's INI settings, read through one option table that also gives the
 * defaults and frontline.conf(5); and the API token, from the environment, a private file
 * or a command run without a shell. */
#include "build-config.h"

#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <pwd.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

#include "util.h"

extern char **environ;

enum section {
	SECTION_NONE,
	SECTION_BACKEND,
	SECTION_QUEUE,
	SECTION_NOTIFY,
	SECTION_STATE,
	SECTION_KEYS,
	SECTION_COLORS
};

struct parser;
struct option;

/* Stores value into field (the option's place in struct config or struct config_queue);
 * returns 0, or -1 after option_fail. */
typedef int option_parse_fn(struct parser *p, const struct option *o, void *field,
			    const char *value);

static option_parse_fn parse_backend, parse_url, parse_command, parse_token, parse_text, parse_path,
    parse_duration, parse_bool, parse_teams, parse_warn, parse_hours, parse_timezone,
    parse_notify_level, parse_osc, parse_preview, parse_binding, parse_color;

struct option {
	enum section section;
	const char *name;
	option_parse_fn *parse;
	size_t offset;	      /* into struct config, or struct config_queue for [queue NAME] */
	const char *value;    /* what it takes, for the man page */
	const char *initial;  /* the default, parsed by config_defaults; NULL: computed or none */
	const char *fallback; /* the default as the man page tells it, when not initial */
	const char *help;
};

#define STRING_OF(x) #x
#define STRING(x)    STRING_OF(x)
#define CONF(field)  offsetof(struct config, field)
#define QUEUE(field) offsetof(struct config_queue, field)

static const struct option options[] = {
    {SECTION_BACKEND, "type", parse_backend, CONF(backend), "intercom", "intercom", NULL,
     "The conversation backend. Only intercom for now; chatwoot is planned."},
    {SECTION_BACKEND, "url", parse_url, CONF(url), "URL", "https://api.intercom.io", NULL,
     "Base URL of the API. It must start with https://; plain http:// is allowed only to "
     "this machine (localhost, 127.0.0.1, [::1]), e.g. for frontline-sim. Certificates "
     "are always verified."},
    {SECTION_BACKEND, "token_command", parse_command, CONF(token_command), "command", NULL, "none",
     "A command whose first line of output is the API token, e.g. pass show intercom. "
     "It runs without a shell: words are split and quotes, $VARIABLES and ~ expanded as a "
     "shell would, but $(...), backquotes, pipes, redirections and unset variables are "
     "refused. It runs at start-up unless $FRONTLINE_TOKEN or token gives the token."},
    {SECTION_BACKEND, "token", parse_token, CONF(token), "token", NULL, "none",
     "The API token itself. Accepted only when group and others can neither read nor "
     "write the file (chmod 600). Prefer token_command or $FRONTLINE_TOKEN."},
    {SECTION_BACKEND, "poll_interval", parse_duration, CONF(poll_interval), "duration", "5s", NULL,
     "How often to ask the backend for conversations changed since the last poll."},
    {SECTION_BACKEND, "resync_interval", parse_duration, CONF(resync_interval), "duration", "15m",
     NULL,
     "How often to fetch all open conversations of the queues' teams again, to heal what "
     "the incremental polls missed (they already see closures and moves to other teams, "
     "so this is a safety net; each resync costs one request per 150 conversations)."},
    {SECTION_BACKEND, "poll_overlap", parse_duration, CONF(poll_overlap), "duration", "2s", NULL,
     "Each poll asks for conversations updated after the newest update already seen, less "
     "this overlap, so changes the server commits late within the same seconds are not "
     "lost. The server's own timestamps are compared, so clocks need not agree."},
    {SECTION_BACKEND, "article_refresh", parse_duration, CONF(article_refresh), "duration", "1h",
     NULL, "How long help-center articles are kept before they are fetched again."},
    {SECTION_QUEUE, "title", parse_text, QUEUE(title), "text", NULL, "the queue's NAME",
     "The title of the queue's pane."},
    /* The whole struct config_queue: the list and its length. */
    {SECTION_QUEUE, "teams", parse_teams, 0, "list", NULL, NULL,
     "Required. The teams whose conversations the queue shows: names or ids separated by "
     "commas, at most " STRING(CONFIG_MAX_TEAMS) "."},
    {SECTION_QUEUE, "realtime", parse_bool, QUEUE(realtime), "boolean", NULL, "no",
     "Shows the queue in the real-time pane, and gives it the real-time defaults of "
     "first_response, next_response and warn."},
    {SECTION_QUEUE, "first_response", parse_duration, QUEUE(policy.first_response), "duration",
     NULL, "2m if realtime, else 1h", "Time allowed for the first reply to a conversation."},
    {SECTION_QUEUE, "next_response", parse_duration, QUEUE(policy.next_response), "duration", NULL,
     "2m if realtime, else 1h",
     "Time allowed for each later reply, counted from when the customer started waiting."},
    {SECTION_QUEUE, "warn", parse_warn, QUEUE(policy), "list of durations", NULL,
     "60s,30s if realtime, else 10m,5m",
     "How long before a deadline to warn, separated by commas, at most " STRING(
	 SLA_MAX_WARN) "; the countdown "
		       "turns amber at the largest. Empty: no warnings."},
    {SECTION_QUEUE, "pause_snoozed", parse_bool, QUEUE(policy.pause_snoozed), "boolean", NULL,
     "yes", "Stops the clock while a conversation is snoozed."},
    {SECTION_QUEUE, "hours", parse_hours, QUEUE(policy.hours), "days and times", NULL, "always",
     "Business hours; the clock runs only inside them. Days (Mon-Fri, or Sat,Sun; every "
     "day when left out), then up to " STRING(
	 SLA_MAX_RANGES) " time ranges (09:00-17:00, or 09:00-12:00,13:00-17:00; "
			 "22:00-06:00 runs past midnight). always: the clock never stops."},
    {SECTION_QUEUE, "timezone", parse_timezone, QUEUE(policy.hours.tz), "zone", NULL, "UTC",
     "The time zone of hours, an IANA name such as Europe/Warsaw that exists under "
     "/usr/share/zoneinfo (or $TZDIR)."},
    {SECTION_QUEUE, "notify", parse_notify_level, QUEUE(notify), "none|breach|new|all", NULL,
     "new if realtime, else breach",
     "Which of the queue's events notify: none; breach (a warning at each lead time of "
     "warn and a breach at the deadline); new (also new conversations and new customer "
     "messages); all (today the same as new). Notifications tell the queue, the customer's "
     "name and the time, never the message."},
    {SECTION_NOTIFY, "desktop", parse_bool, CONF(notify.desktop), "boolean", "yes", NULL,
     "Desktop notifications through libnotify (a notification server on the D-Bus session "
     "bus). Without a bus or a server, the other ways still work and the status says once "
     "that desktop notifications are unavailable."},
    {SECTION_NOTIFY, "command", parse_command, CONF(notify.command), "command", NULL, "none",
     "A program run for each notification, without a shell (split as for token_command), "
     "with the event in its environment: FRONTLINE_EVENT (warning, breach, new, message or "
     "summary), FRONTLINE_KIND (what a summary sums up, else the same), FRONTLINE_QUEUE, "
     "FRONTLINE_CONVERSATION_ID, FRONTLINE_CUSTOMER (control characters made visible), "
     "FRONTLINE_DEADLINE (seconds since the epoch), FRONTLINE_SUMMARY (the notification's "
     "title) and FRONTLINE_PREVIEW (see preview; empty without). Each is empty when it "
     "does not apply. frontline never waits for it: while it still runs, later events "
     "skip it; a failure is reported once."},
    {SECTION_NOTIFY, "bell", parse_bool, CONF(notify.bell), "boolean", "yes", NULL,
     "Rings the terminal's bell (BEL) on a notification; tmux and screen pass it on as "
     "an alert."},
    {SECTION_NOTIFY, "osc", parse_osc, CONF(notify.osc), "off|777|9", "off", NULL,
     "Also sends the notification as a terminal escape sequence, which reaches the desktop "
     "of a terminal reached over SSH: 777 (urxvt, foot, kitty, WezTerm) or 9 (iTerm2, "
     "Windows Terminal, WezTerm). Only to a terminal, never into a pipe or a file."},
    {SECTION_NOTIFY, "preview", parse_preview, CONF(notify.preview), "none|redacted", "none", NULL,
     "none: notifications never show the message. redacted: those of new conversations, "
     "warnings and breaches add the first 60 characters of the opening message, every "
     "digit shown as # and every word with an @ (an e-mail address) as [email]; also in "
     "FRONTLINE_PREVIEW for command."},
    {SECTION_NOTIFY, "title", parse_bool, CONF(notify.title), "boolean", "yes", NULL,
     "Shows the counts of breached and warning conversations in the terminal's (or tmux "
     "pane's) title, e.g. \"frontline: 2 breached, 3 warning\", updated when they change. "
     "Only numbers: never customer text."},
    {SECTION_STATE, "dir", parse_path, CONF(state_dir), "directory", NULL,
     "$XDG_STATE_HOME/frontline, or ~/.local/state/frontline",
     "Where the outbox, drafts and article cache are kept. A leading ~/ stands for the "
     "home directory."},
    /* Any action's name: the one entry stands for them all (option_find). */
    {SECTION_KEYS, "ACTION", parse_binding, 0, "keys", NULL, "the keys of frontline(1)",
     "The keys that run the screen's action named ACTION (every name is listed by ? on "
     "the screen and in frontline(1), KEYS), separated by commas; they replace the "
     "action's default keys, and another action's default key given here is taken from it. "
     "A key is a character (r, G, ?, :), C- and a letter for Control (C-x), or Tab, Enter, "
     "Space, Esc, Backspace, Delete, Insert, Up, Down, Left, Right, Home, End, PgUp, PgDn "
     "or F1 to F12; none leaves the action without a key. Example: close = x, C-x."},
    {SECTION_COLORS, "ok", parse_color, CONF(colors.ok), "color", NULL, "green",
     "The countdown of a conversation in time. A colour is a name (default, black, red, "
     "green, yellow, blue, magenta, cyan, white, or bright and a name), color0 to "
     "color255, or FG on BG, with any of bold, underline and reverse before it, e.g. "
     "bold white on red. $NO_COLOR turns every colour off."},
    {SECTION_COLORS, "warning", parse_color, CONF(colors.warning), "color", NULL, "yellow",
     "The countdown once a warning lead time is reached."},
    {SECTION_COLORS, "breached", parse_color, CONF(colors.breached), "color", NULL, "red",
     "The countdown past the deadline."},
    {SECTION_COLORS, "title", parse_color, CONF(colors.title), "color", NULL, "cyan",
     "The panes' and the views' titles."},
    {SECTION_COLORS, "status", parse_color, CONF(colors.status), "color", NULL,
     "black on cyan", "The status bar."},
    {SECTION_COLORS, "customer", parse_color, CONF(colors.customer), "color", NULL, "magenta",
     "The customer's messages in the conversation view."},
    {SECTION_COLORS, "agent", parse_color, CONF(colors.agent), "color", NULL, "blue",
     "The agents' replies in the conversation view."},
    {SECTION_COLORS, "note", parse_color, CONF(colors.note), "color", NULL, "yellow",
     "Internal notes."},
    {SECTION_COLORS, "event", parse_color, CONF(colors.event), "color", NULL, "cyan",
     "Events of the conversation (closed, assigned...) and hints."},
    {SECTION_COLORS, "error", parse_color, CONF(colors.error), "color", NULL, "red",
     "Error messages."},
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

struct parser {
	struct config *c;
	const char *shown; /* the file's name in messages, with ~ for the home directory */
	FILE *file;
	mode_t mode;
	int line;
	enum section section;
	size_t queue;	     /* the current [queue NAME] */
	bool own_queues;     /* the file's queues have replaced the defaults */
	int seen[N_OPTIONS]; /* line each [backend] or [state] key was set on */
	int queue_line[CONFIG_MAX_QUEUES];
	int queue_seen[CONFIG_MAX_QUEUES][N_OPTIONS];
	const char *name; /* the key being parsed, for [keys] */
	char *buf;
	size_t cap;
	bool failed;
	int fail_line;
	char *err;
	size_t errlen;
};

static void parser_fail_at(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void parser_fail_at(struct parser *p, int line, const char *fmt, ...)
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

static int option_fail(struct parser *p, const struct option *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int option_fail(struct parser *p, const struct option *o, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	parser_fail_at(p, p->line, "%s: %s", o->name, msg);
	return -1;
}

/* A value quoted back in a message: cut short, control characters as '?', so that a stray
 * byte in the file cannot drive the terminal the message is shown on. */
static const char *value_shown(char *buf, size_t len, const char *v)
{
	size_t i;

	for (i = 0; v[i] && i + 4 < len; i++)
		buf[i] = iscntrl((unsigned char)v[i]) ? '?' : v[i];
	if (v[i])
		buf[i++] = '.', buf[i++] = '.', buf[i++] = '.';
	buf[i] = '\0';
	return buf;
}

static char *trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if (iscntrl((unsigned char)*s))
			return true;
	return false;
}

/* A bearer token goes into an HTTP header: anything but visible ASCII could split it. */
static bool token_is_valid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e)
			return false;
	return true;
}

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static void string_replace(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

static const char *home_dir(void)
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
static char *xdg_path(const char *variable, const char *fallback, const char *leaf)
{
	const char *base = getenv(variable);
	const char *home;

	if (base && base[0] == '/')
		return xasprintf("%s/%s", base, leaf);
	home = home_dir();
	return home ? xasprintf("%s/%s/%s", home, fallback, leaf) : NULL;
}

static char *path_shown(const char *path)
{
	const char *home = home_dir();
	size_t n = home ? strlen(home) : 0;

	if (n > 1 && !strncmp(path, home, n) && path[n] == '/')
		return xasprintf("~%s", path + n);
	return xstrdup(path);
}

static int parse_backend(struct parser *p, const struct option *o, void *field, const char *value)
{
	char shown[80];

	if (!strcmp(value, "chatwoot"))
		return option_fail(p, o, "the chatwoot backend is not supported yet; use intercom");
	if (strcmp(value, "intercom"))
		return option_fail(p, o, "expected intercom, got \"%s\"",
				   value_shown(shown, sizeof(shown), value));
	string_replace(field, value);
	return 0;
}

/* http:// only to this machine: the token and the customers' words must not cross a
 * network unencrypted. The authority must be exactly the host, with an optional port, so
 * that "localhost@example.com" or "localhost.example.com" do not pass. */
static bool authority_is_loopback(const char *authority, size_t len)
{
	static const char *const hosts[] = {"localhost", "127.0.0.1", "[::1]"};
	size_t i, n;

	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		n = strlen(hosts[i]);
		if (len < n || strncasecmp(authority, hosts[i], n))
			continue;
		if (len == n)
			return true;
		if (authority[n] == ':' && len > n + 1 &&
		    strspn(authority + n + 1, "0123456789") == len - n - 1)
			return true;
	}
	return false;
}

static int parse_url(struct parser *p, const struct option *o, void *field, const char *value)
{
	char shown[120];
	const char *rest;
	size_t authority, n;
	bool plain = false;

	value_shown(shown, sizeof(shown), value);
	if (!strncasecmp(value, "https://", 8)) {
		rest = value + 8;
	} else if (!strncasecmp(value, "http://", 7)) {
		rest = value + 7;
		plain = true;
	} else {
		return option_fail(p, o, "expected a URL starting with https://, got \"%s\"",
				   shown);
	}
	authority = strcspn(rest, "/");
	if (!authority || strpbrk(value, " \t?#") || has_control(value))
		return option_fail(p, o, "expected a base URL such as %s, got \"%s\"", o->initial,
				   shown);
	if (plain && !authority_is_loopback(rest, authority))
		return option_fail(p, o,
				   "plain http:// is refused for \"%s\": use https:// (http:// is "
				   "allowed only to localhost, 127.0.0.1 and [::1])",
				   shown);
	/* Request paths are appended with their own leading slash. */
	n = strlen(value);
	while (n > 0 && value[n - 1] == '/')
		n--;
	free(*(char **)field);
	*(char **)field = xstrndup(value, n);
	return 0;
}

/* Splits command into words as a shell would, without running anything: no command
 * substitution, and no unset variables; WRDE_SHOWERR is left out so that wordexp's own
 * shell says nothing on stderr. Returns 0 (the caller calls wordfree), or -1 with why. */
static int command_split(const char *command, wordexp_t *words, const char **why)
{
	int rc = wordexp(command, words, WRDE_NOCMD | WRDE_UNDEF);

	switch (rc) {
	case 0:
		if (words->we_wordc > 0)
			return 0;
		wordfree(words);
		*why = "names no program";
		return -1;
	case WRDE_BADCHAR:
		*why = "holds one of | & ; < > ( ) { } or a newline outside quotes; it runs "
		       "without a shell, so put a pipeline in a script and name the script";
		return -1;
	case WRDE_BADVAL:
		*why = "uses an environment variable that is not set";
		return -1;
	case WRDE_CMDSUB:
		*why = "uses command substitution ($(...) or backquotes), which is refused; "
		       "name the program and its arguments directly";
		return -1;
	case WRDE_NOSPACE:
		wordfree(words);
		*why = "could not be split: out of memory";
		return -1;
	default:
		*why = "has unbalanced quotes or brackets";
		return -1;
	}
}

static int parse_command(struct parser *p, const struct option *o, void *field, const char *value)
{
	wordexp_t words;
	const char *why;

	if (command_split(value, &words, &why) < 0)
		return option_fail(p, o, "the command %s", why);
	wordfree(&words);
	string_replace(field, value);
	return 0;
}

/* Never quotes the value: it is a secret. */
static int parse_token(struct parser *p, const struct option *o, void *field, const char *value)
{
	if (p->mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH))
		return option_fail(p, o,
				   "refused: other users can read or change this file (mode %04o); "
				   "run chmod 600 %s, or give the token with token_command or "
				   "$FRONTLINE_TOKEN instead",
				   (unsigned)(p->mode & 07777), p->shown);
	if (!token_is_valid(value))
		return option_fail(p, o,
				   "the token is empty or holds spaces or control characters");
	wipe_free(*(char **)field);
	*(char **)field = xstrdup(value);
	return 0;
}

static int parse_text(struct parser *p, const struct option *o, void *field, const char *value)
{
	if (!*value || has_control(value))
		return option_fail(p, o, "expected some text without control characters");
	string_replace(field, value);
	return 0;
}

static int parse_path(struct parser *p, const struct option *o, void *field, const char *value)
{
	const char *home = home_dir();
	char shown[120];

	if (!strncmp(value, "~/", 2) && home) {
		free(*(char **)field);
		*(char **)field = xasprintf("%s/%s", home, value + 2);
		return 0;
	}
	if (value[0] != '/' || has_control(value))
		return option_fail(p, o,
				   "expected an absolute directory or one under ~/, got \"%s\"",
				   value_shown(shown, sizeof(shown), value));
	string_replace(field, value);
	return 0;
}

static int parse_duration(struct parser *p, const struct option *o, void *field, const char *value)
{
	char shown[80];
	int64_t seconds;

	if (sla_parse_duration(value, &seconds) != 0 || seconds <= 0)
		return option_fail(p, o, "expected a duration such as 5s or 1m, got \"%s\"",
				   value_shown(shown, sizeof(shown), value));
	*(int64_t *)field = seconds;
	return 0;
}

static int parse_bool(struct parser *p, const struct option *o, void *field, const char *value)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	char shown[80];
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(value, yes[i]) || !strcasecmp(value, no[i])) {
			*(bool *)field = !strcasecmp(value, yes[i]);
			return 0;
		}
	}
	return option_fail(p, o, "expected yes or no (or true/false, on/off, 1/0), got \"%s\"",
			   value_shown(shown, sizeof(shown), value));
}

static void queue_release_teams(struct config_queue *q)
{
	size_t i;

	for (i = 0; i < q->n_teams; i++)
		free(q->teams[i]);
	q->n_teams = 0;
}

static int parse_teams(struct parser *p, const struct option *o, void *field, const char *value)
{
	struct config_queue *q = field;
	char *copy = xstrdup(value), *save = NULL, *item;
	int rc = 0;

	queue_release_teams(q);
	for (item = strtok_r(copy, ",", &save); item && !rc; item = strtok_r(NULL, ",", &save)) {
		item = trim(item);
		if (!*item)
			continue;
		if (q->n_teams == CONFIG_MAX_TEAMS || has_control(item))
			rc = option_fail(p, o, "expected at most %d team names or ids",
					 CONFIG_MAX_TEAMS);
		else
			q->teams[q->n_teams++] = xstrdup(item);
	}
	free(copy);
	if (!rc && !q->n_teams)
		rc = option_fail(p, o,
				 "expected team names or ids separated by commas, got nothing");
	return rc;
}

static int parse_warn(struct parser *p, const struct option *o, void *field, const char *value)
{
	struct sla_policy *policy = field;
	int64_t warn[SLA_MAX_WARN], seconds;
	char *copy = xstrdup(value), *save = NULL, *item, shown[80];
	int n = 0, i, rc = 0;

	for (item = strtok_r(copy, ",", &save); item && !rc; item = strtok_r(NULL, ",", &save)) {
		item = trim(item);
		if (!*item)
			continue;
		if (sla_parse_duration(item, &seconds) != 0 || seconds <= 0) {
			rc = option_fail(p, o, "expected durations such as 60s, 30s, got \"%s\"",
					 value_shown(shown, sizeof(shown), item));
			break;
		}
		for (i = 0; i < n && warn[i] > seconds; i++)
			;
		if (i < n && warn[i] == seconds)
			continue;
		if (n == SLA_MAX_WARN) {
			rc = option_fail(p, o, "expected at most %d lead times", SLA_MAX_WARN);
			break;
		}
		/* Largest first: the countdown's colours step through them in order. */
		memmove(warn + i + 1, warn + i, (size_t)(n - i) * sizeof(warn[0]));
		warn[i] = seconds;
		n++;
	}
	free(copy);
	if (rc)
		return rc;
	memcpy(policy->warn, warn, (size_t)n * sizeof(warn[0]));
	policy->n_warn = n;
	return 0;
}

static int day_parse(const char *s, size_t len)
{
	static const char *const names[] = {"sunday",	"monday", "tuesday", "wednesday",
					    "thursday", "friday", "saturday"};
	int d;

	for (d = 0; d < 7; d++)
		if ((len == 3 || len == strlen(names[d])) && !strncasecmp(s, names[d], len))
			return d;
	return -1;
}

/* "Mon-Fri,Sun" (spaces already removed) into days; "Fri-Mon" wraps over the weekend. */
static int days_parse(char *s, unsigned char *days)
{
	char *save = NULL, *item, *dash;
	int from, to;

	*days = 0;
	for (item = strtok_r(s, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		dash = strchr(item, '-');
		from = day_parse(item, dash ? (size_t)(dash - item) : strlen(item));
		to = dash ? day_parse(dash + 1, strlen(dash + 1)) : from;
		if (from < 0 || to < 0)
			return -1;
		for (;; from = (from + 1) % 7) {
			*days |= (unsigned char)(1u << from);
			if (from == to)
				break;
		}
	}
	return *days ? 0 : -1;
}

/* "9:00" or "09:00" into minutes after midnight; 24:00 only as an end. */
static int clock_parse(const char *s, size_t len, bool end, int *minutes)
{
	int h, m;

	if (len == 4 && isdigit((unsigned char)s[0]) && s[1] == ':')
		h = s[0] - '0', s += 2;
	else if (len == 5 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
		 s[2] == ':')
		h = (s[0] - '0') * 10 + s[1] - '0', s += 3;
	else
		return -1;
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return -1;
	m = (s[0] - '0') * 10 + s[1] - '0';
	if (m > 59 || h > 24 || (h == 24 && (m || !end)))
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

static int ranges_parse(char *s, struct sla_hours *h, const char **why)
{
	char *save = NULL, *item, *dash;
	int start, end;

	h->n_ranges = 0;
	for (item = strtok_r(s, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		dash = strchr(item, '-');
		if (!dash || clock_parse(item, (size_t)(dash - item), false, &start) < 0 ||
		    clock_parse(dash + 1, strlen(dash + 1), true, &end) < 0) {
			*why = "expected times such as 09:00-17:00";
			return -1;
		}
		if (start == end) {
			*why = "a time range starts and ends at the same time";
			return -1;
		}
		if (h->n_ranges == SLA_MAX_RANGES) {
			*why = "too many time ranges (at most " STRING(SLA_MAX_RANGES) ")";
			return -1;
		}
		h->ranges[h->n_ranges].start = start;
		h->ranges[h->n_ranges].end = end;
		h->n_ranges++;
	}
	if (!h->n_ranges) {
		*why = "expected times such as 09:00-17:00";
		return -1;
	}
	return 0;
}

static int parse_hours(struct parser *p, const struct option *o, void *field, const char *value)
{
	struct sla_hours *hours = field, parsed = *hours;
	char *copy = xmalloc(strlen(value) + 1), *times, shown[80];
	const char *why = "expected days such as Mon-Fri or Sat,Sun";
	size_t i, n = 0;
	int rc = 0;

	/* "Sat, Sun 10:00-14:00": spaces carry no meaning, the days end at the first digit. */
	for (i = 0; value[i]; i++)
		if (!isspace((unsigned char)value[i]))
			copy[n++] = value[i];
	copy[n] = '\0';
	parsed.enabled = false;
	parsed.days = 0;
	parsed.n_ranges = 0;
	if (strcasecmp(copy, "always")) {
		times = copy + strcspn(copy, "0123456789");
		parsed.days = 0x7f; /* no days written: every day */
		if (times > copy) {
			char first = *times;

			*times = '\0';
			rc = days_parse(copy, &parsed.days);
			*times = first;
		}
		if (!rc)
			rc = ranges_parse(times, &parsed, &why);
		parsed.enabled = true;
	}
	free(copy);
	if (rc)
		return option_fail(p, o, "%s; got \"%s\"", why,
				   value_shown(shown, sizeof(shown), value));
	*hours = parsed;
	return 0;
}

/* The zone must be one the C library can load, so a typo fails here and not silently
 * as UTC at the first deadline. */
static int parse_timezone(struct parser *p, const struct option *o, void *field, const char *value)
{
	static const char allowed[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				      "0123456789/_+-";
	const char *dir = getenv("TZDIR");
	char *tz = field, *path, magic[4] = {0}, shown[80];
	size_t len = strlen(value);
	ssize_t n = -1;
	int fd;

	value_shown(shown, sizeof(shown), value);
	if (!len || len >= sizeof(((struct sla_hours *)0)->tz) || value[0] == '/' ||
	    strstr(value, "..") || strspn(value, allowed) != len)
		return option_fail(p, o, "expected a time zone such as Europe/Warsaw, got \"%s\"",
				   shown);
	if (!dir || dir[0] != '/')
		dir = "/usr/share/zoneinfo";
	path = xasprintf("%s/%s", dir, value);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd >= 0) {
		n = read(fd, magic, sizeof(magic));
		(void)close(fd); /* read-only: nothing to lose */
	}
	if (strcmp(value, "UTC") && (n != 4 || memcmp(magic, "TZif", 4)))
		return option_fail(p, o,
				   "unknown time zone \"%s\" (not in %s); expected a name "
				   "such as Europe/Warsaw",
				   shown, dir);
	memcpy(tz, value, len + 1);
	return 0;
}

/* A keyword from a list into an int field: the index of the word. */
static int keyword_parse(struct parser *p, const struct option *o, void *field, const char *value,
			 const char *const *words, size_t n)
{
	char shown[80];
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcasecmp(value, words[i])) {
			*(int *)field = (int)i;
			return 0;
		}
	}
	return option_fail(p, o, "expected %s, got \"%s\"", o->value,
			   value_shown(shown, sizeof(shown), value));
}

static int parse_notify_level(struct parser *p, const struct option *o, void *field,
			      const char *value)
{
	static const char *const words[] = {
	    [CONFIG_NOTIFY_NONE] = "none",
	    [CONFIG_NOTIFY_BREACH] = "breach",
	    [CONFIG_NOTIFY_NEW] = "new",
	    [CONFIG_NOTIFY_ALL] = "all",
	};
	enum config_notify_level *level = field;
	int v = 0;

	if (keyword_parse(p, o, &v, value, words, sizeof(words) / sizeof(words[0])) < 0)
		return -1;
	*level = (enum config_notify_level)v;
	return 0;
}

static int parse_osc(struct parser *p, const struct option *o, void *field, const char *value)
{
	static const char *const words[] = {
	    [CONFIG_OSC_OFF] = "off", [CONFIG_OSC_777] = "777", [CONFIG_OSC_9] = "9"};
	enum config_osc *osc = field;
	int v = 0;

	if (keyword_parse(p, o, &v, value, words, sizeof(words) / sizeof(words[0])) < 0)
		return -1;
	*osc = (enum config_osc)v;
	return 0;
}

static int parse_preview(struct parser *p, const struct option *o, void *field, const char *value)
{
	static const char *const words[] = {
	    [CONFIG_PREVIEW_NONE] = "none", [CONFIG_PREVIEW_REDACTED] = "redacted"};
	enum config_preview *preview = field;
	int v = 0;

	if (keyword_parse(p, o, &v, value, words, sizeof(words) / sizeof(words[0])) < 0)
		return -1;
	*preview = (enum config_preview)v;
	return 0;
}

/* ---- [keys] ---- */

static const struct {
	const char *name;
	int key;
} key_names[] = {
    {"tab", '\t'},
    {"enter", '\r'},
    {"return", '\r'},
    {"space", ' '},
    {"esc", 27},
    {"escape", 27},
    {"backspace", CONFIG_KEY_BACKSPACE},
    {"delete", CONFIG_KEY_DELETE},
    {"insert", CONFIG_KEY_INSERT},
    {"up", CONFIG_KEY_UP},
    {"down", CONFIG_KEY_DOWN},
    {"left", CONFIG_KEY_LEFT},
    {"right", CONFIG_KEY_RIGHT},
    {"home", CONFIG_KEY_HOME},
    {"end", CONFIG_KEY_END},
    {"pgup", CONFIG_KEY_PGUP},
    {"pgdn", CONFIG_KEY_PGDN},
    {"pageup", CONFIG_KEY_PGUP},
    {"pagedown", CONFIG_KEY_PGDN},
};

/* One key as written: a name, C-x, F1..F12, or one character (UTF-8). */
static int key_parse(const char *s, int *key)
{
	size_t i, len = strlen(s);
	unsigned char c0 = (unsigned char)s[0];
	int n, f;

	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (!strcasecmp(s, key_names[i].name)) {
			*key = key_names[i].key;
			return 0;
		}
	if (len == 3 && (s[0] == 'C' || s[0] == 'c') && s[1] == '-' &&
	    isalpha((unsigned char)s[2])) {
		*key = tolower((unsigned char)s[2]) - 'a' + 1;
		return 0;
	}
	if ((s[0] == 'F' || s[0] == 'f') && sscanf(s + 1, "%d%n", &f, &n) == 1 &&
	    (size_t)n + 1 == len && f >= 1 && f <= 12) {
		*key = CONFIG_KEY_F1 + f - 1;
		return 0;
	}
	/* one character: ASCII, or a UTF-8 sequence of 2 to 4 bytes */
	if (len == 1 && c0 > 0x20 && c0 < 0x7f) {
		*key = c0;
		return 0;
	}
	n = c0 >= 0xf0 ? 4 : c0 >= 0xe0 ? 3 : c0 >= 0xc2 ? 2 : 0;
	if (!n || (size_t)n != len || c0 > 0xf4)
		return -1;
	*key = c0 & (0x7f >> n);
	for (i = 1; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return -1;
		*key = (*key << 6) | ((unsigned char)s[i] & 0x3f);
	}
	return *key >= 0xa0 && *key <= 0x10ffff ? 0 : -1;
}

/* "[keys] reply: message" on the line being read. */
static int binding_fail(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int binding_fail(struct parser *p, const char *fmt, ...)
{
	char msg[300], shown[80];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	parser_fail_at(p, p->line, "[keys] %s: %s", value_shown(shown, sizeof(shown), p->name),
		       msg);
	return -1;
}

static int parse_binding(struct parser *p, const struct option *o, void *field, const char *value)
{
	struct config *c = p->c;
	struct config_binding b = {.line = p->line};
	char *copy, *save = NULL, *item, shown[80];
	size_t i;
	int rc = 0;

	(void)field;
	(void)o;
	for (i = 0; i < c->n_bindings; i++)
		if (!strcmp(c->bindings[i].action, p->name))
			return binding_fail(p, "given twice (first on line %d)", c->bindings[i].line);
	if (strcasecmp(value, "none")) {
		copy = xstrdup(value);
		for (item = strtok_r(copy, ",", &save); item && !rc;
		     item = strtok_r(NULL, ",", &save)) {
			item = trim(item);
			if (b.n_keys == CONFIG_MAX_KEYS)
				rc = binding_fail(p, "at most %d keys", CONFIG_MAX_KEYS);
			else if (!*item || key_parse(item, &b.keys[b.n_keys++]) < 0)
				rc = binding_fail(p,
						  "\"%s\" is not a key; expected a character, C-x, "
						  "Tab, Enter, Space, Esc, Backspace, Delete, Up, Down, "
						  "Left, Right, Home, End, PgUp, PgDn, F1..F12 or none",
						  value_shown(shown, sizeof(shown), item));
		}
		free(copy);
		if (rc)
			return -1;
		if (!b.n_keys)
			return binding_fail(p, "no keys given; write none to leave it without");
	}
	b.action = xstrdup(p->name);
	c->bindings = xrealloc(c->bindings, (c->n_bindings + 1) * sizeof(*c->bindings));
	c->bindings[c->n_bindings++] = b;
	return 0;
}

/* ---- [colors] ---- */

static int color_word(const char *w, short *color)
{
	static const char *const names[] = {"black", "red",	"green", "yellow",
					    "blue",  "magenta", "cyan",	 "white"};
	int i, n;
	bool bright = !strncasecmp(w, "bright", 6);

	if (!strcasecmp(w, "default")) {
		*color = -1;
		return 0;
	}
	if (!strncasecmp(w, "color", 5) && sscanf(w + 5, "%d%n", &i, &n) == 1 &&
	    (size_t)n + 5 == strlen(w) && i >= 0 && i <= 255) {
		*color = (short)i;
		return 0;
	}
	if (bright)
		w += 6 + (w[6] == '-' || w[6] == '_');
	for (i = 0; i < 8; i++)
		if (!strcasecmp(w, names[i])) {
			*color = (short)(i + (bright ? 8 : 0));
			return 0;
		}
	return -1;
}

static int parse_color(struct parser *p, const struct option *o, void *field, const char *value)
{
	struct config_color col = {.set = true, .fg = -1, .bg = -1};
	char *copy = xstrdup(value), *save = NULL, *w, shown[80];
	int colors = 0, rc = 0;
	bool on = false;

	for (w = strtok_r(copy, " \t", &save); w && !rc; w = strtok_r(NULL, " \t", &save)) {
		if (!strcasecmp(w, "bold"))
			col.bold = true;
		else if (!strcasecmp(w, "underline"))
			col.underline = true;
		else if (!strcasecmp(w, "reverse"))
			col.reverse = true;
		else if (!strcasecmp(w, "on") && colors == 1 && !on)
			on = true;
		else if (colors < 2 && (colors == 0 || on) &&
			 color_word(w, colors ? &col.bg : &col.fg) == 0)
			colors++;
		else
			rc = -1;
	}
	free(copy);
	if (rc || (on && colors != 2) || (!colors && !col.bold && !col.underline && !col.reverse))
		return option_fail(p, o,
				   "expected a colour such as red, bold yellow, color208 or "
				   "white on blue, got \"%s\"",
				   value_shown(shown, sizeof(shown), value));
	*(struct config_color *)field = col;
	return 0;
}

static const struct option *option_find(enum section section, const char *name)
{
	size_t i;

	for (i = 0; i < N_OPTIONS; i++)
		if (options[i].section == section &&
		    (section == SECTION_KEYS || !strcmp(options[i].name, name)))
			return &options[i];
	return NULL;
}

static void queue_release(struct config_queue *q)
{
	free(q->key);
	free(q->title);
	queue_release_teams(q);
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

static void parser_enter_queue(struct parser *p, const char *key)
{
	struct config *c = p->c;
	size_t i;

	if (!*key || strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				 "0123456789_-") != strlen(key)) {
		parser_fail_at(p, p->line,
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
			parser_fail_at(p, p->line, "[queue %s] is already defined on line %d", key,
				       p->queue_line[i]);
			return;
		}
	}
	if (c->n_queues == CONFIG_MAX_QUEUES) {
		parser_fail_at(p, p->line, "too many queues: at most %d", CONFIG_MAX_QUEUES);
		return;
	}
	p->queue = c->n_queues;
	p->queue_line[p->queue] = p->line;
	queue_add(c, key);
}

/* The reader sees the section header before inih does: it knows the line, and it sees
 * sections that hold no keys, which inih never reports. */
static void parser_enter_section(struct parser *p, const char *line)
{
	const char *close = strchr(line, ']');
	char name[96], shown[96], *s;
	size_t n;

	if (!close)
		return; /* inih reports the malformed line */
	n = (size_t)(close - line - 1);
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, line + 1, n);
	name[n] = '\0';
	s = trim(name);
	if (!strcmp(s, "backend")) {
		p->section = SECTION_BACKEND;
	} else if (!strcmp(s, "state")) {
		p->section = SECTION_STATE;
	} else if (!strcmp(s, "notify")) {
		p->section = SECTION_NOTIFY;
	} else if (!strcmp(s, "keys")) {
		p->section = SECTION_KEYS;
	} else if (!strcmp(s, "colors")) {
		p->section = SECTION_COLORS;
	} else if (!strncmp(s, "queue", 5) && (!s[5] || isspace((unsigned char)s[5]))) {
		p->section = SECTION_QUEUE;
		parser_enter_queue(p, trim(s + 5));
	} else {
		parser_fail_at(
		    p, p->line,
		    "unknown section [%s]; known sections: [backend], [queue NAME], [notify], "
		    "[state], [keys], [colors]",
		    value_shown(shown, sizeof(shown), s));
	}
}

/* inih's fgets: counts lines, so that the handler can name the line of a semantic error,
 * and stops the parse at the first error. */
static char *parser_read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	ssize_t n;
	char *start;

	if (p->failed)
		return NULL;
	errno = 0;
	n = getline(&p->buf, &p->cap, p->file);
	if (n < 0) {
		if (ferror(p->file))
			parser_fail_at(p, 0, "cannot read: %s", strerror(errno ? errno : EIO));
		return NULL;
	}
	p->line++;
	if (memchr(p->buf, '\0', (size_t)n)) {
		parser_fail_at(p, p->line, "the line holds a NUL byte");
		return NULL;
	}
	/* Without its indentation a line is never taken as the continuation of the previous
	 * value, and an indented key is read as the key it looks like. */
	start = p->buf;
	if (p->line == 1 && !strncmp(start, "\xEF\xBB\xBF", 3))
		start += 3; /* a UTF-8 byte order mark, which would hide a first [section] */
	start = trim(start);
	if ((int)strlen(start) > num - 3) {
		parser_fail_at(p, p->line, "the line is longer than %d characters", num - 3);
		return NULL;
	}
	if (start[0] == '[')
		parser_enter_section(p, start);
	if (p->failed)
		return NULL;
	snprintf(str, (size_t)num, "%s\n", start);
	return str;
}

static void option_list(enum section section, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < N_OPTIONS && used < len; i++)
		if (options[i].section == section)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
						 options[i].name);
}

static int parser_handle(void *user, const char *section, const char *name, const char *value)
{
	struct parser *p = user;
	const struct option *o;
	char known[256], shown[64], where[96];
	char *base = (char *)p->c;
	int *seen = p->seen;

	(void)section; /* the reader followed the sections, with their lines */
	if (p->failed)
		return 0;
	value_shown(shown, sizeof(shown), name);
	if (p->section == SECTION_NONE) {
		parser_fail_at(p, p->line,
			       "key \"%s\" is outside any section; put it under "
			       "[backend], [queue NAME], [notify], [state], [keys] or [colors]",
			       shown);
		return 0;
	}
	if (p->section == SECTION_QUEUE) {
		base = (char *)&p->c->queues[p->queue];
		seen = p->queue_seen[p->queue];
		snprintf(where, sizeof(where), "[queue %s]", p->c->queues[p->queue].key);
	} else {
		snprintf(where, sizeof(where), "[%s]",
			 p->section == SECTION_BACKEND	? "backend"
			 : p->section == SECTION_NOTIFY ? "notify"
			 : p->section == SECTION_KEYS	? "keys"
			 : p->section == SECTION_COLORS ? "colors"
							: "state");
	}
	o = option_find(p->section, name);
	if (!o) {
		option_list(p->section, known, sizeof(known));
		parser_fail_at(p, p->line, "unknown key \"%s\" in %s; known keys: %s", shown, where,
			       known);
		return 0;
	}
	p->name = name;
	/* [keys] holds one entry for every action: parse_binding finds repeats */
	if (seen[o - options] && p->section != SECTION_KEYS) {
		parser_fail_at(p, p->line, "%s: given twice in %s (first on line %d)", o->name,
			       where, seen[o - options]);
		return 0;
	}
	seen[o - options] = p->line;
	return o->parse(p, o, base + o->offset, value) == 0;
}

static bool queue_seen(const struct parser *p, size_t queue, const char *name)
{
	return p->queue_seen[queue][option_find(SECTION_QUEUE, name) - options] != 0;
}

/* What needs the whole section: the required teams, the title, and the real-time
 * defaults, which depend on realtime wherever it is written. */
static void parser_finish(struct parser *p)
{
	struct config_queue *q;
	struct sla_policy fallback;
	size_t i;

	for (i = 0; p->own_queues && i < p->c->n_queues; i++) {
		q = &p->c->queues[i];
		if (!q->n_teams) {
			parser_fail_at(p, p->queue_line[i],
				       "[queue %s] has no teams; add e.g. "
				       "teams = Support",
				       q->key);
			return;
		}
		if (!q->title)
			q->title = xstrdup(q->key);
		sla_policy_default(&fallback, q->realtime);
		if (!queue_seen(p, i, "first_response"))
			q->policy.first_response = fallback.first_response;
		if (!queue_seen(p, i, "next_response"))
			q->policy.next_response = fallback.next_response;
		if (!queue_seen(p, i, "warn")) {
			memcpy(q->policy.warn, fallback.warn, sizeof(q->policy.warn));
			q->policy.n_warn = fallback.n_warn;
		}
		if (!queue_seen(p, i, "notify"))
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
	struct parser p = {.c = c, .shown = "built-in default", .err = err, .errlen = sizeof(err)};
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < N_OPTIONS; i++) {
		const struct option *o = &options[i];

		if (o->initial && o->parse(&p, o, (char *)c + o->offset, o->initial) < 0)
			die("%s", err);
	}
	c->state_dir = xdg_path("XDG_STATE_HOME", ".local/state", "frontline");
	queue_add_default(c, "realtime", "Real-time", "Live chat", true);
	queue_add_default(c, "standard", "Standard", "Support", false);
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	struct parser p = {.c = c, .err = err, .errlen = errlen};
	char *default_path = NULL, *shown;
	struct stat st;
	int rc;

	if (!path) {
		default_path = xdg_path("XDG_CONFIG_HOME", ".config", "frontline/config");
		if (!default_path)
			return 0; /* no home directory, so no file: the defaults stand */
		path = default_path;
	}
	shown = path_shown(path);
	p.shown = shown;
	p.file = fopen(path, "re");
	if (!p.file) {
		if (!default_path || (errno != ENOENT && errno != ENOTDIR))
			parser_fail_at(&p, 0, "cannot open the configuration file: %s",
				       strerror(errno));
		goto out;
	}
	if (fstat(fileno(p.file), &st) < 0 || !S_ISREG(st.st_mode)) {
		parser_fail_at(&p, 0, "not a regular file");
		goto out;
	}
	p.mode = st.st_mode;
	rc = ini_parse_stream(parser_read_line, &p, parser_handle, &p);
	/* inih reports the first line it could not parse, mine the first it could not use. */
	if (rc > 0 && (!p.failed || (p.fail_line > rc)))
		parser_fail_at(&p, rc,
			       "cannot parse this line; expected [section], key = value "
			       "or a comment");
	else if (rc < 0 && !p.failed)
		parser_fail_at(&p, 0, "cannot read the file");
	if (!p.failed)
		parser_finish(&p);
	if (!p.failed)
		string_replace(&c->path, path);
out:
	if (p.file && fclose(p.file) != 0 && !p.failed)
		parser_fail_at(&p, 0, "cannot read: %s", strerror(errno));
	if (p.buf)
		explicit_bzero(p.buf, p.cap); /* it held the lines, a token among them */
	free(p.buf);
	free(shown);
	free(default_path);
	return p.failed ? -1 : 0;
}

void config_release(struct config *c)
{
	size_t i;

	free(c->path);
	free(c->backend);
	free(c->url);
	free(c->token_command);
	wipe_free(c->token);
	free(c->state_dir);
	free(c->notify.command);
	for (i = 0; i < c->n_queues; i++)
		queue_release(&c->queues[i]);
	for (i = 0; i < c->n_bindings; i++)
		free(c->bindings[i].action);
	free(c->bindings);
	memset(c, 0, sizeof(*c));
}

/* The first line of what fd delivers, read to the end so the command never dies of
 * SIGPIPE; -1 if that line does not fit. Wipes what it does not return. */
static int command_read_line(int fd, char *line, size_t size)
{
	char scratch[512];
	size_t len = 0, room;
	ssize_t n;
	char *to, *newline;

	for (;;) {
		to = len < size - 1 ? line + len : scratch;
		room = len < size - 1 ? size - 1 - len : sizeof(scratch);
		n = read(fd, to, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (to == line)
			len += (size_t)n;
	}
	explicit_bzero(scratch, sizeof(scratch));
	line[len] = '\0';
	newline = strchr(line, '\n');
	if (!newline && len == size - 1)
		return -1;
	if (newline)
		explicit_bzero(newline, len - (size_t)(newline - line));
	len = strlen(line);
	while (len > 0 && isspace((unsigned char)line[len - 1]))
		line[--len] = '\0';
	return 0;
}

/* Runs the command without a shell, stdout into a pipe; stdin and stderr stay the
 * user's, so that a password prompt (pass, gpg) still works. Never says what it printed. */
static char *command_run(const char *command, char *err, size_t errlen)
{
	posix_spawn_file_actions_t actions;
	char line[4096], *token = NULL;
	const char *why;
	wordexp_t words;
	int fds[2], rc, status;
	pid_t pid;

	if (command_split(command, &words, &why) < 0) {
		snprintf(err, errlen, "token_command \"%s\" %s", command, why);
		return NULL;
	}
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot run token_command: pipe: %s", strerror(errno));
		wordfree(&words);
		return NULL;
	}
	rc = posix_spawn_file_actions_init(&actions);
	if (!rc) {
		rc = posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
		if (!rc)
			rc = posix_spawnp(&pid, words.we_wordv[0], &actions, NULL, words.we_wordv,
					  environ);
		posix_spawn_file_actions_destroy(&actions);
	}
	(void)close(fds[1]); /* the child's copy is the one that matters */
	wordfree(&words);
	if (rc) {
		(void)close(fds[0]);
		snprintf(err, errlen, "cannot run token_command \"%s\": %s", command, strerror(rc));
		return NULL;
	}
	rc = command_read_line(fds[0], line, sizeof(line));
	(void)close(fds[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "token_command \"%s\": waitpid: %s", command,
				 strerror(errno));
			goto out;
		}
	}
	if (WIFSIGNALED(status))
		snprintf(err, errlen,
			 "token_command \"%s\" was killed by signal %d; its output is "
			 "not shown",
			 command, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		snprintf(err, errlen,
			 "token_command \"%s\" failed with exit status %d; its output "
			 "is not shown",
			 command, WEXITSTATUS(status));
	else if (rc == 0 && !line[0])
		snprintf(err, errlen, "token_command \"%s\" printed no token on its first line",
			 command);
	else if (rc < 0 || !token_is_valid(line))
		snprintf(
		    err, errlen,
		    "token_command \"%s\" printed a first line that cannot be a token "
		    "(too long, or with spaces or control characters); its output is not shown",
		    command);
	else
		token = xstrdup(line);
out:
	explicit_bzero(line, sizeof(line));
	return token;
}

/* Takes the token out of the environment once read: zeroed where it lies (so that
 * /proc/PID/environ no longer shows it) and unset (so that no child, the editor or a
 * notification command, inherits it). */
static void token_env_wipe(void)
{
	char *env = getenv("FRONTLINE_TOKEN");

	if (env)
		explicit_bzero(env, strlen(env));
	if (unsetenv("FRONTLINE_TOKEN") != 0)
		die("cannot remove FRONTLINE_TOKEN from the environment");
}

char *config_token(const struct config *c, char *err, size_t errlen)
{
	const char *env = getenv("FRONTLINE_TOKEN");
	char *path, *shown, *token;

	if (env && *env) {
		bool valid = token_is_valid(env);

		token = valid ? xstrdup(env) : NULL;
		token_env_wipe();
		if (valid)
			return token;
		snprintf(err, errlen,
			 "$FRONTLINE_TOKEN holds spaces or control characters, so it "
			 "cannot be a token");
		return NULL;
	}
	if (c->token)
		return xstrdup(c->token);
	if (c->token_command)
		return command_run(c->token_command, err, errlen);
	path =
	    c->path ? xstrdup(c->path) : xdg_path("XDG_CONFIG_HOME", ".config", "frontline/config");
	shown = path_shown(path ? path : "~/.config/frontline/config");
	snprintf(err, errlen,
		 "no API token: set $FRONTLINE_TOKEN, or add a token_command "
		 "under [backend] in %s, e.g. token_command = pass show intercom",
		 shown);
	free(shown);
	free(path);
	return NULL;
}

/* man(7) text: a backslash or a minus would be read as markup, a leading dot as a
 * request. */
static void man_put(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

int config_write_man(FILE *out)
{
	static const char *const titles[] = {
	    [SECTION_BACKEND] = "[backend]",
	    [SECTION_QUEUE] = "[queue \\fINAME\\fR]",
	    [SECTION_NOTIFY] = "[notify]",
	    [SECTION_STATE] = "[state]",
	    [SECTION_KEYS] = "[keys]",
	    [SECTION_COLORS] = "[colors]",
	};
	enum section last = SECTION_NONE;
	size_t i;

	for (i = 0; i < N_OPTIONS; i++) {
		const struct option *o = &options[i];

		if (o->section != last)
			fprintf(out, ".SS %s\n", titles[o->section]);
		last = o->section;
		fprintf(out, ".TP\n.BI \"%s = \" ", o->name);
		fputc('"', out);
		man_put(out, o->value);
		fputs("\"\n", out);
		man_put(out, o->help);
		fputc('\n', out);
		/* A literal default in bold, as typed; a described one in roman. */
		if (o->initial || o->fallback) {
			fputs(o->initial ? "Default: \\fB" : "Default: ", out);
			man_put(out, o->initial ? o->initial : o->fallback);
			fputs(o->initial ? "\\fR.\n" : ".\n", out);
		}
	}
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
