/* report.c: the figures of `frontline report` (report.h): pure arithmetic on reply times,
 * the drawings, and the times a range is written in. */
#include "build-config.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sla.h"
#include "util.h"

/* ---- WHEN ---- */

static GTimeZone *when_zone(const char *zone)
{
	GTimeZone *tz = zone && *zone ? g_time_zone_new_identifier(zone) : NULL;

	return tz ? tz : g_time_zone_new_local();
}

/* Local midnight of now, days before. */
static fl_time local_midnight(GTimeZone *tz, fl_time now, int days_before)
{
	GDateTime *t = g_date_time_new_from_unix_utc(now), *local, *midnight;
	fl_time out = now;

	local = t ? g_date_time_to_timezone(t, tz) : NULL;
	midnight =
	    local ? g_date_time_new(tz, g_date_time_get_year(local), g_date_time_get_month(local),
				    g_date_time_get_day_of_month(local), 0, 0, 0)
		  : NULL;
	if (midnight) {
		GDateTime *day = g_date_time_add_days(midnight, -days_before);

		if (day) {
			out = g_date_time_to_unix(day);
			g_date_time_unref(day);
		}
	}
	if (midnight)
		g_date_time_unref(midnight);
	if (local)
		g_date_time_unref(local);
	if (t)
		g_date_time_unref(t);
	return out;
}

/* GLib's ISO 8601, which wants seconds: "HH:MM" (then a zone, or none) gets ":00". */
static GDateTime *iso8601(const char *s, GTimeZone *tz)
{
	GDateTime *t = g_date_time_new_from_iso8601(s, tz);
	size_t len = strlen(s);

	if (!t && len >= 16 && len < 64 && s[13] == ':' && (!s[16] || !strchr(":", s[16]))) {
		char with[72];

		snprintf(with, sizeof(with), "%.16s:00%s", s, s + 16);
		t = g_date_time_new_from_iso8601(with, tz);
	}
	return t;
}

int report_parse_when(const char *s, fl_time now, const char *zone, fl_time *out, char *err,
		      size_t errlen)
{
	GTimeZone *tz = when_zone(zone);
	GDateTime *t = NULL;
	int64_t ago;
	int y, m, d, used = 0, rc = 0;

	if (!strcmp(s, "now"))
		*out = now;
	else if (!strcmp(s, "today"))
		*out = local_midnight(tz, now, 0);
	else if (!strcmp(s, "yesterday"))
		*out = local_midnight(tz, now, 1);
	else if (*s >= '0' && *s <= '9' && sla_parse_duration(s, &ago) == 0 &&
		 strspn(s, "0123456789") < strlen(s))
		*out = now - ago;
	else if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && used == 10 && !s[10] &&
		 (t = g_date_time_new(tz, y, m, d, 0, 0, 0)))
		*out = g_date_time_to_unix(t);
	else if ((t = iso8601(s, tz)))
		*out = g_date_time_to_unix(t);
	else
		rc = -1;
	if (t)
		g_date_time_unref(t);
	g_time_zone_unref(tz);
	if (rc < 0)
		snprintf(err, errlen,
			 "\"%s\" is not a time: write now, today, yesterday, a duration before now "
			 "(90m, 24h, 7d), a date (2026-12-01) or a date and time "
			 "(2026-12-01T09:30, with Z or +01:00 for another zone)",
			 s);
	return rc;
}

/* ---- groups ---- */

void report_group_add(struct report_group *g, const struct report_sample *s)
{
	xgrow(&g->samples, &g->cap, g->n + 1, sizeof(*g->samples));
	g->samples[g->n++] = *s;
}

static int by_seconds(const void *a, const void *b)
{
	const struct report_sample *x = a, *y = b;

	if (x->seconds != y->seconds)
		return x->seconds < y->seconds ? -1 : 1;
	return x->conversation < y->conversation ? -1 : x->conversation > y->conversation;
}

int64_t report_percentile(const int64_t *sorted, size_t n, int pct)
{
	size_t rank = ((size_t)pct * n + 99) / 100;

	return sorted[rank ? rank - 1 : 0];
}

bool report_first_sample(const struct sla_policy *p, const struct conversation *cv,
			 struct report_sample *s)
{
	struct sla_targets targets;

	if (!cv->first_admin_reply_at)
		return false;
	sla_targets_for(p, cv, &targets);
	s->target = targets.first_response;
	s->seconds =
	    sla_hours_between(&p->hours, cv->first_contact_reply_at, cv->first_admin_reply_at);
	return true;
}

