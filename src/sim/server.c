/* server.c: the sim's HTTP server (libmicrohttpd): bodies, authentication, rate limits,
 * injected faults, and the JSON answers of the routes in api.c. */
#include "build-config.h"

#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <zlib.h>

#include "api.h"
#include "chatwoot.h"
#include "deadline.h"
#include "index.h"
#include "render.h"
#include "sim.h"
#include "util.h"

#define RATE_WINDOW 10
/* Chatwoot throttles with Rack::Attack's fixed windows of a minute. */
#define CHATWOOT_RATE_WINDOW 60

/* The request line and headers of a request may take this many bytes; larger ones are
 * answered 431 in the API's error shape. The HTTP library holds a connection's request in
 * CONNECTION_MEMORY bytes and answers a request over that itself, so it has room to
 * spare. */
#define MAX_HEADER_BYTES  65536
#define CONNECTION_MEMORY (1024 * 1024)

/* What one request has accumulated while its body arrives. */
struct request_body {
	char *raw_path; /* the path as sent, before percent-decoding */
	bool started;	/* its headers have arrived */
	bool headers_too_large;
	char *body;
	size_t len, cap;
	bool too_large;
};

/* A response body cut short on purpose (the truncated-body fault). */
struct truncated {
	char *text;
	size_t len, sent_limit;
};

static const char *query_arg(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

struct query_values {
	const char *name;
	json_t *list;
};

static enum MHD_Result add_query_value(void *cls, enum MHD_ValueKind kind, const char *key,
				       const char *value)
{
	struct query_values *q = cls;

	(void)kind;
	if (value && !strcmp(key, q->name))
		json_array_append_new(q->list, json_string(value));
	return MHD_YES;
}

static json_t *query_values(void *ctx, const char *name)
{
	struct query_values q = {name, json_array()};

	MHD_get_connection_values(ctx, MHD_GET_ARGUMENT_KIND, add_query_value, &q);
	return q.list;
}

/* Compares the Authorization header with the token in time independent of where they
 * differ, so the token cannot be guessed byte by byte from response times. */
static bool token_matches(const struct sim *s, const char *header)
{
	size_t tlen = strlen(s->token), hlen, i;
	unsigned char diff = 0;

	hlen = strlen(header);
	for (i = 0; i < tlen; i++)
		diff |= (unsigned char)s->token[i] ^ (unsigned char)(i < hlen ? header[i] : 0);
	return diff == 0 && hlen == tlen;
}

/* The token as the dialect carries it: Intercom's "Authorization: Bearer TOKEN", Chatwoot's
 * "api_access_token: TOKEN". */
static bool authorized(const struct sim *s, struct MHD_Connection *conn)
{
	static const char prefix[] = "Bearer ";
	const char *header;

	if (s->opt.dialect == SIM_DIALECT_CHATWOOT) {
		header = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "api_access_token");
		return header && token_matches(s, header);
	}
	header = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	if (!header || strncmp(header, prefix, sizeof(prefix) - 1) != 0)
		return false;
	return token_matches(s, header + sizeof(prefix) - 1);
}

static bool roll(struct sim *s, double rate)
{
	return rate > 0 && prng_unit(&s->fault_rng) < rate;
}

/* A value of another type than v (the wrong-types fault), as a server whose types drift
 * sends it: a number becomes the string of its digits and a string of digits that
 * number, so the value stays where the other type can carry it; other strings become 7,
 * booleans strings, null and arrays objects, objects strings. */
static json_t *other_type(const json_t *v)
{
	const char *s;
	long long n;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		if (s[0] >= '0' && s[0] <= '9' && util_parse_ll(s, 0, LLONG_MAX, &n) == 0)
			return json_integer(n);
		return json_integer(7);
	case JSON_INTEGER:
		return json_sprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	case JSON_REAL:
		return json_sprintf("%g", json_real_value(v));
	case JSON_TRUE:
	case JSON_FALSE:
		return json_string(json_is_true(v) ? "true" : "false");
	case JSON_OBJECT:
		return json_string("object");
	default:
		return json_object();
	}
}

/* Whether the wrong types may touch a member named key (elements: of an array so named);
 * any when no keys are set. */
static bool wrong_types_touch(const struct sim *s, const char *key, bool elements)
{
	const char *k = s->faults.wrong_types_keys;
	size_t n = strlen(key);

	if (!*k)
		return true;
	if (!key[0])
		return false;
	for (; *k; k += strlen(k) + 1)
		if (!strncmp(k, key, n) && !strcmp(k + n, elements ? "[]" : ""))
			return true;
	return false;
}

