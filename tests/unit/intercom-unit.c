/* intercom-unit.c: the Intercom JSON layer and html_to_text, on answers captured from a
 * running frontline-sim (tests/unit/data/) and on hand-written edge cases. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "backend.h"
#include "directory.h"
#include "html.h"
#include "intercom.h"
#include "replies.h"
#include "model.h"
#include "sla.h"
#include "store.h"
#include "util.h"

/*
 * Helpers
 */

/* The row preview of c, kept until the next call (the records keep the body as sent). */
static const char *preview_of(const struct conversation *c)
{
	static char *last;

	free(last);
	last = conversation_preview(c);
	return last;
}

static json_t *json_of(const char *text)
{
	json_error_t error;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &error);

	if (!j)
		fail_msg("bad JSON in the test: %s: %s", error.text, text);
	return j;
}

/* Captured answers live in tests/unit/data; make check exports abs_top_srcdir, a
 * build by hand runs from the top of the tree. */
static json_t *data_load(const char *name)
{
	const char *top = getenv("abs_top_srcdir");
	char *path = xasprintf("%s/tests/unit/data/%s", top && *top ? top : ".", name);
	json_error_t error;
	json_t *j = json_load_file(path, 0, &error);

	if (!j)
		fail_msg("cannot load %s: %s", path, error.text);
	free(path);
	return j;
}

static void assert_json_equal(json_t *actual, const char *expected_text)
{
	json_t *expected = json_of(expected_text);

	assert_non_null(actual);
	if (!json_equal(actual, expected)) {
		char *a = json_dumps(actual, JSON_SORT_KEYS | JSON_COMPACT);

		print_error("got      %s\nexpected %s\n", a ? a : "?", expected_text);
		free(a);
		fail();
	}
	json_decref(expected);
}

static void assert_text(char *actual, const char *expected)
{
	assert_non_null(actual);
	assert_string_equal(actual, expected);
	free(actual);
}

/* A conversation_list_item the edge cases change one member of at a time. */
static const char conversation_base[] =
	"{\"type\":\"conversation\",\"id\":\"77\",\"title\":\"Printer on fire\","
	"\"created_at\":1000,\"updated_at\":2000,\"waiting_since\":1500,\"snoozed_until\":null,"
	"\"open\":true,\"state\":\"open\",\"read\":true,\"priority\":\"none\","
	"\"admin_assignee_id\":0,\"team_assignee_id\":5001,"
	"\"source\":{\"type\":\"conversation\",\"body\":\"<p>Hello</p>\","
	"\"author\":{\"type\":\"user\",\"name\":\"Ann\",\"email\":\"ann@example.com\"}},"
	"\"statistics\":{\"first_contact_reply_at\":1000,\"first_admin_reply_at\":1100,"
	"\"last_admin_reply_at\":1200,\"last_contact_reply_at\":1500},"
	"\"tags\":{\"type\":\"tag.list\",\"tags\":[]},\"sla_applied\":null}";

/* Parses the base conversation with member key replaced by value_text (JSON), or
 * removed when value_text is NULL; the record must be kept. */
static struct conversation conversation_with(const char *key, const char *value_text)
{
	json_t *j = json_of(conversation_base);
	struct conversation c;

	if (value_text)
		assert_int_equal(json_object_set_new(j, key, json_of(value_text)), 0);
	else
		assert_int_equal(json_object_del(j, key), 0);
	assert_int_equal(intercom_parse_conversation(j, &c), 0);
	json_decref(j);
	return c;
}

static int conversation_reject(const char *key, const char *value_text)
{
	json_t *j = json_of(conversation_base);
	struct conversation c;
	int rc;

	if (value_text)
		assert_int_equal(json_object_set_new(j, key, json_of(value_text)), 0);
	else
		assert_int_equal(json_object_del(j, key), 0);
	rc = intercom_parse_conversation(j, &c);
	assert_int_equal(c.id, 0);
	assert_null(c.title);
	json_decref(j);
	return rc;
}

/*
 * Conversations from the sim
 */

static void test_sim_search_page(void **state)
{
	json_t *j = data_load("intercom-search-page.json");
	struct conversation *items;
	size_t n, skipped;
	char *next, err[200];
	long total;

	(void)state;
	assert_int_equal(
		intercom_parse_search_page(j, &items, &n, &next, &total, &skipped, err, sizeof(err)),
		0);
	assert_int_equal(n, 3);
	assert_int_equal(skipped, 0);
	assert_string_equal(err, "");
	assert_int_equal(total, 19);
	assert_string_equal(next, "fl000000000000000100000003");

	assert_int_equal(items[1].id, 2);
	assert_int_equal(items[1].state, CONV_OPEN);
	assert_false(items[1].read);
	assert_false(items[1].priority);
	assert_int_equal(items[1].created_at, 1795422951);
	assert_int_equal(items[1].updated_at, 1795429318);
	assert_int_equal(items[1].waiting_since, 1795429318);
	assert_int_equal(items[1].snoozed_until, 0);
	assert_int_equal(items[1].first_contact_reply_at, 1795422951);
	assert_int_equal(items[1].first_admin_reply_at, 1795428440);
	assert_int_equal(items[1].last_admin_reply_at, 1795428440);
	assert_int_equal(items[1].last_contact_reply_at, 1795429318);
	assert_int_equal(items[1].admin_assignee_id, 0);
	assert_int_equal(items[1].team_assignee_id, 5002);
	assert_string_equal(items[1].title, "Enforce SSO for everyone");
	assert_string_equal(items[1].customer, "Ethan Thomas");
	assert_string_equal(preview_of(&items[1]),
			    "How do we stop teammates logging in with a password? Our security "
			    "team needs this before the next audit. Any help appreciated "
			    "\xf0\x9f\x99\x8f");
	assert_int_equal(items[1].n_tags, 1);
	assert_int_equal(items[1].tag_ids[0], 7010);
	assert_int_equal(items[1].backend_sla, BACKEND_SLA_MISSED);
	assert_int_equal(items[1].unknown, 0);

	/* Not answered yet: no admin reply times, the backend's SLA still running; the
	 * entity in the body is decoded. */
	assert_int_equal(items[2].id, 4);
	assert_int_equal(items[2].first_admin_reply_at, 0);
	assert_int_equal(items[2].last_admin_reply_at, 0);
	assert_int_equal(items[2].backend_sla, BACKEND_SLA_ACTIVE);
	assert_non_null(strstr(preview_of(&items[2]), "We'd prefer annual billing."));
	assert_int_equal(items[2].unknown, 0);

	for (size_t i = 0; i < n; i++)
		conversation_release(&items[i]);
	free(items);
	free(next);
	json_decref(j);
}

static void test_sim_last_page(void **state)
{
	json_t *j = data_load("intercom-search-last-page.json");
	struct conversation *items;
	size_t n;
	char *next = (char *)"sentinel", err[200];

	(void)state;
	/* The optional outs may be NULL. */
	assert_int_equal(intercom_parse_search_page(j, &items, &n, &next, NULL, NULL, err,
						    sizeof(err)),
			 0);
	assert_null(next);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, 20);
	assert_int_equal(items[0].admin_assignee_id, 901003);
	assert_string_equal(items[0].customer, "Jacob Young");
	conversation_release(&items[0]);
	free(items);
	json_decref(j);
}

/* A page whose pages member says there is more in a form that cannot be read fails: taking
 * it for the last page would take a part of the list for the whole. Absent or null
 * members are the last page. */
static void test_search_pages_unreadable(void **state)
{
	static const char *const bad[] = {
	    "\"pages\": \"object\"",
	    "\"pages\": {\"type\": \"pages\", \"next\": \"7\"}",
	    "\"pages\": {\"type\": \"pages\", \"next\": {\"starting_after\": 7}}",
	};
	static const char *const last[] = {
	    "\"pages\": null",
	    "\"pages\": {\"type\": \"pages\", \"next\": null}",
	    "\"pages\": {\"type\": \"pages\", \"next\": {\"starting_after\": null}}",
	    "\"total_count\": 0",
	};
	struct conversation *items;
	size_t n, i;
	char *next, err[200], *text;
	json_t *j;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]) + sizeof(last) / sizeof(last[0]); i++) {
		bool is_bad = i < sizeof(bad) / sizeof(bad[0]);

		text = xasprintf("{\"type\": \"conversation.list\", \"conversations\": [], %s}",
				 is_bad ? bad[i] : last[i - sizeof(bad) / sizeof(bad[0])]);
		j = json_of(text);
		next = (char *)"sentinel";
		assert_int_equal(intercom_parse_search_page(j, &items, &n, &next, NULL, NULL, err,
							    sizeof(err)),
				 is_bad ? -1 : 0);
		assert_null(next);
		if (is_bad)
			assert_non_null(strstr(err, "next page"));
		else
			free(items);
		json_decref(j);
		free(text);
	}
}

/*
 * Conversations: edge cases
 */

static void test_conversation_base(void **state)
{
	struct conversation c = conversation_with("read", "true");

	(void)state;
	assert_int_equal(c.id, 77);
	assert_string_equal(c.title, "Printer on fire");
	assert_string_equal(preview_of(&c), "Hello");
	assert_int_equal(c.first_admin_reply_at, 1100);
	assert_int_equal(c.n_tags, 0);
	assert_null(c.tag_ids);
	assert_int_equal(c.backend_sla, BACKEND_SLA_NONE);
	assert_int_equal(c.unknown, 0);
	conversation_release(&c);
}

static void test_id_forms(void **state)
{
	struct conversation c;

	(void)state;
	c = conversation_with("id", "\"1295\"");
	assert_int_equal(c.id, 1295);
	conversation_release(&c);
	c = conversation_with("id", "1295");
	assert_int_equal(c.id, 1295);
	conversation_release(&c);
	c = conversation_with("id", "\"9223372036854775807\"");
	assert_int_equal(c.id, INT64_MAX);
	conversation_release(&c);

	assert_int_equal(conversation_reject("id", NULL), -1);
	assert_int_equal(conversation_reject("id", "null"), -1);
	assert_int_equal(conversation_reject("id", "\"\""), -1);
	assert_int_equal(conversation_reject("id", "\"0\""), -1);
	assert_int_equal(conversation_reject("id", "0"), -1);
	assert_int_equal(conversation_reject("id", "-5"), -1);
	assert_int_equal(conversation_reject("id", "\"-5\""), -1);
	assert_int_equal(conversation_reject("id", "\"+5\""), -1);
	assert_int_equal(conversation_reject("id", "\" 5\""), -1);
	assert_int_equal(conversation_reject("id", "\"5x\""), -1);
	assert_int_equal(conversation_reject("id", "\"9223372036854775808\""), -1);
	assert_int_equal(conversation_reject("id", "12.5"), -1);
	assert_int_equal(conversation_reject("id", "true"), -1);
	assert_int_equal(conversation_reject("id", "{\"id\":\"5\"}"), -1);
}

static void test_not_an_object(void **state)
{
	struct conversation c;
	json_t *array = json_of("[1, 2]");

	(void)state;
	assert_int_equal(intercom_parse_conversation(NULL, &c), -1);
	assert_int_equal(intercom_parse_conversation(array, &c), -1);
	assert_int_equal(c.id, 0);
	json_decref(array);
}

