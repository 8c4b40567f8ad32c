/* directory-unit.c: choosing the admin frontline acts as (directory_choose_agent): named
 * by email or id, from the configuration or the environment; unset, the token's owner
 * when no other human admin is listed, else nobody with a message saying how to name one;
 * a name that matches nobody an error naming it. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "directory.h"

static struct directory_entry owner = {
    .id = 1, .name = "Olga Owner", .email = "olga@example.com"};
static struct directory_entry bot = {
    .id = 9, .name = "Operator", .email = "operator+app@intercom.io", .bot = true};
static struct directory_entry team[] = {
    {.id = 1, .name = "Olga Owner", .email = "olga@example.com"},
    {.id = 2, .name = "Ben Away", .email = "ben@example.com", .away = true},
    {.id = 3, .name = "Cy", .email = "cy@example.com"},
    {.id = 4, .name = "Di", .email = "di@example.com"},
    {.id = 9, .name = "Operator", .email = "operator+app@intercom.io", .bot = true},
};

/* The agent's fields only: the lists are static. */
static void agent_release(struct directory *d)
{
	free(d->me_name);
	free(d->me_email);
	free(d->me_refusal);
}

static int choose(struct directory *d, struct directory_entry *admins, size_t n,
		  const char *wanted, bool env, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	d->admins = admins;
	d->n_admins = n;
	err[0] = '\0';
	return directory_choose_agent(d, &owner, wanted, env, err, errlen);
}

static void test_owner_alone_with_a_bot(void **state)
{
	struct directory_entry alone[] = {team[0], team[4]};
	struct directory d;
	char err[256];

	(void)state;
	assert_int_equal(choose(&d, alone, 2, NULL, false, err, sizeof(err)), 0);
	assert_int_equal(d.me, 1);
	assert_int_equal(d.me_source, DIRECTORY_AGENT_OWNER);
	assert_string_equal(d.me_email, "olga@example.com");
	agent_release(&d);
	/* /me need not be listed: nobody else to be */
	assert_int_equal(choose(&d, &bot, 1, "", false, err, sizeof(err)), 0);
	assert_int_equal(d.me, 1);
	agent_release(&d);
}

static void test_several_humans_refused(void **state)
{
	struct directory d;
	char err[256];

	(void)state;
	assert_int_equal(choose(&d, team, 5, NULL, false, err, sizeof(err)), 0);
	assert_int_equal(d.me, 0);
	assert_int_equal(d.me_source, DIRECTORY_AGENT_NONE);
	assert_non_null(d.me_refusal);
	assert_non_null(strstr(d.me_refusal, "4 human admins"));
	assert_non_null(strstr(d.me_refusal, "admin = EMAIL under [backend]"));
	assert_non_null(strstr(d.me_refusal, "$FRONTLINE_ADMIN"));
	assert_non_null(strstr(d.me_refusal, "olga@example.com, ben@example.com, cy@example.com"));
	assert_null(strstr(d.me_refusal, "operator+"));
	agent_release(&d);
}

static void test_named_by_email_or_id(void **state)
{
	struct directory d;
	char err[256];

	(void)state;
	assert_int_equal(choose(&d, team, 5, "BEN@example.com", false, err, sizeof(err)), 0);
	assert_int_equal(d.me, 2);
	assert_true(d.me_away);
	assert_false(d.me_bot);
	assert_int_equal(d.me_source, DIRECTORY_AGENT_CONFIG);
	assert_string_equal(d.me_name, "Ben Away");
	agent_release(&d);
	assert_int_equal(choose(&d, team, 5, "9", true, err, sizeof(err)), 0);
	assert_int_equal(d.me, 9);
	assert_true(d.me_bot);
	assert_int_equal(d.me_source, DIRECTORY_AGENT_ENV);
	assert_string_equal(directory_agent_why(&d), "$FRONTLINE_ADMIN");
	agent_release(&d);
}

static void test_unknown_is_an_error(void **state)
{
	struct directory d;
	char err[256];

	(void)state;
	assert_int_equal(choose(&d, team, 5, "eve@example.com", false, err, sizeof(err)), -1);
	assert_int_equal(d.me, 0);
	assert_non_null(strstr(err, "\"eve@example.com\""));
	assert_non_null(strstr(err, "admin = under [backend]"));
	agent_release(&d);
	assert_int_equal(choose(&d, team, 5, "77", true, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "id \"77\""));
	assert_non_null(strstr(err, "$FRONTLINE_ADMIN"));
	agent_release(&d);
	/* an id is not an email, nor the other way round */
	assert_int_equal(choose(&d, team, 5, "cy", false, err, sizeof(err)), -1);
	agent_release(&d);
}

/* directory_find_assignee: me, none, an email, a name or an id whole and in any case, a
 * team; else the one whose name or email starts with it; several or none an error that
 * names them. */
static void test_find_assignee(void **state)
{
	struct directory_entry teams[] = {{.id = 50, .name = "Billing"}, {.id = 51, .name = "Cyprus"}};
	struct directory d = {.me = 1, .admins = team, .n_admins = 5, .teams = teams, .n_teams = 2};
	enum directory_assignee_kind kind;
	int64_t id;
	char err[512];

	(void)state;
	assert_int_equal(directory_find_assignee(&d, "ME", &kind, &id, err, sizeof(err)), 0);
	assert_int_equal(kind, DIRECTORY_ASSIGN_ME);
	assert_int_equal(id, 1);
	assert_int_equal(directory_find_assignee(&d, "none", &kind, &id, err, sizeof(err)), 0);
	assert_int_equal(kind, DIRECTORY_ASSIGN_NOBODY);
	assert_int_equal(directory_find_assignee(&d, "Ben@Example.com ", &kind, &id, err,
						 sizeof(err)),
			 0);
	assert_int_equal(kind, DIRECTORY_ASSIGN_TEAMMATE);
	assert_int_equal(id, 2);
	assert_int_equal(directory_find_assignee(&d, "billing", &kind, &id, err, sizeof(err)), 0);
	assert_int_equal(kind, DIRECTORY_ASSIGN_TEAM);
	assert_int_equal(id, 50);
	assert_int_equal(directory_find_assignee(&d, "51", &kind, &id, err, sizeof(err)), 0);
	assert_int_equal(kind, DIRECTORY_ASSIGN_TEAM);
	/* a whole name wins over the starts of others: "Cy" the teammate, not Cyprus */
	assert_int_equal(directory_find_assignee(&d, "cy", &kind, &id, err, sizeof(err)), 0);
	assert_int_equal(kind, DIRECTORY_ASSIGN_TEAMMATE);
	assert_int_equal(id, 3);
	assert_int_equal(directory_find_assignee(&d, "di@", &kind, &id, err, sizeof(err)), 0);
	assert_int_equal(id, 4);
	/* several start so: both named, nothing chosen */
	assert_int_equal(directory_find_assignee(&d, "b", &kind, &id, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "ben@example.com (teammate 2)"));
	assert_non_null(strstr(err, "Billing (team 50)"));
	/* a bot is never a start's match */
	assert_int_equal(directory_find_assignee(&d, "oper", &kind, &id, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no teammate or team matches \"oper\""));
	assert_int_equal(directory_find_assignee(&d, "  ", &kind, &id, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_owner_alone_with_a_bot),
	    cmocka_unit_test(test_several_humans_refused),
	    cmocka_unit_test(test_named_by_email_or_id),
	    cmocka_unit_test(test_unknown_is_an_error),
	    cmocka_unit_test(test_find_assignee),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
