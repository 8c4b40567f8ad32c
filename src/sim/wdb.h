/* wdb.h: the sim's thin layer over SQLite: cached prepared statements bound from a list of
 * argument types, so each query is one line at its call site. */
#ifndef SIM_WDB_H
#define SIM_WDB_H

#include <sqlite3.h>

struct world;

/* Argument types: 'i' long long, 'I' long long stored as NULL when 0, 't' const char *
 * (NULL stored as NULL). `sql` must be a string literal: statements are cached by its
 * address. */

/* Runs a statement to completion; returns the number of rows changed, or -1 on error. */
int wdb_exec(struct world *w, const char *sql, const char *types, ...);
/* Returns the cached statement, reset and bound, ready for sqlite3_step; it stays valid
 * until the next call with the same sql. NULL on error. */
sqlite3_stmt *wdb_query(struct world *w, const char *sql, const char *types, ...);
/* Finalizes every cached statement. */
void wdb_release(struct world *w);

#endif
