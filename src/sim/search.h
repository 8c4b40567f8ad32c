/* search.h: the conversation search of the Intercom API: the query language compiled to
 * SQL, sort orders, and cursors that page through a snapshot of the matches. */
#ifndef SIM_SEARCH_H
#define SIM_SEARCH_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#define SEARCH_MAX_PER_PAGE 150
#define SEARCH_SNAPSHOTS 32
#define SEARCH_SNAPSHOT_TTL 900

/* The tables a search runs over: the live ones, or an index with the same columns that
 * lags behind them (index.h). */
struct search_source {
	const char *conversations; /* as `c` */
	const char *tags;	   /* conversation_id, tag_id */
};
extern const struct search_source search_live;

/* A compiled query: a WHERE clause over `conversations c` with '?' placeholders, and the
 * values to bind to them in order (JSON integers, strings or null). */
struct search_sql {
	char *where;
	json_t *binds;
};

/* Compiles an Intercom search query ({"field","operator","value"} or {"operator":"AND"|"OR",
 * "value":[...]}, groups at most two levels deep). Returns 0, or -1 with a message for the
 * client in err. On success the caller releases out with search_sql_release. */
int search_compile(json_t *query, const struct search_source *src, struct search_sql *out,
		   char *err, size_t errlen);
void search_sql_release(struct search_sql *q);

/* Binds q's values to st starting at parameter `first`; returns the next free index, or -1. */
int search_bind(sqlite3_stmt *st, const struct search_sql *q, int first);

/* The ORDER BY clause for a {"field","order"} sort object (NULL: by id). Returns a static
 * string, or NULL with a message in err. */
const char *search_order(json_t *sort, char *err, size_t errlen);

/* Snapshot cursors: the ids matched by a search's first page, kept for later pages. */
struct search_snapshot {
	unsigned long long id;
	long long *ids;
	size_t n;
	struct search_sql sql;
	const struct search_source *src;
	time_t created;
};

struct search_cursors {
	struct search_snapshot slots[SEARCH_SNAPSHOTS];
	unsigned long long next_id;
};

void search_cursors_init(struct search_cursors *c);
void search_cursors_release(struct search_cursors *c);

/* One page of results: conversation ids in order, and the paging facts. */
struct search_page {
	long long *ids; /* owned; free with search_page_release */
	size_t n_ids;
	size_t total;
	long page;
	long per_page;
	long total_pages;
	char next[40]; /* cursor for the next page, "" on the last one */
};

/* Runs POST /conversations/search for the request body over src's tables. Returns 0 with *page filled, 1
 * when the request is invalid (message in err), or -1 on a database error. */
int search_run(sqlite3 *db, struct search_cursors *c, const struct search_source *src,
	       json_t *request, time_t now, struct search_page *page, char *err, size_t errlen);
void search_page_release(struct search_page *page);

/* Cursor tokens, exposed for tests: format into buf (>= 27 bytes), parse back (0 or -1). */
void search_cursor_format(char *buf, size_t len, unsigned long long snapshot, size_t offset);
int search_cursor_parse(const char *s, unsigned long long *snapshot, size_t *offset);

#endif
