/* intercom.c: the Intercom REST API 2.16 driver behind struct backend_ops: start-up
 * directory, full and incremental syncs through the paginated search, threads, writes,
 * and the help center. Requests and answers are built and read in intercom-json.c. */
#include "build-config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "backend.h"
#include "driver.h"
#include "http.h"
#include "intercom.h"
#include "replies.h"
#include "util.h"

#define ARTICLES_PER_PAGE 250
#define ARTICLE_SEARCH_MAX 20
/* The Intercom-Version sent with every request. */
#define API_VERSION "2.16"
/* Room for a message: Intercom's words, a hint, and the request_id. */
#define ERR_MAX 512

struct backend {
	struct loop *loop;
	struct http *http;
	struct backend_listener l;
	char *url; /* the API base URL */
	struct directory dir;
	struct directory_entry owner; /* the token's owner, from /me */
	char *admin;		      /* backend_options' */
	bool admin_from_env;
	size_t cap_tags; /* room in dir.tags, which grows by the tags created */
	int start_pending;
	char start_error[ERR_MAX];
	/* The sync in flight. */
	bool full;
	fl_time after;
	int64_t *teams;
	size_t n_teams;
	int64_t assignee; /* the agent's conversations of any team too, 0: none */
	struct full_sync *fs; /* the full sync in flight, or NULL */
	/* Requests whose answer has not come: freed by destroy, whose http_free means their
	 * callbacks never run. */
	struct call *calls;
	struct schedules_fetch *schedules; /* the office hours being fetched, or NULL */
};

/* One request's context. */
struct call {
	struct backend *b;
	void *fn;
	void *arg;
	int64_t id;
	struct articles *index;
	long page;
	int kind;
	struct saved_reply *replies; /* macros of the pages so far */
	size_t n_replies, cap_replies;
	struct customer *customer; /* owned: the customer being fetched, or NULL */
	struct call *prev, *next; /* b->calls */
};

static struct call *call_new(struct backend *b, void *fn, void *arg)
{
	struct call *c = xcalloc(1, sizeof(*c));

	c->b = b;
	c->fn = fn;
	c->arg = arg;
	c->next = b->calls;
	if (b->calls)
		b->calls->prev = c;
	b->calls = c;
	return c;
}

static void call_free(struct call *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		c->b->calls = c->next;
	if (c->next)
		c->next->prev = c->prev;
	while (c->n_replies)
		saved_reply_release(&c->replies[--c->n_replies]);
	free(c->replies);
	if (c->customer)
		customer_release(c->customer);
	free(c->customer);
	free(c);
}

/* Says why a request failed, in words an agent can act on; "" when it succeeded. */
static void describe_failure(const struct backend *b, const struct http_response *r, char *err,
			     size_t errlen)
{
	struct intercom_failure f = {
		.status = r->status,
		.body = r->body,
		.len = r->len,
		.method = r->method,
		.path = r->path,
		.base_url = b->url,
		.api_version = API_VERSION,
	};

	err[0] = '\0';
	if (driver_no_answer(r, err, errlen))
		return;
	if (r->status >= 200 && r->status < 300)
		return;
	intercom_describe_failure(&f, err, errlen);
}

/* Parses a successful JSON answer; NULL with a message in err otherwise. */
static json_t *answer_json(struct backend *b, const struct http_response *r, char *err,
			   size_t errlen)
{
	json_error_t jerr;
	json_t *j;

	if (r->server_date && b->l.server_time)
		b->l.server_time(b->l.arg, r->server_date, time(NULL));
	if (r->status == 401 && b->l.refused)
		b->l.refused(b->l.arg);
	describe_failure(b, r, err, errlen);
	if (err[0])
		return NULL;
	j = json_loadb(r->body, r->len, 0, &jerr);
	if (!j)
		snprintf(err, errlen, "the backend sent malformed JSON (line %d: %s)", jerr.line,
			 jerr.text);
	return j;
}

/* Sends body (consumed) to path. */
static void send_json(struct backend *b, const char *method, const char *path, json_t *body,
		      bool retry, http_done_fn done, void *arg)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;

	json_decref(body);
	http_request(b->http, method, path, text, retry, done, arg);
	free(text);
}

/* ---- start-up: /me, /teams, /admins, /tags in parallel ---- */

static void entry_from_admin(struct directory_entry *e, const struct intercom_admin *a)
{
	e->id = a->id;
	e->name = xstrdup(a->name ? a->name : "");
	e->email = a->email ? xstrdup(a->email) : NULL;
	e->away = a->away;
	e->bot = a->bot;
	if (a->n_team_ids) {
		e->team_ids = xcalloc(a->n_team_ids, sizeof(*e->team_ids));
		memcpy(e->team_ids, a->team_ids, a->n_team_ids * sizeof(*e->team_ids));
		e->n_team_ids = a->n_team_ids;
	}
}

static void start_step_done(struct backend *b, const char *error)
{
	if (error && error[0] && !b->start_error[0])
		snprintf(b->start_error, sizeof(b->start_error), "%s", error);
	if (--b->start_pending > 0)
		return;
	if (!b->start_error[0])
		(void)directory_choose_agent(&b->dir, &b->owner, b->admin, b->admin_from_env,
					     b->start_error, sizeof(b->start_error));
	if (b->start_error[0])
		b->l.failed(b->l.arg, b->start_error);
	else
		b->l.ready(b->l.arg, &b->dir);
}

static void on_me(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct backend *b = c->b;
	struct intercom_admin me;
	char err[ERR_MAX];
	json_t *j = answer_json(b, r, err, sizeof(err));

	if (j && intercom_parse_me(j, &me, err, sizeof(err)) == 0) {
		directory_entry_release(&b->owner);
		entry_from_admin(&b->owner, &me);
		intercom_admin_release(&me);
	}
	json_decref(j);
	call_free(c);
	start_step_done(b, err);
}