static void test_assignee_forms(void **state)
{
	static const struct {
		const char *value; /* NULL: the member is missing */
		int64_t id;
		unsigned unknown;
	} cases[] = {
		{"null", 0, 0},
		{"0", 0, 0},
		{"\"0\"", 0, 0},
		{"5001", 5001, 0},
		{"\"5001\"", 5001, 0},
		{NULL, 0, CONV_UNKNOWN_ASSIGNEE},
		{"\"nobody\"", 0, CONV_UNKNOWN_ASSIGNEE},
		{"-3", 0, CONV_UNKNOWN_ASSIGNEE},
		{"true", 0, CONV_UNKNOWN_ASSIGNEE},
		{"[5001]", 0, CONV_UNKNOWN_ASSIGNEE},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct conversation a = conversation_with("admin_assignee_id", cases[i].value);
		struct conversation t = conversation_with("team_assignee_id", cases[i].value);

		assert_int_equal(a.admin_assignee_id, cases[i].id);
		assert_int_equal(a.unknown, cases[i].unknown);
		assert_int_equal(t.team_assignee_id, cases[i].id);
		assert_int_equal(t.unknown, cases[i].unknown ? CONV_UNKNOWN_TEAM : 0);
		conversation_release(&a);
		conversation_release(&t);
	}
}

/* A statistics object that cannot be read: neither time the clock needs can be told. */
#define STATISTICS_UNKNOWN                                                             \
	(CONV_UNKNOWN_STATISTICS | CONV_UNKNOWN_FIRST_ADMIN_REPLY |                             \
	 CONV_UNKNOWN_FIRST_CONTACT_REPLY)

static void test_statistics_forms(void **state)
{
	struct conversation c;

	(void)state;
	c = conversation_with("statistics", NULL);
	assert_int_equal(c.unknown, STATISTICS_UNKNOWN);
	assert_int_equal(c.first_admin_reply_at, 0);
	assert_int_equal(c.id, 77);
	conversation_release(&c);

	c = conversation_with("statistics", "null");
	assert_int_equal(c.unknown, STATISTICS_UNKNOWN);
	conversation_release(&c);

	c = conversation_with("statistics", "\"soon\"");
	assert_int_equal(c.unknown, STATISTICS_UNKNOWN);
	conversation_release(&c);

	/* Present but empty: nothing has happened yet, nothing is unknown. */
	c = conversation_with("statistics", "{\"type\":\"conversation_statistics\"}");
	assert_int_equal(c.unknown, 0);
	assert_int_equal(c.first_contact_reply_at, 0);
	conversation_release(&c);

	/* One bad time: flagged, the good ones kept. */
	c = conversation_with("statistics", "{\"first_contact_reply_at\":1000,"
					    "\"first_admin_reply_at\":\"1100\","
					    "\"last_contact_reply_at\":null}");
	assert_int_equal(c.unknown, CONV_UNKNOWN_STATISTICS | CONV_UNKNOWN_FIRST_ADMIN_REPLY);
	assert_int_equal(c.first_contact_reply_at, 1000);
	assert_int_equal(c.first_admin_reply_at, 0);
	assert_int_equal(c.last_contact_reply_at, 0);
	conversation_release(&c);
}

static void test_wrong_types_keep_record(void **state)
{
	json_t *j = json_of(conversation_base);
	struct conversation c;

	(void)state;
	assert_int_equal(json_object_set_new(j, "created_at", json_string("yesterday")), 0);
	assert_int_equal(json_object_set_new(j, "updated_at", json_null()), 0);
	assert_int_equal(json_object_del(j, "waiting_since"), 0);
	assert_int_equal(json_object_set_new(j, "state", json_integer(7)), 0);
	assert_int_equal(json_object_del(j, "open"), 0);
	assert_int_equal(json_object_set_new(j, "source", json_string("email")), 0);
	assert_int_equal(json_object_set_new(j, "snoozed_until", json_real(3.5)), 0);
	assert_int_equal(json_object_set_new(j, "title", json_integer(3)), 0);
	assert_int_equal(json_object_set_new(j, "tags", json_string("vip")), 0);
	assert_int_equal(json_object_set_new(j, "sla_applied", json_string("missed")), 0);
	assert_int_equal(json_object_set_new(j, "unexpected", json_string("ignored")), 0);

	assert_int_equal(intercom_parse_conversation(j, &c), 0);
	assert_int_equal(c.id, 77);
	assert_int_equal(c.unknown, CONV_UNKNOWN_CREATED | CONV_UNKNOWN_UPDATED |
					    CONV_UNKNOWN_WAITING | CONV_UNKNOWN_STATE |
					    CONV_UNKNOWN_CUSTOMER);
	assert_int_equal(c.created_at, 0);
	assert_int_equal(c.updated_at, 0);
	assert_int_equal(c.waiting_since, 0);
	assert_int_equal(c.snoozed_until, 0);
	assert_int_equal(c.state, CONV_OPEN);
	assert_null(c.title);
	assert_null(c.customer);
	assert_null(preview_of(&c));
	assert_int_equal(c.n_tags, 0);
	assert_int_equal(c.backend_sla, BACKEND_SLA_NONE);
	/* What was fine is still read. */
	assert_true(c.read);
	assert_int_equal(c.team_assignee_id, 5001);
	assert_int_equal(c.last_admin_reply_at, 1200);
	conversation_release(&c);
	json_decref(j);
}

static void test_waiting_since_null(void **state)
{
	struct conversation c = conversation_with("waiting_since", "null");

	(void)state;
	assert_int_equal(c.waiting_since, 0);
	assert_int_equal(c.unknown, 0);
	conversation_release(&c);
}

static void test_state_forms(void **state)
{
	json_t *j = json_of(conversation_base);
	struct conversation c;

	(void)state;
	c = conversation_with("state", "\"snoozed\"");
	assert_int_equal(c.state, CONV_SNOOZED);
	conversation_release(&c);
	c = conversation_with("state", "\"closed\"");
	assert_int_equal(c.state, CONV_CLOSED);
	conversation_release(&c);

	/* Without a usable state the boolean open decides. */
	assert_int_equal(json_object_set_new(j, "state", json_string("archived")), 0);
	assert_int_equal(json_object_set_new(j, "open", json_false()), 0);
	assert_int_equal(intercom_parse_conversation(j, &c), 0);
	assert_int_equal(c.state, CONV_CLOSED);
	assert_int_equal(c.unknown, 0);
	conversation_release(&c);

	assert_int_equal(json_object_set_new(j, "open", json_true()), 0);
	assert_int_equal(json_object_set_new(j, "snoozed_until", json_integer(9000)), 0);
	assert_int_equal(intercom_parse_conversation(j, &c), 0);
	assert_int_equal(c.state, CONV_SNOOZED);
	assert_int_equal(c.snoozed_until, 9000);
	conversation_release(&c);

	assert_int_equal(json_object_del(j, "open"), 0);
	assert_int_equal(intercom_parse_conversation(j, &c), 0);
	assert_int_equal(c.state, CONV_OPEN);
	assert_int_equal(c.unknown, CONV_UNKNOWN_STATE);
	conversation_release(&c);
	json_decref(j);
}

/*
 * The clock on recorded answers: a sim search page with --partial-every 3 (ids 1 and 4
 * lack statistics and waiting_since, 3 and 6 carry statistics null), and copies edited
 * one member at a time (ids 7 to 12). Conversations 1 to 3 were created 30 days before
 * their customer's last message; 2 and 3 had an admin reply.
 */

struct partial_page {
	struct conversation *items;
	size_t n;
	fl_time waiting; /* when the customers of the page started waiting */
};

static void partial_page_load(struct partial_page *p)
{
	json_t *j = data_load("intercom-search-partial.json");
	char *cursor = NULL;
	long total;
	size_t skipped;

	assert_int_equal(intercom_parse_search_page(j, &p->items, &p->n, &cursor, &total, &skipped,
						    NULL, 0),
			 0);
	assert_int_equal(p->n, 12);
	assert_null(cursor);
	p->waiting = p->items[1].waiting_since;
	assert_true(p->waiting > 0);
	json_decref(j);
}

static void partial_page_release(struct partial_page *p)
{
	for (size_t i = 0; i < p->n; i++)
		conversation_release(&p->items[i]);
	free(p->items);
}

static const struct conversation *partial_get(const struct partial_page *p, int64_t id)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->items[i].id == id)
			return &p->items[i];
	fail_msg("no conversation %lld in the page", (long long)id);
	return NULL;
}

static void test_clock_on_partial_records(void **state)
{
	static const struct {
		int64_t id;
		enum sla_state state;
		enum sla_kind kind;
		const char *why;
	} cases[] = {
		{1, SLA_UNKNOWN, SLA_KIND_NONE, "waiting_since and statistics missing"},
		{2, SLA_OK, SLA_KIND_NEXT, "whole: an admin replied, next response"},
		{3, SLA_UNKNOWN, SLA_KIND_NONE, "statistics null: first or next cannot be told"},
		{4, SLA_UNKNOWN, SLA_KIND_NONE, "waiting_since and statistics missing"},
		{5, SLA_OK, SLA_KIND_FIRST, "whole: no admin reply, first response"},
		{6, SLA_UNKNOWN, SLA_KIND_NONE, "statistics null"},
		{7, SLA_UNKNOWN, SLA_KIND_NONE, "first_admin_reply_at of the wrong type"},
		{8, SLA_UNKNOWN, SLA_KIND_NONE, "no state and no open"},
		{9, SLA_PAUSED, SLA_KIND_FIRST, "snoozed"},
		{10, SLA_OK, SLA_KIND_FIRST, "statistics without times: none yet"},
		{11, SLA_NONE, SLA_KIND_NONE, "waiting_since null: nobody waits"},
		{12, SLA_NONE, SLA_KIND_NONE, "closed"},
	};
	struct partial_page page;
	struct sla_policy policy;
	struct sla_memory memory;
	struct sla_clock clock;

	(void)state;
	partial_page_load(&page);
	sla_policy_default(&policy, true);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct conversation *c = partial_get(&page, cases[i].id);

		/* Ten seconds into a 2-minute clock; a day later the known ones breach. */
		sla_evaluate(&policy, c, 0, page.waiting + 10, &clock);
		if (clock.state != cases[i].state || clock.kind != cases[i].kind)
			fail_msg("#%lld (%s): state %d kind %d, expected %d %d",
				 (long long)cases[i].id, cases[i].why, clock.state, clock.kind,
				 cases[i].state, cases[i].kind);
		if (clock.kind != SLA_KIND_NONE)
			assert_int_equal(clock.started, page.waiting);
		sla_evaluate(&policy, c, 0, page.waiting + 86400, &clock);
		memset(&memory, 0, sizeof(memory));
		if (cases[i].state == SLA_UNKNOWN) {
			/* Never a breach, a warning, a deadline or an event. */
			assert_int_equal(clock.state, SLA_UNKNOWN);
			assert_int_equal(clock.deadline, 0);
			assert_int_equal(sla_track(&memory, &clock), SLA_EVENT_NONE);
		} else if (cases[i].state == SLA_OK) {
			assert_int_equal(clock.state, SLA_BREACHED);
			assert_int_equal(sla_track(&memory, &clock), SLA_EVENT_BREACHED);
		}
	}
	partial_page_release(&page);
}

