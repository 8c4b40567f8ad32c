/* customers.c: the customer cache in the outbox's database: one row a customer (per
 * backend and agent), its tags and earlier conversations in tables beside it, replaced
 * whole in one transaction and evicted oldest first beyond a bound. */
#include "build-config.h"

#include "customers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "stmtcache.h"
#include "util.h"

struct customer_cache {
	sqlite3 *db;
	struct stmt_cache *stmts;
	char *path;
	char *account;
	int64_t agent;
	size_t max_entries;
};

/* The tables live beside the outbox's items; a database an earlier build made gets them
 * on first open. Children go with their customer (the trigger), so an eviction or a
 * replacement is one DELETE. */
static const char schema[] =
    "CREATE TABLE IF NOT EXISTS customers("
    " id INTEGER PRIMARY KEY,"
    " account TEXT NOT NULL,"
    " agent INTEGER NOT NULL,"
    " contact_id TEXT NOT NULL,"
    " missing INTEGER NOT NULL DEFAULT 0,"
    " name TEXT, email TEXT, company TEXT, plan TEXT, city TEXT, region TEXT, country TEXT,"
    " conversation_at INTEGER NOT NULL,"
    " fetched_at INTEGER NOT NULL,"
    " UNIQUE(account, agent, contact_id));"
    "CREATE INDEX IF NOT EXISTS customers_fetched ON customers(fetched_at, id);"
    "CREATE TABLE IF NOT EXISTS customer_tags(customer INTEGER NOT NULL,"
    " pos INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY(customer, pos)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS customer_previous(customer INTEGER NOT NULL,"
    " pos INTEGER NOT NULL, conversation INTEGER NOT NULL, state INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL, title TEXT, PRIMARY KEY(customer, pos)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS customer_previous_conversation"
    " ON customer_previous(conversation);"
    "CREATE TRIGGER IF NOT EXISTS customers_gone AFTER DELETE ON customers BEGIN"
    " DELETE FROM customer_tags WHERE customer = old.id;"
    " DELETE FROM customer_previous WHERE customer = old.id; END;";

static void db_error(struct customer_cache *cc, int rc, const char *what, char *err, size_t errlen)
{
	stmt_error_text(cc->db, rc, what, cc->path, err, errlen);
}

struct customer_cache *customer_cache_open(const char *state_dir, const char *account,
					   int64_t agent, size_t max_entries, char *err,
					   size_t errlen)
{
	struct customer_cache *cc = xcalloc(1, sizeof(*cc));

	cc->account = xstrdup(account ? account : "");
	cc->agent = agent;
	cc->max_entries = max_entries ? max_entries : CUSTOMER_CACHE_MAX;
	if (stmt_open_cache_db(state_dir, schema, "the customer cache",
			       "open the customer cache in", &cc->path, &cc->db, err,
			       errlen) != SQLITE_OK) {
		customer_cache_close(cc);
		return NULL;
	}
	cc->stmts = stmt_cache_new(cc->db);
	return cc;
}

