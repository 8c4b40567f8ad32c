/* store-unit.c: the conversation store against the real SLA clock, with a fixed clock:
 * merging records, queue order by urgency, warnings and breaches told once, snoozes,
 * sweeps, and 100,000 conversations checked against a full sort done here. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store.h"

#define T0	   ((fl_time)1700000000)
#define TEAM_RT	   10 /* real-time queue */
#define TEAM_STD   20 /* standard queue */
#define TEAM_OTHER 30 /* not tracked */
#define Q_RT	   0
#define Q_STD	   1
#define NOT_FOUND  ((size_t)-1)
#define MAX_EVENTS 64

/* Policies written out here rather than sla_policy_default, so the expected times below
 * do not drift when the defaults change. */
static void policies_init(struct sla_policy p[2])
{
	memset(p, 0, 2 * sizeof(*p));
	p[0].first_response = 120;
	p[0].next_response = 120;
	p[0].warn[0] = 60;
	p[0].warn[1] = 30;
	p[0].n_warn = 2;
	p[0].pause_snoozed = true;
	p[1] = p[0];
	p[1].first_response = 3600;
	p[1].next_response = 3600;
	p[1].warn[0] = 900;
	p[1].warn[1] = 300;
}

static struct store *store_fixture(void)
{
	struct sla_policy p[2];
	struct store *s;

	policies_init(p);
	s = store_new(p, 2);
	assert_non_null(s);
	store_set_team_queue(s, TEAM_RT, Q_RT);
	store_set_team_queue(s, TEAM_STD, Q_STD);
	return s;
}

/* An open conversation waiting for its first reply: due at created + first_response. */
static struct conversation conv_waiting(int64_t id, int64_t team, fl_time created, fl_time updated)
{
	struct conversation c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.state = CONV_OPEN;
	c.team_assignee_id = team;
	c.created_at = created;
	c.updated_at = updated;
	c.waiting_since = created;
	c.first_contact_reply_at = created;
	c.last_contact_reply_at = created;
	return c;
}

/* The agent answered at t and the customer has not written since: no clock. */
static void conv_admin_reply(struct conversation *c, fl_time t)
{
	if (!c->first_admin_reply_at)
		c->first_admin_reply_at = t;
	c->last_admin_reply_at = t;
	c->waiting_since = 0;
	c->updated_at = t;
}

/* The customer wrote at t after an answer: the next-response clock runs from t. */
static void conv_customer_message(struct conversation *c, fl_time t)
{
	c->waiting_since = t;
	c->last_contact_reply_at = t;
	c->updated_at = t;
}

struct events {
	size_t n;
	int64_t id[MAX_EVENTS];
	enum sla_event ev[MAX_EVENTS];
	fl_time at[MAX_EVENTS];
	fl_time now;
};

static void events_record(void *arg, const struct store_entry *e, enum sla_event ev)
{
	struct events *log = arg;

	assert_true(log->n < MAX_EVENTS);
	log->id[log->n] = e->conv.id;
	log->ev[log->n] = ev;
	log->at[log->n] = log->now;
	log->n++;
}

/* Ticks once a second over [from, to]. */
static void tick_range(struct store *s, fl_time from, fl_time to, struct events *log)
{
	fl_time t;

	for (t = from; t <= to; t++) {
		log->now = t;
		store_tick(s, t, events_record, log);
	}
}

static int64_t queue_id_at(const struct store *s, int queue, size_t i)
{
	const struct store_entry *e = store_queue_at(s, queue, i);

	return e ? e->conv.id : -1;
}

static void test_empty(void **state)
{
	struct sla_policy p[2];
	struct store *s = store_fixture();
	struct store_counts counts = {1, 1, 1};
	struct events log = {0};
	int q;

	(void)state;
	assert_int_equal(store_count(s), 0);
	for (q = -1; q <= STORE_MAX_QUEUES; q++) {
		assert_int_equal(store_queue_count(s, q), 0);
		assert_null(store_queue_at(s, q, 0));
		store_queue_counts(s, q, &counts);
		assert_int_equal(counts.open + counts.warning + counts.breached, 0);
	}
	assert_null(store_get(s, 1));
	assert_int_equal(store_queue_index(s, 1), NOT_FOUND);
	assert_int_equal(store_remove(s, 1), STORE_UNCHANGED);
	store_tick(s, T0, events_record, &log);
	assert_int_equal(log.n, 0);
	store_sweep_begin(s);
	assert_int_equal(store_sweep_end(s), 0);
	store_free(s);
	store_free(NULL);

	policies_init(p);
	assert_null(store_new(p, 0));
	assert_null(store_new(p, STORE_MAX_QUEUES + 1));
}