/* Conversation 3's created_at is 30 days old: counting from it would breach at once. */
static void test_clock_never_from_created_at(void **state)
{
	struct partial_page page;
	struct sla_policy policy;
	struct sla_clock clock;
	struct conversation c;

	(void)state;
	partial_page_load(&page);
	sla_policy_default(&policy, false);
	conversation_copy(&c, partial_get(&page, 3));
	assert_true(c.created_at < page.waiting - 86400);
	assert_true(c.unknown & CONV_UNKNOWN_STATISTICS);
	sla_evaluate(&policy, &c, 0, page.waiting + 1, &clock);
	assert_int_equal(clock.state, SLA_UNKNOWN);
	/* Statistics that say only that no admin replied, without first_contact_reply_at:
	 * the clock counts from waiting_since, still not from created_at. */
	c.unknown = 0;
	c.first_admin_reply_at = 0;
	c.first_contact_reply_at = 0;
	sla_evaluate(&policy, &c, 0, page.waiting + 1, &clock);
	assert_int_equal(clock.kind, SLA_KIND_FIRST);
	assert_int_equal(clock.started, page.waiting);
	assert_int_equal(clock.state, SLA_OK);
	conversation_release(&c);
	partial_page_release(&page);
}

/* What a whole record told stays known when a later one has statistics null: an admin's
 * first reply never un-happens. */
static void test_store_keeps_known_first_reply(void **state)
{
	struct partial_page page;
	struct sla_policy policies[1];
	struct conversation later;
	const struct store_entry *e;
	struct store *s;

	(void)state;
	partial_page_load(&page);
	sla_policy_default(&policies[0], true);
	s = store_new(policies, 1);
	store_set_team_queue(s, partial_get(&page, 2)->team_assignee_id, 0);
	assert_int_equal(store_upsert(s, partial_get(&page, 2), page.waiting), STORE_ADDED);
	/* The same conversation as search gave #3: statistics null, and newer. */
	conversation_copy(&later, partial_get(&page, 3));
	later.id = 2;
	later.updated_at = partial_get(&page, 2)->updated_at + 1;
	assert_int_equal(store_upsert(s, &later, page.waiting + 5), STORE_UPDATED);
	e = store_get(s, 2);
	assert_non_null(e);
	assert_int_equal(e->clock.kind, SLA_KIND_NEXT);
	assert_int_equal(e->clock.state, SLA_OK);
	/* Not so a conversation the store never saw whole. */
	later.id = 3;
	assert_int_equal(store_upsert(s, &later, page.waiting + 5), STORE_ADDED);
	assert_int_equal(store_get(s, 3)->clock.state, SLA_UNKNOWN);
	conversation_release(&later);
	store_free(s);
	partial_page_release(&page);
}

static void test_partial_page_priority_and_sla(void **state)
{
	struct partial_page page;
	const struct conversation *c;

	(void)state;
	partial_page_load(&page);
	c = partial_get(&page, 5);
	assert_int_equal(c->priority, PRIORITY_URGENT);
	assert_int_equal(c->backend_sla, BACKEND_SLA_ACTIVE);
	assert_string_equal(c->sla_name, "VIP 5m");
	c = partial_get(&page, 6);
	assert_int_equal(c->priority, PRIORITY_HIGH);
	assert_null(c->sla_name);
	assert_int_equal(c->backend_sla, BACKEND_SLA_NONE);
	c = partial_get(&page, 4);
	assert_string_equal(c->sla_name, "Real-time 2m");
	assert_int_equal(c->priority, PRIORITY_NONE);
	partial_page_release(&page);
}

static void test_priority_forms(void **state)
{
	static const struct {
		const char *value;
		enum conv_priority priority;
	} cases[] = {
		{NULL, PRIORITY_NONE},
		{"\"none\"", PRIORITY_NONE},
		{"\"not_priority\"", PRIORITY_NONE},
		{"null", PRIORITY_NONE},
		{"false", PRIORITY_NONE},
		{"\"severe\"", PRIORITY_NONE},
		{"\"priority\"", PRIORITY_HIGH},
		{"true", PRIORITY_HIGH},
		{"\"low\"", PRIORITY_LOW},
		{"\"medium\"", PRIORITY_MEDIUM},
		{"\"high\"", PRIORITY_HIGH},
		{"\"urgent\"", PRIORITY_URGENT},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct conversation c = conversation_with("priority", cases[i].value);

		assert_int_equal(c.priority, cases[i].priority);
		conversation_release(&c);
	}
}

static void test_sla_forms(void **state)
{
	static const struct {
		const char *value;
		enum backend_sla sla;
	} cases[] = {
		{"{\"sla_status\":\"hit\"}", BACKEND_SLA_HIT},
		{"{\"sla_status\":\"missed\"}", BACKEND_SLA_MISSED},
		{"{\"sla_status\":\"active\"}", BACKEND_SLA_ACTIVE},
		{"{\"sla_status\":\"cancelled\"}", BACKEND_SLA_CANCELLED},
		/* The description: null once the SLA was removed by hand. */
		{"{\"sla_status\":null}", BACKEND_SLA_CANCELLED},
		{"{\"sla_name\":\"VIP\"}", BACKEND_SLA_CANCELLED},
		{"{\"sla_status\":\"paused\"}", BACKEND_SLA_NONE},
		{"null", BACKEND_SLA_NONE},
		{NULL, BACKEND_SLA_NONE},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct conversation c = conversation_with("sla_applied", cases[i].value);

		assert_int_equal(c.backend_sla, cases[i].sla);
		conversation_release(&c);
	}
}

static void test_customer_forms(void **state)
{
	struct conversation c;

	(void)state;
	c = conversation_with("source", "{\"body\":\"hi\",\"author\":{\"name\":null,"
					"\"email\":\"bob@example.com\"}}");
	assert_string_equal(c.customer, "bob@example.com");
	assert_int_equal(c.unknown, 0);
	conversation_release(&c);

	c = conversation_with("source", "{\"body\":\"hi\",\"author\":{\"name\":\"\","
					"\"email\":\"bob@example.com\"}}");
	assert_string_equal(c.customer, "bob@example.com");
	conversation_release(&c);

	c = conversation_with("source", "{\"body\":\"hi\",\"author\":{\"type\":\"lead\"}}");
	assert_null(c.customer);
	assert_string_equal(preview_of(&c), "hi");
	assert_int_equal(c.unknown, CONV_UNKNOWN_CUSTOMER);
	conversation_release(&c);
}

static void test_tag_forms(void **state)
{
	struct conversation c;

	(void)state;
	c = conversation_with("tags", "{\"type\":\"tag.list\",\"tags\":[{\"id\":\"7001\"},"
				      "{\"id\":7002},{\"id\":\"vip\"},{\"name\":\"x\"},\"7003\","
				      "{\"id\":\"7004\",\"name\":\"vip\"}]}");
	assert_int_equal(c.n_tags, 3);
	assert_int_equal(c.tag_ids[0], 7001);
	assert_int_equal(c.tag_ids[1], 7002);
	assert_int_equal(c.tag_ids[2], 7004);
	conversation_release(&c);
}

/* Customer text is hostile; it must reach the screen layer unchanged, which sanitises. */
static void test_preview_hostile_text(void **state)
{
	struct conversation c;

	(void)state;
	c = conversation_with("source",
			      "{\"author\":{\"name\":\"\\u001b]0;pwned\\u0007Eve\\u202e\"},"
			      "\"body\":\"<p>\\u001b[31mred\\u001b[0m \\u0007bell"
			      " \\u202eRTL\\u202c \\ud83d\\ude00 e\\u0301 \\u009b2J"
			      " &lt;script&gt; \\u0001\\u001f\\u007f</p>\"}");
	assert_string_equal(c.customer, "\x1b]0;pwned\aEve\xe2\x80\xae");
	assert_string_equal(preview_of(&c), "\x1b[31mred\x1b[0m \abell \xe2\x80\xaeRTL\xe2\x80\xac "
				       "\xf0\x9f\x98\x80 e\xcc\x81 \xc2\x9b"
				       "2J <script> \x01\x1f\x7f");
	conversation_release(&c);
}

static void test_preview_collapse_and_cut(void **state)
{
	struct conversation c;
	json_t *j = json_of(conversation_base);
	json_t *source = json_object_get(j, "source");
	char body[400];

	(void)state;
	c = conversation_with("source", "{\"body\":\"<p>one\\n\\n  two</p><ul><li>three</li>"
					"</ul>\\t four<br><br>five\"}");
	assert_string_equal(preview_of(&c), "one two - three four five");
	conversation_release(&c);

	c = conversation_with("source", "{\"body\":\"<p> </p><br>\"}");
	assert_null(preview_of(&c));
	conversation_release(&c);

	/* 150 two-byte characters: the cut falls inside one and must back off to its start. */
	strcpy(body, "<p>");
	for (int i = 0; i < 150; i++)
		strcat(body, "\xc3\xa9");
	strcat(body, "</p>");
	assert_int_equal(json_object_set_new(source, "body", json_string(body)), 0);
	assert_int_equal(intercom_parse_conversation(j, &c), 0);
	assert_true(strlen(preview_of(&c)) <= MODEL_PREVIEW_MAX);
	assert_int_equal(strlen(preview_of(&c)), 196 + 3);
	for (size_t i = 0; i < 196; i += 2)
		assert_memory_equal(preview_of(&c) + i, "\xc3\xa9", 2);
	assert_string_equal(preview_of(&c) + 196, "\xe2\x80\xa6");
	conversation_release(&c);
	json_decref(j);
}

/*
 * Search pages
 */

static void test_page_skips_records_without_id(void **state)
{
	json_t *j = json_of("{\"type\":\"conversation.list\",\"total_count\":4,\"conversations\":["
			    "{\"id\":\"1\",\"state\":\"open\"},{\"state\":\"open\"},\"2\","
			    "{\"id\":3,\"state\":\"closed\"}],"
			    "\"pages\":{\"type\":\"pages\",\"next\":null}}");
	struct conversation *items;
	size_t n, skipped;
	char *next, err[200];
	long total;

	(void)state;
	assert_int_equal(
		intercom_parse_search_page(j, &items, &n, &next, &total, &skipped, err, sizeof(err)),
		0);
	assert_int_equal(n, 2);
	assert_int_equal(skipped, 2);
	assert_int_equal(total, 4);
	assert_null(next);
	assert_string_equal(err, "2 of 4 conversations skipped: conversations[1].id: expected a "
				 "string or number, got nothing");
	assert_int_equal(items[0].id, 1);
	assert_int_equal(items[1].id, 3);
	assert_int_equal(items[1].state, CONV_CLOSED);
	for (size_t i = 0; i < n; i++)
		conversation_release(&items[i]);
	free(items);
	json_decref(j);
}

static void test_page_empty(void **state)
{
	json_t *j = json_of("{\"type\":\"conversation.list\",\"conversations\":[]}");
	struct conversation *items;
	size_t n, skipped;
	char *next;
	long total;

	(void)state;
	assert_int_equal(
		intercom_parse_search_page(j, &items, &n, &next, &total, &skipped, NULL, 0), 0);
	assert_int_equal(n, 0);
	assert_null(items);
	assert_null(next);
	assert_int_equal(total, -1);
	json_decref(j);
}

