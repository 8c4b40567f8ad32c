/* sim.h: the one top-level state of frontline-sim, shared by its HTTP layer and handlers. */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#include "prng.h"
#include "search.h"
#include "world.h"

/* The API a sim speaks: Intercom's (the default) or Chatwoot's application API. */
enum sim_dialect { SIM_DIALECT_INTERCOM, SIM_DIALECT_CHATWOOT };

struct sim_options {
	enum sim_dialect dialect;
	long sla_job_interval; /* chatwoot: seconds between the SLA job's runs */
	bool no_sla;	       /* chatwoot: a Community Edition server, without SLAs */
	const char *listen_addr;
	long port;
	const char *port_file;
	const char *db_path;
	uint64_t seed;
	long conversations;
	long history; /* seconds the conversations' creation spreads over; 0: today's world */
	long articles;
	long arrivals_per_hour;
	double followup_rate;
	long rate_limit;
	const char *token_file;
	bool control;
	long max_body;
	int latest_version; /* api_version_index of the newest Intercom-Version accepted */
	const char *scopes; /* the token's scopes, comma-separated; NULL: all */
	long header_timeout;	     /* seconds a connection has for a request's headers */
	long max_client_connections; /* open connections from one address */
	long partial_every; /* search results: see render_partial; 0: off */
	long index_lag;
	bool quiet;
	long idle_exit;	       /* seconds without a request before it stops, 0: never */
	const char *idle_lock; /* with idle_exit: only while nobody holds this file locked */
	long teammates;	       /* teammates' actions an hour (world_params) */
	bool no_monitoring;    /* the workspace lacks real-time monitoring: no team metrics */
};

/* The longest index lag (--index-lag, /_sim/faults' index_lag), in seconds. */
#define SIM_MAX_INDEX_LAG 3600

/* Faults a test switches on through /_sim/faults; they apply to API requests only. */
struct sim_faults {
	long latency_ms;
	double error_rate;
	double drop_rate;
	double truncate_rate;
	double malformed_rate;	 /* share of successful answers sent as broken JSON */
	double wrong_types_rate; /* share of values in successful answers given another type */
	/* When not empty, the wrong types touch only the members so named, and the elements
	 * of the arrays named with "[]" after the name: "\0"-separated, ending in "\0\0". */
	char wrong_types_keys[256];
	long index_lag;		 /* seconds before a change is visible to the search (index.h) */
	char error_path[128];	 /* error_rate applies only to paths starting so ("": all) */
};

struct sim {
	struct sim_options opt;
	char *token;
	struct deadlines *deadlines; /* the server's header clocks (deadline.h) */

	/* Guards everything below: one request at a time touches the world. */
	pthread_mutex_t lock;
	struct world world;
	struct search_cursors cursors;
	struct sim_faults faults;
	struct prng fault_rng;
	time_t window_start;
	long window_used;
	unsigned long requests;
	time_t last_request;	  /* when the last authorized request came, for --idle-exit */
	unsigned long searches;	  /* POST /conversations/search answered */
	unsigned long search_queries; /* ...of which first pages (no starting_after) */
	unsigned long long search_results; /* ...and the conversations they returned */
	unsigned long unauthorized; /* requests refused for their token (not in requests) */
	unsigned long long bytes_sent; /* API response bodies, for benchmarks */
	unsigned long rate_limited;    /* requests answered 429 */
	unsigned searches_in_flight;   /* searches between arrival and answer... */
	unsigned searches_in_flight_max; /* ...and the most at once, for tests */
	time_t sla_job_at;	       /* chatwoot: the SLA job's last run (chatwoot.h) */
};

#endif
