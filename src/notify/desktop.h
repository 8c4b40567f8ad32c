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

/* Queues one notification (copied). id names what it replaces: a notification with the
 * same id is updated instead of stacked. */
void notify_desktop_post(struct notify_desktop *d, int64_t id, enum notify_kind kind,
			 const char *summary, const char *body);

/* What the thread found out ("desktop notifications unavailable: ..."), once: true with
 * the message in buf the first time it is asked after a failure, else false. */
bool notify_desktop_status(struct notify_desktop *d, char *buf, size_t len);

/* Notifications dropped from the full queue so far. */
unsigned long notify_desktop_dropped(struct notify_desktop *d);

#endif