enum list_kind { LIST_TEAMS, LIST_ADMINS, LIST_TAGS };

/* Copies parsed id/name pairs into the directory. The three intercom list types share
 * their first two members' meaning but not their layout, so each is copied by kind. */
static void store_list(struct backend *b, int kind, json_t *j, char *err, size_t errlen)
{
	struct directory_entry **list = kind == LIST_TEAMS ? &b->dir.teams
				 : kind == LIST_ADMINS ? &b->dir.admins
						       : &b->dir.tags;
	size_t *count = kind == LIST_TEAMS ? &b->dir.n_teams
			: kind == LIST_ADMINS ? &b->dir.n_admins
					      : &b->dir.n_tags;
	struct intercom_team *teams = NULL;
	struct intercom_admin *admins = NULL;
	struct intercom_tag *tags = NULL;
	size_t i, n = 0;
	int rc;

	if (kind == LIST_TEAMS)
		rc = intercom_parse_teams(j, &teams, &n, NULL, err, errlen);
	else if (kind == LIST_ADMINS)
		rc = intercom_parse_admins(j, &admins, &n, NULL, err, errlen);
	else
		rc = intercom_parse_tags(j, &tags, &n, NULL, err, errlen);
	if (rc < 0)
		return;
	for (i = 0; i < *count; i++)
		directory_entry_release(&(*list)[i]);
	free(*list);
	*list = xcalloc(n, sizeof(**list));
	*count = n;
	if (kind == LIST_TAGS)
		b->cap_tags = n;
	for (i = 0; i < n; i++) {
		const char *name;

		if (kind == LIST_ADMINS) {
			entry_from_admin(&(*list)[i], &admins[i]);
			continue;
		}
		name = kind == LIST_TEAMS ? teams[i].name : tags[i].name;
		(*list)[i].id = kind == LIST_TEAMS ? teams[i].id : tags[i].id;
		(*list)[i].name = xstrdup(name ? name : "");
	}
	intercom_teams_free(teams, kind == LIST_TEAMS ? n : 0);
	intercom_admins_free(admins, kind == LIST_ADMINS ? n : 0);
	intercom_tags_free(tags, kind == LIST_TAGS ? n : 0);
	err[0] = '\0';
}

static void on_list(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct backend *b = c->b;
	char err[ERR_MAX];
	json_t *j = answer_json(b, r, err, sizeof(err));

	if (j)
		store_list(b, c->kind, j, err, sizeof(err));
	json_decref(j);
	call_free(c);
	start_step_done(b, err);
}

static void intercom_start(struct backend *b)
{
	static const char *const paths[] = {"/teams", "/admins", "/tags"};
	int i;

	b->start_pending = 4;
	b->start_error[0] = '\0';
	http_request(b->http, "GET", "/me", NULL, true, on_me, call_new(b, NULL, NULL));
	for (i = 0; i < 3; i++) {
		struct call *c = call_new(b, NULL, NULL);

		c->kind = i;
		http_request(b->http, "GET", paths[i], NULL, true, on_list, c);
	}
}

/* ---- sync ---- */

/* A full sync pages disjoint ranges of created_at at once, at most FULL_IN_FLIGHT
 * requests at a time; a range larger than its share is split on its first page, which
 * tells how many it holds and (oldest first) where the rest of it starts. created_at
 * never changes, so a conversation updated during the sync stays in its range; one
 * created during it is seen by the first poll after it, as with one search. */
#define FULL_IN_FLIGHT 4
/* Ranges a full sync aims at; one of fewer than FULL_SPLIT_MIN is not split. */
#define FULL_PARTS 8
#define FULL_SPLIT_MIN (INTERCOM_PER_PAGE_MAX * 3)

enum part_state { PART_WAITING, PART_RUNNING, PART_DONE };

struct part {
	fl_time from, until; /* created in [from, until); until 0: no end */
	char *cursor;	     /* the next page's, NULL before the first */
	enum part_state state;
};

struct full_sync {
	struct part *parts;
	size_t n, cap;
	size_t in_flight;
	long total; /* conversations the whole sync holds, from its first page */
	char error[ERR_MAX];
};

static void full_sync_free(struct full_sync *fs)
{
	size_t i;

	if (!fs)
		return;
	for (i = 0; i < fs->n; i++)
		free(fs->parts[i].cursor);
	free(fs->parts);
	free(fs);
}

static void full_part_add(struct full_sync *fs, fl_time from, fl_time until)
{
	xgrow(&fs->parts, &fs->cap, fs->n + 1, sizeof(*fs->parts));
	fs->parts[fs->n++] = (struct part){.from = from, .until = until, .state = PART_WAITING};
}

static void on_part_page(void *arg, const struct http_response *r);

static void request_part(struct backend *b, size_t i)
{
	struct part *p = &b->fs->parts[i];
	json_t *body = intercom_full_part_request(b->teams, b->n_teams, b->assignee, p->from,
						  p->until, p->cursor, INTERCOM_PER_PAGE_MAX);
	struct call *c;

	if (!body) {
		snprintf(b->fs->error, sizeof(b->fs->error), "cannot build the search request");
		p->state = PART_DONE;
		return;
	}
	p->state = PART_RUNNING;
	b->fs->in_flight++;
	c = call_new(b, NULL, NULL);
	c->page = (long)i;
	send_json(b, "POST", "/conversations/search", body, true, on_part_page, c);
}

/* Starts what waits, ranges not yet begun first (their first page may split them), while
 * fewer than FULL_IN_FLIGHT are out; ends the sync when nothing is left or, after a
 * failure, once the last answer is in. */
