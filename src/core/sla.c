/* sla.c: response deadlines, the warnings and breaches they cause, and business-hours time. */
#include "build-config.h"

#include "sla.h"

#include <errno.h>
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
#define MAX_SPANS   (SLA_MAX_RANGES * (WINDOW_DAYS + 1))
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

	if (!h || !h->enabled || !(h->days & 0x7f))
		return false;
	n = clamp_count(h->n_ranges, SLA_MAX_RANGES);
	for (i = 0; i < n; i++)
		if (range_valid(h->ranges[i].start, h->ranges[i].end))
			return true;
	return false;
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

static void window_add_day(struct window *w, const struct sla_hours *h, int64_t day)
{
	int i, n = clamp_count(h->n_ranges, SLA_MAX_RANGES);
	int weekday = (int)(day + 4 - floor_div(day + 4, 7) * 7); /* 1970-01-01 was a Thursday */
	int64_t end_day;
	fl_time start, end;

	if (!(h->days & (1u << weekday)))
		return;
	for (i = 0; i < n; i++) {
		if (!range_valid(h->ranges[i].start, h->ranges[i].end))
			continue;
		/* end <= start runs past midnight; the day bit names the day the range starts. */
		end_day = h->ranges[i].end <= h->ranges[i].start ? day + 1 : day;
		start = zone_local_to_utc(w->zone, day * DAY_SECONDS + h->ranges[i].start * 60);
		end = zone_local_to_utc(w->zone, end_day * DAY_SECONDS + h->ranges[i].end * 60);
		if (start < w->lo)
			start = w->lo;
		if (end > w->hi)
			end = w->hi;
		if (end > start && w->n < MAX_SPANS)
			w->spans[w->n++] = (struct span){start, end, 0};
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
