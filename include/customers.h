/* customers.h: the customer cache: who each conversation's customer is (the contact, its
 * company, tags and earlier conversations), kept in the outbox's database
 * (state_dir/outbox.db, table customers) for each backend and agent, so the customer
 * panel shows at once and offline, and the backend is asked again only when the
 * conversation changed or the entry is old. Pure storage with the clock passed in; no
 * token or credential is ever stored. */
#ifndef FRONTLINE_CUSTOMERS_H
#define FRONTLINE_CUSTOMERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* How many customers the cache keeps (all backends together): beyond it, the entries
 * fetched longest ago go. */
#define CUSTOMER_CACHE_MAX 5000
/* An entry older than this (seconds) is fetched again even if its conversation did not
 * change. */
#define CUSTOMER_CACHE_MAX_AGE 3600

struct customer_cache;

/* What the cache knows about an entry besides the customer. */
struct customer_cache_info {
	fl_time fetched_at;	 /* local time the backend sent it */
	fl_time conversation_at; /* updated_at of the conversation it was fetched for */
};

/* Opens (creating, 0700 dir and 0600 file) state_dir/outbox.db's customer table for the
 * customers of account (the backend's URL) as seen by agent (the admin frontline acts
 * as), keeping at most max_entries customers (0: CUSTOMER_CACHE_MAX). NULL with a message
 * that says what to do in err when it cannot be opened or written. */
struct customer_cache *customer_cache_open(const char *state_dir, const char *account,
					   int64_t agent, size_t max_entries, char *err,
					   size_t errlen);
void customer_cache_close(struct customer_cache *cc);

/* The cached customer of contact_id: 1 with *out filled (customer_release it) and *info,
 * 0 when there is none, -1 with a message in err. */
int customer_cache_get(struct customer_cache *cc, const char *contact_id, struct customer *out,
		       struct customer_cache_info *info, char *err, size_t errlen);
/* The same for the customer whose conversations (as cached) include conversation: for a
 * conversation view whose thread cannot be fetched (offline). */
int customer_cache_get_for(struct customer_cache *cc, int64_t conversation, struct customer *out,
			   struct customer_cache_info *info, char *err, size_t errlen);
/* Stores cu (cu->contact_id is the key) as fetched now for a conversation last updated at
 * conversation_at, replacing what was there, and evicts the entries fetched longest ago
 * beyond the bound. 0, or -1 with a message (a full disk, a read-only file): then the
 * cache holds what it held before. */
int customer_cache_put(struct customer_cache *cc, const struct customer *cu,
		       fl_time conversation_at, fl_time now, char *err, size_t errlen);
/* How many customers the cache holds (every backend's), or -1. */
long customer_cache_count(struct customer_cache *cc);

/* Whether an entry should be fetched again: its conversation changed since (updated_at
 * later than the one it was fetched for), or it is older than CUSTOMER_CACHE_MAX_AGE. */
bool customer_cache_stale(const struct customer_cache_info *info, fl_time conversation_at,
			  fl_time now);
/* "as of 3 min ago", "as of 2 h ago", "as of 4 days ago" for an entry fetched at
 * fetched_at; NULL when it is less than a minute old. A new string. */
char *customer_cache_age_text(fl_time fetched_at, fl_time now);

#endif
