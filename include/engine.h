/* engine.h: everything frontline knows and does, without the screen: the backend driver,
 * the store, the SLA clock ticking on the wall-clock second, polling with incremental
 * syncs and periodic full resyncs, and the connection's health. */
#ifndef FRONTLINE_ENGINE_H
#define FRONTLINE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "config.h"
#include "query.h"
#include "sender.h"
#include "store.h"
#include "storecache.h"

struct loop;

struct engine_listener {
	void *arg;
	/* Conversations changed (records or clocks); the screen marks what to redraw. */
	void (*changed)(void *arg);
	/* A warning or a breach, once per deadline. */
	void (*sla_event)(void *arg, const struct store_entry *e, enum sla_event ev);
	/* The first full sync finished (error NULL) or start-up failed (error set). */
	void (*synced)(void *arg, const char *error);
	/* As sync pages arrive, after the first full sync (what was there at start is not
	 * news): a conversation the store did not hold before, in a tracked queue... */
	void (*new_conversation)(void *arg, const struct store_entry *e);
	/* ...and a held one whose customer wrote again (last_contact_reply_at moved on). */
	void (*new_message)(void *arg, const struct store_entry *e);
};

struct engine;

/* What decides a queue's conversations beyond its teams: its filter = (record terms). */
struct engine_view {
	const struct engine *engine;
	struct query filter;
};

struct engine {
	const struct config *cfg;
	struct loop *loop;
	const struct backend_ops *ops;
	struct backend *backend;
	struct store *store;
	const struct directory *dir; /* the driver's, valid after ready */
	int64_t teams[CONFIG_MAX_QUEUES * CONFIG_MAX_TEAMS];
	size_t n_teams;
	struct engine_listener listener;
	bool polling;	     /* keep polling after the first sync (false for one-shot CLI use) */
	bool directory_only; /* stop after the directory: listener.synced says it is ready */
	bool ready;	     /* directory fetched */
	bool synced;	     /* a full sync completed */
	bool syncing;	     /* a sync is in flight */
	bool sync_full;	     /* ...and it is a full one */
	bool poll_again;     /* engine_poll_now came during a sync */
	int64_t clock_offset;	    /* server time - local time, seconds */
	bool clock_known;	    /* ...told by a Date header */
	bool started_known;	    /* ...when the sync in flight started */
	fl_time last_ok;	    /* local time the last sync completed */
	fl_time last_full;	    /* local time the last full sync started */
	fl_time poll_started;	    /* server time the sync in flight started */
	fl_time next_after;	    /* updated_after for the next incremental sync */
	fl_time newest;		    /* the newest updated_at seen */
	unsigned failures;	    /* syncs failed in a row */
	char error[512];	    /* the last failure, "" after a success */
	uint64_t poll_timer, tick_timer, restart_timer;
	uint64_t polls;		    /* syncs completed, for benchmarks */
	int64_t poll_ms;	    /* the wait before the next poll: poll_interval, longer
				     * while polls bring nothing (engine_poll_interval) */
	unsigned poll_changes;	    /* what the sync in flight changed in the store */
	fl_time next_attempt;	    /* local time the next poll or start-up is due, 0 if none */
	bool refused;		    /* the token was refused (401): no attempt until poll_now */
	struct sender *sender;	    /* the outbox's (sender.h); started by a polling engine */
	uint64_t hours_timer;	    /* the next fetch of the backend's office hours */
	bool hours_known;	    /* the queues' office hours from the backend are in the store */
	bool hours_fetching;	    /* ...and a fetch of them is in flight */
	bool team_unknown;	    /* a queue's team is not in the workspace (said on stderr) */
	struct engine_view views[CONFIG_MAX_QUEUES];
	int64_t assignee; /* polls fetch this admin's conversations of any team too (0: no) */
	bool hours_only;	    /* stop once the queues' teams and business hours are known:
				     * listener.synced says so, and no conversation is synced */
	/* The queues' cache (storecache.h), NULL without one: loaded by engine_start, written
	 * after each sync with the records that changed. */
	struct store_cache *cache;
	struct directory cached_dir; /* the directory the cached records came with */
	struct store_cache_state cached; /* ...and where the cache left off */
	/* The store holds the cache's records, as of cached.saved_at: the first (incremental)
	 * sync catches up from the cache's watermark; until it ends nothing is told of the
	 * clocks (no store_tick) and synced stays false. */
	bool catching_up;
	int64_t *cache_changed; /* ids upserted since the last write */
	size_t n_cache_changed, cap_cache_changed;
	bool cache_rewrite;	/* the next write writes every record */
	bool cache_damaged;	/* a record came damaged since the last clean full sync: the
				 * cache is written as of no queues, so the next start syncs whole */
	bool sync_damaged;	/* ...during the sync running */
	bool cache_dir_saved;	/* the cache holds the directory of this run */
	bool cache_failing;	/* the last write failed (said once on stderr) */
	uint64_t cache_timer;	/* a polling engine writes after the screen has drawn */
	bool cache_full;	/* ...and a full sync came since the last write */
	fl_time cache_saved_at; /* local time of this run's last write, 0: none yet */
};

