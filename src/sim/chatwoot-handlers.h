/* chatwoot-handlers.h: what the files of the Chatwoot dialect share (private to
 * src/sim/chatwoot*.c): answers in the server's shapes, and the handlers of
 * chatwoot-list.c for the route table in chatwoot.c. */
#ifndef SIM_CHATWOOT_HANDLERS_H
#define SIM_CHATWOOT_HANDLERS_H

#include <stdbool.h>

#include <jansson.h>

#include "api.h"
#include "chatwoot.h"

/* An error reply in Chatwoot's shape: the server's error.list, reshaped. */
#define cw_error(rp, status, ...)                                                                  \
	(api_error((rp), (status), "error", __VA_ARGS__), chatwoot_error_shape(rp))

/* A reply of body (owned; NULL: the database could not be read, a 500). */
void cw_reply(struct api_reply *rp, unsigned status, json_t *body);
void cw_db_failed(struct api_reply *rp);
/* The account of the path (ids[0]) must be the token's; else a 401 reply and false. */
bool cw_account_ok(struct api_request *rq, struct api_reply *rp);
/* A Chatwoot status as the world keeps it (resolved is closed); NULL for one Chatwoot
 * lacks. */
const char *cw_world_state(const char *status);

/* GET .../conversations, .../conversations/meta and POST .../conversations/filter
 * (chatwoot-list.c). */
void cw_get_conversations(struct sim *s, struct api_request *rq, struct api_reply *rp);
void cw_get_conversations_meta(struct sim *s, struct api_request *rq, struct api_reply *rp);
void cw_post_filter(struct sim *s, struct api_request *rq, struct api_reply *rp);

#endif
