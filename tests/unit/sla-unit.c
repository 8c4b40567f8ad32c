/* sla-unit.c: the response clock, its events, business hours across zones and DST, and
 * duration parsing, all with a fixed clock. */
#include "build-config.h"

#include <dlfcn.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "sla.h"

/* 2024-05-10 12:00:00 UTC, a Friday: the fixed "now" most tests count from. */
#define T0 ((fl_time)1715342400)

static struct conversation waiting_conversation(fl_time created, fl_time waiting)
{
	struct conversation c;

	memset(&c, 0, sizeof(c));
	c.state = CONV_OPEN;
	c.created_at = created;
	c.first_contact_reply_at = created;
	c.waiting_since = waiting;
	return c;
}

static struct sla_policy realtime_policy(void)
{
	struct sla_policy p;

	sla_policy_default(&p, true);
	return p;
}

static struct sla_hours make_hours(const char *tz, unsigned days, int start, int end)
{
	struct sla_hours h;

	memset(&h, 0, sizeof(h));
	h.enabled = true;
	h.days = (unsigned char)days;
	h.ranges[0].start = start;
	h.ranges[0].end = end;
	h.n_ranges = 1;
	strncpy(h.tz, tz, sizeof(h.tz) - 1);
	return h;
}

#define ALL_DAYS 0x7f
#define WEEKDAYS 0x3e /* Monday .. Friday */
#define HM(h, m) ((h)*60 + (m))

static void test_policy_default(void **state)
{
	struct sla_policy p;

	(void)state;
	memset(&p, 0xff, sizeof(p));
	sla_policy_default(&p, true);
	assert_int_equal(p.first_response, 120);
	assert_int_equal(p.next_response, 120);
	assert_int_equal(p.n_warn, 2);
	assert_int_equal(p.warn[0], 60);
	assert_int_equal(p.warn[1], 30);
	assert_true(p.pause_snoozed);
	assert_false(p.hours.enabled);
	sla_policy_default(&p, false);
	assert_int_equal(p.first_response, 3600);
	assert_int_equal(p.next_response, 3600);
	assert_int_equal(p.warn[0], 600);
	assert_int_equal(p.warn[1], 300);
}

static void test_first_and_next_response(void **state)
{
	static const struct {
		bool realtime;
		fl_time created, first_contact, first_admin, waiting;
		enum sla_kind kind;
		fl_time started, deadline;
	} cases[] = {
	    /* No contact reply recorded: counts from creation. */
	    {true, 1000, 0, 0, 1000, SLA_KIND_FIRST, 1000, 1120},
	    /* An outbound conversation the customer answered later: from that answer. */
	    {true, 1000, 1500, 0, 1500, SLA_KIND_FIRST, 1500, 1620},
	    /* The customer wrote again before anyone answered: still the first message. */
	    {true, 1000, 1500, 0, 1700, SLA_KIND_FIRST, 1500, 1620},
	    {false, 1000, 0, 0, 1000, SLA_KIND_FIRST, 1000, 4600},
	    /* An admin has replied: the next-response clock runs from waiting_since. */
	    {true, 1000, 1500, 1600, 2000, SLA_KIND_NEXT, 2000, 2120},
	    {false, 1000, 1500, 1600, 2000, SLA_KIND_NEXT, 2000, 5600},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sla_policy p;
		struct conversation c = waiting_conversation(cases[i].created, cases[i].waiting);
		struct sla_clock clock;

		sla_policy_default(&p, cases[i].realtime);
		c.first_contact_reply_at = cases[i].first_contact;
		c.first_admin_reply_at = cases[i].first_admin;
		sla_evaluate(&p, &c, 0, cases[i].started + 1, &clock);
		assert_int_equal(clock.kind, cases[i].kind);
		assert_int_equal(clock.started, cases[i].started);
		assert_int_equal(clock.deadline, cases[i].deadline);
		assert_int_equal(clock.left, cases[i].deadline - cases[i].started - 1);
		assert_int_equal(clock.state, SLA_OK);
	}
}

static void test_no_clock(void **state)
{
	struct sla_policy p = realtime_policy();
	struct conversation c = waiting_conversation(T0, 0);
	struct sla_clock clock;

	(void)state;
	sla_evaluate(&p, &c, 0, T0 + 500, &clock);
	assert_int_equal(clock.kind, SLA_KIND_NONE);
	assert_int_equal(clock.state, SLA_NONE);

	c.waiting_since = T0;
	c.state = CONV_CLOSED;
	sla_evaluate(&p, &c, 0, T0 + 500, &clock);
	assert_int_equal(clock.kind, SLA_KIND_NONE);
	assert_int_equal(clock.state, SLA_NONE);

	/* Not waiting but snoozed: nothing to pause either. */
	c.state = CONV_SNOOZED;
	c.waiting_since = 0;
	sla_evaluate(&p, &c, 0, T0 + 500, &clock);
	assert_int_equal(clock.state, SLA_NONE);
}

static void test_state_thresholds(void **state)
{
	static const struct {
		int64_t elapsed;
		enum sla_state state;
		int warn_level;
	} cases[] = {
	    {0, SLA_OK, 0},	    {59, SLA_OK, 0},	    {60, SLA_WARNING, 1},
	    {89, SLA_WARNING, 1},   {90, SLA_WARNING, 2},   {119, SLA_WARNING, 2},
	    {120, SLA_BREACHED, 2}, {125, SLA_BREACHED, 2},
	};
	struct sla_policy p = realtime_policy();
	struct conversation c = waiting_conversation(T0, T0);
	struct sla_clock clock;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sla_evaluate(&p, &c, 0, T0 + cases[i].elapsed, &clock);
		assert_int_equal(clock.state, cases[i].state);
		assert_int_equal(clock.warn_level, cases[i].warn_level);
		assert_int_equal(clock.left, 120 - cases[i].elapsed);
		assert_int_equal(clock.deadline, T0 + 120);
	}
}

