/* sender.h: the outbox's sender on the event loop. It stores every write in the outbox
 * (outbox.h) before anything goes out, sends each conversation's writes in order,
 * retries with backoff and jitter, and after a lost answer checks the conversation
 * before sending a reply or a note again, so that nothing arrives twice. One process of
 * the agent's sends (it holds state_dir/outbox.db.lock, taken once its backend answered;
 * the others retry the lock every poll); any process may submit, and watches its items
 * through the database. */
#ifndef FRONTLINE_SENDER_H
#define FRONTLINE_SENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "outbox.h"

struct loop;
struct sender;

enum sender_scope {
	SENDER_ALL,	  /* everything in the outbox: the screen, status --watch, outbox send */
	SENDER_SUBMITTED, /* only the conversations this process submitted to (reply, tag) */
};

/* An item changed state (it->state; OUTBOX_GONE once discarded). Called from the loop
 * for the items this process submitted or watches, until they are sent, failed or gone;
 * it stays the caller's only for the call. */
typedef void (*sender_item_fn)(void *arg, const struct outbox_item *it);

/* What the sender needs of the engine, and all it may use of it (engine_sender_new makes
 * one). The strings and the loop must outlive the sender. */
struct sender_link {
	void *arg; /* the first argument of each function below */
	struct loop *loop;
	const char *state_dir; /* where outbox.db is */
	const char *account;   /* the backend's URL: items never go to another workspace */
	/* The directory once the backend answered, NULL before: nothing is sent until then. */
	const struct directory *(*directory)(void *arg);
	/* The server's clock less the local one, in seconds. */
	int64_t (*clock_offset)(void *arg);
	/* The backend's operations (backend.h): each calls fn once. */
	void (*write)(void *arg, const struct write_op *w, backend_done_fn fn, void *fnarg);
	void (*fetch_thread)(void *arg, int64_t id, backend_thread_fn fn, void *fnarg);
	void (*create_tag)(void *arg, const char *name, backend_tag_fn fn, void *fnarg);
};

/* Opens link->state_dir/outbox.db for link->account and starts sending as soon as the
 * directory arrived. Never NULL: when the outbox cannot be opened, sender_error says why
 * and the sender tries again every few seconds. poll_ms: how often the database and the
 * lock are looked at (other processes' items, a sender that went away). link is copied. */
struct sender *sender_new(const struct sender_link *link, enum sender_scope scope,
			  int64_t poll_ms);
/* Stops: requests in flight are forgotten (their items are replayed by the next sender
 * as ambiguous: checked before being sent again). */
void sender_free(struct sender *s);

/* Why writes cannot be stored (the outbox cannot be opened), or NULL. */
const char *sender_error(const struct sender *s);

/* Stores w (tag_name: a tag to find or create, when w->tag is 0) and sends it when its
 * turn comes; fn (may be NULL) hears of each state change. Returns the item's id, or -1
 * with a message in err: nothing was stored, the caller keeps the agent's text. */
int64_t sender_submit(struct sender *s, const struct write_op *w, const char *tag_name,
		      sender_item_fn fn, void *arg, char *err, size_t errlen);
/* The same, held until not_before_ms (local Unix milliseconds): sender_discard takes it
 * back until then. */
int64_t sender_submit_at(struct sender *s, const struct write_op *w, const char *tag_name,
			 int64_t not_before_ms, sender_item_fn fn, void *arg, char *err,
			 size_t errlen);
/* Hears of item id's changes through fn, as for an item submitted here. */
void sender_watch(struct sender *s, int64_t id, sender_item_fn fn, void *arg);
/* Drops every watch with arg (before arg goes away). */
void sender_forget(struct sender *s, void *arg);

/* fn(arg) whenever items changed (counts, rows' states): the screen marks what to redraw.
 * One listener; NULL removes it. */
void sender_listen(struct sender *s, void (*fn)(void *arg), void *arg);

/* ---- for the screen ---- */

/* Items still to send and items failed, for the status bar. 0, or -1 (zeros). */
int sender_counts(struct sender *s, struct outbox_counts *c);
/* A row's mark: OUTBOX_FAILED (something needs the agent), else OUTBOX_PENDING
 * (something is on its way: pending, sending or ambiguous), else OUTBOX_SENT (something
 * went in the last 10 minutes), else OUTBOX_GONE. Cheap: answered from memory,
 * refreshed when items change (here, or in another process: seen at the next poll). */
enum outbox_state sender_conversation_state(struct sender *s, int64_t conversation);
/* Every item not yet sent, oldest first (outbox_items_free). 0 or -1. */
int sender_items(struct sender *s, struct outbox_item **items, size_t *n);
/* The same, with the items sent in the last `within` seconds, oldest first. 0 or -1. */
int sender_sent(struct sender *s, fl_time within, struct outbox_item **items, size_t *n);
/* One item, e.g. a failed reply's body to edit: 1 and *out (outbox_item_release), 0 if
 * none, -1. */
int sender_item(struct sender *s, int64_t id, struct outbox_item *out);
/* Sends a failed item again now. 0, 1 if its state does not allow it, -1. */
int sender_retry(struct sender *s, int64_t id);
/* Removes an item that is not in flight (pending, ambiguous, failed). 0, 1 if it is in
 * flight or gone, -1. */
int sender_discard(struct sender *s, int64_t id);

/* ---- for the command line ---- */

/* True when nothing is in flight here and nothing in this sender's scope is left to
 * send, by this process or the one holding the lock (items waiting for a backoff count
 * as left; failed ones do not). */
bool sender_idle(struct sender *s);
/* Requests in flight from this process. */
size_t sender_in_flight(const struct sender *s);

#endif
