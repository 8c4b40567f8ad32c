/* result.h: what became of a request to the backend, as data. Every layer decides by the
 * class and the status (retry, give up, "not found"); the message is only for people. */
#ifndef FRONTLINE_RESULT_H
#define FRONTLINE_RESULT_H

#include <stdbool.h>

enum result_class {
	RESULT_OK,
	RESULT_TRANSPORT, /* no answer: unreachable, timed out, cut off; trying again may work */
	RESULT_TRANSIENT, /* answered, and trying again later may work: 408, 429, 5xx, or an
			     answer that could not be read */
	RESULT_PERMANENT, /* refused, and it would be again: any other 4xx, or a request that
			     cannot be made (an empty reply, a tag without a name) */
	RESULT_LOCAL,	  /* failed here, not at the backend: e.g. the article index cannot be
			     written */
};

struct result {
	enum result_class cls;
	long status;	     /* the HTTP status of the answer, 0 when none arrived */
	bool ambiguous;	     /* the request may or may not have been carried out */
	const char *message; /* what went wrong, in words an agent can act on; NULL when OK.
				Valid for the callback only */
};

#endif
