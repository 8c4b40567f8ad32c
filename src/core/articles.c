/* articles.c: the help center, local first: every published article in a SQLite FTS5
 * index in the state directory, so search is instant, ranked (bm25), works offline and
 * can run on every keystroke. */
#include "build-config.h"

#include "articles.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fts.h"
#include "stmtcache.h"
#include "util.h"

#define MAX_TERMS 12

struct articles {
	sqlite3 *db;
	bool in_sync;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value);"
	"CREATE TABLE IF NOT EXISTS articles(id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
	" url TEXT, description TEXT, body TEXT NOT NULL, updated_at INTEGER NOT NULL,"
	" seen INTEGER NOT NULL DEFAULT 0);"
	"CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, description, body,"
	" content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
	"CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN"
	" INSERT INTO articles_fts(rowid, title, description, body)"
	" VALUES (new.id, new.title, new.description, new.body); END;"
	"CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN"
	" INSERT INTO articles_fts(articles_fts, rowid, title, description, body)"
	" VALUES ('delete', old.id, old.title, old.description, old.body); END;"
	"CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE OF title, description, body"
	" ON articles BEGIN"
	" INSERT INTO articles_fts(articles_fts, rowid, title, description, body)"
	" VALUES ('delete', old.id, old.title, old.description, old.body);"
	" INSERT INTO articles_fts(rowid, title, description, body)"
	" VALUES (new.id, new.title, new.description, new.body); END;";

void article_release(struct article *a)
{
	free(a->title);
	free(a->url);
	free(a->description);
	free(a->body);
	memset(a, 0, sizeof(*a));
}

struct articles *articles_open(const char *path, char *err, size_t errlen)
{
	struct articles *a = xcalloc(1, sizeof(*a));
	int fd;

	/* Create the file private before SQLite opens it. */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	if (sqlite3_open_v2(path, &a->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
		    SQLITE_OK ||
	    sqlite3_exec(a->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_exec(a->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open the article index %s: %s", path,
			 a->db ? sqlite3_errmsg(a->db) : "out of memory");
		articles_close(a);
		return NULL;
	}
	sqlite3_busy_timeout(a->db, 2000);
	return a;
}

void articles_close(struct articles *a)
{
	if (!a)
		return;
	if (a->in_sync)
		articles_sync_abort(a);
	sqlite3_close(a->db);
	free(a);
}

int articles_sync_begin(struct articles *a)
{
	if (sqlite3_exec(a->db, "BEGIN IMMEDIATE; UPDATE articles SET seen = 0;", NULL, NULL,
			 NULL) != SQLITE_OK)
		return -1;
	a->in_sync = true;
	return 0;
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

int articles_put(struct articles *a, const struct article *art)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(a->db,
			       "INSERT INTO articles(id, title, url, description, body, updated_at, seen)"
			       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, 1) ON CONFLICT(id) DO UPDATE SET"
			       " title = ?2, url = ?3, description = ?4, body = ?5, updated_at = ?6,"
			       " seen = 1",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_bind_int64(st, 1, art->id) | bind_text(st, 2, art->title ? art->title : "") |
	     bind_text(st, 3, art->url) | bind_text(st, 4, art->description) |
	     bind_text(st, 5, art->body ? art->body : "") | sqlite3_bind_int64(st, 6, art->updated_at);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : -1;
}

int articles_sync_end(struct articles *a, fl_time now)
{
	char sql[160];

	snprintf(sql, sizeof(sql),
		 "DELETE FROM articles WHERE seen = 0;"
		 " INSERT OR REPLACE INTO meta(key, value) VALUES('synced_at', %lld); COMMIT;",
		 (long long)now);
	if (sqlite3_exec(a->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		articles_sync_abort(a);
		return -1;
	}
	a->in_sync = false;
	return 0;
}

void articles_sync_abort(struct articles *a)
{
	sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
	a->in_sync = false;
}

static long long single_number(struct articles *a, const char *sql)
{
	sqlite3_stmt *st;
	long long v = 0;

	if (sqlite3_prepare_v2(a->db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

size_t articles_count(struct articles *a)
{
	return (size_t)single_number(a, "SELECT count(*) FROM articles");
}

fl_time articles_synced_at(struct articles *a)
{
	return single_number(a, "SELECT value FROM meta WHERE key = 'synced_at'");
}

static void row_to_article(sqlite3_stmt *st, struct article *out)
{
	out->id = sqlite3_column_int64(st, 0);
	out->title = stmt_column_dup(st, 1);
	out->url = stmt_column_dup(st, 2);
	out->description = stmt_column_dup(st, 3);
	out->body = stmt_column_dup(st, 4);
	out->updated_at = sqlite3_column_int64(st, 5);
}

int articles_search(struct articles *a, const char *query, struct article *out, size_t max)
{
	char *match = fts_query(query, MAX_TERMS, true);
	sqlite3_stmt *st;
	size_t n = 0;
	int rc;

	if (!match)
		return 0;
	rc = sqlite3_prepare_v2(a->db,
				"SELECT a.id, a.title, a.url, a.description, a.body, a.updated_at"
				" FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
				" WHERE articles_fts MATCH ?"
				" ORDER BY bm25(articles_fts, 10.0, 4.0, 1.0) LIMIT ?",
				-1, &st, NULL);
	if (rc != SQLITE_OK) {
		free(match);
		return -1;
	}
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		row_to_article(st, &out[n++]);
	sqlite3_finalize(st);
	free(match);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		while (n > 0)
			article_release(&out[--n]);
		return -1;
	}
	return (int)n;
}

int articles_get(struct articles *a, int64_t id, struct article *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(a->db,
			       "SELECT id, title, url, description, body, updated_at FROM articles"
			       " WHERE id = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row_to_article(st, out);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
