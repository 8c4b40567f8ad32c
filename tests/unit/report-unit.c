/* report-unit.c: the report's figures: nearest-rank median and 90th percentile, the share
 * within target by the clock's rule, longest waits, the histogram's bins around the target,
 * the sparkline and bars in Unicode blocks and in ASCII, durations, WHEN, and the waits a
 * conversation's parts tell (first and next replies, their senders, snoozed seconds). */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

static void add(struct report_group *g, int64_t id, int64_t seconds, int64_t target, int hour)
{
	struct report_sample s = {
	    .conversation = id, .seconds = seconds, .target = target, .hour = hour};

	report_group_add(g, &s);
}

static void test_percentiles_nearest_rank(void **state)
{
	int64_t v[] = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

	(void)state;
	assert_int_equal(report_percentile(v, 10, 50), 50);
	assert_int_equal(report_percentile(v, 10, 90), 90);
	assert_int_equal(report_percentile(v, 9, 50), 50); /* rank ceil(4.5) = 5 */
	assert_int_equal(report_percentile(v, 9, 90), 90); /* rank ceil(8.1) = 9 */
	assert_int_equal(report_percentile(v, 1, 90), 10);
	assert_int_equal(report_percentile(v, 2, 50), 10);
	assert_int_equal(report_percentile(v, 11 - 1, 100), 100);
}

static void test_group_figures(void **state)
{
	struct report_group g = {0};

	(void)state;
	/* target 120: 119 is within, 120 (the deadline's own second) is a breach */
	add(&g, 1, 119, 120, 9);
	add(&g, 2, 120, 120, 9);
	add(&g, 3, 30, 120, 10);
	add(&g, 4, 600, 120, 10);
	add(&g, 5, 45, 120, 10);
	add(&g, 6, 300, 120, 23);
	add(&g, 7, 5, 120, 0);
	report_group_finish(&g);
	assert_int_equal(g.n, 7);
	assert_int_equal(g.median, 119); /* sorted 5 30 45 119 120 300 600, rank 4 */
	assert_int_equal(g.p90, 600);	 /* rank ceil(6.3) = 7 */
	assert_int_equal(g.within, 4);
	assert_int_equal(g.breaches, 3);
	assert_int_equal(g.n_longest, 5);
	assert_int_equal(g.longest[0], 4);
	assert_int_equal(g.longest[1], 6);
	assert_int_equal(g.longest[2], 2);
	assert_int_equal(g.longest[3], 1);
	assert_int_equal(g.longest[4], 5);
	assert_int_equal(g.hour_total[9], 2);
	assert_int_equal(g.hour_within[9], 1);
	assert_int_equal(g.hour_total[10], 3);
	assert_int_equal(g.hour_within[10], 2);
	assert_int_equal(g.hour_total[12], 0);
	report_group_release(&g);
	report_group_finish(&g); /* empty: zeros */
	assert_int_equal(g.median, 0);
	assert_int_equal(g.n_longest, 0);
	report_group_release(&g);
}

static void test_histogram_bins(void **state)
{
	struct report_sample s[] = {{.seconds = 0},   {.seconds = 29},	{.seconds = 30},
				    {.seconds = 119}, {.seconds = 120}, {.seconds = 239},
				    {.seconds = 240}, {.seconds = 9999}};
	size_t bins[REPORT_BINS];

	(void)state;
	assert_int_equal(report_histogram(s, 8, 120, bins), 30);
	assert_int_equal(bins[0], 2);
	assert_int_equal(bins[1], 1);
	assert_int_equal(bins[3], 1); /* 119: the last bin within the target */
	assert_int_equal(bins[4], 1); /* 120: the first beyond */
	assert_int_equal(bins[7], 1);
	assert_int_equal(bins[8], 2);			      /* twice the target and more */
	assert_int_equal(report_histogram(s, 1, 2, bins), 1); /* never a zero width */
}

