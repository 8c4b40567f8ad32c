/* http.c: HTTP requests on the event loop through libcurl's multi interface: keep-alive,
 * gzip, HTTP/2 where offered, timeouts, retries with backoff and jitter for reads, and a
 * pause until X-RateLimit-Reset on 429 or an exhausted budget. Never blocks. */
#include "build-config.h"

#include "http.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include <curl/curl.h>

#include "loop.h"
#include "util.h"

#define BACKOFF_CAP_MS 30000
#define RESPONSE_MAX_DEFAULT (16 << 20)

struct request {
	struct http *h;
	char *method, *path, *body;
	bool retry;
	http_done_fn done;
	void *arg;
	CURL *easy;
	char *resp;
	size_t len, cap;
	bool too_big;
	fl_time date;
	long remaining;
	fl_time reset;
	int attempts;
	uint64_t retry_timer;
	char errbuf[CURL_ERROR_SIZE];
	struct request *prev, *next; /* every live request, for http_free */
};

struct http {
	struct loop *loop;
	CURLM *multi;
	char *base;
	struct curl_slist *headers;
	struct http_options opt;
	uint64_t curl_timer;
	uint64_t pause_timer;
	fl_time paused_until;
	struct request *all;
	struct request **held; /* waiting for the rate-limit pause to end */
	size_t n_held, cap_held;
	uint64_t jitter_state;
	uint64_t bytes;
};

static void start(struct request *r);

static uint64_t jitter_next(struct http *h)
{
	uint64_t x = h->jitter_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	h->jitter_state = x;
	return x;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct request *r = arg;
	size_t add = size * n;

	/* Refused as it streams in, not read whole first: less than add stops the transfer. */
	if (r->len + add > (uint64_t)r->h->opt.max_response) {
		r->too_big = true;
		return 0;
	}
	/* Less than add tells curl to fail the transfer: an answer with no room is an error. */
	if (util_grow(&r->resp, &r->cap, r->len + add + 1, 1) < 0)
		return 0;
	memcpy(r->resp + r->len, data, add);
	r->len += add;
	r->resp[r->len] = '\0';
	return add;
}

/* Reads the value of header `name` from a raw header line, or NULL. */
static const char *header_value(const char *line, size_t len, const char *name, char *buf,
				size_t bufsize)
{
	size_t nlen = strlen(name), vlen;
	const char *v;

	if (len <= nlen + 1 || strncasecmp(line, name, nlen) != 0 || line[nlen] != ':')
		return NULL;
	v = line + nlen + 1;
	while (v < line + len && (*v == ' ' || *v == '\t'))
		v++;
	vlen = (size_t)(line + len - v);
	while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
		vlen--;
	if (vlen >= bufsize)
		vlen = bufsize - 1;
	memcpy(buf, v, vlen);
	buf[vlen] = '\0';
	return buf;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct request *r = arg;
	size_t len = size * n;
	char buf[128];
	long long v;

	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		r->date = 0;
		r->remaining = -1;
		r->reset = 0;
	} else if (header_value(data, len, "Date", buf, sizeof(buf))) {
		time_t t = curl_getdate(buf, NULL);

		r->date = t > 0 ? (fl_time)t : 0;
	} else if (header_value(data, len, "X-RateLimit-Remaining", buf, sizeof(buf))) {
		if (util_parse_ll(buf, 0, INT32_MAX, &v) == 0)
			r->remaining = (long)v;
	} else if (header_value(data, len, "X-RateLimit-Reset", buf, sizeof(buf))) {
		if (util_parse_ll(buf, 0, INT64_MAX, &v) == 0)
			r->reset = v;
	}
	return len;
}

static void request_free(struct request *r)
{
	struct http *h = r->h;

	if (r->prev)
		r->prev->next = r->next;
	else
		h->all = r->next;
	if (r->next)
		r->next->prev = r->prev;
	if (r->retry_timer)
		loop_timer_cancel(h->loop, r->retry_timer);
	if (r->easy) {
		curl_multi_remove_handle(h->multi, r->easy);
		curl_easy_cleanup(r->easy);
	}
	free(r->method);
	free(r->path);
	free(r->body);
	free(r->resp);
	free(r);
}

static void deliver(struct request *r, int code, long status)
{
	struct http_response resp = {
		.status = status,
		.body = r->resp ? r->resp : "",
		.len = r->len,
		.curl_code = code,
		.error = code ? (r->errbuf[0] ? r->errbuf : curl_easy_strerror(code)) : NULL,
		.server_date = r->date,
		.rate_remaining = r->remaining,
		.rate_reset = r->reset,
		.attempts = r->attempts,
		.method = r->method,
		.path = r->path,
	};

	if (r->too_big || code == CURLE_FILESIZE_EXCEEDED) {
		int64_t max = r->h->opt.max_response;
		bool mib = max % (1 << 20) == 0;

		resp.curl_code = CURLE_FILESIZE_EXCEEDED;
		resp.status = 0;
		snprintf(r->errbuf, sizeof(r->errbuf),
			 "it is larger than %lld %s (max_response under [backend] sets the limit)",
			 (long long)(mib ? max >> 20 : max), mib ? "MiB" : "bytes");
		resp.error = r->errbuf;
	}
	r->done(r->arg, &resp);
	request_free(r);
}

