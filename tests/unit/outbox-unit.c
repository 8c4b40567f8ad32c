/* outbox-unit.c: the outbox's state machine on a real SQLite file: items stored and read
 * back whole, one head per conversation in order, backoff, the moves between states and
 * the ones refused, recovery of items a dead process left in flight, the lock between
 * two handles, and the sent items that a duplicate check must not count twice. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "outbox.h"
#include "util.h"

#define T0	((fl_time)1700000000)
#define ACCOUNT "http://127.0.0.1:1"

struct fixture {
	char dir[64];
	struct outbox *o;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char err[256];

	snprintf(f->dir, sizeof(f->dir), "/tmp/outbox-unit.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->o = outbox_open(f->dir, ACCOUNT, err, sizeof(err));
	assert_non_null(f->o);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir);

	outbox_close(f->o);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f);
	return 0;
}

static int64_t enqueue(struct outbox *o, enum write_kind kind, int64_t conv,
		       const char *body)
{
	struct write_op w = {.kind = kind, .conversation = conv, .body = body};
	char err[256];
	int64_t id = outbox_enqueue(o, &w, NULL, T0, err, sizeof(err));

	assert_true(id > 0);
	return id;
}

static enum outbox_state state_of(struct outbox *o, int64_t id)
{
	struct outbox_item it;
	enum outbox_state st;

	if (outbox_get(o, id, &it) != 1)
		return OUTBOX_GONE;
	st = it.state;
	outbox_item_release(&it);
	return st;
}

static void test_stored_whole(void **state)
{
	struct fixture *f = *state;
	struct write_op w = {.kind = WRITE_SNOOZE, .conversation = 42, .until = T0 + 3600};
	struct outbox_item it;
	char err[256];
	struct stat st;
	int64_t id = enqueue(f->o, WRITE_REPLY, 7, "Hello\nthere 😀");
	int64_t sz = outbox_enqueue(f->o, &w, NULL, T0, err, sizeof(err));
	struct write_op t = {.kind = WRITE_TAG, .conversation = 7};
	int64_t tg = outbox_enqueue(f->o, &t, "vip", T0, err, sizeof(err));

	assert_int_equal(outbox_get(f->o, id, &it), 1);
	assert_int_equal(it.kind, WRITE_REPLY);
	assert_int_equal(it.conversation, 7);
	assert_string_equal(it.body, "Hello\nthere 😀");
	assert_int_equal(it.state, OUTBOX_PENDING);
	assert_int_equal(it.attempts, 0);
	assert_int_equal(it.created_at, T0);
	assert_int_equal(it.first_attempt, 0);
	outbox_item_release(&it);
	assert_int_equal(outbox_get(f->o, sz, &it), 1);
	assert_int_equal(it.kind, WRITE_SNOOZE);
	assert_int_equal(it.until, T0 + 3600);
	assert_null(it.body);
	outbox_item_release(&it);
	assert_int_equal(outbox_get(f->o, tg, &it), 1);
	assert_string_equal(it.tag_name, "vip");
	assert_int_equal(it.tag, 0);
	outbox_item_release(&it);
	assert_int_equal(outbox_set_tag(f->o, tg, 99), 0);
	assert_int_equal(outbox_get(f->o, tg, &it), 1);
	assert_int_equal(it.tag, 99);
	outbox_item_release(&it);
	assert_int_equal(outbox_get(f->o, 9999, &it), 0);
	/* private */
	assert_int_equal(stat(outbox_path(f->o), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

/* Only the oldest unfinished item of each conversation is due; failed ones step aside. */
static void test_heads_in_order(void **state)
{
	struct fixture *f = *state;
	int64_t a1 = enqueue(f->o, WRITE_REPLY, 1, "a1"), b1 = enqueue(f->o, WRITE_REPLY, 2, "b1");
	int64_t a2 = enqueue(f->o, WRITE_CLOSE, 1, NULL);
	struct outbox_item *items;
	size_t n;
	int64_t next;

	assert_int_equal(outbox_due(f->o, 0, 10, &items, &n, &next), 2);
	assert_int_equal(items[0].id, a1);
	assert_int_equal(items[1].id, b1);
	outbox_items_free(items, n);
	/* in flight, a1 still holds its conversation's turn */
	assert_int_equal(outbox_mark_sending(f->o, a1, T0), 0);
	assert_int_equal(outbox_due(f->o, 0, 10, &items, &n, &next), 2);
	assert_int_equal(items[0].id, a1);
	outbox_items_free(items, n);
	assert_int_equal(outbox_mark_sent(f->o, a1, T0 + 1), 0);
	assert_int_equal(outbox_due(f->o, 0, 10, &items, &n, &next), 2);
	assert_int_equal(items[0].id, b1);
	assert_int_equal(items[1].id, a2);
	outbox_items_free(items, n);
	/* waiting for its backoff: not due, and *next says when */
	assert_int_equal(outbox_mark_retry(f->o, b1, OUTBOX_PENDING, 5000, "cannot reach"), 0);
	assert_int_equal(outbox_due(f->o, 1000, 10, &items, &n, &next), 1);
	assert_int_equal(items[0].id, a2);
	assert_int_equal(next, 5000);
	outbox_items_free(items, n);
	assert_int_equal(outbox_due(f->o, 5000, 10, &items, &n, &next), 2);
	outbox_items_free(items, n);
	/* failed: out of the way of the conversation's next writes */
	assert_int_equal(outbox_mark_failed(f->o, b1, 422, "the backend answered 422"), 0);
	enqueue(f->o, WRITE_NOTE, 2, "b2");
	assert_int_equal(outbox_due(f->o, 0, 10, &items, &n, &next), 2);
	assert_int_equal(items[1].conversation, 2);
	assert_string_equal(items[1].body, "b2");
	outbox_items_free(items, n);
}

static void test_moves(void **state)
{
	struct fixture *f = *state;
	int64_t id = enqueue(f->o, WRITE_REPLY, 1, "x");
	struct outbox_counts c;
	struct outbox_item it;

	assert_int_equal(outbox_counts(f->o, &c), 0);
	assert_int_equal(c.pending, 1);
	assert_int_equal(c.failed, 0);
	assert_int_equal(outbox_mark_sending(f->o, id, T0 + 10), 0);
	assert_int_equal(outbox_mark_retry(f->o, id, OUTBOX_AMBIGUOUS, 0, "answer lost"), 0);
	assert_int_equal(outbox_mark_sending(f->o, id, T0 + 20), 0);
	assert_int_equal(outbox_get(f->o, id, &it), 1);
	assert_int_equal(it.attempts, 2);
	assert_int_equal(it.first_attempt, T0 + 10); /* the first, for the duplicate check */
	assert_string_equal(it.error, "answer lost");
	outbox_item_release(&it);
	/* in flight: neither discarded nor retried */
	assert_int_equal(outbox_discard(f->o, id), 1);
	assert_int_equal(outbox_mark_failed(f->o, id, 404, "the conversation is gone"), 0);
	/* the refusal's status is data: the command line says "not found" from it */
	assert_int_equal(outbox_get(f->o, id, &it), 1);
	assert_int_equal(it.status, 404);
	outbox_item_release(&it);
	assert_int_equal(outbox_counts(f->o, &c), 0);
	assert_int_equal(c.pending, 0);
	assert_int_equal(c.failed, 1);
	assert_int_equal(outbox_retry(f->o, id), 0);
	assert_int_equal(state_of(f->o, id), OUTBOX_PENDING);
	assert_int_equal(outbox_mark_sending(f->o, id, T0 + 30), 0);
	assert_int_equal(outbox_mark_sent(f->o, id, T0 + 31), 0);
	/* sent is final */
	assert_int_equal(outbox_retry(f->o, id), 1);
	assert_int_equal(outbox_discard(f->o, id), 1);
	assert_int_equal(outbox_mark_retry(f->o, id, OUTBOX_PENDING, 0, NULL), 0);
	assert_int_equal(state_of(f->o, id), OUTBOX_SENT);
	assert_int_equal(outbox_counts(f->o, &c), 0);
	assert_int_equal(c.pending + c.failed, 0);
	/* discarded: gone, and a later attempt to send it is refused */
	id = enqueue(f->o, WRITE_REPLY, 1, "y");
	assert_int_equal(outbox_discard(f->o, id), 0);
	assert_int_equal(state_of(f->o, id), OUTBOX_GONE);
	assert_int_equal(outbox_mark_sending(f->o, id, T0), -1);
}

/* What a killed sender left in flight is ambiguous for the next one. */
static void test_recover(void **state)
{
	struct fixture *f = *state;
	int64_t a = enqueue(f->o, WRITE_REPLY, 1, "a"), b = enqueue(f->o, WRITE_REPLY, 2, "b");
	char err[256];
	struct outbox *other;

	assert_int_equal(outbox_mark_sending(f->o, a, T0), 0);
	outbox_close(f->o); /* the process dies */
	f->o = outbox_open(f->dir, ACCOUNT, err, sizeof(err));
	assert_non_null(f->o);
	assert_int_equal(outbox_recover(f->o), 1);
	assert_int_equal(state_of(f->o, a), OUTBOX_AMBIGUOUS);
	assert_int_equal(state_of(f->o, b), OUTBOX_PENDING);
	/* another workspace's outbox in the same file sees none of it */
	other = outbox_open(f->dir, "https://api.intercom.io", err, sizeof(err));
	assert_non_null(other);
	assert_int_equal(state_of(other, a), OUTBOX_GONE);
	outbox_close(other);
}

static void test_lock(void **state)
{
	struct fixture *f = *state;
	char err[256];
	struct outbox *second = outbox_open(f->dir, ACCOUNT, err, sizeof(err));

	assert_non_null(second);
	assert_int_equal(outbox_lock(f->o), 1);
	assert_int_equal(outbox_lock(f->o), 1);
	assert_int_equal(outbox_lock(second), 0);
	assert_false(outbox_locked(second));
	/* the other handle still stores and sees changes */
	enqueue(second, WRITE_OPEN, 5, NULL);
	outbox_unlock(f->o);
	assert_int_equal(outbox_lock(second), 1);
	assert_int_equal(outbox_lock(f->o), 0);
	outbox_close(second); /* its death frees the lock */
	assert_int_equal(outbox_lock(f->o), 1);
}

/* Parts of other items sent with the same text are not proof for this one. */
static void test_sent_like(void **state)
{
	struct fixture *f = *state;
	int64_t a = enqueue(f->o, WRITE_REPLY, 1, "Thanks!"),
		b = enqueue(f->o, WRITE_REPLY, 1, "Thanks!");
	int64_t n = enqueue(f->o, WRITE_NOTE, 1, "Thanks!");
	struct outbox_item it;

	assert_int_equal(outbox_mark_sending(f->o, a, T0), 0);
	assert_int_equal(outbox_mark_sent(f->o, a, T0 + 2), 0);
	assert_int_equal(outbox_mark_sending(f->o, n, T0), 0);
	assert_int_equal(outbox_mark_sent(f->o, n, T0 + 2), 0);
	assert_int_equal(outbox_mark_sending(f->o, b, T0 + 3), 0);
	assert_int_equal(outbox_get(f->o, b, &it), 1);
	assert_int_equal(outbox_count_sent_like(f->o, &it, T0 - 5), 1); /* a, not the note */
	assert_int_equal(outbox_count_sent_like(f->o, &it, T0 + 3), 0);
	outbox_item_release(&it);
}

/* A kind another version of frontline stored is never sent as something else: it reads
 * as failed, is not due, and holds its conversation's later writes back. */
/* An outbox an earlier build wrote (no status column) opens, keeps its items and gains
 * the column. */
static void test_old_outbox(void **state)
{
	struct fixture *f = *state;
	int64_t id = enqueue(f->o, WRITE_REPLY, 7, "kept"), id2;
	struct outbox_item it;
	sqlite3 *db;
	char *path = xasprintf("%s/outbox.db", f->dir), err[256];

	outbox_close(f->o);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "ALTER TABLE items DROP COLUMN status", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	free(path);
	f->o = outbox_open(f->dir, ACCOUNT, err, sizeof(err));
	assert_non_null(f->o);
	assert_int_equal(outbox_get(f->o, id, &it), 1);
	assert_string_equal(it.body, "kept");
	assert_int_equal(it.status, 0);
	outbox_item_release(&it);
	id2 = enqueue(f->o, WRITE_NOTE, 7, "new");
	assert_int_equal(outbox_mark_sending(f->o, id2, T0), 0);
	assert_int_equal(outbox_mark_failed(f->o, id2, 403, "refused"), 0);
	assert_int_equal(outbox_get(f->o, id2, &it), 1);
	assert_int_equal(it.status, 403);
	outbox_item_release(&it);
}

static void test_unknown_kind(void **state)
{
	struct fixture *f = *state;
	int64_t id = enqueue(f->o, WRITE_NOTE, 1, "forward this"), later;
	struct outbox_item *items, it;
	size_t n;
	int64_t next;
	sqlite3 *db;
	char *path = xasprintf("%s/outbox.db", f->dir);

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE items SET kind = 'forward'", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	free(path);
	later = enqueue(f->o, WRITE_CLOSE, 1, NULL);
	enqueue(f->o, WRITE_REPLY, 2, "other");
	assert_int_equal(outbox_get(f->o, id, &it), 1);
	assert_int_equal(it.state, OUTBOX_FAILED);
	assert_non_null(strstr(it.error, "\"forward\""));
	outbox_item_release(&it);
	assert_int_equal(outbox_due(f->o, 0, 10, &items, &n, &next), 1);
	assert_string_equal(items[0].body, "other");
	outbox_items_free(items, n);
	/* discarded, it lets the conversation go on */
	assert_int_equal(outbox_discard(f->o, id), 0);
	assert_int_equal(outbox_due(f->o, 0, 10, &items, &n, &next), 2);
	assert_int_equal(items[0].id, later);
	outbox_items_free(items, n);
}

static void test_backoff(void **state)
{
	int i;

	(void)state;
	assert_int_equal(outbox_backoff_ms(1, 0), 500);
	assert_int_equal(outbox_backoff_ms(1, 0.999), 999);
	assert_int_equal(outbox_backoff_ms(2, 0), 1000);
	assert_int_equal(outbox_backoff_ms(3, 0), 2000);
	for (i = 1; i < 100; i++) {
		assert_true(outbox_backoff_ms(i, 0.5) <= 60000);
		assert_true(outbox_backoff_ms(i, 0.5) >=
			    outbox_backoff_ms(i - 1 > 0 ? i - 1 : 1, 0.5));
	}
	assert_int_equal(outbox_backoff_ms(100, 0), 30000);
}

static void test_unopenable(void **state)
{
	char dir[] = "/tmp/outbox-unit.XXXXXX", err[256] = "";
	char *db, *cmd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	db = xasprintf("%s/outbox.db", dir);
	assert_int_equal(mkdir(db, 0700), 0); /* a directory where the file should be */
	assert_null(outbox_open(dir, ACCOUNT, err, sizeof(err)));
	assert_non_null(strstr(err, "outbox"));
	assert_non_null(strstr(err, db));
	cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_stored_whole, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_heads_in_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_moves, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_recover, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sent_like, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_kind, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_old_outbox, setup, teardown),
	    cmocka_unit_test(test_backoff),
	    cmocka_unit_test(test_unopenable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
