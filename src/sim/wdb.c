/* wdb.c: the sim's thin layer over SQLite: cached prepared statements bound from a list of
 * argument types, so each query is one line at its call site. */
#include "build-config.h"

#include "wdb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "stmtcache.h"
#include "util.h"
#include "world.h"

static sqlite3_stmt *cached(struct world *w, const char *sql)
{
	sqlite3_stmt *st;

	if (!w->stmt_cache)
		w->stmt_cache = stmt_cache_new(w->db);
	if (!(st = stmt_cache_get(w->stmt_cache, sql)))
		fprintf(stderr, "%s: cannot prepare %s: %s\n", util_progname(), sql, sqlite3_errmsg(w->db));
	return st;
}

static int bind_all(sqlite3_stmt *st, const char *types, va_list ap)
{
	int i, rc = SQLITE_OK;

	for (i = 1; *types && rc == SQLITE_OK; types++, i++) {
		long long v;
		const char *s;

		switch (*types) {
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, long long));
			break;
		case 'I':
			v = va_arg(ap, long long);
			rc = v ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
			break;
		case 't':
			s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
			break;
		default:
			die("wdb: unknown argument type '%c'", *types);
		}
	}
	return rc;
}

static sqlite3_stmt *prepare_bound(struct world *w, const char *sql, const char *types, va_list ap)
{
	sqlite3_stmt *st = cached(w, sql);

	if (!st)
		return NULL;
	if (bind_all(st, types, ap) != SQLITE_OK) {
		fprintf(stderr, "%s: cannot bind %s: %s\n", util_progname(), sql, sqlite3_errmsg(w->db));
		return NULL;
	}
	return st;
}

int wdb_exec(struct world *w, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	st = prepare_bound(w, sql, types, ap);
	va_end(ap);
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "%s: %s: %s\n", util_progname(), sql, sqlite3_errmsg(w->db));
		return -1;
	}
	return sqlite3_changes(w->db);
}

sqlite3_stmt *wdb_query(struct world *w, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	va_start(ap, types);
	st = prepare_bound(w, sql, types, ap);
	va_end(ap);
	return st;
}

void wdb_release(struct world *w)
{
	stmt_cache_free(w->stmt_cache);
	w->stmt_cache = NULL;
}
