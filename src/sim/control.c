/* control.c: the /_sim/ endpoints tests use to set the stage (conversations with chosen
 * times and text, customers writing) and to switch faults on and off. Off unless
 * frontline-sim runs with --control. */
#include "build-config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "index.h"
#include "office-hours.h"
#include "render.h"
#include "sim.h"
#include "sla.h"
#include "wdb.h"

/* Most messages one customer_reply call writes. */
#define CUSTOMER_MESSAGES_MAX 10000

/* An optional time member: *out keeps def when absent; false when present but invalid. */
static bool optional_time(json_t *body, const char *key, time_t def, time_t *out)
{
	json_t *v = json_object_get(body, key);

	*out = def;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return false;
	*out = (time_t)json_integer_value(v);
	return true;
}

static bool optional_string(json_t *body, const char *key, const char **out)
{
	json_t *v = json_object_get(body, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	*out = json_string_value(v);
	return *out != NULL;
}

static int team_of(struct sim *s, json_t *v)
{
	const char *name = json_string_value(v);
	long long id;

	if (!v || (name && !strcmp(name, "standard")))
		return WORLD_TEAM_STANDARD;
	if (name && !strcmp(name, "realtime"))
		return WORLD_TEAM_REALTIME;
	return api_json_id(v, &id) ? world_team_index(&s->world, id) : -1;
}

void control_create_conversation(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	struct world_new_conversation c = {0};
	json_t *body = rq->body;
	long long id, admin = 0;
	bool db_error;
	json_t *conv;

	if (!json_is_object(body)) {
		api_error(rp, 400, "parameter_invalid", "the request body must be a JSON object");
		return;
	}
	c.team = team_of(s, json_object_get(body, "team"));
	c.body = json_string_value(json_object_get(body, "body"));
	if (c.team < 0 || !c.body) {
		api_error(rp, 400, "parameter_invalid",
			  "team must be realtime, standard or a team id, and body a string");
		return;
	}
	if (!optional_time(body, "created_at", rq->now, &c.created_at) ||
	    !optional_time(body, "waiting_since", 0, &c.waiting_since) ||
	    !optional_time(body, "snoozed_until", 0, &c.snoozed_until) ||
	    !optional_string(body, "title", &c.title) ||
	    !optional_string(body, "contact_name", &c.contact_name) ||
	    !optional_string(body, "priority", &c.priority) ||
	    !optional_string(body, "state", &c.state) ||
	    !optional_string(body, "sla_name", &c.sla_name) ||
	    !optional_time(body, "sla_target", 0, &c.sla_target)) {
		api_error(rp, 400, "parameter_invalid", "a member has the wrong type");
		return;
	}
	if (c.state && strcmp(c.state, "open") && strcmp(c.state, "closed") &&
	    strcmp(c.state, "snoozed")) {
		api_error(rp, 400, "parameter_invalid", "state must be open, closed or snoozed");
		return;
	}
	if (c.state && !strcmp(c.state, "snoozed") && c.snoozed_until == 0) {
		api_error(rp, 400, "parameter_invalid", "a snoozed conversation needs snoozed_until");
		return;
	}
	if (json_object_get(body, "contact_id") &&
	    (!api_json_id(json_object_get(body, "contact_id"), &c.contact_id) ||
	     world_contact_exists(&s->world, c.contact_id) != 1)) {
		api_error(rp, 400, "parameter_invalid", "contact_id is not a contact");
		return;
	}
	if (json_object_get(body, "admin_assignee_id") &&
	    (!api_json_id(json_object_get(body, "admin_assignee_id"), &admin) ||
	     (admin != 0 && world_admin_exists(&s->world, admin) != 1))) {
		api_error(rp, 400, "parameter_invalid", "admin_assignee_id is not a teammate");
		return;
	}
	c.admin_assignee_id = admin;
	if (world_create_conversation(&s->world, &c, &id) < 0) {
		api_error(rp, 500, "server_error", "the sim's database failed");
		return;
	}
	conv = render_conversation(&s->world, id, true, false, &db_error);
	rp->status = conv ? 200 : 500;
	rp->body = conv ? conv : render_error("server_error", "the sim's database failed");
}

void control_customer_reply(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = rq->body;
	const char *text = json_string_value(json_object_get(body, "body"));
	json_t *count = json_object_get(body, "count"), *conv;
	time_t at;
	int rc;

	if (!text || !optional_time(body, "created_at", rq->now, &at)) {
		api_error(rp, 400, "parameter_invalid", "body is required; created_at is a unix time");
		return;
	}
	if (count && (!json_is_integer(count) || json_integer_value(count) < 1 ||
		      json_integer_value(count) > CUSTOMER_MESSAGES_MAX)) {
		api_error(rp, 400, "parameter_invalid", "count must be 1 to %d", CUSTOMER_MESSAGES_MAX);
		return;
	}
	rc = world_conversation_exists(&s->world, rq->ids[0]);
	if (rc != 1) {
		api_error(rp, rc < 0 ? 500 : 404, rc < 0 ? "server_error" : "not_found",
			  "Conversation %lld not found", rq->ids[0]);
		return;
	}
	if ((count ? world_customer_messages(&s->world, rq->ids[0], text,
					     (long)json_integer_value(count), at)
		   : world_customer_message(&s->world, rq->ids[0], text, false, at)) < 0) {
		api_error(rp, 500, "server_error", "the sim's database failed");
		return;
	}
	conv = render_conversation(&s->world, rq->ids[0], true, false, NULL);
	rp->status = conv ? 200 : 500;
	rp->body = conv ? conv : render_error("server_error", "the sim's database failed");
}

/* The teammate a control call acts as: admin_id must name one (the bot too). */
static bool control_admin(struct sim *s, json_t *body, const char *key, bool zero_ok,
			  long long *admin, struct api_reply *rp)
{
	int rc;

	if (!api_json_id(json_object_get(body, key), admin)) {
		api_error(rp, 400, "parameter_invalid", "%s is required (a teammate's id)", key);
		return false;
	}
	rc = zero_ok && *admin == 0 ? 1 : world_admin_exists(&s->world, *admin);
	if (rc != 1)
		api_error(rp, rc < 0 ? 500 : 400, rc < 0 ? "server_error" : "parameter_invalid",
			  "%s %lld is not a teammate", key, *admin);
	return rc == 1;
}

static bool control_conversation(struct sim *s, long long id, struct api_reply *rp)
{
	int rc = world_conversation_exists(&s->world, id);

	if (rc != 1)
		api_error(rp, rc < 0 ? 500 : 404, rc < 0 ? "server_error" : "not_found",
			  "Conversation %lld not found", id);
	return rc == 1;
}

static void control_answer(struct sim *s, long long id, int rc, struct api_reply *rp)
{
	json_t *conv = rc < 0 ? NULL : render_conversation(&s->world, id, true, false, NULL);

	rp->status = conv ? 200 : 500;
	rp->body = conv ? conv : render_error("server_error", "the sim's database failed");
}

/* POST /_sim/conversations/{id}/admin_reply {admin_id, body, type: comment|note,
 * created_at?}: a teammate replies or writes a note, recorded as Intercom records an
 * admin's part (author, updated_at, statistics; a reply ends waiting_since). */
void control_admin_reply(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = rq->body;
	const char *text = json_string_value(json_object_get(body, "body"));
	const char *type = NULL;
	long long admin;
	time_t at;

	if (!json_is_object(body) || !text || !*text || !optional_string(body, "type", &type) ||
	    (type && strcmp(type, "comment") && strcmp(type, "note")) ||
	    !optional_time(body, "created_at", rq->now, &at)) {
		api_error(rp, 400, "parameter_invalid",
			  "body is required; type is comment or note; created_at is a unix time");
		return;
	}
	if (!control_admin(s, body, "admin_id", false, &admin, rp) ||
	    !control_conversation(s, rq->ids[0], rp))
		return;
	control_answer(s, rq->ids[0],
		       world_admin_reply(&s->world, rq->ids[0], admin, type && !strcmp(type, "note"),
					 text, false, at),
		       rp);
}

/* POST /_sim/conversations/{id}/assign {admin_id, assignee_id}: a teammate takes the
 * conversation (assignee_id their own id), gives it to another or unassigns it ("0"). */
void control_assign(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = rq->body;
	long long admin, assignee;

	if (!json_is_object(body)) {
		api_error(rp, 400, "parameter_invalid", "the request body must be a JSON object");
		return;
	}
	if (!control_admin(s, body, "admin_id", false, &admin, rp) ||
	    !control_admin(s, body, "assignee_id", true, &assignee, rp) ||
	    !control_conversation(s, rq->ids[0], rp))
		return;
	control_answer(s, rq->ids[0],
		       world_assign(&s->world, rq->ids[0], admin, false, assignee, rq->now), rp);
}

/* DELETE /_sim/conversations/{id}: the conversation is deleted in the workspace (its
 * parts and tags with it); afterwards every request about it is answered 404, as
 * Intercom answers for a conversation that is gone. Answers {"id", "deleted": true}. */
void control_delete_conversation(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	char id[24];

	if (!control_conversation(s, rq->ids[0], rp))
		return;
	if (world_delete_conversation(&s->world, rq->ids[0]) < 0 ||
	    index_forget(&s->world, rq->ids[0]) < 0) {
		rp->status = 500;
		rp->body = render_error("server_error", "the sim's database failed");
		return;
	}
	snprintf(id, sizeof(id), "%lld", rq->ids[0]);
	rp->status = 200;
	rp->body = json_pack("{s:s, s:b}", "id", id, "deleted", 1);
}

/* POST /_sim/articles {title, body, description?}: a published article, searchable at
 * once; answers {"id"}. */
void control_create_article(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = rq->body;
	const char *title = json_string_value(json_object_get(body, "title"));
	const char *text = json_string_value(json_object_get(body, "body"));
	const char *description = NULL;
	sqlite3_stmt *st;
	long long id;

	if (!title || !text || !optional_string(body, "description", &description)) {
		api_error(rp, 400, "parameter_invalid", "title and body are required strings");
		return;
	}
	st = wdb_query(&s->world, "SELECT coalesce(max(id), 3000) + 1, (SELECT min(id) FROM admins)"
				  " FROM articles", "");
	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		api_error(rp, 500, "server_error", "the sim's database failed");
		return;
	}
	id = sqlite3_column_int64(st, 0);
	if (wdb_exec(&s->world, "INSERT INTO articles(id, title, description, body, author_id,"
				" created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?)",
		     "itttiii", id, title, description ? description : "", text,
		     (long long)sqlite3_column_int64(st, 1), (long long)rq->now, (long long)rq->now) < 0 ||
	    wdb_exec(&s->world, "INSERT INTO articles_fts(articles_fts) VALUES('rebuild')", "") < 0) {
		api_error(rp, 500, "server_error", "the sim's database failed");
		return;
	}
	rp->status = 200;
	rp->body = json_pack("{s:s, s:I}", "type", "article", "id", (json_int_t)id);
}

