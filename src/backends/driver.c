/* driver.c: what the HTTP backend drivers share (driver.h). */
#include "build-config.h"

#include "driver.h"

#include <stdio.h>

#include "util.h"

#include <curl/curl.h>

bool driver_no_answer(const struct http_response *r, char *err, size_t errlen)
{
	bool lost;

	if (r->curl_code == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, errlen, "the backend's answer was refused: %s", r->error);
		return true;
	}
	if (!r->curl_code)
		return false;
	lost = r->curl_code == CURLE_GOT_NOTHING || r->curl_code == CURLE_RECV_ERROR ||
	       r->curl_code == CURLE_PARTIAL_FILE || r->curl_code == CURLE_OPERATION_TIMEDOUT;
	snprintf(err, errlen, "%s: %s",
		 lost ? "the backend's answer was lost" : "cannot reach the backend", r->error);
	return true;
}

/* After the request went out, a lost answer leaves the outcome unknown. */
static bool ambiguous_failure(const struct http_response *r)
{
	switch (r->curl_code) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
		return false;
	case CURLE_OK:
		return r->status >= 500;
	default:
		return true;
	}
}

struct result driver_outcome(const struct http_response *r, const char *err)
{
	struct result res = {.status = r->curl_code ? 0 : r->status, .message = err};

	if (!err[0]) {
		res.cls = RESULT_OK;
		res.message = NULL;
	} else if (r->curl_code) {
		res.cls = RESULT_TRANSPORT;
		res.ambiguous = ambiguous_failure(r);
	} else if (r->status < 300 || r->status == 408 || r->status == 429 || r->status >= 500) {
		/* an answer that could not be read, "try later", or the server's own failure */
		res.cls = RESULT_TRANSIENT;
		res.ambiguous = r->status >= 500;
	} else {
		res.cls = RESULT_PERMANENT;
	}
	return res;
}

struct result driver_local_failure(enum result_class cls, const char *message)
{
	struct result res = {.cls = cls, .message = message};

	return res;
}

void driver_skipped(const struct backend_listener *l, size_t skipped, const char *err)
{
	if (!skipped)
		return;
	fprintf(stderr, "%s: %s\n", util_progname(), err);
	if (l->damaged)
		l->damaged(l->arg);
}
