/* customers-unit.c: the customer cache on a real SQLite file (the outbox's): a customer
 * stored and read back whole (tags, earlier conversations, a deleted contact), scoped by
 * backend and agent, replaced by a new fetch, the oldest evicted beyond the bound, the
 * outbox's items untouched beside it, staleness and the age shown. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "customers.h"
#include "outbox.h"
#include "util.h"

#define T0	((fl_time)1700000000)
#define ACCOUNT "http://127.0.0.1:1"

struct fixture {
	char dir[64];
	struct customer_cache *cc;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char err[256];

	snprintf(f->dir, sizeof(f->dir), "/tmp/customers-unit.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->cc = customer_cache_open(f->dir, ACCOUNT, 901001, 3, err, sizeof(err));
	assert_non_null(f->cc);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir);

	customer_cache_close(f->cc);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f);
	return 0;
}

/* A customer named name (contact id), with two tags and one earlier conversation. */
static void customer_make(struct customer *cu, const char *id, const char *name)
{
	memset(cu, 0, sizeof(*cu));
	cu->contact_id = xstrdup(id);
	cu->name = xstrdup(name);
	cu->email = xstrdup("ada@example.com");
	cu->city = xstrdup("Dublin");
	cu->n_tags = 2;
	cu->tags = xcalloc(2, sizeof(*cu->tags));
	cu->tags[0] = xstrdup("vip");
	cu->tags[1] = xstrdup("churn-risk");
	cu->n_previous = 1;
	cu->previous = xcalloc(1, sizeof(*cu->previous));
	cu->previous[0].id = 42;
	cu->previous[0].state = CONV_CLOSED;
	cu->previous[0].created_at = T0 - 86400;
	cu->previous[0].title = xstrdup("Export broken");
}

static void put(struct customer_cache *cc, const char *id, const char *name, fl_time conv_at,
		fl_time now)
{
	struct customer cu;
	char err[256];

	customer_make(&cu, id, name);
	assert_int_equal(customer_cache_put(cc, &cu, conv_at, now, err, sizeof(err)), 0);
	customer_release(&cu);
}

static int get(struct customer_cache *cc, const char *id, struct customer *out,
	       struct customer_cache_info *info)
{
	char err[256];

	return customer_cache_get(cc, id, out, info, err, sizeof(err));
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct customer cu, deleted = {0};
	struct customer_cache_info info;
	char err[256];

	put(f->cc, "7", "Ada Lovelace", T0 - 5, T0);
	assert_int_equal(get(f->cc, "7", &cu, &info), 1);
	assert_string_equal(cu.contact_id, "7");
	assert_string_equal(cu.name, "Ada Lovelace");
	assert_string_equal(cu.email, "ada@example.com");
	assert_string_equal(cu.city, "Dublin");
	assert_null(cu.company);
	assert_false(cu.missing);
	assert_int_equal(cu.n_tags, 2);
	assert_string_equal(cu.tags[0], "vip");
	assert_string_equal(cu.tags[1], "churn-risk");
	assert_int_equal(cu.n_previous, 1);
	assert_int_equal(cu.previous[0].id, 42);
	assert_int_equal(cu.previous[0].state, CONV_CLOSED);
	assert_int_equal(cu.previous[0].created_at, T0 - 86400);
	assert_string_equal(cu.previous[0].title, "Export broken");
	assert_int_equal(info.fetched_at, T0);
	assert_int_equal(info.conversation_at, T0 - 5);
	customer_release(&cu);
	assert_int_equal(get(f->cc, "8", &cu, &info), 0);

	/* A new fetch replaces the entry whole: fewer tags, none left behind. */
	customer_make(&cu, "7", "Ada King");
	free(cu.tags[1]);
	cu.n_tags = 1;
	assert_int_equal(customer_cache_put(f->cc, &cu, T0 + 10, T0 + 20, err, sizeof(err)), 0);
	customer_release(&cu);
	assert_int_equal(get(f->cc, "7", &cu, &info), 1);
	assert_string_equal(cu.name, "Ada King");
	assert_int_equal(cu.n_tags, 1);
	assert_int_equal(info.fetched_at, T0 + 20);
	customer_release(&cu);
	assert_int_equal(customer_cache_count(f->cc), 1);

	/* A deleted contact is remembered as such. */
	deleted.contact_id = xstrdup("9");
	deleted.missing = true;
	assert_int_equal(customer_cache_put(f->cc, &deleted, T0, T0, err, sizeof(err)), 0);
	customer_release(&deleted);
	assert_int_equal(get(f->cc, "9", &cu, &info), 1);
	assert_true(cu.missing);
	assert_null(cu.name);
	customer_release(&cu);
}

