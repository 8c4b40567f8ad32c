/* http.h: HTTP requests on the event loop through libcurl's multi interface: keep-alive,
 * gzip, HTTP/2 where offered, timeouts, retries with backoff and jitter for reads, and a
 * pause until X-RateLimit-Reset on 429 or an exhausted budget. Never blocks. */
#ifndef FRONTLINE_HTTP_H
#define FRONTLINE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct loop;
struct http;

struct http_response {
	long status;	       /* HTTP status, 0 when no answer arrived */
	char *body;	       /* NUL-terminated; owned by the http layer during the callback */
	size_t len;
	int curl_code;	       /* CURLE_OK, or why no (complete) answer arrived */
	const char *error;     /* a readable reason when curl_code != 0 */
	fl_time server_date;   /* the Date header, 0 if absent */
	long rate_remaining;   /* X-RateLimit-Remaining, -1 if absent */
	fl_time rate_reset;    /* X-RateLimit-Reset, 0 if absent */
	int attempts;	       /* tries made, retries included */
	size_t bytes_received; /* on the wire, headers and compressed body */
	const char *method;    /* the request answered: method and path as queued */
	const char *path;
};

typedef void (*http_done_fn)(void *arg, const struct http_response *r);

struct http_options {
	const char *base_url;	  /* e.g. https://api.intercom.io */
	const char *token;	  /* copied; sent as Authorization: Bearer, never logged */
	const char *token_header; /* or, when set, as this header's value (api_access_token) */
	const char *api_version;  /* Intercom-Version header, or NULL */
	long connect_timeout_ms;  /* default 10000 */
	long total_timeout_ms;	  /* default 30000 */
	int max_attempts;	  /* for reads, default 5 */
	int64_t backoff_base_ms;  /* default 500; doubled per retry, capped at 30 s, jittered */
	int64_t max_response;	  /* bytes of body; a larger answer fails. Default 16 MiB */
};

/* Returns NULL with a message in err if curl cannot be set up. */
struct http *http_new(struct loop *loop, const struct http_options *opt, char *err, size_t errlen);
void http_free(struct http *h);

/* Queues a request: method "GET", "POST", "PUT" or "DELETE"; path appended to the base
 * URL; body a JSON text or NULL. A read (retry = true) is retried on network errors, 5xx
 * and 429; any request waits out a rate-limit pause. done is called exactly once, from
 * the loop, unless http_free comes first. */
void http_request(struct http *h, const char *method, const char *path, const char *body,
		  bool retry, http_done_fn done, void *arg);

/* Requests queued or in flight. */
size_t http_pending(const struct http *h);
/* Unix time until which requests are held for the rate limit, or 0. */
fl_time http_paused_until(const struct http *h);
/* Bytes received so far, all requests. */
uint64_t http_bytes_received(const struct http *h);

#endif
