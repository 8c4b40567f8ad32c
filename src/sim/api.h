/* api.h: the sim's routes: the Intercom endpoints and the /_sim/ control endpoints, as a
 * table of (method, path pattern, handler). Handlers run with the world locked. */
#ifndef SIM_API_H
#define SIM_API_H

#include <stdbool.h>
#include <time.h>

#include <jansson.h>

struct sim;

struct api_request {
	const char *method;
	const char *path;
	/* Looks up a query-string argument; NULL when absent. */
	const char *(*query)(void *ctx, const char *name);
	void *query_ctx;
	json_t *body; /* the parsed JSON body, or NULL when there was none */
	time_t now;
	long long ids[2]; /* numeric path parameters, in pattern order */
};

struct api_reply {
	unsigned status;
	json_t *body; /* owned by the reply */
};

/* What a path matched, looked up before the request runs. */
struct api_route_info {
	bool found;
	bool write;   /* changes state: subject to the dropped-connection fault */
	bool control; /* a /_sim/ endpoint */
};

/* Finds the route for method and path, filling rq->ids. */
struct api_route_info api_route(const char *method, const char *path, struct api_request *rq,
				const void **route);
/* Runs a route found by api_route. */
void api_run(struct sim *s, const void *route, struct api_request *rq, struct api_reply *rp);

/* Sets an error.list reply. */
void api_error(struct api_reply *rp, unsigned status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The place of an Intercom-Version value among the description's versions, oldest
 * first; -1 when it is not one of them. */
int api_version_index(const char *version);
/* The version at that place (0 to the last). */
const char *api_version_name(int index);
#define API_VERSION_LATEST 21 /* "2.16", the version the sim speaks */

/* The OAuth scope an API request needs, e.g. "write_conversations"; NULL for none. */
const char *api_scope(const char *method, const char *path);

/* Reads an id given as a JSON string of digits or an integer. */
bool api_json_id(json_t *v, long long *out);

/* Control endpoints (control.c). */
void control_create_conversation(struct sim *s, struct api_request *rq, struct api_reply *rp);
void control_customer_reply(struct sim *s, struct api_request *rq, struct api_reply *rp);
void control_create_article(struct sim *s, struct api_request *rq, struct api_reply *rp);
void control_get_faults(struct sim *s, struct api_request *rq, struct api_reply *rp);
void control_set_faults(struct sim *s, struct api_request *rq, struct api_reply *rp);
void control_stats(struct sim *s, struct api_request *rq, struct api_reply *rp);
void control_admin_reply(struct sim *s, struct api_request *rq, struct api_reply *rp);
void control_assign(struct sim *s, struct api_request *rq, struct api_reply *rp);
void control_delete_conversation(struct sim *s, struct api_request *rq, struct api_reply *rp);
void control_reply_times(struct sim *s, struct api_request *rq, struct api_reply *rp);

#endif