static void on_pause_end(void *arg)
{
	struct http *h = arg;
	struct request **held = h->held;
	size_t i, n = h->n_held;

	h->pause_timer = 0;
	h->paused_until = 0;
	h->held = NULL;
	h->n_held = h->cap_held = 0;
	for (i = 0; i < n; i++)
		start(held[i]);
	free(held);
}

/* Holds every request until the rate-limit window resets, plus up to a second of jitter
 * so many clients do not all return at the same instant. */
static void pause_until(struct http *h, fl_time reset)
{
	fl_time now = time(NULL);
	int64_t ms;

	if (reset <= now)
		reset = now + 1;
	if (h->paused_until >= reset)
		return;
	h->paused_until = reset;
	ms = (reset - now) * 1000 + (int64_t)(jitter_next(h) % 1000);
	if (h->pause_timer)
		loop_timer_cancel(h->loop, h->pause_timer);
	h->pause_timer = loop_timer_add(h->loop, ms, on_pause_end, h);
}

static void hold(struct request *r)
{
	struct http *h = r->h;

	xgrow(&h->held, &h->cap_held, h->n_held + 1, sizeof(*h->held));
	h->held[h->n_held++] = r;
}

static void on_retry(void *arg)
{
	struct request *r = arg;

	r->retry_timer = 0;
	start(r);
}

static int64_t backoff_ms(struct http *h, int attempts)
{
	int64_t ms = h->opt.backoff_base_ms;
	int i;

	for (i = 1; i < attempts && ms < BACKOFF_CAP_MS; i++)
		ms *= 2;
	if (ms > BACKOFF_CAP_MS)
		ms = BACKOFF_CAP_MS;
	/* "Equal jitter": half fixed, half random. */
	return ms / 2 + (int64_t)(jitter_next(h) % (uint64_t)(ms / 2 + 1));
}

static void finish(struct request *r, CURLcode code)
{
	struct http *h = r->h;
	curl_off_t down = 0;
	long status = 0, header_size = 0;

	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(r->easy, CURLINFO_SIZE_DOWNLOAD_T, &down);
	curl_easy_getinfo(r->easy, CURLINFO_HEADER_SIZE, &header_size);
	h->bytes += (uint64_t)down + (uint64_t)header_size;
	curl_multi_remove_handle(h->multi, r->easy);
	curl_easy_cleanup(r->easy);
	r->easy = NULL;

	if (code == CURLE_OK && (status == 429 || (r->remaining == 0 && r->reset > 0)))
		pause_until(h, r->reset > 0 ? r->reset : time(NULL) + 10);
	if (code == CURLE_OK && status == 429) {
		/* Not processed by the server: safe to send again, read or write. */
		r->len = 0;
		hold(r);
		return;
	}
	/* A larger answer will be as large next time. */
	if (r->retry && !r->too_big && code != CURLE_FILESIZE_EXCEEDED &&
	    (code != CURLE_OK || status >= 500) && r->attempts < h->opt.max_attempts) {
		r->len = 0;
		r->too_big = false;
		r->retry_timer = loop_timer_add(h->loop, backoff_ms(h, r->attempts), on_retry, r);
		return;
	}
	deliver(r, code, code == CURLE_OK ? status : 0);
}

static void check_done(struct http *h)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(h->multi, &left))) {
		struct request *r;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		finish(r, msg->data.result);
	}
}

static void on_fd(void *arg, int fd, short revents)
{
	struct http *h = arg;
	int ev = 0, running;

	if (revents & (POLLIN | POLLHUP))
		ev |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		ev |= CURL_CSELECT_OUT;
	if (revents & POLLERR)
		ev |= CURL_CSELECT_ERR;
	curl_multi_socket_action(h->multi, fd, ev, &running);
	check_done(h);
}

static int on_socket(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct http *h = userp;
	short events = 0;

	(void)easy;
	(void)socketp;
	if (what == CURL_POLL_REMOVE) {
		loop_unwatch(h->loop, s);
		return 0;
	}
	if (what & CURL_POLL_IN)
		events |= POLLIN;
	if (what & CURL_POLL_OUT)
		events |= POLLOUT;
	return loop_watch(h->loop, s, events, on_fd, h) == 0 ? 0 : -1;
}

static void on_curl_timeout(void *arg)
{
	struct http *h = arg;
	int running;

	h->curl_timer = 0;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(h);
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct http *h = userp;

	(void)multi;
	if (h->curl_timer) {
		loop_timer_cancel(h->loop, h->curl_timer);
		h->curl_timer = 0;
	}
	if (timeout_ms >= 0)
		h->curl_timer = loop_timer_add(h->loop, timeout_ms, on_curl_timeout, h);
	return 0;
}

