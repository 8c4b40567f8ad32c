/* desktop.h: desktop notifications for the notifier (notify.c): libnotify on a thread of
 * its own, fed by a bounded queue, so a hung notification server never holds the caller.
 * Not for use outside src/notify/. */
#ifndef FRONTLINE_NOTIFY_DESKTOP_H
#define FRONTLINE_NOTIFY_DESKTOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notify.h"

/* Notifications waiting for the thread; when full, the oldest waiting one goes. */
#define DESKTOP_QUEUE_MAX 32

struct notify_desktop;

/* Starts the thread (after checking that a session bus exists). Returns NULL, with why
 * in why, when the desktop stays silent: no bus, no thread, or no libnotify built in. */
struct notify_desktop *notify_desktop_start(char *why, size_t len);

/* Asks the thread to finish and waits about a second; a thread a hung server holds is
 * left to finish (and free what it shares) alone. Returns true when a thread ran: GDBus's
 * own threads live on, so the process should end with _exit. NULL: false. */
bool notify_desktop_stop(struct notify_desktop *d);

/* A call to the notification server that took this long (or failed) means the server
 * stalled: what waited meanwhile goes out as one catch-up summary, not one by one. */
#define DESKTOP_STALL_MS 2000

/* Queues one notification (copied). id names what it replaces: a notification with the
 * same id is updated instead of stacked, and one of the same conversation (id > 0) still
 * waiting is replaced in the queue. deadline is the conversation's when the event
 * happened (0: none); count is how many events a summary sums up (0 for a single one). */
void notify_desktop_post(struct notify_desktop *d, int64_t id, enum notify_kind kind,
			 fl_time deadline, unsigned long count, const char *summary,
			 const char *body);

/* Whether a waiting notification of a conversation is still true. */
typedef bool notify_desktop_still_true_fn(void *ctx, int64_t id, enum notify_kind kind,
					  fl_time deadline);
/* Drops the waiting notifications of conversations that still_true says are over. */
void notify_desktop_filter(struct notify_desktop *d, notify_desktop_still_true_fn *still_true,
			   void *ctx);

/* ---- the queue between the caller and the thread (pure; the thread's lock guards it) */

/* The id of the catch-up summary: each replaces the one before. */
#define DESKTOP_CATCH_UP_ID INT64_MIN

struct desktop_item {
	int64_t id;		/* a conversation (> 0), or a summary's */
	enum notify_kind kind;	/* a catch-up summary's: its most urgent */
	fl_time deadline;	/* the conversation's at the event, 0 if none */
	unsigned long count;	/* events a summary sums up, 0 for one */
	char *summary, *body;
};

struct desktop_queue {
	struct desktop_item items[DESKTOP_QUEUE_MAX]; /* a ring */
	size_t head, count;
	unsigned long dropped; /* the oldest, dropped when full */
};

/* Adds a copy of it; replaces the waiting item of the same conversation (id > 0). */
void desktop_queue_post(struct desktop_queue *q, const struct desktop_item *it);
/* Drops the waiting items of conversations that still_true says are over. */
void desktop_queue_filter(struct desktop_queue *q, notify_desktop_still_true_fn *still_true,
			  void *ctx);
/* The next item to show into out (released by the caller), false if none waits. After a
 * stall, several waiting become one catch-up summary ("Catching up: 2 breached, 1 new
 * conversation"). */
bool desktop_queue_take(struct desktop_queue *q, bool stalled, struct desktop_item *out);
void desktop_item_release(struct desktop_item *it);
void desktop_queue_release(struct desktop_queue *q);

/* What the thread found out ("desktop notifications unavailable: ..."), once: true with
 * the message in buf the first time it is asked after a failure, else false. */
bool notify_desktop_status(struct notify_desktop *d, char *buf, size_t len);

/* Notifications dropped from the full queue so far. */
unsigned long notify_desktop_dropped(struct notify_desktop *d);

#endif
