/* backend.h: the one interface every conversation backend implements (Intercom first,
 * Chatwoot next). Drivers turn operations into HTTP requests and answers into model
 * records; they never draw. Everything is asynchronous on the event loop. */
#ifndef FRONTLINE_BACKEND_H
#define FRONTLINE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "articles.h"
#include "convsearch.h"
#include "directory.h"
#include "model.h"
#include "result.h"
#include "sla.h"
#include "write.h"

struct loop;
struct backend;

/* What a driver tells the engine. */
struct backend_listener {
	void *arg;
	/* Start-up finished: the directory is the driver's; it stays valid until destroy. Its
	 * me is the admin every write acts as, or 0 when there is none to act as. */
	void (*ready)(void *arg, const struct directory *dir);
	/* One record of a sync page. */
	void (*conversation)(void *arg, const struct conversation *c);
	/* The record held for id, or NULL (read during the call only). An incremental sync
	 * reads again what earlier ones brought; it leaves out, unbuilt, a record that says
	 * nothing the held one does not. May be NULL: every record is told. */
	const struct conversation *(*held)(void *arg, int64_t id);
	/* A page of the sync held records that could not be read, and were left out. May be
	 * NULL. */
	void (*damaged)(void *arg);
	/* A sync ended: error is NULL when every page arrived. */
	void (*sync_done)(void *arg, bool full, const char *error);
	/* Start-up failed; nothing works until start is called again. */
	void (*failed)(void *arg, const char *error);
	/* An answer said the token is refused (401), before the failure it causes is told:
	 * trying again cannot help until the agent acts. May be NULL. */
	void (*refused)(void *arg);
	/* The server's clock, from each answer's Date header. */
	void (*server_time)(void *arg, fl_time server, fl_time local);
};

struct backend_options {
	const char *url;
	const char *token;
	long timeout_ms;
	int64_t max_response; /* bytes; 0: the HTTP layer's default */
	const char *admin;   /* who to act as: an admin's email or id, NULL: the token's owner
			      * if no other human admin (directory_choose_agent) */
	bool admin_from_env; /* ...given by $FRONTLINE_ADMIN */
	int64_t account_id;  /* chatwoot: the account every path is under */
};

/* Each operation calls its fn once, from the loop, with what became of it (result.h): r
 * and everything fn receives are the driver's, valid for the call only, except where said. */
typedef void (*backend_done_fn)(void *arg, const struct result *r);
/* t is NULL unless r->cls is RESULT_OK; fn may take what t holds (and zero it). */
typedef void (*backend_thread_fn)(void *arg, struct thread *t, const struct result *r);
/* tag_id is 0 unless r->cls is RESULT_OK. */
typedef void (*backend_tag_fn)(void *arg, int64_t tag_id, const struct result *r);
/* The workspace's office hours schedules, with their exceptions (n of them; NULL unless
 * r->cls is RESULT_OK). */
typedef void (*backend_schedules_fn)(void *arg, const struct sla_schedule *items, size_t n,
				     const struct result *r);
/* items (n of them) may be taken by fn (and zeroed). */
typedef void (*backend_articles_fn)(void *arg, struct article *items, size_t n,
				    const struct result *r);
/* The conversations a search found (n of them, newest update first; NULL unless r->cls
 * is RESULT_OK), and total, how many matched in all; fn may take what items hold (and
 * zero them). */
typedef void (*backend_conversations_fn)(void *arg, struct conversation *items, size_t n,
					 size_t total, const struct result *r);

struct saved_reply;
/* Saved replies (n of them); items may be taken by fn (and zeroed). */
typedef void (*backend_replies_fn)(void *arg, struct saved_reply *items, size_t n,
				   const struct result *r);

/* One page of a report (n conversations; NULL unless r->cls is RESULT_OK), the cursor of
 * the next page (NULL after the last) and total, how many matched in all; fn may take
 * what items hold (and zero them). */
typedef void (*backend_report_fn)(void *arg, struct conversation *items, size_t n,
				  const char *next, size_t total, const struct result *r);