/* ---- a conversation's parts ---- */

static void add_wait(struct report_thread *out, size_t *cap, enum report_wait_kind kind,
		     fl_time from, fl_time to, int64_t admin, int64_t snoozed)
{
	xgrow(&out->waits, cap, out->n_waits + 1, sizeof(*out->waits));
	out->waits[out->n_waits++] = (struct report_wait){kind, from, to, admin, snoozed};
}

/* The seconds of [from, to) the snoozes cover: those that ended (starts[i], ends[i]), and
 * one that lasts from open_from (0: none). */
static int64_t snoozed_within(const fl_time *starts, const fl_time *ends, size_t n,
			      fl_time open_from, fl_time from, fl_time to)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i <= n; i++) {
		fl_time a = i < n ? starts[i] : open_from, b = i < n ? ends[i] : to;

		if (i == n && !open_from)
			break;
		a = a > from ? a : from;
		b = b < to ? b : to;
		sum += b > a ? b - a : 0;
	}
	return sum;
}

void report_thread_replay(const struct thread *t, fl_time first_contact, struct report_thread *out)
{
	fl_time waiting = first_contact, snoozed_from = 0, *starts = NULL, *ends = NULL;
	size_t cap = 0, n_snoozes = 0, cap_s = 0, cap_e = 0, i;
	bool replied = false;

	memset(out, 0, sizeof(*out));
	out->id = t->conv.id;
	out->updated_at = t->conv.updated_at;
	for (i = 0; i < t->n_parts; i++) {
		const struct thread_part *p = &t->parts[i];
		const char *k = p->kind ? p->kind : "";
		bool comment = !strcmp(k, "comment"), wakes;

		if (!strcmp(k, "source"))
			continue;
		wakes = (comment && !p->from_admin) || !strcmp(k, "open") || !strcmp(k, "close") ||
			!strcmp(k, "timer_unsnooze");
		if (wakes && snoozed_from) {
			xgrow(&starts, &cap_s, n_snoozes + 1, sizeof(*starts));
			xgrow(&ends, &cap_e, n_snoozes + 1, sizeof(*ends));
			starts[n_snoozes] = snoozed_from;
			ends[n_snoozes++] = p->at;
			snoozed_from = 0;
		}
		if (!strcmp(k, "snoozed") && !snoozed_from)
			snoozed_from = p->at;
		else if (comment && !p->from_admin && !waiting)
			waiting = p->at;
		else if (!strcmp(k, "close"))
			waiting = 0;
		else if (comment && p->from_admin) {
			if (waiting)
				add_wait(out, &cap, replied ? REPORT_WAIT_NEXT : REPORT_WAIT_FIRST,
					 waiting, p->at, p->author_id,
					 snoozed_within(starts, ends, n_snoozes, snoozed_from,
							waiting, p->at));
			replied = true;
			waiting = 0;
		}
	}
	out->waiting = replied && waiting;
	free(starts);
	free(ends);
}

void report_thread_release(struct report_thread *t)
{
	free(t->waits);
	memset(t, 0, sizeof(*t));
}

char *report_waits_text(const struct report_thread *t)
{
	GString *s = g_string_new(NULL);
	size_t i;

	for (i = 0; i < t->n_waits; i++) {
		const struct report_wait *w = &t->waits[i];

		g_string_append_printf(s, "%d %lld %lld %lld %lld;", (int)w->kind,
				       (long long)w->from, (long long)w->to, (long long)w->admin,
				       (long long)w->snoozed);
	}
	return g_string_free(s, FALSE);
}

int report_waits_parse(const char *text, struct report_thread *out)
{
	size_t cap = 0;

	while (text && *text) {
		long long from, to, admin, snoozed;
		int kind, used = 0;

		if (sscanf(text, "%d %lld %lld %lld %lld;%n", &kind, &from, &to, &admin, &snoozed,
			   &used) != 5 ||
		    !used || (kind != REPORT_WAIT_FIRST && kind != REPORT_WAIT_NEXT))
			return -1;
		add_wait(out, &cap, (enum report_wait_kind)kind, from, to, admin, snoozed);
		text += used;
	}
	return 0;
}

