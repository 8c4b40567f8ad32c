/* reportcache.c: the report's cache in the outbox's database: one row a conversation (per
 * backend and agent) with what the report's figures and queues read, and one row a range
 * start with up to when it is known and its watermark. */
#include "build-config.h"

#include "reportcache.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <sqlite3.h>

#include "stmtcache.h"
#include "util.h"

struct report_cache {
	sqlite3 *db;
	struct stmt_cache *stmts;
	char *path;
	char *account;
	int64_t agent;
};

/* Beside the outbox's items and the customers; a database an earlier build made gets them
 * on first open. */
static const char schema[] =
    "CREATE TABLE IF NOT EXISTS report_conversations("
    " account TEXT NOT NULL, agent INTEGER NOT NULL, id INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, state INTEGER NOT NULL,"
    " priority INTEGER NOT NULL, team INTEGER NOT NULL, assignee INTEGER NOT NULL,"
    " first_contact_reply_at INTEGER NOT NULL, first_admin_reply_at INTEGER NOT NULL,"
    " sla_name TEXT, unknown INTEGER NOT NULL, tags TEXT, title TEXT, customer TEXT,"
    " waiting_since INTEGER NOT NULL, last_contact_reply_at INTEGER NOT NULL,"
    " last_admin_reply_at INTEGER NOT NULL, count_parts INTEGER NOT NULL,"
    " PRIMARY KEY(account, agent, id)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS report_conversations_created"
    " ON report_conversations(account, agent, created_at);"
    "CREATE TABLE IF NOT EXISTS report_ranges("
    " account TEXT NOT NULL, agent INTEGER NOT NULL, since INTEGER NOT NULL,"
    " until INTEGER NOT NULL, watermark INTEGER NOT NULL,"
    " PRIMARY KEY(account, agent, since)) WITHOUT ROWID;"
    /* what a conversation's parts told (report.h's report_thread), as of its updated_at */
    "CREATE TABLE IF NOT EXISTS report_threads("
    " account TEXT NOT NULL, agent INTEGER NOT NULL, id INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL, waiting INTEGER NOT NULL, waits TEXT NOT NULL,"
    " PRIMARY KEY(account, agent, id)) WITHOUT ROWID;";

/* A cache an earlier build wrote lacks columns: it is only a cache, so it goes. */
static const char schema_renewed[] =
    "DROP TABLE IF EXISTS report_conversations; DROP TABLE IF EXISTS report_ranges;";

static void db_error(struct report_cache *rc, int code, const char *what, char *err, size_t errlen)
{
	stmt_error_text(rc->db, code, what, rc->path, err, errlen);
}

struct report_cache *report_cache_open(const char *state_dir, const char *account, int64_t agent,
				       char *err, size_t errlen)
{
	struct report_cache *rc = xcalloc(1, sizeof(*rc));

	rc->account = xstrdup(account ? account : "");
	rc->agent = agent;
	if (stmt_open_cache_db(state_dir, schema, "the report cache", "open the report cache in",
			       &rc->path, &rc->db, err, errlen) != SQLITE_OK) {
		report_cache_close(rc);
		return NULL;
	}
	if (sqlite3_exec(rc->db, "SELECT count_parts FROM report_conversations LIMIT 0", NULL, NULL,
			 NULL) != SQLITE_OK &&
	    (sqlite3_exec(rc->db, schema_renewed, NULL, NULL, NULL) != SQLITE_OK ||
	     sqlite3_exec(rc->db, schema, NULL, NULL, NULL) != SQLITE_OK)) {
		db_error(rc, sqlite3_errcode(rc->db), "renew the report cache in", err, errlen);
		report_cache_close(rc);
		return NULL;
	}
	rc->stmts = stmt_cache_new(rc->db);
	return rc;
}

void report_cache_close(struct report_cache *rc)
{
	if (!rc)
		return;
	stmt_cache_free(rc->stmts);
	if (rc->db)
		sqlite3_close(rc->db);
	free(rc->path);
	free(rc->account);
	free(rc);
}