static void page_reject(json_t *j, const char *message)
{
	struct conversation *items = (struct conversation *)&items;
	size_t n = 9;
	char *next = (char *)"x", err[200];
	long total = 9;

	assert_int_equal(
		intercom_parse_search_page(j, &items, &n, &next, &total, NULL, err, sizeof(err)),
		-1);
	assert_null(items);
	assert_int_equal(n, 0);
	assert_null(next);
	assert_string_equal(err, message);
}

static void test_page_not_a_conversation_list(void **state)
{
	json_t *not_found = data_load("intercom-error-not-found.json");
	json_t *invalid = data_load("intercom-error-invalid.json");
	json_t *admin = data_load("intercom-me.json");
	json_t *array = json_of("[]");
	json_t *no_list = json_of("{\"type\":\"conversation.list\",\"conversations\":{}}");
	json_t *untyped = json_of("{\"conversations\":[]}");

	(void)state;
	page_reject(not_found, "the server answered with an error: not_found: Conversation "
			       "99999 not found");
	page_reject(invalid, "the server answered with an error: parameter_invalid: unknown "
			     "search field 'nope'");
	page_reject(admin, "expected a conversation.list, got type \"admin\"");
	page_reject(array, "expected a conversation.list, got a JSON array");
	page_reject(NULL, "expected a conversation.list, got a JSON value that is not an object");
	page_reject(no_list, "conversations: expected an array, got an object");
	page_reject(untyped, "expected a conversation.list, got an object without its members");
	json_decref(not_found);
	json_decref(invalid);
	json_decref(admin);
	json_decref(array);
	json_decref(no_list);
	json_decref(untyped);
}

/*
 * Search requests
 */

/* The description's quirk: a group holds filters or groups, never both. */
static void assert_query_levels_pure(const json_t *q)
{
	size_t i, filters = 0, groups = 0;
	json_t *v;

	if (json_object_get(q, "field"))
		return;
	assert_true(json_is_array(json_object_get(q, "value")));
	assert_true(json_array_size(json_object_get(q, "value")) > 0);
	json_array_foreach(json_object_get(q, "value"), i, v) {
		if (json_object_get(v, "field")) {
			filters++;
		} else {
			groups++;
			assert_query_levels_pure(v);
		}
	}
	assert_false(filters && groups);
}

/* Office hours: week minutes in the schedule's zone; unusable schedules say why. */
static void test_office_hours(void **state)
{
	json_t *j = data_load("intercom-office-hours.json");
	json_t *exceptions = json_of(
	    "{\"type\": \"office_hours_exception.list\", \"data\": ["
	    "{\"type\": \"office_hours_exception\", \"id\": \"456\", \"office_hours_schedule_id\": \"123\","
	    " \"exception_date\": \"2026-12-25\", \"exception_type\": \"closed\", \"name\": \"Christmas Day\","
	    " \"time_intervals\": null, \"recurring_annually\": true},"
	    "{\"type\": \"office_hours_exception\", \"id\": \"457\", \"office_hours_schedule_id\": \"123\","
	    " \"exception_date\": \"2026-12-24\", \"exception_type\": \"custom_hours\", \"name\": null,"
	    " \"time_intervals\": [{\"start_minute\": 540, \"end_minute\": 780, \"day_of_week\": 3}],"
	    " \"recurring_annually\": false}]}");
	json_t *odd = json_of("{\"type\": \"office_hours_exception.list\", \"data\": ["
			      "{\"exception_date\": \"2026-12-24\", \"exception_type\": \"half_day\"}]}");
	struct sla_schedule *s = NULL;
	char err[256];
	size_t n = 0;

	(void)state;
	assert_int_equal(intercom_parse_schedules(j, &s, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 4); /* the one without an id is left out */
	assert_int_equal(s[0].id, 123);
	assert_string_equal(s[0].name, "Standard Support Hours");
	assert_string_equal(s[0].problem, "");
	assert_true(s[0].hours.enabled);
	assert_string_equal(s[0].hours.tz, "America/New_York");
	assert_int_equal(s[0].hours.n_week, 2);
	assert_int_equal(s[0].hours.week[0].start, 540); /* sorted */
	assert_int_equal(s[0].hours.week[1].end, 2460);
	/* twenty_four_seven: the whole week, whatever the intervals say */
	assert_int_equal(s[1].hours.n_week, 1);
	assert_int_equal(s[1].hours.week[0].end, SLA_WEEK_MINUTES);
	assert_non_null(strstr(s[2].problem, "Mars/Olympus"));
	assert_non_null(strstr(s[3].problem, "1020-540"));
	assert_int_equal(intercom_parse_exceptions(exceptions, &s[0], err, sizeof(err)), 0);
	assert_string_equal(s[0].problem, "");
	assert_int_equal(s[0].hours.n_exceptions, 2);
	assert_true(s[0].hours.exceptions[0].recurring);
	assert_int_equal(s[0].hours.exceptions[0].n_ranges, 0);
	assert_int_equal(s[0].hours.exceptions[1].day, 24);
	assert_int_equal(s[0].hours.exceptions[1].ranges[0].end, 780);
	assert_int_equal(intercom_parse_exceptions(odd, &s[1], err, sizeof(err)), 0);
	assert_non_null(strstr(s[1].problem, "unknown type"));
	/* Not such a list at all */
	json_decref(odd);
	odd = json_of("{\"type\": \"team.list\", \"teams\": []}");
	assert_int_equal(intercom_parse_exceptions(odd, &s[1], err, sizeof(err)), -1);
	free(s);
	assert_int_equal(intercom_parse_schedules(odd, &s, &n, err, sizeof(err)), -1);
	assert_null(s);
	assert_non_null(strstr(err, "office_hours_schedule.list"));
	json_decref(j);
	json_decref(exceptions);
	json_decref(odd);
}

static const struct conversation *held_one(void *arg, int64_t id)
{
	const struct conversation *h = arg;

	return id == h->id ? h : NULL;
}

/* Parses the sim's page with conversation 2 held as given; returns how many records were
 * built, and sets *n_held. */
static size_t built_with_held(json_t *j, const struct conversation *held, size_t *n_held)
{
	struct conversation *items;
	size_t n, i;
	char err[200];

	assert_int_equal(intercom_parse_search_changes(j, held_one, (void *)held, n_held, &items,
						       &n, NULL, NULL, NULL, err, sizeof(err)),
			 0);
	assert_string_equal(err, "");
	for (i = 0; i < n; i++)
		conversation_release(&items[i]);
	free(items);
	return n;
}

/* An incremental poll's window reads records again: one the client holds already is left
 * out unbuilt, unless it says something new. */
static void test_search_changes_skip_held(void **state)
{
	json_t *j = data_load("intercom-search-page.json");
	struct conversation *items, held;
	size_t n, n_held;
	char err[200];

	(void)state;
	assert_int_equal(intercom_parse_search_page(j, &items, &n, NULL, NULL, NULL, err, sizeof(err)),
			 0);
	assert_int_equal(items[1].id, 2);
	conversation_copy(&held, &items[1]);
	for (size_t i = 0; i < n; i++)
		conversation_release(&items[i]);
	free(items);

	assert_int_equal(built_with_held(j, &held, &n_held), 2); /* the same record */
	assert_int_equal(n_held, 1);
	held.updated_at++; /* a newer one is held */
	assert_int_equal(built_with_held(j, &held, &n_held), 2);
	assert_int_equal(n_held, 1);
	held.updated_at -= 2; /* an older one is held */
	assert_int_equal(built_with_held(j, &held, &n_held), 3);
	assert_int_equal(n_held, 0);
	held.updated_at++;
	/* The same second, another state: the second change of that second. */
	held.state = CONV_CLOSED;
	assert_int_equal(built_with_held(j, &held, &n_held), 3);
	held.state = CONV_OPEN;
	held.admin_assignee_id = 901001;
	assert_int_equal(built_with_held(j, &held, &n_held), 3);
	held.admin_assignee_id = 0;
	held.n_tags = 0; /* a tag came in the same second */
	assert_int_equal(built_with_held(j, &held, &n_held), 3);
	held.n_tags = 1;
	assert_int_equal(built_with_held(j, &held, &n_held), 2);
	/* Without a held callback, everything is built. */
	assert_int_equal(intercom_parse_search_changes(j, NULL, NULL, &n_held, &items, &n, NULL, NULL,
						       NULL, err, sizeof(err)),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(n_held, 0);
	for (size_t i = 0; i < n; i++)
		conversation_release(&items[i]);
	free(items);
	conversation_release(&held);
	json_decref(j);
}

static void test_search_request_full(void **state)
{
	const int64_t teams[] = {5001, 5002};
	json_t *body = intercom_search_request(0, teams, 2, true, NULL, 150);

	(void)state;
	assert_json_equal(body, "{\"query\":{\"operator\":\"AND\",\"value\":["
				"{\"field\":\"open\",\"operator\":\"=\",\"value\":true},"
				"{\"field\":\"team_assignee_id\",\"operator\":\"IN\","
				"\"value\":[5001,5002]}]},"
				"\"pagination\":{\"per_page\":150}}");
	assert_query_levels_pure(json_object_get(body, "query"));
	json_decref(body);

	body = intercom_search_request(0, teams, 2, true, "fl000000000000000100000003", 150);
	assert_json_equal(body, "{\"query\":{\"operator\":\"AND\",\"value\":["
				"{\"field\":\"open\",\"operator\":\"=\",\"value\":true},"
				"{\"field\":\"team_assignee_id\",\"operator\":\"IN\","
				"\"value\":[5001,5002]}]},"
				"\"pagination\":{\"per_page\":150,"
				"\"starting_after\":\"fl000000000000000100000003\"}}");
	json_decref(body);
}

static void test_search_request_incremental(void **state)
{
	const int64_t teams[] = {5001};
	json_t *body = intercom_search_request(1795431800, teams, 1, false, NULL, 150);

	(void)state;
	/* No state filter: closures and snoozes must arrive; and beside the team's changes,
	 * whatever was assigned since to another team (a move out of the team). */
	assert_json_equal(body, "{\"query\":{\"operator\":\"OR\",\"value\":["
				"{\"operator\":\"AND\",\"value\":["
				"{\"field\":\"updated_at\",\"operator\":\">\","
				"\"value\":1795431800},"
				"{\"field\":\"team_assignee_id\",\"operator\":\"IN\","
				"\"value\":[5001]}]},"
				"{\"operator\":\"AND\",\"value\":["
				"{\"field\":\"statistics.last_assignment_at\",\"operator\":\">\","
				"\"value\":1795431800},"
				"{\"field\":\"team_assignee_id\",\"operator\":\"NIN\","
				"\"value\":[5001]}]}]},"
				"\"pagination\":{\"per_page\":150}}");
	assert_query_levels_pure(json_object_get(body, "query"));
	json_decref(body);
}

/* With the agent's id: the agent's conversations of any team too, in groups beside the
 * teams' (a level never mixes filters and groups); one unassigned arrives by its
 * assignment. */
static void test_search_request_mine(void **state)
{
	const int64_t teams[] = {5001};
	json_t *body = intercom_search_request_mine(0, teams, 1, 77, true, NULL, 150);

	(void)state;
	assert_json_equal(body, "{\"query\":{\"operator\":\"OR\",\"value\":["
				"{\"operator\":\"AND\",\"value\":["
				"{\"field\":\"open\",\"operator\":\"=\",\"value\":true},"
				"{\"field\":\"team_assignee_id\",\"operator\":\"IN\","
				"\"value\":[5001]}]},"
				"{\"operator\":\"AND\",\"value\":["
				"{\"field\":\"open\",\"operator\":\"=\",\"value\":true},"
				"{\"field\":\"admin_assignee_id\",\"operator\":\"=\","
				"\"value\":77}]}]},"
				"\"pagination\":{\"per_page\":150}}");
	assert_query_levels_pure(json_object_get(body, "query"));
	json_decref(body);

	body = intercom_search_request_mine(1795431800, teams, 1, 77, false, NULL, 150);
	assert_json_equal(body, "{\"query\":{\"operator\":\"OR\",\"value\":["
				"{\"operator\":\"AND\",\"value\":["
				"{\"field\":\"updated_at\",\"operator\":\">\","
				"\"value\":1795431800},"
				"{\"field\":\"team_assignee_id\",\"operator\":\"IN\","
				"\"value\":[5001]}]},"
				"{\"operator\":\"AND\",\"value\":["
				"{\"field\":\"updated_at\",\"operator\":\">\","
				"\"value\":1795431800},"
				"{\"field\":\"admin_assignee_id\",\"operator\":\"=\","
				"\"value\":77}]},"
				"{\"operator\":\"AND\",\"value\":["
				"{\"field\":\"statistics.last_assignment_at\",\"operator\":\">\","
				"\"value\":1795431800},"
				"{\"field\":\"team_assignee_id\",\"operator\":\"NIN\","
				"\"value\":[5001]}]}]},"
				"\"pagination\":{\"per_page\":150}}");
	assert_query_levels_pure(json_object_get(body, "query"));
	json_decref(body);

	/* No team at all: the agent's alone. */
	body = intercom_search_request_mine(0, NULL, 0, 77, true, NULL, 150);
	assert_json_equal(body, "{\"query\":{\"operator\":\"AND\",\"value\":["
				"{\"field\":\"open\",\"operator\":\"=\",\"value\":true},"
				"{\"field\":\"admin_assignee_id\",\"operator\":\"=\","
				"\"value\":77}]},"
				"\"pagination\":{\"per_page\":150}}");
	json_decref(body);
	body = intercom_search_request_mine(1795431800, NULL, 0, 77, false, NULL, 150);
	assert_query_levels_pure(json_object_get(body, "query"));
	assert_int_equal(json_array_size(json_object_get(json_object_get(body, "query"), "value")),
			 2);
	json_decref(body);
}

static void test_search_request_limits(void **state)
{
	const int64_t teams[] = {5001};
	json_t *body;

	(void)state;
	body = intercom_search_request(0, teams, 1, true, NULL, 500);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(body, "pagination"),
							    "per_page")),
			 150);
	json_decref(body);
	body = intercom_search_request(0, teams, 1, true, NULL, 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(body, "pagination"),
							    "per_page")),
			 150);
	json_decref(body);
	body = intercom_search_request(0, teams, 1, true, NULL, 20);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(body, "pagination"),
							    "per_page")),
			 20);
	json_decref(body);

	/* One filter is the query itself, not a group of one. */
	body = intercom_search_request(500, NULL, 0, false, NULL, 10);
	assert_json_equal(body, "{\"query\":{\"field\":\"updated_at\",\"operator\":\">\","
				"\"value\":500},\"pagination\":{\"per_page\":10}}");
	json_decref(body);

	assert_null(intercom_search_request(0, NULL, 0, false, NULL, 150));
	assert_null(intercom_search_request(0, teams, 1, true, "\xff\xfe", 150));
}