void report_wait_sample(const struct sla_policy *p, const struct conversation *cv,
			const struct report_wait *w, struct report_sample *s)
{
	struct sla_targets targets;
	int64_t seconds = sla_hours_between(&p->hours, w->from, w->to) - w->snoozed;

	sla_targets_for(p, cv, &targets);
	s->target = w->kind == REPORT_WAIT_FIRST ? targets.first_response : targets.next_response;
	s->seconds = seconds > 0 ? seconds : 0;
}

void report_group_finish(struct report_group *g)
{
	int64_t *seconds;
	size_t i;

	g->median = g->p90 = 0;
	g->within = g->breaches = g->n_longest = 0;
	memset(g->hour_total, 0, sizeof(g->hour_total));
	memset(g->hour_within, 0, sizeof(g->hour_within));
	if (!g->n)
		return;
	qsort(g->samples, g->n, sizeof(*g->samples), by_seconds);
	seconds = xcalloc(g->n, sizeof(*seconds));
	for (i = 0; i < g->n; i++) {
		const struct report_sample *s = &g->samples[i];
		bool within = s->seconds < s->target;

		seconds[i] = s->seconds;
		g->within += within;
		if (s->hour >= 0 && s->hour < REPORT_HOURS) {
			g->hour_total[s->hour]++;
			g->hour_within[s->hour] += within;
		}
	}
	g->breaches = g->n - g->within;
	g->median = report_percentile(seconds, g->n, 50);
	g->p90 = report_percentile(seconds, g->n, 90);
	free(seconds);
	for (i = g->n; i > 0 && g->n_longest < REPORT_LONGEST; i--) {
		int64_t id = g->samples[i - 1].conversation;
		size_t k;

		for (k = 0; k < g->n_longest && g->longest[k] != id; k++)
			;
		if (k == g->n_longest)
			g->longest[g->n_longest++] = id;
	}
}

void report_group_release(struct report_group *g)
{
	free(g->samples);
	memset(g, 0, sizeof(*g));
}

/* ---- drawings ---- */

int64_t report_histogram(const struct report_sample *samples, size_t n, int64_t target,
			 size_t bins[REPORT_BINS])
{
	int64_t width = target / 4 > 0 ? target / 4 : 1;
	size_t i;

	memset(bins, 0, REPORT_BINS * sizeof(*bins));
	for (i = 0; i < n; i++) {
		int64_t b = samples[i].seconds < 0 ? 0 : samples[i].seconds / width;

		bins[b < REPORT_BINS - 1 ? b : REPORT_BINS - 1]++;
	}
	return width;
}

static const char *const blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
static const char ascii_levels[] = "_.:-=+*#";

char *report_sparkline(const double *shares, size_t n, bool ascii)
{
	char *out = xcalloc(n * 3 + 1, 1), *p = out;
	size_t i;

	for (i = 0; i < n; i++) {
		int level = shares[i] < 0 ? -1 : (int)(shares[i] * 7 + 0.5);

		if (level > 7)
			level = 7;
		if (ascii)
			*p++ = level < 0 ? ' ' : ascii_levels[level];
		else
			p += sprintf(p, "%s", level < 0 ? "·" : blocks[level]);
	}
	return out;
}

static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};

char *report_bar(size_t count, size_t max, int width, bool ascii)
{
	size_t cells = max ? (count * (size_t)width * 8 + max / 2) / max : 0, i;
	char *out = xcalloc((size_t)width * 3 + 4, 1), *p = out;

	if (count && !cells)
		cells = 1; /* something is there: never draw it as nothing */
	for (i = 0; i < cells / 8; i++)
		p += sprintf(p, "%s", ascii ? "#" : "█");
	if (cells % 8)
		p += sprintf(p, "%s", ascii ? "#" : eighths[cells % 8]);
	return out;
}

/* "AuBBv", or "Au" when BB is 0. */
static void two_units(char *buf, size_t size, long long a, char u, long long b, char v)
{
	if (b)
		snprintf(buf, size, "%lld%c%02lld%c", a, u, b, v);
	else
		snprintf(buf, size, "%lld%c", a, u);
}

const char *report_duration(int64_t s, char *buf, size_t size)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, size, "%llds", (long long)s);
	else if (s < 3600)
		two_units(buf, size, (long long)(s / 60), 'm', (long long)(s % 60), 's');
	else if (s < 86400)
		two_units(buf, size, (long long)(s / 3600), 'h', (long long)(s % 3600 / 60), 'm');
	else
		two_units(buf, size, (long long)(s / 86400), 'd', (long long)(s % 86400 / 3600),
			  'h');
	return buf;
}
