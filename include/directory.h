/* directory.h: who is who in the workspace (its teams, teammates and tags), as a backend
 * driver fetched it at start-up. Every layer reads it; only a driver fills it. */
#ifndef FRONTLINE_DIRECTORY_H
#define FRONTLINE_DIRECTORY_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

struct directory_entry {
	int64_t id;
	char *name;  /* owned */
	char *email; /* owned; admins only, may be NULL */
	bool away;   /* admins only: away mode on */
	bool bot;    /* admins only: a bot, not a person */
	int64_t *team_ids; /* owned; admins only: the teams they are in */
	size_t n_team_ids;
};

/* Why frontline acts as the admin it does. */
enum directory_agent_source {
	DIRECTORY_AGENT_NONE,	/* several human admins and none named: it reads, never writes */
	DIRECTORY_AGENT_CONFIG, /* admin = in the configuration */
	DIRECTORY_AGENT_ENV,	/* $FRONTLINE_ADMIN */
	DIRECTORY_AGENT_OWNER,	/* the token's owner, no other human admin being listed */
	DIRECTORY_AGENT_TOKEN,	/* the token's own agent: the backend writes as nobody else */
};

struct directory {
	int64_t me;	 /* the admin frontline acts as (every write's); 0: none */
	char *me_name;	 /* ...its name, email and state (may be NULL) */
	char *me_email;
	bool me_away, me_bot;
	enum directory_agent_source me_source;
	char *me_refusal; /* when me is 0: why writes are refused and how to set the admin */
	struct directory_entry *teams, *admins, *tags; /* owned, with their names */
	size_t n_teams, n_admins, n_tags;
};

/* Frees what e holds (not e itself) and zeroes it. */
void directory_entry_release(struct directory_entry *e);
/* Frees what d holds (not d itself) and zeroes it. */
void directory_release(struct directory *d);
/* The name of id in list, or NULL. */
const char *directory_name(const struct directory_entry *list, size_t n, int64_t id);
/* The id of an entry named (case-insensitively) name, or written as its number; 0 if none. */
int64_t directory_find(const struct directory_entry *list, size_t n, const char *name);

/* Whom "assign to WHO" means. */
enum directory_assignee_kind {
	DIRECTORY_ASSIGN_ME,	   /* "me" */
	DIRECTORY_ASSIGN_NOBODY,   /* "none" */
	DIRECTORY_ASSIGN_TEAMMATE, /* an admin: an email, a name or an id */
	DIRECTORY_ASSIGN_TEAM,	   /* a team: a name or an id */
};

/* Finds who (case-insensitively: "me", "none", a teammate's email, name or id, a team's
 * name or id; else the one teammate or team whose name or email starts with it): its kind
 * and *id. Returns 0, or -1 with a message in err that says what matched (the candidates,
 * when several did) or that nothing did. */
int directory_find_assignee(const struct directory *d, const char *who,
			    enum directory_assignee_kind *kind, int64_t *id, char *err,
			    size_t errlen);

/* The agent of a backend whose token is an agent's own (Chatwoot's access tokens): owner,
 * whatever other agents there are. wanted, when given (an email or an id, as for
 * directory_choose_agent), must name that agent: else -1 and err says so. */
int directory_token_agent(struct directory *d, const struct directory_entry *owner,
			  const char *wanted, bool from_env, char *err, size_t errlen);
/* Chooses the admin frontline acts as among d->admins: wanted (an email, matched
 * case-insensitively, or an id) when given, from $FRONTLINE_ADMIN if from_env, else from
 * the configuration; unset, the token's owner (owner, as GET /me describes it; it may be
 * missing from d->admins) when no other human admin is listed; else nobody, with
 * me_refusal saying how to set one. Returns 0, or -1 with a message naming wanted when it
 * matches no admin. */
int directory_choose_agent(struct directory *d, const struct directory_entry *owner,
			   const char *wanted, bool from_env, char *err, size_t errlen);
/* The words for d's source, e.g. "admin = in the configuration". */
const char *directory_agent_why(const struct directory *d);

#endif