/* Ticks once a second over [from, to) and records each event and its time. */
struct event_log {
	int n;
	enum sla_event event[16];
	fl_time at[16];
	int level[16];
};

static void run_ticks(const struct sla_policy *p, const struct conversation *c, int64_t paused,
		      fl_time from, fl_time to, struct sla_memory *m, struct event_log *log)
{
	struct sla_clock clock;
	enum sla_event e;
	fl_time t;

	for (t = from; t < to; t++) {
		sla_evaluate(p, c, paused, t, &clock);
		e = sla_track(m, &clock);
		if (e == SLA_EVENT_NONE)
			continue;
		assert_true(log->n < 16);
		log->event[log->n] = e;
		log->at[log->n] = t;
		log->level[log->n] = clock.warn_level;
		log->n++;
	}
}

static void test_events_once_in_order(void **state)
{
	struct sla_policy p = realtime_policy();
	struct conversation c = waiting_conversation(T0, T0);
	struct sla_memory m = {0};
	struct event_log log = {0};

	(void)state;
	run_ticks(&p, &c, 0, T0, T0 + 600, &m, &log);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.event[0], SLA_EVENT_WARNING);
	assert_int_equal(log.at[0], T0 + 60);
	assert_int_equal(log.level[0], 1);
	assert_int_equal(log.event[1], SLA_EVENT_WARNING);
	assert_int_equal(log.at[1], T0 + 90);
	assert_int_equal(log.level[1], 2);
	assert_int_equal(log.event[2], SLA_EVENT_BREACHED);
	assert_int_equal(log.at[2], T0 + 120);
}

/* A reply clears the clock; the customer's next message starts a new deadline, which
 * warns and breaches afresh. */
static void test_replies_and_new_deadlines(void **state)
{
	struct sla_policy p = realtime_policy();
	struct conversation c = waiting_conversation(T0, T0);
	struct sla_memory m = {0};
	struct event_log log = {0};
	struct sla_clock clock;

	(void)state;
	run_ticks(&p, &c, 0, T0, T0 + 200, &m, &log);
	assert_int_equal(log.n, 3);

	c.first_admin_reply_at = c.last_admin_reply_at = T0 + 200;
	c.waiting_since = 0;
	sla_evaluate(&p, &c, 0, T0 + 300, &clock);
	assert_int_equal(clock.state, SLA_NONE);
	assert_int_equal(sla_track(&m, &clock), SLA_EVENT_NONE);

	c.waiting_since = T0 + 1000;
	log.n = 0;
	run_ticks(&p, &c, 0, T0 + 1000, T0 + 1500, &m, &log);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.at[0], T0 + 1060);
	assert_int_equal(log.at[1], T0 + 1090);
	assert_int_equal(log.event[2], SLA_EVENT_BREACHED);
	assert_int_equal(log.at[2], T0 + 1120);

	/* A newer unanswered message moves waiting_since: once more. */
	c.waiting_since = T0 + 2000;
	log.n = 0;
	run_ticks(&p, &c, 0, T0 + 2000, T0 + 2200, &m, &log);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.at[2], T0 + 2120);
}

static void test_jump_straight_to_breach(void **state)
{
	struct sla_policy p = realtime_policy();
	struct conversation c = waiting_conversation(T0, T0);
	struct sla_memory m = {0};
	struct event_log log = {0};

	(void)state;
	/* The client first sees this conversation long after it was due. */
	run_ticks(&p, &c, 0, T0 + 3600, T0 + 3700, &m, &log);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.event[0], SLA_EVENT_BREACHED);
	assert_int_equal(log.at[0], T0 + 3600);
}

static void test_snooze_pauses(void **state)
{
	struct sla_policy p = realtime_policy();
	struct conversation c = waiting_conversation(T0, T0);
	struct sla_memory m = {0};
	struct event_log log = {0};
	struct sla_clock clock;

	(void)state;
	run_ticks(&p, &c, 0, T0, T0 + 65, &m, &log);
	assert_int_equal(log.n, 1); /* level 1 told at T0 + 60 */

	/* Snoozed from T0 + 65: no warning, no breach, even far past the deadline. */
	c.state = CONV_SNOOZED;
	run_ticks(&p, &c, 0, T0 + 65, T0 + 1000, &m, &log);
	assert_int_equal(log.n, 1);
	sla_evaluate(&p, &c, 0, T0 + 1000, &clock);
	assert_int_equal(clock.state, SLA_PAUSED);
	assert_int_equal(clock.warn_level, 0);

	/* Back at T0 + 265 after 200 s snoozed: due at T0 + 320, level 1 not told again. */
	c.state = CONV_OPEN;
	sla_evaluate(&p, &c, 200, T0 + 265, &clock);
	assert_int_equal(clock.deadline, T0 + 320);
	assert_int_equal(clock.left, 55);
	assert_int_equal(clock.state, SLA_WARNING);
	run_ticks(&p, &c, 200, T0 + 265, T0 + 400, &m, &log);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.event[1], SLA_EVENT_WARNING);
	assert_int_equal(log.at[1], T0 + 290);
	assert_int_equal(log.level[1], 2);
	assert_int_equal(log.event[2], SLA_EVENT_BREACHED);
	assert_int_equal(log.at[2], T0 + 320);

	/* A queue that does not pause snoozed conversations keeps counting. */
	p.pause_snoozed = false;
	c.state = CONV_SNOOZED;
	sla_evaluate(&p, &c, 0, T0 + 100, &clock);
	assert_int_equal(clock.state, SLA_WARNING);
	assert_int_equal(clock.left, 20);
}

