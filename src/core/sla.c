/* sla.c: response deadlines, the warnings and breaches they cause, and business-hours time. */
#include "build-config.h"

#include "sla.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#define DAY_SECONDS 86400
#define DAY_MINUTES 1440
/* Inputs to business-time arithmetic are clamped to about +-34,000 years, so that no sum
 * below can overflow and no zone look-up sees a year it cannot represent. */
#define TIME_LIMIT ((int64_t)1 << 40)

/* Business intervals are memoised per (hours, window of local days). 64 days cover the
 * usual spread between the oldest waiting conversation and the deadlines ahead of now;
 * windows start on a 32-day grid so that neighbouring times share one. */
#define CACHE_SLOTS 8
#define WINDOW_DAYS 64
#define GRID_DAYS   32
/* Written hours give up to SLA_MAX_RANGES spans a day; a backend's week, cut at each
 * midnight, up to its intervals plus one a day, in each of the window's ten weeks; an
 * exception's day, up to SLA_MAX_RANGES more. */
#define SPANS_WRITTEN (SLA_MAX_RANGES * (WINDOW_DAYS + 1))
#define SPANS_WEEK                                                                                 \
	((SLA_MAX_WEEK + 7) * (WINDOW_DAYS / 7 + 2) + SLA_MAX_RANGES * SLA_MAX_EXCEPTIONS)
#define MAX_SPANS (SPANS_WEEK > SPANS_WRITTEN ? SPANS_WEEK : SPANS_WRITTEN)
/* Days from 0001-01-01 (GLib's Julian day 1) to 1970-01-01. */
#define JULIAN_EPOCH 719163
/* Walking more windows than this (~360 years) is a nonsense request; stop there. */
#define MAX_WALK 2048

void sla_policy_default(struct sla_policy *p, bool realtime)
{
	memset(p, 0, sizeof(*p));
	p->first_response = realtime ? 120 : 3600;
	p->next_response = realtime ? 120 : 3600;
	p->warn[0] = realtime ? 60 : 600;
	p->warn[1] = realtime ? 30 : 300;
	p->n_warn = 2;
	p->pause_snoozed = true;
}

static int64_t add_saturated(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

static int64_t subtract_saturated(int64_t a, int64_t b)
{
	if (b == INT64_MIN)
		return a >= 0 ? INT64_MAX : a - INT64_MIN;
	return add_saturated(a, -b);
}

static int64_t clamp_time(int64_t t)
{
	if (t > TIME_LIMIT)
		return TIME_LIMIT;
	return t < -TIME_LIMIT ? -TIME_LIMIT : t;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b < 0); }

static int clamp_count(int n, int max)
{
	if (n < 0)
		return 0;
	return n > max ? max : n;
}

static bool range_valid(int start, int end)
{
	return start >= 0 && start < DAY_MINUTES && end >= 0 && end <= DAY_MINUTES;
}

/* An enabled schedule without a single open minute would never let a deadline arrive;
 * configuration rejects it, and here it counts as "no business hours". */
static bool hours_active(const struct sla_hours *h)
{
	int i, n;

	if (!h || !h->enabled)
		return false;
	if (h->n_week > 0)
		return true;
	if (!(h->days & 0x7f))
		return false;
	n = clamp_count(h->n_ranges, SLA_MAX_RANGES);
	for (i = 0; i < n; i++)
		if (range_valid(h->ranges[i].start, h->ranges[i].end))
			return true;
	return false;
}

static bool exception_same(const struct sla_exception *a, const struct sla_exception *b)
{
	int i, n = clamp_count(a->n_ranges, SLA_MAX_RANGES);

	if (a->year != b->year || a->month != b->month || a->day != b->day ||
	    a->recurring != b->recurring || n != clamp_count(b->n_ranges, SLA_MAX_RANGES))
		return false;
	for (i = 0; i < n; i++)
		if (a->ranges[i].start != b->ranges[i].start ||
		    a->ranges[i].end != b->ranges[i].end)
			return false;
	return true;
}