static void test_insert_update_ignore(void **state)
{
	struct store *s = store_fixture();
	struct conversation c = conv_waiting(7, TEAM_RT, T0, T0);
	int64_t tags[] = {3, 4};
	const struct store_entry *e;

	(void)state;
	c.title = "Cannot log in";
	c.tag_ids = tags;
	c.n_tags = 2;
	assert_int_equal(store_upsert(s, &c, T0), STORE_ADDED);
	e = store_get(s, 7);
	assert_non_null(e);
	assert_string_equal(e->conv.title, "Cannot log in");
	assert_ptr_not_equal(e->conv.title, c.title); /* copied, not borrowed */
	assert_ptr_not_equal(e->conv.tag_ids, tags);
	assert_int_equal(e->conv.n_tags, 2);
	assert_int_equal(e->conv.tag_ids[1], 4);
	assert_int_equal(e->queue, Q_RT);
	assert_int_equal(e->clock.deadline, T0 + 120);
	assert_true(e->dirty != 0);
	assert_int_equal(store_count(s), 1);
	assert_int_equal(store_queue_index(s, 7), 0);

	c.title = "Cannot log in (again)";
	c.updated_at = T0 + 5;
	assert_int_equal(store_upsert(s, &c, T0 + 5), STORE_UPDATED);
	assert_string_equal(store_get(s, 7)->conv.title, "Cannot log in (again)");

	c.title = "stale";
	c.updated_at = T0 + 4;
	assert_int_equal(store_upsert(s, &c, T0 + 6), STORE_UNCHANGED);
	/* the same second and the same record: nothing new */
	c.title = "Cannot log in (again)";
	c.updated_at = T0 + 5;
	assert_int_equal(store_upsert(s, &c, T0 + 6), STORE_UNCHANGED);
	e = store_get(s, 7);
	assert_string_equal(e->conv.title, "Cannot log in (again)");
	assert_int_equal(e->conv.updated_at, T0 + 5);
	assert_int_equal(store_count(s), 1);
	assert_int_equal(store_queue_count(s, Q_RT), 1);
	/* two changes in one second (assigned, then closed) share updated_at: the record
	 * that says something else is the later one */
	c.admin_assignee_id = 42;
	assert_int_equal(store_upsert(s, &c, T0 + 6), STORE_UPDATED);
	assert_int_equal(store_get(s, 7)->conv.admin_assignee_id, 42);
	c.state = CONV_CLOSED;
	assert_int_equal(store_upsert(s, &c, T0 + 6), STORE_REMOVED);
	assert_int_equal(store_count(s), 0);
	store_free(s);
}

/* Read here: the mark clears at once, an answer without a later message from the customer
 * (the backend not told yet, or a teammate's change) does not bring it back, one with a
 * later message does, even in the second of the read (the backend counts whole seconds). */
static void test_mark_read(void **state)
{
	struct store *s = store_fixture();
	struct conversation c = conv_waiting(8, TEAM_RT, T0, T0 + 10);
	uint64_t v;

	(void)state;
	assert_false(store_mark_read(s, 8)); /* not held */
	assert_int_equal(store_upsert(s, &c, T0 + 10), STORE_ADDED);
	v = store_version(s);
	assert_true(store_mark_read(s, 8));
	assert_true(store_get(s, 8)->conv.read);
	assert_true(store_version(s) > v);
	assert_false(store_mark_read(s, 8)); /* read already: nothing to tell */
	/* a poll of the same second, from before the backend heard of it */
	c.title = "polled again";
	store_upsert(s, &c, T0 + 11);
	assert_true(store_get(s, 8)->conv.read);
	assert_string_equal(store_get(s, 8)->conv.title, "polled again");
	/* a teammate's note: newer, but nothing new from the customer */
	c.updated_at = T0 + 15;
	store_upsert(s, &c, T0 + 15);
	assert_true(store_get(s, 8)->conv.read);
	/* the customer wrote again in the same second */
	c.last_contact_reply_at = T0 + 15;
	assert_int_equal(store_upsert(s, &c, T0 + 15), STORE_UPDATED);
	assert_false(store_get(s, 8)->conv.read);
	store_free(s);
}

/* store_version moves with records, clock states and orders, not with a quiet tick. */
static void test_version(void **state)
{
	struct store *s = store_fixture();
	struct conversation c = conv_waiting(1, TEAM_RT, T0, T0);
	uint64_t v;

	(void)state;
	v = store_version(s);
	assert_int_equal(store_upsert(s, &c, T0), STORE_ADDED);
	assert_true(store_version(s) != v);
	v = store_version(s);
	store_tick(s, T0 + 10, NULL, NULL);
	assert_int_equal(store_version(s), v); /* only the countdown went down */
	assert_int_equal(store_upsert(s, &c, T0 + 10), STORE_UNCHANGED);
	assert_int_equal(store_version(s), v);
	store_tick(s, T0 + 60, NULL, NULL); /* 60 s left: the warning */
	assert_int_equal(store_get(s, 1)->clock.state, SLA_WARNING);
	assert_true(store_version(s) != v);
	v = store_version(s);
	store_tick(s, T0 + 61, NULL, NULL);
	assert_int_equal(store_version(s), v);
	c.title = "A new subject";
	c.updated_at = T0 + 62;
	assert_int_equal(store_upsert(s, &c, T0 + 62), STORE_UPDATED);
	assert_true(store_version(s) != v);
	v = store_version(s);
	assert_int_equal(store_remove(s, 1), STORE_REMOVED);
	assert_true(store_version(s) != v);
	store_free(s);
}

static void test_closed_leaves(void **state)
{
	struct store *s = store_fixture();
	struct conversation c = conv_waiting(1, TEAM_RT, T0, T0);

	(void)state;
	assert_int_equal(store_upsert(s, &c, T0), STORE_ADDED);
	c.state = CONV_CLOSED;
	c.updated_at = T0 + 1;
	assert_int_equal(store_upsert(s, &c, T0 + 1), STORE_REMOVED);
	assert_null(store_get(s, 1));
	assert_int_equal(store_count(s), 0);
	assert_int_equal(store_queue_count(s, Q_RT), 0);
	assert_int_equal(store_queue_index(s, 1), NOT_FOUND);

	/* A closed conversation the store never held is not added. */
	c.id = 2;
	assert_int_equal(store_upsert(s, &c, T0 + 1), STORE_UNCHANGED);
	assert_null(store_get(s, 2));
	store_free(s);
}