/* cu (NULL unless r->cls is RESULT_OK) may be taken by fn (and zeroed). */
typedef void (*backend_customer_fn)(void *arg, struct customer *cu, const struct result *r);

/* One admin's load in a team: conversations assigned to them, open (idle: open and waiting
 * for a reply longer than the threshold asked) and snoozed. */
struct team_metric {
	int64_t admin;
	long open, idle, snoozed;
};
/* A team's metrics (n of them; NULL unless r->cls is RESULT_OK). */
typedef void (*backend_metrics_fn)(void *arg, const struct team_metric *items, size_t n,
				   const struct result *r);

struct backend_ops {
	const char *name;
	struct backend *(*create)(struct loop *loop, const struct backend_options *opt,
				  const struct backend_listener *listener, char *err, size_t errlen);
	void (*destroy)(struct backend *b);
	/* Fetches the directory, then calls listener->ready or ->failed. */
	void (*start)(struct backend *b);
	/* Full: every open conversation of the teams. Incremental: every conversation of the
	 * teams updated after updated_after, whatever its state, and every one assigned since
	 * to another team, so closures and moves to other teams arrive (the store drops what
	 * it does not track). With assignee (an admin id, 0 for none), the conversations
	 * assigned to that admin too, whatever their team. */
	void (*sync)(struct backend *b, bool full, fl_time updated_after, const int64_t *teams,
		     size_t n_teams, int64_t assignee);
	void (*fetch_thread)(struct backend *b, int64_t id, backend_thread_fn fn, void *arg);
	void (*write)(struct backend *b, const struct write_op *w, backend_done_fn fn, void *arg);
	void (*create_tag)(struct backend *b, const char *name, backend_tag_fn fn, void *arg);
	/* Replaces the local index with every published article. */
	void (*sync_articles)(struct backend *b, struct articles *index, backend_done_fn fn,
			      void *arg);
	/* The backend's own search: the fallback while the local index is empty. */
	void (*search_articles)(struct backend *b, const char *query, backend_articles_fn fn,
				void *arg);
	/* Every office hours schedule of the workspace with its exceptions (holidays). NULL
	 * for a backend that has none. */
	void (*fetch_schedules)(struct backend *b, backend_schedules_fn fn, void *arg);
	/* The contact contact_id with its companies and its conversations, newest first; a
	 * contact the backend does not have is told as OK with cu->missing. NULL for a backend
	 * that has no contacts. */
	void (*fetch_customer)(struct backend *b, const char *contact_id, backend_customer_fn fn,
			       void *arg);
	/* Requests waiting or in flight, and bytes received so far. */
	size_t (*pending)(struct backend *b);
	uint64_t (*bytes_received)(struct backend *b);
	/* Every saved reply (macro) of the workspace, whoever may see it, all pages. NULL
	 * for a backend that has none. */
	void (*fetch_macros)(struct backend *b, backend_replies_fn fn, void *arg);
	/* Searches every conversation of the workspace, whatever its team or state: the
	 * backend's first page of at most max matches of q, told newest update first. */
	void (*search_conversations)(struct backend *b, const struct convsearch *q, size_t max,
				     backend_conversations_fn fn, void *arg);
	/* One page of the conversations created in [since, until), whatever their team or
	 * state, with their statistics: cursor NULL for the first, else the next one told;
	 * updated_after > 0: only those updated after it. NULL for a backend that cannot tell. */
	void (*report_page)(struct backend *b, fl_time since, fl_time until, fl_time updated_after,
			    const char *cursor, backend_report_fn fn, void *arg);
	/* The load of each admin of team_id, idle past idle_threshold seconds; a workspace
	 * without real-time monitoring answers RESULT_PERMANENT (403). NULL for a backend that
	 * cannot tell. */
	void (*team_metrics)(struct backend *b, int64_t team_id, long idle_threshold,
			     backend_metrics_fn fn, void *arg);
};

/* The driver named name ("intercom"), or NULL. */
const struct backend_ops *backend_find(const char *name);
/* The drivers' names, ", "-separated, for a message; cut to fit len. */
void backend_names(char *buf, size_t len);

#endif
