/* chatwoot.c: the Chatwoot Application API driver behind struct backend_ops: start-up
 * directory (profile, teams and their members, agents, labels), full syncs page by page
 * per team and incremental ones through updated_within, threads, writes (labels read,
 * changed, written and read again), canned responses, inboxes' working hours and the
 * help center. Answers are read and requests built in chatwoot-json.c. */
#include "build-config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "backend.h"
#include "driver.h"
#include "chatwoot.h"
#include "http.h"
#include "replies.h"
#include "util.h"

/* Room for a message: Chatwoot's words and a hint. */
#define ERR_MAX 512
/* Pages of one team's list at the most (a million conversations): one whose pages never
 * end fails the sync with a message rather than page for ever. (A server that ignores
 * page is told by the page that starts where the last one did.) */
#define PAGES_MAX 40000
/* Pages of one team's list asked for at once in a full sync, once page 1 told how many
 * there are (Chatwoot's pages are fixed at 25: one after another, 10,000 conversations
 * took 400 round trips). */
#define SYNC_PAGES_IN_FLIGHT 4
/* Older pages of messages fetched for one thread at the most. */
#define MESSAGE_PAGES_MAX 50
/* Rounds of a label change whose re-read shows it undone by a concurrent write. */
#define LABEL_ROUNDS 3
#define ARTICLE_SEARCH_MAX 20

/* One team's members, kept until the agents are in. */
struct membership {
	int64_t team, *agents;
	size_t n_agents;
};

struct backend {
	struct loop *loop;
	struct http *http;
	struct backend_listener l;
	char *url;    /* the installation's base URL */
	char *prefix; /* /api/v1/accounts/ID */
	int64_t account_id;
	struct directory dir;
	struct directory_entry owner; /* the token's user, from /profile */
	char *admin;
	bool admin_from_env;
	size_t cap_tags;
	int start_pending;
	char start_error[ERR_MAX];
	struct membership *members;
	size_t n_members;
	fl_time skew; /* the server's clock minus ours, from the last Date header */
	/* The sync in flight: the team asked (n_teams: the agent's own), and its page. */
	bool full;
	fl_time after;
	int64_t *teams;
	size_t n_teams;
	int64_t assignee;
	size_t step;
	long page;		/* the next page to ask for */
	long last_page;		/* the team's last page, from page 1's count; 0: not known */
	int pages_in_flight;	/* of a full sync, at most SYNC_PAGES_IN_FLIGHT */
	bool step_ended;	/* the team's list ended: ask for no more of its pages */
	unsigned sync_gen;	/* answers of an earlier sync, or of one that failed, are dropped */
	int64_t first_of_page; /* page 1's first id, to tell a server that ignores page */
	struct call *calls;
};

enum call_kind { CALL_PLAIN, CALL_TAG_ADD, CALL_TAG_REMOVE };

/* One request's context. */
struct call {
	struct backend *b;
	void *fn;
	void *arg;
	int64_t id;
	long page;
	int kind;
	/* a thread being fetched */
	struct thread *thread;
	/* a label change */
	char *label;
	char **wrote;
	size_t n_wrote;
	int rounds;
	unsigned sync_gen; /* a sync page: the sync it is of (backend's sync_gen then) */
	/* the help center */
	struct articles *index;
	char **slugs;
	size_t n_slugs, slug;
	struct article *found;
	size_t n_found;
	char *query;
	struct call *prev, *next;
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
	size_t i;

	if (c->prev)
		c->prev->next = c->next;
	else
		c->b->calls = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (c->thread) {
		thread_release(c->thread);
		free(c->thread);
	}
	free(c->label);
	chatwoot_names_free(c->wrote, c->n_wrote);
	chatwoot_names_free(c->slugs, c->n_slugs);
	for (i = 0; i < c->n_found; i++)
		article_release(&c->found[i]);
	free(c->found);
	free(c->query);
	free(c);
}

/* Says why a request failed, in words an agent can act on; "" when it succeeded. */
static void describe_failure(const struct backend *b, const struct http_response *r, char *err,
			     size_t errlen)
{
	char said[256];

	err[0] = '\0';
	if (driver_no_answer(r, err, errlen))
		return;
	if (r->status >= 200 && r->status < 300)
		return;
	chatwoot_error_text(r->body, r->len, said, sizeof(said));
	if (r->status == 401)
		snprintf(err, errlen,
			 "Chatwoot refused the token (401%s%s): use the access token of the agent's "
			 "profile settings, for the installation at %s",
			 said[0] ? ": " : "", said, b->url);
	else if (r->status == 404 && r->path && !strstr(r->path, "/conversations/"))
		snprintf(err, errlen,
			 "Chatwoot has no %s (404%s%s): check url and account_id under [backend]",
			 r->path, said[0] ? ": " : "", said);
	else if (r->status == 403)
		snprintf(err, errlen,
			 "Chatwoot refused %s %s (403%s%s): the agent's role may not do this",
			 r->method ? r->method : "", r->path ? r->path : "", said[0] ? ": " : "", said);
	else
		snprintf(err, errlen, "Chatwoot answered %ld%s%s", r->status, said[0] ? ": " : "",
			 said);
}