/* Sets up e (caller-owned) with the driver the configuration names ([backend] type);
 * returns 0 or -1 with a message. */
int engine_init(struct engine *e, const struct config *cfg, struct loop *loop,
		const char *token, const struct engine_listener *listener, char *err,
		size_t errlen);
void engine_release(struct engine *e);

/* Fetches the directory, then syncs; with polling, keeps polling and ticking, and sends
 * the outbox's writes (e->sender, unless the caller set one up already). */
void engine_start(struct engine *e, bool polling);
/* Polls now (Ctrl-R), unless a sync is already in flight; after a refused token, starts
 * again. */
void engine_poll_now(struct engine *e);

/* Server time now, by the clock offset seen in the answers' Date headers. */
fl_time engine_now(const struct engine *e);
/* Seconds since data last arrived, or -1 if it never did. */
int64_t engine_data_age(const struct engine *e);
/* Seconds between polls now: poll_interval, or up to poll_interval_max while the
 * backend is quiet. */
int64_t engine_poll_interval(const struct engine *e);
/* The queue index (into cfg->queues) of a name ("realtime", or its title), or -1. */
int engine_queue_find(const struct engine *e, const char *name);

/* The backend's operations: the engine is their only caller. Each calls fn once, from the
 * loop, unless e is released first; what fn receives is described in backend.h. */

/* A conversation with its parts; fn owns the thread it gets (thread_release). */
void engine_fetch_thread(struct engine *e, int64_t id, backend_thread_fn fn, void *arg);
/* The customer behind a conversation (thread.contact_id): fn as backend_customer_fn. */
void engine_fetch_customer(struct engine *e, const char *contact_id, backend_customer_fn fn,
			   void *arg);
/* Sends one write. Only the sender calls it: everything else submits to the outbox. */
void engine_write(struct engine *e, const struct write_op *w, backend_done_fn fn, void *arg);
/* Creates a tag named name (the sender's, for a write naming a tag not yet made). */
void engine_create_tag(struct engine *e, const char *name, backend_tag_fn fn, void *arg);
/* Replaces index with every published article. */
void engine_sync_articles(struct engine *e, struct articles *index, backend_done_fn fn,
			  void *arg);
/* The backend's own article search: the fallback while the local index is empty. */
void engine_search_articles(struct engine *e, const char *query, backend_articles_fn fn,
			    void *arg);
/* Every saved reply (macro) the backend has, whoever may see them; none, with a result
 * OK, from a backend without them. */
void engine_fetch_macros(struct engine *e, backend_replies_fn fn, void *arg);
/* Searches every conversation of the backend (convsearch.h), whatever its team or state:
 * its first page of at most max matches, told newest update first. */
void engine_search_conversations(struct engine *e, const struct convsearch *q, size_t max,
				 backend_conversations_fn fn, void *arg);
/* Whether the backend has reports (engine_report_page answers more than a refusal). */
bool engine_has_reports(const struct engine *e);
/* One page of the conversations created in [since, until), for a report (backend.h's
 * report_page), updated after updated_after when it is > 0; a backend without reports
 * answers RESULT_PERMANENT. */
void engine_report_page(struct engine *e, fl_time since, fl_time until, fl_time updated_after,
			const char *cursor, backend_report_fn fn, void *arg);
/* The queues (bit q: cfg->queues[q]) a conversation is in, as the screen's: one of the
 * queue's teams, if it names any, and the record terms of its filter. For
 * records that are not in the store (reports). */
unsigned engine_queues_of(const struct engine *e, const struct conversation *cv);
/* The load of each admin of team_id (backend_ops.team_metrics); a backend that cannot tell
 * answers RESULT_PERMANENT. */
void engine_team_metrics(struct engine *e, int64_t team_id, long idle_threshold,
			 backend_metrics_fn fn, void *arg);
/* Requests waiting or in flight. */
size_t engine_pending(const struct engine *e);
/* Why writes are refused (the directory arrived and names no admin to act as, see
 * directory_choose_agent), or NULL: checked before a write is submitted, so that none is
 * stored only to fail. */
const char *engine_write_refusal(const struct engine *e);
/* A sender of the outbox's writes through e (sender.h), for scope: the engine starts its
 * own when polling; the command line makes one for what it submits. The caller frees it
 * (sender_free), before e is released. */
struct sender *engine_sender_new(struct engine *e, enum sender_scope scope, int64_t poll_ms);

#endif
