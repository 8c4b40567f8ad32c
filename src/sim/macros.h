/* macros.h: the workspace's saved replies, served as Intercom's GET /macros. */
#ifndef SIM_MACROS_H
#define SIM_MACROS_H

#include "api.h"

/* GET /macros: every macro of the workspace, newest update first, per_page (1 to 150,
 * default 50) a page, the next page after the cursor pages.next.starting_after. */
void macros_list(struct sim *s, struct api_request *rq, struct api_reply *rp);

#endif