/*
 * Request bodies for writes
 */

static void test_text_to_html(void **state)
{
	(void)state;
	assert_text(intercom_text_to_html("a & b <c> d"), "<p>a &amp; b &lt;c&gt; d</p>");
	assert_text(intercom_text_to_html("one\ntwo\r\nthree\rfour\n\nfive"),
		    "<p>one<br>two<br>three<br>four<br><br>five</p>");
	assert_text(intercom_text_to_html("&lt; is already escaped"),
		    "<p>&amp;lt; is already escaped</p>");
	assert_text(intercom_text_to_html(""), "<p></p>");
}

/* What the agent typed comes back unchanged from Intercom's HTML. */
static void test_text_to_html_round_trip(void **state)
{
	static const char typed[] = "Hi Ann,\nuse <b> & \"quotes\" > 'x' &amp; co.\n\n"
				    "- step one\n- step two\n\nThanks \xf0\x9f\x98\x80\nBob";
	char *html = intercom_text_to_html(typed);

	(void)state;
	assert_text(html_to_text(html), typed);
	free(html);
}

static void test_reply_request(void **state)
{
	json_t *body;

	(void)state;
	body = intercom_reply_request(INTERCOM_REPLY_COMMENT, 901001, "5 < 6 & 7 > 3\nbye");
	assert_json_equal(body, "{\"message_type\":\"comment\",\"type\":\"admin\","
				"\"admin_id\":\"901001\","
				"\"body\":\"<p>5 &lt; 6 &amp; 7 &gt; 3<br>bye</p>\"}");
	json_decref(body);
	body = intercom_reply_request(INTERCOM_REPLY_NOTE, 901001, "internal");
	assert_json_equal(body, "{\"message_type\":\"note\",\"type\":\"admin\","
				"\"admin_id\":\"901001\",\"body\":\"<p>internal</p>\"}");
	json_decref(body);

	assert_null(intercom_reply_request(INTERCOM_REPLY_COMMENT, 901001, ""));
	assert_null(intercom_reply_request(INTERCOM_REPLY_COMMENT, 901001, NULL));
	assert_null(intercom_reply_request(INTERCOM_REPLY_COMMENT, 901001, "bad \xc3("));
	assert_null(intercom_reply_request(INTERCOM_REPLY_COMMENT, 0, "hi"));
}

static void test_write_requests(void **state)
{
	json_t *body;

	(void)state;
	body = intercom_close_request(901001);
	assert_json_equal(body, "{\"message_type\":\"close\",\"type\":\"admin\","
				"\"admin_id\":\"901001\"}");
	json_decref(body);
	body = intercom_snooze_request(901001, 1800000000);
	assert_json_equal(body, "{\"message_type\":\"snoozed\",\"admin_id\":\"901001\","
				"\"snoozed_until\":1800000000}");
	json_decref(body);
	body = intercom_open_request(901001);
	assert_json_equal(body, "{\"message_type\":\"open\",\"admin_id\":\"901001\"}");
	json_decref(body);
	body = intercom_assign_request(901001, 901001);
	assert_json_equal(body, "{\"message_type\":\"assignment\",\"type\":\"admin\","
				"\"admin_id\":\"901001\",\"assignee_id\":\"901001\"}");
	json_decref(body);
	body = intercom_assign_request(901001, 0);
	assert_json_equal(body, "{\"message_type\":\"assignment\",\"type\":\"admin\","
				"\"admin_id\":\"901001\",\"assignee_id\":\"0\"}");
	json_decref(body);
	body = intercom_tag_add_request(901001, 7004);
	assert_json_equal(body, "{\"id\":\"7004\",\"admin_id\":\"901001\"}");
	json_decref(body);
	body = intercom_tag_remove_request(901001);
	assert_json_equal(body, "{\"admin_id\":\"901001\"}");
	json_decref(body);
	body = intercom_tag_create_request("needs <triage>");
	assert_json_equal(body, "{\"name\":\"needs <triage>\"}");
	json_decref(body);

	assert_null(intercom_close_request(0));
	assert_null(intercom_snooze_request(901001, 0));
	assert_null(intercom_assign_request(901001, -1));
	assert_null(intercom_tag_add_request(901001, 0));
	assert_null(intercom_tag_create_request(""));
	assert_null(intercom_tag_create_request("\xff"));
}

/*
 * Errors
 */

static void test_parse_error(void **state)
{
	json_t *j = data_load("intercom-error-not-found.json");
	json_t *two = json_of("{\"type\":\"error.list\",\"request_id\":null,\"errors\":["
			      "{\"code\":\"parameter_invalid\",\"message\":\"first\"},"
			      "{\"code\":\"parameter_missing\",\"message\":\"second\"},"
			      "{\"code\":\"x\",\"message\":null}]}");
	json_t *conversation = json_of(conversation_base);
	char code[32], msg[64], small[8];

	(void)state;
	assert_int_equal(intercom_parse_error(j, code, sizeof(code), msg, sizeof(msg)), 0);
	assert_string_equal(code, "not_found");
	assert_string_equal(msg, "Conversation 99999 not found");

	assert_int_equal(intercom_parse_error(two, code, sizeof(code), msg, sizeof(msg)), 0);
	assert_string_equal(code, "parameter_invalid");
	assert_string_equal(msg, "first; second");

	/* Truncated to the buffers, always terminated. */
	assert_int_equal(intercom_parse_error(two, small, sizeof(small), msg, 9), 0);
	assert_string_equal(small, "paramet");
	assert_string_equal(msg, "first; s");

	assert_int_equal(intercom_parse_error(conversation, code, sizeof(code), msg, sizeof(msg)),
			 -1);
	assert_string_equal(code, "");
	assert_string_equal(msg, "");
	assert_int_equal(intercom_parse_error(NULL, code, sizeof(code), msg, sizeof(msg)), -1);
	json_decref(j);
	json_decref(two);
	json_decref(conversation);
}

/* describe: intercom_describe_failure's words for one answer. */
static const char *describe(long status, const char *body, const char *method, const char *path,
			    const char *base_url)
{
	static char err[512];
	struct intercom_failure f = {
		.status = status,
		.body = body,
		.len = body ? strlen(body) : 0,
		.method = method,
		.path = path,
		.base_url = base_url,
		.api_version = "2.16",
	};

	intercom_describe_failure(&f, err, sizeof(err));
	return err;
}

#define RID "f097e446-9ae6-44a8-8e13-2bf3008b87ef"

