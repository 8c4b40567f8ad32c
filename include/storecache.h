/* storecache.h: the queues' cache: the conversations the store held after the last sync,
 * the directory they were read with, and where the next incremental sync starts (the
 * watermark), kept in the outbox's database (state_dir/outbox.db, tables store_cache_*)
 * for each scope (the backend's type, its URL and the configured agent). A later start
 * shows them at once and catches up from the watermark instead of fetching every open
 * conversation again. A signature of the queues' configuration is kept with them: another
 * configuration finds no cache. Pure storage; no token or credential is ever stored. */
#ifndef FRONTLINE_STORECACHE_H
#define FRONTLINE_STORECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "directory.h"
#include "model.h"

/* The layout of the tables: a cache written with another is dropped when opened. */
#define STORE_CACHE_SCHEMA 1

/* Where the engine was when the cache was written. */
struct store_cache_state {
	fl_time saved_at;     /* local time of the write: the cached rows' age */
	fl_time newest;	      /* the newest updated_at seen (server time) */
	fl_time next_after;   /* updated_after of the next incremental sync (server time) */
	fl_time last_full;    /* local time the last full sync started */
	int64_t clock_offset; /* server time - local time */
	int64_t *teams;	      /* owned: the team ids the queues track */
	size_t n_teams;
	int64_t assignee; /* the admin whose conversations the polls fetch too, 0: none */
};

/* Frees what st holds (not st itself) and zeroes it. */
void store_cache_state_release(struct store_cache_state *st);

struct store_cache;

/* Opens (creating, 0700 dir and 0600 file) state_dir/outbox.db's cache of the queues for
 * scope; tables of another STORE_CACHE_SCHEMA are dropped. NULL with a message in err. */
struct store_cache *store_cache_open(const char *state_dir, const char *scope, char *err,
				     size_t errlen);
void store_cache_close(struct store_cache *sc);

/* How a load hands over what it reads. */
struct store_cache_reader {
	void *arg;
	/* The state and directory are read (both valid during the call only): whether to
	 * read the records too. */
	bool (*use)(void *arg, const struct store_cache_state *state, const struct directory *dir);
	/* One record, valid during the call only. */
	void (*conversation)(void *arg, const struct conversation *c);
};

/* Loads what was cached for signature (the queues' configuration), in one read: 1 with
 * *state and *dir filled (the caller releases both) when reader->use took them and each
 * record went to reader->conversation; 0 when there is nothing for that signature or use
 * said no; -1 with a message in err (then records may have been handed over, and the
 * unreadable tables are made anew, empty, when they can be). */
int store_cache_load(struct store_cache *sc, const char *signature, struct store_cache_state *state,
		     struct directory *dir, const struct store_cache_reader *reader, char *err,
		     size_t errlen);

/* A write, in one transaction: store_cache_begin, then put and remove each record that
 * changed, then store_cache_commit (or store_cache_abort). *rewrite in: the caller wants
 * to write every record; out: it must (the cache holds records this connection did not
 * write or load, e.g. another process's), and the old records are gone. 0, or -1 with a
 * message in err. */
int store_cache_begin(struct store_cache *sc, bool *rewrite, char *err, size_t errlen);
void store_cache_put(struct store_cache *sc, const struct conversation *c);
void store_cache_remove(struct store_cache *sc, int64_t id);
/* Removes every cached record for which held says no (after a full sync). */
void store_cache_prune(struct store_cache *sc, bool (*held)(void *arg, int64_t id), void *arg);
/* Ends the write with the state and, unless NULL, the directory (replacing the one
 * kept). 0, or -1 with a message in err: then the cache holds what it held before. */
int store_cache_commit(struct store_cache *sc, const char *signature,
		       const struct store_cache_state *state, const struct directory *dir,
		       char *err, size_t errlen);
void store_cache_abort(struct store_cache *sc);

#endif
