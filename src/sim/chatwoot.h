/* chatwoot.h: frontline-sim's Chatwoot dialect (--dialect chatwoot): the same world served
 * under Chatwoot's application API (/api/v1/profile, /api/v1/accounts/{account_id}/...),
 * with the server's quirks: display ids, fixed pages of 25, updated_within lists that
 * ignore page, labels replaced whole, integer message types, 0 for "no time",
 * {"error": ...} errors, and applied SLA statuses that change only when the periodic SLA
 * job runs. */
#ifndef SIM_CHATWOOT_H
#define SIM_CHATWOOT_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "api.h"

struct sim;

/* Sets up the dialect's own tables (last seen times, SLA policies, applied SLAs) and runs
 * the SLA job once. Returns 0, or -1 with a message in err. */
int chatwoot_open(struct sim *s, time_t now, char *err, size_t errlen);

/* Where the Chatwoot dialect also answers Intercom's paths, as a control endpoint: GET
 * /_sim/intercom/conversations/7 is what the Intercom dialect answers to GET
 * /conversations/7, on the same world. */
#define SIM_INTERCOM_VIEW "/_sim/intercom"

/* Finds the Chatwoot route (or /_sim/ control route, or Intercom's under
 * SIM_INTERCOM_VIEW) for method and path, filling rq->ids; api_run runs it. */
struct api_route_info chatwoot_route(const char *method, const char *path, struct api_request *rq,
				     const void **route);

/* What the server does between requests, before each is served: conversations that
 * arrived get their inbox, and the SLA job runs when its period has come. Returns 0, or
 * -1 on a database error. */
int chatwoot_advance(struct sim *s, time_t now);

/* Runs the SLA job if its period has come since it last ran, as Chatwoot's scheduled job
 * does (s->opt.sla_job_interval): applied_sla statuses change only then. Returns 0, or -1
 * on a database error. */
int chatwoot_sla_job(struct sim *s, time_t now);

/* Chatwoot's error body: {"error": message}. A new reference. */
json_t *chatwoot_error_body(const char *message);
/* An Intercom error.list reply (from the shared server code) in Chatwoot's shape. */
void chatwoot_error_shape(struct api_reply *rp);

#endif
