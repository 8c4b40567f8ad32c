/* search-unit.c: the search query language and its snapshot cursors, run against a small
 * real SQLite database (no sim, no HTTP). */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "search.h"

static const char schema[] =
	"CREATE TABLE conversations(id INTEGER PRIMARY KEY, created_at INTEGER, updated_at INTEGER,"
	" waiting_since INTEGER, snoozed_until INTEGER, state TEXT, read INTEGER, priority TEXT,"
	" admin_assignee_id INTEGER, team_assignee_id INTEGER, body TEXT);"
	"CREATE TABLE conversation_tags(conversation_id INTEGER, tag_id INTEGER);"
	"INSERT INTO conversations VALUES"
	" (1, 100, 500, 400, NULL, 'open', 0, 'none', 0, 5001, 'I cannot log in'),"
	" (2, 200, 600, NULL, NULL, 'closed', 1, 'urgent', 901001, 5002, 'Refund please 100%'),"
	" (3, 300, 700, 650, 900, 'snoozed', 0, 'none', 901002, 5002, 'It''s broken; DROP TABLE x'),"
	" (4, 400, 800, 790, NULL, 'open', 1, 'urgent', 0, 5001, 'Привет, 你好 👋');"
	"INSERT INTO conversation_tags VALUES (1, 7001), (2, 7001), (2, 7002), (4, 7003);";

static sqlite3 *open_db(void)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema, NULL, NULL, NULL), SQLITE_OK);
	return db;
}

/* Runs a search body and returns the ids of the first page as "1,2,3"; the error text
 * (prefixed "!") when the request is invalid. */
static char *ids_of(sqlite3 *db, struct search_cursors *c, const char *request, char *next)
{
	static char out[512];
	struct search_page page;
	json_error_t jerr;
	json_t *body = json_loads(request, 0, &jerr);
	char err[256];
	size_t i;
	int rc;

	assert_non_null(body);
	rc = search_run(db, c, &search_live, body, 1000, &page, err, sizeof(err));
	json_decref(body);
	assert_true(rc >= 0);
	if (rc > 0) {
		snprintf(out, sizeof(out), "!%s", err);
		return out;
	}
	out[0] = '\0';
	for (i = 0; i < page.n_ids; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%lld", i ? "," : "",
			 page.ids[i]);
	if (next)
		strcpy(next, page.next);
	search_page_release(&page);
	return out;
}

struct case_ {
	const char *query;
	const char *expect;
};

