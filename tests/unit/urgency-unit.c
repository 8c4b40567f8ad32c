/* urgency-unit.c: urgency across queues with their own targets: lateness weighed against
 * the target it broke, breached before warning before ok, ties by seconds left. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "urgency.h"

#define NOW 1700000000

/* The urgency of a first-response clock of target seconds, in state s, whose deadline
 * is left seconds from NOW. */
static struct sla_urgency urgency(enum sla_state s, int64_t left, int64_t target)
{
	struct sla_targets t = {.first_response = target, .next_response = target * 2};
	struct sla_clock c = {.kind = SLA_KIND_FIRST, .state = s, .deadline = NOW + left};
	struct sla_urgency u;

	sla_urgency_of(&t, &c, NOW, &u);
	return u;
}

static void test_of_takes_the_clocks_target(void **state)
{
	struct sla_targets t = {.first_response = 120, .next_response = 600};
	struct sla_clock c = {.kind = SLA_KIND_NEXT, .state = SLA_OK, .deadline = NOW + 30};
	struct sla_urgency u;

	(void)state;
	sla_urgency_of(&t, &c, NOW, &u);
	assert_int_equal(u.target, 600);
	assert_int_equal(u.left, 30);
	assert_int_equal(u.state, SLA_OK);
	c.kind = SLA_KIND_FIRST;
	c.deadline = NOW - 133;
	sla_urgency_of(&t, &c, NOW, &u);
	assert_int_equal(u.target, 120);
	assert_int_equal(u.left, -133);
}

/* The shift's case: a chat 2:13 late of 2 minutes beats an email 30 minutes late of an
 * hour, though the email's deadline is earlier. */
static void test_late_against_own_target(void **state)
{
	struct sla_urgency chat = urgency(SLA_BREACHED, -133, 120);
	struct sla_urgency email = urgency(SLA_BREACHED, -1800, 3600);

	(void)state;
	assert_true(sla_urgency_compare(&chat, &email) < 0);
	assert_true(sla_urgency_compare(&email, &chat) > 0);
	/* an email 2 hours late of one (-2.0) beats the chat (-1.1) */
	email = urgency(SLA_BREACHED, -7200, 3600);
	assert_true(sla_urgency_compare(&email, &chat) < 0);
}

static void test_time_left_against_own_target(void **state)
{
	/* 60 s of 2 min left (half) against 20 min of an hour left (a third) */
	struct sla_urgency chat = urgency(SLA_OK, 60, 120);
	struct sla_urgency email = urgency(SLA_OK, 1200, 3600);

	(void)state;
	assert_true(sla_urgency_compare(&email, &chat) < 0);
	chat = urgency(SLA_OK, 30, 120); /* a quarter */
	assert_true(sla_urgency_compare(&chat, &email) < 0);
}

static void test_states_first(void **state)
{
	struct sla_urgency breached = urgency(SLA_BREACHED, -1, 3600);
	struct sla_urgency warning = urgency(SLA_WARNING, 5, 120);
	struct sla_urgency ok = urgency(SLA_OK, 1, 120);
	struct sla_urgency paused = urgency(SLA_PAUSED, -500, 120);
	struct sla_urgency none = urgency(SLA_NONE, 0, 0);

	(void)state;
	assert_true(sla_urgency_compare(&breached, &warning) < 0);
	assert_true(sla_urgency_compare(&warning, &ok) < 0);
	assert_true(sla_urgency_compare(&ok, &warning) > 0);
	assert_true(sla_urgency_compare(&ok, &paused) < 0);
	assert_true(sla_urgency_compare(&paused, &none) == 0);
	assert_true(sla_urgency_compare(&none, &breached) > 0);
}

static void test_ties_by_seconds_left(void **state)
{
	/* the same share (-0.5) of other targets: the one with fewer seconds left first */
	struct sla_urgency chat = urgency(SLA_BREACHED, -60, 120);
	struct sla_urgency email = urgency(SLA_BREACHED, -1800, 3600);
	struct sla_urgency same = urgency(SLA_BREACHED, -60, 120);

	(void)state;
	assert_true(sla_urgency_compare(&email, &chat) < 0);
	assert_true(sla_urgency_compare(&chat, &email) > 0);
	assert_int_equal(sla_urgency_compare(&chat, &same), 0);
}

static void test_unknown_target_by_seconds(void **state)
{
	struct sla_urgency a = urgency(SLA_OK, 100, 0);
	struct sla_urgency b = urgency(SLA_OK, 50, 3600);

	(void)state;
	assert_true(sla_urgency_compare(&b, &a) < 0);
	assert_true(sla_urgency_compare(&a, &b) > 0);
}

static void test_extremes_do_not_overflow(void **state)
{
	struct sla_urgency a = urgency(SLA_BREACHED, -INT64_C(4000000000000000000), 1);
	struct sla_urgency b = urgency(SLA_BREACHED, -1, INT64_C(4000000000000000000));

	(void)state;
	assert_true(sla_urgency_compare(&a, &b) < 0);
	assert_true(sla_urgency_compare(&b, &a) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_of_takes_the_clocks_target),
	    cmocka_unit_test(test_late_against_own_target),
	    cmocka_unit_test(test_time_left_against_own_target),
	    cmocka_unit_test(test_states_first),
	    cmocka_unit_test(test_ties_by_seconds_left),
	    cmocka_unit_test(test_unknown_target_by_seconds),
	    cmocka_unit_test(test_extremes_do_not_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