static void test_describe_failure(void **state)
{
	const char *unauthorized = "{\"type\":\"error.list\",\"request_id\":\"" RID "\","
				   "\"errors\":[{\"code\":\"unauthorized\",\"message\":"
				   "\"Access Token Invalid\"}]}";
	const char *forbidden = "{\"type\":\"error.list\",\"request_id\":\"" RID "\","
				"\"errors\":[{\"code\":\"forbidden\",\"message\":\"You do not "
				"have the required scope (write_conversations)\"}]}";
	const char *version = "{\"type\":\"error.list\",\"request_id\":\"" RID "\","
			      "\"errors\":[{\"code\":\"intercom_version_invalid\",\"message\":"
			      "\"The requested version is not valid\"}]}";
	const char *odd_id = "{\"type\":\"error.list\",\"request_id\":\"a\\u001b[2Jb\","
			     "\"errors\":[{\"code\":\"not_found\",\"message\":\"gone\"}]}";
	const char *m;

	(void)state;
	/* 401 on the default host: the token, then the EU and AU hosts and the key to set. */
	m = describe(401, unauthorized, "GET", "/me", "https://api.intercom.io");
	assert_non_null(strstr(m, "401"));
	assert_non_null(strstr(m, "FRONTLINE_TOKEN"));
	assert_non_null(strstr(m, "https://api.eu.intercom.io"));
	assert_non_null(strstr(m, "https://api.au.intercom.io"));
	assert_non_null(strstr(m, "region = eu or au in [backend]"));
	assert_non_null(strstr(m, "request_id " RID));
	/* Elsewhere (a regional host, the sim) no host hint. */
	m = describe(401, unauthorized, "GET", "/me", "https://api.eu.intercom.io");
	assert_null(strstr(m, "api.au.intercom.io"));
	assert_non_null(strstr(m, "FRONTLINE_TOKEN"));
	m = describe(401, "", "GET", "/me", "http://127.0.0.1:8080");
	assert_null(strstr(m, "intercom.io"));
	assert_null(strstr(m, "request_id"));

	/* 403: the permission this request needs, Intercom's words, the request id. */
	m = describe(403, forbidden, "POST", "/conversations/7/reply", "https://api.intercom.io");
	assert_non_null(strstr(m, "403"));
	assert_non_null(strstr(m, "\"Write conversations\" permission"));
	assert_non_null(strstr(m, "Developer Hub"));
	assert_non_null(strstr(m, "write_conversations"));
	assert_non_null(strstr(m, "request_id " RID));
	m = describe(403, forbidden, "POST", "/conversations/search", NULL);
	assert_non_null(strstr(m, "\"Read conversations\""));
	m = describe(403, forbidden, "GET", "/conversations/7?display_as=plaintext", NULL);
	assert_non_null(strstr(m, "\"Read conversations\""));
	m = describe(403, forbidden, "GET", "/unknown", NULL);
	assert_non_null(strstr(m, "lacks a permission"));

	/* 400 intercom_version_invalid: the version sent, and what to do. */
	m = describe(400, version, "GET", "/me", "https://api.intercom.io");
	assert_non_null(strstr(m, "Intercom-Version 2.16"));
	assert_non_null(strstr(m, "update frontline"));
	assert_non_null(strstr(m, "The requested version is not valid"));
	assert_non_null(strstr(m, "request_id " RID));

	/* Any other error: code, message, request id; a request id that is not one is left out. */
	m = describe(404, odd_id, "GET", "/conversations/1", NULL);
	assert_non_null(strstr(m, "404 not_found: gone"));
	assert_null(strstr(m, "request_id"));
	assert_null(strchr(m, '\x1b'));
	m = describe(502, "<html>bad gateway</html>", "GET", "/me", NULL);
	assert_string_equal(m, "the backend answered HTTP 502");
}

static void test_parts_missing(void **state)
{
	json_t *capped = json_of("{\"type\":\"conversation\",\"conversation_parts\":{"
				 "\"type\":\"conversation_part.list\",\"conversation_parts\":"
				 "[{},{},{}],\"total_count\":815}}");
	json_t *whole = json_of("{\"conversation_parts\":{\"conversation_parts\":[{},{}],"
				"\"total_count\":2}}");
	json_t *stats = json_of("{\"conversation_parts\":{\"conversation_parts\":[{}]},"
				"\"statistics\":{\"count_conversation_parts\":4}}");
	json_t *silent = json_of("{\"conversation_parts\":{\"conversation_parts\":[{}],"
				 "\"total_count\":\"9\"}}");
	struct thread_part parts[3] = {{.kind = "source"}, {.kind = "comment"}, {.kind = "note"}};
	struct thread t = {.parts = parts, .n_parts = 3, .n_missing = 312};
	char *gap;

	(void)state;
	assert_int_equal(intercom_parts_missing(capped), 812);
	assert_int_equal(intercom_parts_missing(whole), 0);
	assert_int_equal(intercom_parts_missing(stats), 3);
	assert_int_equal(intercom_parts_missing(silent), 0);
	assert_int_equal(intercom_parts_missing(NULL), 0);

	/* After the opening message; the count of those sent leaves the source out. */
	assert_int_equal(thread_gap_index(&t), 1);
	gap = thread_gap_text(&t);
	assert_string_equal(gap, "312 earlier parts not shown: Intercom sends only the 2 most "
				 "recent of 314");
	free(gap);
	/* Without an opening message, at the top. */
	t.parts = parts + 1;
	t.n_parts = 2;
	t.n_missing = 1;
	assert_int_equal(thread_gap_index(&t), 0);
	gap = thread_gap_text(&t);
	assert_string_equal(gap, "1 earlier part not shown: Intercom sends only the 2 most "
				 "recent of 3");
	free(gap);
	t.n_missing = 0;
	assert_null(thread_gap_text(&t));
	json_decref(capped);
	json_decref(whole);
	json_decref(stats);
	json_decref(silent);
}

