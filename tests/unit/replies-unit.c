/* replies-unit.c: saved replies' placeholders, the fuzzy match, a paragraph of its own. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "replies.h"

static void expect_filled(const char *in, const struct reply_context *ctx, const char *want)
{
	char *got = replies_fill(in, ctx);

	if (strcmp(got, want) != 0)
		fail_msg("fill(\"%s\"): got \"%s\", expected \"%s\"", in, got, want);
	free(got);
}

static void test_fill(void **state)
{
	const struct reply_context kim = {"Kim Lee", "kim@example.com", "Maya Patel", "maya@x.io"};
	const struct reply_context nobody = {"", NULL, NULL, NULL};

	(void)state;
	expect_filled(NULL, &kim, "");
	expect_filled("no placeholders", &kim, "no placeholders");
	expect_filled("Hi {{user.name|fallback:\"there\"}}!", &kim, "Hi Kim Lee!");
	expect_filled("Hi {{user.name|fallback:\"there\"}}!", &nobody, "Hi there!");
	expect_filled("Hi {{ user.first_name | fallback: 'there' }},", &kim, "Hi Kim,");
	expect_filled("Hi {{ user.first_name | fallback: 'there' }},", &nobody, "Hi there,");
	expect_filled("mail {{user.email}} now", &kim, "mail kim@example.com now");
	expect_filled("mail {{user.email}} now", &nobody, "mail  now");
	expect_filled("I'm {{admin.first_name}} ({{teammate.name}}, {{admin.email}})", &kim,
		      "I'm Maya (Maya Patel, maya@x.io)");
	/* Chatwoot's variables, with Liquid's default filter */
	expect_filled("Hi {{ contact.first_name | default: 'there' }},", &kim, "Hi Kim,");
	expect_filled("Hi {{contact.name|default:\"there\"}}!", &nobody, "Hi there!");
	expect_filled("{{agent.first_name}} <{{ agent.email }}> for {{contact.email}}", &kim,
		      "Maya <maya@x.io> for kim@example.com");
	expect_filled("{{ inbox.name | default: 'Support' }} {{conversation.id}}.", &kim,
		      "Support .");
	expect_filled("{{ contact.name | upcase }}", &kim, "{{ contact.name | upcase }}");
	/* unknown attributes: the fallback, else nothing */
	expect_filled("order #{{conversation.custom_attributes.order_number}}.", &kim, "order #.");
	expect_filled("{{product.name|fallback:\"our products\"}}", &kim, "our products");
	/* not placeholders: left as they are */
	expect_filled("{{ }} and {{a|b}} and {{x", &kim, "{{ }} and {{a|b}} and {{x");
	expect_filled("{{user.name}}{{user.email}}", NULL, "");
}

static void test_fuzzy(void **state)
{
	(void)state;
	assert_int_equal(replies_fuzzy_score("", "Anything"), 0);
	assert_int_equal(replies_fuzzy_score("xyz", "Refund process"), -1);
	assert_int_equal(replies_fuzzy_score("rfnd", "Refund process") >= 0, 1);
	assert_int_equal(replies_fuzzy_score("dnuf", "Refund process"), -1);
	assert_int_equal(replies_fuzzy_score("REF", "refund") >= 0, 1);
	/* consecutive and word-start matches score higher than scattered ones */
	assert_true(replies_fuzzy_score("ref", "Refund process") >
		    replies_fuzzy_score("ref", "Reset password for"));
	assert_true(replies_fuzzy_score("pr", "Refund process") >
		    replies_fuzzy_score("pr", "Approval"));
	assert_true(replies_fuzzy_score("tr", "Trial extension") >
		    replies_fuzzy_score("tr", "Extension trial"));
}

static void expect_joined(const char *draft, const char *add, const char *want)
{
	char *got = replies_join_paragraph(draft, add);

	if (strcmp(got, want) != 0)
		fail_msg("join(\"%s\", \"%s\"): got \"%s\", expected \"%s\"", draft ? draft : "(null)",
			 add, got, want);
	free(got);
}

static void test_join(void **state)
{
	(void)state;
	expect_joined(NULL, "Title\nhttp://x\n", "Title\nhttp://x\n");
	expect_joined("", "Title", "Title\n");
	expect_joined(" \n\n", "Title", "Title\n");
	expect_joined("...your cache.", "Download an invoice\n", "...your cache.\n\nDownload an invoice\n");
	expect_joined("...your cache.\n", "Download", "...your cache.\n\nDownload\n");
	expect_joined("a\n\n\n \n", "\nb\n\n", "a\n\nb\n");
}

static void test_visible(void **state)
{
	int64_t two[] = {5001, 5002}, other[] = {5003};
	struct saved_reply all = {.everyone = true};
	struct saved_reply team = {.team_ids = two, .n_team_ids = 2};

	(void)state;
	assert_true(replies_visible(&all, NULL, 0));
	assert_true(replies_visible(&team, two + 1, 1));
	assert_false(replies_visible(&team, other, 1));
	assert_false(replies_visible(&team, NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fill),
	    cmocka_unit_test(test_fuzzy),
	    cmocka_unit_test(test_join),
	    cmocka_unit_test(test_visible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
