/* driver.h: what every HTTP backend driver shares (src/backends only): a request's
 * outcome as a result class, and the words for an answer that never came. */
#ifndef FRONTLINE_DRIVER_H
#define FRONTLINE_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

#include "backend.h"
#include "http.h"
#include "result.h"

/* Says in err why no (complete) answer arrived, and returns true; false (err untouched)
 * when an answer did arrive. */
bool driver_no_answer(const struct http_response *r, char *err, size_t errlen);
/* What became of a request, as data, with err's words (err "" when it succeeded): a lost
 * answer leaves the outcome unknown (ambiguous), 408, 429 and 5xx may work later. */
struct result driver_outcome(const struct http_response *r, const char *err);
/* The result of a failure here, before or after the request. */
struct result driver_local_failure(enum result_class cls, const char *message);

/* A sync page left out skipped records it could not read (err says which): says so on
 * stderr and tells the listener the sync is not whole. Nothing when skipped is 0. */
void driver_skipped(const struct backend_listener *l, size_t skipped, const char *err);

#endif
