/* convsearch-unit.c: the agent's conversation search query: its terms, its errors, and
 * the POST /conversations/search body the Intercom driver makes of it. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "convsearch.h"
#include "intercom.h"

static void test_terms(void **state)
{
	struct convsearch q;
	char err[200];

	(void)state;
	assert_int_equal(convsearch_parse("  Lost   parcel email:ann@example.com state:closed ", &q,
					  err, sizeof(err)),
			 0);
	assert_string_equal(q.text, "Lost parcel");
	assert_string_equal(q.email, "ann@example.com");
	assert_true(q.has_state);
	assert_int_equal(q.state, CONV_CLOSED);
	assert_string_equal(q.id, "");
	assert_int_equal(convsearch_parse("#123", &q, err, sizeof(err)), 0);
	assert_string_equal(q.id, "123");
	assert_string_equal(q.text, "");
	assert_int_equal(convsearch_parse("id:77 state:snoozed", &q, err, sizeof(err)), 0);
	assert_string_equal(q.id, "77");
	assert_int_equal(q.state, CONV_SNOOZED);
	assert_int_equal(convsearch_parse("42", &q, err, sizeof(err)), 0);
	assert_string_equal(q.id, "42");
	/* not an id: text */
	assert_int_equal(convsearch_parse("#12a 50%", &q, err, sizeof(err)), 0);
	assert_string_equal(q.id, "");
	assert_string_equal(q.text, "#12a 50%");
	/* an id too long for any backend is still the digits typed: the backend judges */
	assert_int_equal(convsearch_parse("#123456789012345678901234567890", &q, err, sizeof(err)), 0);
	assert_string_equal(q.id, "123456789012345678901234567890");
}

static void test_errors(void **state)
{
	struct convsearch q;
	char err[200], big[400];

	(void)state;
	assert_int_equal(convsearch_parse("   ", &q, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "nothing to search for"));
	assert_int_equal(convsearch_parse("state:pending", &q, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "open, closed or snoozed"));
	assert_int_equal(convsearch_parse("email:a@b email:c@d", &q, err, sizeof(err)), -1);
	memset(big, 'w', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(convsearch_parse(big, &q, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "longer than"));
}

static void expect_body(const char *query, const char *want)
{
	struct convsearch q;
	char err[200], *got;
	json_t *body;

	assert_int_equal(convsearch_parse(query, &q, err, sizeof(err)), 0);
	body = intercom_conversation_search_request(&q, 50);
	assert_non_null(body);
	got = json_dumps(body, JSON_COMPACT);
	assert_string_equal(got, want);
	free(got);
	json_decref(body);
}

static void test_request(void **state)
{
	(void)state;
	expect_body("#9", "{\"query\":{\"field\":\"id\",\"operator\":\"=\",\"value\":\"9\"},"
			  "\"pagination\":{\"per_page\":50}}");
	expect_body("email:ann@example.com state:open",
		    "{\"query\":{\"operator\":\"AND\",\"value\":["
		    "{\"field\":\"source.author.email\",\"operator\":\"=\",\"value\":\"ann@example.com\"},"
		    "{\"field\":\"state\",\"operator\":\"=\",\"value\":\"open\"}]},"
		    "\"pagination\":{\"per_page\":50}}");
	/* a group holds filters or groups: the filters beside text are a group of their own */
	expect_body("#9 vat", "{\"query\":{\"operator\":\"AND\",\"value\":["
			      "{\"operator\":\"AND\",\"value\":["
			      "{\"field\":\"id\",\"operator\":\"=\",\"value\":\"9\"}]},"
			      "{\"operator\":\"OR\",\"value\":["
			      "{\"field\":\"source.subject\",\"operator\":\"~\",\"value\":\"vat\"},"
			      "{\"field\":\"source.body\",\"operator\":\"~\",\"value\":\"vat\"},"
			      "{\"field\":\"source.author.name\",\"operator\":\"~\",\"value\":\"vat\"},"
			      "{\"field\":\"source.author.email\",\"operator\":\"~\",\"value\":\"vat\"}]}]},"
			      "\"pagination\":{\"per_page\":50}}");
	expect_body("vat", "{\"query\":{\"operator\":\"OR\",\"value\":["
			   "{\"field\":\"source.subject\",\"operator\":\"~\",\"value\":\"vat\"},"
			   "{\"field\":\"source.body\",\"operator\":\"~\",\"value\":\"vat\"},"
			   "{\"field\":\"source.author.name\",\"operator\":\"~\",\"value\":\"vat\"},"
			   "{\"field\":\"source.author.email\",\"operator\":\"~\",\"value\":\"vat\"}]},"
			   "\"pagination\":{\"per_page\":50}}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_terms),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_request),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
