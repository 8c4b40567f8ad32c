/* macros.h: the workspace's saved replies, served as Intercom's GET /macros. */
#ifndef SIM_MACROS_H
#define SIM_MACROS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "api.h"

/* GET /macros: every macro of the workspace, newest update first, per_page (1 to 150,
 * default 50) a page, the next page after the cursor pages.next.starting_after. */
void macros_list(struct sim *s, struct api_request *rq, struct api_reply *rp);

/* The saved replies one by one (Chatwoot serves them as canned responses): the i-th of
 * macros_count(), in order of update, newest first. Returns false past the last. */
struct macro_entry {
	long long id;
	const char *name;
	const char *body_text;
	time_t updated;
};
size_t macros_count(void);
bool macros_entry(size_t i, struct macro_entry *out);

#endif