static void test_untracked_team(void **state)
{
	struct store *s = store_fixture();
	struct conversation c = conv_waiting(1, TEAM_OTHER, T0, T0);

	(void)state;
	assert_int_equal(store_upsert(s, &c, T0), STORE_UNCHANGED);
	assert_null(store_get(s, 1));

	c.team_assignee_id = TEAM_RT;
	c.updated_at = T0 + 1;
	assert_int_equal(store_upsert(s, &c, T0 + 1), STORE_ADDED);
	c.team_assignee_id = TEAM_OTHER;
	c.updated_at = T0 + 2;
	assert_int_equal(store_upsert(s, &c, T0 + 2), STORE_REMOVED);
	assert_null(store_get(s, 1));
	assert_int_equal(store_queue_count(s, Q_RT), 0);

	/* Untracking a team drops what the store held of it. */
	c = conv_waiting(2, TEAM_STD, T0, T0);
	assert_int_equal(store_upsert(s, &c, T0), STORE_ADDED);
	store_set_team_queue(s, TEAM_STD, -1);
	assert_null(store_get(s, 2));
	assert_int_equal(store_queue_count(s, Q_STD), 0);
	c.updated_at = T0 + 1;
	assert_int_equal(store_upsert(s, &c, T0 + 1), STORE_UNCHANGED);
	store_free(s);
}

static void test_move_between_queues(void **state)
{
	struct store *s = store_fixture();
	struct conversation a = conv_waiting(1, TEAM_RT, T0, T0);
	struct conversation b = conv_waiting(2, TEAM_RT, T0 + 1, T0 + 1);
	const struct store_entry *e;

	(void)state;
	assert_int_equal(store_upsert(s, &a, T0 + 1), STORE_ADDED);
	assert_int_equal(store_upsert(s, &b, T0 + 1), STORE_ADDED);
	assert_int_equal(store_queue_count(s, Q_RT), 2);

	a.team_assignee_id = TEAM_STD;
	a.updated_at = T0 + 2;
	assert_int_equal(store_upsert(s, &a, T0 + 2), STORE_UPDATED);
	e = store_get(s, 1);
	assert_int_equal(e->queue, Q_STD);
	assert_int_equal(e->clock.deadline, T0 + 3600); /* the standard queue's policy */
	assert_int_equal(store_queue_count(s, Q_RT), 1);
	assert_int_equal(store_queue_count(s, Q_STD), 1);
	assert_int_equal(queue_id_at(s, Q_RT, 0), 2);
	assert_int_equal(queue_id_at(s, Q_STD, 0), 1);
	assert_int_equal(store_queue_index(s, 1), 0);
	assert_int_equal(store_queue_index(s, 2), 0);

	/* Remapping a team moves what it holds; the next tick applies the new policy. */
	store_tick(s, T0 + 2, NULL, NULL);
	store_set_team_queue(s, TEAM_RT, Q_STD);
	assert_int_equal(store_queue_count(s, Q_RT), 0);
	assert_int_equal(store_queue_count(s, Q_STD), 2);
	store_tick(s, T0 + 3, NULL, NULL);
	assert_int_equal(store_get(s, 2)->queue, Q_STD);
	assert_int_equal(store_get(s, 2)->clock.deadline, T0 + 1 + 3600);
	assert_int_equal(queue_id_at(s, Q_STD, 0), 1);
	assert_int_equal(queue_id_at(s, Q_STD, 1), 2);
	store_free(s);
}

static void expect_order(const struct store *s, int queue, const int64_t *ids, size_t n)
{
	size_t i;

	assert_int_equal(store_queue_count(s, queue), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(queue_id_at(s, queue, i), ids[i]);
		assert_int_equal(store_queue_index(s, ids[i]), i);
	}
	assert_null(store_queue_at(s, queue, n));
}