static void full_sync_pump(struct backend *b)
{
	struct full_sync *fs = b->fs;
	bool left = false;
	int pass;
	size_t i;

	for (pass = 0; pass < 2 && !fs->error[0]; pass++)
		for (i = 0; i < fs->n && fs->in_flight < FULL_IN_FLIGHT && !fs->error[0]; i++)
			if (fs->parts[i].state == PART_WAITING && (pass || !fs->parts[i].cursor))
				request_part(b, i);
	for (i = 0; i < fs->n; i++)
		left |= fs->parts[i].state != PART_DONE;
	if (fs->in_flight || (left && !fs->error[0]))
		return;
	b->fs = NULL;
	b->l.sync_done(b->l.arg, true, fs->error[0] ? fs->error : NULL);
	full_sync_free(fs);
}

/* On a range's first page (oldest first, n items, total in the range): splits the rest
 * of it, from the last item's second on, into ranges of about the share each, when it
 * holds more than its share; returns where the items kept from this page end (those of
 * the last item's second come again with the range that starts there). */
static fl_time part_split(struct backend *b, size_t i, const struct conversation *items,
			  size_t n, long total, fl_time now)
{
	struct full_sync *fs = b->fs;
	struct part *p = &fs->parts[i];
	long share = fs->total / FULL_PARTS, k, j;
	fl_time last = n ? items[n - 1].created_at : 0, end = p->until ? p->until : now + 1;
	fl_time until = p->until, from;

	if (share < FULL_SPLIT_MIN)
		share = FULL_SPLIT_MIN;
	if (n == 0 || total <= share + (long)n || items[0].created_at >= last || end - last < 2)
		return 0;
	k = (total - (long)n + share - 1) / share;
	if (k > end - last)
		k = end - last;
	/* The rest, [last, until): this range ends at last, new ones take the rest. */
	free(p->cursor);
	p->cursor = NULL;
	p->until = last;
	p->state = PART_DONE;
	for (j = 0; j < k; j++) {
		from = last + (end - last) * j / k;
		full_part_add(fs, from, j == k - 1 ? until : last + (end - last) * (j + 1) / k);
	}
	return last;
}

static void on_part_page(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct backend *b = c->b;
	struct full_sync *fs = b->fs;
	size_t i = (size_t)c->page, n = 0, skipped = 0, k;
	struct conversation *items = NULL;
	char err[ERR_MAX], *next = NULL;
	long total = 0;
	bool first = !fs->parts[i].cursor;
	json_t *j = answer_json(b, r, err, sizeof(err));
	fl_time cut = 0;

	call_free(c);
	fs->in_flight--;
	fs->parts[i].state = PART_DONE;
	bool ok = j && intercom_parse_search_changes(j, NULL, NULL, NULL, &items, &n, &next,
						     &total, &skipped, err, sizeof(err)) == 0;

	json_decref(j);
	if (!ok) {
		if (!fs->error[0])
			snprintf(fs->error, sizeof(fs->error), "%s", err);
		full_sync_pump(b);
		return;
	}
	driver_skipped(&b->l, skipped, err);
	if (first && i == 0 && fs->parts[0].from == 0 && !fs->parts[0].until)
		fs->total = total;
	if (first && next)
		cut = part_split(b, i, items, n, total, r->server_date ? r->server_date : time(NULL));
	for (k = 0; k < n; k++) {
		const struct part *p = &fs->parts[i];

		if (items[k].created_at >= p->from && (!p->until || items[k].created_at < p->until) &&
		    (!cut || items[k].created_at < cut))
			b->l.conversation(b->l.arg, &items[k]);
		conversation_release(&items[k]);
	}
	free(items);
	if (next && !cut) {
		free(fs->parts[i].cursor);
		fs->parts[i].cursor = next;
		fs->parts[i].state = PART_WAITING;
	} else {
		free(next);
	}
	full_sync_pump(b);
}

static void full_sync_start(struct backend *b)
{
	full_sync_free(b->fs);
	b->fs = xcalloc(1, sizeof(*b->fs));
	full_part_add(b->fs, 0, 0);
	full_sync_pump(b);
}

static void request_page(struct backend *b, const char *cursor);

static void on_page(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct backend *b = c->b;
	struct conversation *items = NULL;
	size_t n = 0, skipped = 0, i;
	char err[ERR_MAX], *next = NULL;
	json_t *j = answer_json(b, r, err, sizeof(err));

	call_free(c);
	if (j && intercom_parse_search_changes(j, b->full ? NULL : b->l.held, b->l.arg, NULL, &items,
					       &n, &next, NULL, &skipped, err, sizeof(err)) < 0) {
		json_decref(j);
		b->l.sync_done(b->l.arg, b->full, err);
		return;
	}
	json_decref(j);
	if (!j) {
		b->l.sync_done(b->l.arg, b->full, err);
		return;
	}
	driver_skipped(&b->l, skipped, err);
	for (i = 0; i < n; i++) {
		b->l.conversation(b->l.arg, &items[i]);
		conversation_release(&items[i]);
	}
	free(items);
	if (next)
		request_page(b, next);
	else
		b->l.sync_done(b->l.arg, b->full, NULL);
	free(next);
}

static void request_page(struct backend *b, const char *cursor)
{
	/* The incremental search has no state filter, and beside the teams' changes asks
	 * for every conversation assigned since: one closed, or moved to a team nobody here
	 * tracks, must arrive so that it leaves the queue. */
	json_t *body = b->full ? intercom_search_request_mine(0, b->teams, b->n_teams, b->assignee,
							      true, cursor, INTERCOM_PER_PAGE_MAX)
			       : intercom_search_request_mine(b->after, b->teams, b->n_teams,
							      b->assignee, false, cursor,
							      INTERCOM_PER_PAGE_MAX);

	if (!body) {
		b->l.sync_done(b->l.arg, b->full, "nothing to search for: no team is tracked");
		return;
	}
	send_json(b, "POST", "/conversations/search", body, true, on_page, call_new(b, NULL, NULL));
}