/* The statement for sql with account and agent bound as ?1 and ?2, or NULL with *code set
 * to the connection's error. */
static sqlite3_stmt *prepare(struct report_cache *rc, const char *sql, int *code)
{
	sqlite3_stmt *st = stmt_cache_get(rc->stmts, sql);

	if (!st) {
		*code = sqlite3_errcode(rc->db);
		return NULL;
	}
	sqlite3_bind_text(st, 1, rc->account, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, rc->agent);
	return st;
}

/* Runs a statement that returns no rows; its result code. */
static int step_done(sqlite3_stmt *st)
{
	int code = sqlite3_step(st);

	sqlite3_reset(st);
	return code == SQLITE_DONE ? SQLITE_OK : code;
}

int report_cache_watermark(struct report_cache *rc, fl_time since, fl_time until, fl_time *after,
			   char *err, size_t errlen)
{
	int code = SQLITE_OK, step, found = 0;
	sqlite3_stmt *st = prepare(rc,
				   "SELECT until, watermark FROM report_ranges"
				   " WHERE account = ?1 AND agent = ?2 AND since <= ?3",
				   &code);

	*after = 0;
	if (!st) {
		db_error(rc, code, "read the report cache in", err, errlen);
		return -1;
	}
	sqlite3_bind_int64(st, 3, since);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		fl_time known = sqlite3_column_int64(st, 0), mark = sqlite3_column_int64(st, 1);

		/* What was created after the range it knows was updated after its end, too. */
		if (until > known && known < mark)
			mark = known;
		if (!found || mark > *after)
			*after = mark;
		found = 1;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		db_error(rc, step, "read the report cache in", err, errlen);
		return -1;
	}
	return found;
}

int report_cache_get(struct report_cache *rc, fl_time since, fl_time until,
		     struct conversation **convs, size_t *n, size_t *cap, char *err, size_t errlen)
{
	int code = SQLITE_OK, step;
	size_t n0 = *n;
	sqlite3_stmt *st = prepare(
	    rc,
	    "SELECT id, created_at, updated_at, state, priority, team, assignee,"
	    " first_contact_reply_at, first_admin_reply_at, sla_name, unknown, tags, title,"
	    " customer, waiting_since, last_contact_reply_at, last_admin_reply_at, count_parts"
	    " FROM report_conversations"
	    /* the rows in key order, not through the index of creation: a range is most of
	     * the cache, and a lookup a row through the index costs six times a scan */
	    " WHERE account = ?1 AND agent = ?2 AND +created_at >= ?3 AND +created_at < ?4",
	    &code);

	if (!st) {
		db_error(rc, code, "read the report cache in", err, errlen);
		return -1;
	}
	sqlite3_bind_int64(st, 3, since);
	sqlite3_bind_int64(st, 4, until);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct conversation *cv;
		int state = sqlite3_column_int(st, 3), priority = sqlite3_column_int(st, 4);

		xgrow(convs, cap, *n + 1, sizeof(**convs));
		cv = &(*convs)[(*n)++];
		memset(cv, 0, sizeof(*cv));
		cv->id = sqlite3_column_int64(st, 0);
		cv->created_at = sqlite3_column_int64(st, 1);
		cv->updated_at = sqlite3_column_int64(st, 2);
		cv->state = state == CONV_SNOOZED || state == CONV_CLOSED ? (enum conv_state)state
									  : CONV_OPEN;
		cv->priority = (enum conv_priority)priority;
		cv->team_assignee_id = sqlite3_column_int64(st, 5);
		cv->admin_assignee_id = sqlite3_column_int64(st, 6);
		cv->first_contact_reply_at = sqlite3_column_int64(st, 7);
		cv->first_admin_reply_at = sqlite3_column_int64(st, 8);
		cv->sla_name = stmt_column_dup(st, 9);
		cv->unknown = (unsigned)sqlite3_column_int64(st, 10);
		stmt_ids_parse((const char *)sqlite3_column_text(st, 11), &cv->tag_ids, &cv->n_tags);
		cv->title = stmt_column_dup(st, 12);
		cv->customer = stmt_column_dup(st, 13);
		cv->waiting_since = sqlite3_column_int64(st, 14);
		cv->last_contact_reply_at = sqlite3_column_int64(st, 15);
		cv->last_admin_reply_at = sqlite3_column_int64(st, 16);
		cv->count_parts = sqlite3_column_int64(st, 17);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		while (*n > n0)
			conversation_release(&(*convs)[--*n]);
		db_error(rc, step, "read the report cache in", err, errlen);
		return -1;
	}
	return 0;
}