/* assigned_to and a tags change's tags, as parsed; the events in the view's words. */
static void test_part_events(void **state)
{
	json_t *j = json_of(
	    "{\"type\":\"conversation\",\"id\":\"9\",\"conversation_parts\":{"
	    "\"type\":\"conversation_part.list\",\"conversation_parts\":["
	    "{\"part_type\":\"assignment\",\"author\":{\"type\":\"admin\",\"id\":\"1\","
	    "\"name\":\"Maya Patel\"},\"assigned_to\":{\"type\":\"admin\",\"id\":\"2\"}},"
	    "{\"part_type\":\"assignment\",\"author\":{\"type\":\"admin\",\"id\":\"1\","
	    "\"name\":\"Maya Patel\"},\"assigned_to\":{\"type\":\"team\",\"id\":\"5\"}},"
	    "{\"part_type\":\"assignment\",\"author\":{\"type\":\"admin\",\"id\":\"1\","
	    "\"name\":\"Maya Patel\"},\"assigned_to\":{\"type\":\"nobody_admin\",\"id\":null}},"
	    "{\"part_type\":\"conversation_tags_updated\",\"author\":{\"type\":\"admin\","
	    "\"id\":\"1\",\"name\":\"Maya Patel\"},\"tags\":[{\"type\":\"tag\",\"id\":\"7\","
	    "\"name\":\"vip\"}]},"
	    "{\"part_type\":\"conversation_tags_updated\",\"author\":{\"type\":\"admin\","
	    "\"id\":\"1\",\"name\":\"Maya Patel\"},\"tags\":[{\"type\":\"tag\",\"id\":\"8\","
	    "\"name\":\"billing\"}]},"
	    "{\"part_type\":\"close\",\"author\":{\"type\":\"admin\",\"id\":\"1\","
	    "\"name\":\"Maya Patel\"},\"tags\":[]}]}}");
	struct directory_entry admins[] = {{.id = 2, .name = "Tom Becker"}};
	struct directory_entry teams[] = {{.id = 5, .name = "Billing"}};
	struct directory d = {.admins = admins, .n_admins = 1, .teams = teams, .n_teams = 1};
	struct intercom_part *parts = NULL;
	struct thread_part tp[6] = {{0}};
	struct thread t = {.parts = tp};
	static const char *const want[] = {
	    "assigned to Tom Becker by Maya Patel", "assigned to team Billing by Maya Patel",
	    "unassigned by Maya Patel",		    "tags set to vip by Maya Patel",
	    "tag added: billing; tag removed: vip by Maya Patel", "closed by Maya Patel"};
	char err[128], *text;
	size_t n = 0, i;

	(void)state;
	assert_int_equal(intercom_parse_parts(j, false, &parts, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 6);
	assert_string_equal(parts[0].assigned_type, "admin");
	assert_int_equal(parts[0].assigned_id, 2);
	assert_string_equal(parts[2].assigned_type, "nobody_admin");
	assert_int_equal(parts[2].assigned_id, 0);
	assert_true(parts[3].has_tags);
	assert_int_equal(parts[3].n_tags, 1);
	assert_string_equal(parts[3].tags[0], "vip");
	assert_false(parts[5].has_tags); /* a close's empty list says nothing of the tags */
	tp[0] = (struct thread_part){.kind = "assignment", .author = "Maya Patel",
				     .assigned = PART_ASSIGNED_ADMIN, .assigned_id = 2};
	tp[1] = (struct thread_part){.kind = "assignment", .author = "Maya Patel",
				     .assigned = PART_ASSIGNED_TEAM, .assigned_id = 5};
	tp[2] = (struct thread_part){.kind = "assignment", .author = "Maya Patel",
				     .assigned = PART_ASSIGNED_NOBODY};
	tp[3] = (struct thread_part){.kind = "conversation_tags_updated", .author = "Maya Patel",
				     .has_tags = true, .tags = parts[3].tags, .n_tags = 1};
	tp[4] = (struct thread_part){.kind = "conversation_tags_updated", .author = "Maya Patel",
				     .has_tags = true, .tags = parts[4].tags, .n_tags = 1};
	tp[5] = (struct thread_part){.kind = "close", .author = "Maya Patel"};
	t.n_parts = 6;
	for (i = 0; i < 6; i++) {
		text = thread_event_text(&t, i, &d);
		assert_string_equal(text, want[i]);
		free(text);
	}
	/* a teammate the directory does not know is named by id */
	text = thread_event_text(&t, 0, NULL);
	assert_string_equal(text, "assigned to teammate 2 by Maya Patel");
	free(text);
	intercom_parts_free(parts, n);
	json_decref(j);
}

static void test_permission_for(void **state)
{
	(void)state;
	assert_string_equal(intercom_permission_for("GET", "/conversations/5"), "Read conversations");
	assert_string_equal(intercom_permission_for("POST", "/conversations/5/parts"),
			    "Write conversations");
	assert_string_equal(intercom_permission_for("DELETE", "/conversations/5/tags/9"),
			    "Write conversations");
	assert_string_equal(intercom_permission_for("GET", "/tags"), "Read tags");
	assert_string_equal(intercom_permission_for("POST", "/tags"), "Write tags");
	assert_string_equal(intercom_permission_for("GET", "/admins"), "Read admins");
	assert_string_equal(intercom_permission_for("GET", "/articles/search?phrase=x"),
			    "Read and list articles");
	assert_null(intercom_permission_for("GET", "/conversationsx"));
	assert_null(intercom_permission_for(NULL, "/tags"));
}

/*
 * Teammates, teams, tags
 */

static void test_parse_me(void **state)
{
	json_t *j = data_load("intercom-me.json");
	json_t *no_id = json_of("{\"type\":\"admin\",\"name\":\"Ghost\"}");
	json_t *error = data_load("intercom-error-invalid.json");
	struct intercom_admin me;
	char err[200];

	(void)state;
	assert_int_equal(intercom_parse_me(j, &me, err, sizeof(err)), 0);
	assert_int_equal(me.id, 901001);
	assert_string_equal(me.name, "Maya Patel");
	assert_string_equal(me.email, "maya.patel@example.com");
	assert_int_equal(me.n_team_ids, 2);
	assert_int_equal(me.team_ids[0], 5001);
	assert_int_equal(me.team_ids[1], 5002);
	intercom_admin_release(&me);
	assert_null(me.name);

	assert_int_equal(intercom_parse_me(no_id, &me, err, sizeof(err)), -1);
	assert_string_equal(err, "admin.id: expected a string or number, got nothing");
	assert_null(me.name);
	assert_int_equal(intercom_parse_me(error, &me, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "parameter_invalid"));
	json_decref(j);
	json_decref(no_id);
	json_decref(error);
}

static void test_parse_teams_admins_tags(void **state)
{
	json_t *teams_j = data_load("intercom-teams.json");
	json_t *admins_j = data_load("intercom-admins.json");
	json_t *tags_j = data_load("intercom-tags.json");
	json_t *odd = json_of("{\"type\":\"list\",\"data\":[{\"id\":\"1\",\"name\":\"a\"},"
			      "{\"name\":\"no id\"},{\"id\":2}]}");
	struct intercom_team *teams;
	struct intercom_admin *admins;
	struct intercom_tag *tags;
	size_t n, skipped;
	char err[200];

	(void)state;
	assert_int_equal(intercom_parse_teams(teams_j, &teams, &n, &skipped, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(teams[0].id, 5001);
	assert_string_equal(teams[0].name, "Live chat");
	assert_int_equal(teams[1].id, 5002);
	assert_string_equal(teams[1].name, "Support");
	intercom_teams_free(teams, n);

	assert_int_equal(intercom_parse_admins(admins_j, &admins, &n, NULL, err, sizeof(err)), 0);
	assert_int_equal(n, 7);
	assert_int_equal(admins[2].id, 901003);
	assert_string_equal(admins[2].name, "Zo\xc3\xab Martin");
	assert_int_equal(admins[2].n_team_ids, 1);
	assert_int_equal(admins[2].team_ids[0], 5001);
	intercom_admins_free(admins, n);

	assert_int_equal(intercom_parse_tags(tags_j, &tags, &n, &skipped, err, sizeof(err)), 0);
	assert_int_equal(n, 18);
	assert_int_equal(skipped, 0);
	assert_int_equal(tags[0].id, 7001);
	assert_string_equal(tags[0].name, "billing");
	intercom_tags_free(tags, n);

	assert_int_equal(intercom_parse_tags(odd, &tags, &n, &skipped, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(skipped, 1);
	assert_null(tags[1].name);
	intercom_tags_free(tags, n);

	/* Each list is told apart from the others. */
	assert_int_equal(intercom_parse_teams(tags_j, &teams, &n, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "expected a team.list, got type \"list\"");
	assert_null(teams);
	assert_int_equal(intercom_parse_admins(teams_j, &admins, &n, NULL, err, sizeof(err)), -1);
	json_decref(teams_j);
	json_decref(admins_j);
	json_decref(tags_j);
	json_decref(odd);
}

static void test_parse_created_tag(void **state)
{
	json_t *j = json_of("{\"type\":\"tag\",\"id\":\"7019\",\"name\":\"new <tag>\"}");
	struct intercom_tag tag;
	char err[200];

	(void)state;
	assert_int_equal(intercom_parse_tag(j, &tag, err, sizeof(err)), 0);
	assert_int_equal(tag.id, 7019);
	assert_string_equal(tag.name, "new <tag>");
	intercom_tag_release(&tag);
	json_decref(j);
}

/*
 * Help center
 */

static void test_parse_articles(void **state)
{
	json_t *list = data_load("intercom-articles.json");
	json_t *search = data_load("intercom-article-search.json");
	json_t *one = data_load("intercom-article.json");
	struct intercom_article *articles, article;
	size_t n, skipped;
	long page, pages;
	char err[200];

	(void)state;
	assert_int_equal(intercom_parse_articles(list, &articles, &n, &page, &pages, &skipped, err,
						 sizeof(err)),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(page, 1);
	assert_int_equal(pages, 5);
	assert_int_equal(articles[0].id, 3001);
	assert_string_equal(articles[0].title, "How to reset your password");
	assert_string_equal(articles[0].description,
			    "Step-by-step instructions to reset your password.");
	assert_string_equal(articles[0].url,
			    "https://help.example.com/en/articles/3001-how-to-reset-your-password");
	assert_int_equal(articles[0].updated_at, 1784459399);
	assert_non_null(strstr(articles[0].body,
			       "You'll find the setting under Settings > Account > Password."));
	assert_non_null(strstr(articles[0].body, "only affect you, not the rest of your "
						 "workspace.\n\nTo reset your password:\n"
						 "1. Open Settings > Account > Password.\n2. "));
	assert_null(strchr(articles[0].body, '<'));
	intercom_articles_free(articles, n);

	assert_int_equal(intercom_parse_articles(search, &articles, &n, NULL, NULL, NULL, err,
						 sizeof(err)),
			 0);
	assert_int_equal(n, 5);
	assert_int_equal(articles[0].id, 3005);
	assert_string_equal(articles[0].title, "How to download an invoice");
	intercom_articles_free(articles, n);

	assert_int_equal(intercom_parse_article(one, &article, err, sizeof(err)), 0);
	assert_int_equal(article.id, 3001);
	assert_string_equal(article.title, "How to reset your password");
	assert_non_null(article.body);
	intercom_article_release(&article);

	assert_int_equal(intercom_parse_article(list, &article, err, sizeof(err)), -1);
	assert_string_equal(err, "expected an article, got type \"list\"");
	assert_int_equal(
		intercom_parse_articles(one, &articles, &n, &page, &pages, NULL, err, sizeof(err)),
		-1);
	assert_null(articles);
	json_decref(list);
	json_decref(search);
	json_decref(one);
}

/*
 * Conversation parts (frontline show)
 */

static void check_sim_parts(struct intercom_part *p, size_t n)
{
	assert_int_equal(n, 5);
	assert_string_equal(p[0].part_type, "source");
	assert_string_equal(p[0].author_type, "user");
	assert_string_equal(p[0].author_name, "Ethan Thomas");
	assert_int_equal(p[0].created_at, 1795422951);
	assert_false(p[0].is_note);
	assert_string_equal(p[0].body, "How do we stop teammates logging in with a password? Our "
				       "security team needs this before the next audit. Any help "
				       "appreciated \xf0\x9f\x99\x8f");

	assert_string_equal(p[1].id, "3");
	assert_string_equal(p[1].part_type, "comment");
	assert_string_equal(p[1].author_type, "admin");
	assert_string_equal(p[1].author_name, "Samir Haddad");
	assert_int_equal(p[1].created_at, 1795428440);
	assert_string_equal(p[1].body,
			    "Thanks for getting in touch.\n\nSSO is available on the Enterprise "
			    "plan. Once it's enabled you can set it up under Settings > Security > "
			    "Single sign-on.\n\nLet me know if there's anything else I can help "
			    "with!");

	assert_string_equal(p[2].author_type, "user");
	assert_false(p[2].is_note);

	assert_string_equal(p[3].part_type, "note");
	assert_true(p[3].is_note);
	assert_string_equal(p[3].author_name, "Maya Patel");
	assert_string_equal(p[3].body, "Customer is on the Pro plan.");

	assert_string_equal(p[4].part_type, "assignment");
	assert_false(p[4].is_note);
	assert_null(p[4].body);
}

static void test_parse_parts(void **state)
{
	json_t *plain = data_load("intercom-conversation-plaintext.json");
	json_t *html = data_load("intercom-conversation-html.json");
	json_t *page = data_load("intercom-search-page.json");
	json_t *raw = json_of("{\"type\":\"conversation\",\"id\":\"1\",\"conversation_parts\":"
			      "{\"conversation_parts\":[{\"id\":9,\"part_type\":\"comment\","
			      "\"body\":\"a &amp; <b>b</b>\",\"author\":{\"type\":\"admin\","
			      "\"email\":\"x@example.com\"}}]}}");
	struct intercom_part *p;
	size_t n;
	char err[200];

	(void)state;
	/* The same conversation, asked for as plain text and as HTML, reads the same. */
	assert_int_equal(intercom_parse_parts(plain, false, &p, &n, err, sizeof(err)), 0);
	check_sim_parts(p, n);
	intercom_parts_free(p, n);
	assert_int_equal(intercom_parse_parts(html, true, &p, &n, err, sizeof(err)), 0);
	check_sim_parts(p, n);
	intercom_parts_free(p, n);

	/* Plain-text bodies are kept as sent, not parsed again as HTML. */
	assert_int_equal(intercom_parse_parts(raw, false, &p, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].id, "9");
	assert_string_equal(p[0].body, "a &amp; <b>b</b>");
	assert_string_equal(p[0].author_name, "x@example.com");
	intercom_parts_free(p, n);
	assert_int_equal(intercom_parse_parts(raw, true, &p, &n, err, sizeof(err)), 0);
	assert_string_equal(p[0].body, "a & b");
	intercom_parts_free(p, n);

	assert_int_equal(intercom_parse_parts(page, false, &p, &n, err, sizeof(err)), -1);
	assert_string_equal(err, "expected a conversation, got type \"conversation.list\"");
	assert_null(p);
	json_decref(plain);
	json_decref(html);
	json_decref(page);
	json_decref(raw);
}

/*
 * html_to_text
 */

static void test_html_paragraphs(void **state)
{
	(void)state;
	assert_text(html_to_text("<p>One</p><p>Two\n  lines</p>"), "One\n\nTwo lines");
	assert_text(html_to_text("<h1>Title</h1><div>line1</div><div>line2</div>"),
		    "Title\n\nline1\nline2");
	assert_text(html_to_text("a<br>b<br/><br>c"), "a\nb\n\nc");
	assert_text(html_to_text("<p>x</p><hr><p>y</p>"), "x\n\ny");
	assert_text(html_to_text("<p>  padded  </p>\n\n<p></p><div> </div><p>end </p>"),
		    "padded\n\nend");
	assert_text(html_to_text("plain text, no markup"), "plain text, no markup");
	assert_text(html_to_text("<pre>  code\n    indented</pre>after"),
		    "  code\n    indented\n\nafter");
	assert_text(html_to_text("<table><tr><th>h1</th><th>h2</th></tr>"
				 "<tr><td>a</td><td>b</td></tr></table>"),
		    "h1 | h2\na | b");
}

static void test_html_lists(void **state)
{
	(void)state;
	assert_text(html_to_text("<ul><li>apples</li><li>pears<ol><li>green</li><li>red</li>"
				 "</ol></li></ul><ol start=\"7\"><li>seven</li><li>eight</li></ol>"),
		    "- apples\n- pears\n  1. green\n  2. red\n\n7. seven\n8. eight");
	assert_text(html_to_text("<p>Steps:</p><ol>\n  <li>\n open </li>\n <li>close</li></ol>"),
		    "Steps:\n\n1. open\n2. close");
}

static void test_html_entities(void **state)
{
	(void)state;
	assert_text(html_to_text("&lt;tag&gt; &amp; &quot;q&quot; &#39;s&#39; &eacute; "
				 "&#x1F600; &copy;"),
		    "<tag> & \"q\" 's' \xc3\xa9 \xf0\x9f\x98\x80 \xc2\xa9");
}

static void test_html_nested_and_links(void **state)
{
	(void)state;
	assert_text(html_to_text("<p>Two <b>bold</b> and <i>it<b>al</b></i>ic</p>"),
		    "Two bold and italic");
	assert_text(html_to_text("<a href=\"https://example.com/x\">docs</a>, "
				 "<a href=\"https://example.com\">https://example.com</a>, "
				 "<a href=\"mailto:ann@example.com\">ann@example.com</a>, "
				 "<a href=\"#top\">top</a>, <a href=\"https://e.com/i\"><img></a>"),
		    "docs (https://example.com/x), https://example.com, ann@example.com, top, "
		    "[image] (https://e.com/i)");
	assert_text(html_to_text("<a href=\"https://e.com/\"></a>"), "https://e.com/");
	assert_text(html_to_text("see <img src=\"x.png\" alt=\"screenshot\">"),
		    "see [screenshot]");
}

static void test_html_dropped(void **state)
{
	(void)state;
	assert_text(html_to_text("<html><head><title>T</title><style>p{color:red}</style></head>"
				 "<body><p>keep</p><script>alert('x')</script><!-- hidden -->"
				 "<p>this</p></body></html>"),
		    "keep\n\nthis");
}

static void test_html_malformed(void **state)
{
	(void)state;
	assert_text(html_to_text("<div><p>open <b>bold <i>both</div> after</b> tail"),
		    "open bold both\n\nafter tail");
	assert_text(html_to_text("<p>unclosed <a href=\"https://x.example/\">link"),
		    "unclosed link (https://x.example/)");
	assert_text(html_to_text("</p></div>stray<p"), "stray");
	assert_text(html_to_text("a < b && c > d"), "a < b && c > d");
	assert_text(html_to_text("x <3 y, a <<< b"), "x <3 y, a <<< b");
	/* As in a browser, what looks like a tag is one. */
	assert_text(html_to_text("if a<b and c>d"), "if ad");
	assert_text(html_to_text("&bogus; & alone"), "&bogus; & alone");
}

static void test_html_empty(void **state)
{
	(void)state;
	assert_text(html_to_text(""), "");
	assert_text(html_to_text(NULL), "");
	assert_text(html_to_text("   \n "), "");
	assert_text(html_to_text("<p></p><br>"), "");
	assert_text(html_to_text("<script>only()</script>"), "");
}

/* Control characters pass through (libxml2 alone would drop them), and code points of
 * the range used to carry them through are not mistaken for them. */
static void test_html_controls(void **state)
{
	(void)state;
	assert_text(html_to_text("<p>\x1b[1mbold\x1b[0m\a \x01\x0b\x0c\x1f</p>"),
		    "\x1b[1mbold\x1b[0m\a \x01\x0b\x0c\x1f");
	assert_text(html_to_text("\xf4\x80\x80\x81 &#x100002; &#1048579; \x01"),
		    "\xf4\x80\x80\x81 \xf4\x80\x80\x82 \xf4\x80\x80\x83 \x01");
	assert_text(html_to_text("<p>\xe2\x80\xae\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d e\xcc\x81</p>"),
		    "\xe2\x80\xae\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d e\xcc\x81");
}

static void test_html_megabyte(void **state)
{
	static const char unit[] = "<p>para with &amp; entity</p>\n";
	size_t units = (1u << 20) / (sizeof(unit) - 1) + 1, len = units * (sizeof(unit) - 1);
	char *html = xmalloc(len + 1), *text;

	(void)state;
	for (size_t i = 0; i < units; i++)
		memcpy(html + i * (sizeof(unit) - 1), unit, sizeof(unit) - 1);
	html[len] = '\0';
	text = html_to_text(html);
	assert_int_equal(strlen(text), units * strlen("para with & entity\n\n") - 2);
	assert_memory_equal(text, "para with & entity\n\npara with & entity\n\n", 40);
	free(text);

	/* A megabyte of nesting: libxml2 gives up past its depth limit; no crash, no NULL. */
	for (size_t i = 0; i + 5 <= len; i += 5)
		memcpy(html + i, "<div>", 5);
	memcpy(html, "text ", 5);
	text = html_to_text(html);
	assert_non_null(text);
	free(text);
	free(html);
}

/* GET /macros as the description's examples give it: string team ids that are not
 * numbers are left out, a macro without body_text has its HTML body as text, one without
 * an id is left out, the next page's cursor is kept. */
static void test_macros(void **state)
{
	json_t *j = json_of(
	    "{\"type\": \"list\", \"data\": ["
	    "{\"type\": \"macro\", \"id\": \"789\", \"name\": \"Refund\","
	    " \"body\": \"<p>Hi</p>\", \"body_text\": \"Hi {{user.first_name|fallback:\\\"there\\\"}}\","
	    " \"visible_to\": \"specific_teams\", \"visible_to_team_ids\": [\"support_team_1\", \"5002\"]},"
	    "{\"type\": \"macro\", \"id\": \"123\", \"name\": \"Thanks\","
	    " \"body\": \"<p>Thank <b>you</b></p>\", \"body_text\": null,"
	    " \"visible_to\": \"everyone\", \"visible_to_team_ids\": []},"
	    "{\"type\": \"macro\", \"name\": \"No id\"}],"
	    " \"pages\": {\"type\": \"pages\", \"per_page\": 50,"
	    " \"next\": {\"starting_after\": \"WzE3MTk0OTM3NTcuMCwgIjEyMyJd\"}}}");
	struct saved_reply *m = NULL;
	size_t n = 0;
	char err[256], *next = NULL;
	int64_t team = 5002, other = 5001;

	(void)state;
	assert_int_equal(intercom_parse_macros(j, &m, &n, &next, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(m[0].id, "789");
	assert_string_equal(m[0].text, "Hi {{user.first_name|fallback:\"there\"}}");
	assert_false(m[0].everyone);
	assert_int_equal(m[0].n_team_ids, 1);
	assert_true(replies_visible(&m[0], &team, 1));
	assert_false(replies_visible(&m[0], &other, 1));
	assert_string_equal(m[1].text, "Thank you");
	assert_true(m[1].everyone);
	assert_string_equal(next, "WzE3MTk0OTM3NTcuMCwgIjEyMyJd");
	while (n)
		saved_reply_release(&m[--n]);
	free(m);
	free(next);
	json_decref(j);
	j = json_of("{\"type\": \"list\", \"data\": [], \"pages\": {\"next\": null}}");
	assert_int_equal(intercom_parse_macros(j, &m, &n, &next, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
	assert_null(next);
	free(m);
	json_decref(j);
}

/* GET /teams/{id}/metrics: each admin's counts; an entry without a usable admin_id is left
 * out, a missing or negative count is 0; something else than a list is an error. */
static void test_team_metrics(void **state)
{
	json_t *j = json_loads("{\"type\": \"team_metric.list\", \"data\": ["
			       "{\"type\": \"team_metric\", \"admin_id\": \"123\", \"open\": 5,"
			       " \"idle\": 2, \"snoozed\": 1},"
			       "{\"type\": \"team_metric\", \"admin_id\": null, \"open\": 9},"
			       "{\"type\": \"team_metric\", \"admin_id\": \"456\", \"open\": -3}]}",
			       0, NULL),
	       *bad = json_loads("{\"type\": \"team.list\", \"teams\": []}", 0, NULL);
	struct team_metric *m = NULL;
	size_t n = 0;
	char err[200];

	(void)state;
	assert_int_equal(intercom_parse_team_metrics(j, &m, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[0].admin, 123);
	assert_int_equal(m[0].open, 5);
	assert_int_equal(m[0].idle, 2);
	assert_int_equal(m[0].snoozed, 1);
	assert_int_equal(m[1].admin, 456);
	assert_int_equal(m[1].open, 0);
	assert_int_equal(m[1].snoozed, 0);
	free(m);
	assert_int_equal(intercom_parse_team_metrics(bad, &m, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "team_metric.list"));
	json_decref(j);
	json_decref(bad);
}

/* A workspace without the feature (403 api_plan_restricted) is not a missing permission. */
static void test_describe_plan_restricted(void **state)
{
	const char *e;

	(void)state;
	e = describe(403,
		     "{\"type\": \"error.list\", \"request_id\": \"req-456\", \"errors\": [{\"code\": "
		     "\"api_plan_restricted\", \"message\": \"Real-time monitoring is not enabled "
		     "for your workspace.\"}]}",
		     "GET", "/teams/5001/metrics", "https://api.intercom.io");
	assert_string_equal(e, "the workspace's Intercom plan does not include this (403 "
			       "api_plan_restricted): Real-time monitoring is not enabled for "
			       "your workspace. (Intercom request_id req-456)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_search_page),
		cmocka_unit_test(test_sim_last_page),
		cmocka_unit_test(test_conversation_base),
		cmocka_unit_test(test_id_forms),
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_assignee_forms),
		cmocka_unit_test(test_statistics_forms),
		cmocka_unit_test(test_wrong_types_keep_record),
		cmocka_unit_test(test_search_pages_unreadable),
		cmocka_unit_test(test_waiting_since_null),
		cmocka_unit_test(test_state_forms),
		cmocka_unit_test(test_priority_forms),
		cmocka_unit_test(test_sla_forms),
		cmocka_unit_test(test_clock_on_partial_records),
		cmocka_unit_test(test_clock_never_from_created_at),
		cmocka_unit_test(test_store_keeps_known_first_reply),
		cmocka_unit_test(test_partial_page_priority_and_sla),
		cmocka_unit_test(test_customer_forms),
		cmocka_unit_test(test_tag_forms),
		cmocka_unit_test(test_preview_hostile_text),
		cmocka_unit_test(test_preview_collapse_and_cut),
		cmocka_unit_test(test_page_skips_records_without_id),
		cmocka_unit_test(test_page_empty),
		cmocka_unit_test(test_page_not_a_conversation_list),
		cmocka_unit_test(test_office_hours),
		cmocka_unit_test(test_search_changes_skip_held),
		cmocka_unit_test(test_search_request_full),
		cmocka_unit_test(test_search_request_incremental),
		cmocka_unit_test(test_search_request_limits),
		cmocka_unit_test(test_search_request_mine),
		cmocka_unit_test(test_text_to_html),
		cmocka_unit_test(test_text_to_html_round_trip),
		cmocka_unit_test(test_reply_request),
		cmocka_unit_test(test_write_requests),
		cmocka_unit_test(test_parse_error),
		cmocka_unit_test(test_describe_failure),
		cmocka_unit_test(test_permission_for),
		cmocka_unit_test(test_parts_missing),
		cmocka_unit_test(test_part_events),
		cmocka_unit_test(test_parse_me),
		cmocka_unit_test(test_parse_teams_admins_tags),
		cmocka_unit_test(test_parse_created_tag),
		cmocka_unit_test(test_parse_articles),
		cmocka_unit_test(test_parse_parts),
		cmocka_unit_test(test_html_paragraphs),
		cmocka_unit_test(test_html_lists),
		cmocka_unit_test(test_html_entities),
		cmocka_unit_test(test_html_nested_and_links),
		cmocka_unit_test(test_html_dropped),
		cmocka_unit_test(test_html_malformed),
		cmocka_unit_test(test_html_empty),
		cmocka_unit_test(test_html_controls),
		cmocka_unit_test(test_html_megabyte),
		cmocka_unit_test(test_macros),
		cmocka_unit_test(test_team_metrics),
		cmocka_unit_test(test_describe_plan_restricted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