static json_t *faults_json(const struct sim_faults *f)
{
	json_t *keys = json_array();

	for (const char *k = f->wrong_types_keys; *k; k += strlen(k) + 1)
		json_array_append_new(keys, json_string(k));
	return json_pack("{s:I, s:f, s:f, s:f, s:f, s:f, s:o, s:I, s:s}", "latency_ms",
			 (json_int_t)f->latency_ms, "error_rate", f->error_rate, "drop_rate",
			 f->drop_rate, "truncate_rate", f->truncate_rate, "malformed_rate",
			 f->malformed_rate, "wrong_types_rate", f->wrong_types_rate,
			 "wrong_types_keys", keys, "index_lag", (json_int_t)f->index_lag,
			 "error_path", f->error_path);
}

/* wrong_types_keys: an array of member names into f's "\0"-separated list; false when it
 * is not an array of non-empty strings or does not fit. Absent leaves f as it is. */
static bool keys_member(json_t *body, struct sim_faults *f)
{
	json_t *v = json_object_get(body, "wrong_types_keys"), *key;
	char keys[sizeof(f->wrong_types_keys)] = "";
	size_t i, used = 0, n;

	if (!v)
		return true;
	if (!json_is_array(v))
		return false;
	json_array_foreach(v, i, key) {
		n = json_string_length(key);
		if (!json_is_string(key) || !n || memchr(json_string_value(key), '\0', n) ||
		    used + n + 2 > sizeof(keys))
			return false;
		memcpy(keys + used, json_string_value(key), n + 1);
		used += n + 1;
	}
	keys[used] = '\0';
	memcpy(f->wrong_types_keys, keys, sizeof(keys));
	return true;
}

