/* config.c: frontline's INI settings, read through the option table (config-options.c)
 * that also gives the defaults and frontline.conf(5): the sections, the queues, keys given
 * twice, and the file's errors by line; and the modes of the state directory.
 * config-private.h lists the other files. */
#include "build-config.h"

#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config-private.h"
#include "query.h"
#include "util.h"

/* The sections' names as written between brackets ([queue NAME] takes a name too). */
static const char *const section_names[] = {
    [CONFIG_SECTION_BACKEND] = "backend", [CONFIG_SECTION_QUEUE] = "queue",
    [CONFIG_SECTION_NOTIFY] = "notify",	  [CONFIG_SECTION_STATE] = "state",
    [CONFIG_SECTION_KEYS] = "keys",	  [CONFIG_SECTION_COLORS] = "colors",
    [CONFIG_SECTION_SLA] = "sla",
    [CONFIG_SECTION_UI] = "ui",
};

/* The reader's own bookkeeping, around what the value parsers see. */
struct reader {
	struct config_parser p;
	int seen[CONFIG_MAX_OPTIONS]; /* line each key outside [queue NAME] was set on */
	int queue_line[CONFIG_MAX_QUEUES];
	int queue_seen[CONFIG_MAX_QUEUES][CONFIG_MAX_OPTIONS];
	int sla_line[CONFIG_MAX_SLAS];
	int sla_seen[CONFIG_MAX_SLAS][CONFIG_MAX_OPTIONS];
};

static struct reader *reader_of(struct config_parser *p)
{
	return (struct reader *)((char *)p - offsetof(struct reader, p));
}

/* Whether name is the option's: its own name, or for an option named KIND.LEVEL any
 * KIND.WORD (the parser checks the word). */
static bool option_named(const struct config_option *o, const char *name)
{
	size_t n = strlen(o->name), suffix = strlen(CONFIG_LEVEL_SUFFIX);

	if (n > suffix && !strcmp(o->name + n - suffix, CONFIG_LEVEL_SUFFIX))
		return !strncmp(o->name, name, n - suffix + 1) && name[n - suffix + 1];
	return !strcmp(o->name, name);
}

static bool option_per_level(const struct config_option *o)
{
	return o->parse == config_parse_priority_target;
}

static const struct config_option *option_find(enum config_section section, const char *name)
{
	size_t i;

	for (i = 0; i < config_n_options; i++)
		if (config_options[i].section == section &&
		    (section == CONFIG_SECTION_KEYS || option_named(&config_options[i], name)))
			return &config_options[i];
	return NULL;
}

static void queue_release(struct config_queue *q)
{
	free(q->key);
	free(q->title);
	free(q->filter);
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

/* Whether key names a section of that kind already (keys[i], from line lines[i]): then
 * the parse failed. */
static bool section_taken(struct config_parser *p, const char *kind, const char *key,
			  const char *const *keys, const int *lines, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(keys[i], key)) {
			config_fail_at(p, p->line, "[%s %s] is already defined on line %d", kind,
				       key, lines[i]);
			return true;
		}
	}
	return false;
}

static void parser_enter_queue(struct config_parser *p, const char *key)
{
	struct reader *r = reader_of(p);
	struct config *c = p->c;
	const char *keys[CONFIG_MAX_QUEUES];
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
	for (i = 0; i < c->n_queues; i++)
		keys[i] = c->queues[i].key;
	if (section_taken(p, "queue", key, keys, r->queue_line, c->n_queues))
		return;
	if (c->n_queues == CONFIG_MAX_QUEUES) {
		config_fail_at(p, p->line, "too many queues: at most %d", CONFIG_MAX_QUEUES);
		return;
	}
	p->queue = c->n_queues;
	r->queue_line[p->queue] = p->line;
	queue_add(c, key);
}

