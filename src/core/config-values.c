/* config-values.c: the parsers of the settings' values: URLs, paths, durations, team
 * lists, business hours, time zones and keywords, one per kind of value in the option
 * table. */
#include "build-config.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config-private.h"
#include "query.h"
#include "util.h"

static bool has_control(const char *s)
{
	for (; *s; s++)
		if (iscntrl((unsigned char)*s))
			return true;
	return false;
}

int config_parse_backend(struct config_parser *p, const struct config_option *o, void *field,
			 const char *value)
{
	char shown[80];

	if (strcmp(value, "intercom") && strcmp(value, "chatwoot"))
		return config_option_fail(p, o, "expected intercom or chatwoot, got \"%s\"",
					  config_value_shown(shown, sizeof(shown), value));
	config_string_replace(field, value);
	return 0;
}

/* A positive integer, as an account's id. */
int config_parse_id(struct config_parser *p, const struct config_option *o, void *field,
		    const char *value)
{
	long long v;
	char shown[80];

	if (util_parse_ll(value, 1, INT64_MAX, &v) < 0)
		return config_option_fail(p, o, "expected a positive number, got \"%s\"",
					  config_value_shown(shown, sizeof(shown), value));
	*(int64_t *)field = v;
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

int config_parse_url(struct config_parser *p, const struct config_option *o, void *field,
		     const char *value)
{
	char shown[120];
	const char *rest;
	size_t authority, n;
	bool plain = false;

	config_value_shown(shown, sizeof(shown), value);
	if (!strncasecmp(value, "https://", 8)) {
		rest = value + 8;
	} else if (!strncasecmp(value, "http://", 7)) {
		rest = value + 7;
		plain = true;
	} else {
		return config_option_fail(p, o, "expected a URL starting with https://, got \"%s\"",
					  shown);
	}
	authority = strcspn(rest, "/");
	if (!authority || strpbrk(value, " \t?#") || has_control(value))
		return config_option_fail(p, o, "expected a base URL such as %s, got \"%s\"",
					  o->initial, shown);
	if (plain && !authority_is_loopback(rest, authority))
		return config_option_fail(
		    p, o,
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

/* A shorthand for url: the API host of the region Intercom hosts the workspace in. */
int config_parse_region(struct config_parser *p, const struct config_option *o, void *field,
			const char *value)
{
	static const char *const regions[][2] = {
		{"us", "https://api.intercom.io"},
		{"eu", "https://api.eu.intercom.io"},
		{"au", "https://api.au.intercom.io"},
	};
	char shown[80];
	size_t i;

	for (i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		if (!strcasecmp(value, regions[i][0])) {
			config_string_replace(field, regions[i][1]);
			return 0;
		}
	}
	return config_option_fail(p, o, "expected us, eu or au, got \"%s\"",
				  config_value_shown(shown, sizeof(shown), value));
}

int config_parse_text(struct config_parser *p, const struct config_option *o, void *field,
		      const char *value)
{
	if (!*value || has_control(value))
		return config_option_fail(p, o, "expected some text without control characters");
	config_string_replace(field, value);
	return 0;
}

int config_parse_path(struct config_parser *p, const struct config_option *o, void *field,
		      const char *value)
{
	const char *home = config_home_dir();
	char shown[120];

	if (!strncmp(value, "~/", 2) && home) {
		free(*(char **)field);
		*(char **)field = xasprintf("%s/%s", home, value + 2);
		return 0;
	}
	if (value[0] != '/' || has_control(value))
		return config_option_fail(
		    p, o, "expected an absolute directory or one under ~/, got \"%s\"",
		    config_value_shown(shown, sizeof(shown), value));
	config_string_replace(field, value);
	return 0;
}

int config_parse_duration(struct config_parser *p, const struct config_option *o, void *field,
			  const char *value)
{
	char shown[80];
	int64_t seconds;

	if (sla_parse_duration(value, &seconds) != 0 || seconds <= 0)
		return config_option_fail(p, o, "expected a duration such as 5s or 1m, got \"%s\"",
					  config_value_shown(shown, sizeof(shown), value));
	*(int64_t *)field = seconds;
	return 0;
}

/* A duration that may be 0 ("0" or "0s": not at all). */
int config_parse_delay(struct config_parser *p, const struct config_option *o, void *field,
		       const char *value)
{
	if (strcmp(value, "0") == 0 || strcmp(value, "0s") == 0) {
		*(int64_t *)field = 0;
		return 0;
	}
	return config_parse_duration(p, o, field, value);
}

/* A number of bytes: digits, then K, M or G for KiB, MiB or GiB; at least 1 KiB. */
int config_parse_size(struct config_parser *p, const struct config_option *o, void *field,
		      const char *value)
{
	static const char units[] = "KMG";
	char shown[80], digits[32];
	size_t len = strspn(value, "0123456789");
	const char *unit = value[len] ? strchr(units, value[len]) : NULL;
	long long n;

	if (len == 0 || len >= sizeof(digits) || (value[len] && (!unit || value[len + 1])))
		goto bad;
	memcpy(digits, value, len);
	digits[len] = '\0';
	if (util_parse_ll(digits, 1, INT64_MAX >> 30, &n) < 0)
		goto bad;
	if (unit)
		n <<= 10 * (unit - units + 1);
	if (n < 1024)
		goto bad;
	*(int64_t *)field = n;
	return 0;
bad:
	return config_option_fail(p, o,
				  "expected a size such as 16M or 512K (at least 1K), got \"%s\"",
				  config_value_shown(shown, sizeof(shown), value));
}

int config_parse_bool(struct config_parser *p, const struct config_option *o, void *field,
		      const char *value)
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
	return config_option_fail(p, o,
				  "expected yes or no (or true/false, on/off, 1/0), got \"%s\"",
				  config_value_shown(shown, sizeof(shown), value));
}

void config_queue_release_teams(struct config_queue *q)
{
	size_t i;

	for (i = 0; i < q->n_teams; i++)
		free(q->teams[i]);
	q->n_teams = 0;
}

int config_parse_teams(struct config_parser *p, const struct config_option *o, void *field,
		       const char *value)
{
	struct config_queue *q = field;
	char *copy = xstrdup(value), *save = NULL, *item;
	int rc = 0;

	config_queue_release_teams(q);
	for (item = strtok_r(copy, ",", &save); item && !rc; item = strtok_r(NULL, ",", &save)) {
		item = config_trim(item);
		if (!*item)
			continue;
		if (q->n_teams == CONFIG_MAX_TEAMS || has_control(item))
			rc = config_option_fail(p, o, "expected at most %d team names or ids",
						CONFIG_MAX_TEAMS);
		else
			q->teams[q->n_teams++] = xstrdup(item);
	}
	free(copy);
	if (!rc && !q->n_teams)
		rc = config_option_fail(
		    p, o, "expected team names or ids separated by commas, got nothing");
	return rc;
}

/* A list of lead times, largest first, into out (SLA_MAX_WARN) and *n. */
static int warn_parse(struct config_parser *p, const struct config_option *o, const char *value,
		      int64_t *out, int *n_out)
{
	int64_t warn[SLA_MAX_WARN], seconds;
	char *copy = xstrdup(value), *save = NULL, *item, shown[80];
	int n = 0, i, rc = 0;

	for (item = strtok_r(copy, ",", &save); item && !rc; item = strtok_r(NULL, ",", &save)) {
		item = config_trim(item);
		if (!*item)
			continue;
		if (sla_parse_duration(item, &seconds) != 0 || seconds <= 0) {
			rc = config_option_fail(p, o,
						"expected durations such as 60s, 30s, got \"%s\"",
						config_value_shown(shown, sizeof(shown), item));
			break;
		}
		for (i = 0; i < n && warn[i] > seconds; i++)
			;
		if (i < n && warn[i] == seconds)
			continue;
		if (n == SLA_MAX_WARN) {
			rc = config_option_fail(p, o, "expected at most %d lead times",
						SLA_MAX_WARN);
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
	memcpy(out, warn, (size_t)n * sizeof(warn[0]));
	*n_out = n;
	return 0;
}

int config_parse_warn(struct config_parser *p, const struct config_option *o, void *field,
		      const char *value)
{
	struct sla_policy *policy = field;

	return warn_parse(p, o, value, policy->warn, &policy->n_warn);
}

int config_parse_sla_warn(struct config_parser *p, const struct config_option *o, void *field,
			  const char *value)
{
	struct sla_targets *t = field;

	return warn_parse(p, o, value, t->warn, &t->n_warn);
}

/* first_response.LEVEL / next_response.LEVEL: field is the array by level. */
int config_parse_priority_target(struct config_parser *p, const struct config_option *o,
				 void *field, const char *value)
{
	int64_t *by_level = field;
	const char *dot = strrchr(p->name, '.');
	char shown[80], level_shown[40];
	int level = dot ? priority_from_word(dot + 1) : -1;

	if (level < 0) {
		config_fail_at(p, p->line,
			       "%s: unknown priority \"%s\"; the levels are none, low, medium, "
			       "high and urgent, e.g. first_response.urgent = 1m",
			       config_value_shown(shown, sizeof(shown), p->name),
			       dot ? config_value_shown(level_shown, sizeof(level_shown), dot + 1)
				   : "");
		return -1;
	}
	if (by_level[level] > 0) {
		config_fail_at(p, p->line, "%s: given twice in this queue", p->name);
		return -1;
	}
	if (config_parse_duration(p, o, &by_level[level], value) < 0)
		return -1;
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

/* Whether hours (spaces removed) are written as days and times rather than naming a
 * schedule: a time of day (a colon), or before the first digit nothing or days (days
 * alone lack their times). */
static bool hours_written(const char *hours)
{
	size_t days = strcspn(hours, "0123456789");
	unsigned char parsed;
	char *scratch;
	bool written;

	if (days == 0 || strchr(hours, ':'))
		return true;
	scratch = xstrndup(hours, days);
	written = days_parse(scratch, &parsed) == 0;
	free(scratch);
	return written;
}

/* hours = backend or NAME: kept as written, less the spaces around it. */
static int schedule_name_parse(struct config_parser *p, const struct config_option *o,
			       struct sla_hours *h, const char *value)
{
	size_t len;
	char shown[80];

	while (isspace((unsigned char)*value))
		value++;
	len = strlen(value);
	while (len > 0 && isspace((unsigned char)value[len - 1]))
		len--;
	if (len == 0 || len >= sizeof(h->schedule))
		return config_option_fail(p, o,
					  "expected always, backend, a schedule's name or days and "
					  "times such as Mon-Fri 09:00-17:00; got \"%s\"",
					  config_value_shown(shown, sizeof(shown), value));
	memcpy(h->schedule, value, len);
	h->schedule[len] = '\0';
	if (!strcasecmp(h->schedule, "backend"))
		strcpy(h->schedule, "backend");
	return 0;
}

int config_parse_hours(struct config_parser *p, const struct config_option *o, void *field,
		       const char *value)
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
	parsed.schedule[0] = '\0';
	if (strcasecmp(copy, "always") && !hours_written(copy)) {
		/* "backend", or the name of a backend's schedule, whose hours come at
		 * start-up. */
		free(copy);
		if (schedule_name_parse(p, o, &parsed, value) < 0)
			return -1;
		*hours = parsed;
		return 0;
	}
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
		return config_option_fail(p, o, "%s; got \"%s\"", why,
					  config_value_shown(shown, sizeof(shown), value));
	*hours = parsed;
	return 0;
}

/* The zone must be one the business-hours clock can load (sla_zone_check), so a typo
 * fails here and not silently as UTC at the first deadline. */
int config_parse_timezone(struct config_parser *p, const struct config_option *o, void *field,
			  const char *value)
{
	static const char allowed[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				      "0123456789/_+-";
	const char *dir = getenv("TZDIR");
	char *tz = field, *path, magic[4] = {0}, shown[80];
	size_t len = strlen(value);
	ssize_t n = -1;
	int fd;

	config_value_shown(shown, sizeof(shown), value);
	if (!len || len >= sizeof(((struct sla_hours *)0)->tz) || value[0] == '/' ||
	    strstr(value, "..") || strspn(value, allowed) != len)
		return config_option_fail(
		    p, o, "expected a time zone such as Europe/Warsaw, got \"%s\"", shown);
	if (!dir || dir[0] != '/')
		dir = "/usr/share/zoneinfo";
	path = xasprintf("%s/%s", dir, value);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd >= 0) {
		n = read(fd, magic, sizeof(magic));
		(void)close(fd); /* read-only: nothing to lose */
	}
	if (strcmp(value, "UTC") &&
	    (n != 4 || memcmp(magic, "TZif", 4) || sla_zone_check(value) != 0))
		return config_option_fail(p, o,
					  "unknown time zone \"%s\" (not in %s); expected a name "
					  "such as Europe/Warsaw",
					  shown, dir);
	memcpy(tz, value, len + 1);
	return 0;
}

/* A keyword from a list into an int field: the index of the word. */
static int keyword_parse(struct config_parser *p, const struct config_option *o, void *field,
			 const char *value, const char *const *words, size_t n)
{
	char shown[80];
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcasecmp(value, words[i])) {
			*(int *)field = (int)i;
			return 0;
		}
	}
	return config_option_fail(p, o, "expected %s, got \"%s\"", o->value,
				  config_value_shown(shown, sizeof(shown), value));
}

int config_parse_notify_level(struct config_parser *p, const struct config_option *o, void *field,
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

int config_parse_osc(struct config_parser *p, const struct config_option *o, void *field,
		     const char *value)
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

int config_parse_preview(struct config_parser *p, const struct config_option *o, void *field,
			 const char *value)
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

int config_parse_filter(struct config_parser *p, const struct config_option *o, void *field,
			const char *value)
{
	struct query q;
	char err[200];

	if (!*value || has_control(value))
		return config_option_fail(p, o,
					  "expected filter terms such as assignee:me or tag:vip");
	if (query_parse(value, &q, err, sizeof(err)) < 0)
		return config_option_fail(p, o, "%s", err);
	config_string_replace(field, value);
	return 0;
}
