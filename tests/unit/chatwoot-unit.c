/* chatwoot-unit.c: the Chatwoot JSON layer on answers shaped as the Application API
 * description shows them, and on hostile ones: wrong types, missing fields, 0 for
 * "none", huge numbers. */
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

#include "articles.h"
#include "backend.h"
#include "chatwoot.h"
#include "directory.h"
#include "model.h"
#include "replies.h"
#include "util.h"
#include "sla.h"

static json_t *json_of(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &e);

	if (!j)
		fail_msg("bad test JSON: %s", e.text);
	return j;
}

static int64_t labels_known(void *arg, const char *title)
{
	(void)arg;
	if (!strcmp(title, "billing"))
		return 11;
	if (!strcmp(title, "vip"))
		return 12;
	return 0;
}

/* A conversation of a list's payload, as the description's conversation_list shows it. */
static const char *const CONV =
    "{\"id\": 42, \"account_id\": 3, \"inbox_id\": 1, \"status\": \"open\","
    " \"created_at\": 1760000000, \"updated_at\": 1760000500, \"timestamp\": \"1760000500\","
    " \"waiting_since\": 1760000100, \"snoozed_until\": null, \"first_reply_created_at\": 0,"
    " \"unread_count\": 2, \"priority\": \"high\", \"labels\": [\"billing\", \"unknown\", 7, \"vip\"],"
    " \"additional_attributes\": {\"mail_subject\": \"Refund\"},"
    " \"last_non_activity_message\": {\"content\": \"Where is my refund?\", \"message_type\": 0,"
    "                               \"created_at\": 1760000400},"
    " \"applied_sla\": {\"sla_status\": \"active_with_misses\", \"sla_name\": \"Gold\","
    "                 \"sla_first_response_time_threshold\": 300,"
    "                 \"sla_next_response_time_threshold\": null},"
    " \"meta\": {\"sender\": {\"id\": 9, \"name\": \"Alice\", \"email\": \"a@example.com\"},"
    "          \"assignee\": {\"id\": 5, \"name\": \"Tom\"}, \"team\": {\"id\": 2, \"name\": \"Billing\"}}}";

static void test_conversation(void **state)
{
	json_t *j = json_of(CONV);
	struct conversation c;

	(void)state;
	assert_int_equal(chatwoot_parse_conversation(j, labels_known, NULL, &c), 0);
	assert_int_equal(c.id, 42);
	assert_int_equal(c.state, CONV_OPEN);
	assert_int_equal(c.created_at, 1760000000);
	assert_int_equal(c.updated_at, 1760000500);
	assert_int_equal(c.waiting_since, 1760000100);
	assert_int_equal(c.snoozed_until, 0);
	assert_int_equal(c.first_admin_reply_at, 0); /* 0 is "none" */
	assert_int_equal(c.first_contact_reply_at, 1760000000);
	assert_int_equal(c.last_contact_reply_at, 1760000400); /* the last message is theirs */
	assert_int_equal(c.admin_assignee_id, 5);
	assert_int_equal(c.team_assignee_id, 2);
	assert_string_equal(c.customer, "Alice");
	assert_string_equal(c.title, "Refund");
	assert_string_equal(c.body, "Where is my refund?");
	assert_false(c.body_is_html);
	assert_int_equal(c.priority, PRIORITY_HIGH);
	assert_int_equal(c.n_tags, 2);
	assert_int_equal(c.tag_ids[0], 11);
	assert_int_equal(c.tag_ids[1], 12);
	assert_int_equal(c.backend_sla, BACKEND_SLA_MISSED);
	assert_string_equal(c.sla_name, "Gold");
	assert_int_equal(c.sla_first_target, 300);
	assert_int_equal(c.sla_next_target, 0);
	assert_false(c.read);
	assert_int_equal(c.unknown, 0);
	conversation_release(&c);
	json_decref(j);
}