/* Parses a successful JSON answer; NULL with a message in err otherwise. */
static json_t *answer_json(struct backend *b, const struct http_response *r, char *err,
			   size_t errlen)
{
	json_error_t jerr;
	json_t *j;

	if (r->server_date) {
		b->skew = r->server_date - time(NULL);
		if (b->l.server_time)
			b->l.server_time(b->l.arg, r->server_date, time(NULL));
	}
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

/* GET or send (body consumed) the account's path tail. */
static void request(struct backend *b, const char *method, const char *tail, json_t *body,
		    bool retry, http_done_fn done, void *arg)
{
	char *path = xasprintf("%s%s", b->prefix, tail);
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;

	json_decref(body);
	http_request(b->http, method, path, text, retry, done, arg);
	free(text);
	free(path);
}

static int64_t label_id(void *arg, const char *title)
{
	const struct backend *b = arg;
	size_t i;

	for (i = 0; i < b->dir.n_tags; i++)
		if (!strcasecmp(b->dir.tags[i].name, title))
			return b->dir.tags[i].id;
	return 0;
}

/* ---- start-up: profile, teams (and their members), agents, labels ---- */

static void apply_members(struct backend *b)
{
	size_t m, k, a;

	for (m = 0; m < b->n_members; m++) {
		for (k = 0; k < b->members[m].n_agents; k++) {
			for (a = 0; a < b->dir.n_admins; a++) {
				struct directory_entry *e = &b->dir.admins[a];

				if (e->id != b->members[m].agents[k])
					continue;
				e->team_ids = realloc(e->team_ids, (e->n_team_ids + 1) * sizeof(int64_t));
				if (!e->team_ids)
					die("out of memory");
				e->team_ids[e->n_team_ids++] = b->members[m].team;
			}
		}
		free(b->members[m].agents);
	}
	free(b->members);
	b->members = NULL;
	b->n_members = 0;
}

static void start_step_done(struct backend *b, const char *error)
{
	if (error && error[0] && !b->start_error[0])
		snprintf(b->start_error, sizeof(b->start_error), "%s", error);
	if (--b->start_pending > 0)
		return;
	apply_members(b);
	if (!b->start_error[0])
		(void)directory_token_agent(&b->dir, &b->owner, b->admin, b->admin_from_env,
					    b->start_error, sizeof(b->start_error));
	if (b->start_error[0])
		b->l.failed(b->l.arg, b->start_error);
	else
		b->l.ready(b->l.arg, &b->dir);
}

static void on_profile(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct backend *b = c->b;
	struct directory_entry me;
	char err[ERR_MAX];
	json_t *j = answer_json(b, r, err, sizeof(err));

	if (j && chatwoot_parse_profile(j, b->account_id, &me, err, sizeof(err)) == 0) {
		directory_entry_release(&b->owner);
		b->owner = me;
		err[0] = '\0';
	}
	json_decref(j);
	call_free(c);
	start_step_done(b, err);
}

static void on_members(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct backend *b = c->b;
	struct membership m = {.team = c->id};
	char err[ERR_MAX];
	json_t *j = answer_json(b, r, err, sizeof(err));

	if (j && chatwoot_parse_member_ids(j, &m.agents, &m.n_agents, err, sizeof(err)) == 0) {
		b->members = realloc(b->members, (b->n_members + 1) * sizeof(*b->members));
		if (!b->members)
			die("out of memory");
		b->members[b->n_members++] = m;
		err[0] = '\0';
	}
	json_decref(j);
	call_free(c);
	/* a team whose members cannot be read still works: the team view lacks them */
	start_step_done(b, NULL);
}

enum list_kind { LIST_TEAMS, LIST_AGENTS, LIST_LABELS };

static void on_list(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct backend *b = c->b;
	struct directory_entry *list = NULL, **dst;
	size_t n = 0, i, *count;
	char err[ERR_MAX];
	json_t *j = answer_json(b, r, err, sizeof(err));
	int rc = -1;

	if (j)
		rc = c->kind == LIST_TEAMS    ? chatwoot_parse_teams(j, &list, &n, err, sizeof(err))
		     : c->kind == LIST_AGENTS ? chatwoot_parse_agents(j, &list, &n, err, sizeof(err))
					      : chatwoot_parse_labels(j, &list, &n, err, sizeof(err));
	json_decref(j);
	if (rc == 0) {
		dst = c->kind == LIST_TEAMS ? &b->dir.teams
		      : c->kind == LIST_AGENTS ? &b->dir.admins
					       : &b->dir.tags;
		count = c->kind == LIST_TEAMS ? &b->dir.n_teams
			: c->kind == LIST_AGENTS ? &b->dir.n_admins
						 : &b->dir.n_tags;
		for (i = 0; i < *count; i++)
			directory_entry_release(&(*dst)[i]);
		free(*dst);
		*dst = list;
		*count = n;
		if (c->kind == LIST_LABELS)
			b->cap_tags = n + 1;
		err[0] = '\0';
		for (i = 0; c->kind == LIST_TEAMS && i < n; i++) {
			struct call *m = call_new(b, NULL, NULL);
			char tail[64];

			m->id = list[i].id;
			snprintf(tail, sizeof(tail), "/teams/%" PRId64 "/team_members", list[i].id);
			b->start_pending++;
			request(b, "GET", tail, NULL, true, on_members, m);
		}
	}
	call_free(c);
	start_step_done(b, err);
}

static void chatwoot_start(struct backend *b)
{
	static const char *const tails[] = {"/teams", "/agents", "/labels"};
	int i;

	b->start_pending = 4;
	b->start_error[0] = '\0';
	http_request(b->http, "GET", "/api/v1/profile", NULL, true, on_profile,
		     call_new(b, NULL, NULL));
	for (i = 0; i < 3; i++) {
		struct call *c = call_new(b, NULL, NULL);

		c->kind = i;
		request(b, "GET", tails[i], NULL, true, on_list, c);
	}
}

/* ---- sync: per team, pages of 25 until a short one; incremental: updated_within ---- */

static void request_sync_page(struct backend *b);

/* Whether an incremental record concerns this client: its team or its agent is
 * tracked, or the store holds it (it may have left). */
static bool concerns(struct backend *b, const struct conversation *cv)
{
	size_t i;

	if (b->full || !b->l.held)
		return true;
	for (i = 0; i < b->n_teams; i++)
		if (cv->team_assignee_id == b->teams[i])
			return true;
	if (b->assignee && cv->admin_assignee_id == b->assignee)
		return true;
	return b->l.held(b->l.arg, cv->id) != NULL;
}

/* The next team of a full sync, then the agent's own; the sync ends after them. */
static void sync_next_step(struct backend *b)
{
	b->step++;
	b->page = 1;
	b->last_page = 0;
	b->step_ended = false;
	b->first_of_page = 0;
	if (b->full && (b->step < b->n_teams || (b->step == b->n_teams && b->assignee)))
		request_sync_page(b);
	else
		b->l.sync_done(b->l.arg, b->full, NULL);
}

/* Asks for the team's next pages: all that page 1's count says there are, a few at a time;
 * one at a time, until a short page, when the count is not known or was passed. */
static void sync_pump(struct backend *b)
{
	while (!b->step_ended && b->pages_in_flight < SYNC_PAGES_IN_FLIGHT &&
	       (b->last_page ? b->page <= b->last_page : b->pages_in_flight == 0)) {
		if (b->page > PAGES_MAX) {
			char err[ERR_MAX];

			snprintf(err, sizeof(err),
				 "Chatwoot's list of a team's open conversations went on past %d "
				 "pages of %d; frontline stopped there rather than show part of the "
				 "queue",
				 PAGES_MAX, CHATWOOT_PAGE_SIZE);
			b->sync_gen++;
			b->l.sync_done(b->l.arg, b->full, err);
			return;
		}
		request_sync_page(b);
	}
	if (!b->pages_in_flight)
		sync_next_step(b);
}

static void on_sync_page(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct backend *b = c->b;
	struct conversation *items = NULL;
	size_t n = 0, wire = 0, skipped = 0, i;
	char err[ERR_MAX];
	long page = c->page, total = -1;
	bool stale = c->sync_gen != b->sync_gen;
	json_t *j;

	call_free(c);
	if (stale)
		return;
	if (b->full)
		b->pages_in_flight--;
	j = answer_json(b, r, err, sizeof(err));
	if (!j || chatwoot_parse_conversation_list(j, label_id, b, &items, &n, &wire, &skipped, err,
						   sizeof(err)) < 0) {
		json_decref(j);
		b->sync_gen++; /* the pages still on their way are of a failed sync */
		b->l.sync_done(b->l.arg, b->full, err);
		return;
	}
	if (page == 1)
		total = chatwoot_list_count(j, b->step < b->n_teams ? "all_count" : "mine_count");
	json_decref(j);
	driver_skipped(&b->l, skipped, err);
	if (b->full && page == 1) {
		b->first_of_page = n ? items[0].id : 0;
		if (total >= 0)
			b->last_page = total ? (total + CHATWOOT_PAGE_SIZE - 1) / CHATWOOT_PAGE_SIZE : 1;
	} else if (b->full && n && items[0].id == b->first_of_page) {
		/* page 1 again: the server ignores page, and page 1 was all of it */
		n = 0;
		b->step_ended = true;
	}
	if (b->full && wire < CHATWOOT_PAGE_SIZE)
		b->step_ended = true; /* a short page is the last */
	else if (b->full && page == b->last_page)
		b->last_page = 0; /* more than the count said (new ones): on, one at a time */
	for (i = 0; i < n; i++)
		if (concerns(b, &items[i]))
			b->l.conversation(b->l.arg, &items[i]);
	for (i = 0; i < wire && items; i++)
		conversation_release(&items[i]);
	free(items);
	if (!b->full)
		b->l.sync_done(b->l.arg, b->full, NULL);
	else
		sync_pump(b);
}

static void request_sync_page(struct backend *b)
{
	char tail[160];
	struct call *c;

	if (!b->full) {
		/* updated_within answers every change at once, whatever page says: status=all
		 * brings the resolved and the moved, so they leave the queues */
		fl_time now = time(NULL) + b->skew;
		long long within = now - b->after + 1;

		snprintf(tail, sizeof(tail),
			 "/conversations?status=all&assignee_type=all&updated_within=%lld",
			 within < 1 ? 1LL : within);
	} else if (b->step < b->n_teams) {
		snprintf(tail, sizeof(tail),
			 "/conversations?status=open&assignee_type=all&team_id=%" PRId64 "&page=%ld",
			 b->teams[b->step], b->page);
	} else {
		snprintf(tail, sizeof(tail), "/conversations?status=open&assignee_type=me&page=%ld",
			 b->page);
	}
	c = call_new(b, NULL, NULL);
	c->page = b->page;
	c->sync_gen = b->sync_gen;
	if (b->full) {
		b->pages_in_flight++;
		b->page++;
	}
	request(b, "GET", tail, NULL, true, on_sync_page, c);
}

static void chatwoot_sync(struct backend *b, bool full, fl_time updated_after, const int64_t *teams,
			  size_t n_teams, int64_t assignee)
{
	b->assignee = assignee;
	b->full = full || updated_after <= 0;
	b->after = updated_after;
	free(b->teams);
	b->teams = xcalloc(n_teams + 1, sizeof(*teams));
	if (n_teams)
		memcpy(b->teams, teams, n_teams * sizeof(*teams));
	b->n_teams = n_teams;
	b->step = 0;
	b->page = 1;
	b->last_page = 0;
	b->pages_in_flight = 0;
	b->step_ended = false;
	b->sync_gen++;
	b->first_of_page = 0;
	if (n_teams == 0 && !assignee) {
		b->l.sync_done(b->l.arg, full,
			       "no team of the configured queues exists in the account, and no "
			       "queue without teams has filter = assignee:me");
		return;
	}
	request_sync_page(b);
}

/* ---- one conversation with its messages ---- */

static void thread_done(struct call *c, const struct http_response *r, const char *err)
{
	backend_thread_fn fn = (backend_thread_fn)c->fn;
	struct result res = driver_outcome(r, err);

	fn(c->arg, err[0] ? NULL : c->thread, &res);
	call_free(c);
}

static void request_messages(struct call *c, int64_t before);

static void on_messages(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct thread *t = c->thread;
	struct thread_part *parts = NULL, *all;
	size_t n = 0;
	int64_t oldest = 0;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	if (j && chatwoot_parse_messages(j, &c->b->dir, &parts, &n, &oldest, err, sizeof(err)) == 0) {
		err[0] = '\0';
		/* this page is older than what we hold: it goes first */
		all = xcalloc(n + t->n_parts + 1, sizeof(*all));
		memcpy(all, parts, n * sizeof(*parts));
		if (t->n_parts)
			memcpy(all + n, t->parts, t->n_parts * sizeof(*all));
		free(t->parts);
		free(parts);
		t->parts = all;
		t->n_parts += n;
	}
	json_decref(j);
	if (!err[0] && n >= CHATWOOT_MESSAGES_PAGE && oldest > 0 && ++c->page < MESSAGE_PAGES_MAX) {
		request_messages(c, oldest);
		return;
	}
	thread_done(c, r, err);
}

static void request_messages(struct call *c, int64_t before)
{
	char tail[96];

	if (before)
		snprintf(tail, sizeof(tail), "/conversations/%" PRId64 "/messages?before=%" PRId64,
			 c->id, before);
	else
		snprintf(tail, sizeof(tail), "/conversations/%" PRId64 "/messages", c->id);
	request(c->b, "GET", tail, NULL, true, on_messages, c);
}

static void on_thread_conversation(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	if (j && chatwoot_parse_conversation(j, label_id, c->b, &c->thread->conv) < 0)
		snprintf(err, sizeof(err), "the backend sent a conversation without an id");
	json_decref(j);
	if (err[0]) {
		thread_done(c, r, err);
		return;
	}
	request_messages(c, 0);
}

static void chatwoot_fetch_thread(struct backend *b, int64_t id, backend_thread_fn fn, void *arg)
{
	struct call *c = call_new(b, (void *)fn, arg);
	char tail[64];

	c->id = id;
	c->thread = xcalloc(1, sizeof(*c->thread));
	snprintf(tail, sizeof(tail), "/conversations/%" PRId64, id);
	request(b, "GET", tail, NULL, true, on_thread_conversation, c);
}

/* ---- writes ---- */

static void on_write(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	backend_done_fn fn = (backend_done_fn)c->fn;
	struct result res;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	/* a 2xx is the confirmation, whatever its body says */
	if (r->curl_code == CURLE_OK && r->status >= 200 && r->status < 300)
		err[0] = '\0';
	json_decref(j);
	res = driver_outcome(r, err);
	fn(c->arg, &res);
	call_free(c);
}

/* Labels: GET, change, POST the whole set, GET again; a re-read that lost the change
 * (another agent's write crossed ours) is changed and written again. */
static void labels_read(struct call *c);

static void label_finish(struct call *c, const struct http_response *r, const char *err)
{
	backend_done_fn fn = (backend_done_fn)c->fn;
	struct result res = driver_outcome(r, err);

	fn(c->arg, &res);
	call_free(c);
}

static void on_labels_reread(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	char **names = NULL, err[ERR_MAX];
	size_t n = 0;
	json_t *j = answer_json(c->b, r, err, sizeof(err));
	bool done = false;

	if (j && chatwoot_parse_label_names(j, &names, &n, err, sizeof(err)) == 0) {
		err[0] = '\0';
		done = chatwoot_names_have(names, n, c->label) == (c->kind == CALL_TAG_ADD);
	}
	json_decref(j);
	chatwoot_names_free(names, n);
	if (err[0] || done) {
		label_finish(c, r, err);
		return;
	}
	if (++c->rounds >= LABEL_ROUNDS) {
		snprintf(err, sizeof(err),
			 "the labels kept changing under this change (another agent writing them): "
			 "try again");
		label_finish(c, r, err);
		return;
	}
	labels_read(c);
}

static void on_labels_written(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	char err[ERR_MAX], tail[64];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	json_decref(j);
	if (r->curl_code == CURLE_OK && r->status >= 200 && r->status < 300)
		err[0] = '\0';
	if (err[0]) {
		label_finish(c, r, err);
		return;
	}
	snprintf(tail, sizeof(tail), "/conversations/%" PRId64 "/labels", c->id);
	request(c->b, "GET", tail, NULL, true, on_labels_reread, c);
}

static void on_labels_read(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	char **names = NULL, err[ERR_MAX], tail[64];
	size_t n = 0;
	json_t *j = answer_json(c->b, r, err, sizeof(err)), *body;

	if (j && chatwoot_parse_label_names(j, &names, &n, err, sizeof(err)) == 0)
		err[0] = '\0';
	json_decref(j);
	if (err[0]) {
		label_finish(c, r, err);
		return;
	}
	chatwoot_names_free(c->wrote, c->n_wrote);
	c->wrote = chatwoot_names_change(names, n, c->label, c->kind == CALL_TAG_ADD, &c->n_wrote);
	chatwoot_names_free(names, n);
	body = chatwoot_labels_request(c->wrote, c->n_wrote);
	if (!body) {
		label_finish(c, r, "a label name is not valid UTF-8");
		return;
	}
	snprintf(tail, sizeof(tail), "/conversations/%" PRId64 "/labels", c->id);
	request(c->b, "POST", tail, body, false, on_labels_written, c);
}

static void labels_read(struct call *c)
{
	char tail[64];

	snprintf(tail, sizeof(tail), "/conversations/%" PRId64 "/labels", c->id);
	request(c->b, "GET", tail, NULL, true, on_labels_read, c);
}

static void chatwoot_write(struct backend *b, const struct write_op *w, backend_done_fn fn,
			   void *arg)
{
	const char *action = "toggle_status", *name;
	char tail[96];
	json_t *body = NULL;
	struct call *c;

	switch (w->kind) {
	case WRITE_REPLY:
	case WRITE_NOTE:
		action = "messages";
		body = chatwoot_message_request(w->body, w->kind == WRITE_NOTE);
		break;
	case WRITE_CLOSE: body = chatwoot_status_request("resolved", 0); break;
	case WRITE_OPEN: body = chatwoot_status_request("open", 0); break;
	case WRITE_SNOOZE: body = chatwoot_status_request("snoozed", w->until); break;
	case WRITE_ASSIGN_ME:
	case WRITE_ASSIGN_ADMIN:
	case WRITE_ASSIGN_TEAM:
	case WRITE_UNASSIGN:
		action = "assignments";
		body = chatwoot_assign_request(w->kind == WRITE_ASSIGN_TEAM,
					       w->kind == WRITE_ASSIGN_ME  ? b->dir.me
					       : w->kind == WRITE_UNASSIGN ? 0
									   : w->tag);
		if (w->kind != WRITE_UNASSIGN && w->kind != WRITE_ASSIGN_TEAM &&
		    (w->kind == WRITE_ASSIGN_ME ? b->dir.me : w->tag) <= 0) {
			json_decref(body);
			body = NULL;
		}
		break;
	case WRITE_PRIORITY:
		action = "toggle_priority";
		body = chatwoot_priority_request(w->body);
		break;
	case WRITE_READ:
		action = "update_last_seen";
		body = json_object();
		break;
	case WRITE_TAG:
	case WRITE_UNTAG:
		name = directory_name(b->dir.tags, b->dir.n_tags, w->tag);
		if (!name) {
			struct result res = driver_local_failure(
			    RESULT_PERMANENT, "no such label in the account: it may have been deleted");

			fn(arg, &res);
			return;
		}
		c = call_new(b, (void *)fn, arg);
		c->id = w->conversation;
		c->kind = w->kind == WRITE_TAG ? CALL_TAG_ADD : CALL_TAG_REMOVE;
		c->label = xstrdup(name);
		labels_read(c);
		return;
	}
	if (!body) {
		struct result res = driver_local_failure(
		    RESULT_PERMANENT, "nothing to send: the text is empty or not valid UTF-8, or the "
				      "assignee or time is missing");

		fn(arg, &res);
		return;
	}
	snprintf(tail, sizeof(tail), "/conversations/%" PRId64 "/%s", w->conversation, action);
	request(b, "POST", tail, body, false, on_write, call_new(b, (void *)fn, arg));
}

/* A label in list named name as Chatwoot stores it (downcased), or NULL. */
static struct directory_entry *label_named(struct directory_entry *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].name && !strcasecmp(list[i].name, name))
			return &list[i];
	return NULL;
}

