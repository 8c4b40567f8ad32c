/* index.h: the search index, as late as Intercom's: a change becomes visible to the
 * conversation search `lag` seconds after it was made; GET /conversations/{id} is never
 * late. */
#ifndef SIM_INDEX_H
#define SIM_INDEX_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "search.h"
#include "world.h"

/* The tables a lagging search runs over. */
extern const struct search_source index_source;

/* Sets up the index's tables and the triggers that note changed conversations (after the
 * world is generated). 0, or -1 with a message in err. */
int index_open(struct world *w, char *err, size_t errlen);
/* After a request at now: queues the state of every conversation it changed, visible at
 * now + lag (with lag 0, forgets them: the search reads the live tables). 0 or -1. */
int index_capture(struct world *w, long lag, time_t now);
/* Before a search at now: moves what is due into the index. 0 or -1. */
int index_catch_up(struct world *w, time_t now);
/* Switching the lag on builds the index from the world as it is; off empties it. */
int index_set_lag(struct world *w, long old_lag, long new_lag);
/* Forgets conversation id, deleted: the search no longer finds it. 0, or -1. */
int index_forget(struct world *w, long long id);
/* The search answer of a conversation as the index holds it (new reference), or NULL. */
json_t *index_render(struct world *w, long long id);

#endif