static void intercom_sync(struct backend *b, bool full, fl_time updated_after, const int64_t *teams,
			  size_t n_teams, int64_t assignee)
{
	b->assignee = assignee;
	b->full = full;
	b->after = updated_after;
	free(b->teams);
	b->teams = xcalloc(n_teams, sizeof(*teams));
	if (n_teams)
		memcpy(b->teams, teams, n_teams * sizeof(*teams));
	b->n_teams = n_teams;
	if (n_teams == 0 && !assignee) {
		b->l.sync_done(b->l.arg, full,
			       "no team of the configured queues exists in the workspace, and no "
			       "queue without teams has filter = assignee:me");
		return;
	}
	if (full)
		full_sync_start(b);
	else
		request_page(b, NULL);
}

/* ---- one conversation with its thread ---- */

/* Whom a part assigned the conversation to, and the tags it left, from the wire's part. */
static void thread_part_assigned(struct thread_part *tp, struct intercom_part *p)
{
	const char *type = p->assigned_type;

	if (type && !strcmp(type, "nobody_admin"))
		tp->assigned = PART_ASSIGNED_NOBODY;
	else if (type && !strcmp(type, "team") && p->assigned_id)
		tp->assigned = PART_ASSIGNED_TEAM;
	else if (type && (!strcmp(type, "admin") || !strcmp(type, "bot")))
		tp->assigned = p->assigned_id ? PART_ASSIGNED_ADMIN : PART_ASSIGNED_NOBODY;
	tp->assigned_id = p->assigned_id;
	/* the names move over */
	tp->has_tags = p->has_tags;
	tp->tags = p->tags;
	tp->n_tags = p->n_tags;
	p->tags = NULL;
	p->n_tags = 0;
}

static void on_thread(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct backend *b = c->b;
	backend_thread_fn fn = (backend_thread_fn)c->fn;
	struct thread t = {0};
	struct result res;
	struct intercom_part *parts = NULL;
	size_t n = 0, i;
	char err[ERR_MAX];
	json_t *j = answer_json(b, r, err, sizeof(err));

	if (j && intercom_parse_conversation(j, &t.conv) < 0)
		snprintf(err, sizeof(err), "the backend sent a conversation without an id");
	else if (j && intercom_parse_parts(j, false, &parts, &n, err, sizeof(err)) == 0) {
		t.parts = xcalloc(n, sizeof(*t.parts));
		t.n_parts = n;
		for (i = 0; i < n; i++) {
			t.parts[i].kind = xstrdup(parts[i].part_type ? parts[i].part_type : "comment");
			t.parts[i].author = parts[i].author_name ? xstrdup(parts[i].author_name) : NULL;
			t.parts[i].author_id = parts[i].author_id;
			/* a bot's parts (an admin writing as the bot too) are the team's */
			t.parts[i].from_admin = parts[i].author_type &&
						(!strcmp(parts[i].author_type, "admin") ||
						 !strcmp(parts[i].author_type, "bot"));
			t.parts[i].at = parts[i].created_at;
			t.parts[i].body = parts[i].body ? xstrdup(parts[i].body) : NULL;
			thread_part_assigned(&t.parts[i], &parts[i]);
		}
		intercom_parts_free(parts, n);
		t.n_missing = intercom_parts_missing(j);
		t.contact_id = intercom_conversation_contact(j);
		err[0] = '\0';
	}
	json_decref(j);
	res = driver_outcome(r, err);
	fn(c->arg, err[0] ? NULL : &t, &res);
	thread_release(&t);
	call_free(c);
}

static void intercom_fetch_thread(struct backend *b, int64_t id, backend_thread_fn fn, void *arg)
{
	char path[96];

	snprintf(path, sizeof(path), "/conversations/%lld?display_as=plaintext", (long long)id);
	http_request(b->http, "GET", path, NULL, true, on_thread, call_new(b, (void *)fn, arg));
}

/* ---- the customer: the contact, its companies, its conversations ---- */

/* How many of a customer's conversations the panel lists. */
#define CUSTOMER_HISTORY_MAX 20

/* Tells the customer fetch's end: with the customer, or the failure r says. */
static void customer_done(struct call *c, const struct http_response *r, const char *err)
{
	backend_customer_fn fn = (backend_customer_fn)c->fn;
	struct result res = driver_outcome(r, err);

	fn(c->arg, err[0] ? NULL : c->customer, &res);
	call_free(c);
}

static void on_customer_history(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct conversation *items = NULL;
	size_t n = 0, skipped, i;
	long total;
	char *next = NULL, err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	if (j && intercom_parse_search_page(j, &items, &n, &next, &total, &skipped, err,
					    sizeof(err)) == 0) {
		err[0] = '\0';
		c->customer->previous = xcalloc(n ? n : 1, sizeof(*c->customer->previous));
		c->customer->n_previous = n;
		for (i = 0; i < n; i++) {
			struct customer_conversation *p = &c->customer->previous[i];

			p->id = items[i].id;
			p->state = items[i].state;
			p->created_at = items[i].created_at;
			p->title = items[i].title ? xstrdup(items[i].title)
						  : conversation_preview(&items[i]);
			conversation_release(&items[i]);
		}
		free(items);
		free(next);
	}
	json_decref(j);
	customer_done(c, r, err);
}

static void on_customer_companies(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	if (j && intercom_parse_contact_companies(j, c->customer, err, sizeof(err)) == 0) {
		send_json(c->b, "POST", "/conversations/search",
			  intercom_contact_search_request(c->customer->contact_id, CUSTOMER_HISTORY_MAX),
			  true, on_customer_history, c);
		json_decref(j);
		return;
	}
	json_decref(j);
	customer_done(c, r, err);
}

