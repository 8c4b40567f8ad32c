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

/* What the thread found out ("desktop notifications unavailable: ..."), once: true with
 * the message in buf the first time it is asked after a failure, else false. */
bool notify_desktop_status(struct notify_desktop *d, char *buf, size_t len);

/* Notifications dropped from the full queue so far. */
unsigned long notify_desktop_dropped(struct notify_desktop *d);

#endif