static void test_order_by_urgency(void **state)
{
	struct store *s = store_fixture();
	struct conversation c[8];
	struct store_counts counts;
	size_t i;

	(void)state;
	c[0] = conv_waiting(1, TEAM_RT, T0 - 200, T0 - 200); /* due T0-80: breached */
	c[1] = conv_waiting(2, TEAM_RT, T0 - 10, T0 - 10);   /* due T0+110 */
	c[2] = conv_waiting(3, TEAM_RT, T0 - 70, T0 - 70);   /* due T0+50: warning */
	c[3] = conv_waiting(4, TEAM_RT, T0 - 50, T0 - 50);
	conv_admin_reply(&c[3], T0 - 5); /* no clock, updated T0-5 */
	c[4] = conv_waiting(5, TEAM_RT, T0 - 50, T0 - 50);
	conv_admin_reply(&c[4], T0 - 1); /* no clock, updated T0-1 */
	c[5] = conv_waiting(6, TEAM_RT, T0 - 20, T0 - 3);
	c[5].state = CONV_SNOOZED; /* paused, updated T0-3 */
	c[6] = conv_waiting(8, TEAM_RT, T0 - 30, T0 - 30); /* due T0+90, a tie broken by id */
	c[7] = conv_waiting(7, TEAM_RT, T0 - 30, T0 - 20); /* due T0+90 */
	for (i = 0; i < 8; i++)
		assert_int_equal(store_upsert(s, &c[i], T0), STORE_ADDED);
	store_tick(s, T0, NULL, NULL);
	expect_order(s, Q_RT, (int64_t[]){1, 3, 7, 8, 2, 5, 6, 4}, 8);
	assert_int_equal(store_get(s, 6)->clock.state, SLA_PAUSED);
	store_queue_counts(s, Q_RT, &counts);
	assert_int_equal(counts.open, 8);
	assert_int_equal(counts.breached, 1);
	assert_int_equal(counts.warning, 1);

	/* A customer writes in 4: its clock starts and it joins the deadlines. */
	conv_customer_message(&c[3], T0 + 1);
	assert_int_equal(store_upsert(s, &c[3], T0 + 1), STORE_UPDATED);
	expect_order(s, Q_RT, (int64_t[]){1, 3, 7, 8, 2, 4, 5, 6}, 8);
	assert_int_equal(store_get(s, 4)->clock.deadline, T0 + 121);

	/* The agent answers the breached one: no clock, and the most recently updated. */
	conv_admin_reply(&c[0], T0 + 2);
	assert_int_equal(store_upsert(s, &c[0], T0 + 2), STORE_UPDATED);
	expect_order(s, Q_RT, (int64_t[]){3, 7, 8, 2, 4, 1, 5, 6}, 8);
	store_tick(s, T0 + 2, NULL, NULL);
	store_queue_counts(s, Q_RT, &counts);
	assert_int_equal(counts.breached, 0);
	assert_int_equal(counts.warning, 1);

	/* An update that keeps the deadline keeps the place. */
	c[1].updated_at = T0 + 3;
	c[1].read = true;
	assert_int_equal(store_upsert(s, &c[1], T0 + 3), STORE_UPDATED);
	expect_order(s, Q_RT, (int64_t[]){3, 7, 8, 2, 4, 1, 5, 6}, 8);

	/* Time passes: 3 breaches, and the order still holds without any upsert. */
	store_tick(s, T0 + 60, NULL, NULL);
	store_queue_counts(s, Q_RT, &counts);
	assert_int_equal(counts.breached, 1);
	assert_int_equal(store_get(s, 3)->clock.state, SLA_BREACHED);
	expect_order(s, Q_RT, (int64_t[]){3, 7, 8, 2, 4, 1, 5, 6}, 8);
	store_free(s);
}

static void test_tick_events_once(void **state)
{
	struct store *s = store_fixture();
	struct conversation a = conv_waiting(1, TEAM_RT, T0, T0);
	struct conversation z = conv_waiting(2, TEAM_RT, T0, T0);
	struct events log = {0};
	struct store_counts counts;
	size_t i;

	(void)state;
	z.state = CONV_SNOOZED;
	assert_int_equal(store_upsert(s, &a, T0), STORE_ADDED);
	assert_int_equal(store_upsert(s, &z, T0), STORE_ADDED);
	tick_range(s, T0, T0 + 59, &log);
	assert_int_equal(log.n, 0);
	assert_int_equal(store_get(s, 1)->clock.state, SLA_OK);

	tick_range(s, T0 + 60, T0 + 400, &log);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.id[0], 1);
	assert_int_equal(log.ev[0], SLA_EVENT_WARNING);
	assert_in_range(log.at[0], T0 + 60, T0 + 61);
	assert_int_equal(log.id[1], 1);
	assert_int_equal(log.ev[1], SLA_EVENT_WARNING);
	assert_in_range(log.at[1], T0 + 90, T0 + 91);
	assert_int_equal(log.id[2], 1);
	assert_int_equal(log.ev[2], SLA_EVENT_BREACHED);
	assert_in_range(log.at[2], T0 + 120, T0 + 121);
	assert_int_equal(store_get(s, 1)->clock.state, SLA_BREACHED);
	assert_int_equal(store_get(s, 2)->clock.state, SLA_PAUSED);
	store_queue_counts(s, Q_RT, &counts);
	assert_int_equal(counts.breached, 1);
	assert_int_equal(counts.warning, 0);

	/* An update that keeps the deadline tells nothing again. */
	a.updated_at = T0 + 401;
	a.read = true;
	assert_int_equal(store_upsert(s, &a, T0 + 401), STORE_UPDATED);
	tick_range(s, T0 + 401, T0 + 500, &log);
	assert_int_equal(log.n, 3);

	/* A jump past every threshold: the breach alone, once. */
	a = conv_waiting(3, TEAM_RT, T0 + 500, T0 + 500);
	assert_int_equal(store_upsert(s, &a, T0 + 500), STORE_ADDED);
	log.now = T0 + 1000;
	store_tick(s, T0 + 1000, events_record, &log);
	store_tick(s, T0 + 1001, events_record, &log);
	assert_true(log.n >= 4);
	assert_int_equal(log.id[log.n - 1], 3);
	assert_int_equal(log.ev[log.n - 1], SLA_EVENT_BREACHED);
	assert_int_equal(log.at[log.n - 1], T0 + 1000);
	for (i = 3; i + 1 < log.n; i++) /* whatever came before it was a warning */
		assert_int_equal(log.ev[i], SLA_EVENT_WARNING);
	store_free(s);
}