/* GET /contacts/{id}/tail for the customer being fetched, answered to fn. */
static void customer_get(struct call *c, const char *tail, http_done_fn fn)
{
	char *escaped = curl_easy_escape(NULL, c->customer->contact_id, 0), *path;

	if (!escaped)
		die("out of memory");
	path = xasprintf("/contacts/%s%s", escaped, tail);
	curl_free(escaped);
	http_request(c->b->http, "GET", path, NULL, true, fn, c);
	free(path);
}

/* The contact's tags by name (its own object lists only their ids), then its companies. */
static void on_customer_tags(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	if (j && intercom_parse_contact_tags(j, c->customer, err, sizeof(err)) == 0) {
		customer_get(c, "/companies", on_customer_companies);
		json_decref(j);
		return;
	}
	json_decref(j);
	customer_done(c, r, err);
}

static void on_contact(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	char err[ERR_MAX];
	json_t *j;

	if (r->status == 404 && !r->curl_code) {
		/* a deleted contact: the conversation stays, its customer is gone */
		c->customer->missing = true;
		err[0] = '\0';
		customer_done(c, r, err);
		return;
	}
	j = answer_json(c->b, r, err, sizeof(err));
	if (j && intercom_parse_contact(j, c->customer, err, sizeof(err)) == 0) {
		if (intercom_contact_tag_count(j) != 0)
			customer_get(c, "/tags", on_customer_tags);
		else
			customer_get(c, "/companies", on_customer_companies);
		json_decref(j);
		return;
	}
	json_decref(j);
	customer_done(c, r, err);
}

static void intercom_fetch_customer(struct backend *b, const char *contact_id,
				    backend_customer_fn fn, void *arg)
{
	struct call *c = call_new(b, (void *)fn, arg);

	c->customer = xcalloc(1, sizeof(*c->customer));
	c->customer->contact_id = xstrdup(contact_id);
	customer_get(c, "", on_contact);
}

/* ---- writes ---- */

/* Whether the conversation answered carries priority level. */
static bool priority_applied(json_t *j, int level)
{
	struct conversation conv;
	bool applied;

	if (intercom_parse_conversation(j, &conv) < 0)
		return false;
	applied = (int)conv.priority == level;
	conversation_release(&conv);
	return applied;
}

static void on_write(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	backend_done_fn fn = (backend_done_fn)c->fn;
	struct result res;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	/* A 2xx is the backend's confirmation, whatever its body says; but a priority the
	 * answer does not carry was not made. */
	if (r->curl_code == CURLE_OK && r->status >= 200 && r->status < 300)
		err[0] = '\0';
	res = driver_outcome(r, err);
	if (res.cls == RESULT_OK && c->kind > 0 && !priority_applied(j, c->kind - 1))
		res = driver_local_failure(RESULT_PERMANENT,
				    "the backend answered but did not change the priority "
				    "(this workspace may not take priority through the API)");
	json_decref(j);
	fn(c->arg, &res);
	call_free(c);
}

static void intercom_write(struct backend *b, const struct write_op *w, backend_done_fn fn,
			   void *arg)
{
	const char *method = "POST";
	char path[96];
	json_t *body = NULL;
	int64_t me = b->dir.me;
	struct call *call;

	snprintf(path, sizeof(path), "/conversations/%lld/parts", (long long)w->conversation);
	switch (w->kind) {
	case WRITE_REPLY:
	case WRITE_NOTE:
		snprintf(path, sizeof(path), "/conversations/%lld/reply", (long long)w->conversation);
		body = intercom_reply_request(w->kind == WRITE_NOTE ? INTERCOM_REPLY_NOTE
								     : INTERCOM_REPLY_COMMENT,
					      me, w->body);
		break;
	case WRITE_CLOSE: body = intercom_close_request(me); break;
	case WRITE_SNOOZE: body = intercom_snooze_request(me, w->until); break;
	case WRITE_OPEN: body = intercom_open_request(me); break;
	case WRITE_ASSIGN_ME: body = intercom_assign_request(me, me); break;
	case WRITE_TAG:
		snprintf(path, sizeof(path), "/conversations/%lld/tags", (long long)w->conversation);
		body = intercom_tag_add_request(me, w->tag);
		break;
	case WRITE_UNTAG:
		method = "DELETE";
		snprintf(path, sizeof(path), "/conversations/%lld/tags/%lld", (long long)w->conversation,
			 (long long)w->tag);
		body = intercom_tag_remove_request(me);
		break;
	case WRITE_PRIORITY:
		method = "PUT";
		snprintf(path, sizeof(path), "/conversations/%lld", (long long)w->conversation);
		body = intercom_priority_request(w->body);
		break;
	case WRITE_ASSIGN_ADMIN:
	case WRITE_ASSIGN_TEAM:
		body = w->tag > 0 ? intercom_assign_to_request(me, w->kind == WRITE_ASSIGN_TEAM, w->tag)
				  : NULL;
		break;
	case WRITE_UNASSIGN: body = intercom_assign_to_request(me, false, 0); break;
	case WRITE_READ:
		method = "PUT";
		snprintf(path, sizeof(path), "/conversations/%lld", (long long)w->conversation);
		body = intercom_read_request();
		break;
	}
	if (!body) {
		struct result res = driver_local_failure(
		    RESULT_PERMANENT, "nothing to send: the text is empty or not valid UTF-8");

		fn(arg, &res);
		return;
	}
	call = call_new(b, (void *)fn, arg);
	if (w->kind == WRITE_PRIORITY)
		call->kind = priority_from_word(w->body) + 1; /* on_write checks the answer */
	send_json(b, method, path, body, false, on_write, call);
}