static bool hours_same(const struct sla_hours *a, const struct sla_hours *b)
{
	int i, n = clamp_count(a->n_ranges, SLA_MAX_RANGES);

	if ((a->days & 0x7f) != (b->days & 0x7f) || n != clamp_count(b->n_ranges, SLA_MAX_RANGES))
		return false;
	for (i = 0; i < n; i++)
		if (a->ranges[i].start != b->ranges[i].start ||
		    a->ranges[i].end != b->ranges[i].end)
			return false;
	if (a->n_week != b->n_week || a->n_exceptions != b->n_exceptions ||
	    memcmp(a->week, b->week,
		   sizeof(a->week[0]) * (size_t)clamp_count(a->n_week, SLA_MAX_WEEK)))
		return false;
	n = clamp_count(a->n_exceptions, SLA_MAX_EXCEPTIONS);
	for (i = 0; i < n; i++)
		if (!exception_same(&a->exceptions[i], &b->exceptions[i]))
			return false;
	return strncmp(a->tz, b->tz, sizeof(a->tz)) == 0;
}

/* Zone rules come from GLib's GTimeZone, which reads the zone database itself ($TZDIR, or
 * /usr/share/zoneinfo) into an immutable object. The C library converts only in the
 * process's zone, which would mean switching TZ with setenv and tzset: not thread-safe,
 * and the desktop notifier's, D-Bus's and curl's resolver threads run beside this code.
 * So nothing here touches TZ, the environment or the C library's zone. A NULL zone is UTC. */
static bool zone_is_utc(const char *tz)
{
	return tz[0] == '\0' || strcmp(tz, "UTC") == 0;
}

/* The zone named tz, or NULL for UTC or a zone the database does not have. The caller
 * unrefs it. */
static GTimeZone *zone_load(const char *tz)
{
	return zone_is_utc(tz) ? NULL : g_time_zone_new_identifier(tz);
}

int sla_zone_check(const char *tz)
{
	GTimeZone *zone;

	if (!tz || strlen(tz) >= sizeof(((struct sla_hours *)0)->tz)) {
		errno = EINVAL;
		return -1;
	}
	if (zone_is_utc(tz))
		return 0;
	zone = zone_load(tz);
	if (!zone) {
		errno = ENOENT;
		return -1;
	}
	g_time_zone_unref(zone);
	return 0;
}