static void test_snooze_extends_deadline(void **state)
{
	struct store *s = store_fixture();
	struct conversation c = conv_waiting(1, TEAM_RT, T0, T0);
	struct events log = {0};
	const struct store_entry *e;

	(void)state;
	assert_int_equal(store_upsert(s, &c, T0), STORE_ADDED);
	tick_range(s, T0, T0 + 29, &log);
	assert_int_equal(log.n, 0);

	c.state = CONV_SNOOZED;
	c.snoozed_until = T0 + 330;
	c.updated_at = T0 + 30;
	assert_int_equal(store_upsert(s, &c, T0 + 30), STORE_UPDATED);
	e = store_get(s, 1);
	assert_int_equal(e->snoozed_seen, T0 + 30);
	assert_int_equal(e->clock.state, SLA_PAUSED);
	tick_range(s, T0 + 30, T0 + 329, &log);
	assert_int_equal(log.n, 0);

	c.state = CONV_OPEN;
	c.snoozed_until = 0;
	c.updated_at = T0 + 330;
	assert_int_equal(store_upsert(s, &c, T0 + 330), STORE_UPDATED);
	e = store_get(s, 1);
	assert_int_equal(e->paused, 300);
	assert_int_equal(e->snoozed_seen, 0);
	assert_int_equal(e->clock.deadline, T0 + 420);
	tick_range(s, T0 + 330, T0 + 600, &log);
	assert_int_equal(log.n, 3);
	assert_int_equal(log.ev[2], SLA_EVENT_BREACHED);
	assert_in_range(log.at[2], T0 + 420, T0 + 421);

	/* A new deadline starts without the old snooze. */
	conv_admin_reply(&c, T0 + 601);
	assert_int_equal(store_upsert(s, &c, T0 + 601), STORE_UPDATED);
	conv_customer_message(&c, T0 + 602);
	assert_int_equal(store_upsert(s, &c, T0 + 602), STORE_UPDATED);
	e = store_get(s, 1);
	assert_int_equal(e->paused, 0);
	assert_int_equal(e->clock.kind, SLA_KIND_NEXT);
	assert_int_equal(e->clock.deadline, T0 + 722);

	/* Snoozed at +610; the customer writes at +700 while it stays snoozed; opened at
	 * +760: only the minute after the new start extends the new deadline. */
	c.state = CONV_SNOOZED;
	c.updated_at = T0 + 610;
	assert_int_equal(store_upsert(s, &c, T0 + 610), STORE_UPDATED);
	conv_customer_message(&c, T0 + 700);
	assert_int_equal(store_upsert(s, &c, T0 + 700), STORE_UPDATED);
	assert_int_equal(store_get(s, 1)->snoozed_seen, T0 + 700);
	c.state = CONV_OPEN;
	c.updated_at = T0 + 760;
	assert_int_equal(store_upsert(s, &c, T0 + 760), STORE_UPDATED);
	e = store_get(s, 1);
	assert_int_equal(e->paused, 60);
	assert_int_equal(e->clock.deadline, T0 + 700 + 120 + 60);
	store_free(s);
}

/* Business hours 09:00-17:00 UTC, an hour to answer, written at 16:10: due at 09:10 the
 * next morning. The first warning (15 business minutes left) comes at 16:55 the evening
 * before, not at 08:55; the night tells nothing. */
static void test_business_hours(void **state)
{
	const fl_time day = 1700006400; /* 2023-11-15 00:00 UTC */
	const fl_time created = day + 16 * 3600 + 600;
	const fl_time next = day + 86400;
	struct sla_policy p[2];
	struct store *s;
	struct conversation c = conv_waiting(1, TEAM_STD, created, created);
	struct events log = {0};
	fl_time t;

	(void)state;
	policies_init(p);
	p[1].hours.enabled = true;
	p[1].hours.days = 0x7f;
	p[1].hours.ranges[0].start = 9 * 60;
	p[1].hours.ranges[0].end = 17 * 60;
	p[1].hours.n_ranges = 1;
	s = store_new(p, 2);
	assert_non_null(s);
	store_set_team_queue(s, TEAM_STD, Q_STD);
	assert_int_equal(store_upsert(s, &c, created), STORE_ADDED);
	assert_int_equal(store_get(s, 1)->clock.deadline, next + 9 * 3600 + 600);
	for (t = created; t <= next + 10 * 3600; t += 60) {
		log.now = t;
		store_tick(s, t, events_record, &log);
	}
	assert_int_equal(log.n, 3);
	assert_int_equal(log.ev[0], SLA_EVENT_WARNING);
	assert_int_equal(log.at[0], day + 16 * 3600 + 55 * 60);
	assert_int_equal(log.ev[1], SLA_EVENT_WARNING); /* 5 minutes left, at 09:05 */
	assert_int_equal(log.at[1], next + 9 * 3600 + 300);
	assert_int_equal(log.ev[2], SLA_EVENT_BREACHED);
	assert_int_equal(log.at[2], next + 9 * 3600 + 600);
	store_free(s);
}

static void test_sweep(void **state)
{
	struct store *s = store_fixture();
	struct conversation c1 = conv_waiting(1, TEAM_RT, T0, T0);
	struct conversation c2 = conv_waiting(2, TEAM_RT, T0, T0);
	struct conversation c3 = conv_waiting(3, TEAM_STD, T0, T0);

	(void)state;
	assert_int_equal(store_upsert(s, &c1, T0), STORE_ADDED);
	assert_int_equal(store_upsert(s, &c2, T0), STORE_ADDED);
	assert_int_equal(store_upsert(s, &c3, T0), STORE_ADDED);

	store_sweep_begin(s);
	assert_int_equal(store_upsert(s, &c1, T0 + 1), STORE_UNCHANGED); /* seen all the same */
	c3.updated_at = T0 + 1;
	assert_int_equal(store_upsert(s, &c3, T0 + 1), STORE_UPDATED);
	assert_int_equal(store_sweep_end(s), 1);
	assert_null(store_get(s, 2));
	assert_non_null(store_get(s, 1));
	assert_non_null(store_get(s, 3));
	assert_int_equal(store_queue_count(s, Q_RT), 1);
	assert_int_equal(queue_id_at(s, Q_RT, 0), 1);

	store_sweep_begin(s);
	assert_int_equal(store_sweep_end(s), 2);
	assert_int_equal(store_count(s), 0);
	assert_int_equal(store_queue_count(s, Q_STD), 0);
	store_free(s);
}