static void on_tag_created(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	backend_tag_fn fn = (backend_tag_fn)c->fn;
	struct intercom_tag tag = {0};
	struct result res;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	if (j && intercom_parse_tag(j, &tag, err, sizeof(err)) == 0) {
		struct directory *d = &c->b->dir;

		if (!directory_name(d->tags, d->n_tags, tag.id)) {
			xgrow(&d->tags, &c->b->cap_tags, d->n_tags + 1, sizeof(*d->tags));
			d->tags[d->n_tags] = (struct directory_entry){
			    .id = tag.id, .name = xstrdup(tag.name ? tag.name : "")};
			d->n_tags++;
		}
		err[0] = '\0';
	}
	json_decref(j);
	res = driver_outcome(r, err);
	fn(c->arg, err[0] ? 0 : tag.id, &res);
	intercom_tag_release(&tag);
	call_free(c);
}

static void intercom_create_tag(struct backend *b, const char *name, backend_tag_fn fn, void *arg)
{
	json_t *body = intercom_tag_create_request(name);

	if (!body) {
		struct result res = driver_local_failure(RESULT_PERMANENT, "a tag needs a name in UTF-8");

		fn(arg, 0, &res);
		return;
	}
	send_json(b, "POST", "/tags", body, false, on_tag_created, call_new(b, (void *)fn, arg));
}

/* ---- help center ---- */

static void to_article(struct article *dst, struct intercom_article *src)
{
	dst->id = src->id;
	dst->title = src->title ? src->title : xstrdup("");
	dst->url = src->url;
	dst->description = src->description;
	dst->body = src->body ? src->body : xstrdup("");
	dst->updated_at = src->updated_at;
	memset(src, 0, sizeof(*src));
}

static void on_articles_page(void *arg, const struct http_response *r);

static void request_articles_page(struct backend *b, struct call *c)
{
	char path[64];

	snprintf(path, sizeof(path), "/articles?page=%ld&per_page=%d", c->page, ARTICLES_PER_PAGE);
	http_request(b->http, "GET", path, NULL, true, on_articles_page, c);
}

static void on_articles_page(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct backend *b = c->b;
	backend_done_fn fn = (backend_done_fn)c->fn;
	struct intercom_article *list = NULL;
	size_t n = 0, i;
	long page = 0, total_pages = 0;
	bool local = false;
	struct result res = {.cls = RESULT_OK};
	char err[ERR_MAX];
	json_t *j = answer_json(b, r, err, sizeof(err));

	if (j && intercom_parse_articles(j, &list, &n, &page, &total_pages, NULL, err,
					 sizeof(err)) == 0) {
		err[0] = '\0';
		for (i = 0; i < n && !err[0]; i++) {
			struct article a;

			to_article(&a, &list[i]);
			if (articles_put(c->index, &a) < 0) {
				snprintf(err, sizeof(err), "cannot write the article index");
				local = true;
			}
			article_release(&a);
		}
		intercom_articles_free(list, n);
	}
	json_decref(j);
	if (err[0]) {
		res = local ? driver_local_failure(RESULT_LOCAL, err) : driver_outcome(r, err);
		articles_sync_abort(c->index);
		fn(c->arg, &res);
		call_free(c);
		return;
	}
	if (n > 0 && page < total_pages) {
		c->page = page + 1;
		request_articles_page(b, c);
		return;
	}
	if (articles_sync_end(c->index, time(NULL)) < 0)
		res = driver_local_failure(RESULT_LOCAL, "cannot write the article index");
	fn(c->arg, &res);
	call_free(c);
}

static void intercom_sync_articles(struct backend *b, struct articles *index, backend_done_fn fn,
				   void *arg)
{
	struct call *c;

	if (articles_sync_begin(index) < 0) {
		struct result res = driver_local_failure(RESULT_LOCAL, "cannot write the article index");

		fn(arg, &res);
		return;
	}
	c = call_new(b, (void *)fn, arg);
	c->index = index;
	c->page = 1;
	request_articles_page(b, c);
}

static void on_article_search(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	backend_articles_fn fn = (backend_articles_fn)c->fn;
	struct intercom_article *list = NULL;
	struct article *out = NULL;
	struct result res;
	size_t n = 0, i;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	if (j && intercom_parse_articles(j, &list, &n, NULL, NULL, NULL, err, sizeof(err)) == 0) {
		err[0] = '\0';
		if (n > ARTICLE_SEARCH_MAX)
			n = ARTICLE_SEARCH_MAX;
		out = xcalloc(n, sizeof(*out));
		for (i = 0; i < n; i++)
			to_article(&out[i], &list[i]);
		intercom_articles_free(list, n);
	}
	json_decref(j);
	res = driver_outcome(r, err);
	fn(c->arg, out, err[0] ? 0 : n, &res);
	for (i = 0; out && i < n; i++)
		article_release(&out[i]);
	free(out);
	call_free(c);
}

static void intercom_search_articles(struct backend *b, const char *query, backend_articles_fn fn,
				     void *arg)
{
	char *escaped = curl_easy_escape(NULL, query, 0), *path;

	if (!escaped)
		die("out of memory");
	path = xasprintf("/articles/search?phrase=%s&state=published", escaped);
	curl_free(escaped);
	http_request(b->http, "GET", path, NULL, true, on_article_search, call_new(b, (void *)fn, arg));
	free(path);
}

/* ---- saved replies: GET /macros, page after page ---- */

#define MACROS_PER_PAGE 150

static void request_macros_page(struct backend *b, struct call *c, const char *after);