/* The account's labels, read again after a creation was refused: the label is there when
 * another agent (or this process, for another row) made it first. The directory learns
 * it, as from a creation. */
static void on_label_lookup(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	backend_tag_fn fn = (backend_tag_fn)c->fn;
	struct directory *d = &c->b->dir;
	struct directory_entry *list = NULL, *found = NULL;
	struct result res;
	size_t n = 0, i;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));
	int64_t id = 0;

	if (j && chatwoot_parse_labels(j, &list, &n, err, sizeof(err)) == 0) {
		found = label_named(list, n, c->label);
		/* not there after all: the refusal stands */
		snprintf(err, sizeof(err), "%s", found ? "" : c->query);
		id = found ? found->id : 0;
		if (found && !directory_name(d->tags, d->n_tags, id)) {
			xgrow(&d->tags, &c->b->cap_tags, d->n_tags + 1, sizeof(*d->tags));
			d->tags[d->n_tags++] = *found;
			memset(found, 0, sizeof(*found));
		}
	}
	json_decref(j);
	for (i = 0; i < n; i++)
		directory_entry_release(&list[i]);
	free(list);
	res = driver_outcome(r, err);
	if (!found && res.cls == RESULT_OK)
		res = driver_local_failure(RESULT_PERMANENT, err);
	fn(c->arg, id, &res);
	call_free(c);
}