/* The caller passes server time: a local clock 90 s slow would still say "OK" while the
 * conversation is 20 s from its deadline. */
static void test_clock_skew(void **state)
{
	struct sla_policy p = realtime_policy();
	struct conversation c = waiting_conversation(T0, T0);
	struct sla_clock clock;
	struct tm tm;
	fl_time local_at_response = T0 + 10, local_now = T0 + 10, server_date;
	const char *end;

	(void)state;
	memset(&tm, 0, sizeof(tm));
	end = strptime("Fri, 10 May 2024 12:01:40 GMT", "%a, %d %b %Y %H:%M:%S GMT", &tm);
	assert_non_null(end);
	assert_int_equal(*end, '\0');
	server_date = timegm(&tm);
	assert_int_equal(server_date, T0 + 100);

	sla_evaluate(&p, &c, 0, local_now + (server_date - local_at_response), &clock);
	assert_int_equal(clock.state, SLA_WARNING);
	assert_int_equal(clock.left, 20);
	sla_evaluate(&p, &c, 0, local_now, &clock);
	assert_int_equal(clock.state, SLA_OK);
}

static void test_hours_across_midnight(void **state)
{
	struct sla_policy p;
	struct conversation c;
	struct sla_clock clock;
	struct sla_hours friday_night = make_hours("", 1u << 5, HM(22, 0), HM(6, 0));

	(void)state;
	sla_policy_default(&p, false);
	p.hours = make_hours("", ALL_DAYS, HM(22, 0), HM(6, 0));
	/* 05:30 UTC Friday: 30 min until 06:00, the other 30 from 22:00 to 22:30. */
	c = waiting_conversation(1715319000, 1715319000);
	sla_evaluate(&p, &c, 0, T0, &clock);
	assert_int_equal(clock.deadline, 1715380200);
	assert_int_equal(clock.left, 1800);
	assert_int_equal(clock.state, SLA_OK);
	sla_evaluate(&p, &c, 0, 1715380200 - 600, &clock);
	assert_int_equal(clock.state, SLA_WARNING);
	assert_int_equal(clock.warn_level, 1);
	sla_evaluate(&p, &c, 0, 1715380200, &clock);
	assert_int_equal(clock.state, SLA_BREACHED);
	assert_int_equal(clock.left, 0);

	/* The day bit names the day a range starts: Friday 22:00 to Saturday 06:00 counts,
	 * Thursday night and Saturday night do not. Thursday 2024-05-09 00:00 UTC to
	 * Monday 2024-05-13 00:00 UTC holds 8 hours. */
	assert_int_equal(sla_hours_between(&friday_night, 1715212800, 1715558400), 8 * 3600);
	/* Saturday 03:00 is inside Friday's range. */
	assert_int_equal(sla_hours_between(&friday_night, 1715396400, 1715407200), 3 * 3600);
}

static void test_hours_weekend(void **state)
{
	struct sla_policy p;
	struct conversation c;
	struct sla_clock clock;

	(void)state;
	sla_policy_default(&p, false);
	p.hours = make_hours("Europe/Warsaw", WEEKDAYS, HM(9, 0), HM(17, 0));
	/* Friday 2024-05-10 16:30 CEST (14:30 UTC): due Monday 09:30 CEST (07:30 UTC). */
	c = waiting_conversation(1715351400, 1715351400);
	sla_evaluate(&p, &c, 0, 1715351400, &clock);
	assert_int_equal(clock.deadline, 1715585400);
	assert_int_equal(clock.left, 3600);
	/* Saturday noon: half an hour of business time has gone, none since. */
	sla_evaluate(&p, &c, 0, 1715421600, &clock);
	assert_int_equal(clock.left, 1800);
	assert_int_equal(clock.state, SLA_OK);
	/* Monday 09:20 CEST: ten minutes left, the first warning. */
	sla_evaluate(&p, &c, 0, 1715585400 - 600, &clock);
	assert_int_equal(clock.state, SLA_WARNING);
	assert_int_equal(clock.left, 600);
	/* At 09:30 it is due; a 20-minute snooze moves it to 09:50 and it is fine again. */
	sla_evaluate(&p, &c, 0, 1715585400, &clock);
	assert_int_equal(clock.state, SLA_BREACHED);
	sla_evaluate(&p, &c, 1200, 1715585400, &clock);
	assert_int_equal(clock.deadline, 1715585400 + 1200);
	assert_int_equal(clock.left, 1200);
	assert_int_equal(clock.state, SLA_OK);
	assert_int_equal(clock.warn_level, 0);
}