static void on_macros(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	backend_replies_fn fn = (backend_replies_fn)c->fn;
	struct saved_reply *list = NULL;
	struct result res;
	size_t n = 0;
	char err[ERR_MAX], *next = NULL;
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	if (j && intercom_parse_macros(j, &list, &n, &next, err, sizeof(err)) == 0) {
		err[0] = '\0';
		xgrow(&c->replies, &c->cap_replies, c->n_replies + n, sizeof(*c->replies));
		memcpy(c->replies + c->n_replies, list, n * sizeof(*list));
		c->n_replies += n;
		free(list);
	}
	json_decref(j);
	/* a page that ends where it started would never end */
	if (!err[0] && next && c->kind++ < 100) {
		request_macros_page(c->b, c, next);
		free(next);
		return;
	}
	free(next);
	res = driver_outcome(r, err);
	fn(c->arg, c->replies, err[0] ? 0 : c->n_replies, &res);
	call_free(c);
}

static void request_macros_page(struct backend *b, struct call *c, const char *after)
{
	char *escaped = after ? curl_easy_escape(NULL, after, 0) : NULL, *path;

	if (after && !escaped)
		die("out of memory");
	path = xasprintf("/macros?per_page=%d%s%s", MACROS_PER_PAGE, escaped ? "&starting_after=" : "",
			 escaped ? escaped : "");
	curl_free(escaped);
	http_request(b->http, "GET", path, NULL, true, on_macros, c);
	free(path);
}

static void intercom_fetch_macros(struct backend *b, backend_replies_fn fn, void *arg)
{
	request_macros_page(b, call_new(b, (void *)fn, arg), NULL);
}

/* ---- the agent's search of every conversation ---- */

static int newest_first(const void *a, const void *b)
{
	const struct conversation *x = a, *y = b;

	if (x->updated_at != y->updated_at)
		return x->updated_at > y->updated_at ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;
}

/* A search's answer: its records (n), the next page's cursor and the total; err "" when
 * it parsed, else why not (nothing held then). */
static void search_answer(struct call *c, const struct http_response *r,
			  struct conversation **items, size_t *n, char **next, long *total,
			  char *err, size_t errlen)
{
	size_t skipped = 0;
	json_t *j = answer_json(c->b, r, err, errlen);

	*items = NULL;
	*n = 0;
	*next = NULL;
	*total = 0;
	if (j && intercom_parse_search_changes(j, NULL, NULL, NULL, items, n, next, total,
					       &skipped, err, errlen) == 0)
		err[0] = '\0';
	json_decref(j);
}

static void conversations_free(struct conversation *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		conversation_release(&items[i]);
	free(items);
}

static void on_conversation_search(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	backend_conversations_fn fn = (backend_conversations_fn)c->fn;
	struct conversation *items;
	struct result res;
	size_t n;
	long total;
	char err[ERR_MAX], *next;

	search_answer(c, r, &items, &n, &next, &total, err, sizeof(err));
	if (!err[0] && n > 1)
		qsort(items, n, sizeof(*items), newest_first);
	free(next);
	res = driver_outcome(r, err);
	fn(c->arg, err[0] ? NULL : items, err[0] ? 0 : n, total > 0 ? (size_t)total : n, &res);
	conversations_free(items, n);
	call_free(c);
}

static void intercom_search_conversations(struct backend *b, const struct convsearch *q,
					  size_t max, backend_conversations_fn fn, void *arg)
{
	json_t *body = intercom_conversation_search_request(q, (int)(max < 1 ? 1 : max));

	if (!body) {
		struct result res = driver_local_failure(RESULT_PERMANENT, "out of memory");

		fn(arg, NULL, 0, 0, &res);
		return;
	}
	send_json(b, "POST", "/conversations/search", body, true, on_conversation_search,
		  call_new(b, (void *)fn, arg));
}

/* ---- a report's pages ---- */

static void on_report_page(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	backend_report_fn fn = (backend_report_fn)c->fn;
	struct conversation *items;
	struct result res;
	size_t n, kept = 0, i;
	long total;
	char err[ERR_MAX], *next;

	search_answer(c, r, &items, &n, &next, &total, err, sizeof(err));
	/* The range ends before until: Intercom's "<" let its own second in. */
	for (i = 0; !err[0] && i < n; i++) {
		if (items[i].created_at >= c->id)
			conversation_release(&items[i]);
		else
			items[kept++] = items[i];
	}
	res = driver_outcome(r, err);
	fn(c->arg, err[0] ? NULL : items, err[0] ? 0 : kept, err[0] ? NULL : next,
	   total > 0 ? (size_t)total : n, &res);
	free(next);
	conversations_free(items, kept);
	call_free(c);
}

static void intercom_report_page(struct backend *b, fl_time since, fl_time until,
				 fl_time updated_after, const char *cursor, backend_report_fn fn,
				 void *arg)
{
	json_t *body =
	    intercom_report_request(since, until, updated_after, cursor, INTERCOM_PER_PAGE_MAX);
	struct call *c;

	if (!body) {
		struct result res = driver_local_failure(RESULT_PERMANENT, "out of memory");

		fn(arg, NULL, 0, NULL, 0, &res);
		return;
	}
	c = call_new(b, (void *)fn, arg);
	c->id = until;
	send_json(b, "POST", "/conversations/search", body, true, on_report_page, c);
}

/* ---- office hours: the schedules, then each one's exceptions ---- */

struct schedules_fetch {
	backend_schedules_fn fn;
	void *arg;
	struct sla_schedule *items;
	size_t n;
	size_t pending; /* exception lists not yet answered */
	char error[256];
	struct http_response failed; /* the first failed answer's status and curl code */
};

static void schedules_fetch_free(struct backend *b)
{
	if (!b->schedules)
		return;
	free(b->schedules->items);
	free(b->schedules);
	b->schedules = NULL;
}