static void test_conversation_states(void **state)
{
	static const struct {
		const char *json;
		enum conv_state st;
		unsigned unknown;
	} cases[] = {
	    {"{\"id\": 1, \"status\": \"resolved\"}", CONV_CLOSED, 0},
	    {"{\"id\": 1, \"status\": \"pending\"}", CONV_CLOSED, 0},
	    {"{\"id\": 1, \"status\": \"snoozed\", \"snoozed_until\": 1760009999}", CONV_SNOOZED, 0},
	    {"{\"id\": 1, \"status\": \"snoozed\", \"snoozed_until\": \"2025-10-09T10:00:00Z\"}",
	     CONV_SNOOZED, 0},
	    {"{\"id\": 1, \"status\": 3}", CONV_OPEN, CONV_UNKNOWN_STATE},
	    {"{\"id\": 1}", CONV_OPEN, CONV_UNKNOWN_STATE},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = json_of(cases[i].json);
		struct conversation c;

		assert_int_equal(chatwoot_parse_conversation(j, NULL, NULL, &c), 0);
		assert_int_equal(c.state, cases[i].st);
		assert_int_equal(c.unknown & CONV_UNKNOWN_STATE, cases[i].unknown);
		if (i == 2)
			assert_int_equal(c.snoozed_until, 1760009999);
		if (i == 3)
			assert_int_equal(c.snoozed_until, 1760004000);
		conversation_release(&c);
		json_decref(j);
	}
}

/* The customer's last message: the last message's time when it is incoming, else the
 * opening (a bound below it): a customer writing after an agent's reply is always later. */
static void test_customer_last_message(void **state)
{
	static const struct {
		const char *json;
		fl_time want;
	} cases[] = {
	    {"{\"id\": 1, \"status\": \"open\", \"created_at\": 100,"
	     " \"last_non_activity_message\": {\"message_type\": 0, \"created_at\": 250}}", 250},
	    {"{\"id\": 1, \"status\": \"open\", \"created_at\": 100,"
	     " \"last_non_activity_message\": {\"message_type\": 1, \"created_at\": 300}}", 100},
	    {"{\"id\": 1, \"status\": \"open\", \"created_at\": 100,"
	     " \"last_non_activity_message\": {\"message_type\": \"0\", \"created_at\": 300}}", 100},
	    {"{\"id\": 1, \"status\": \"open\", \"created_at\": 100}", 100},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = json_of(cases[i].json);
		struct conversation c;

		assert_int_equal(chatwoot_parse_conversation(j, NULL, NULL, &c), 0);
		assert_int_equal(c.last_contact_reply_at, cases[i].want);
		conversation_release(&c);
		json_decref(j);
	}
}

/* The agent's last public reply, and so "waiting on the customer": the last message's
 * time when it is an outgoing public one; else, open with a first reply and no
 * waiting_since (cleared by the reply), the first reply or the customer's last message,
 * whichever is later; a private note or a running wait is no reply. */