static void test_sparkline_and_ascii(void **state)
{
	double shares[] = {0, 0.5, 1, -1};
	char *u = report_sparkline(shares, 4, false), *a = report_sparkline(shares, 4, true);

	(void)state;
	assert_string_equal(u, "▁▅█·");
	assert_string_equal(a, "_=# ");
	free(u);
	free(a);
	u = report_bar(8, 8, 3, false);
	assert_string_equal(u, "███");
	free(u);
	u = report_bar(8, 16, 1, false); /* half a cell */
	assert_string_equal(u, "▌");
	free(u);
	u = report_bar(1, 1000, 10, true); /* a count is never drawn as nothing */
	assert_string_equal(u, "#");
	free(u);
	u = report_bar(0, 10, 10, true);
	assert_string_equal(u, "");
	free(u);
}

static void test_durations(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(report_duration(45, buf, sizeof(buf)), "45s");
	assert_string_equal(report_duration(120, buf, sizeof(buf)), "2m");
	assert_string_equal(report_duration(125, buf, sizeof(buf)), "2m05s");
	assert_string_equal(report_duration(3720, buf, sizeof(buf)), "1h02m");
	assert_string_equal(report_duration(86400 * 3 + 3600 * 4, buf, sizeof(buf)), "3d04h");
}

static void test_when(void **state)
{
	const fl_time now = 1765011600; /* 2025-12-06 09:00:00 UTC */
	char err[256];
	fl_time t;

	(void)state;
	assert_int_equal(report_parse_when("now", now, "UTC", &t, err, sizeof(err)), 0);
	assert_int_equal(t, now);
	assert_int_equal(report_parse_when("24h", now, "UTC", &t, err, sizeof(err)), 0);
	assert_int_equal(t, now - 86400);
	assert_int_equal(report_parse_when("7d", now, "UTC", &t, err, sizeof(err)), 0);
	assert_int_equal(t, now - 7 * 86400);
	assert_int_equal(report_parse_when("today", now, "UTC", &t, err, sizeof(err)), 0);
	assert_int_equal(t, now - 9 * 3600);
	assert_int_equal(report_parse_when("yesterday", now, "Europe/Warsaw", &t, err, sizeof(err)),
			 0);
	assert_int_equal(t, now - 9 * 3600 - 86400 - 3600); /* midnight in Warsaw is 23:00 UTC */
	assert_int_equal(report_parse_when("2025-12-01", now, "UTC", &t, err, sizeof(err)), 0);
	assert_int_equal(t, 1764547200);
	assert_int_equal(
	    report_parse_when("2025-12-01T10:30:00Z", now, "Europe/Warsaw", &t, err, sizeof(err)),
	    0);
	assert_int_equal(t, 1764547200 + 10 * 3600 + 1800);
	assert_int_equal(
	    report_parse_when("2025-12-01T10:30", now, "Europe/Warsaw", &t, err, sizeof(err)), 0);
	assert_int_equal(t, 1764547200 + 9 * 3600 + 1800);
	assert_int_equal(report_parse_when("last tuesday", now, "UTC", &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "\"last tuesday\" is not a time"));
	assert_int_equal(report_parse_when("45", now, "UTC", &t, err, sizeof(err)), -1);
	assert_int_equal(report_parse_when("2025-13-01", now, "UTC", &t, err, sizeof(err)), -1);
}

/* A part of a made-up thread. */
static struct thread_part part(const char *kind, bool from_admin, int64_t author, fl_time at)
{
	struct thread_part p = {
	    .kind = (char *)kind, .from_admin = from_admin, .author_id = author, .at = at};

	return p;
}

