/* query.h: the queue filter an agent types after `/`: terms such as `tag:vip`,
 * `assignee:me`, `team:Support`, `state:snoozed`, `unassigned`, `sla:<5m`, `breached`, `warning`, `unknown`,
 * `priority:high` and free text, all of which must match. Pure: no curses, no allocation; "now" and "me" are arguments. */
#ifndef FRONTLINE_QUERY_H
#define FRONTLINE_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "directory.h"
#include "model.h"
#include "store.h"

#define QUERY_MAX_TERMS 16
#define QUERY_TEXT_MAX	128

enum query_kind {
	QUERY_TAG,	   /* tag:NAME (a tag's name, case-insensitive, or its id) */
	QUERY_ASSIGNEE,	   /* assignee:NAME, an admin's name or id */
	QUERY_ASSIGNEE_ME, /* assignee:me */
	QUERY_UNASSIGNED,  /* unassigned: no admin assignee */
	QUERY_SLA_UNDER,   /* sla:<DURATION: a running clock with less left (breached too) */
	QUERY_SLA_OVER,	   /* sla:>DURATION: a running clock with more left */
	QUERY_BREACHED,	   /* breached */
	QUERY_WARNING,	   /* warning */
	QUERY_UNKNOWN,	   /* unknown: the record cannot tell the deadline */
	QUERY_PRIORITY,	   /* priority:LEVEL (none, low, medium, high, urgent) */
	QUERY_TEXT,	   /* anything else: in the customer, the title or the preview */
	QUERY_TEAM,	   /* team:NAME, the assigned team's name or id */
	QUERY_STATE,	   /* state:open|snoozed|closed (the level in seconds) */
};

struct query_term {
	enum query_kind kind;
	int64_t seconds;	   /* sla:<, sla:>; priority: the level */
	char text[QUERY_TEXT_MAX]; /* tag, assignee, free text */
};

/* A parsed filter; n_terms == 0 matches everything. Holds no heap memory. */
struct query {
	struct query_term terms[QUERY_MAX_TERMS];
	size_t n_terms;
	bool uses_time; /* a term depends on "now" (sla:): re-evaluate as time passes */
};

/* Parses text: terms separated by white space, "double quotes" for free text with spaces
 * or a colon. A word with an unknown key ("tga:x") is an error, so typos do not silently
 * filter on text. Returns 0, or -1 with a message for the agent in err (q is then empty). */
int query_parse(const char *text, struct query *q, char *err, size_t errlen);

/* Whether e matches every term of q. dir (may be NULL) names tags and admins; me is the
 * agent's admin id; now is server time. Free text matches case-insensitively (ASCII
 * letters fold; other characters must be equal) in the customer, the title or, only
 * when those miss, the preview of the opening message. */
bool query_match(const struct query *q, const struct store_entry *e, const struct directory *dir,
		 int64_t me, fl_time now);

/* Whether c matches every term of q that the record alone can tell: the terms of the clock
 * (sla:, breached, warning, unknown) are left out. What decides a queue's conversations. */
bool query_match_record(const struct query *q, const struct conversation *c,
			const struct directory *dir, int64_t me);
/* Whether q has a term of the clock (sla:, breached, warning, unknown). */
bool query_uses_clock(const struct query *q);

#endif