static void parser_enter_sla(struct config_parser *p, const char *key)
{
	struct reader *r = reader_of(p);
	struct config *c = p->c;
	struct config_sla *sla;
	const char *keys[CONFIG_MAX_SLAS];
	size_t i;

	if (!*key || strlen(key) >= SLA_NAME_MAX) {
		config_fail_at(p, p->line,
			       "[sla NAME] needs the name of the backend's SLA (at most %d bytes), "
			       "e.g. [sla VIP 5m]",
			       SLA_NAME_MAX - 1);
		return;
	}
	for (i = 0; i < c->n_slas; i++)
		keys[i] = c->slas[i].key;
	if (section_taken(p, "sla", key, keys, r->sla_line, c->n_slas))
		return;
	if (c->n_slas == CONFIG_MAX_SLAS) {
		config_fail_at(p, p->line, "too many [sla NAME] sections: at most %d",
			       CONFIG_MAX_SLAS);
		return;
	}
	p->sla = c->n_slas++;
	r->sla_line[p->sla] = p->line;
	sla = &c->slas[p->sla];
	memset(sla, 0, sizeof(*sla));
	sla->key = xstrdup(key);
	sla->targets.n_warn = -1;
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
		if (i != CONFIG_SECTION_QUEUE && i != CONFIG_SECTION_SLA &&
		    !strcmp(s, section_names[i])) {
			p->section = (enum config_section)i;
			return;
		}
	}
	if (!strncmp(s, "queue", 5) && (!s[5] || isspace((unsigned char)s[5]))) {
		p->section = CONFIG_SECTION_QUEUE;
		parser_enter_queue(p, config_trim(s + 5));
	} else if (!strncmp(s, "sla", 3) && (!s[3] || isspace((unsigned char)s[3]))) {
		p->section = CONFIG_SECTION_SLA;
		parser_enter_sla(p, config_trim(s + 3));
	} else {
		config_fail_at(
		    p, p->line,
		    "unknown section [%s]; known sections: [backend], [queue NAME], [notify], "
		    "[state], [keys], [colors], [sla NAME], [ui]",
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
	for (i = 0; i < config_n_options && used < len; i++)
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
			       "[backend], [queue NAME], [notify], [state], [keys], [colors], "
			       "[sla NAME] or [ui]",
			       shown);
		return 0;
	}
	if (p->section == CONFIG_SECTION_QUEUE) {
		base = (char *)&p->c->queues[p->queue];
		seen = r->queue_seen[p->queue];
		snprintf(where, sizeof(where), "[queue %s]", p->c->queues[p->queue].key);
	} else if (p->section == CONFIG_SECTION_SLA) {
		base = (char *)&p->c->slas[p->sla];
		seen = r->sla_seen[p->sla];
		snprintf(where, sizeof(where), "[sla %.80s]", p->c->slas[p->sla].key);
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
	if (seen[o - config_options] && p->section != CONFIG_SECTION_KEYS && !option_per_level(o)) {
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

/* A duration as written in the file: "1h", "30m", "45s". */
static void duration_word(int64_t secs, char *buf, size_t len)
{
	if (secs > 0 && secs % 3600 == 0)
		snprintf(buf, len, "%lldh", (long long)(secs / 3600));
	else if (secs > 0 && secs % 60 == 0)
		snprintf(buf, len, "%lldm", (long long)(secs / 60));
	else
		snprintf(buf, len, "%llds", (long long)secs);
}

/* The line of a key in a queue's section, 0 when not written. */
static int queue_key_line(const struct reader *r, size_t queue, const char *name)
{
	return r->queue_seen[queue][option_find(CONFIG_SECTION_QUEUE, name) - config_options];
}

/* A warning at or before the deadline's start would fire at once: each warn time must be
 * shorter than both targets. Built-in warn times longer than a written target are
 * dropped. Returns -1 after config_fail_at. */
static int queue_warn_check(struct reader *r, size_t i)
{
	struct config_queue *q = &r->p.c->queues[i];
	struct sla_policy *pol = &q->policy;
	const char *key = pol->first_response <= pol->next_response ? "first_response"
								     : "next_response";
	int64_t target = pol->first_response <= pol->next_response ? pol->first_response
								   : pol->next_response;
	char w[32], t[32];
	int k;

	if (!queue_seen(r, i, "warn")) {
		for (k = 0; k < pol->n_warn && pol->warn[k] >= target; k++)
			;
		memmove(pol->warn, pol->warn + k, (size_t)(pol->n_warn - k) * sizeof(pol->warn[0]));
		pol->n_warn -= k;
		return 0;
	}
	if (pol->n_warn <= 0 || pol->warn[0] < target)
		return 0;
	duration_word(pol->warn[0], w, sizeof(w));
	duration_word(target, t, sizeof(t));
	config_fail_at(&r->p, queue_key_line(r, i, "warn"),
		       "[queue %s] warn = %s is not shorter than %s = %s: it would warn as soon as "
		       "the clock starts; make warn shorter (e.g. half of %s)",
		       q->key, w, key, t, key);
	return -1;
}

/* A team belongs to one queue: a second queue with it would always be empty. Returns -1
 * after config_fail_at. */
static int queue_team_check(struct reader *r, size_t i)
{
	const struct config_queue *q = &r->p.c->queues[i], *o;
	size_t j, a, b;

	for (j = 0; j < i; j++) {
		o = &r->p.c->queues[j];
		for (a = 0; a < q->n_teams; a++)
			for (b = 0; b < o->n_teams; b++)
				if (!strcasecmp(q->teams[a], o->teams[b])) {
					config_fail_at(&r->p, queue_key_line(r, i, "teams"),
						       "[queue %s] and [queue %s] both have the team "
						       "\"%s\"; a conversation shows in one queue only, "
						       "so give each team to one queue",
						       o->key, q->key, q->teams[a]);
					return -1;
				}
	}
	return 0;
}

/* A queue of every team (filter and no teams) is chosen by its filter before any clock
 * runs: a term of the clock cannot choose it. Returns -1 after config_fail_at. */
static int queue_filter_check(struct reader *r, size_t i)
{
	const struct config_queue *q = &r->p.c->queues[i];
	struct query f;
	char err[200];

	if (q->n_teams || !q->filter || query_parse(q->filter, &f, err, sizeof(err)) < 0 ||
	    !query_uses_clock(&f))
		return 0;
	config_fail_at(&r->p, queue_key_line(r, i, "filter"),
		       "[queue %s] has no teams, so its filter chooses from every conversation "
		       "before a clock runs: sla:, breached, warning and unknown cannot be told "
		       "there; add teams = or drop those terms",
		       q->key);
	return -1;
}

/* Each queue's policy holds the [sla NAME] targets, so the clock needs no configuration. */
static void queue_take_slas(const struct config *c, struct config_queue *q)
{
	size_t i;

	q->policy.n_named = (int)c->n_slas;
	for (i = 0; i < c->n_slas; i++) {
		snprintf(q->policy.named[i].name, sizeof(q->policy.named[i].name), "%s",
			 c->slas[i].key);
		q->policy.named[i].targets = c->slas[i].targets;
	}
}

/* What needs the whole section: the required teams, the title, and the real-time
 * defaults, which depend on realtime wherever it is written. */
static void parser_finish(struct reader *r)
{
	struct config_parser *p = &r->p;
	struct config_queue *q;
	struct sla_policy fallback;
	int url = r->seen[option_find(CONFIG_SECTION_BACKEND, "url") - config_options];
	int region = r->seen[option_find(CONFIG_SECTION_BACKEND, "region") - config_options];
	size_t i;

	if (url && region) {
		config_fail_at(p, url > region ? url : region,
			       "url and region both say where the API is (lines %d and %d); keep "
			       "one",
			       url < region ? url : region, url > region ? url : region);
		return;
	}

	for (i = 0; p->own_queues && i < p->c->n_queues; i++) {
		q = &p->c->queues[i];
		if (!q->n_teams && !q->filter) {
			config_fail_at(p, r->queue_line[i],
				       "[queue %s] has no teams and no filter; add e.g. "
				       "teams = Support, or filter = assignee:me",
				       q->key);
			return;
		}
		if (queue_filter_check(r, i) < 0)
			return;
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
		if (queue_warn_check(r, i) < 0)
			return;
	}
	for (i = 0; p->own_queues && i < p->c->n_queues; i++)
		if (queue_team_check(r, i) < 0)
			return;
	for (i = 0; i < p->c->n_queues; i++)
		queue_take_slas(p->c, &p->c->queues[i]);
}

static void queue_add_default(struct config *c, const char *key, const char *title,
			      const char *team, const char *filter, bool realtime)
{
	struct config_queue *q = queue_add(c, key);

	q->title = xstrdup(title);
	if (team)
		q->teams[q->n_teams++] = xstrdup(team);
	if (filter)
		q->filter = xstrdup(filter);
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
	for (i = 0; i < config_n_options; i++) {
		const struct config_option *o = &config_options[i];

		if (o->initial && o->parse(&p, o, (char *)c + o->offset, o->initial) < 0)
			die("%s", err);
	}
	c->state_dir = config_xdg_path("XDG_STATE_HOME", ".local/state", "frontline");
	queue_add_default(c, "realtime", "Real-time", "Live chat", NULL, true);
	queue_add_default(c, "standard", "Standard", "Support", NULL, false);
	queue_add_default(c, "mine", "Mine", NULL, "assignee:me", false);
}

/* $FRONTLINE_ADMIN wins over admin = in the file. */
static void admin_from_env(struct config *c)
{
	const char *env = getenv("FRONTLINE_ADMIN");

	if (!env || !*env)
		return;
	config_string_replace(&c->admin, env);
	c->admin_from_env = true;
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
		if (!default_path) {
			admin_from_env(c);
			return 0; /* no home directory, so no file: the defaults stand */
		}
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
	if (!p->failed)
		admin_from_env(c);
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
	free(c->admin);
	free(c->token_command);
	config_wipe_free(c->token);
	free(c->state_dir);
	free(c->notify.command);
	for (i = 0; i < c->n_queues; i++)
		queue_release(&c->queues[i]);
	for (i = 0; i < c->n_slas; i++)
		free(c->slas[i].key);
	for (i = 0; i < c->n_bindings; i++)
		free(c->bindings[i].action);
	free(c->bindings);
	memset(c, 0, sizeof(*c));
}

/* What frontline keeps in the state directory, where it checks the modes: the outbox
 * and its lock, the article cache (each with SQLite's files beside it) and the drafts. */
static const char *const state_entries[] = {"outbox.db",       "outbox.db-wal", "outbox.db-shm",
					    "outbox.db.lock",  "articles.db",	"articles.db-wal",
					    "articles.db-shm", "drafts"};

/* Names path on warn when group or others may read or change it; made private (0700 for
 * a directory, the owner's bits alone for a file) when tighten and it is the user's. */
static void state_check_path(const char *path, const struct stat *st, bool tighten, FILE *warn)
{
	mode_t private = S_ISDIR(st->st_mode) ? 0700 : (st->st_mode & 0700);

	if (!(st->st_mode & 077))
		return;
	if (tighten && st->st_uid == geteuid() && chmod(path, private) == 0)
		fprintf(warn,
			"%s: %s could be read or changed by other users (mode %04o); made "
			"it private (%04o)\n",
			util_progname(), path, (unsigned)(st->st_mode & 07777), (unsigned)private);
	else
		fprintf(warn,
			"%s: %s can be read or changed by other users (mode %04o); run "
			"chmod %o %s\n",
			util_progname(), path, (unsigned)(st->st_mode & 07777), (unsigned)private,
			path);
}

/* The directory dir (not followed if a link) and, with entries, what it holds: each
 * entry of the list, or every file when entries is NULL. */
static void state_check_dir(const char *dir, const char *const *entries, size_t n_entries,
			    bool tighten, FILE *warn)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return;
	state_check_path(dir, &st, tighten, warn);
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		bool wanted = !entries;
		char *path;

		for (size_t i = 0; !wanted && i < n_entries; i++)
			wanted = !strcmp(e->d_name, entries[i]);
		if (!wanted || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			state_check_dir(path, NULL, 0, tighten, warn); /* drafts/ */
		else if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			state_check_path(path, &st, tighten, warn);
		free(path);
	}
	if (d)
		closedir(d);
}

void config_state_check(const struct config *c, FILE *warn)
{
	char *own = config_xdg_path("XDG_STATE_HOME", ".local/state", "frontline");

	/* The default directory is frontline's own; one given with [state] dir may hold
	 * what is not, so frontline only names what is open there. */
	if (c->state_dir)
		state_check_dir(c->state_dir, state_entries,
				sizeof(state_entries) / sizeof(state_entries[0]),
				own && !strcmp(own, c->state_dir), warn);
	free(own);
}