static int put_conversation(sqlite3_stmt *st, const struct conversation *cv)
{
	char *tags = stmt_ids_text(cv->tag_ids, cv->n_tags);
	int code;

	sqlite3_bind_int64(st, 3, cv->id);
	sqlite3_bind_int64(st, 4, cv->created_at);
	sqlite3_bind_int64(st, 5, cv->updated_at);
	sqlite3_bind_int(st, 6, (int)cv->state);
	sqlite3_bind_int(st, 7, (int)cv->priority);
	sqlite3_bind_int64(st, 8, cv->team_assignee_id);
	sqlite3_bind_int64(st, 9, cv->admin_assignee_id);
	sqlite3_bind_int64(st, 10, cv->first_contact_reply_at);
	sqlite3_bind_int64(st, 11, cv->first_admin_reply_at);
	sqlite3_bind_text(st, 12, cv->sla_name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)cv->unknown);
	sqlite3_bind_text(st, 14, tags, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, cv->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 16, cv->customer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 17, cv->waiting_since);
	sqlite3_bind_int64(st, 18, cv->last_contact_reply_at);
	sqlite3_bind_int64(st, 19, cv->last_admin_reply_at);
	sqlite3_bind_int64(st, 20, cv->count_parts);
	code = step_done(st);
	free(tags);
	return code;
}

/* The range as known now, and the ranges beyond the bound gone with the conversations
 * no kept range covers. */
static int put_range(struct report_cache *rc, fl_time since, fl_time until, fl_time watermark)
{
	int code = SQLITE_OK;
	sqlite3_stmt *st = prepare(rc,
				   "INSERT OR REPLACE INTO report_ranges(account, agent, since,"
				   " until, watermark) VALUES(?1, ?2, ?3, ?4, ?5)",
				   &code);

	if (!st)
		return code;
	sqlite3_bind_int64(st, 3, since);
	sqlite3_bind_int64(st, 4, until);
	sqlite3_bind_int64(st, 5, watermark);
	if ((code = step_done(st)) != SQLITE_OK)
		return code;
	st = prepare(rc,
		     "DELETE FROM report_ranges WHERE account = ?1 AND agent = ?2 AND since IN"
		     " (SELECT since FROM report_ranges WHERE account = ?1 AND agent = ?2"
		     " ORDER BY since DESC LIMIT -1 OFFSET ?3)",
		     &code);
	if (!st)
		return code;
	sqlite3_bind_int64(st, 3, REPORT_CACHE_RANGES);
	if ((code = step_done(st)) != SQLITE_OK)
		return code;
	st = prepare(rc,
		     "DELETE FROM report_conversations WHERE account = ?1 AND agent = ?2"
		     " AND created_at < (SELECT min(since) FROM report_ranges"
		     " WHERE account = ?1 AND agent = ?2)",
		     &code);
	if (!st || (code = step_done(st)) != SQLITE_OK)
		return st ? code : sqlite3_errcode(rc->db);
	st = prepare(rc,
		     "DELETE FROM report_threads WHERE account = ?1 AND agent = ?2 AND id NOT IN"
		     " (SELECT id FROM report_conversations WHERE account = ?1 AND agent = ?2)",
		     &code);
	return st ? step_done(st) : code;
}