/* --- 100,000 conversations ----------------------------------------------------------- */

#define BIG_N	  100000
#define BIG_EDITS 1000

static uint64_t prng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t prng_next(void)
{
	prng_state ^= prng_state << 13;
	prng_state ^= prng_state >> 7;
	prng_state ^= prng_state << 17;
	return prng_state;
}

static int64_t prng_below(int64_t n)
{
	return (int64_t)(prng_next() % (uint64_t)n);
}

/* The header's order written out plainly: breached, then running clocks by deadline,
 * then the rest by most recent update; ties by id. */
static int spec_group(const struct store_entry *e)
{
	switch (e->clock.state) {
	case SLA_BREACHED:
		return 0;
	case SLA_OK:
	case SLA_WARNING:
		return 1;
	default:
		return 2;
	}
}

static int spec_compare(const void *pa, const void *pb)
{
	const struct store_entry *a = *(const struct store_entry *const *)pa;
	const struct store_entry *b = *(const struct store_entry *const *)pb;
	int ga = spec_group(a), gb = spec_group(b);

	if (ga != gb)
		return ga < gb ? -1 : 1;
	if (ga < 2 && a->clock.deadline != b->clock.deadline)
		return a->clock.deadline < b->clock.deadline ? -1 : 1;
	if (ga == 2 && a->conv.updated_at != b->conv.updated_at)
		return a->conv.updated_at > b->conv.updated_at ? -1 : 1;
	return a->conv.id < b->conv.id ? -1 : a->conv.id > b->conv.id;
}

/* Every queue against a full sort of what the test believes is held, and the map
 * against the same belief. */
static void verify_store(const struct store *s, const bool *held)
{
	const struct store_entry **sorted = calloc(BIG_N, sizeof(*sorted));
	size_t total = 0, n, i, warning, breached;
	struct store_counts counts;
	const struct store_entry *e;
	int64_t id;
	int q;

	assert_non_null(sorted);
	for (id = 1; id <= BIG_N; id++) {
		e = store_get(s, id);
		if (!held[id]) {
			assert_null(e);
			assert_int_equal(store_queue_index(s, id), NOT_FOUND);
			continue;
		}
		assert_non_null(e);
		assert_int_equal(e->conv.id, id);
		total++;
	}
	assert_int_equal(store_count(s), total);
	for (q = 0; q < 2; q++) {
		n = 0;
		for (id = 1; id <= BIG_N; id++)
			if (held[id] && store_get(s, id)->queue == q)
				sorted[n++] = store_get(s, id);
		qsort(sorted, n, sizeof(*sorted), spec_compare);
		assert_int_equal(store_queue_count(s, q), n);
		warning = breached = 0;
		for (i = 0; i < n; i++) {
			e = store_queue_at(s, q, i);
			assert_ptr_equal(e, sorted[i]);
			warning += e->clock.state == SLA_WARNING;
			breached += e->clock.state == SLA_BREACHED;
		}
		assert_null(store_queue_at(s, q, n));
		for (i = 0; i < n; i++)
			assert_int_equal(store_queue_index(s, sorted[i]->conv.id), i);
		store_queue_counts(s, q, &counts);
		assert_int_equal(counts.open, n);
		assert_int_equal(counts.warning, warning);
		assert_int_equal(counts.breached, breached);
		total -= n;
	}
	assert_int_equal(total, 0);
	free(sorted);
}

/* A random conversation as of now: about a third answered (no clock), a tenth snoozed,
 * the rest with deadlines spread around now, many sharing a second. */
static struct conversation conv_random(int64_t id, fl_time now)
{
	int64_t team = prng_below(5) == 0 ? TEAM_STD : TEAM_RT;
	int64_t span = team == TEAM_STD ? 7200 : 300;
	fl_time created = now - prng_below(span);
	struct conversation c = conv_waiting(id, team, created, created);
	int64_t kind = prng_below(10);

	if (kind < 3) {
		conv_admin_reply(&c, created + prng_below(now - created + 1));
	} else if (kind == 3) {
		c.state = CONV_SNOOZED;
		c.updated_at = created + prng_below(now - created + 1);
	} else if (kind == 4) {
		conv_admin_reply(&c, created);
		conv_customer_message(&c, created + prng_below(now - created + 1));
	}
	return c;
}