static void on_label_created(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	backend_tag_fn fn = (backend_tag_fn)c->fn;
	struct directory_entry *list = NULL;
	struct directory *d = &c->b->dir;
	struct result res;
	size_t n = 0, i;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err)), *wrap;
	int64_t id = 0;

	/* 422: the title is taken (or not valid); taken, the label is there to use */
	if (r->curl_code == CURLE_OK && r->status == 422) {
		json_decref(j);
		c->query = xstrdup(err);
		request(c->b, "GET", "/labels", NULL, true, on_label_lookup, c);
		return;
	}
	/* the answer is the label itself: read it as a list of one */
	wrap = j ? json_pack("[O]", j) : NULL;
	if (wrap && chatwoot_parse_labels(wrap, &list, &n, err, sizeof(err)) == 0) {
		if (n == 0) {
			snprintf(err, sizeof(err), "the backend sent a label without an id");
		} else {
			err[0] = '\0';
			id = list[0].id;
			if (!directory_name(d->tags, d->n_tags, id)) {
				xgrow(&d->tags, &c->b->cap_tags, d->n_tags + 1, sizeof(*d->tags));
				d->tags[d->n_tags++] = list[0];
				memset(&list[0], 0, sizeof(list[0]));
			}
		}
	}
	for (i = 0; i < n; i++)
		directory_entry_release(&list[i]);
	free(list);
	json_decref(wrap);
	json_decref(j);
	res = driver_outcome(r, err);
	fn(c->arg, err[0] ? 0 : id, &res);
	call_free(c);
}

