/* stmtcache.c: prepared statements kept per connection, found by their SQL text (a
 * handful per connection: a linear search costs less than hashing), and the copy of a
 * row's text the readers of those statements share. */
#include "build-config.h"

#include "stmtcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define BUSY_TIMEOUT_MS 2000

struct stmt_entry {
	char *sql; /* owned copy: callers may build their SQL */
	sqlite3_stmt *stmt;
};

struct stmt_cache {
	sqlite3 *db;
	struct stmt_entry *entries;
	size_t n, cap;
};

struct stmt_cache *stmt_cache_new(sqlite3 *db)
{
	struct stmt_cache *c = xcalloc(1, sizeof(*c));

	c->db = db;
	return c;
}

void stmt_cache_free(struct stmt_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		sqlite3_finalize(c->entries[i].stmt);
		free(c->entries[i].sql);
	}
	free(c->entries);
	free(c);
}

sqlite3_stmt *stmt_cache_get(struct stmt_cache *c, const char *sql)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->entries[i].sql == sql || !strcmp(c->entries[i].sql, sql)) {
			sqlite3_reset(c->entries[i].stmt);
			sqlite3_clear_bindings(c->entries[i].stmt);
			return c->entries[i].stmt;
		}
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return NULL;
	xgrow(&c->entries, &c->cap, c->n + 1, sizeof(*c->entries));
	c->entries[c->n].sql = xstrdup(sql);
	c->entries[c->n].stmt = st;
	c->n++;
	return st;
}

void stmt_error_text(sqlite3 *db, int rc, const char *what, const char *path, char *err,
		     size_t errlen)
{
	int sys = db ? sqlite3_system_errno(db) : 0;

	if (!err)
		return;
	if ((rc & 0xff) == SQLITE_FULL || sys == ENOSPC || sys == EDQUOT || sys == EFBIG)
		snprintf(err, errlen, "cannot %s %s: the disk is full (%s)", what, path,
			 sys ? strerror(sys) : "no space left");
	else if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
		snprintf(err, errlen,
			 "cannot %s %s: %s; rename it (e.g. to %s.broken) and "
			 "frontline starts a new one",
			 what, path, sqlite3_errstr(rc), path);
	else if ((rc & 0xff) == SQLITE_READONLY ||
		 (access(path, F_OK) == 0 && access(path, W_OK) != 0))
		snprintf(err, errlen,
			 "cannot %s %s: the file is read-only; make it writable (chmod u+w)", what,
			 path);
	else if (sys)
		snprintf(err, errlen, "cannot %s %s: %s (%s)", what, path,
			 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), strerror(sys));
	else
		snprintf(err, errlen, "cannot %s %s: %s", what, path,
			 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

char *stmt_column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? xstrdup((const char *)s) : NULL;
}

char *stmt_ids_text(const int64_t *ids, size_t n)
{
	char *s, *at;
	size_t i;

	if (!n)
		return NULL;
	s = at = xmalloc(n * 21 + 1);
	for (i = 0; i < n; i++)
		at += sprintf(at, "%s%lld", i ? "," : "", (long long)ids[i]);
	return s;
}

void stmt_ids_parse(const char *s, int64_t **ids, size_t *n)
{
	size_t cap = *n;
	char *end;

	while (s && *s) {
		long long id = strtoll(s, &end, 10);

		if (end == s)
			break;
		xgrow(ids, &cap, *n + 1, sizeof(**ids));
		(*ids)[(*n)++] = id;
		s = *end == ',' ? end + 1 : end;
	}
}

int stmt_open_cache_db(const char *state_dir, const char *schema, const char *name,
		       const char *what, char **path, sqlite3 **db, char *err, size_t errlen)
{
	int rc;

	*db = NULL;
	*path = xasprintf("%s/outbox.db", state_dir);
	if (util_mkdir_p(state_dir, 0700) != 0) {
		snprintf(err, errlen, "cannot create the state directory %s: %s", state_dir,
			 strerror(errno));
		return SQLITE_CANTOPEN;
	}
	/* Private before SQLite opens it, as the outbox makes it. */
	if (util_private_file(*path) != 0) {
		snprintf(err, errlen, "cannot open %s %s: %s", name, *path, strerror(errno));
		return SQLITE_CANTOPEN;
	}
	rc = sqlite3_open_v2(*path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(*db, BUSY_TIMEOUT_MS);
		sqlite3_extended_result_codes(*db, 1);
		rc = sqlite3_exec(*db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL,
				  NULL, NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(*db, schema, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		stmt_error_text(*db, rc, what, *path, err, errlen);
	return rc;
}