static void schedules_done(struct backend *b)
{
	struct schedules_fetch *f = b->schedules;
	struct result res = driver_outcome(&f->failed, f->error);

	f->fn(f->arg, f->error[0] ? NULL : f->items, f->error[0] ? 0 : f->n, &res);
	schedules_fetch_free(b);
}

static void on_exceptions(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct backend *b = c->b;
	struct schedules_fetch *f = b->schedules;
	char err[256];
	json_t *j = answer_json(b, r, err, sizeof(err));

	if (j && intercom_parse_exceptions(j, &f->items[c->page], err, sizeof(err)) == 0)
		err[0] = '\0';
	json_decref(j);
	if (err[0] && !f->error[0]) {
		snprintf(f->error, sizeof(f->error), "office hours: %s", err);
		f->failed = (struct http_response){.status = r->status, .curl_code = r->curl_code};
	}
	call_free(c);
	if (--f->pending == 0)
		schedules_done(b);
}

static void on_schedules(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct backend *b = c->b;
	struct schedules_fetch *f = b->schedules;
	char err[256], *path;
	json_t *j = answer_json(b, r, err, sizeof(err));
	size_t i;

	call_free(c);
	if (j && intercom_parse_schedules(j, &f->items, &f->n, err, sizeof(err)) == 0)
		err[0] = '\0';
	json_decref(j);
	if (err[0] || f->n == 0) {
		if (err[0])
			snprintf(f->error, sizeof(f->error), "office hours: %s", err);
		f->failed = (struct http_response){.status = r->status, .curl_code = r->curl_code};
		schedules_done(b);
		return;
	}
	f->pending = f->n;
	for (i = 0; i < f->n; i++) {
		c = call_new(b, NULL, NULL);
		c->page = (long)i;
		path = xasprintf("/office_hours_schedules/%" PRId64 "/office_hours_exceptions",
				 f->items[i].id);
		http_request(b->http, "GET", path, NULL, true, on_exceptions, c);
		free(path);
	}
}

static void intercom_fetch_schedules(struct backend *b, backend_schedules_fn fn, void *arg)
{
	if (b->schedules) {
		struct result res =
		    driver_local_failure(RESULT_TRANSIENT, "office hours: already fetching");

		fn(arg, NULL, 0, &res);
		return;
	}
	b->schedules = xcalloc(1, sizeof(*b->schedules));
	b->schedules->fn = fn;
	b->schedules->arg = arg;
	http_request(b->http, "GET", "/office_hours_schedules", NULL, true, on_schedules,
		     call_new(b, NULL, NULL));
}

/* ---- lifecycle ---- */

/* ---- a team's load ---- */

static void on_team_metrics(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	backend_metrics_fn fn = (backend_metrics_fn)c->fn;
	struct team_metric *items = NULL;
	struct result res;
	size_t n = 0;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	if (j && intercom_parse_team_metrics(j, &items, &n, err, sizeof(err)) == 0)
		err[0] = '\0';
	json_decref(j);
	res = driver_outcome(r, err);
	fn(c->arg, err[0] ? NULL : items, err[0] ? 0 : n, &res);
	free(items);
	call_free(c);
}

static void intercom_team_metrics(struct backend *b, int64_t team_id, long idle_threshold,
				  backend_metrics_fn fn, void *arg)
{
	char *path = xasprintf("/teams/%" PRId64 "/metrics?idle_threshold=%ld", team_id,
			       idle_threshold);

	http_request(b->http, "GET", path, NULL, true, on_team_metrics,
		     call_new(b, (void *)fn, arg));
	free(path);
}

static struct backend *intercom_create(struct loop *loop, const struct backend_options *opt,
				       const struct backend_listener *listener, char *err,
				       size_t errlen)
{
	struct http_options hopt = {
		.base_url = opt->url,
		.token = opt->token,
		.api_version = API_VERSION,
		.total_timeout_ms = opt->timeout_ms,
		.max_response = opt->max_response,
	};
	struct backend *b = xcalloc(1, sizeof(*b));

	b->loop = loop;
	b->l = *listener;
	b->url = xstrdup(opt->url);
	b->http = http_new(loop, &hopt, err, errlen);
	if (!b->http) {
		free(b->url);
		free(b);
		return NULL;
	}
	b->admin = opt->admin ? xstrdup(opt->admin) : NULL;
	b->admin_from_env = opt->admin_from_env;
	return b;
}

static void intercom_destroy(struct backend *b)
{
	if (!b)
		return;
	http_free(b->http);
	while (b->calls)
		call_free(b->calls);
	schedules_fetch_free(b);
	full_sync_free(b->fs);
	directory_release(&b->dir);
	directory_entry_release(&b->owner);
	free(b->admin);
	free(b->teams);
	free(b->url);
	free(b);
}

static size_t intercom_pending(struct backend *b)
{
	return http_pending(b->http);
}

static uint64_t intercom_bytes(struct backend *b)
{
	return http_bytes_received(b->http);
}

const struct backend_ops intercom_backend = {
	.name = "intercom",
	.create = intercom_create,
	.destroy = intercom_destroy,
	.start = intercom_start,
	.sync = intercom_sync,
	.fetch_thread = intercom_fetch_thread,
	.fetch_customer = intercom_fetch_customer,
	.write = intercom_write,
	.create_tag = intercom_create_tag,
	.sync_articles = intercom_sync_articles,
	.search_articles = intercom_search_articles,
	.fetch_schedules = intercom_fetch_schedules,
	.fetch_macros = intercom_fetch_macros,
	.pending = intercom_pending,
	.bytes_received = intercom_bytes,
	.search_conversations = intercom_search_conversations,
	.report_page = intercom_report_page,
	.team_metrics = intercom_team_metrics,
};