static void test_filters(void **state)
{
	static const struct case_ cases[] = {
		{"{\"field\":\"state\",\"operator\":\"=\",\"value\":\"open\"}", "1,4"},
		{"{\"field\":\"state\",\"operator\":\"!=\",\"value\":\"open\"}", "2,3"},
		{"{\"field\":\"open\",\"operator\":\"=\",\"value\":true}", "1,3,4"},
		{"{\"field\":\"read\",\"operator\":\"=\",\"value\":false}", "1,3"},
		{"{\"field\":\"team_assignee_id\",\"operator\":\"=\",\"value\":5002}", "2,3"},
		{"{\"field\":\"admin_assignee_id\",\"operator\":\"=\",\"value\":null}", "1,4"},
		{"{\"field\":\"admin_assignee_id\",\"operator\":\"=\",\"value\":0}", "1,4"},
		/* Intercom's ">" and "<" include the value itself. */
		{"{\"field\":\"updated_at\",\"operator\":\">\",\"value\":600}", "2,3,4"},
		{"{\"field\":\"updated_at\",\"operator\":\">=\",\"value\":600}", "2,3,4"},
		{"{\"field\":\"created_at\",\"operator\":\"<\",\"value\":300}", "1,2,3"},
		{"{\"field\":\"waiting_since\",\"operator\":\"=\",\"value\":null}", "2"},
		{"{\"field\":\"waiting_since\",\"operator\":\"!=\",\"value\":null}", "1,3,4"},
		{"{\"field\":\"snoozed_until\",\"operator\":\">\",\"value\":0}", "3"},
		{"{\"field\":\"tag_ids\",\"operator\":\"=\",\"value\":\"7001\"}", "1,2"},
		{"{\"field\":\"tag_ids\",\"operator\":\"!=\",\"value\":\"7001\"}", "3,4"},
		{"{\"field\":\"tag_ids\",\"operator\":\"IN\",\"value\":[\"7002\",\"7003\"]}", "2,4"},
		{"{\"field\":\"tag_ids\",\"operator\":\"NIN\",\"value\":[\"7001\"]}", "3,4"},
		{"{\"field\":\"priority\",\"operator\":\"=\",\"value\":\"priority\"}", "2,4"},
		{"{\"field\":\"priority\",\"operator\":\"=\",\"value\":\"not_priority\"}", "1,3"},
		{"{\"field\":\"id\",\"operator\":\"IN\",\"value\":[\"1\",\"3\"]}", "1,3"},
		{"{\"field\":\"id\",\"operator\":\"NIN\",\"value\":[\"1\",\"3\"]}", "2,4"},
		{"{\"field\":\"source.body\",\"operator\":\"~\",\"value\":\"LOG IN\"}", "1"},
		{"{\"field\":\"source.body\",\"operator\":\"~\",\"value\":\"100%\"}", "2"},
		{"{\"field\":\"source.body\",\"operator\":\"~\",\"value\":\"%\"}", "2"},
		{"{\"field\":\"source.body\",\"operator\":\"~\",\"value\":\"'s broken; DROP\"}", "3"},
		{"{\"field\":\"source.body\",\"operator\":\"!~\",\"value\":\"e\"}", "1,4"},
		{"{\"field\":\"source.body\",\"operator\":\"^\",\"value\":\"Привет\"}", "4"},
		{"{\"field\":\"source.body\",\"operator\":\"$\",\"value\":\"👋\"}", "4"},
		{"{\"field\":\"source.body\",\"operator\":\"$\",\"value\":\"\"}", "1,2,3,4"},
		{"{\"operator\":\"AND\",\"value\":[{\"field\":\"state\",\"operator\":\"=\",\"value\":\"open\"},"
		 "{\"field\":\"read\",\"operator\":\"=\",\"value\":true}]}", "4"},
		{"{\"operator\":\"OR\",\"value\":[{\"operator\":\"AND\",\"value\":["
		 "{\"field\":\"state\",\"operator\":\"=\",\"value\":\"closed\"}]},{\"operator\":\"AND\","
		 "\"value\":[{\"field\":\"team_assignee_id\",\"operator\":\"=\",\"value\":5001},"
		 "{\"field\":\"updated_at\",\"operator\":\"<\",\"value\":600}]}]}", "1,2"},
	};
	sqlite3 *db = open_db();
	struct search_cursors c;
	char request[1024];
	size_t i;

	(void)state;
	search_cursors_init(&c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(request, sizeof(request), "{\"query\":%s}", cases[i].query);
		if (strcmp(ids_of(db, &c, request, NULL), cases[i].expect) != 0)
			fail_msg("query %s: got %s, expected %s", cases[i].query,
				 ids_of(db, &c, request, NULL), cases[i].expect);
	}
	search_cursors_release(&c);
	sqlite3_close(db);
}

static void test_invalid(void **state)
{
	static const char *const bad[] = {
		"{\"query\":{\"field\":\"nope\",\"operator\":\"=\",\"value\":1}}",
		"{\"query\":{\"field\":\"state\",\"operator\":\"LIKE\",\"value\":\"open\"}}",
		"{\"query\":{\"field\":\"state\",\"operator\":\"=\",\"value\":\"maybe\"}}",
		"{\"query\":{\"field\":\"state\",\"operator\":\">\",\"value\":\"open\"}}",
		"{\"query\":{\"field\":\"state\",\"operator\":\"=\",\"value\":\"open\",\"x\":1}}",
		"{\"query\":{\"field\":\"id\",\"operator\":\"IN\",\"value\":[]}}",
		"{\"query\":{\"field\":\"source.body\",\"operator\":\"~\",\"value\":3}}",
		"{\"query\":{\"operator\":\"XOR\",\"value\":[]}}",
		"{\"query\":{\"operator\":\"AND\",\"value\":[{\"operator\":\"OR\",\"value\":[{\"operator\":"
		"\"AND\",\"value\":[{\"field\":\"id\",\"operator\":\"=\",\"value\":\"1\"}]}]}]}}",
		"{\"query\":{\"field\":\"id\",\"operator\":\"=\",\"value\":\"1\"},\"sort\":{\"field\":\"title\"}}",
		"{\"query\":{\"field\":\"id\",\"operator\":\"=\",\"value\":\"1\"},\"pagination\":{\"per_page\":151}}",
		"{\"query\":{\"field\":\"id\",\"operator\":\"=\",\"value\":\"1\"},\"pagination\":{\"per_page\":0}}",
		"{\"query\":{\"field\":\"id\",\"operator\":\"=\",\"value\":\"1\"},"
		"\"pagination\":{\"starting_after\":\"garbage\"}}",
		"{\"pagination\":{\"per_page\":5}}",
		/* values of another type than the description gives the field */
		"{\"query\":{\"field\":\"team_assignee_id\",\"operator\":\"IN\",\"value\":[\"5001\"]}}",
		"{\"query\":{\"field\":\"admin_assignee_id\",\"operator\":\"=\",\"value\":\"0\"}}",
		"{\"query\":{\"field\":\"read\",\"operator\":\"=\",\"value\":\"false\"}}",
		"{\"query\":{\"field\":\"updated_at\",\"operator\":\">\",\"value\":\"600\"}}",
		"{\"query\":{\"field\":\"tag_ids\",\"operator\":\"=\",\"value\":7001}}",
	};
	sqlite3 *db = open_db();
	struct search_cursors c;
	size_t i;

	(void)state;
	search_cursors_init(&c);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ids_of(db, &c, bad[i], NULL)[0] != '!')
			fail_msg("accepted an invalid request: %s", bad[i]);
	search_cursors_release(&c);
	sqlite3_close(db);
}

