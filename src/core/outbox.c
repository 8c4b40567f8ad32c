/* outbox.c: the durable outbox: every write in state_dir/outbox.db before it is sent,
 * its state moved by the sender in short transactions that survive a crash, and the
 * advisory lock that lets one process of the agent's send while others enqueue. */
#include "build-config.h"

#include "outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "stmtcache.h"
#include "util.h"

#define BUSY_TIMEOUT_MS 10000
#define BACKOFF_BASE_MS 1000
#define BACKOFF_CAP_MS	60000
/* Sent items are kept this long, for the rows' "sent" mark and the duplicate check. */
#define SENT_KEEP_S (7 * 24 * 3600)

struct outbox {
	sqlite3 *db;
	struct stmt_cache *stmts; /* the sender asks every second: compiled once */
	char *path;
	char *account;
	int lock_fd;
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS items("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " account TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " conversation INTEGER NOT NULL,"
    " body TEXT,"
    " until_at INTEGER NOT NULL DEFAULT 0,"
    " tag_id INTEGER NOT NULL DEFAULT 0,"
    " tag_name TEXT,"
    " state TEXT NOT NULL DEFAULT 'pending',"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL,"
    " first_attempt INTEGER NOT NULL DEFAULT 0,"
    " sent_at INTEGER NOT NULL DEFAULT 0,"
    " next_at_ms INTEGER NOT NULL DEFAULT 0,"
    " error TEXT,"
    " status INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS items_open ON items(account, state, conversation, id);";

static const char *const state_words[] = {
    [OUTBOX_PENDING] = "pending", [OUTBOX_SENDING] = "sending", [OUTBOX_AMBIGUOUS] = "ambiguous",
    [OUTBOX_FAILED] = "failed",	  [OUTBOX_SENT] = "sent",	[OUTBOX_GONE] = "gone",
};

const char *outbox_state_word(enum outbox_state s)
{
	return (size_t)s < sizeof(state_words) / sizeof(state_words[0]) ? state_words[s] : "?";
}

static int word_index(const char *const *words, size_t n, const char *w)
{
	size_t i;

	for (i = 0; w && i < n; i++)
		if (words[i] && !strcmp(words[i], w))
			return (int)i;
	return -1;
}

int64_t outbox_backoff_ms(int attempts, double jitter)
{
	int64_t ms = BACKOFF_BASE_MS;
	int i;

	for (i = 1; i < attempts && ms < BACKOFF_CAP_MS; i++)
		ms *= 2;
	if (ms > BACKOFF_CAP_MS)
		ms = BACKOFF_CAP_MS;
	if (jitter < 0 || jitter >= 1)
		jitter = 0;
	return ms / 2 + (int64_t)((double)(ms / 2) * jitter);
}

/* Says what went wrong with the database in words the agent can act on. */
static void db_error(struct outbox *o, int rc, const char *what, char *err, size_t errlen)
{
	stmt_error_text(o->db, rc, what, o->path, err, errlen);
}

/* A cached statement, reset and unbound; done with it, callers reset it (which also
 * ends the read it may hold), never finalize it. */
static sqlite3_stmt *prepare(struct outbox *o, const char *sql)
{
	return stmt_cache_get(o->stmts, sql);
}

/* Runs a statement that returns no rows; its result code. */
static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

struct outbox *outbox_open(const char *state_dir, const char *account, char *err, size_t errlen)
{
	struct outbox *o = xcalloc(1, sizeof(*o));
	int rc;

	o->lock_fd = -1;
	o->path = xasprintf("%s/outbox.db", state_dir);
	o->account = xstrdup(account ? account : "");
	if (util_mkdir_p(state_dir, 0700) != 0) {
		snprintf(err, errlen, "cannot create the state directory %s: %s", state_dir,
			 strerror(errno));
		outbox_close(o);
		return NULL;
	}
	/* Private before SQLite opens it; the -wal and -shm files take its mode. */
	if (util_private_file(o->path) != 0) {
		snprintf(err, errlen, "cannot make the outbox %s private: %s", o->path,
			 strerror(errno));
		outbox_close(o);
		return NULL;
	}
	rc = sqlite3_open_v2(o->path, &o->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK) {
		o->stmts = stmt_cache_new(o->db);
		sqlite3_busy_timeout(o->db, BUSY_TIMEOUT_MS);
		sqlite3_extended_result_codes(o->db, 1);
		rc = sqlite3_exec(o->db,
				  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				  " PRAGMA foreign_keys=OFF;",
				  NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(o->db, schema, NULL, NULL, NULL);
	/* An outbox an earlier build made has no status column yet. */
	if (rc == SQLITE_OK &&
	    sqlite3_exec(o->db, "SELECT status FROM items LIMIT 0", NULL, NULL, NULL) != SQLITE_OK)
		rc = sqlite3_exec(o->db, "ALTER TABLE items ADD COLUMN status INTEGER NOT NULL DEFAULT 0",
				  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		db_error(o, rc, "open the outbox", err, errlen);
		outbox_close(o);
		return NULL;
	}
	return o;
}

void outbox_close(struct outbox *o)
{
	if (!o)
		return;
	stmt_cache_free(o->stmts);
	if (o->db)
		sqlite3_close(o->db);
	if (o->lock_fd >= 0)
		close(o->lock_fd);
	free(o->path);
	free(o->account);
	free(o);
}

const char *outbox_path(const struct outbox *o) { return o->path; }

int64_t outbox_enqueue(struct outbox *o, const struct write_op *w, const char *tag_name,
		       fl_time now, char *err, size_t errlen)
{
	return outbox_enqueue_at(o, w, tag_name, now, 0, err, errlen);
}

int64_t outbox_enqueue_at(struct outbox *o, const struct write_op *w, const char *tag_name,
			  fl_time now, int64_t not_before_ms, char *err, size_t errlen)
{
	sqlite3_stmt *st = prepare(
	    o, "INSERT INTO items(account, kind, conversation, body, until_at,"
	       " tag_id, tag_name, created_at, next_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	int rc;

	if (!st) {
		db_error(o, sqlite3_errcode(o->db), "store the write in", err, errlen);
		return -1;
	}
	sqlite3_bind_text(st, 1, o->account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, write_kind_word(w->kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, w->conversation);
	if (w->body)
		sqlite3_bind_text(st, 4, w->body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, w->until);
	sqlite3_bind_int64(st, 6, w->tag);
	if (tag_name)
		sqlite3_bind_text(st, 7, tag_name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, not_before_ms);
	rc = step_done(st);
	if (rc != SQLITE_OK) {
		db_error(o, rc, "store the write in", err, errlen);
		return -1;
	}
	return sqlite3_last_insert_rowid(o->db);
}

#define ITEM_COLUMNS                                                                               \
	"id, kind, conversation, body, until_at, tag_id, tag_name, state, attempts, created_at,"   \
	" first_attempt, sent_at, next_at_ms, error, status, account"

static void item_read(sqlite3_stmt *st, struct outbox_item *it)
{
	int kind = write_kind_parse((const char *)sqlite3_column_text(st, 1));
	int state = word_index(state_words, sizeof(state_words) / sizeof(state_words[0]),
			       (const char *)sqlite3_column_text(st, 7));

	memset(it, 0, sizeof(*it));
	it->id = sqlite3_column_int64(st, 0);
	it->kind = kind < 0 ? WRITE_REPLY : (enum write_kind)kind;
	it->conversation = sqlite3_column_int64(st, 2);
	it->body = stmt_column_dup(st, 3);
	it->until = sqlite3_column_int64(st, 4);
	it->tag = sqlite3_column_int64(st, 5);
	it->tag_name = stmt_column_dup(st, 6);
	it->state = state < 0 ? OUTBOX_FAILED : (enum outbox_state)state;
	it->attempts = sqlite3_column_int(st, 8);
	it->created_at = sqlite3_column_int64(st, 9);
	it->first_attempt = sqlite3_column_int64(st, 10);
	it->sent_at = sqlite3_column_int64(st, 11);
	it->next_at_ms = sqlite3_column_int64(st, 12);
	it->error = stmt_column_dup(st, 13);
	it->status = sqlite3_column_int64(st, 14);
	it->account = stmt_column_dup(st, 15);
	if (kind < 0) {
		/* Never sent as something else: failed, for the agent to see and discard. */
		free(it->error);
		it->error = xasprintf("a write of a kind this frontline does not know (\"%s\"):"
				      " send it with the frontline that stored it, or discard it",
				      (const char *)sqlite3_column_text(st, 1));
		it->state = OUTBOX_FAILED;
	}
}

void outbox_item_release(struct outbox_item *it)
{
	free(it->body);
	free(it->tag_name);
	free(it->error);
	free(it->account);
	memset(it, 0, sizeof(*it));
}

void outbox_items_free(struct outbox_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		outbox_item_release(&items[i]);
	free(items);
}

int outbox_get(struct outbox *o, int64_t id, struct outbox_item *out)
{
	sqlite3_stmt *st =
	    prepare(o, "SELECT " ITEM_COLUMNS " FROM items WHERE id = ? AND account = ?");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, o->account, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		item_read(st, out);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Reads every row of st (bound by the caller) into a new array. */
static int items_collect(sqlite3_stmt *st, struct outbox_item **items, size_t *n)
{
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (util_grow(items, &cap, *n + 1, sizeof(**items)) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		item_read(st, &(*items)[(*n)++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		outbox_items_free(*items, *n);
		*items = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

/* The items of this account, or of every account, not sent or sent since now - sent_within. */
static int list_items(struct outbox *o, bool every_account, fl_time now, fl_time sent_within,
		      struct outbox_item **items, size_t *n)
{
	sqlite3_stmt *st =
	    prepare(o, every_account ? "SELECT " ITEM_COLUMNS " FROM items"
				       " WHERE state <> 'sent' OR sent_at > ?2 ORDER BY id"
				     : "SELECT " ITEM_COLUMNS " FROM items WHERE account = ?1"
				       " AND (state <> 'sent' OR sent_at > ?2) ORDER BY id");

	*items = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, o->account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now - sent_within);
	return items_collect(st, items, n);
}

int outbox_list(struct outbox *o, fl_time now, fl_time sent_within, struct outbox_item **items,
		size_t *n)
{
	return list_items(o, false, now, sent_within, items, n);
}

int outbox_list_all(struct outbox *o, fl_time now, fl_time sent_within, struct outbox_item **items,
		    size_t *n)
{
	return list_items(o, true, now, sent_within, items, n);
}

int outbox_counts(struct outbox *o, struct outbox_counts *c)
{
	sqlite3_stmt *st = prepare(o, "SELECT coalesce(sum(state <> 'failed'), 0),"
				      " coalesce(sum(state = 'failed'), 0)"
				      " FROM items WHERE account = ? AND state <> 'sent'");
	int rc;

	memset(c, 0, sizeof(*c));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, o->account, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->pending = (size_t)sqlite3_column_int64(st, 0);
		c->failed = (size_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Runs an UPDATE or DELETE on one item: 0 if it changed a row, 1 if none matched, -1. */
static int change_one(struct outbox *o, sqlite3_stmt *st)
{
	int rc;

	if (!st)
		return -1;
	rc = step_done(st);
	if (rc != SQLITE_OK)
		return -1;
	return sqlite3_changes(o->db) > 0 ? 0 : 1;
}

int outbox_retry(struct outbox *o, int64_t id)
{
	sqlite3_stmt *st =
	    prepare(o, "UPDATE items SET state = CASE state WHEN 'failed' THEN"
		       " 'pending' ELSE state END, next_at_ms = 0 WHERE id = ?"
		       " AND account = ? AND state IN ('failed', 'pending', 'ambiguous')");

	if (st) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, o->account, -1, SQLITE_STATIC);
	}
	return change_one(o, st);
}

int outbox_discard(struct outbox *o, int64_t id)
{
	sqlite3_stmt *st = prepare(o, "DELETE FROM items WHERE id = ?"
				      " AND state IN ('pending', 'ambiguous', 'failed')");

	if (st)
		sqlite3_bind_int64(st, 1, id);
	return change_one(o, st);
}

/* ---- the sender's side ---- */

int outbox_lock(struct outbox *o)
{
	char *path;
	bool busy;
	int saved;

	if (o->lock_fd >= 0)
		return 1;
	path = xasprintf("%s.lock", o->path);
	o->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	saved = errno;
	free(path);
	errno = saved;
	if (o->lock_fd < 0)
		return -1;
	if (flock(o->lock_fd, LOCK_EX | LOCK_NB) == 0)
		return 1;
	saved = errno;
	busy = saved == EWOULDBLOCK;
	close(o->lock_fd);
	o->lock_fd = -1;
	errno = saved;
	return busy ? 0 : -1;
}

void outbox_unlock(struct outbox *o)
{
	if (o->lock_fd >= 0)
		close(o->lock_fd);
	o->lock_fd = -1;
}

bool outbox_locked(const struct outbox *o) { return o->lock_fd >= 0; }

int outbox_recover(struct outbox *o)
{
	sqlite3_stmt *st = prepare(o, "UPDATE items SET state = 'ambiguous', next_at_ms = 0"
				      " WHERE account = ? AND state = 'sending'");
	sqlite3_stmt *prune;
	int recovered;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, o->account, -1, SQLITE_STATIC);
	if (step_done(st) != SQLITE_OK)
		return -1;
	recovered = sqlite3_changes(o->db);
	/* Forget what was confirmed long ago. */
	prune = prepare(
	    o, "DELETE FROM items WHERE state = 'sent' AND sent_at < strftime('%s','now') - ?");
	if (prune) {
		sqlite3_bind_int64(prune, 1, SENT_KEEP_S);
		(void)step_done(prune);
	}
	return recovered;
}

/* Takes out of a list of due items those of a kind this build does not know (item_read
 * made them failed): they stay first in their conversation, holding its later writes
 * back in order, until the agent discards them. */
static void drop_unknown(struct outbox_item *items, size_t *n)
{
	size_t i, j;

	for (i = j = 0; i < *n; i++) {
		if (items[i].state == OUTBOX_FAILED)
			outbox_item_release(&items[i]);
		else
			items[j++] = items[i];
	}
	*n = j;
}

int outbox_due(struct outbox *o, int64_t now_ms, size_t max, struct outbox_item **items, size_t *n,
	       int64_t *next_ms)
{
	/* The head of each conversation: its oldest item that is neither sent nor failed. */
	static const char heads[] = "SELECT " ITEM_COLUMNS " FROM items i WHERE account = ?1"
				    " AND state IN ('pending', 'sending', 'ambiguous')"
				    " AND id = (SELECT min(id) FROM items j WHERE j.account = ?1"
				    " AND j.conversation = i.conversation AND j.state IN "
				    "('pending', 'sending', 'ambiguous'))"
				    " AND next_at_ms <= ?2 ORDER BY id LIMIT ?3";
	static const char later[] =
	    "SELECT min(next_at_ms) FROM items i WHERE account = ?1"
	    " AND state IN ('pending', 'sending', 'ambiguous') AND next_at_ms > ?2"
	    " AND id = (SELECT min(id) FROM items j WHERE j.account = ?1"
	    " AND j.conversation = i.conversation AND j.state IN ('pending', 'sending', "
	    "'ambiguous'))";
	sqlite3_stmt *st = prepare(o, heads);

	*next_ms = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, o->account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now_ms);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
	if (items_collect(st, items, n) < 0)
		return -1;
	drop_unknown(*items, n);
	st = prepare(o, later);
	if (st) {
		sqlite3_bind_text(st, 1, o->account, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now_ms);
		if (sqlite3_step(st) == SQLITE_ROW)
			*next_ms = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return (int)*n;
}

int outbox_mark_sending(struct outbox *o, int64_t id, fl_time now)
{
	sqlite3_stmt *st = prepare(o, "UPDATE items SET state = 'sending', attempts = attempts + 1,"
				      " first_attempt = CASE first_attempt WHEN 0 THEN ?2 ELSE"
				      " first_attempt END WHERE id = ?1"
				      " AND state IN ('pending', 'ambiguous', 'sending')");

	if (st) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, now);
	}
	return change_one(o, st) == 0 ? 0 : -1;
}

int outbox_mark_sent(struct outbox *o, int64_t id, fl_time now)
{
	sqlite3_stmt *st = prepare(o, "UPDATE items SET state = 'sent', sent_at = ?2, error = NULL, status = 0"
				      " WHERE id = ?1");

	if (st) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, now);
	}
	return change_one(o, st) < 0 ? -1 : 0;
}

int outbox_mark_failed(struct outbox *o, int64_t id, long status, const char *error)
{
	sqlite3_stmt *st = prepare(
	    o, "UPDATE items SET state = 'failed', error = ?2, status = ?3 WHERE id = ?1");

	if (st) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, error ? error : "failed", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, status);
	}
	return change_one(o, st) < 0 ? -1 : 0;
}

int outbox_mark_retry(struct outbox *o, int64_t id, enum outbox_state state, int64_t next_at_ms,
		      const char *error)
{
	sqlite3_stmt *st = prepare(o, "UPDATE items SET state = ?2, next_at_ms = ?3, error = ?4, status = 0"
				      " WHERE id = ?1 AND state <> 'sent'");

	if (st) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, outbox_state_word(state), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, next_at_ms);
		if (error)
			sqlite3_bind_text(st, 4, error, -1, SQLITE_STATIC);
	}
	return change_one(o, st) < 0 ? -1 : 0;
}

int outbox_set_tag(struct outbox *o, int64_t id, int64_t tag)
{
	sqlite3_stmt *st = prepare(o, "UPDATE items SET tag_id = ?2 WHERE id = ?1");

	if (st) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, tag);
	}
	return change_one(o, st) < 0 ? -1 : 0;
}

int outbox_count_sent_like(struct outbox *o, const struct outbox_item *it, fl_time since)
{
	sqlite3_stmt *st = prepare(o, "SELECT count(*) FROM items WHERE account = ? AND"
				      " conversation = ? AND kind = ? AND body = ? AND id <> ? AND"
				      " state = 'sent' AND sent_at >= ?");
	int rc, count = -1;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, o->account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, it->conversation);
	sqlite3_bind_text(st, 3, write_kind_word(it->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, it->body ? it->body : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, it->id);
	sqlite3_bind_int64(st, 6, since);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		count = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return count;
}

int64_t outbox_data_version(struct outbox *o)
{
	sqlite3_stmt *st = prepare(o, "PRAGMA data_version");
	int64_t v = -1;

	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}
