/* world.h: the simulated workspace in SQLite: schema, generation from a seed, the customers'
 * behaviour over time, and every state change a request or a customer causes. */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#include "prng.h"

struct stmt_cache;

#define WORLD_TEAMS 2
#define WORLD_TEAM_REALTIME 0
#define WORLD_TEAM_STANDARD 1

/* The targets of the SLAs the simulated workflow applies (sla_applied), in seconds. */
#define WORLD_SLA_REALTIME_SECONDS 120
#define WORLD_SLA_STANDARD_SECONDS 3600
#define WORLD_SLA_PRIORITY_SECONDS 1800

struct world_params {
	uint64_t seed;
	long conversations;
	long articles;
	long arrivals_per_hour;
	double followup_rate;
	long teammate_actions_per_hour; /* teammates replying, noting, taking; 0: never */
	/* > 0: the conversations were created over this many seconds before now, and those
	 * older than WORLD_HISTORY_OPEN_SECONDS answered and closed; 0: all of the last 90
	 * minutes and open. */
	long history_seconds;
};

/* In a generated history, the conversations of these last seconds are open as in a
 * world without one: answered or not, some with a customer's message after the reply. */
#define WORLD_HISTORY_OPEN_SECONDS (3 * 3600)

struct world {
	sqlite3 *db;
	struct world_params params;
	long long team_ids[WORLD_TEAMS];
	long long me_admin_id;
	time_t next_arrival[WORLD_TEAMS];
	struct prng arrival_rng;
	struct prng customer_rng;
	long long contact_serial;
	/* The time of the request being served (0 while the world is generated). Changes
	 * the sim plays late (arrivals, follow-ups, snoozes ending) keep their own times but
	 * get updated_at no earlier than this, as a server commits them now: clients that
	 * poll for "updated after the newest update seen" must not miss them. */
	time_t clock;
	struct stmt_cache *stmt_cache; /* owned; see wdb.h */
	time_t next_teammate; /* when a teammate acts next (teammate_actions_per_hour) */
	struct prng teammate_rng;
};

/* Opens (creating if needed) the database at path (NULL or "" means in memory) and fills
 * an empty one from params. Returns 0, or -1 with a message in err. */
int world_open(struct world *w, const char *path, const struct world_params *params, time_t now,
	       char *err, size_t errlen);
void world_close(struct world *w);

/* Plays the customers' part up to now: arrivals, customers writing again, snoozes that end. */
int world_advance(struct world *w, time_t now);

/* Lookups; return 1 if found, 0 if not, -1 on a database error. */
int world_team_exists(struct world *w, long long id);
int world_admin_exists(struct world *w, long long id);
int world_conversation_exists(struct world *w, long long id);
int world_contact_exists(struct world *w, long long id);
/* Team index (WORLD_TEAM_*) of a team id, or -1. */
int world_team_index(const struct world *w, long long team_id);

/* The changes a conversation goes through. Each runs in its own transaction and returns 0,
 * or -1 on a database error. */
struct world_new_conversation {
	int team;		/* WORLD_TEAM_* */
	const char *title;	/* NULL: none */
	const char *body;
	const char *contact_name; /* NULL: generated */
	long long contact_id;	/* 0: a new contact; else an existing one (its history grows) */
	time_t created_at;
	time_t waiting_since;	/* 0: created_at */
	long long admin_assignee_id;
	const char *priority;	/* NULL: "none" */
	const char *state;	/* NULL: "open" */
	time_t snoozed_until;
	const char *sla_name;	/* NULL: the workflow decides; "": no SLA */
	time_t sla_target;	/* seconds, with sla_name; 0: an hour */
};
int world_create_conversation(struct world *w, const struct world_new_conversation *c,
			      long long *id_out);
/* is_html: the body is Intercom HTML (from the API) rather than plain text. */
int world_customer_message(struct world *w, long long id, const char *body, bool is_html,
			   time_t at);
/* count plain-text messages at once, the i-th saying "body #i" (for long threads). */
int world_customer_messages(struct world *w, long long id, const char *body, long count, time_t at);
int world_admin_reply(struct world *w, long long id, long long admin_id, bool note,
		      const char *body, bool is_html, time_t at);
int world_close_conversation(struct world *w, long long id, long long admin_id, const char *body,
			     time_t at);
int world_snooze(struct world *w, long long id, long long admin_id, time_t until, time_t at);
int world_open_conversation(struct world *w, long long id, long long admin_id, time_t at);
/* team == false: assign to an admin (0 unassigns); true: to a team. */
int world_assign(struct world *w, long long id, long long admin_id, bool team, long long assignee,
		 time_t at);
/* Deletes conversation id with its parts and tags, as a deletion in the workspace does. */
int world_delete_conversation(struct world *w, long long id);
/* priority: none, low, medium, high or urgent (the caller checks). */
int world_set_priority(struct world *w, long long id, const char *priority, time_t at);
/* Tags: *found is set to false when the tag does not exist. */
int world_tag_conversation(struct world *w, long long id, long long tag_id, long long admin_id,
			   bool add, time_t at, bool *found);
/* Creates the tag, or returns the existing one of that name; with rename_id > 0, renames it. */
int world_tag_upsert(struct world *w, const char *name, long long rename_id, long long *id_out,
		     time_t at);

/* Runs fn inside one transaction (BEGIN IMMEDIATE ... COMMIT), rolling back on failure. */
int world_transaction(struct world *w, int (*fn)(struct world *w, void *arg), void *arg);

#endif