static void chatwoot_create_tag(struct backend *b, const char *name, backend_tag_fn fn, void *arg)
{
	json_t *body = chatwoot_label_create_request(name);
	struct call *c;

	if (!body) {
		struct result res = driver_local_failure(RESULT_PERMANENT, "a label needs a name in UTF-8");

		fn(arg, 0, &res);
		return;
	}
	c = call_new(b, (void *)fn, arg);
	c->label = xstrdup(name);
	request(b, "POST", "/labels", body, false, on_label_created, c);
}

/* ---- help center: the portals, then each one's articles ---- */

static void articles_next(struct call *c);

static void articles_end(struct call *c, const struct http_response *r, const char *err,
			 bool local)
{
	struct result res = local ? driver_local_failure(RESULT_LOCAL, err) : driver_outcome(r, err);

	if (c->index) {
		backend_done_fn fn = (backend_done_fn)c->fn;

		if (err[0])
			articles_sync_abort(c->index);
		else if (articles_sync_end(c->index, time(NULL)) < 0)
			res = driver_local_failure(RESULT_LOCAL, "cannot write the article index");
		fn(c->arg, &res);
	} else {
		backend_articles_fn fn = (backend_articles_fn)c->fn;

		fn(c->arg, err[0] ? NULL : c->found, err[0] ? 0 : c->n_found, &res);
	}
	call_free(c);
}