static void test_hours_dst(void **state)
{
	static const struct {
		const char *tz;
		unsigned days;
		int start, end;
		fl_time from;
		int64_t seconds;
		fl_time deadline; /* hand-computed, see each line */
	} cases[] = {
	    /* Warsaw spring forward, 2024-03-31 02:00 CET -> 03:00 CEST (01:00 UTC).
	     * 01:30 CET = 00:30 UTC; two real hours later is 02:30 UTC = 04:30 CEST. */
	    {"Europe/Warsaw", ALL_DAYS, HM(1, 0), HM(5, 0), 1711845000, 7200, 1711852200},
	    /* Range 02:30-04:00 that Sunday: 02:30 does not exist, it opens at the jump. */
	    {"Europe/Warsaw", 1, HM(2, 30), HM(4, 0), 1711839600, 1, 1711846801},
	    /* Warsaw fall back, 2024-10-27 03:00 CEST -> 02:00 CET (01:00 UTC).
	     * 01:30 CEST = 23:30 UTC; three hours later is 02:30 UTC = 03:30 CET. */
	    {"Europe/Warsaw", ALL_DAYS, HM(1, 0), HM(5, 0), 1729985400, 10800, 1729996200},
	    /* 02:15 happens twice; the range opens at the first, 00:15 UTC. */
	    {"Europe/Warsaw", 1, HM(2, 15), HM(2, 45), 1729980000, 1, 1729988101},
	    /* New York spring forward, 2024-03-10 02:00 EST -> 03:00 EDT (07:00 UTC).
	     * Saturday 23:00 EST = 04:00 UTC; the night ends 06:00 EDT = 10:00 UTC. */
	    {"America/New_York", ALL_DAYS, HM(22, 0), HM(6, 0), 1710043200, 21600, 1710064800},
	    /* One more hour: Sunday 22:00 EDT = 02:00 UTC Monday, + 1 h = 1710126000. */
	    {"America/New_York", ALL_DAYS, HM(22, 0), HM(6, 0), 1710043200, 25200, 1710126000},
	    /* New York fall back, 2024-11-03 02:00 EDT -> 01:00 EST (06:00 UTC).
	     * Saturday 23:00 EDT = 03:00 UTC; the night ends 06:00 EST = 11:00 UTC. */
	    {"America/New_York", ALL_DAYS, HM(22, 0), HM(6, 0), 1730602800, 28800, 1730631600},
	    /* Half an hour more: Sunday 22:30 EST = 03:30 UTC Monday. */
	    {"America/New_York", ALL_DAYS, HM(22, 0), HM(6, 0), 1730602800, 30600, 1730691000},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sla_hours h =
		    make_hours(cases[i].tz, cases[i].days, cases[i].start, cases[i].end);

		assert_int_equal(sla_hours_add(&h, cases[i].from, cases[i].seconds),
				 cases[i].deadline);
		assert_int_equal(sla_hours_between(&h, cases[i].from, cases[i].deadline),
				 cases[i].seconds);
	}
}

static void test_hours_dst_day_length(void **state)
{
	struct sla_hours warsaw = make_hours("Europe/Warsaw", ALL_DAYS, 0, 0);
	struct sla_hours warsaw_night = make_hours("Europe/Warsaw", ALL_DAYS, HM(1, 0), HM(5, 0));
	struct sla_hours warsaw_gap = make_hours("Europe/Warsaw", 1, HM(2, 30), HM(4, 0));
	struct sla_hours warsaw_twice = make_hours("Europe/Warsaw", 1, HM(2, 15), HM(2, 45));

	(void)state;
	/* Local midnight to midnight: 23 hours in spring, 25 in autumn. */
	assert_int_equal(sla_hours_between(&warsaw, 1711839600, 1711922400), 23 * 3600);
	assert_int_equal(sla_hours_between(&warsaw, 1729980000, 1730070000), 25 * 3600);
	/* 01:00-05:00 is three real hours in spring and five in autumn. */
	assert_int_equal(sla_hours_between(&warsaw_night, 1711839600, 1711922400), 3 * 3600);
	assert_int_equal(sla_hours_between(&warsaw_night, 1729980000, 1730070000), 5 * 3600);
	/* 02:30-04:00 on the spring Sunday runs from the jump (03:00 CEST) to 04:00 CEST. */
	assert_int_equal(sla_hours_between(&warsaw_gap, 1711839600, 1711922400), 3600);
	/* 02:15-02:45 on the autumn Sunday happens once, not twice. */
	assert_int_equal(sla_hours_between(&warsaw_twice, 1729980000, 1730070000), 1800);
}

/* Southern summer time ends in April; Lord Howe Island moves its clocks by half an hour. */
static void test_hours_dst_south(void **state)
{
	struct sla_hours sydney = make_hours("Australia/Sydney", ALL_DAYS, HM(9, 0), HM(17, 0));
	struct sla_hours lord_howe = make_hours("Australia/Lord_Howe", ALL_DAYS, 0, 0);

	(void)state;
	/* Saturday 2024-04-06 16:00 AEDT (05:00 UTC): one hour that day, then Sunday opens
	 * at 09:00 AEST, after the clocks went back, and the second hour ends 10:00 AEST. */
	assert_int_equal(sla_hours_add(&sydney, 1712379600, 7200), 1712448000);
	assert_int_equal(sla_hours_between(&sydney, 1712379600, 1712448000), 7200);
	/* Local midnight to midnight: 24.5 hours in April, 23.5 in October. */
	assert_int_equal(sla_hours_between(&lord_howe, 1712408400, 1712496600), 88200);
	assert_int_equal(sla_hours_between(&lord_howe, 1728135000, 1728219600), 84600);
}

/* A backend's schedule: Monday to Friday 09:00-17:00 as minutes of the week. */
static struct sla_hours week_hours(const char *tz)
{
	struct sla_interval iv[5];
	struct sla_hours h;
	char err[128];
	int d;

	memset(&h, 0, sizeof(h));
	for (d = 0; d < 5; d++)
		iv[4 - d] = (struct sla_interval){d * 1440 + HM(9, 0), d * 1440 + HM(17, 0)};
	assert_int_equal(sla_hours_from_week(&h, tz, iv, 5, err, sizeof(err)), 0);
	return h;
}

