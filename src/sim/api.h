/* api.h: the sim's routes: the Intercom endpoints and the /_sim/ control endpoints, as a
 * table of (method, path pattern, handler). Handlers run with the world locked. */
#ifndef SIM_API_H
#define SIM_API_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

struct sim;
struct world;

struct api_request {
	const char *method;
	const char *path;
	/* Looks up a query-string argument; NULL when absent. */
	const char *(*query)(void *ctx, const char *name);
	/* Every value of a query-string argument given more than once ("labels[]=a&labels[]=b"),
	 * as a new JSON array of strings (empty when absent). */
	json_t *(*query_values)(void *ctx, const char *name);
	void *query_ctx;
	json_t *body; /* the parsed JSON body, or NULL when there was none */
	time_t now;
	long long ids[2]; /* numeric path parameters, in pattern order */
};

struct api_reply {
	unsigned status;
	json_t *body;	  /* owned by the reply; NULL with no text: an empty body */
	const char *text; /* a plain-text body instead of JSON (static), or NULL */
};

/* What a path matched, looked up before the request runs. */
struct api_route_info {
	bool found;
	bool write;   /* changes state: subject to the dropped-connection fault */
	bool control; /* a /_sim/ endpoint */
};

typedef void (*api_handler)(struct sim *s, struct api_request *rq, struct api_reply *rp);

/* A row of a dialect's table of routes. */
struct api_route {
	const char *method;
	const char *pattern; /* "{id}" matches one segment of digits, "{slug}" any segment */
	api_handler fn;
	bool write;
};

/* Finds the route of table[0, n) for method and path, filling rq->ids. */
struct api_route_info api_route_in(const struct api_route *table, size_t n, const char *method,
				   const char *path, struct api_request *rq, const void **route);
/* Finds the Intercom route (or /_sim/ control route) for method and path, filling rq->ids. */
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

/* The help-center articles matching phrase (words, as a search box takes them), best
 * first: up to limit ids from offset into *ids (the caller frees them), *n of them, and
 * *total matching in all. Returns 0, 1 when the phrase has no words to search for, -1 on
 * a database error. */
int api_article_search(struct world *w, const char *phrase, long long limit, long long offset,
		       long long **ids, size_t *n, long long *total);

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