static void on_articles(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	struct article *list = NULL;
	size_t n = 0, i;
	char err[ERR_MAX], *base;
	json_t *j = answer_json(c->b, r, err, sizeof(err));
	bool local = false;

	base = xasprintf("%s/hc/%s/articles", c->b->url, c->slugs[c->slug]);
	if (j && chatwoot_parse_articles(j, base, &list, &n, err, sizeof(err)) == 0) {
		err[0] = '\0';
		for (i = 0; i < n; i++) {
			if (c->index && !local && articles_put(c->index, &list[i]) < 0) {
				snprintf(err, sizeof(err), "cannot write the article index");
				local = true;
			}
			if (!c->index && c->n_found < ARTICLE_SEARCH_MAX) {
				c->found = realloc(c->found, (c->n_found + 1) * sizeof(*c->found));
				if (!c->found)
					die("out of memory");
				c->found[c->n_found++] = list[i];
				memset(&list[i], 0, sizeof(list[i]));
			}
			article_release(&list[i]);
		}
		free(list);
	}
	free(base);
	json_decref(j);
	if (err[0]) {
		articles_end(c, r, err, local);
		return;
	}
	/* the index takes every page; a search takes the first page of each portal */
	if (c->index && n > 0 && c->page < PAGES_MAX)
		c->page++;
	else {
		c->slug++;
		c->page = 1;
	}
	if (c->slug < c->n_slugs && (c->index || c->n_found < ARTICLE_SEARCH_MAX))
		articles_next(c);
	else
		articles_end(c, r, err, false);
}