static void test_hundred_thousand(void **state)
{
	struct store *s = store_fixture();
	bool *held = calloc(BIG_N + 1, sizeof(*held));
	bool *edited = calloc(BIG_N + 1, sizeof(*edited));
	struct conversation c;
	fl_time now = T0;
	int64_t id, i;
	size_t removed;
	int kind;

	(void)state;
	assert_non_null(held);
	assert_non_null(edited);
	for (id = 1; id <= BIG_N; id++) {
		c = conv_random(id, now);
		assert_int_equal(store_upsert(s, &c, now), STORE_ADDED);
		held[id] = true;
	}
	store_tick(s, now, NULL, NULL);
	verify_store(s, held);

	/* 1,000 random changes a minute later. */
	now += 60;
	for (i = 0; i < BIG_EDITS; i++) {
		do /* one change per conversation: a second one at the same time is a no-op */
			id = 1 + prng_below(BIG_N);
		while (edited[id]);
		edited[id] = true;
		c = store_get(s, id)->conv; /* a shallow copy: the store copies it again */
		c.updated_at = now;
		kind = (int)prng_below(4);
		if (kind == 0)
			conv_customer_message(&c, now - prng_below(200));
		else if (kind == 1)
			conv_admin_reply(&c, now);
		else if (kind == 2)
			c.state = c.state == CONV_SNOOZED ? CONV_OPEN : CONV_SNOOZED;
		else
			c.team_assignee_id = c.team_assignee_id == TEAM_RT ? TEAM_STD : TEAM_RT;
		c.updated_at = now;
		assert_int_equal(store_upsert(s, &c, now), STORE_UPDATED);
	}
	store_tick(s, now, NULL, NULL);
	verify_store(s, held);

	/* Clocks move on without any upsert. */
	now += 100;
	store_tick(s, now, NULL, NULL);
	verify_store(s, held);

	/* 1,000 removals, by id and by closing. */
	for (i = 0; i < BIG_EDITS; i++) {
		do
			id = 1 + prng_below(BIG_N);
		while (!held[id]);
		if (i % 2) {
			assert_int_equal(store_remove(s, id), STORE_REMOVED);
		} else {
			c = store_get(s, id)->conv;
			c.state = CONV_CLOSED;
			c.updated_at = now + 1;
			assert_int_equal(store_upsert(s, &c, now + 1), STORE_REMOVED);
		}
		held[id] = false;
		assert_null(store_get(s, id));
		assert_int_equal(store_remove(s, id), STORE_UNCHANGED);
	}
	store_tick(s, now + 1, NULL, NULL);
	verify_store(s, held);

	/* A resync that finds one in 50 left: most blocks empty out and merge. */
	store_sweep_begin(s);
	removed = 0;
	for (id = 1; id <= BIG_N; id++) {
		if (!held[id])
			continue;
		if (id % 50 == 0) {
			c = store_get(s, id)->conv;
			assert_int_equal(store_upsert(s, &c, now + 2), STORE_UNCHANGED);
		} else {
			held[id] = false;
			removed++;
		}
	}
	assert_int_equal(store_sweep_end(s), removed);
	store_tick(s, now + 2, NULL, NULL);
	verify_store(s, held);
	free(held);
	free(edited);
	store_free(s);
}

/* --- a conversation in several queues ----------------------------------------------- */

#define Q_MINE 2
#define ME     7

static bool assigned_to_me(void *arg, const struct conversation *c)
{
	(void)arg;
	return c->admin_assignee_id == ME;
}

struct queue_events {
	size_t n;
	int64_t id[MAX_EVENTS];
	int queue[MAX_EVENTS];
	enum sla_event ev[MAX_EVENTS];
};

static void queue_events_record(void *arg, const struct store_entry *e, enum sla_event ev)
{
	struct queue_events *log = arg;

	assert_true(log->n < MAX_EVENTS);
	log->id[log->n] = e->conv.id;
	log->queue[log->n] = e->queue;
	log->ev[log->n] = ev;
	log->n++;
}

/* Real-time and Standard by team; Mine of every team, by assignee, with 30m targets. */
static struct store *store_mine_fixture(void)
{
	struct sla_policy p[3];
	struct store *s;

	policies_init(p);
	p[2] = p[1];
	p[2].first_response = 1800;
	p[2].next_response = 1800;
	s = store_new(p, 3);
	assert_non_null(s);
	store_set_team_queue(s, TEAM_RT, Q_RT);
	store_set_team_queue(s, TEAM_STD, Q_STD);
	store_set_queue_match(s, Q_MINE, true, assigned_to_me, NULL);
	return s;
}