/* Week minutes from Monday 00:00 in the schedule's zone, across the spring change. */
static void test_week_intervals_dst(void **state)
{
	struct sla_hours warsaw = week_hours("Europe/Warsaw"),
			 new_york = week_hours("America/New_York");
	struct sla_hours written = make_hours("Europe/Warsaw", WEEKDAYS, HM(9, 0), HM(17, 0));
	struct sla_interval night = {5 * 1440 + HM(22, 0), 6 * 1440 + HM(6, 0)};
	struct sla_hours saturday_night;
	char err[128];

	(void)state;
	assert_true(warsaw.enabled);
	assert_int_equal(warsaw.n_week, 5);
	/* Friday 2026-03-27 (CET) and Monday 2026-03-30 (CEST): 8 hours each. */
	assert_int_equal(sla_hours_between(&warsaw, 1774569600, 1774915200), 16 * 3600);
	assert_int_equal(sla_hours_between(&warsaw, 1774569600, 1774915200),
			 sla_hours_between(&written, 1774569600, 1774915200));
	/* Friday 16:00 CET + 2 business hours: Monday 10:00 CEST. */
	assert_int_equal(sla_hours_add(&warsaw, 1774623600, 7200), 1774857600);
	/* New York moved to EDT on Sunday 2026-03-08: Monday opens at 13:00 UTC, a week
	 * earlier at 14:00 UTC. */
	assert_int_equal(sla_hours_add(&new_york, 1772928000, 3600), 1773064800);
	assert_int_equal(sla_hours_add(&new_york, 1772323200, 3600), 1772463600);
	/* Saturday 22:00 to Sunday 06:00 crosses midnight and the change: 7 real hours in
	 * spring, 9 in autumn. */
	memset(&saturday_night, 0, sizeof(saturday_night));
	assert_int_equal(
	    sla_hours_from_week(&saturday_night, "Europe/Warsaw", &night, 1, err, sizeof(err)), 0);
	assert_int_equal(sla_hours_between(&saturday_night, 1774652400, 1774821600), 7 * 3600);
	assert_int_equal(sla_hours_between(&saturday_night, 1792792800, 1792969200), 9 * 3600);
}

