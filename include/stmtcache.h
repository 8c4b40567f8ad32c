/* stmtcache.h: prepared SQLite statements kept for the life of a connection, so a query
 * that runs every second is compiled once. Statements are found by their SQL text and
 * come back reset, with no bindings; callers reset them when done (never finalize). */
#ifndef FRONTLINE_STMTCACHE_H
#define FRONTLINE_STMTCACHE_H

#include <stddef.h>

#include <sqlite3.h>

struct stmt_cache;

struct stmt_cache *stmt_cache_new(sqlite3 *db);
/* Finalizes every statement; call before closing the connection. NULL is a no-op. */
void stmt_cache_free(struct stmt_cache *c);
/* The statement for sql (prepared on first use), or NULL with the connection's error. */
sqlite3_stmt *stmt_cache_get(struct stmt_cache *c, const char *sql);

/* A copy of a row's text column (the caller frees it), or NULL when it is NULL. */
char *stmt_column_dup(sqlite3_stmt *st, int col);

/* What went wrong with the database at path (rc from db, which may be NULL), in words
 * the agent can act on: "cannot WHAT PATH: the disk is full (...)", a broken file to
 * rename, or SQLite's message with the system's. */
void stmt_error_text(sqlite3 *db, int rc, const char *what, const char *path, char *err,
		     size_t errlen);

#endif
