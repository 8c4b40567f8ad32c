/* query-unit.c: the queue filter: parsing the terms, their errors, and matching
 * conversations with a fixed clock. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "query.h"

#define NOW  1700000000
#define ME   7
#define VIP  101
#define BUG  102
#define ANNA 8

static struct directory_entry tags[] = {{.id = VIP, .name = "VIP"}, {.id = BUG, .name = "bug"}};
static struct directory_entry admins[] = {{.id = ME, .name = "Me Myself"},
					  {.id = ANNA, .name = "Anna"}};
static struct directory_entry teams[] = {{.id = 5001, .name = "Chat"}};
static struct directory dir = {.me = ME,
			       .tags = tags,
			       .n_tags = 2,
			       .admins = admins,
			       .n_admins = 2,
			       .teams = teams,
			       .n_teams = 1};

static int64_t vip_tags[] = {VIP};

/* A conversation whose clock has `left` seconds (breached at 0 or less). */
static struct store_entry entry(const char *customer, const char *title, const char *body,
				int64_t assignee, int64_t left, enum sla_state state)
{
	struct store_entry e;

	memset(&e, 0, sizeof(e));
	e.conv.id = 1;
	e.conv.customer = (char *)customer;
	e.conv.title = (char *)title;
	e.conv.body = (char *)body;
	e.conv.admin_assignee_id = assignee;
	e.clock.state = state;
	e.clock.deadline = NOW + left;
	return e;
}

static bool matches(const char *filter, const struct store_entry *e)
{
	struct query q;
	char err[200];

	if (query_parse(filter, &q, err, sizeof(err)) != 0)
		fail_msg("query_parse(\"%s\") failed: %s", filter, err);
	return query_match(&q, e, &dir, ME, NOW);
}

static void test_parse(void **state)
{
	struct query q;
	char err[200];

	(void)state;
	assert_int_equal(query_parse("", &q, err, sizeof(err)), 0);
	assert_int_equal(q.n_terms, 0);
	assert_int_equal(query_parse("  tag:vip  assignee:me unassigned sla:<5m breached warning "
				     "\"wrong vat\" invoice",
				     &q, err, sizeof(err)),
			 0);
	assert_int_equal(q.n_terms, 8);
	assert_int_equal(q.terms[0].kind, QUERY_TAG);
	assert_string_equal(q.terms[0].text, "vip");
	assert_int_equal(q.terms[1].kind, QUERY_ASSIGNEE_ME);
	assert_int_equal(q.terms[2].kind, QUERY_UNASSIGNED);
	assert_int_equal(q.terms[3].kind, QUERY_SLA_UNDER);
	assert_int_equal(q.terms[3].seconds, 300);
	assert_int_equal(q.terms[4].kind, QUERY_BREACHED);
	assert_int_equal(q.terms[5].kind, QUERY_WARNING);
	assert_int_equal(q.terms[6].kind, QUERY_TEXT);
	assert_string_equal(q.terms[6].text, "wrong vat");
	assert_string_equal(q.terms[7].text, "invoice");
	assert_true(q.uses_time);
	assert_int_equal(query_parse("sla:>1h30m assignee:Anna", &q, err, sizeof(err)), 0);
	assert_int_equal(q.terms[0].kind, QUERY_SLA_OVER);
	assert_int_equal(q.terms[0].seconds, 5400);
	assert_int_equal(q.terms[1].kind, QUERY_ASSIGNEE);
	/* a colon inside quotes is text */
	assert_int_equal(query_parse("\"re: invoice\"", &q, err, sizeof(err)), 0);
	assert_int_equal(q.terms[0].kind, QUERY_TEXT);
	assert_false(q.uses_time);
}

static void test_parse_errors(void **state)
{
	static const char *bad[] = {
	    "tga:vip", "tag:", "assignee:", "sla:5m", "sla:<", "sla:<5x", "sla:<0", "\"open quote",
	    "priority:", "priority:critical", "priority:High",
	};
	struct query q;
	char err[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (query_parse(bad[i], &q, err, sizeof(err)) != -1)
			fail_msg("query_parse(\"%s\") should fail", bad[i]);
		assert_true(err[0] != '\0');
		assert_int_equal(q.n_terms, 0);
	}
}