static int interval_compare(const void *a, const void *b)
{
	const struct sla_interval *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/* Sorts and merges intervals that overlap or touch; returns how many remain. */
static int intervals_merge(struct sla_interval *iv, int n)
{
	int i, kept = 0;

	qsort(iv, (size_t)n, sizeof(iv[0]), interval_compare);
	for (i = 0; i < n; i++) {
		if (kept > 0 && iv[i].start <= iv[kept - 1].end) {
			if (iv[i].end > iv[kept - 1].end)
				iv[kept - 1].end = iv[i].end;
			continue;
		}
		iv[kept++] = iv[i];
	}
	return kept;
}

/* Copies n intervals within [0, limit] into out (room for max); -1 with a message. */
static int intervals_copy(struct sla_interval *out, int max, const struct sla_interval *iv,
			  size_t n, int limit, char *err, size_t errlen)
{
	size_t i;

	if (n > (size_t)max) {
		snprintf(err, errlen, "%zu open intervals, more than the %d frontline keeps", n,
			 max);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (iv[i].start < 0 || iv[i].end > limit || iv[i].start >= iv[i].end) {
			snprintf(err, errlen, "an open interval %d-%d outside 0-%d minutes",
				 iv[i].start, iv[i].end, limit);
			return -1;
		}
		out[i] = iv[i];
	}
	return intervals_merge(out, (int)n);
}

int sla_hours_from_week(struct sla_hours *h, const char *tz, const struct sla_interval *iv,
			size_t n, char *err, size_t errlen)
{
	struct sla_interval week[SLA_MAX_WEEK];
	int kept;

	if (!tz || sla_zone_check(tz) < 0) {
		snprintf(err, errlen, "unknown time zone \"%.64s\"", tz ? tz : "");
		return -1;
	}
	kept = intervals_copy(week, SLA_MAX_WEEK, iv, n, SLA_WEEK_MINUTES, err, errlen);
	if (kept < 0)
		return -1;
	memset(h->week, 0, sizeof(h->week));
	memcpy(h->week, week, sizeof(week[0]) * (size_t)kept);
	h->n_week = kept;
	h->n_exceptions = 0;
	memset(h->exceptions, 0, sizeof(h->exceptions));
	h->days = 0;
	h->n_ranges = 0;
	snprintf(h->tz, sizeof(h->tz), "%s", tz);
	h->enabled = kept > 0;
	return 0;
}

int sla_hours_add_exception(struct sla_hours *h, const char *date, bool recurring,
			    const struct sla_interval *iv, size_t n, char *err, size_t errlen)
{
	struct sla_exception x = {.recurring = recurring};
	char tail;

	if (h->n_exceptions >= SLA_MAX_EXCEPTIONS) {
		snprintf(err, errlen, "more than %d exceptions", SLA_MAX_EXCEPTIONS);
		return -1;
	}
	if (!date || sscanf(date, "%4d-%2d-%2d%c", &x.year, &x.month, &x.day, &tail) != 3 ||
	    x.month < 1 || x.month > 12 || x.day < 1 || x.day > 31 ||
	    !g_date_valid_dmy((GDateDay)x.day, (GDateMonth)x.month, (GDateYear)x.year)) {
		snprintf(err, errlen, "an exception date \"%.32s\" that is not YYYY-MM-DD",
			 date ? date : "");
		return -1;
	}
	x.n_ranges = intervals_copy(x.ranges, SLA_MAX_RANGES, iv, n, DAY_MINUTES, err, errlen);
	if (x.n_ranges < 0)
		return -1;
	h->exceptions[h->n_exceptions++] = x;
	return 0;
}

/* UTC offset at t in zone; 0 for UTC. */
static int64_t zone_offset(GTimeZone *zone, fl_time t)
{
	if (!zone)
		return 0;
	/* For universal time every instant has an interval: this cannot fail. */
	return g_time_zone_get_offset(zone,
				      g_time_zone_find_interval(zone, G_TIME_TYPE_UNIVERSAL, t));
}

/* The instant the local wall-clock time `local` (seconds as if the zone were UTC) happens.
 * A time that repeats (clocks set back) means its first occurrence; a time that does not
 * exist (clocks set forward over it) means the instant the clocks jumped. Both choices
 * keep the mapping monotonic, so a range never ends before it starts. Assumes no zone
 * changes its offset twice within two days. */
static fl_time zone_local_to_utc(GTimeZone *zone, int64_t local)
{
	int64_t before, after, low_offset;
	fl_time low, high, mid;

	if (!zone)
		return local;
	before = zone_offset(zone, local - DAY_SECONDS);
	after = zone_offset(zone, local + DAY_SECONDS);
	if (zone_offset(zone, local - before) == before)
		return local - before;
	if (zone_offset(zone, local - after) == after)
		return local - after;
	/* In a gap: offset(low) is the old one, offset(high) the new; find the jump. */
	low = local - after;
	high = local - before;
	low_offset = zone_offset(zone, low);
	if (low >= high || zone_offset(zone, high) == low_offset)
		return high;
	while (high - low > 1) {
		mid = low + (high - low) / 2;
		if (zone_offset(zone, mid) == low_offset)
			low = mid;
		else
			high = mid;
	}
	return high;
}

struct span {
	fl_time start, end; /* UTC, [start, end) */
	int64_t before;	    /* business seconds in the window before start */
};

/* A memo of one schedule's business intervals over [lo, hi). The static cache below is
 * nothing but a memo of a pure function of (hours, time): results never depend on what
 * it holds, only their cost does. */
struct window {
	bool used;
	unsigned long last_use;
	struct sla_hours hours;
	GTimeZone *zone; /* hours.tz's rules, NULL for UTC; a reference held by the memo */
	fl_time lo, hi;
	int n;
	struct span spans[MAX_SPANS];
};

static struct window cache[CACHE_SLOTS];
static unsigned long cache_clock;

static int span_compare(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static void window_add_span(struct window *w, fl_time start, fl_time end)
{
	if (start < w->lo)
		start = w->lo;
	if (end > w->hi)
		end = w->hi;
	if (end > start && w->n < MAX_SPANS)
		w->spans[w->n++] = (struct span){start, end, 0};
}

/* Local minutes [start, end) of local day `day` (end may pass midnight) as a span. */
static void window_add_local(struct window *w, int64_t day, int start, int end)
{
	window_add_span(w, zone_local_to_utc(w->zone, day * DAY_SECONDS + (int64_t)start * 60),
			zone_local_to_utc(w->zone, day * DAY_SECONDS + (int64_t)end * 60));
}

/* The exception for local day `day` (days since 1970-01-01), or NULL. */
static const struct sla_exception *exception_for(const struct sla_hours *h, int64_t day)
{
	int i, n = clamp_count(h->n_exceptions, SLA_MAX_EXCEPTIONS);
	GDate date;

	if (n == 0 || day + JULIAN_EPOCH < 1 || day + JULIAN_EPOCH > G_MAXUINT32)
		return NULL;
	g_date_clear(&date, 1);
	g_date_set_julian(&date, (guint32)(day + JULIAN_EPOCH));
	if (!g_date_valid(&date))
		return NULL;
	for (i = 0; i < n; i++) {
		const struct sla_exception *x = &h->exceptions[i];

		if (x->month == (int)g_date_get_month(&date) &&
		    x->day == (int)g_date_get_day(&date) &&
		    (x->recurring || x->year == (int)g_date_get_year(&date)))
			return x;
	}
	return NULL;
}

/* A backend's week cut at local midnights: the part of each interval on `day`. */
static void window_add_week_day(struct window *w, const struct sla_hours *h, int64_t day)
{
	int monday_based = (int)(day + 3 - floor_div(day + 3, 7) * 7); /* 1970-01-01: Thursday */
	int from = monday_based * DAY_MINUTES, to = from + DAY_MINUTES;
	int i, n = clamp_count(h->n_week, SLA_MAX_WEEK), start, end;

	for (i = 0; i < n; i++) {
		start = h->week[i].start > from ? h->week[i].start : from;
		end = h->week[i].end < to ? h->week[i].end : to;
		if (end > start)
			window_add_local(w, day, start - from, end - from);
	}
}

static void window_add_day(struct window *w, const struct sla_hours *h, int64_t day)
{
	int i, n = clamp_count(h->n_ranges, SLA_MAX_RANGES);
	int weekday = (int)(day + 4 - floor_div(day + 4, 7) * 7); /* 1970-01-01 was a Thursday */
	const struct sla_exception *x = exception_for(h, day);

	if (x) {
		for (i = 0; i < clamp_count(x->n_ranges, SLA_MAX_RANGES); i++)
			if (range_valid(x->ranges[i].start, x->ranges[i].end) &&
			    x->ranges[i].end > x->ranges[i].start)
				window_add_local(w, day, x->ranges[i].start, x->ranges[i].end);
		return;
	}
	if (h->n_week > 0) {
		window_add_week_day(w, h, day);
		return;
	}
	if (!(h->days & (1u << weekday)))
		return;
	for (i = 0; i < n; i++) {
		if (!range_valid(h->ranges[i].start, h->ranges[i].end))
			continue;
		/* end <= start runs past midnight; the day bit names the day the range starts. */
		window_add_local(w, day, h->ranges[i].start,
				 h->ranges[i].end <= h->ranges[i].start
				     ? h->ranges[i].end + DAY_MINUTES
				     : h->ranges[i].end);
	}
}

/* Sorts, merges overlapping ranges and numbers the business seconds. */
static void window_finish(struct window *w)
{
	int i, n = 0;
	int64_t total = 0;

	qsort(w->spans, (size_t)w->n, sizeof(w->spans[0]), span_compare);
	for (i = 0; i < w->n; i++) {
		if (n > 0 && w->spans[i].start <= w->spans[n - 1].end) {
			if (w->spans[i].end > w->spans[n - 1].end)
				w->spans[n - 1].end = w->spans[i].end;
			continue;
		}
		w->spans[n++] = w->spans[i];
	}
	w->n = n;
	for (i = 0; i < n; i++) {
		w->spans[i].before = total;
		total += w->spans[i].end - w->spans[i].start;
	}
}

/* Costs about 6 zone look-ups per range and day (~1,500 for a 64-day window of four
 * ranges), plus reading the zone file when no other window holds that zone. */
static void window_fill(struct window *w, const struct sla_hours *h, fl_time t)
{
	char tz[sizeof(h->tz) + 1];
	GTimeZone *zone;
	int64_t day, first_day;

	memcpy(tz, h->tz, sizeof(h->tz));
	tz[sizeof(h->tz)] = '\0';
	/* Loaded before the old reference goes, so a refill in the same zone reuses it. */
	zone = zone_load(tz);
	if (w->zone)
		g_time_zone_unref(w->zone);
	w->zone = zone;
	/* t's local day is within one day of its UTC day, so it falls well inside. */
	first_day = floor_div(floor_div(t, DAY_SECONDS), GRID_DAYS) * GRID_DAYS - GRID_DAYS / 2;
	w->hours = *h;
	w->lo = zone_local_to_utc(zone, first_day * DAY_SECONDS);
	w->hi = zone_local_to_utc(zone, (first_day + WINDOW_DAYS) * DAY_SECONDS);
	w->n = 0;
	/* The day before the window may open a range that runs past midnight into it. */
	for (day = first_day - 1; day < first_day + WINDOW_DAYS; day++)
		window_add_day(w, h, day);
	window_finish(w);
	w->used = true;
}

static struct window *window_for(const struct sla_hours *h, fl_time t)
{
	struct window *w, *victim = &cache[0];
	int i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		w = &cache[i];
		if (w->used && t >= w->lo && t < w->hi && hours_same(&w->hours, h)) {
			w->last_use = ++cache_clock;
			return w;
		}
		if (victim->used && (!w->used || w->last_use < victim->last_use))
			victim = w;
	}
	window_fill(victim, h, t);
	victim->last_use = ++cache_clock;
	return victim;
}

static int64_t window_total(const struct window *w)
{
	const struct span *last;

	if (w->n == 0)
		return 0;
	last = &w->spans[w->n - 1];
	return last->before + (last->end - last->start);
}

/* Business seconds in [w->lo, t), for t in [w->lo, w->hi]. */
static int64_t window_business_before(const struct window *w, fl_time t)
{
	int low = 0, high = w->n, mid;
	const struct span *s;

	while (low < high) {
		mid = low + (high - low) / 2;
		if (w->spans[mid].end <= t)
			low = mid + 1;
		else
			high = mid;
	}
	if (low == w->n)
		return window_total(w);
	s = &w->spans[low];
	return s->before + (t > s->start ? t - s->start : 0);
}

/* The earliest instant with `target` business seconds before it, 0 < target <= total. */
static fl_time window_time_at(const struct window *w, int64_t target)
{
	int low = 0, high = w->n - 1, mid;
	const struct span *s;

	while (low < high) {
		mid = low + (high - low) / 2;
		s = &w->spans[mid];
		if (s->before + (s->end - s->start) < target)
			low = mid + 1;
		else
			high = mid;
	}
	s = &w->spans[low];
	return s->start + (target - s->before);
}

/* The earliest such time, so a deadline that uses up a range falls on its closing time,
 * not on the next opening. seconds <= 0 gives start. */
fl_time sla_hours_add(const struct sla_hours *h, fl_time start, int64_t seconds)
{
	const struct window *w;
	int64_t from, room;
	fl_time t;
	int walk;

	if (seconds <= 0)
		return start;
	if (!hours_active(h))
		return add_saturated(start, seconds);
	t = clamp_time(start);
	if (seconds > 2 * TIME_LIMIT)
		seconds = 2 * TIME_LIMIT;
	for (walk = 0; walk < MAX_WALK; walk++) {
		w = window_for(h, t);
		from = window_business_before(w, t);
		room = window_total(w) - from;
		if (seconds <= room)
			return window_time_at(w, from + seconds);
		seconds -= room;
		t = w->hi;
	}
	return t + seconds;
}

int64_t sla_hours_between(const struct sla_hours *h, fl_time a, fl_time b)
{
	const struct window *w;
	int64_t sum = 0;
	fl_time t, end;
	int walk;

	if (!hours_active(h))
		return subtract_saturated(b, a);
	if (b < a)
		return -sla_hours_between(h, b, a);
	b = clamp_time(b);
	for (t = clamp_time(a), walk = 0; t < b && walk < MAX_WALK; walk++) {
		w = window_for(h, t);
		end = b < w->hi ? b : w->hi;
		sum += window_business_before(w, end) - window_business_before(w, t);
		t = end;
	}
	return sum;
}

static void targets_apply(struct sla_targets *t, const struct sla_targets *over)
{
	if (over->first_response > 0)
		t->first_response = over->first_response;
	if (over->next_response > 0)
		t->next_response = over->next_response;
	if (over->n_warn >= 0) {
		t->n_warn = clamp_count(over->n_warn, SLA_MAX_WARN);
		memcpy(t->warn, over->warn, sizeof(t->warn));
	}
}

void sla_targets_for(const struct sla_policy *p, const struct conversation *c,
		     struct sla_targets *out)
{
	int i, n = clamp_count(p->n_named, SLA_MAX_NAMED);

	out->first_response = p->first_response;
	out->next_response = p->next_response;
	memcpy(out->warn, p->warn, sizeof(out->warn));
	out->n_warn = clamp_count(p->n_warn, SLA_MAX_WARN);
	if ((unsigned)c->priority < PRIORITY_LEVELS) {
		if (p->first_by_priority[c->priority] > 0)
			out->first_response = p->first_by_priority[c->priority];
		if (p->next_by_priority[c->priority] > 0)
			out->next_response = p->next_by_priority[c->priority];
	}
	if (c->sla_first_target > 0)
		out->first_response = c->sla_first_target;
	if (c->sla_next_target > 0)
		out->next_response = c->sla_next_target;
	for (i = 0; c->sla_name && i < n; i++) {
		if (!strncmp(p->named[i].name, c->sla_name, sizeof(p->named[i].name))) {
			targets_apply(out, &p->named[i].targets);
			break;
		}
	}
}

static int warn_level_for(const struct sla_targets *t, int64_t left)
{
	int i, level = 0, n = clamp_count(t->n_warn, SLA_MAX_WARN);

	for (i = 0; i < n; i++)
		if (left <= t->warn[i])
			level = i + 1;
	return level;
}

/* Which clock runs and from when, from the fields that can tell (see sla.h); false when
 * they cannot. */
static bool clock_start(const struct conversation *c, enum sla_kind *kind, fl_time *started)
{
	if (c->unknown &
	    (CONV_UNKNOWN_STATE | CONV_UNKNOWN_WAITING | CONV_UNKNOWN_FIRST_ADMIN_REPLY))
		return false;
	if (c->first_admin_reply_at != 0) {
		*kind = SLA_KIND_NEXT;
		*started = c->waiting_since;
		return true;
	}
	if (c->unknown & CONV_UNKNOWN_FIRST_CONTACT_REPLY)
		return false;
	*kind = SLA_KIND_FIRST;
	*started = c->first_contact_reply_at ? c->first_contact_reply_at : c->waiting_since;
	return true;
}

/* Without business hours this is a handful of comparisons and additions; with them, two
 * cache look-ups (a scan of CACHE_SLOTS entries) and binary searches, plus a window fill
 * (see window_fill) only when a time leaves every cached window. */
void sla_evaluate(const struct sla_policy *p, const struct conversation *c, int64_t paused,
		  fl_time now, struct sla_clock *out)
{
	struct sla_targets t;
	int64_t budget;

	memset(out, 0, sizeof(*out));
	out->kind = SLA_KIND_NONE;
	out->state = SLA_NONE;
	if (!(c->unknown & CONV_UNKNOWN_STATE) && c->state == CONV_CLOSED)
		return;
	if (!(c->unknown & CONV_UNKNOWN_WAITING) && c->waiting_since == 0)
		return;
	if (!clock_start(c, &out->kind, &out->started)) {
		out->kind = SLA_KIND_NONE;
		out->state = SLA_UNKNOWN;
		return;
	}
	sla_targets_for(p, c, &t);
	budget = out->kind == SLA_KIND_FIRST ? t.first_response : t.next_response;
	budget = add_saturated(budget > 0 ? budget : 0, paused > 0 ? paused : 0);
	if (hours_active(&p->hours)) {
		out->deadline = sla_hours_add(&p->hours, out->started, budget);
		out->left = sla_hours_between(&p->hours, now, out->deadline);
	} else {
		out->deadline = add_saturated(out->started, budget);
		out->left = subtract_saturated(out->deadline, now);
	}
	if (c->state == CONV_SNOOZED && p->pause_snoozed) {
		out->state = SLA_PAUSED;
		return;
	}
	/* Due at the deadline's own second: left == 0 is already a breach. */
	out->warn_level = warn_level_for(&t, out->left);
	if (out->left <= 0)
		out->state = SLA_BREACHED;
	else
		out->state = out->warn_level > 0 ? SLA_WARNING : SLA_OK;
}

enum sla_event sla_track(struct sla_memory *m, const struct sla_clock *clock)
{
	if (clock->kind == SLA_KIND_NONE || clock->state == SLA_NONE)
		return SLA_EVENT_NONE;
	if (m->kind != clock->kind || m->started != clock->started) {
		m->kind = clock->kind;
		m->started = clock->started;
		m->warn_level = 0;
		m->breached = false;
	}
	switch (clock->state) {
	case SLA_BREACHED:
		if (m->breached)
			return SLA_EVENT_NONE;
		/* A clock that jumps straight to breached owes no warnings any more. */
		m->breached = true;
		return SLA_EVENT_BREACHED;
	case SLA_WARNING:
		/* One event per tick: levels skipped between two ticks are not told separately. */
		if (m->breached || clock->warn_level <= m->warn_level)
			return SLA_EVENT_NONE;
		m->warn_level = clock->warn_level;
		return SLA_EVENT_WARNING;
	default:
		return SLA_EVENT_NONE;
	}
}

int sla_parse_duration(const char *s, int64_t *out)
{
	static const struct {
		char unit;
		int64_t seconds;
	} units[] = {{'d', DAY_SECONDS}, {'h', 3600}, {'m', 60}, {'s', 1}};
	size_t next_unit = 0, i;
	int64_t total = 0, n;
	const char *p = s;

	if (!s || !out || !*s)
		return -1;
	while (*p) {
		if (*p < '0' || *p > '9')
			return -1;
		for (n = 0; *p >= '0' && *p <= '9'; p++) {
			if (n > (INT64_MAX - (*p - '0')) / 10)
				return -1;
			n = n * 10 + (*p - '0');
		}
		if (!*p && next_unit == 0) { /* plain seconds: "45" */
			total = n;
			break;
		}
		/* Units go largest first, each once: "1h30m", not "30m1h" or "1m1m". */
		for (i = next_unit; i < sizeof(units) / sizeof(units[0]); i++)
			if (*p == units[i].unit)
				break;
		if (i == sizeof(units) / sizeof(units[0]) || n > INT64_MAX / units[i].seconds ||
		    n * units[i].seconds > INT64_MAX - total)
			return -1;
		total += n * units[i].seconds;
		next_unit = i + 1;
		p++;
	}
	*out = total;
	return 0;
}
