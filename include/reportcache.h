/* reportcache.h: the report's cache: the conversations a report fetched (what its figures
 * read: times, statistics, team, assignee, priority, state, SLA, tags, title and customer
 * for the queues' filters) and, per range start, up to when it is known and the latest
 * update seen (the watermark), kept in the outbox's database (state_dir/outbox.db, tables
 * report_conversations and report_ranges) for each backend and agent. A later report over
 * a range a cached one covers asks the backend only for what was updated since the
 * watermark; and what each conversation's parts told (report_threads), by its updated_at.
 * Pure storage; no token or credential is ever stored. */
#ifndef FRONTLINE_REPORTCACHE_H
#define FRONTLINE_REPORTCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* Ranges kept per backend and agent: beyond it, those starting earliest go, and with them
 * the conversations created before every kept range. */
#define REPORT_CACHE_RANGES 16

struct report_cache;

/* Opens (creating, 0700 dir and 0600 file) state_dir/outbox.db's report tables for account
 * (the backend's URL) as seen by agent. NULL with a message in err when it cannot. */
struct report_cache *report_cache_open(const char *state_dir, const char *account, int64_t agent,
				       char *err, size_t errlen);
void report_cache_close(struct report_cache *rc);

/* For a report over [since, until): 1 with *after set to the time from which the backend
 * must be asked again (updates after it; the caller takes its overlap off), when a cached
 * range starts at or before since; 0 when none does (fetch everything); -1 with a message
 * in err. */
int report_cache_watermark(struct report_cache *rc, fl_time since, fl_time until, fl_time *after,
			   char *err, size_t errlen);
/* Appends the cached conversations created in [since, until) to *convs (n used, cap
 * allocated; conversation_release each). 0, or -1 with a message in err (then *convs
 * holds what it held before). */
int report_cache_get(struct report_cache *rc, fl_time since, fl_time until,
		     struct conversation **convs, size_t *n, size_t *cap, char *err, size_t errlen);
/* Stores convs (replacing their earlier records) and the range [since, until) known as of
 * watermark (the latest updated_at the backend told), in one transaction; drops the
 * ranges beyond REPORT_CACHE_RANGES. 0, or -1 with a message in err: then the cache holds
 * what it held before. */
int report_cache_put(struct report_cache *rc, fl_time since, fl_time until,
		     const struct conversation *convs, size_t n, fl_time watermark, char *err,
		     size_t errlen);

struct report_thread;
/* Every conversation's parts as the cache last read them (report.h's report_thread, with
 * its updated_at) into *threads (n of them; report_threads_free). A row that cannot be read
 * is left out. 0, or -1 with a message in err. */
int report_cache_get_threads(struct report_cache *rc, struct report_thread **threads, size_t *n,
			     char *err, size_t errlen);
/* Stores threads (replacing their earlier rows) in one transaction. 0, or -1 with a
 * message in err: then the cache holds what it held before. */
int report_cache_put_threads(struct report_cache *rc, const struct report_thread *threads, size_t n,
			     char *err, size_t errlen);
void report_threads_free(struct report_thread *threads, size_t n);

#endif