static void articles_next(struct call *c)
{
	char *escaped = c->query ? curl_easy_escape(NULL, c->query, 0) : NULL, *slug, *tail;

	slug = curl_easy_escape(NULL, c->slugs[c->slug], 0);
	if (!slug || (c->query && !escaped))
		die("out of memory");
	tail = xasprintf("/portals/%s/articles?status=published&page=%ld%s%s", slug, c->page,
			 escaped ? "&query=" : "", escaped ? escaped : "");
	curl_free(slug);
	curl_free(escaped);
	request(c->b, "GET", tail, NULL, true, on_articles, c);
	free(tail);
}

static void on_portals(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	if (j && chatwoot_parse_portals(j, &c->slugs, &c->n_slugs, err, sizeof(err)) == 0)
		err[0] = '\0';
	json_decref(j);
	if (err[0] || c->n_slugs == 0) {
		articles_end(c, r, err, false);
		return;
	}
	c->slug = 0;
	c->page = 1;
	articles_next(c);
}

static void chatwoot_sync_articles(struct backend *b, struct articles *index, backend_done_fn fn,
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
	request(b, "GET", "/portals", NULL, true, on_portals, c);
}

static void chatwoot_search_articles(struct backend *b, const char *query, backend_articles_fn fn,
				     void *arg)
{
	struct call *c = call_new(b, (void *)fn, arg);

	c->query = xstrdup(query ? query : "");
	request(b, "GET", "/portals", NULL, true, on_portals, c);
}

/* ---- canned responses as saved replies ---- */

static void on_canned(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	backend_replies_fn fn = (backend_replies_fn)c->fn;
	struct saved_reply *list = NULL;
	struct result res;
	size_t n = 0, i;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	if (j && chatwoot_parse_canned(j, &list, &n, err, sizeof(err)) == 0)
		err[0] = '\0';
	json_decref(j);
	res = driver_outcome(r, err);
	fn(c->arg, err[0] ? NULL : list, err[0] ? 0 : n, &res);
	for (i = 0; i < n; i++)
		saved_reply_release(&list[i]);
	free(list);
	call_free(c);
}

static void chatwoot_fetch_macros(struct backend *b, backend_replies_fn fn, void *arg)
{
	request(b, "GET", "/canned_responses", NULL, true, on_canned, call_new(b, (void *)fn, arg));
}

/* ---- the inboxes' working hours as office hours schedules ---- */

static void on_inboxes(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	backend_schedules_fn fn = (backend_schedules_fn)c->fn;
	struct sla_schedule *items = NULL;
	struct result res;
	size_t n = 0;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	if (j && chatwoot_parse_inboxes(j, &items, &n, err, sizeof(err)) == 0)
		err[0] = '\0';
	json_decref(j);
	res = driver_outcome(r, err);
	fn(c->arg, err[0] ? NULL : items, err[0] ? 0 : n, &res);
	free(items);
	call_free(c);
}

static void chatwoot_fetch_schedules(struct backend *b, backend_schedules_fn fn, void *arg)
{
	request(b, "GET", "/inboxes", NULL, true, on_inboxes, call_new(b, (void *)fn, arg));
}

/* ---- the agent's search: ?q= searches the messages' text ---- */

static int newest_first(const void *a, const void *b)
{
	const struct conversation *x = a, *y = b;

	if (x->updated_at != y->updated_at)
		return x->updated_at > y->updated_at ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;
}