static void test_match(void **state)
{
	struct store_entry rita = entry("Rita Reply", "Wrong VAT on invoice", NULL, 0, 200, SLA_OK);
	struct store_entry bob =
	    entry("Bob", NULL, "<p>My <b>parcel</b> is late</p>", ME, -30, SLA_BREACHED);
	struct store_entry anna = entry("Carl", "Refund", NULL, ANNA, 45, SLA_WARNING);
	struct store_entry quiet = entry("Dora", "Thanks", NULL, 0, 0, SLA_NONE);

	(void)state;
	bob.conv.body_is_html = true;
	rita.conv.tag_ids = vip_tags;
	rita.conv.n_tags = 1;

	assert_true(matches("", &rita));
	/* tags by name, any case, or by id */
	assert_true(matches("tag:vip", &rita));
	assert_true(matches("tag:VIP", &rita));
	assert_true(matches("tag:101", &rita));
	assert_false(matches("tag:bug", &rita));
	assert_false(matches("tag:vip", &bob));
	/* assignees */
	assert_true(matches("assignee:me", &bob));
	assert_false(matches("assignee:me", &rita));
	assert_true(matches("assignee:anna", &anna));
	assert_true(matches("unassigned", &rita));
	assert_false(matches("unassigned", &bob));
	/* time left: under 5 minutes includes breached; no clock never matches */
	assert_true(matches("sla:<5m", &rita));
	assert_false(matches("sla:<3m", &rita));
	assert_true(matches("sla:<1m", &bob));
	assert_false(matches("sla:<5m", &quiet));
	assert_true(matches("sla:>1m", &rita));
	assert_false(matches("sla:>1m", &bob));
	/* states */
	assert_true(matches("breached", &bob));
	assert_false(matches("breached", &anna));
	assert_true(matches("warning", &anna));
	/* free text in customer, title or the opening message, any ASCII case */
	assert_true(matches("rita", &rita));
	assert_true(matches("vat", &rita));
	assert_true(matches("\"wrong vat\"", &rita));
	assert_true(matches("PARCEL", &bob));
	assert_false(matches("parcel", &rita));
	/* every term must match */
	assert_true(matches("tag:vip unassigned sla:<5m invoice", &rita));
	assert_false(matches("tag:vip assignee:me", &rita));
}

static void test_priority_and_unknown(void **state)
{
	struct store_entry urgent = entry("Ann", "Down", NULL, 0, 100, SLA_OK);
	struct store_entry plain = entry("Bob", "Hello", NULL, 0, 100, SLA_UNKNOWN);

	(void)state;
	urgent.conv.priority = PRIORITY_URGENT;
	assert_true(matches("priority:urgent", &urgent));
	assert_false(matches("priority:high", &urgent));
	assert_false(matches("priority:urgent", &plain));
	assert_true(matches("priority:none", &plain));
	assert_true(matches("unknown", &plain));
	assert_false(matches("unknown", &urgent));
	/* An unknown clock is no running clock: never under or over a time. */
	assert_false(matches("sla:<5m", &plain));
	assert_false(matches("sla:>1s", &plain));
	assert_false(matches("breached", &plain));
}

/* team:NAME by name (any case) or id; state:open|snoozed|closed; their errors. */
static void test_team_and_state(void **state)
{
	struct store_entry chat = entry("Ann", "Down", NULL, 0, 100, SLA_OK);
	struct store_entry other = entry("Bob", "Hello", NULL, 0, 100, SLA_OK);
	struct query q;
	char err[200];

	(void)state;
	chat.conv.team_assignee_id = 5001;
	other.conv.state = CONV_SNOOZED;
	assert_true(matches("team:chat", &chat));
	assert_true(matches("team:5001", &chat));
	assert_false(matches("team:5001", &other));
	assert_true(matches("state:open", &chat));
	assert_false(matches("state:open", &other));
	assert_true(matches("state:snoozed", &other));
	assert_false(matches("state:closed", &chat));
	assert_int_equal(query_parse("state:gone", &q, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "open, snoozed or closed"));
	assert_int_equal(query_parse("team:", &q, err, sizeof(err)), -1);
}

/* What chooses a queue's conversations: the record's terms; those of the clock are left
 * to the queue, and query_uses_clock tells them. */
static void test_match_record(void **state)
{
	struct store_entry mine = entry("Ann", "Down", NULL, ME, -10, SLA_BREACHED);
	struct store_entry anna = entry("Bob", "Hello", NULL, ANNA, 100, SLA_OK);
	struct query q;
	char err[200];

	(void)state;
	mine.conv.tag_ids = vip_tags;
	mine.conv.n_tags = 1;
	assert_int_equal(query_parse("assignee:me tag:vip", &q, err, sizeof(err)), 0);
	assert_false(query_uses_clock(&q));
	assert_true(query_match_record(&q, &mine.conv, &dir, ME));
	assert_false(query_match_record(&q, &anna.conv, &dir, ME));
	/* no agent known: assignee:me matches nobody */
	assert_false(query_match_record(&q, &mine.conv, &dir, 0));
	assert_int_equal(query_parse("assignee:anna sla:<1m", &q, err, sizeof(err)), 0);
	assert_true(query_uses_clock(&q));
	assert_true(query_match_record(&q, &anna.conv, &dir, ME));
	assert_false(query_match(&q, &anna, &dir, ME, NOW));
	assert_int_equal(query_parse("unassigned", &q, err, sizeof(err)), 0);
	assert_false(query_match_record(&q, &mine.conv, &dir, ME));
	anna.conv.admin_assignee_id = 0;
	assert_true(query_match_record(&q, &anna.conv, &dir, ME));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_match),
	    cmocka_unit_test(test_priority_and_unknown),
	    cmocka_unit_test(test_team_and_state),
	    cmocka_unit_test(test_match_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