void control_get_faults(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	(void)rq;
	rp->status = 200;
	rp->body = faults_json(&s->faults);
}

static bool rate_member(json_t *body, const char *key, double *out)
{
	json_t *v = json_object_get(body, key);

	if (!v)
		return true;
	if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1)
		return false;
	*out = json_number_value(v);
	return true;
}

void control_set_faults(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	struct sim_faults f = s->faults;
	json_t *body = rq->body, *latency, *lag;

	if (!json_is_object(body)) {
		api_error(rp, 400, "parameter_invalid", "the request body must be a JSON object");
		return;
	}
	latency = json_object_get(body, "latency_ms");
	if (latency && (!json_is_integer(latency) || json_integer_value(latency) < 0 ||
			json_integer_value(latency) > 600000)) {
		api_error(rp, 400, "parameter_invalid", "latency_ms must be 0 to 600000");
		return;
	}
	if (latency)
		f.latency_ms = (long)json_integer_value(latency);
	lag = json_object_get(body, "index_lag");
	if (lag && (!json_is_integer(lag) || json_integer_value(lag) < 0 ||
		    json_integer_value(lag) > SIM_MAX_INDEX_LAG)) {
		api_error(rp, 400, "parameter_invalid", "index_lag must be 0 to %d seconds",
			  SIM_MAX_INDEX_LAG);
		return;
	}
	if (lag)
		f.index_lag = (long)json_integer_value(lag);
	if (!rate_member(body, "error_rate", &f.error_rate) ||
	    !rate_member(body, "drop_rate", &f.drop_rate) ||
	    !rate_member(body, "truncate_rate", &f.truncate_rate) ||
	    !rate_member(body, "malformed_rate", &f.malformed_rate) ||
	    !rate_member(body, "wrong_types_rate", &f.wrong_types_rate)) {
		api_error(rp, 400, "parameter_invalid", "rates are numbers from 0 to 1");
		return;
	}
	if (!keys_member(body, &f)) {
		api_error(rp, 400, "parameter_invalid",
			  "wrong_types_keys is an array of member names (\"state\", or "
			  "\"conversations[]\" for the elements of an array)");
		return;
	}
	if (json_object_get(body, "error_path")) {
		const char *path = json_string_value(json_object_get(body, "error_path"));

		if (!path || (*path && *path != '/') || strlen(path) >= sizeof(f.error_path)) {
			api_error(rp, 400, "parameter_invalid",
				  "error_path is a path (\"/contacts/\") or \"\" for every path");
			return;
		}
		snprintf(f.error_path, sizeof(f.error_path), "%s", path);
	}
	if (index_set_lag(&s->world, s->faults.index_lag, f.index_lag) < 0) {
		api_error(rp, 500, "server_error", "the sim's search index failed");
		return;
	}
	s->faults = f;
	rp->status = 200;
	rp->body = faults_json(&s->faults);
}

