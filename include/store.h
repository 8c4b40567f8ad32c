/* store.h: the conversations the client holds, by id, and each queue's order by urgency,
 * kept up to date as changes arrive so nobody sorts a whole queue per frame. Pure: no
 * curses, no curl; "now" is an argument. */
#ifndef FRONTLINE_STORE_H
#define FRONTLINE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "sla.h"

#define STORE_MAX_QUEUES 8

struct store_entry {
	struct conversation conv; /* owned by the store */
	int queue;		  /* index of the queue it is in */
	struct sla_clock clock;	  /* as of the last store_tick or upsert */
	struct sla_memory memory; /* what was already told for the current deadline */
	int64_t paused;		  /* seconds seen snoozed since the clock started */
	fl_time snoozed_seen;	  /* when the client saw it snoozed, 0 if it is not */
	unsigned dirty;		  /* set on every change; the screen clears it */
};

enum store_change { STORE_UNCHANGED, STORE_ADDED, STORE_UPDATED, STORE_REMOVED };

struct store;

/* A store with n_queues queues (<= STORE_MAX_QUEUES), each with its policy (copied). */
struct store *store_new(const struct sla_policy *policies, size_t n_queues);
void store_free(struct store *s);

/* Conversations assigned to team_id belong to queue (-1 to stop tracking that team).
 * Conversations of untracked teams are not held. */
void store_set_team_queue(struct store *s, int64_t team_id, int queue);

/* Takes a conversation from the backend (copied). An older or identical record (same
 * id and updated_at) changes nothing; a closed one, or one moved to an untracked team,
 * leaves the store (STORE_REMOVED). */
enum store_change store_upsert(struct store *s, const struct conversation *c, fl_time now);
/* Removes a conversation; returns STORE_REMOVED or STORE_UNCHANGED if it was not held. */
enum store_change store_remove(struct store *s, int64_t id);

const struct store_entry *store_get(const struct store *s, int64_t id);
size_t store_count(const struct store *s);
size_t store_queue_count(const struct store *s, int queue);
/* The index-th most urgent conversation of a queue: breached first, then soonest
 * deadline, then those without a clock (most recently updated first); ties by id. */
const struct store_entry *store_queue_at(const struct store *s, int queue, size_t index);
/* The position of a conversation in its queue, or (size_t)-1. */
size_t store_queue_index(const struct store *s, int64_t id);

typedef void (*store_event_fn)(void *arg, const struct store_entry *e, enum sla_event ev);

/* Brings every clock to now and calls fn once for each warning or breach reached. Cost
 * grows with the conversations whose state changes, not with the whole store. */
void store_tick(struct store *s, fl_time now, store_event_fn fn, void *arg);

/* A full resync: begin, upsert every conversation the backend reports, then end removes
 * those not reported since begin. Returns how many were removed. */
void store_sweep_begin(struct store *s);
size_t store_sweep_end(struct store *s);

/* Counts for a queue's title. */
struct store_counts {
	size_t open, warning, breached;
};
void store_queue_counts(const struct store *s, int queue, struct store_counts *out);

#endif