static void on_conversation_search(void *arg, const struct http_response *r)
{
	struct call *c = arg;
	backend_conversations_fn fn = (backend_conversations_fn)c->fn;
	struct conversation *items = NULL;
	struct result res;
	size_t n = 0, i, keep;
	char err[ERR_MAX];
	json_t *j = answer_json(c->b, r, err, sizeof(err));

	if (j && c->id) {
		/* one conversation by its id */
		items = xcalloc(1, sizeof(*items));
		if (chatwoot_parse_conversation(j, label_id, c->b, &items[0]) == 0)
			n = 1;
		err[0] = '\0';
	} else if (j && chatwoot_parse_conversation_list(j, label_id, c->b, &items, &n, NULL, NULL,
							 err, sizeof(err)) == 0) {
		err[0] = '\0';
	}
	json_decref(j);
	if (r->status == 404 && c->id && !r->curl_code)
		err[0] = '\0'; /* no such conversation: nothing found */
	if (n > 1)
		qsort(items, n, sizeof(*items), newest_first);
	keep = n < (size_t)c->page ? n : (size_t)c->page;
	res = driver_outcome(r, err);
	fn(c->arg, err[0] ? NULL : items, err[0] ? 0 : keep, n, &res);
	for (i = 0; i < n; i++)
		conversation_release(&items[i]);
	free(items);
	call_free(c);
}

static void chatwoot_search_conversations(struct backend *b, const struct convsearch *q,
					  size_t max, backend_conversations_fn fn, void *arg)
{
	static const char *const states[] = {"open", "snoozed", "resolved"};
	struct call *c;
	char *escaped, *tail;
	long long id;

	if (q->email[0]) {
		struct result res = driver_local_failure(
		    RESULT_PERMANENT, "Chatwoot cannot search conversations by the customer's "
				      "email: search for words of the messages instead");

		fn(arg, NULL, 0, 0, &res);
		return;
	}
	c = call_new(b, (void *)fn, arg);
	c->page = (long)(max < 1 ? 1 : max);
	if (q->id[0] && util_parse_ll(q->id, 1, INT64_MAX, &id) == 0) {
		c->id = id;
		tail = xasprintf("/conversations/%lld", id);
	} else {
		escaped = curl_easy_escape(NULL, q->text, 0);
		if (!escaped)
			die("out of memory");
		tail = xasprintf("/conversations?assignee_type=all&status=%s%s%s",
				 q->has_state ? states[q->state] : "all", q->text[0] ? "&q=" : "",
				 escaped);
		curl_free(escaped);
	}
	request(b, "GET", tail, NULL, true, on_conversation_search, c);
	free(tail);
}

/* ---- lifecycle ---- */

static struct backend *chatwoot_create(struct loop *loop, const struct backend_options *opt,
				       const struct backend_listener *listener, char *err,
				       size_t errlen)
{
	struct http_options hopt = {
		.base_url = opt->url,
		.token = opt->token,
		.token_header = "api_access_token",
		.total_timeout_ms = opt->timeout_ms,
		.max_response = opt->max_response,
	};
	struct backend *b;

	if (opt->account_id <= 0) {
		snprintf(err, errlen,
			 "the chatwoot backend needs account_id under [backend]: the number after "
			 "/accounts/ in the Chatwoot address");
		return NULL;
	}
	if (!opt->url || strstr(opt->url, "intercom.io")) {
		snprintf(err, errlen,
			 "the chatwoot backend needs url under [backend]: the installation's "
			 "address, e.g. https://app.chatwoot.com");
		return NULL;
	}
	b = xcalloc(1, sizeof(*b));
	b->loop = loop;
	b->l = *listener;
	b->url = xstrdup(opt->url);
	/* the base URL without a trailing slash: paths start with one */
	while (b->url[0] && b->url[strlen(b->url) - 1] == '/')
		b->url[strlen(b->url) - 1] = '\0';
	b->account_id = opt->account_id;
	b->prefix = xasprintf("/api/v1/accounts/%" PRId64, opt->account_id);
	b->http = http_new(loop, &hopt, err, errlen);
	if (!b->http) {
		free(b->prefix);
		free(b->url);
		free(b);
		return NULL;
	}
	b->admin = opt->admin ? xstrdup(opt->admin) : NULL;
	b->admin_from_env = opt->admin_from_env;
	return b;
}

static void chatwoot_destroy(struct backend *b)
{
	if (!b)
		return;
	http_free(b->http);
	while (b->calls)
		call_free(b->calls);
	apply_members(b);
	directory_release(&b->dir);
	directory_entry_release(&b->owner);
	free(b->admin);
	free(b->teams);
	free(b->prefix);
	free(b->url);
	free(b);
}

static size_t chatwoot_pending(struct backend *b)
{
	return http_pending(b->http);
}

static uint64_t chatwoot_bytes(struct backend *b)
{
	return http_bytes_received(b->http);
}

/* What Chatwoot cannot do is left NULL: contacts as the customer panel shows them, a
 * report of conversations with statistics, and teams' live metrics; the engine tells
 * the screen so in words (engine.c). */
const struct backend_ops chatwoot_backend = {
	.name = "chatwoot",
	.create = chatwoot_create,
	.destroy = chatwoot_destroy,
	.start = chatwoot_start,
	.sync = chatwoot_sync,
	.fetch_thread = chatwoot_fetch_thread,
	.write = chatwoot_write,
	.create_tag = chatwoot_create_tag,
	.sync_articles = chatwoot_sync_articles,
	.search_articles = chatwoot_search_articles,
	.fetch_schedules = chatwoot_fetch_schedules,
	.fetch_macros = chatwoot_fetch_macros,
	.pending = chatwoot_pending,
	.bytes_received = chatwoot_bytes,
	.search_conversations = chatwoot_search_conversations,
};