void control_stats(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	sqlite3_stmt *st = wdb_query(&s->world,
				     "SELECT (SELECT count(*) FROM conversations),"
				     " (SELECT count(*) FROM conversations WHERE state <> 'closed'),"
				     " (SELECT count(*) FROM articles)",
				     "");

	(void)rq;
	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		api_error(rp, 500, "server_error", "the sim's database failed");
		return;
	}
	rp->status = 200;
	rp->body = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			     "rate_limited", (json_int_t)s->rate_limited, "searches_in_flight_max",
			     (json_int_t)s->searches_in_flight_max, "requests",
			     (json_int_t)s->requests, "unauthorized", (json_int_t)s->unauthorized,
			     "searches", (json_int_t)s->searches, "search_queries",
			     (json_int_t)s->search_queries, "search_results",
			     (json_int_t)s->search_results, "bytes_sent",
			     (json_int_t)s->bytes_sent, "conversations",
			     (json_int_t)sqlite3_column_int64(st, 0), "open",
			     (json_int_t)sqlite3_column_int64(st, 1), "articles",
			     (json_int_t)sqlite3_column_int64(st, 2));
}

/* A unix time query argument; def when absent; false when not a number. */
static bool query_time(struct api_request *rq, const char *name, long long def, long long *out)
{
	const char *v = rq->query(rq->query_ctx, name);
	char *end;

	*out = def;
	if (!v)
		return true;
	*out = strtoll(v, &end, 10);
	return *v && !*end && *out >= 0;
}

