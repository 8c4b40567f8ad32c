/* fts.h: free text turned into a safe SQLite FTS5 query, for the help-center searches of
 * both the client's local index and frontline-sim. */
#ifndef FRONTLINE_FTS_H
#define FRONTLINE_FTS_H

#include <stdbool.h>

/* Every word quoted (so no FTS5 syntax in the text gets through) and joined with OR, so
 * bm25 ranks articles that match more words first; with prefix_last, the last word also
 * matches as a prefix (type-ahead) unless the text ends in a separator. At most max_terms
 * words. Returns a new string, or NULL when the text has no words. */
char *fts_query(const char *text, int max_terms, bool prefix_last);

#endif