/* Another process's change (here: another connection's) is seen by the next read. */
static void test_other_writer(void **state)
{
	struct fixture *f = *state;
	struct customer cu;
	struct customer_cache_info info;
	char *path = xasprintf("%s/outbox.db", f->dir);
	sqlite3 *db;

	put(f->cc, "7", "Ada Lovelace", T0, T0);
	assert_int_equal(get(f->cc, "7", &cu, &info), 1);
	customer_release(&cu);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE customers SET fetched_at = fetched_at - 300",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	free(path);
	assert_int_equal(get(f->cc, "7", &cu, &info), 1);
	assert_int_equal(info.fetched_at, T0 - 300);
	customer_release(&cu);
}

static void test_scoped(void **state)
{
	struct fixture *f = *state;
	struct customer cu;
	struct customer_cache_info info;
	char err[256];
	struct customer_cache *other_agent, *other_backend;

	put(f->cc, "7", "Ada Lovelace", T0, T0);
	other_agent = customer_cache_open(f->dir, ACCOUNT, 901002, 3, err, sizeof(err));
	other_backend =
	    customer_cache_open(f->dir, "http://127.0.0.1:2", 901001, 3, err, sizeof(err));
	assert_non_null(other_agent);
	assert_non_null(other_backend);
	assert_int_equal(get(other_agent, "7", &cu, &info), 0);
	assert_int_equal(get(other_backend, "7", &cu, &info), 0);
	customer_cache_close(other_agent);
	customer_cache_close(other_backend);
}

static void test_eviction(void **state)
{
	struct fixture *f = *state;
	struct customer cu;
	struct customer_cache_info info;
	struct outbox *o;
	struct write_op w = {.kind = WRITE_NOTE, .conversation = 5, .body = "kept"};
	char err[256];

	/* The outbox's items share the file and are never evicted. */
	o = outbox_open(f->dir, ACCOUNT, err, sizeof(err));
	assert_non_null(o);
	assert_true(outbox_enqueue(o, &w, NULL, T0, err, sizeof(err)) > 0);

	put(f->cc, "1", "one", T0, T0 + 1);
	put(f->cc, "2", "two", T0, T0 + 2);
	put(f->cc, "3", "three", T0, T0 + 3);
	assert_int_equal(customer_cache_count(f->cc), 3);
	/* "1" fetched again: "2" is now the oldest, and goes when a fourth comes. */
	put(f->cc, "1", "one again", T0, T0 + 4);
	put(f->cc, "4", "four", T0, T0 + 5);
	assert_int_equal(customer_cache_count(f->cc), 3);
	assert_int_equal(get(f->cc, "2", &cu, &info), 0);
	assert_int_equal(get(f->cc, "1", &cu, &info), 1);
	assert_string_equal(cu.name, "one again");
	customer_release(&cu);
	assert_int_equal(get(f->cc, "3", &cu, &info), 1);
	customer_release(&cu);
	assert_int_equal(get(f->cc, "4", &cu, &info), 1);
	customer_release(&cu);

	struct outbox_counts counts;
	assert_int_equal(outbox_counts(o, &counts), 0);
	assert_int_equal(counts.pending, 1);
	outbox_close(o);
}

static void test_stale_and_age(void **state)
{
	struct customer_cache_info info = {.fetched_at = T0, .conversation_at = T0 - 100};
	char *s;

	(void)state;
	assert_false(customer_cache_stale(&info, T0 - 100, T0 + 60));
	assert_false(customer_cache_stale(&info, T0 - 200, T0 + CUSTOMER_CACHE_MAX_AGE - 1));
	assert_true(customer_cache_stale(&info, T0 - 99, T0 + 1));
	assert_true(customer_cache_stale(&info, T0 - 100, T0 + CUSTOMER_CACHE_MAX_AGE));
	assert_null(customer_cache_age_text(T0, T0 + 59));
	s = customer_cache_age_text(T0, T0 + 180);
	assert_string_equal(s, "as of 3 min ago");
	free(s);
	s = customer_cache_age_text(T0, T0 + 7200);
	assert_string_equal(s, "as of 2 h ago");
	free(s);
	s = customer_cache_age_text(T0, T0 + 3 * 86400);
	assert_string_equal(s, "as of 3 days ago");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scoped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_other_writer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_eviction, setup, teardown),
	    cmocka_unit_test(test_stale_and_age),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