void customer_cache_close(struct customer_cache *cc)
{
	if (!cc)
		return;
	stmt_cache_free(cc->stmts);
	if (cc->db)
		sqlite3_close(cc->db);
	free(cc->path);
	free(cc->account);
	free(cc);
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

/* Runs a statement that returns no rows; its result code. */
static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The statement for sql, or NULL with rc set to the connection's error. */
static sqlite3_stmt *prepare(struct customer_cache *cc, const char *sql, int *rc)
{
	sqlite3_stmt *st = stmt_cache_get(cc->stmts, sql);

	if (!st)
		*rc = sqlite3_errcode(cc->db);
	return st;
}

/* The customer's tags and earlier conversations, into out. */
static int read_children(struct customer_cache *cc, int64_t row, struct customer *out)
{
	int rc = SQLITE_OK, step;
	sqlite3_stmt *st =
	    prepare(cc, "SELECT name FROM customer_tags WHERE customer = ? ORDER BY pos", &rc);
	size_t cap = 0;

	if (!st)
		return rc;
	sqlite3_bind_int64(st, 1, row);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		xgrow(&out->tags, &cap, out->n_tags + 1, sizeof(*out->tags));
		out->tags[out->n_tags++] = stmt_column_dup(st, 0);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return step;
	st = prepare(cc,
		     "SELECT conversation, state, created_at, title FROM customer_previous"
		     " WHERE customer = ? ORDER BY pos",
		     &rc);
	if (!st)
		return rc;
	sqlite3_bind_int64(st, 1, row);
	cap = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct customer_conversation *p;
		int state = sqlite3_column_int(st, 1);

		xgrow(&out->previous, &cap, out->n_previous + 1, sizeof(*out->previous));
		p = &out->previous[out->n_previous++];
		p->id = sqlite3_column_int64(st, 0);
		p->state = state == CONV_SNOOZED || state == CONV_CLOSED ? (enum conv_state)state
									 : CONV_OPEN;
		p->created_at = sqlite3_column_int64(st, 2);
		p->title = stmt_column_dup(st, 3);
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? SQLITE_OK : step;
}

int customer_cache_get(struct customer_cache *cc, const char *contact_id, struct customer *out,
		       struct customer_cache_info *info, char *err, size_t errlen)
{
	int rc = SQLITE_OK, step;
	sqlite3_stmt *st =
	    prepare(cc,
		    "SELECT id, missing, name, email, company, plan, city, region, country,"
		    " conversation_at, fetched_at FROM customers"
		    " WHERE account = ? AND agent = ? AND contact_id = ?",
		    &rc);
	int64_t row;

	memset(out, 0, sizeof(*out));
	if (!contact_id)
		return 0;
	if (!st) {
		db_error(cc, rc, "read the customer cache in", err, errlen);
		return -1;
	}
	sqlite3_bind_text(st, 1, cc->account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, cc->agent);
	sqlite3_bind_text(st, 3, contact_id, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		sqlite3_reset(st);
		if (step == SQLITE_DONE)
			return 0;
		db_error(cc, step, "read the customer cache in", err, errlen);
		return -1;
	}
	row = sqlite3_column_int64(st, 0);
	out->contact_id = xstrdup(contact_id);
	out->missing = sqlite3_column_int(st, 1) != 0;
	out->name = stmt_column_dup(st, 2);
	out->email = stmt_column_dup(st, 3);
	out->company = stmt_column_dup(st, 4);
	out->plan = stmt_column_dup(st, 5);
	out->city = stmt_column_dup(st, 6);
	out->region = stmt_column_dup(st, 7);
	out->country = stmt_column_dup(st, 8);
	info->conversation_at = sqlite3_column_int64(st, 9);
	info->fetched_at = sqlite3_column_int64(st, 10);
	sqlite3_reset(st);
	rc = read_children(cc, row, out);
	if (rc != SQLITE_OK) {
		customer_release(out);
		db_error(cc, rc, "read the customer cache in", err, errlen);
		return -1;
	}
	return 1;
}

int customer_cache_get_for(struct customer_cache *cc, int64_t conversation, struct customer *out,
			   struct customer_cache_info *info, char *err, size_t errlen)
{
	int rc = SQLITE_OK, step;
	sqlite3_stmt *st = prepare(
	    cc,
	    "SELECT c.contact_id FROM customers c JOIN customer_previous p ON p.customer = c.id"
	    " WHERE c.account = ? AND c.agent = ? AND p.conversation = ?"
	    " ORDER BY c.fetched_at DESC LIMIT 1",
	    &rc);
	char *contact_id;

	memset(out, 0, sizeof(*out));
	if (!st) {
		db_error(cc, rc, "read the customer cache in", err, errlen);
		return -1;
	}
	sqlite3_bind_text(st, 1, cc->account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, cc->agent);
	sqlite3_bind_int64(st, 3, conversation);
	step = sqlite3_step(st);
	contact_id = step == SQLITE_ROW ? stmt_column_dup(st, 0) : NULL;
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		db_error(cc, step, "read the customer cache in", err, errlen);
		return -1;
	}
	rc = contact_id ? customer_cache_get(cc, contact_id, out, info, err, errlen) : 0;
	free(contact_id);
	return rc;
}