static void test_several_queues(void **state)
{
	struct store *s = store_mine_fixture();
	struct conversation a = conv_waiting(1, TEAM_RT, T0, T0);
	struct conversation b = conv_waiting(2, TEAM_OTHER, T0 + 10, T0 + 10);
	struct conversation c = conv_waiting(3, TEAM_OTHER, T0, T0);
	struct queue_events log = {0};
	struct store_counts counts;
	fl_time t;

	(void)state;
	a.admin_assignee_id = ME;
	b.admin_assignee_id = ME;
	assert_int_equal(store_upsert(s, &a, T0), STORE_ADDED);
	assert_int_equal(store_upsert(s, &b, T0 + 10), STORE_ADDED);
	/* Of an untracked team and nobody's: in no queue, not held. */
	assert_int_equal(store_upsert(s, &c, T0 + 10), STORE_UNCHANGED);
	assert_int_equal(store_count(s), 2);
	assert_int_equal(store_queues_of(s, 1), (1u << Q_RT) | (1u << Q_MINE));
	assert_int_equal(store_queues_of(s, 2), 1u << Q_MINE);
	assert_int_equal(store_queues_of(s, 3), 0);
	assert_int_equal(store_queue_count(s, Q_RT), 1);
	assert_int_equal(store_queue_count(s, Q_STD), 0);
	assert_int_equal(store_queue_count(s, Q_MINE), 2);
	/* A clock per queue, under that queue's targets. */
	assert_int_equal(store_get_in(s, Q_RT, 1)->queue, Q_RT);
	assert_int_equal(store_get_in(s, Q_RT, 1)->clock.deadline, T0 + 120);
	assert_int_equal(store_get_in(s, Q_MINE, 1)->queue, Q_MINE);
	assert_int_equal(store_get_in(s, Q_MINE, 1)->clock.deadline, T0 + 1800);
	assert_null(store_get_in(s, Q_STD, 1));
	assert_int_equal(store_get(s, 1)->queue, Q_RT);
	assert_int_equal(store_get(s, 2)->queue, Q_MINE);
	assert_int_equal(queue_id_at(s, Q_MINE, 0), 1);
	assert_int_equal(queue_id_at(s, Q_MINE, 1), 2);
	assert_int_equal(store_queue_index_in(s, Q_MINE, 2), 1);
	assert_int_equal(store_queue_index_in(s, Q_RT, 2), NOT_FOUND);

	/* Real-time's deadline passes; Mine's has not: one breach, told in Real-time. */
	for (t = T0; t <= T0 + 200; t++)
		store_tick(s, t, queue_events_record, &log);
	assert_int_equal(log.n, 3); /* two warnings and the breach */
	assert_int_equal(log.queue[2], Q_RT);
	assert_int_equal(log.ev[2], SLA_EVENT_BREACHED);
	store_queue_counts(s, Q_RT, &counts);
	assert_int_equal(counts.breached, 1);
	store_queue_counts(s, Q_MINE, &counts);
	assert_int_equal(counts.breached, 0);
	assert_int_equal(counts.open, 2);
	assert_int_equal(store_get_in(s, Q_MINE, 1)->clock.state, SLA_OK);

	/* The read mark reaches every queue's entry. */
	assert_true(store_mark_read(s, 1));
	assert_true(store_get_in(s, Q_RT, 1)->conv.read);
	assert_true(store_get_in(s, Q_MINE, 1)->conv.read);

	/* Unassigned: it leaves Mine and stays in its team's queue ... */
	a.admin_assignee_id = 0;
	a.updated_at = T0 + 300;
	assert_int_equal(store_upsert(s, &a, T0 + 300), STORE_UPDATED);
	assert_int_equal(store_queues_of(s, 1), 1u << Q_RT);
	assert_int_equal(store_queue_count(s, Q_MINE), 1);
	assert_int_equal(queue_id_at(s, Q_MINE, 0), 2);
	store_queue_counts(s, Q_RT, &counts);
	assert_int_equal(counts.breached, 1);
	/* ... and one of an untracked team leaves the store. */
	b.admin_assignee_id = 0;
	b.updated_at = T0 + 300;
	assert_int_equal(store_upsert(s, &b, T0 + 300), STORE_REMOVED);
	assert_null(store_get(s, 2));
	assert_int_equal(store_queue_count(s, Q_MINE), 0);

	/* Assigned again: back in Mine, with Mine's clock. */
	a.admin_assignee_id = ME;
	a.updated_at = T0 + 400;
	assert_int_equal(store_upsert(s, &a, T0 + 400), STORE_UPDATED);
	assert_int_equal(store_queues_of(s, 1), (1u << Q_RT) | (1u << Q_MINE));
	assert_int_equal(store_get_in(s, Q_MINE, 1)->clock.deadline, T0 + 1800);

	/* Its team moves to Standard: it follows in the team's queue, stays in Mine. */
	store_set_team_queue(s, TEAM_RT, Q_STD);
	assert_int_equal(store_queues_of(s, 1), (1u << Q_STD) | (1u << Q_MINE));
	store_tick(s, T0 + 401, NULL, NULL);
	assert_int_equal(store_get_in(s, Q_STD, 1)->clock.deadline, T0 + 3600);
	store_queue_counts(s, Q_RT, &counts);
	assert_int_equal(counts.open + counts.breached, 0);

	/* Closed: out of every queue. */
	a.state = CONV_CLOSED;
	a.updated_at = T0 + 500;
	assert_int_equal(store_upsert(s, &a, T0 + 500), STORE_REMOVED);
	assert_int_equal(store_count(s), 0);
	assert_int_equal(store_queue_count(s, Q_MINE), 0);
	assert_int_equal(store_queue_count(s, Q_STD), 0);
	store_free(s);
}

/* A queue's match set while the store holds conversations puts them where they belong
 * now; a sweep removes a conversation from every queue it is in. */
static void test_several_queues_refit_and_sweep(void **state)
{
	struct sla_policy p[3];
	struct store *s;
	struct conversation a = conv_waiting(1, TEAM_STD, T0, T0);
	struct conversation b = conv_waiting(2, TEAM_STD, T0, T0);

	(void)state;
	policies_init(p);
	p[2] = p[1];
	s = store_new(p, 3);
	store_set_team_queue(s, TEAM_STD, Q_STD);
	a.admin_assignee_id = ME;
	assert_int_equal(store_upsert(s, &a, T0), STORE_ADDED);
	assert_int_equal(store_upsert(s, &b, T0), STORE_ADDED);
	assert_int_equal(store_queue_count(s, Q_MINE), 0);
	store_set_queue_match(s, Q_MINE, true, assigned_to_me, NULL);
	assert_int_equal(store_queue_count(s, Q_MINE), 1);
	assert_int_equal(queue_id_at(s, Q_MINE, 0), 1);
	store_tick(s, T0 + 1, NULL, NULL);
	assert_int_equal(store_get_in(s, Q_MINE, 1)->clock.state, SLA_OK);

	store_sweep_begin(s);
	assert_int_equal(store_upsert(s, &b, T0 + 2), STORE_UNCHANGED);
	assert_int_equal(store_sweep_end(s), 1);
	assert_int_equal(store_queue_count(s, Q_MINE), 0);
	assert_int_equal(store_queue_count(s, Q_STD), 1);
	store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_insert_update_ignore),
		cmocka_unit_test(test_closed_leaves),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_untracked_team),
		cmocka_unit_test(test_move_between_queues),
		cmocka_unit_test(test_order_by_urgency),
		cmocka_unit_test(test_tick_events_once),
		cmocka_unit_test(test_snooze_extends_deadline),
		cmocka_unit_test(test_business_hours),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_hundred_thousand),
		cmocka_unit_test(test_mark_read),
		cmocka_unit_test(test_several_queues),
		cmocka_unit_test(test_several_queues_refit_and_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
