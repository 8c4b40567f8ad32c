/* convsearch.h: the query an agent types to search every conversation of the backend
 * (frontline search QUERY, the screen's search prompt):
 *   email:ADDRESS          the customer's email address, exactly
 *   #123, 123, id:123      the conversation with that id
 *   state:open|closed|snoozed
 *   anything else          free text, which the subject, the opening message, the
 *                          customer's name or email contains (case-insensitive)
 * All the terms given must match; the words of free text are searched as one phrase.
 * Pure: no allocation beyond the struct's strings. */
#ifndef FRONTLINE_CONVSEARCH_H
#define FRONTLINE_CONVSEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define CONVSEARCH_TEXT_MAX 256
#define CONVSEARCH_ID_MAX 40

struct convsearch {
	char text[CONVSEARCH_TEXT_MAX];	 /* free text, "" when none */
	char email[CONVSEARCH_TEXT_MAX]; /* "" when none */
	char id[CONVSEARCH_ID_MAX];			 /* the digits as typed: the backend judges the id */
	bool has_state;
	enum conv_state state;
};

/* Parses s into q. Returns 0, or -1 with a message saying what to write instead in err. */
int convsearch_parse(const char *s, struct convsearch *q, char *err, size_t errlen);

#endif
