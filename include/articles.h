/* articles.h: the help center, local first: every published article in a SQLite FTS5
 * index in the state directory, so search is instant, ranked (bm25), works offline and
 * can run on every keystroke. */
#ifndef FRONTLINE_ARTICLES_H
#define FRONTLINE_ARTICLES_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct article {
	int64_t id;
	char *title;	   /* owned */
	char *url;	   /* owned; may be NULL */
	char *description; /* owned; may be NULL */
	char *body;	   /* owned; plain text */
	fl_time updated_at;
};

void article_release(struct article *a);

struct articles;

/* Opens (creating if needed, mode 0600) the index at path. NULL with a message in err. */
struct articles *articles_open(const char *path, char *err, size_t errlen);
void articles_close(struct articles *a);

/* A sync replaces the whole set: begin, put every article, end (which drops those not
 * put and records the time). All in one transaction: a failed sync leaves the old index. */
int articles_sync_begin(struct articles *a);
int articles_put(struct articles *a, const struct article *art);
int articles_sync_end(struct articles *a, fl_time now);
void articles_sync_abort(struct articles *a);

size_t articles_count(struct articles *a);
/* When the last sync ended, 0 if never. */
fl_time articles_synced_at(struct articles *a);

/* Ranked search over titles, descriptions and bodies; the last word also matches as a
 * prefix (type-ahead). Fills up to max results (caller releases each) and returns how
 * many, or -1 on error. A query with no words finds nothing. */
int articles_search(struct articles *a, const char *query, struct article *out, size_t max);
/* One article by id: 1 found, 0 not, -1 error. */
int articles_get(struct articles *a, int64_t id, struct article *out);

#endif