/* The customer's row (replacing the one before, whose children the trigger takes). */
static int put_row(struct customer_cache *cc, const struct customer *cu, fl_time conversation_at,
		   fl_time now, int64_t *row)
{
	int rc = SQLITE_OK;
	sqlite3_stmt *st = prepare(
	    cc, "DELETE FROM customers WHERE account = ? AND agent = ? AND contact_id = ?", &rc);

	if (!st)
		return rc;
	sqlite3_bind_text(st, 1, cc->account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, cc->agent);
	sqlite3_bind_text(st, 3, cu->contact_id, -1, SQLITE_STATIC);
	if ((rc = step_done(st)) != SQLITE_OK)
		return rc;
	st = prepare(cc,
		     "INSERT INTO customers(account, agent, contact_id, missing, name, email,"
		     " company, plan, city, region, country, conversation_at, fetched_at)"
		     " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		     &rc);
	if (!st)
		return rc;
	sqlite3_bind_text(st, 1, cc->account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, cc->agent);
	sqlite3_bind_text(st, 3, cu->contact_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, cu->missing);
	bind_text(st, 5, cu->name);
	bind_text(st, 6, cu->email);
	bind_text(st, 7, cu->company);
	bind_text(st, 8, cu->plan);
	bind_text(st, 9, cu->city);
	bind_text(st, 10, cu->region);
	bind_text(st, 11, cu->country);
	sqlite3_bind_int64(st, 12, conversation_at);
	sqlite3_bind_int64(st, 13, now);
	if ((rc = step_done(st)) != SQLITE_OK)
		return rc;
	*row = sqlite3_last_insert_rowid(cc->db);
	return SQLITE_OK;
}

static int put_children(struct customer_cache *cc, const struct customer *cu, int64_t row)
{
	int rc = SQLITE_OK;
	sqlite3_stmt *st =
	    prepare(cc, "INSERT INTO customer_tags(customer, pos, name) VALUES(?, ?, ?)", &rc);
	size_t i;

	for (i = 0; st && rc == SQLITE_OK && i < cu->n_tags; i++) {
		sqlite3_bind_int64(st, 1, row);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		bind_text(st, 3, cu->tags[i] ? cu->tags[i] : "");
		rc = step_done(st);
	}
	if (rc != SQLITE_OK || !cu->n_previous)
		return rc;
	st = prepare(cc,
		     "INSERT INTO customer_previous(customer, pos, conversation, state, created_at,"
		     " title) VALUES(?, ?, ?, ?, ?, ?)",
		     &rc);
	for (i = 0; st && rc == SQLITE_OK && i < cu->n_previous; i++) {
		sqlite3_bind_int64(st, 1, row);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_int64(st, 3, cu->previous[i].id);
		sqlite3_bind_int(st, 4, (int)cu->previous[i].state);
		sqlite3_bind_int64(st, 5, cu->previous[i].created_at);
		bind_text(st, 6, cu->previous[i].title);
		rc = step_done(st);
	}
	return rc;
}

/* The entries fetched longest ago, beyond the bound, go. */
static int evict(struct customer_cache *cc)
{
	int rc = SQLITE_OK;
	sqlite3_stmt *st = prepare(cc,
				   "DELETE FROM customers WHERE id IN (SELECT id FROM customers"
				   " ORDER BY fetched_at DESC, id DESC LIMIT -1 OFFSET ?)",
				   &rc);

	if (!st)
		return rc;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)cc->max_entries);
	return step_done(st);
}

int customer_cache_put(struct customer_cache *cc, const struct customer *cu,
		       fl_time conversation_at, fl_time now, char *err, size_t errlen)
{
	int64_t row = 0;
	int rc;

	if (!cu->contact_id)
		return 0;
	rc = sqlite3_exec(cc->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = put_row(cc, cu, conversation_at, now, &row);
	if (rc == SQLITE_OK)
		rc = put_children(cc, cu, row);
	if (rc == SQLITE_OK)
		rc = evict(cc);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(cc->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		db_error(cc, rc, "store the customer in", err, errlen);
		sqlite3_exec(cc->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

long customer_cache_count(struct customer_cache *cc)
{
	int rc = SQLITE_OK;
	sqlite3_stmt *st = prepare(cc, "SELECT count(*) FROM customers", &rc);
	long n = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return n;
}

bool customer_cache_stale(const struct customer_cache_info *info, fl_time conversation_at,
			  fl_time now)
{
	return conversation_at > info->conversation_at ||
	       now - info->fetched_at >= CUSTOMER_CACHE_MAX_AGE || now < info->fetched_at;
}

char *customer_cache_age_text(fl_time fetched_at, fl_time now)
{
	fl_time age = now - fetched_at;

	if (age < 60)
		return NULL;
	if (age < 3600)
		return xasprintf("as of %lld min ago", (long long)(age / 60));
	if (age < 2 * 86400)
		return xasprintf("as of %lld h ago", (long long)(age / 3600));
	return xasprintf("as of %lld days ago", (long long)(age / 86400));
}