/* GET /_sim/reply_times?since=&until=: the ground truth of the reply times the sim played,
 * for tests: every customer's wait an admin's reply ended, of the conversations created in
 * [since, until), oldest reply first: the conversation, first (the first admin reply) or
 * next, when the wait began and the reply ended it, the seconds of it the conversation
 * spent snoozed, the seconds between with the snoozed ones taken out, the business seconds
 * under the office hours of the team the conversation had then (its schedule with
 * exceptions; the wall-clock seconds when it has none) less the snoozed seconds, as the
 * SLA clock adds them to a deadline, never below 0, and the replier, team and assignee. */
/* The hours of a team, looked up once a call. */
struct team_hours {
	long long team;
	int found; /* office_hours_of_team's answer */
	struct sla_hours hours;
};

static const struct team_hours *hours_of(struct sim *s, struct team_hours *cache, size_t *n,
					 size_t max, long long team)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (cache[i].team == team)
			return &cache[i];
	if (*n == max)
		return NULL;
	cache[*n].team = team;
	cache[*n].found = office_hours_of_team(&s->world, team, &cache[*n].hours);
	return &cache[(*n)++];
}

void control_reply_times(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	struct team_hours cache[16];
	size_t n_cache = 0;
	long long since, until;
	sqlite3_stmt *st;
	json_t *list;
	bool failed = false;

	if (!query_time(rq, "since", 0, &since) || !query_time(rq, "until", LLONG_MAX, &until)) {
		api_error(rp, 400, "parameter_invalid", "since and until are unix times");
		return;
	}
	st = wdb_query(&s->world,
		       "SELECT r.conversation_id, r.first, r.waited_from, r.replied_at, r.admin_id,"
		       " r.team_id, r.assignee_id, r.snoozed FROM reply_times r JOIN conversations c"
		       " ON c.id = r.conversation_id WHERE c.created_at >= ? AND c.created_at < ?"
		       " ORDER BY r.replied_at, r.rowid",
		       "ii", since, until);
	list = json_array();
	while (st && list && !failed && sqlite3_step(st) == SQLITE_ROW) {
		long long from = sqlite3_column_int64(st, 2), to = sqlite3_column_int64(st, 3);
		long long snoozed = sqlite3_column_int64(st, 7), business;
		const struct team_hours *h =
		    hours_of(s, cache, &n_cache, sizeof(cache) / sizeof(cache[0]),
			     sqlite3_column_int64(st, 5));

		failed = !h || h->found < 0;
		business = (h && h->found > 0 ? sla_hours_between(&h->hours, from, to) : to - from) -
			   snoozed;
		json_array_append_new(
		    list,
		    json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "conversation_id",
			      (json_int_t)sqlite3_column_int64(st, 0), "kind",
			      sqlite3_column_int(st, 1) ? "first" : "next", "waited_from",
			      (json_int_t)from, "replied_at", (json_int_t)to, "snoozed_seconds",
			      (json_int_t)snoozed, "seconds", (json_int_t)(to - from - snoozed),
			      "business_seconds", (json_int_t)(business > 0 ? business : 0),
			      "admin_id", (json_int_t)sqlite3_column_int64(st, 4), "team_id",
			      (json_int_t)sqlite3_column_int64(st, 5), "assignee_id",
			      (json_int_t)sqlite3_column_int64(st, 6)));
	}
	if (!st || !list || failed) {
		json_decref(list);
		api_error(rp, 500, "server_error", "the sim's database failed");
		return;
	}
	rp->status = 200;
	rp->body = json_pack("{s:s, s:o}", "type", "reply_time.list", "data", list);
}