int report_cache_put(struct report_cache *rc, fl_time since, fl_time until,
		     const struct conversation *convs, size_t n, fl_time watermark, char *err,
		     size_t errlen)
{
	int code = sqlite3_exec(rc->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_stmt *st = NULL;
	size_t i;

	if (code == SQLITE_OK)
		st = prepare(rc,
			     "INSERT OR REPLACE INTO report_conversations(account, agent, id,"
			     " created_at, updated_at, state, priority, team, assignee,"
			     " first_contact_reply_at, first_admin_reply_at, sla_name, unknown,"
			     " tags, title, customer, waiting_since, last_contact_reply_at,"
			     " last_admin_reply_at, count_parts)"
			     " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
			     " ?15, ?16, ?17, ?18, ?19, ?20)",
			     &code);
	for (i = 0; st && code == SQLITE_OK && i < n; i++)
		code = put_conversation(st, &convs[i]);
	if (code == SQLITE_OK)
		code = put_range(rc, since, until, watermark);
	if (code == SQLITE_OK)
		code = sqlite3_exec(rc->db, "COMMIT", NULL, NULL, NULL);
	if (code != SQLITE_OK) {
		db_error(rc, code, "store the report's conversations in", err, errlen);
		sqlite3_exec(rc->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

int report_cache_get_threads(struct report_cache *rc, struct report_thread **threads, size_t *n,
			     char *err, size_t errlen)
{
	int code = SQLITE_OK, step;
	size_t cap = 0;
	sqlite3_stmt *st = prepare(rc,
				   "SELECT id, updated_at, waiting, waits FROM report_threads"
				   " WHERE account = ?1 AND agent = ?2",
				   &code);

	*threads = NULL;
	*n = 0;
	if (!st) {
		db_error(rc, code, "read the report cache in", err, errlen);
		return -1;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct report_thread t = {.id = sqlite3_column_int64(st, 0),
					  .updated_at = sqlite3_column_int64(st, 1),
					  .waiting = sqlite3_column_int(st, 2) != 0};

		if (report_waits_parse((const char *)sqlite3_column_text(st, 3), &t) < 0) {
			report_thread_release(&t); /* not ours: fetched again */
			continue;
		}
		xgrow(threads, &cap, *n + 1, sizeof(**threads));
		(*threads)[(*n)++] = t;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		report_threads_free(*threads, *n);
		*threads = NULL;
		*n = 0;
		db_error(rc, step, "read the report cache in", err, errlen);
		return -1;
	}
	return 0;
}

int report_cache_put_threads(struct report_cache *rc, const struct report_thread *threads, size_t n,
			     char *err, size_t errlen)
{
	int code = sqlite3_exec(rc->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_stmt *st = NULL;
	size_t i;

	if (code == SQLITE_OK)
		st = prepare(rc,
			     "INSERT OR REPLACE INTO report_threads(account, agent, id, updated_at,"
			     " waiting, waits) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
			     &code);
	for (i = 0; st && code == SQLITE_OK && i < n; i++) {
		char *waits = report_waits_text(&threads[i]);

		sqlite3_bind_int64(st, 3, threads[i].id);
		sqlite3_bind_int64(st, 4, threads[i].updated_at);
		sqlite3_bind_int(st, 5, threads[i].waiting);
		sqlite3_bind_text(st, 6, waits, -1, SQLITE_STATIC);
		code = step_done(st);
		g_free(waits);
	}
	if (code == SQLITE_OK)
		code = sqlite3_exec(rc->db, "COMMIT", NULL, NULL, NULL);
	if (code != SQLITE_OK) {
		db_error(rc, code, "store the report's threads in", err, errlen);
		sqlite3_exec(rc->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

void report_threads_free(struct report_thread *threads, size_t n)
{
	size_t i;

	for (i = 0; threads && i < n; i++)
		report_thread_release(&threads[i]);
	free(threads);
}
