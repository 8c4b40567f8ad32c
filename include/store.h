/* store.h: the conversations the client holds, by id, and each queue's order by urgency,
 * kept up to date as changes arrive so nobody sorts a whole queue per frame. Pure: no
 * curses, no curl; "now" is an argument.
 *
 * Costs, n conversations in a queue: store_get O(1); store_upsert/store_remove O(log n)
 * plus moving at most one block of 512 pointers and a few hundred block counts at
 * 100,000; store_queue_at and store_queue_index O(log n); store_queue_counts O(1);
 * store_tick O(k log n) for the k conversations whose clock reaches a warning or its
 * deadline (or that were upserted since the last tick); sweeps and team remapping O(n).
 * A conversation may be in several queues at once (a team's queue and one of every team
 * that matches, such as the agent's own): each change costs the above once per queue it
 * is in, plus one test per queue of whether it belongs. */
#ifndef FRONTLINE_STORE_H
#define FRONTLINE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "sla.h"

#define STORE_MAX_QUEUES 8

/* A conversation in one queue. One in several queues has an entry per queue, each with
 * its clock under that queue's policy; they share the record. */
struct store_entry {
	struct conversation conv; /* owned by the store */
	int queue;		  /* index of the queue this entry is in */
	/* As of the last time the store evaluated it: at an upsert and at each tick where
	 * its state can change. state, deadline and warn_level are current after every
	 * store_tick; left is not (it goes stale in between): derive a countdown from
	 * deadline and now. */
	struct sla_clock clock;
	struct sla_memory memory; /* what was already told for the current deadline */
	int64_t paused;		  /* seconds seen snoozed since the clock started */
	fl_time snoozed_seen;	  /* when the client saw it snoozed, 0 if it is not */
	/* Set when the record or its clock state changes; the screen clears it. */
	unsigned dirty;
};

enum store_change { STORE_UNCHANGED, STORE_ADDED, STORE_UPDATED, STORE_REMOVED };

struct store;

/* A store with n_queues queues (1 to STORE_MAX_QUEUES, else NULL), each with its policy
 * (copied). */
struct store *store_new(const struct sla_policy *policies, size_t n_queues);
void store_free(struct store *s);

/* Conversations assigned to team_id belong to queue (-1 to stop tracking that team).
 * Conversations of untracked teams are not held: untracking a team drops what the store
 * holds of it; moving it to another queue moves them, and the next store_tick applies the
 * new queue's policy. A queue out of range is a programming error (die). */
void store_set_team_queue(struct store *s, int64_t team_id, int queue);
/* Whether a record belongs in a queue, beyond its team (arg as given). */
typedef bool (*store_match_fn)(void *arg, const struct conversation *c);
/* What a queue holds besides its teams': with all_teams, the conversations of every team
 * (tracked or not); with match, only those for which match says yes. A conversation that
 * stops matching (unassigned, retagged, closed) leaves the queue at its next upsert; one
 * that belongs in no queue leaves the store. Refits everything held (O(n)). */
void store_set_queue_match(struct store *s, int queue, bool all_teams, store_match_fn match,
			   void *arg);
/* Replaces a queue's policy (copied), e.g. with business hours the backend told; the next
 * store_tick evaluates the queue's clocks under it. A queue out of range dies. */
void store_set_policy(struct store *s, int queue, const struct sla_policy *policy);

/* Takes a conversation from the backend (copied; c may point into a held record). An
 * older or identical record (same id, updated_at not newer) changes nothing
 * (STORE_UNCHANGED), but still counts as seen for a sweep. A closed one, or one of an
 * untracked team matching no queue of every team, leaves the store (STORE_REMOVED) or is
 * not added (STORE_UNCHANGED); one that still belongs somewhere leaves the queues it no
 * longer belongs in (STORE_UPDATED).
 * Time seen snoozed (from the upsert that shows it snoozed to the one that shows it open)
 * is added to `paused` if the queue's policy pauses snoozed conversations; it restarts
 * at 0 with each new deadline. Warnings and breaches
 * this update reaches are told by the next store_tick. */
enum store_change store_upsert(struct store *s, const struct conversation *c, fl_time now);
/* Removes a conversation; returns STORE_REMOVED or STORE_UNCHANGED if it was not held. */
enum store_change store_remove(struct store *s, int64_t id);
/* The agent read id: its unread mark clears at once and stays cleared until the backend
 * has something newer than what was read. false if id is not held or was read already. */
bool store_mark_read(struct store *s, int64_t id);

/* The entry of the first queue id is in, or NULL if it is not held. */
const struct store_entry *store_get(const struct store *s, int64_t id);
/* The entry of id in that queue, or NULL if it is not in it. */
const struct store_entry *store_get_in(const struct store *s, int queue, int64_t id);
/* The queues id is in, one bit each (1 << queue); 0 if it is not held. */
unsigned store_queues_of(const struct store *s, int64_t id);
size_t store_count(const struct store *s);
size_t store_queue_count(const struct store *s, int queue);
/* The index-th most urgent conversation of a queue, NULL past the end: breached first,
 * then soonest deadline, then those without a running clock (SLA_NONE or SLA_PAUSED, most
 * recently updated first); ties by id. */
const struct store_entry *store_queue_at(const struct store *s, int queue, size_t index);
/* The position of a conversation in its first queue, or (size_t)-1. */
size_t store_queue_index(const struct store *s, int64_t id);
/* The position of a conversation in a queue, or (size_t)-1 if it is not in it. */
size_t store_queue_index_in(const struct store *s, int queue, int64_t id);

typedef void (*store_event_fn)(void *arg, const struct store_entry *e, enum sla_event ev);

/* Brings every clock to now and calls fn once for each warning or breach reached. Cost
 * grows with the conversations whose state changes, not with the whole store: each
 * running clock waits in a min-heap keyed by the wall-clock time of its next threshold
 * (deadline - lead time, or the deadline; with business hours, sla_hours_add from now by
 * left - lead, so nights and weekends cost nothing) and only those due are evaluated.
 * fn may be NULL; it must not change the store. */
void store_tick(struct store *s, fl_time now, store_event_fn fn, void *arg);

/* A full resync: begin, upsert every conversation the backend reports, then end removes
 * those not upserted since begin (even with an unchanged record). Returns how many were
 * removed. */
void store_sweep_begin(struct store *s);
size_t store_sweep_end(struct store *s);

/* A number that moves whenever a record is added, replaced or removed, a clock changes
 * state, or a queue's order changes, and stays put otherwise (a tick that only brings
 * countdowns down): views built from the store (a filtered pane) need rebuilding only
 * when it moved, or when they depend on the time itself. */
uint64_t store_version(const struct store *s);

/* Counts for a queue's title, kept as entries change (O(1)); warning and breached are
 * as of the last store_tick. */
struct store_counts {
	size_t open, warning, breached;
};
void store_queue_counts(const struct store *s, int queue, struct store_counts *out);

/* A queue's policy as the store applies it (with the business hours the backend told).
 * A queue out of range dies. */
const struct sla_policy *store_policy(const struct store *s, int queue);

#endif