/* Overlapping and touching intervals merge; bad input is refused with a reason. */
static void test_week_intervals_checked(void **state)
{
	struct sla_interval touching[] = {{600, 700}, {540, 600}, {650, 660}};
	struct sla_interval whole = {0, SLA_WEEK_MINUTES}, bad = {900, 800}, far = {0, 10081};
	struct sla_hours h;
	char err[128];

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_int_equal(sla_hours_from_week(&h, "UTC", touching, 3, err, sizeof(err)), 0);
	assert_int_equal(h.n_week, 1);
	assert_int_equal(h.week[0].start, 540);
	assert_int_equal(h.week[0].end, 700);
	assert_int_equal(sla_hours_from_week(&h, "UTC", &whole, 1, err, sizeof(err)), 0);
	assert_int_equal(sla_hours_between(&h, T0, T0 + 86400), 86400);
	assert_int_equal(sla_hours_from_week(&h, "UTC", &bad, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "900-800"));
	assert_int_equal(sla_hours_from_week(&h, "UTC", &far, 1, err, sizeof(err)), -1);
	assert_int_equal(sla_hours_from_week(&h, "Mars/Olympus", &whole, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Mars/Olympus"));
	/* No open interval: never open, which the clock takes as no hours at all. */
	assert_int_equal(sla_hours_from_week(&h, "UTC", NULL, 0, err, sizeof(err)), 0);
	assert_false(h.enabled);
	assert_int_equal(
	    sla_hours_add_exception(&h, "2026-02-30", false, NULL, 0, err, sizeof(err)), -1);
	assert_int_equal(
	    sla_hours_add_exception(&h, "25/12/2026", false, NULL, 0, err, sizeof(err)), -1);
}

/* A holiday closes its whole local day; custom hours replace the day's hours. */
static void test_exceptions(void **state)
{
	struct sla_hours warsaw = week_hours("Europe/Warsaw");
	struct sla_interval morning = {HM(9, 0), HM(13, 0)};
	struct sla_policy p = realtime_policy();
	struct conversation c;
	struct sla_clock clock;
	char err[128];

	(void)state;
	/* Thursday 2026-12-24 16:00 + 2 business hours: Friday 10:00. */
	assert_int_equal(sla_hours_add(&warsaw, 1798124400, 7200), 1798189200);
	assert_int_equal(
	    sla_hours_add_exception(&warsaw, "2026-12-25", true, NULL, 0, err, sizeof(err)), 0);
	/* Christmas closed: Thursday 16:00-17:00, then Monday 09:00-10:00. */
	assert_int_equal(sla_hours_add(&warsaw, 1798124400, 7200), 1798448400);
	/* Christmas Eve 09:00-13:00 only: from 08:00 that day, 4 hours there, then Monday. */
	assert_int_equal(
	    sla_hours_add_exception(&warsaw, "2026-12-24", false, &morning, 1, err, sizeof(err)),
	    0);
	assert_int_equal(sla_hours_between(&warsaw, 1798095600, 1798452000), 6 * 3600);
	/* The clock: waiting since Thursday 16:00 (closed since 13:00) with 2 hours to
	 * answer, paused all of Christmas: still the full time left on Friday. */
	p.first_response = 7200;
	p.hours = warsaw;
	c = waiting_conversation(1798124400, 1798124400);
	sla_evaluate(&p, &c, 0, 1798124400 + 86400, &clock);
	assert_int_equal(clock.deadline, 1798452000);
	assert_int_equal(clock.left, 7200);
}

/* A response clock whose business hours contain the spring jump. */
static void test_evaluate_across_dst(void **state)
{
	struct sla_policy p;
	/* Saturday 2024-03-30 04:00 CET = 03:00 UTC. */
	struct conversation c = waiting_conversation(1711767600, 1711767600);
	struct sla_clock clock;

	(void)state;
	sla_policy_default(&p, false);
	p.first_response = 3 * 3600;
	p.hours = make_hours("Europe/Warsaw", ALL_DAYS, HM(1, 0), HM(5, 0));
	/* Saturday 04:00-05:00 CET is one hour; Sunday 01:00-02:00 CET a second; then the
	 * clocks jump to 03:00 CEST and the third ends 04:00 CEST = 02:00 UTC. */
	sla_evaluate(&p, &c, 0, 1711845000, &clock);
	assert_int_equal(clock.deadline, 1711850400);
	/* At 01:30 CET: half an hour before the jump, the hour after it. */
	assert_int_equal(clock.left, 5400);
	assert_int_equal(clock.state, SLA_OK);
	sla_evaluate(&p, &c, 0, 1711850400 - 300, &clock);
	assert_int_equal(clock.left, 300);
	assert_int_equal(clock.state, SLA_WARNING);
}

/* A zone the database does not have is an error to sla_zone_check (configuration turns
 * it into "unknown time zone"); the arithmetic, should one reach it, counts in UTC. */
static void test_zone_unknown(void **state)
{
	struct sla_hours mars = make_hours("Mars/Olympus", WEEKDAYS, HM(9, 0), HM(17, 0));
	struct sla_hours utc = make_hours("", WEEKDAYS, HM(9, 0), HM(17, 0));
	char too_long[sizeof(mars.tz) + 1];

	(void)state;
	assert_int_equal(sla_zone_check("Europe/Warsaw"), 0);
	assert_int_equal(sla_zone_check("UTC"), 0);
	assert_int_equal(sla_zone_check(""), 0);
	errno = 0;
	assert_int_equal(sla_zone_check("Mars/Olympus"), -1);
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_int_equal(sla_zone_check("Europe/Nowhere"), -1);
	assert_int_equal(errno, ENOENT);
	memset(too_long, 'A', sizeof(too_long) - 1);
	too_long[sizeof(too_long) - 1] = '\0';
	errno = 0;
	assert_int_equal(sla_zone_check(too_long), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(sla_hours_add(&mars, T0, 5 * 3600), sla_hours_add(&utc, T0, 5 * 3600));
	assert_int_equal(sla_hours_between(&mars, T0, T0 + 7 * 86400), 40 * 3600);
}

/* setenv, unsetenv, putenv, clearenv and tzset are not thread-safe, and the client runs
 * sla beside the desktop notifier's, D-Bus's and curl's threads. Every call the process
 * makes to them (from this file, sla.c or a library) passes through these and is
 * counted; the real ones still run. */
static int environment_changes;

#define REAL(name, type) ((type)dlsym(RTLD_NEXT, name))

int setenv(const char *name, const char *value, int overwrite)
{
	environment_changes++;
	return REAL("setenv", int (*)(const char *, const char *, int))(name, value, overwrite);
}

int unsetenv(const char *name)
{
	environment_changes++;
	return REAL("unsetenv", int (*)(const char *))(name);
}

int putenv(char *string)
{
	environment_changes++;
	return REAL("putenv", int (*)(char *))(string);
}

int clearenv(void)
{
	environment_changes++;
	return REAL("clearenv", int (*)(void))();
}

void tzset(void)
{
	environment_changes++;
	REAL("tzset", void (*)(void))();
}

static void test_hours_leave_environment(void **state)
{
	/* "" and UTC need no zone file; Mars/Olympus has none. */
	static const char *const zones[] = {
	    "Europe/Warsaw", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe", "",
	    "UTC",	     "Mars/Olympus"};
	struct sla_policy p;
	struct conversation c = waiting_conversation(T0, T0);
	struct sla_clock clock;
	struct tm tm;
	time_t t = (time_t)T0;
	size_t i;
	int k;

	(void)state;
	/* The process's own zone is neither UTC nor any zone below. */
	assert_int_equal(setenv("TZ", "Asia/Tokyo", 1), 0);
	tzset();
	environment_changes = 0;
	sla_policy_default(&p, false);
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		p.hours = make_hours(zones[i], WEEKDAYS, HM(7, 11), HM(8, 13));
		(void)sla_zone_check(zones[i]);
		/* Times far apart and a schedule no other test uses: every call fills. */
		for (k = 0; k < 4; k++) {
			assert_int_equal(sla_hours_between(&p.hours, T0 + k * 400 * 86400,
							   T0 + k * 400 * 86400 + 7 * 86400),
					 5 * 62 * 60);
			(void)sla_hours_add(&p.hours, T0 - k * 300 * 86400, 3 * 86400);
			sla_evaluate(&p, &c, 0, T0 + k * 500 * 86400, &clock);
		}
	}
	assert_int_equal(environment_changes, 0);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	assert_non_null(localtime_r(&t, &tm));
	assert_int_equal(tm.tm_gmtoff, 9 * 3600);
	assert_int_equal(unsetenv("TZ"), 0);
}

static void test_hours_disabled_or_empty(void **state)
{
	struct sla_hours h = make_hours("Europe/Warsaw", 0, HM(9, 0), HM(17, 0));

	(void)state;
	/* No day selected: no business time at all, which counts as "no hours". */
	assert_int_equal(sla_hours_add(&h, T0, 100), T0 + 100);
	assert_int_equal(sla_hours_between(&h, T0, T0 + 100), 100);
	h.days = WEEKDAYS;
	h.enabled = false;
	assert_int_equal(sla_hours_add(&h, T0, 86400 * 3), T0 + 86400 * 3);
	assert_int_equal(sla_hours_between(&h, T0 + 50, T0), -50);
	h.enabled = true;
	/* Enabled again: Friday 14:00 CEST to Saturday 14:00 CEST holds 14:00-17:00 only. */
	assert_int_equal(sla_hours_between(&h, T0, T0 + 86400), 3 * 3600);
	assert_int_equal(sla_hours_add(&h, T0, 3 * 3600 + 1), 1715585400 - 1800 + 1);
}

/* hours_add and hours_between undo each other, the deadline second is business time,
 * and spans add up across cache windows. */
static void test_hours_inverse(void **state)
{
	struct sla_hours schedules[4];
	static const int64_t seconds[] = {1, 59, 3600, 8 * 3600 + 17, 5 * 86400, 40 * 86400};
	fl_time start, end, far;
	size_t s, k;
	int i;

	(void)state;
	schedules[0] = make_hours("", WEEKDAYS, HM(9, 0), HM(17, 0));
	schedules[1] = make_hours("Europe/Warsaw", ALL_DAYS, HM(22, 0), HM(6, 0));
	schedules[1].ranges[1].start = HM(12, 0);
	schedules[1].ranges[1].end = HM(13, 0);
	schedules[1].n_ranges = 2;
	schedules[2] = make_hours("America/New_York", 0x7e, HM(8, 0), HM(20, 0));
	schedules[2].ranges[1].start = HM(19, 0); /* overlaps the first range */
	schedules[2].ranges[1].end = HM(21, 0);
	schedules[2].n_ranges = 2;
	schedules[3] = make_hours("Europe/Warsaw", 1, HM(2, 30), HM(4, 0));

	for (s = 0; s < 4; s++) {
		/* 2024-01-01 00:00 UTC onwards, an uneven step so every hour of day is hit. */
		for (i = 0, start = 1704067200; i < 500; i++, start += 63241) {
			for (k = 0; k < sizeof(seconds) / sizeof(seconds[0]); k++) {
				/* 90 minutes a week: 5 days of it take 80 weeks to walk; skip. */
				if (s == 3 && seconds[k] > 86400)
					continue;
				end = sla_hours_add(&schedules[s], start, seconds[k]);
				assert_true(end > start);
				assert_int_equal(sla_hours_between(&schedules[s], start, end),
						 seconds[k]);
				assert_int_equal(sla_hours_between(&schedules[s], start, end - 1),
						 seconds[k] - 1);
				assert_int_equal(sla_hours_between(&schedules[s], end, start),
						 -seconds[k]);
			}
			far = start + 100 * 86400 + 7;
			end = start + 37 * 86400 + 3;
			assert_int_equal(sla_hours_between(&schedules[s], start, far),
					 sla_hours_between(&schedules[s], start, end) +
					     sla_hours_between(&schedules[s], end, far));
		}
	}
	/* Weekdays 9-17 UTC: 40 hours in any whole week. */
	assert_int_equal(sla_hours_between(&schedules[0], T0 + 1234, T0 + 1234 + 7 * 86400),
			 40 * 3600);
}

static void test_parse_duration(void **state)
{
	static const struct {
		const char *text;
		int rc;
		int64_t seconds;
	} cases[] = {
	    {"90s", 0, 90},
	    {"2m", 0, 120},
	    {"1h30m", 0, 5400},
	    {"1d", 0, 86400},
	    {"45", 0, 45},
	    {"0", 0, 0},
	    {"1d2h3m4s", 0, 93784},
	    {"9223372036854775807", 0, INT64_MAX},
	    {"", -1, 0},
	    {"-5", -1, 0},
	    {"+5", -1, 0},
	    {"5x", -1, 0},
	    {"1H", -1, 0},
	    {"h", -1, 0},
	    {"1h30", -1, 0},
	    {"30m1h", -1, 0},
	    {"1m1m", -1, 0},
	    {" 5", -1, 0},
	    {"5 ", -1, 0},
	    {"1.5h", -1, 0},
	    {"9223372036854775808", -1, 0},
	    {"106751991167301d", -1, 0},
	    {"106751991167300d86400s", -1, 0},
	};
	size_t i;
	int64_t out;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = -42;
		assert_int_equal(sla_parse_duration(cases[i].text, &out), cases[i].rc);
		assert_int_equal(out, cases[i].rc == 0 ? cases[i].seconds : -42);
	}
	assert_int_equal(sla_parse_duration(NULL, &out), -1);
}

/* Targets by priority replace the queue's; an [sla NAME] the conversation carries wins
 * over both, target by target. */
static void test_targets_by_priority_and_name(void **state)
{
	struct sla_policy p = realtime_policy();
	struct conversation c = waiting_conversation(T0 - 10, T0 - 10);
	struct sla_targets t;
	struct sla_clock clock;

	(void)state;
	p.first_by_priority[PRIORITY_URGENT] = 30;
	p.next_by_priority[PRIORITY_HIGH] = 600;
	snprintf(p.named[0].name, sizeof(p.named[0].name), "VIP 5m");
	p.named[0].targets = (struct sla_targets){.first_response = 300, .n_warn = -1};
	snprintf(p.named[1].name, sizeof(p.named[1].name), "Calm");
	p.named[1].targets = (struct sla_targets){.warn = {20}, .n_warn = 1};
	p.n_named = 2;

	sla_targets_for(&p, &c, &t);
	assert_int_equal(t.first_response, 120);
	assert_int_equal(t.next_response, 120);
	c.priority = PRIORITY_URGENT;
	sla_evaluate(&p, &c, 0, T0, &clock);
	assert_int_equal(clock.deadline, T0 - 10 + 30);
	assert_int_equal(clock.state, SLA_WARNING);
	c.priority = PRIORITY_HIGH;
	sla_targets_for(&p, &c, &t);
	assert_int_equal(t.first_response, 120);
	assert_int_equal(t.next_response, 600);

	c.priority = PRIORITY_URGENT;
	c.sla_name = (char *)"VIP 5m";
	sla_evaluate(&p, &c, 0, T0, &clock);
	assert_int_equal(clock.deadline, T0 - 10 + 300);
	assert_int_equal(clock.state, SLA_OK);
	sla_targets_for(&p, &c, &t);
	assert_int_equal(t.n_warn, 2); /* the queue's lead times */

	c.sla_name = (char *)"Calm";
	sla_targets_for(&p, &c, &t);
	assert_int_equal(t.first_response, 30); /* the priority's, the name sets none */
	assert_int_equal(t.n_warn, 1);
	assert_int_equal(t.warn[0], 20);

	c.sla_name = (char *)"VIP 5"; /* a name must match whole */
	sla_targets_for(&p, &c, &t);
	assert_int_equal(t.first_response, 30);
}

/* A clock the record cannot tell: no deadline, no warning, no breach, no event. */
static void test_unknown_clock(void **state)
{
	static const unsigned bits[] = {CONV_UNKNOWN_STATE, CONV_UNKNOWN_WAITING,
					CONV_UNKNOWN_FIRST_ADMIN_REPLY};
	struct sla_policy p = realtime_policy();
	struct sla_memory m;
	struct sla_clock clock;

	(void)state;
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		struct conversation c = waiting_conversation(T0 - 86400, T0 - 86400);

		c.unknown = bits[i];
		memset(&m, 0, sizeof(m));
		sla_evaluate(&p, &c, 0, T0, &clock);
		assert_int_equal(clock.state, SLA_UNKNOWN);
		assert_int_equal(clock.kind, SLA_KIND_NONE);
		assert_int_equal(clock.deadline, 0);
		assert_int_equal(clock.warn_level, 0);
		assert_int_equal(sla_track(&m, &clock), SLA_EVENT_NONE);
	}
	/* The first contact time unknown matters only while no admin has replied. */
	{
		struct conversation c = waiting_conversation(T0 - 86400, T0 - 60);

		c.unknown = CONV_UNKNOWN_FIRST_CONTACT_REPLY;
		c.first_contact_reply_at = 0;
		sla_evaluate(&p, &c, 0, T0, &clock);
		assert_int_equal(clock.state, SLA_UNKNOWN);
		c.first_admin_reply_at = T0 - 3600;
		sla_evaluate(&p, &c, 0, T0, &clock);
		assert_int_equal(clock.kind, SLA_KIND_NEXT);
		assert_int_equal(clock.started, T0 - 60);
		assert_int_equal(clock.state, SLA_WARNING);
	}
	/* Known to be closed, or known not to wait: no clock, whatever else is unknown. */
	{
		struct conversation c = waiting_conversation(T0 - 86400, 0);

		c.unknown = CONV_UNKNOWN_FIRST_ADMIN_REPLY | CONV_UNKNOWN_FIRST_CONTACT_REPLY;
		sla_evaluate(&p, &c, 0, T0, &clock);
		assert_int_equal(clock.state, SLA_NONE);
		c.waiting_since = T0 - 60;
		c.state = CONV_CLOSED;
		sla_evaluate(&p, &c, 0, T0, &clock);
		assert_int_equal(clock.state, SLA_NONE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_policy_default),
	    cmocka_unit_test(test_first_and_next_response),
	    cmocka_unit_test(test_no_clock),
	    cmocka_unit_test(test_state_thresholds),
	    cmocka_unit_test(test_events_once_in_order),
	    cmocka_unit_test(test_replies_and_new_deadlines),
	    cmocka_unit_test(test_jump_straight_to_breach),
	    cmocka_unit_test(test_snooze_pauses),
	    cmocka_unit_test(test_clock_skew),
	    cmocka_unit_test(test_hours_across_midnight),
	    cmocka_unit_test(test_hours_weekend),
	    cmocka_unit_test(test_hours_dst),
	    cmocka_unit_test(test_hours_dst_day_length),
	    cmocka_unit_test(test_hours_dst_south),
	    cmocka_unit_test(test_week_intervals_dst),
	    cmocka_unit_test(test_week_intervals_checked),
	    cmocka_unit_test(test_exceptions),
	    cmocka_unit_test(test_evaluate_across_dst),
	    cmocka_unit_test(test_zone_unknown),
	    cmocka_unit_test(test_hours_leave_environment),
	    cmocka_unit_test(test_hours_disabled_or_empty),
	    cmocka_unit_test(test_hours_inverse),
	    cmocka_unit_test(test_parse_duration),
	    cmocka_unit_test(test_targets_by_priority_and_name),
	    cmocka_unit_test(test_unknown_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