/* Pages come from the snapshot taken at the first page: a conversation that changes its
 * sort key between pages is neither repeated nor lost, and one that stops matching is
 * left out. */
static void test_snapshot_paging(void **state)
{
	sqlite3 *db = open_db();
	struct search_cursors c;
	char next[64], request[512];
	const char *q = "{\"field\":\"id\",\"operator\":\">\",\"value\":\"0\"}";

	(void)state;
	search_cursors_init(&c);
	snprintf(request, sizeof(request),
		 "{\"query\":%s,\"sort\":{\"field\":\"updated_at\",\"order\":\"descending\"},"
		 "\"pagination\":{\"per_page\":2}}", q);
	assert_string_equal(ids_of(db, &c, request, next), "4,3");
	assert_true(next[0] != '\0');
	/* Conversation 1 becomes the most recently updated: a live order would move it
	 * onto the page already served. */
	assert_int_equal(sqlite3_exec(db, "UPDATE conversations SET updated_at = 9999 WHERE id = 1",
				      NULL, NULL, NULL), SQLITE_OK);
	snprintf(request, sizeof(request), "{\"query\":%s,\"pagination\":{\"per_page\":2,"
		 "\"starting_after\":\"%s\"}}", q, next);
	assert_string_equal(ids_of(db, &c, request, next), "2,1");
	assert_string_equal(next, "");

	/* A conversation that no longer matches is not served on a later page. */
	snprintf(request, sizeof(request), "{\"query\":{\"field\":\"state\",\"operator\":\"!=\","
		 "\"value\":\"closed\"},\"pagination\":{\"per_page\":1}}");
	assert_string_equal(ids_of(db, &c, request, next), "1");
	assert_int_equal(sqlite3_exec(db, "UPDATE conversations SET state = 'closed' WHERE id = 3",
				      NULL, NULL, NULL), SQLITE_OK);
	snprintf(request, sizeof(request), "{\"query\":{},\"pagination\":{\"per_page\":1,"
		 "\"starting_after\":\"%s\"}}", next);
	assert_string_equal(ids_of(db, &c, request, next), "");
	assert_true(next[0] != '\0');
	snprintf(request, sizeof(request), "{\"query\":{},\"pagination\":{\"per_page\":1,"
		 "\"starting_after\":\"%s\"}}", next);
	assert_string_equal(ids_of(db, &c, request, next), "4");
	assert_string_equal(next, "");
	search_cursors_release(&c);
	sqlite3_close(db);
}

static void test_cursor_tokens(void **state)
{
	unsigned long long snap;
	size_t offset;
	char buf[40];

	(void)state;
	search_cursor_format(buf, sizeof(buf), 0x1234abcdULL, 300);
	assert_int_equal(search_cursor_parse(buf, &snap, &offset), 0);
	assert_int_equal(snap, 0x1234abcdULL);
	assert_int_equal(offset, 300);
	assert_int_equal(search_cursor_parse("", &snap, &offset), -1);
	assert_int_equal(search_cursor_parse("fl0000000000000001000000zz", &snap, &offset), -1);
	assert_int_equal(search_cursor_parse("xx000000000000000100000001", &snap, &offset), -1);
	assert_int_equal(search_cursor_parse("fl00000000000000010000000100", &snap, &offset), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_snapshot_paging),
		cmocka_unit_test(test_cursor_tokens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