static void test_thread_replay(void **state)
{
	struct thread_part parts[] = {
	    part("source", false, 7, 1000),
	    part("snoozed", true, 1, 1010), /* snoozed 20 s of the first wait */
	    part("timer_unsnooze", true, 99, 1030),
	    part("note", true, 1, 1040),     /* a note answers nothing */
	    part("comment", true, 2, 1100),  /* the first reply, by 2: 100 s, 20 snoozed */
	    part("comment", false, 7, 1200), /* waits from here */
	    part("comment", false, 7, 1210),
	    part("snoozed", true, 1, 1220),
	    part("comment", false, 7, 1250), /* the customer's message wakes it: 30 s */
	    part("comment", true, 1, 1300),  /* a next reply by 1: 100 s, 30 snoozed */
	    part("comment", true, 1, 1310),  /* nobody waited: no reply time */
	    part("comment", false, 7, 1400),
	    part("close", true, 1, 1410), /* ends the wait unanswered */
	    part("comment", false, 7, 1500),
	    part("snoozed", true, 1, 1510),
	    part("open", true, 1, 1520),
	    part("snoozed", true, 1, 1530),  /* lasts past the reply */
	    part("comment", true, 2, 1600),  /* next by 2: 100 s, 10 + 70 snoozed */
	    part("comment", false, 7, 1700), /* waiting now */
	};
	struct thread t = {.conv = {.id = 42, .updated_at = 1700},
			   .parts = parts,
			   .n_parts = sizeof(parts) / sizeof(parts[0])};
	struct report_thread th, back = {0};
	char *text;

	(void)state;
	report_thread_replay(&t, 1000, &th);
	assert_int_equal(th.id, 42);
	assert_int_equal(th.updated_at, 1700);
	assert_int_equal(th.n_waits, 3);
	assert_int_equal(th.waits[0].kind, REPORT_WAIT_FIRST);
	assert_int_equal(th.waits[0].from, 1000);
	assert_int_equal(th.waits[0].to, 1100);
	assert_int_equal(th.waits[0].admin, 2);
	assert_int_equal(th.waits[0].snoozed, 20);
	assert_int_equal(th.waits[1].kind, REPORT_WAIT_NEXT);
	assert_int_equal(th.waits[1].from, 1200);
	assert_int_equal(th.waits[1].admin, 1);
	assert_int_equal(th.waits[1].snoozed, 30);
	assert_int_equal(th.waits[2].from, 1500);
	assert_int_equal(th.waits[2].to, 1600);
	assert_int_equal(th.waits[2].snoozed, 80);
	assert_true(th.waiting);
	/* as the cache keeps it, and back */
	text = report_waits_text(&th);
	assert_int_equal(report_waits_parse(text, &back), 0);
	assert_int_equal(back.n_waits, 3);
	for (size_t i = 0; i < 3; i++) { /* field by field: the padding is not theirs */
		assert_int_equal(back.waits[i].kind, th.waits[i].kind);
		assert_int_equal(back.waits[i].from, th.waits[i].from);
		assert_int_equal(back.waits[i].to, th.waits[i].to);
		assert_int_equal(back.waits[i].admin, th.waits[i].admin);
		assert_int_equal(back.waits[i].snoozed, th.waits[i].snoozed);
	}
	assert_int_equal(report_waits_parse("0 1 2 3", &back), -1);
	free(text);
	report_thread_release(&back);
	report_thread_release(&th);
}

static void test_longest_once(void **state)
{
	struct report_group g = {0};

	(void)state;
	/* two next replies of conversation 1 are its one entry among the longest */
	add(&g, 1, 500, 120, 9);
	add(&g, 1, 400, 120, 9);
	add(&g, 2, 300, 120, 9);
	report_group_finish(&g);
	assert_int_equal(g.n_longest, 2);
	assert_int_equal(g.longest[0], 1);
	assert_int_equal(g.longest[1], 2);
	report_group_release(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_percentiles_nearest_rank),
					   cmocka_unit_test(test_group_figures),
					   cmocka_unit_test(test_histogram_bins),
					   cmocka_unit_test(test_sparkline_and_ascii),
					   cmocka_unit_test(test_durations),
					   cmocka_unit_test(test_when),
					   cmocka_unit_test(test_thread_replay),
					   cmocka_unit_test(test_longest_once)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