/* Gives each value under v, at any depth, another type with the fault's rate (only the
 * members and elements the fault's keys name, when it names some); v is the member named
 * key ("" for the answer); at the top level "type" is kept, so that the answer still says
 * what it is and a client has to cope field by field. */
static void wrong_types(struct sim *s, json_t *v, const char *key, bool top)
{
	const char *name;
	json_t *member;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, name, member) {
			if (top && !strcmp(name, "type"))
				continue;
			if (wrong_types_touch(s, name, false) && roll(s, s->faults.wrong_types_rate))
				json_object_set_new(v, name, other_type(member));
			else
				wrong_types(s, member, name, false);
		}
	} else if (json_is_array(v)) {
		bool touch = wrong_types_touch(s, key, true);

		json_array_foreach(v, i, member) {
			if (touch && roll(s, s->faults.wrong_types_rate))
				json_array_set_new(v, i, other_type(member));
			else
				wrong_types(s, member, "", false);
		}
	}
}

static ssize_t truncated_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct truncated *t = cls;
	size_t n;

	if (pos >= t->sent_limit)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	n = t->sent_limit - (size_t)pos;
	if (n > max)
		n = max;
	memcpy(buf, t->text + pos, n);
	return (ssize_t)n;
}

static void truncated_free(void *cls)
{
	struct truncated *t = cls;

	free(t->text);
	free(t);
}

struct rate_state {
	bool counted;
	long limit, remaining;
	time_t reset;
};

/* Answers of at least this size are sent gzip-compressed to clients that accept it, as
 * Intercom does. */
#define GZIP_MIN 1024

/* gzip of text[0, *len) in a new buffer, *len updated; NULL if zlib fails. */
static char *gzip_text(const char *text, size_t *len)
{
	z_stream z = {0};
	size_t cap;
	char *out;

	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	cap = deflateBound(&z, (uLong)*len) + 32;
	out = xmalloc(cap);
	z.next_in = (Bytef *)text;
	z.avail_in = (uInt)*len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(out);
		return NULL;
	}
	*len = z.total_out;
	deflateEnd(&z);
	return out;
}

static bool accepts_gzip(struct MHD_Connection *conn)
{
	const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding");

	return ae && strstr(ae, "gzip");
}

/* Queues rp's JSON; counts its bytes into s->bytes_sent when s is given. */
static enum MHD_Result send_reply(struct MHD_Connection *conn, const struct api_reply *rp,
				  const struct rate_state *rate, bool truncate, bool malformed,
				  struct sim *s)
{
	char *text = rp->text ? xstrdup(rp->text)
		     : rp->body ? json_dumps(rp->body, JSON_COMPACT | JSON_ENCODE_ANY)
				: xstrdup("");
	struct MHD_Response *resp;
	enum MHD_Result ret;
	bool gzipped = false;
	char num[32];
	size_t len;

