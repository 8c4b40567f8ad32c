/* notify.h: telling the agent about SLA warnings, breaches and new conversations while
 * they look elsewhere: desktop notifications (libnotify, on a thread of their own behind a
 * bounded queue), the terminal (BEL, OSC 777 / OSC 9) and a user command run without a
 * shell. Bursts coalesce into one summary per queue and kind. Privacy by default: the
 * queue, the customer's name and the time, never the message text. */
#ifndef FRONTLINE_NOTIFY_H
#define FRONTLINE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "model.h"
#include "sla.h"
#include "store.h"

enum notify_kind {
	NOTIFY_WARNING,		 /* a warning lead time reached */
	NOTIFY_BREACH,		 /* the deadline passed */
	NOTIFY_NEW_CONVERSATION, /* a conversation arrived in the queue */
	NOTIFY_NEW_MESSAGE,	 /* the customer wrote again */
};
#define NOTIFY_KINDS 4

/* Events of a queue and kind within this many seconds of the last notification of the
 * same queue and kind wait, then go out together: one notification if only one waited,
 * else one summary ("20 conversations breached in Standard"). */
#define NOTIFY_COALESCE_SECONDS 3

struct notifier;

/* A notifier for cfg (which must outlive it): starts the desktop thread when desktop
 * notifications are on, built in and a session bus exists. Returns NULL with a message
 * in err if nothing could work; today every failure (no bus, no thread) only leaves the
 * desktop out, and notifier_status tells why at the first notification. */
struct notifier *notifier_new(const struct config *cfg, char *err, size_t errlen);
/* Stops the desktop thread (waiting at most about a second for a hung server: then the
 * thread finishes, and frees what it shares, on its own) and frees n. NULL is a no-op.
 * Returns true when desktop delivery ran: its thread may still be blocked in a call to a
 * hung notification server, and GDBus's own threads live on, so the caller should end
 * the process with _exit rather than let exit handlers wait on them. */
bool notifier_free(struct notifier *n);

/* The conversations as they are now (not owned; NULL: none). Desktop notifications still
 * waiting for a slow notification server are dropped once the store shows them over: the
 * conversation answered or gone, a warning overtaken by the breach. */
void notifier_set_store(struct notifier *n, const struct store *store);

/* Where BEL and OSC sequences go: fd (not owned), if it is a terminal; -1 for nowhere
 * (the default). The curses UI passes its terminal's fd. */
void notifier_set_terminal(struct notifier *n, int fd);

/* Records an event of the queue titled queue_title (its config title, or key) for c at
 * now, unless the queue's notify level leaves it out. Nothing is delivered before the
 * next notifier_flush. deadline is the wall-clock time the reply is (or was) due, 0 if
 * none. Copies what it keeps. */
void notifier_event(struct notifier *n, enum notify_kind kind, const char *queue_title,
		    const struct conversation *c, fl_time deadline, fl_time now);

/* notifier_event for a conversation the store holds: its queue, its deadline. */
void notifier_entry_event(struct notifier *n, enum notify_kind kind, const struct store_entry *e,
			  fl_time now);
/* The same for an SLA event: a warning or a breach (SLA_EVENT_NONE: nothing). */
void notifier_sla_event(struct notifier *n, const struct store_entry *e, enum sla_event ev,
			fl_time now);

/* Call once per tick: delivers what is due (coalescing bursts), reaps finished commands.
 * Never waits. */
void notifier_flush(struct notifier *n, fl_time now);

/* The next thing to tell the user once ("desktop notifications unavailable: no session
 * bus"), or NULL. Owned by n, valid until the next call. */
const char *notifier_status(struct notifier *n);

/* Counts, for tests and diagnostics. */
struct notifier_counts {
	unsigned long delivered;       /* notifications (single or summary) sent out */
	unsigned long desktop_dropped; /* oldest dropped from the full desktop queue */
	unsigned long command_skipped; /* events skipped while the command still ran */
};
void notifier_counts(struct notifier *n, struct notifier_counts *out);

/* The bytes that tell a terminal about a notification: BEL if bell, then with osc an
 * OSC 777 ("ESC ] 777 ; notify ; TITLE ; BODY BEL") or OSC 9 ("ESC ] 9 ; TITLE: BODY
 * BEL") sequence. title and body lose control characters and (for 777) semicolons.
 * Writes at most len bytes including a NUL into buf; returns the length written. */
size_t notify_terminal_format(bool bell, enum config_osc osc, const char *title, const char *body,
			      char *buf, size_t len);

/* Characters of the opening message a redacted preview keeps (preview = redacted). */
#define NOTIFY_PREVIEW_CHARS 60

/* text made safe (text_sanitize), every word holding an @ replaced by "[email]", every
 * digit by "#", then cut to max_chars characters with "…". Returns a new string. */
char *notify_preview_redact(const char *text, size_t max_chars);

#endif
