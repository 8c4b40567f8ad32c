/* stmtcache.h: prepared SQLite statements kept for the life of a connection, so a query
 * that runs every second is compiled once. Statements are found by their SQL text and
 * come back reset, with no bindings; callers reset them when done (never finalize). */
#ifndef FRONTLINE_STMTCACHE_H
#define FRONTLINE_STMTCACHE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct stmt_cache;

struct stmt_cache *stmt_cache_new(sqlite3 *db);
/* Finalizes every statement; call before closing the connection. NULL is a no-op. */
void stmt_cache_free(struct stmt_cache *c);
/* The statement for sql (prepared on first use), or NULL with the connection's error. */
sqlite3_stmt *stmt_cache_get(struct stmt_cache *c, const char *sql);

/* A copy of a row's text column (the caller frees it), or NULL when it is NULL. */
char *stmt_column_dup(sqlite3_stmt *st, int col);

/* "12,7,40" of n ids (the caller frees it), or NULL when n is 0: a list in one column. */
char *stmt_ids_text(const int64_t *ids, size_t n);
/* Appends the ids of such a text (NULL: none) to *ids (*n of them; the caller frees). */
void stmt_ids_parse(const char *s, int64_t **ids, size_t *n);

/* What went wrong with the database at path (rc from db, which may be NULL), in words
 * the agent can act on: "cannot WHAT PATH: the disk is full (...)", a broken file to
 * rename, or SQLite's message with the system's. */
void stmt_error_text(sqlite3 *db, int rc, const char *what, const char *path, char *err,
		     size_t errlen);

/* Opens a cache's tables in state_dir/outbox.db, beside the outbox's items: the directory
 * (0700) and the file (0600) made when missing, WAL, a busy timeout, extended result
 * codes, then schema run. *path is set to the file's path (the caller frees it), *db to
 * the connection (the caller closes it, even on failure). SQLITE_OK, or else with a
 * message in err: "cannot create the state directory ...", "cannot open NAME ...", or
 * stmt_error_text's for WHAT. */
int stmt_open_cache_db(const char *state_dir, const char *schema, const char *name,
		       const char *what, char **path, sqlite3 **db, char *err, size_t errlen);

#endif