static void test_agent_last_reply(void **state)
{
	static const struct {
		const char *json;
		fl_time want;
		bool waiting_on_customer;
	} cases[] = {
	    {"{\"id\": 1, \"status\": \"open\", \"created_at\": 100, \"waiting_since\": 0,"
	     " \"first_reply_created_at\": 200,"
	     " \"last_non_activity_message\": {\"message_type\": 1, \"private\": false,"
	     " \"created_at\": 300}}",
	     300, true},
	    {"{\"id\": 1, \"status\": \"open\", \"created_at\": 100, \"waiting_since\": 0,"
	     " \"first_reply_created_at\": 200,"
	     " \"last_non_activity_message\": {\"message_type\": 1, \"private\": true,"
	     " \"created_at\": 300}}",
	     200, true},
	    {"{\"id\": 1, \"status\": \"open\", \"created_at\": 100, \"waiting_since\": 250,"
	     " \"first_reply_created_at\": 200,"
	     " \"last_non_activity_message\": {\"message_type\": 0, \"created_at\": 250}}",
	     0, false},
	    {"{\"id\": 1, \"status\": \"open\", \"created_at\": 100, \"waiting_since\": 100,"
	     " \"first_reply_created_at\": 0,"
	     " \"last_non_activity_message\": {\"message_type\": 1, \"private\": true,"
	     " \"created_at\": 150}}",
	     0, false},
	    {"{\"id\": 1, \"status\": \"resolved\", \"created_at\": 100, \"waiting_since\": 0,"
	     " \"first_reply_created_at\": 200}",
	     200, false},
	    {"{\"id\": 1, \"status\": \"open\", \"created_at\": 100, \"waiting_since\": \"soon\","
	     " \"first_reply_created_at\": 200}",
	     0, false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = json_of(cases[i].json);
		struct conversation c;

		assert_int_equal(chatwoot_parse_conversation(j, NULL, NULL, &c), 0);
		assert_int_equal(c.last_admin_reply_at, cases[i].want);
		assert_int_equal(conversation_waiting_on_customer(&c), cases[i].waiting_on_customer);
		conversation_release(&c);
		json_decref(j);
	}
}

/* Wrong types, missing members and huge numbers cost the field, never the record; no id
 * costs the record. */
static void test_conversation_hostile(void **state)
{
	json_t *j;
	struct conversation c;

	(void)state;
	j = json_of("{\"id\": \"17\", \"status\": \"open\", \"created_at\": \"soon\","
		    " \"updated_at\": 99999999999999999, \"waiting_since\": -5,"
		    " \"first_reply_created_at\": {}, \"labels\": \"billing\", \"priority\": 4,"
		    " \"applied_sla\": {\"sla_first_response_time_threshold\": -5,"
		    "   \"sla_next_response_time_threshold\": 99999999999}, \"unread_count\": \"0\","
		    " \"meta\": {\"assignee\": {\"id\": \"x\"}, \"team\": null, \"sender\": []}}");
	assert_int_equal(chatwoot_parse_conversation(j, labels_known, NULL, &c), 0);
	assert_int_equal(c.id, 17);
	assert_int_equal(c.created_at, 0);
	assert_true(c.unknown & CONV_UNKNOWN_CREATED);
	assert_true(c.unknown & CONV_UNKNOWN_UPDATED);
	assert_true(c.unknown & CONV_UNKNOWN_WAITING);
	assert_true(c.unknown & CONV_UNKNOWN_FIRST_ADMIN_REPLY);
	assert_true(c.unknown & CONV_UNKNOWN_FIRST_CONTACT_REPLY);
	assert_true(c.unknown & CONV_UNKNOWN_ASSIGNEE);
	assert_false(c.unknown & CONV_UNKNOWN_TEAM); /* null: no team */
	assert_true(c.unknown & CONV_UNKNOWN_CUSTOMER);
	assert_int_equal(c.admin_assignee_id, 0);
	assert_int_equal(c.n_tags, 0);
	assert_int_equal(c.priority, PRIORITY_NONE);
	assert_int_equal(c.backend_sla, BACKEND_SLA_CANCELLED);
	assert_int_equal(c.sla_first_target, 0);
	assert_int_equal(c.sla_next_target, 0);
	assert_false(c.read);
	conversation_release(&c);
	json_decref(j);

	/* no meta at all: who it is assigned to cannot be told */
	j = json_of("{\"id\": 3, \"status\": \"open\", \"waiting_since\": 0}");
	assert_int_equal(chatwoot_parse_conversation(j, NULL, NULL, &c), 0);
	assert_true(c.unknown & CONV_UNKNOWN_ASSIGNEE);
	assert_true(c.unknown & CONV_UNKNOWN_TEAM);
	assert_false(c.unknown & CONV_UNKNOWN_WAITING);
	assert_int_equal(c.waiting_since, 0);
	conversation_release(&c);
	json_decref(j);

	/* assignee_id / team_id at the top level, 0 for none */
	j = json_of("{\"id\": 3, \"assignee_id\": 0, \"team_id\": 4}");
	assert_int_equal(chatwoot_parse_conversation(j, NULL, NULL, &c), 0);
	assert_int_equal(c.admin_assignee_id, 0);
	assert_int_equal(c.team_assignee_id, 4);
	assert_false(c.unknown & (CONV_UNKNOWN_ASSIGNEE | CONV_UNKNOWN_TEAM));
	conversation_release(&c);
	json_decref(j);

	static const char *const bad[] = {"{\"id\": 0}", "{\"id\": -4}", "{\"id\": \"4x\"}",
					  "{\"id\": 1.5}", "{\"uuid\": \"a\"}", "[1]", "\"x\""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = json_of(bad[i]);
		assert_int_equal(chatwoot_parse_conversation(j, NULL, NULL, &c), -1);
		assert_int_equal(c.id, 0);
		json_decref(j);
	}
}

/* The clock takes applied_sla's thresholds over the queue's targets; a configured [sla
 * NAME] of that SLA wins over them. */
static void test_applied_sla_targets(void **state)
{
	json_t *j = json_of(CONV);
	struct conversation c;
	struct sla_policy p = {.first_response = 120, .next_response = 600};
	struct sla_targets t;

	(void)state;
	assert_int_equal(chatwoot_parse_conversation(j, NULL, NULL, &c), 0);
	sla_targets_for(&p, &c, &t);
	assert_int_equal(t.first_response, 300);
	assert_int_equal(t.next_response, 600);
	snprintf(p.named[0].name, sizeof(p.named[0].name), "Gold");
	p.named[0].targets.first_response = 60;
	p.named[0].targets.n_warn = -1;
	p.n_named = 1;
	sla_targets_for(&p, &c, &t);
	assert_int_equal(t.first_response, 60);
	conversation_release(&c);
	json_decref(j);
}

static void test_conversation_list(void **state)
{
	char *text = NULL;
	json_t *j;
	struct conversation *items;
	size_t n, wire, skipped, i;
	char err[256];

	(void)state;
	text = malloc(strlen(CONV) + 200);
	sprintf(text, "{\"data\": {\"meta\": {\"all_count\": 3}, \"payload\": [%s, {\"id\": null}, "
		      "{\"id\": 43, \"status\": \"open\"}]}}",
		CONV);
	j = json_of(text);
	free(text);
	assert_int_equal(chatwoot_parse_conversation_list(j, labels_known, NULL, &items, &n, &wire,
							  &skipped, err, sizeof(err)),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(wire, 3);
	assert_int_equal(skipped, 1);
	assert_int_equal(items[0].id, 42);
	assert_int_equal(items[1].id, 43);
	for (i = 0; i < n; i++)
		conversation_release(&items[i]);
	free(items);
	json_decref(j);

	j = json_of("{\"data\": {\"payload\": \"no\"}}");
	assert_int_equal(chatwoot_parse_conversation_list(j, NULL, NULL, &items, &n, &wire, &skipped,
							  err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "no list of conversations"));
	json_decref(j);
}

/* Chatwoot's English activity strings as the events they are, the names found in the
 * directory; one that names nobody it knows, or says something else, is kept as said. */
static void test_activities(void **state)
{
	struct directory_entry admins[] = {{.id = 5, .name = (char *)"Tom Becker"},
					   {.id = 7, .name = (char *)"Maya Patel"}};
	struct directory_entry teams[] = {{.id = 40, .name = (char *)"Billing"}};
	struct directory d = {.admins = admins, .n_admins = 2, .teams = teams, .n_teams = 1};
	static const struct {
		const char *content, *kind, *author;
		enum part_assigned assigned;
		int64_t assigned_id, author_id;
	} cases[] = {
	    {"Assigned to Tom Becker by Maya Patel", "assignment", "Maya Patel",
	     PART_ASSIGNED_ADMIN, 5, 7},
	    {"Tom Becker self-assigned this conversation", "assignment", "Tom Becker",
	     PART_ASSIGNED_ADMIN, 5, 5},
	    {"Assigned to Billing by Tom Becker", "assignment", "Tom Becker", PART_ASSIGNED_TEAM,
	     40, 5},
	    {"Conversation unassigned by Maya Patel", "assignment", "Maya Patel",
	     PART_ASSIGNED_NOBODY, 0, 7},
	    {"Conversation was marked resolved by Tom Becker", "close", "Tom Becker",
	     PART_ASSIGNED_UNSAID, 0, 5},
	    {"Conversation was reopened by Maya Patel", "open", "Maya Patel", PART_ASSIGNED_UNSAID,
	     0, 7},
	    {"Conversation was snoozed by Maya Patel", "snoozed", "Maya Patel",
	     PART_ASSIGNED_UNSAID, 0, 7},
	    {"Assigned to Nobody Known by Tom Becker", "Assigned to Nobody Known", "Tom Becker",
	     PART_ASSIGNED_UNSAID, 0, 5},
	    {"Ghost self-assigned this conversation", "self-assigned this conversation", "Ghost",
	     PART_ASSIGNED_UNSAID, 0, 0},
	    {"Maya Patel added billing", "tag added: billing", "Maya Patel", PART_ASSIGNED_UNSAID,
	     0, 7},
	    {"Tom Becker removed billing, vip", "tags removed: billing, vip", "Tom Becker",
	     PART_ASSIGNED_UNSAID, 0, 5},
	    {"Maya Patel set the priority to urgent", "set the priority to urgent", "Maya Patel",
	     PART_ASSIGNED_UNSAID, 0, 7},
	    {"Someone Else added billing", "Someone Else added billing", "Chatwoot",
	     PART_ASSIGNED_UNSAID, 0, 0},
	};
	size_t i, n;
	struct thread_part *parts;
	int64_t oldest;
	char err[128], *text;
	json_t *j;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		text = xasprintf("{\"payload\": [{\"id\": 1, \"message_type\": 2,"
				 " \"created_at\": 100, \"content\": \"%s\"}]}",
				 cases[i].content);
		j = json_of(text);
		assert_int_equal(chatwoot_parse_messages(j, &d, &parts, &n, &oldest, err, sizeof(err)),
				 0);
		assert_int_equal(n, 1);
		assert_string_equal(parts[0].kind, cases[i].kind);
		assert_string_equal(parts[0].author, cases[i].author);
		assert_int_equal(parts[0].assigned, cases[i].assigned);
		assert_int_equal(parts[0].assigned_id, cases[i].assigned_id);
		assert_int_equal(parts[0].author_id, cases[i].author_id);
		assert_true(parts[0].from_admin);
		chatwoot_parts_free(parts, n);
		json_decref(j);
		free(text);
	}
}

/* The list's counts under data.meta: every page says how many the filters match. */
static void test_list_count(void **state)
{
	json_t *j = json_of("{\"data\": {\"meta\": {\"all_count\": 260, \"mine_count\": 0,"
			    " \"unassigned_count\": \"7\"}, \"payload\": []}}");
	json_t *bare = json_of("[]");

	(void)state;
	assert_int_equal(chatwoot_list_count(j, "all_count"), 260);
	assert_int_equal(chatwoot_list_count(j, "mine_count"), 0);
	assert_int_equal(chatwoot_list_count(j, "unassigned_count"), -1);
	assert_int_equal(chatwoot_list_count(j, "assigned_count"), -1);
	assert_int_equal(chatwoot_list_count(bare, "all_count"), -1);
	json_decref(j);
	json_decref(bare);
}

static void test_messages(void **state)
{
	json_t *j = json_of(
	    "{\"meta\": {\"labels\": []}, \"payload\": ["
	    " {\"id\": 100, \"content\": \"Hello\", \"message_type\": 0, \"created_at\": 1760000000,"
	    "  \"private\": false, \"sender_type\": \"contact\", \"sender\": {\"id\": 9, \"name\": \"Alice\"}},"
	    " {\"id\": 101, \"content\": \"Checking\", \"message_type\": 1, \"created_at\": 1760000100,"
	    "  \"private\": true, \"sender_type\": \"agent\", \"sender\": {\"id\": 5, \"available_name\": \"Tom\"}},"
	    " {\"id\": 102, \"content\": \"Hi Alice\", \"message_type\": 1, \"created_at\": 1760000200,"
	    "  \"private\": false, \"sender_id\": 5},"
	    " {\"id\": 103, \"content\": \"Conversation was resolved by Tom\", \"message_type\": 2,"
	    "  \"created_at\": 1760000300},"
	    " {\"id\": 104, \"content\": \"odd\", \"message_type\": \"incoming\"},"
	    " {\"id\": 105, \"content\": \"odd\", \"message_type\": 9},"
	    " 7]}");
	struct thread_part *parts;
	size_t n;
	int64_t oldest;
	char err[128];

	(void)state;
	assert_int_equal(chatwoot_parse_messages(j, NULL, &parts, &n, &oldest, err, sizeof(err)), 0);
	assert_int_equal(n, 4);
	assert_int_equal(oldest, 100);
	assert_string_equal(parts[0].kind, "comment");
	assert_false(parts[0].from_admin);
	assert_string_equal(parts[0].author, "Alice");
	assert_string_equal(parts[1].kind, "note");
	assert_true(parts[1].from_admin);
	assert_string_equal(parts[1].author, "Tom");
	assert_int_equal(parts[1].author_id, 5);
	assert_string_equal(parts[2].kind, "comment");
	assert_true(parts[2].from_admin);
	assert_int_equal(parts[2].author_id, 5);
	assert_string_equal(parts[3].kind, "Conversation was resolved");
	assert_string_equal(parts[3].author, "Tom");
	assert_null(parts[3].body);
	assert_int_equal(parts[3].at, 1760000300);
	chatwoot_parts_free(parts, n);
	json_decref(j);
}

static void test_directory_lists(void **state)
{
	json_t *j;
	struct directory_entry *list, me;
	size_t n, i;
	char err[256];

	(void)state;
	j = json_of("[{\"id\": 5, \"name\": \"Tom\", \"email\": \"tom@example.com\","
		    "  \"availability_status\": \"busy\", \"role\": \"agent\"},"
		    " {\"id\": \"6\", \"available_name\": \"Maya\", \"availability_status\": \"online\"},"
		    " {\"id\": null, \"name\": \"Ghost\"}, 4]");
	assert_int_equal(chatwoot_parse_agents(j, &list, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "Tom");
	assert_string_equal(list[0].email, "tom@example.com");
	assert_true(list[0].away);
	assert_string_equal(list[1].name, "Maya");
	assert_false(list[1].away);
	for (i = 0; i < n; i++)
		directory_entry_release(&list[i]);
	free(list);
	json_decref(j);

	j = json_of("{\"payload\": [{\"id\": 11, \"title\": \"billing\"}, {\"title\": \"x\"}]}");
	assert_int_equal(chatwoot_parse_labels(j, &list, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "billing");
	directory_entry_release(&list[0]);
	free(list);
	json_decref(j);

	j = json_of("{\"teams\": []}");
	assert_int_equal(chatwoot_parse_teams(j, &list, &n, err, sizeof(err)), -1);
	json_decref(j);

	j = json_of("{\"id\": 5, \"name\": \"Tom\", \"email\": \"tom@example.com\","
		    " \"accounts\": [{\"id\": 3, \"name\": \"Acme\"}, {\"id\": 8}]}");
	assert_int_equal(chatwoot_parse_profile(j, 3, &me, err, sizeof(err)), 0);
	assert_int_equal(me.id, 5);
	assert_string_equal(me.email, "tom@example.com");
	directory_entry_release(&me);
	assert_int_equal(chatwoot_parse_profile(j, 4, &me, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "account_id"));
	assert_non_null(strstr(err, "3, 8"));
	json_decref(j);
}

static void test_label_sets(void **state)
{
	json_t *j = json_of("{\"payload\": [\"billing\", \"VIP\", 3, \"vip\"]}");
	char **names, **changed, err[64];
	size_t n, m;
	json_t *body;
	char *text;

	(void)state;
	assert_int_equal(chatwoot_parse_label_names(j, &names, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	changed = chatwoot_names_change(names, n, "urgent", true, &m);
	assert_int_equal(m, 3);
	assert_string_equal(changed[2], "urgent");
	chatwoot_names_free(changed, m);
	changed = chatwoot_names_change(names, n, "vip", false, &m);
	assert_int_equal(m, 1);
	assert_string_equal(changed[0], "billing");
	body = chatwoot_labels_request(changed, m);
	text = json_dumps(body, JSON_COMPACT);
	assert_string_equal(text, "{\"labels\":[\"billing\"]}");
	free(text);
	json_decref(body);
	chatwoot_names_free(changed, m);
	changed = chatwoot_names_change(names, n, "billing", true, &m);
	assert_int_equal(m, 2); /* already there: not twice */
	chatwoot_names_free(changed, m);
	chatwoot_names_free(names, n);
	json_decref(j);
}

static void test_requests(void **state)
{
	json_t *b;
	char *t;

	(void)state;
	b = chatwoot_message_request("Hi <b>", true);
	t = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(t, "{\"content\":\"Hi <b>\",\"message_type\":\"outgoing\",\"private\":true}");
	free(t);
	json_decref(b);
	assert_null(chatwoot_message_request("", false));
	assert_null(chatwoot_message_request("\xff\xfe", false));

	b = chatwoot_status_request("snoozed", 1760000000);
	t = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(t, "{\"snoozed_until\":1760000000,\"status\":\"snoozed\"}");
	free(t);
	json_decref(b);
	assert_null(chatwoot_status_request("snoozed", 0));
	assert_null(chatwoot_status_request("closed", 0));

	b = chatwoot_assign_request(false, 0);
	t = json_dumps(b, JSON_COMPACT);
	assert_string_equal(t, "{\"assignee_id\":null}");
	free(t);
	json_decref(b);
	b = chatwoot_assign_request(true, 2);
	t = json_dumps(b, JSON_COMPACT);
	assert_string_equal(t, "{\"team_id\":2}");
	free(t);
	json_decref(b);
	assert_null(chatwoot_assign_request(true, 0));
	assert_null(chatwoot_assign_request(false, -1));

	b = chatwoot_priority_request("none");
	t = json_dumps(b, JSON_COMPACT);
	assert_string_equal(t, "{\"priority\":\"none\"}");
	free(t);
	json_decref(b);
	assert_null(chatwoot_priority_request("critical"));
}

static void test_errors(void **state)
{
	static const struct {
		const char *body, *want;
	} cases[] = {
	    {"{\"error\": \"Resource could not be found\"}", "Resource could not be found"},
	    {"{\"message\": \"Access denied\"}", "Access denied"},
	    {"{\"errors\": [\"Name is blank\", {\"message\": \"Email taken\"}]}",
	     "Name is blank; Email taken"},
	    {"{\"error\": \"line\\u001bbreak\"}", "line?break"},
	    {"<html>502</html>", ""},
	    {"{\"error\": 5}", ""},
	};
	char msg[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		chatwoot_error_text(cases[i].body, strlen(cases[i].body), msg, sizeof(msg));
		assert_string_equal(msg, cases[i].want);
	}
	chatwoot_error_text(NULL, 0, msg, sizeof(msg));
	assert_string_equal(msg, "");
}

static void test_times(void **state)
{
	static const struct {
		const char *json;
		int rc;
		fl_time want;
	} cases[] = {
	    {"0", 0, 0},
	    {"null", 0, 0},
	    {"1760000000", 0, 1760000000},
	    {"1760000000.7", 0, 1760000000},
	    {"\"1760000000\"", 0, 1760000000},
	    {"\"2025-10-09T10:00:00.000Z\"", 0, 1760004000},
	    {"\"\"", 0, 0},
	    {"-1", -1, 0},
	    {"99999999999999", -1, 0},
	    {"1e300", -1, 0},
	    {"\"tomorrow\"", -1, 0},
	    {"true", -1, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
		fl_time t = 7;

		assert_non_null(j);
		assert_int_equal(chatwoot_time(j, &t), cases[i].rc);
		assert_int_equal(t, cases[i].want);
		json_decref(j);
	}
}

static void test_inboxes(void **state)
{
	json_t *j = json_of(
	    "{\"payload\": ["
	    " {\"id\": 1, \"name\": \"Website\", \"timezone\": \"Europe/Warsaw\","
	    "  \"working_hours_enabled\": true, \"working_hours\": ["
	    "   {\"day_of_week\": 1, \"open_hour\": 9, \"open_minutes\": 0, \"close_hour\": 17,"
	    "    \"close_minutes\": 30, \"closed_all_day\": false},"
	    "   {\"day_of_week\": 0, \"closed_all_day\": true},"
	    "   {\"day_of_week\": 6, \"open_all_day\": true}]},"
	    " {\"id\": 2, \"name\": \"Email\", \"working_hours_enabled\": false},"
	    " {\"id\": 3, \"name\": \"Bad\", \"timezone\": \"Mars/Olympus\", \"working_hours_enabled\": false},"
	    " {\"id\": 4, \"name\": \"Odd\", \"working_hours_enabled\": true, \"working_hours\": ["
	    "   {\"day_of_week\": 9}]},"
	    " {\"name\": \"No id\"}]}");
	struct sla_schedule *s;
	size_t n;
	char err[64];

	(void)state;
	assert_int_equal(chatwoot_parse_inboxes(j, &s, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 4);
	assert_string_equal(s[0].name, "Website");
	assert_string_equal(s[0].problem, "");
	assert_string_equal(s[0].hours.tz, "Europe/Warsaw");
	assert_int_equal(s[0].hours.n_week, 2);
	assert_int_equal(s[0].hours.week[0].start, 9 * 60);	   /* Monday 09:00 */
	assert_int_equal(s[0].hours.week[0].end, 17 * 60 + 30);
	assert_int_equal(s[0].hours.week[1].start, 5 * 1440);  /* all of Saturday */
	assert_int_equal(s[0].hours.week[1].end, 6 * 1440);
	assert_int_equal(s[1].hours.n_week, 1); /* hours off: open all week */
	assert_int_equal(s[1].hours.week[0].end, 10080);
	assert_string_not_equal(s[2].problem, "");
	assert_string_not_equal(s[3].problem, "");
	free(s);
	json_decref(j);
}

static void test_canned(void **state)
{
	json_t *j = json_of("[{\"id\": 1, \"short_code\": \"thanks\", \"content\": \"Thank you!\"},"
			    " {\"id\": 2, \"content\": \"no code\"}, {\"short_code\": \"no id\"}]");
	struct saved_reply *r;
	size_t n;
	char err[64];

	(void)state;
	assert_int_equal(chatwoot_parse_canned(j, &r, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].id, "1");
	assert_string_equal(r[0].name, "thanks");
	assert_string_equal(r[0].text, "Thank you!");
	assert_true(r[0].everyone);
	saved_reply_release(&r[0]);
	free(r);
	json_decref(j);
}

static void test_articles(void **state)
{
	json_t *j = json_of("{\"payload\": [{\"id\": 7, \"title\": \"Refunds\", \"slug\": \"refunds\","
			    " \"content\": \"<p>Ask <b>us</b></p>\", \"updated_at\": 1760000000},"
			    " {\"title\": \"no id\"}], \"meta\": {\"articles_count\": 2}}");
	struct article *a;
	size_t n;
	char err[64];

	(void)state;
	assert_int_equal(chatwoot_parse_articles(j, "https://help.example.com/hc/acme/articles", &a,
						 &n, err, sizeof(err)),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(a[0].title, "Refunds");
	assert_non_null(strstr(a[0].body, "Ask us"));
	assert_string_equal(a[0].url, "https://help.example.com/hc/acme/articles/refunds");
	assert_int_equal(a[0].updated_at, 1760000000);
	article_release(&a[0]);
	free(a);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_conversation),
	    cmocka_unit_test(test_conversation_states),
	    cmocka_unit_test(test_customer_last_message),
	    cmocka_unit_test(test_agent_last_reply),
	    cmocka_unit_test(test_conversation_hostile),
	    cmocka_unit_test(test_conversation_list),
	    cmocka_unit_test(test_applied_sla_targets),
	    cmocka_unit_test(test_list_count),
	    cmocka_unit_test(test_messages),
	    cmocka_unit_test(test_activities),
	    cmocka_unit_test(test_directory_lists),
	    cmocka_unit_test(test_label_sets),
	    cmocka_unit_test(test_requests),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_times),
	    cmocka_unit_test(test_inboxes),
	    cmocka_unit_test(test_canned),
	    cmocka_unit_test(test_articles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
