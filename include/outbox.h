/* outbox.h: every write the agent makes (reply, note, tag, untag, close, snooze, open,
 * assign), stored durably in state_dir/outbox.db (SQLite, WAL, synchronous=FULL, mode
 * 0600) before it is sent, and marked sent only once the backend confirmed it. Pure
 * storage with the clock passed in: the sender (sender.h) moves items through their
 * states on the event loop; any number of processes may read and enqueue at once,
 * SQLite transactions keep the states consistent, and an advisory lock (outbox.lock)
 * names the one process that sends. */
#ifndef FRONTLINE_OUTBOX_H
#define FRONTLINE_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "write.h"
#include "model.h"

struct outbox;

/*
 * An item's life:
 *   pending --(request goes out)--> sending --(2xx)--> sent
 *   sending --(5xx, answer lost, timeout)--> ambiguous --(the write is in the thread)--> sent
 *                                                     \--(it is not)--> sending again
 *   sending --(cannot connect)--> pending again, after a backoff
 *   sending --(a 4xx that will never succeed)--> failed (with the backend's message)
 *   failed --(outbox_retry)--> pending;  pending/ambiguous/failed --(outbox_discard)--> gone
 * An item left `sending` by a process that died is ambiguous for the next sender.
 */
enum outbox_state {
	OUTBOX_PENDING,
	OUTBOX_SENDING,
	OUTBOX_AMBIGUOUS,
	OUTBOX_FAILED,
	OUTBOX_SENT,
	OUTBOX_GONE, /* not stored (discarded): only ever passed to callbacks */
};

struct outbox_item {
	int64_t id;
	enum write_kind kind;
	int64_t conversation;
	char *body;	/* owned; reply and note */
	fl_time until;	/* snooze */
	int64_t tag;	/* tag, untag: the tag's id, or 0 while only tag_name is known */
	char *tag_name; /* owned, may be NULL: the tag to find (or, to add, create) by name */
	enum outbox_state state;
	int attempts;	       /* requests sent so far */
	fl_time created_at;    /* local Unix time it was stored */
	fl_time first_attempt; /* local Unix time the first request went out, 0 before */
	fl_time sent_at;       /* local Unix time the backend confirmed it, 0 before */
	int64_t next_at_ms;    /* local Unix milliseconds before which it is not tried again */
	char *error;	       /* owned, may be NULL: why the last attempt failed */
	long status;	       /* failed: the HTTP status of the refusal, 0 when none */
	char *account;	       /* owned: the backend (its URL) the write is for */
};

struct outbox_counts {
	size_t pending; /* pending, sending and ambiguous: still to be sent */
	size_t failed;	/* failed: waiting for the agent (retry, edit, discard) */
};

/* Opens (creating, 0700 dir and 0600 files) state_dir/outbox.db for the items of account
 * (the backend's URL: items never go to another workspace). Returns NULL with a message
 * that says what to do in err when the database cannot be opened or written. */
struct outbox *outbox_open(const char *state_dir, const char *account, char *err, size_t errlen);
void outbox_close(struct outbox *o);
/* The database's path (owned by o). */
const char *outbox_path(const struct outbox *o);

/* Stores a write as pending; tag_name names the tag when w->tag is 0. Returns the item's
 * id (> 0), or -1 with a message in err (a full disk, an I/O error): then nothing was
 * stored, and the caller still holds the agent's text. */
int64_t outbox_enqueue(struct outbox *o, const struct write_op *w, const char *tag_name,
		       fl_time now, char *err, size_t errlen);
/* The same, not sent before not_before_ms (local Unix milliseconds; 0: at once): a write
 * the agent may still take back (outbox_discard) until then. */
int64_t outbox_enqueue_at(struct outbox *o, const struct write_op *w, const char *tag_name,
			  fl_time now, int64_t not_before_ms, char *err, size_t errlen);

/* One item: 1 and *out filled (release it), 0 if there is no such item, -1 on error. */
int outbox_get(struct outbox *o, int64_t id, struct outbox_item *out);
void outbox_item_release(struct outbox_item *it);
void outbox_items_free(struct outbox_item *items, size_t n);

/* Every item not yet sent, oldest first, plus those sent in the last `sent_within`
 * seconds (none with 0). Returns 0 with a new array (outbox_items_free), or -1. An item
 * of a kind this build does not know (stored by another version) reads as failed, with
 * an error that says so, and is never due. */
int outbox_list(struct outbox *o, fl_time now, fl_time sent_within, struct outbox_item **items,
		size_t *n);
/* The same for every backend's items, not only this account's: a write stored for another
 * backend (another URL) waits for a frontline that talks to it, and is never invisible. */
int outbox_list_all(struct outbox *o, fl_time now, fl_time sent_within, struct outbox_item **items,
		    size_t *n);
int outbox_counts(struct outbox *o, struct outbox_counts *c);

/* The agent's decisions on an item. retry: a failed (or waiting) item of this account is
 * due now. discard: an item not in flight (pending, ambiguous or failed), of any account,
 * is removed. Both return 0, 1 when the item's state does not allow it (sent, sending,
 * gone), or -1 on error. */
int outbox_retry(struct outbox *o, int64_t id);
int outbox_discard(struct outbox *o, int64_t id);

/* ---- for the sender ---- */

/* The advisory lock naming the sending process: 1 taken (or already held), 0 another
 * process holds it, -1 with errno set on error. It goes with outbox_unlock, outbox_close or the
 * process's death. */
int outbox_lock(struct outbox *o);
void outbox_unlock(struct outbox *o);
bool outbox_locked(const struct outbox *o);

/* Items left `sending` (by a process that died while its request was out) become
 * ambiguous. Call once after taking the lock. Returns how many, or -1. */
int outbox_recover(struct outbox *o);

/* The items that may go now: the oldest unfinished item of each conversation (so each
 * conversation's writes go in order), if it is due by now_ms; at most max. Returns the
 * count (items in a new array) or -1. *next_ms gets the earliest time a head not yet
 * due will be, or 0. */
int outbox_due(struct outbox *o, int64_t now_ms, size_t max, struct outbox_item **items, size_t *n,
	       int64_t *next_ms);

/* A request for the item goes out: attempts + 1, first_attempt set the first time.
 * Committed before the request is sent. 0, or -1 (then do not send). */
int outbox_mark_sending(struct outbox *o, int64_t id, fl_time now);
int outbox_mark_sent(struct outbox *o, int64_t id, fl_time now);
/* status: the HTTP status of the answer that refused it (404: the conversation is gone),
 * 0 when none. */
int outbox_mark_failed(struct outbox *o, int64_t id, long status, const char *error);
/* Not done yet: pending (nothing was carried out) or ambiguous (it may have been), due
 * again at next_at_ms. */
int outbox_mark_retry(struct outbox *o, int64_t id, enum outbox_state state, int64_t next_at_ms,
		      const char *error);
/* The tag found or created for an item that named it. */
int outbox_set_tag(struct outbox *o, int64_t id, int64_t tag);

/* How many other items of the same conversation, kind and body the backend confirmed at
 * or after since (local time): parts in the thread they account for cannot prove that
 * item `it` arrived. -1 on error. */
int outbox_count_sent_like(struct outbox *o, const struct outbox_item *it, fl_time since);

/* Bumps when another connection (another process) committed a change. */
int64_t outbox_data_version(struct outbox *o);

/* Backoff before try number `attempts` + 1: base 1 s doubled per attempt, capped at
 * 60 s, half of it random (jitter in [0, 1)). */
int64_t outbox_backoff_ms(int attempts, double jitter);

const char *outbox_state_word(enum outbox_state s);

#endif