	if (!text)
		die("cannot serialize a response");
	len = strlen(text);
	/* A control character is invalid anywhere in JSON, inside a string or out. */
	if (malformed && len > 0)
		text[len / 2] = '\x01';
	if (len >= GZIP_MIN && accepts_gzip(conn)) {
		char *packed = gzip_text(text, &len);

		if (packed) {
			free(text);
			text = packed;
			gzipped = true;
		} else {
			len = strlen(text);
		}
	}
	if (s) {
		pthread_mutex_lock(&s->lock);
		s->bytes_sent += len;
		pthread_mutex_unlock(&s->lock);
	}
	if (truncate && len > 1) {
		struct truncated *t = xmalloc(sizeof(*t));

		t->text = text;
		t->len = len;
		t->sent_limit = len / 2;
		resp = MHD_create_response_from_callback(len, 4096, truncated_read, t, truncated_free);
	} else {
		resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	}
	if (!resp)
		die("cannot create a response");
	/* An answer without a body (Rails' head :ok) says no content type. */
	if (rp->text || rp->body)
		MHD_add_response_header(resp, "Content-Type", rp->text ? "text/plain"
							      : "application/json; charset=utf-8");
	if (gzipped)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	if (rate) {
		snprintf(num, sizeof(num), "%ld", rate->limit);
		MHD_add_response_header(resp, "X-RateLimit-Limit", num);
		snprintf(num, sizeof(num), "%ld", rate->remaining);
		MHD_add_response_header(resp, "X-RateLimit-Remaining", num);
		snprintf(num, sizeof(num), "%lld", (long long)rate->reset);
		MHD_add_response_header(resp, "X-RateLimit-Reset", num);
	}
	ret = MHD_queue_response(conn, rp->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Counts the request against the 10-second window (unless it is a control call). */
static void rate_account(struct sim *s, bool count, time_t now, struct rate_state *r)
{
	int length = s->opt.dialect == SIM_DIALECT_CHATWOOT ? CHATWOOT_RATE_WINDOW : RATE_WINDOW;
	time_t window = now - now % length;

	if (window != s->window_start) {
		s->window_start = window;
		s->window_used = 0;
	}
	r->limit = s->opt.rate_limit;
	r->reset = window + length;
	r->counted = count && s->window_used < s->opt.rate_limit;
	if (r->counted)
		s->window_used++;
	r->remaining = s->opt.rate_limit - s->window_used;
	if (r->remaining < 0)
		r->remaining = 0;
}

static void log_request(const struct sim *s, const char *method, const char *url, unsigned status)
{
	if (!s->opt.quiet)
		fprintf(stderr, "%s %s %u\n", method, url, status);
}

/* Intercom-Version as Intercom checks it: absent means the app's default version, which
 * is accepted; a value that is not a version the sim knows, up to its latest, is refused
 * (true, with the reply set). */
static bool version_refused(const struct sim *s, struct MHD_Connection *conn,
			    struct api_reply *rp)
{
	const char *v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Intercom-Version");
	int i = api_version_index(v);
	char shown[41];
	size_t n;

	if (!v || (i >= 0 && i <= s->opt.latest_version))
		return false;
	/* Echoed in ASCII only: the answer must stay valid JSON whatever the header holds. */
	for (n = 0; v[n] && n < sizeof(shown) - 1; n++)
		shown[n] = v[n] >= 0x20 && v[n] < 0x7f ? v[n] : '?';
	shown[n] = '\0';
	api_error(rp, 400, "intercom_version_invalid",
		  "The requested version (%s) is not a valid API version; the versions are 1.0 "
		  "to %s",
		  shown, api_version_name(s->opt.latest_version));
	return true;
}

/* A request the token has no scope for is refused as Intercom does (true, with the reply
 * set); without --scopes the token has them all. */
static bool scope_refused(const struct sim *s, const char *method, const char *url,
			  struct api_reply *rp)
{
	const char *need = api_scope(method, url), *p = s->opt.scopes;
	size_t n = need ? strlen(need) : 0;

	if (!need || !p)
		return false;
	for (; *p; p += strcspn(p, ","), p += *p == ',')
		if (!strncmp(p, need, n) && (p[n] == ',' || !p[n]))
			return false;
	api_error(rp, 403, "forbidden",
		  "You do not have the required scope (%s) to access this resource", need);
	return true;
}

/* Runs a complete request; returns MHD_NO to drop the connection without an answer. */
static enum MHD_Result handle(struct sim *s, struct MHD_Connection *conn, const char *url,
			      const char *method, struct request_body *p)
{
	struct api_request rq = {.method = method, .path = url, .query = query_arg,
				 .query_values = query_values, .query_ctx = conn};
	struct api_reply rp = {0};
	struct rate_state rate = {0};
	struct api_route_info info;
	const void *route;
	bool drop = false, truncate = false, malformed = false, search;
	bool chatwoot = s->opt.dialect == SIM_DIALECT_CHATWOOT;
	long latency;
	enum MHD_Result ret;
	json_error_t jerr;

	rq.now = time(NULL);
	if (p->headers_too_large) {
		api_error(&rp, 431, "bad_request",
			  "the request line and headers are larger than %d bytes",
			  MAX_HEADER_BYTES);
		if (chatwoot)
			chatwoot_error_shape(&rp);
		log_request(s, method, url, rp.status);
		ret = send_reply(conn, &rp, NULL, false, false, NULL);
		json_decref(rp.body);
		return ret;
	}
	info = chatwoot ? chatwoot_route(method, url, &rq, &route)
			: api_route(method, url, &rq, &route);
	/* A NUL decoded from the path ends the string MHD hands over; no resource has one. */
	if (p->raw_path && strstr(p->raw_path, "%00"))
		info.found = false;
	if (!authorized(s, conn)) {
		pthread_mutex_lock(&s->lock);
		s->unauthorized++;
		pthread_mutex_unlock(&s->lock);
		rp.status = 401;
		rp.body = chatwoot ? chatwoot_error_body("Invalid Access Token")
				   : render_error("unauthorized", "Access Token Invalid");
		log_request(s, method, url, rp.status);
		ret = send_reply(conn, &rp, NULL, false, false, NULL);
		json_decref(rp.body);
		return ret;
	}
	if (info.control && !s->opt.control)
		info.found = false;

	pthread_mutex_lock(&s->lock);
	s->requests++;
	s->last_request = rq.now;
	rate_account(s, !info.control, rq.now, &rate);
	latency = info.control ? 0 : s->faults.latency_ms;
	/* a search, or in the Chatwoot dialect a page of the conversation list */
	search = !info.control &&
		 (!strcmp(url, "/conversations/search") ||
		  (s->opt.dialect == SIM_DIALECT_CHATWOOT && !strcmp(method, "GET") &&
		   strlen(url) > 14 && !strcmp(url + strlen(url) - 14, "/conversations")));
	if (search && ++s->searches_in_flight > s->searches_in_flight_max)
		s->searches_in_flight_max = s->searches_in_flight;
	if (!info.control && !rate.counted)
		s->rate_limited++;
	pthread_mutex_unlock(&s->lock);

	if (latency > 0)
		usleep((useconds_t)latency * 1000);
	if (!info.control && !rate.counted && chatwoot) {
		/* Rack::Attack's throttled answer: plain text, no rate headers. */
		rp.status = 429;
		rp.text = "Retry later\n";
	} else if (!info.control && !rate.counted) {
		api_error(&rp, 429, "rate_limit_exceeded",
			  "Exceeded rate limit of %ld requests per %d seconds", rate.limit, RATE_WINDOW);
	} else if (p->too_large) {
		api_error(&rp, 413, "request_too_large", "the request body is larger than %ld bytes",
			  s->opt.max_body);
	} else if (!info.control && !chatwoot && version_refused(s, conn, &rp)) {
		/* answered */
	} else if (!info.control && !chatwoot && info.found && scope_refused(s, method, url, &rp)) {
		/* answered */
	} else if (!info.found) {
		api_error(&rp, 404, "not_found", "Resource Not Found");
	} else if (p->len > 0 && !(rq.body = json_loadb(p->body, p->len, 0, &jerr))) {
		api_error(&rp, 400, "parameter_invalid", "malformed JSON at line %d column %d: %s",
			  jerr.line, jerr.column, jerr.text);
	} else {
		pthread_mutex_lock(&s->lock);
		if (!info.control &&
		    !strncmp(url, s->faults.error_path, strlen(s->faults.error_path)) &&
		    roll(s, s->faults.error_rate)) {
			api_error(&rp, 500, "server_error", "Injected server error");
		} else if (world_advance(&s->world, rq.now) < 0) {
			api_error(&rp, 500, "server_error", "the sim's database failed");
		} else if (chatwoot && chatwoot_advance(s, rq.now) < 0) {
			api_error(&rp, 500, "server_error", "the sim's database failed");
		} else {
			api_run(s, route, &rq, &rp);
			if (index_capture(&s->world, s->faults.index_lag, rq.now) < 0)
				api_error(&rp, 500, "server_error", "the sim's search index failed");
			if (!strcmp(url, "/conversations/search")) {
				s->searches++;
				if (!json_object_get(json_object_get(rq.body, "pagination"),
						     "starting_after"))
					s->search_queries++;
				s->search_results += json_array_size(
				    json_object_get(rp.body, "conversations"));
			}
			drop = !info.control && info.write && rp.status == 200 &&
			       roll(s, s->faults.drop_rate);
			if (!info.control && rp.status == 200 && s->faults.wrong_types_rate > 0) {
				json_t *copy = json_deep_copy(rp.body);

				json_decref(rp.body);
				rp.body = copy;
				wrong_types(s, rp.body, "", true);
			}
			malformed = !info.control && rp.status == 200 &&
				    roll(s, s->faults.malformed_rate);
		}
		truncate = !info.control && roll(s, s->faults.truncate_rate);
		pthread_mutex_unlock(&s->lock);
	}
	json_decref(rq.body);
	if (search) {
		pthread_mutex_lock(&s->lock);
		s->searches_in_flight--;
		pthread_mutex_unlock(&s->lock);
	}
	if (chatwoot && !info.control)
		chatwoot_error_shape(&rp);
	log_request(s, method, url, drop ? 0 : rp.status);
	if (drop) {
		json_decref(rp.body);
		return MHD_NO;
	}
	ret = send_reply(conn, &rp, chatwoot ? NULL : &rate, truncate, malformed,
			 info.control ? NULL : s);
	json_decref(rp.body);
	return ret;
}

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key,
				       const char *value)
{
	size_t *total = cls;

	(void)kind;
	*total += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

static struct deadline_entry *connection_deadline(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

/* The headers of a request have arrived: the header clock stops; their size is checked. */
static void request_started(struct sim *s, struct MHD_Connection *conn, struct request_body *p)
{
	struct deadline_entry *e = connection_deadline(conn);
	size_t total = p->raw_path ? strlen(p->raw_path) : 0;

	p->started = true;
	if (e)
		deadlines_stop_clock(s->deadlines, e);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header_size, &total);
	p->headers_too_large = total > MAX_HEADER_BYTES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct sim *s = cls;
	struct request_body *p = *con_cls;

	(void)version;
	if (!p) {
		p = xcalloc(1, sizeof(*p));
		*con_cls = p;
	}
	if (!p->started) {
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		long long n;

		request_started(s, conn, p);
		if (p->headers_too_large)
			return handle(s, conn, url, method, p);
		/* Refuse an announced oversized body at once, without reading it. */
		if (cl && util_parse_ll(cl, 0, INT64_MAX, &n) == 0 && n > s->opt.max_body) {
			p->too_large = true;
			return handle(s, conn, url, method, p);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!p->too_large && p->len + *upload_size > (size_t)s->opt.max_body) {
			p->too_large = true;
			free(p->body);
			p->body = NULL;
			p->len = p->cap = 0;
		}
		if (!p->too_large) {
			xgrow(&p->body, &p->cap, p->len + *upload_size, 1);
			memcpy(p->body + p->len, upload, *upload_size);
			p->len += *upload_size;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	return handle(s, conn, url, method, p);
}

/* Called with the request line: keeps the path as sent for handle(). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct request_body *p = xcalloc(1, sizeof(*p));

	(void)cls;
	(void)conn;
	p->raw_path = xstrndup(uri, strcspn(uri, "?"));
	return p;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode code)
{
	struct sim *s = cls;
	struct request_body *p = *con_cls;
	struct deadline_entry *e = connection_deadline(conn);

	(void)code;
	if (p) {
		free(p->raw_path);
		free(p->body);
		free(p);
		*con_cls = NULL;
	}
	/* A kept-alive connection waits for its next request's headers. */
	if (e)
		deadlines_restart_clock(s->deadlines, e);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct sim *s = cls;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

		*socket_context = ci ? deadlines_add(s->deadlines, ci->connect_fd) : NULL;
	} else if (*socket_context) {
		deadlines_remove(s->deadlines, *socket_context);
		*socket_context = NULL;
	}
}

struct MHD_Daemon *server_start(struct sim *s, unsigned *port, char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_flags = AI_NUMERICSERV | AI_PASSIVE,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai = NULL;
	struct MHD_Daemon *d;
	char service[16];
	const union MHD_DaemonInfo *info;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_POLL | MHD_USE_ERROR_LOG;
	int rc;

	snprintf(service, sizeof(service), "%ld", s->opt.port);
	rc = getaddrinfo(s->opt.listen_addr, service, &hints, &ai);
	if (rc != 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", s->opt.listen_addr, gai_strerror(rc));
		return NULL;
	}
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->deadlines = deadlines_new(s->opt.header_timeout * 1000);
	if (!s->deadlines) {
		freeaddrinfo(ai);
		snprintf(err, errlen, "cannot start a thread");
		return NULL;
	}
	/* Connections are limited in all and per client address; a client's headers must
	 * arrive within the header timeout, the rest of a request within 60 s of silence. */
	d = MHD_start_daemon(flags, (uint16_t)s->opt.port, NULL, NULL, on_request, s,
			     MHD_OPTION_SOCK_ADDR, ai->ai_addr,
			     MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
			     MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)s->opt.max_client_connections,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
			     MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!d) {
		deadlines_free(s->deadlines);
		s->deadlines = NULL;
		snprintf(err, errlen, "cannot listen on %s port %ld (is the port in use?)",
			 s->opt.listen_addr, s->opt.port);
		return NULL;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	*port = info ? info->port : (unsigned)s->opt.port;
	return d;
}

void server_stop(struct sim *s, struct MHD_Daemon *d)
{
	if (d)
		MHD_stop_daemon(d);
	deadlines_free(s->deadlines);
	s->deadlines = NULL;
}