static void start(struct request *r)
{
	struct http *h = r->h;
	char *url;
	CURL *e;

	if (h->paused_until > 0) {
		hold(r);
		return;
	}
	e = curl_easy_init();
	if (!e) {
		snprintf(r->errbuf, sizeof(r->errbuf), "cannot create a curl handle");
		deliver(r, CURLE_OUT_OF_MEMORY, 0);
		return;
	}
	r->easy = e;
	r->attempts++;
	r->errbuf[0] = '\0';
	r->remaining = -1;
	r->reset = 0;
	r->date = 0;
	url = xasprintf("%s%s", h->base, r->path);
	curl_easy_setopt(e, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->opt.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->opt.total_timeout_ms);
	/* An answer announced larger (Content-Length) is refused before its body. */
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->opt.max_response);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "frontline/" PACKAGE_VERSION);
	if (strcmp(r->method, "GET") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
	/* libcurl silently sends a request again when a reused connection closes before any
	 * answer (the keep-alive race), up to five times. For a write that may have been
	 * carried out, that is a duplicate reply: writes get a fresh connection, which curl
	 * never retries, and the caller decides. */
	if (!r->retry)
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	if (r->body) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(r->body));
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
	} else if (strcmp(r->method, "POST") == 0) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, 0L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
	}
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
		snprintf(r->errbuf, sizeof(r->errbuf), "cannot queue the request");
		deliver(r, CURLE_FAILED_INIT, 0);
	}
}

struct http *http_new(struct loop *loop, const struct http_options *opt, char *err, size_t errlen)
{
	struct http *h;
	char *auth;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, "cannot initialise libcurl");
		return NULL;
	}
	h = xcalloc(1, sizeof(*h));
	h->loop = loop;
	h->opt = *opt;
	h->opt.base_url = NULL;
	h->opt.token = NULL;
	h->opt.token_header = NULL;
	if (h->opt.connect_timeout_ms <= 0)
		h->opt.connect_timeout_ms = 10000;
	if (h->opt.total_timeout_ms <= 0)
		h->opt.total_timeout_ms = 30000;
	if (h->opt.max_attempts <= 0)
		h->opt.max_attempts = 5;
	if (h->opt.backoff_base_ms <= 0)
		h->opt.backoff_base_ms = 500;
	if (h->opt.max_response <= 0)
		h->opt.max_response = RESPONSE_MAX_DEFAULT;
	h->base = xstrdup(opt->base_url);
	while (*h->base && h->base[strlen(h->base) - 1] == '/')
		h->base[strlen(h->base) - 1] = '\0';
	if (getrandom(&h->jitter_state, sizeof(h->jitter_state), GRND_NONBLOCK) !=
		    (ssize_t)sizeof(h->jitter_state) ||
	    h->jitter_state == 0)
		h->jitter_state = (uint64_t)time(NULL) * 2654435761u + 1;
	h->multi = curl_multi_init();
	if (!h->multi) {
		snprintf(err, errlen, "cannot create a curl multi handle");
		free(h->base);
		free(h);
		return NULL;
	}
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);

	auth = opt->token_header
		   ? xasprintf("%s: %s", opt->token_header, opt->token ? opt->token : "")
		   : xasprintf("Authorization: Bearer %s", opt->token ? opt->token : "");
	h->headers = curl_slist_append(NULL, auth);
	explicit_bzero(auth, strlen(auth));
	free(auth);
	h->headers = curl_slist_append(h->headers, "Accept: application/json");
	h->headers = curl_slist_append(h->headers, "Content-Type: application/json");
	if (opt->api_version) {
		char *v = xasprintf("Intercom-Version: %s", opt->api_version);

		h->headers = curl_slist_append(h->headers, v);
		free(v);
	}
	if (!h->headers)
		die("out of memory");
	return h;
}

void http_free(struct http *h)
{
	if (!h)
		return;
	while (h->all)
		request_free(h->all);
	/* After the cleanup: curl calls on_timer while handles are removed, and may while it
	 * closes connections, which can set the curl timer again. */
	curl_multi_cleanup(h->multi);
	if (h->curl_timer)
		loop_timer_cancel(h->loop, h->curl_timer);
	if (h->pause_timer)
		loop_timer_cancel(h->loop, h->pause_timer);
	curl_slist_free_all(h->headers);
	free(h->held);
	free(h->base);
	free(h);
}

void http_request(struct http *h, const char *method, const char *path, const char *body,
		  bool retry, http_done_fn done, void *arg)
{
	struct request *r = xcalloc(1, sizeof(*r));

	r->h = h;
	r->method = xstrdup(method);
	r->path = xstrdup(path);
	r->body = body ? xstrdup(body) : NULL;
	r->retry = retry;
	r->done = done;
	r->arg = arg;
	r->remaining = -1;
	r->next = h->all;
	if (h->all)
		h->all->prev = r;
	h->all = r;
	start(r);
}

size_t http_pending(const struct http *h)
{
	size_t n = 0;
	const struct request *r;

	for (r = h->all; r; r = r->next)
		n++;
	return n;
}

fl_time http_paused_until(const struct http *h)
{
	return h->paused_until;
}

uint64_t http_bytes_received(const struct http *h)
{
	return h->bytes;
}
