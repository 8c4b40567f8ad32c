/* api.c: the sim's routes: the Intercom endpoints and the /_sim/ control endpoints, as a
 * table of (method, path pattern, handler). Handlers run with the world locked. */
#include "build-config.h"

#include "api.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fts.h"
#include "office-hours.h"
#include "macros.h"
#include "index.h"
#include "render.h"
#include "sim.h"
#include "wdb.h"
#include "util.h"
#include "wdb.h"

#define ARTICLES_PER_PAGE 50
#define ARTICLES_MAX_PER_PAGE 250
#define ARTICLE_SEARCH_PER_PAGE 10
#define ARTICLE_SEARCH_MAX_TERMS 12
#define TAG_NAME_MAX 255

void api_error(struct api_reply *rp, unsigned status, const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_decref(rp->body);
	rp->status = status;
	rp->body = render_error(code, msg);
}

/* The Intercom-Version values of the description, oldest first. */
static const char *const api_versions[] = {
	"1.0", "1.1", "1.2", "1.3", "1.4", "2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
	"2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.13", "2.14", "2.15", "2.16",
};

_Static_assert(sizeof(api_versions) / sizeof(api_versions[0]) == API_VERSION_LATEST + 1,
	       "API_VERSION_LATEST is the last of api_versions");

int api_version_index(const char *version)
{
	size_t i;

	for (i = 0; version && i < sizeof(api_versions) / sizeof(api_versions[0]); i++)
		if (!strcmp(version, api_versions[i]))
			return (int)i;
	return -1;
}

const char *api_version_name(int index)
{
	return api_versions[index];
}

/* Whether path is prefix or below it. */
static bool path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(path, prefix, n) && (!path[n] || path[n] == '/');
}

const char *api_scope(const char *method, const char *path)
{
	bool read = !strcmp(method, "GET");

	if (!strcmp(path, "/conversations/search"))
		return "read_conversations";
	if (path_under(path, "/conversations"))
		return read ? "read_conversations" : "write_conversations";
	if (path_under(path, "/tags"))
		return read ? "read_tags" : "write_tags";
	if (path_under(path, "/me"))
		return "read_single_admin";
	if (path_under(path, "/admins") || path_under(path, "/teams"))
		return "read_admins";
	if (path_under(path, "/contacts"))
		return read ? "read_users" : "write_users";
	if (path_under(path, "/articles"))
		return read ? "read_articles" : "write_articles";
	if (path_under(path, "/macros"))
		return "read_conversations";
	return NULL;
}

static void reply_json(struct api_reply *rp, json_t *body)
{
	if (!body) {
		api_error(rp, 500, "server_error", "the sim could not read its database");
		return;
	}
	json_decref(rp->body);
	rp->status = 200;
	rp->body = body;
}

static void db_failed(struct api_reply *rp)
{
	api_error(rp, 500, "server_error", "the sim's database failed");
}

bool api_json_id(json_t *v, long long *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return *out >= 0;
	}
	return json_is_string(v) && util_parse_ll(json_string_value(v), 0, INT64_MAX, out) == 0;
}

/* The body as an object; sets a 400 reply and returns NULL when there is none. */
static json_t *body_object(struct api_request *rq, struct api_reply *rp)
{
	if (!json_is_object(rq->body)) {
		api_error(rp, 400, "parameter_invalid", "the request body must be a JSON object");
		return NULL;
	}
	return rq->body;
}

/* A required string member; sets a 400 reply and returns NULL when missing or empty. */
static const char *body_string(json_t *body, const char *key, struct api_reply *rp)
{
	const char *s = json_string_value(json_object_get(body, key));

	if (!s || !*s)
		api_error(rp, 400, "parameter_invalid", "%s is required and must be a non-empty string",
			  key);
	return s && *s ? s : NULL;
}

/* The acting admin of a write: admin_id must name an existing teammate (the bot too).
 * One that names nobody is answered as Intercom does: 404 not_found, as for a missing
 * conversation. */
static bool body_admin(struct sim *s, json_t *body, long long *admin, struct api_reply *rp)
{
	json_t *v = json_object_get(body, "admin_id");
	int rc;

	if (!v || !api_json_id(v, admin)) {
		api_error(rp, 400, "parameter_invalid", "admin_id is required (a teammate's id as a string)");
		return false;
	}
	rc = world_admin_exists(&s->world, *admin);
	if (rc < 0)
		db_failed(rp);
	else if (rc == 0)
		api_error(rp, 404, "not_found", "Resource Not Found");
	return rc == 1;
}

static bool conversation_found(struct sim *s, long long id, struct api_reply *rp)
{
	int rc = world_conversation_exists(&s->world, id);

	if (rc < 0)
		db_failed(rp);
	else if (rc == 0)
		api_error(rp, 404, "not_found", "Conversation %lld not found", id);
	return rc == 1;
}

static void reply_conversation(struct sim *s, long long id, bool parts, bool plaintext,
			       struct api_reply *rp)
{
	bool db_error;
	json_t *c = render_conversation(&s->world, id, parts, plaintext, &db_error);

	if (c)
		reply_json(rp, c);
	else if (db_error)
		db_failed(rp);
	else
		api_error(rp, 404, "not_found", "Conversation %lld not found", id);
}

static bool plaintext_requested(struct api_request *rq)
{
	const char *d = rq->query(rq->query_ctx, "display_as");

	return d && strcmp(d, "plaintext") == 0;
}

/* ---- directory ---- */

static void get_me(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	(void)rq;
	reply_json(rp, render_admin(&s->world, s->world.me_admin_id, true));
}

static void get_teams(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	(void)rq;
	reply_json(rp, render_teams(&s->world));
}

static void get_admins(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	(void)rq;
	reply_json(rp, render_admins(&s->world));
}

static void get_tags(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	(void)rq;
	reply_json(rp, render_tags(&s->world));
}

static void post_tags(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = body_object(rq, rp);
	const char *name;
	long long id = 0, rename = 0;

	if (!body)
		return;
	if (json_object_get(body, "companies") || json_object_get(body, "users")) {
		api_error(rp, 400, "parameter_invalid", "the sim tags conversations only, not companies or users");
		return;
	}
	name = body_string(body, "name", rp);
	if (!name)
		return;
	if (strlen(name) > TAG_NAME_MAX) {
		api_error(rp, 400, "parameter_invalid", "name is longer than %d bytes", TAG_NAME_MAX);
		return;
	}
	if (json_object_get(body, "id") && !api_json_id(json_object_get(body, "id"), &rename)) {
		api_error(rp, 400, "parameter_invalid", "id must be a tag id");
		return;
	}
	if (world_tag_upsert(&s->world, name, rename, &id, rq->now) < 0) {
		api_error(rp, 400, "parameter_invalid", "cannot rename the tag: the name is taken");
		return;
	}
	if (id == 0) {
		api_error(rp, 404, "not_found", "Tag %lld not found", rename);
		return;
	}
	reply_json(rp, render_tag(&s->world, id, 0));
}

/* ---- conversations ---- */

static void post_search(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	struct search_page page;
	char err[256];
	bool lagging = s->faults.index_lag > 0;
	json_t *list, *pages;
	size_t i;
	int rc;

	if (lagging && index_catch_up(&s->world, rq->now) < 0) {
		db_failed(rp);
		return;
	}
	rc = search_run(s->world.db, &s->cursors, lagging ? &index_source : &search_live, rq->body,
			rq->now, &page, err, sizeof(err));
	if (rc != 0) {
		if (rc > 0)
			api_error(rp, 400, "parameter_invalid", "%s", err);
		else
			db_failed(rp);
		return;
	}
	list = json_array();
	for (i = 0; i < page.n_ids; i++) {
		json_t *c = render_partial(
		    lagging ? index_render(&s->world, page.ids[i])
			    : render_conversation(&s->world, page.ids[i], false, false, NULL),
		    page.ids[i], s->opt.partial_every);

		if (c)
			json_array_append_new(list, c);
	}
	pages = json_pack("{s:s, s:I, s:I, s:I}", "type", "pages", "page", (json_int_t)page.page,
			  "per_page", (json_int_t)page.per_page, "total_pages",
			  (json_int_t)page.total_pages);
	if (page.next[0])
		json_object_set_new(pages, "next", json_pack("{s:I, s:s}", "per_page",
							     (json_int_t)page.per_page,
							     "starting_after", page.next));
	reply_json(rp, json_pack("{s:s, s:o, s:I, s:o}", "type", "conversation.list", "conversations",
				 list, "total_count", (json_int_t)page.total, "pages", pages));
	search_page_release(&page);
}

static void get_conversation(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	reply_conversation(s, rq->ids[0], true, plaintext_requested(rq), rp);
}

static void post_reply(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = body_object(rq, rp);
	const char *type, *message_type, *text;
	long long id = rq->ids[0], admin;
	int rc;

	if (!body || !conversation_found(s, id, rp))
		return;
	type = json_string_value(json_object_get(body, "type"));
	message_type = json_string_value(json_object_get(body, "message_type"));
	if (!type || (strcmp(type, "admin") && strcmp(type, "user"))) {
		api_error(rp, 400, "parameter_invalid", "type must be admin or user");
		return;
	}
	if (!message_type || (strcmp(message_type, "comment") && strcmp(message_type, "note"))) {
		api_error(rp, 400, "parameter_invalid", "message_type must be comment or note");
		return;
	}
	text = body_string(body, "body", rp);
	if (!text)
		return;
	if (!strcmp(type, "user")) {
		if (strcmp(message_type, "comment")) {
			api_error(rp, 400, "parameter_invalid", "a customer can only send a comment");
			return;
		}
		rc = world_customer_message(&s->world, id, text, true, rq->now);
	} else {
		if (!body_admin(s, body, &admin, rp))
			return;
		rc = world_admin_reply(&s->world, id, admin, !strcmp(message_type, "note"), text,
				       true, rq->now);
	}
	if (rc < 0)
		db_failed(rp);
	else
		reply_conversation(s, id, true, false, rp);
}

/* PUT /conversations/{id}: read, title and priority (none, low, medium, high, urgent). */
static void put_conversation(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	static const char *const levels[] = {"none", "low", "medium", "high", "urgent"};
	json_t *body = body_object(rq, rp), *v;
	const char *priority = NULL;
	long long id = rq->ids[0];
	size_t i;

	if (!body || !conversation_found(s, id, rp))
		return;
	v = json_object_get(body, "priority");
	if (v) {
		for (i = 0; json_is_string(v) && i < sizeof(levels) / sizeof(levels[0]); i++)
			if (!strcmp(json_string_value(v), levels[i]))
				priority = levels[i];
		if (!priority) {
			api_error(rp, 400, "parameter_invalid",
				  "priority must be one of none, low, medium, high, urgent");
			return;
		}
	}
	v = json_object_get(body, "read");
	if ((v && !json_is_boolean(v)) ||
	    (json_object_get(body, "title") && !json_is_string(json_object_get(body, "title")))) {
		api_error(rp, 400, "parameter_invalid", "read is a boolean and title a string");
		return;
	}
	if ((priority && world_set_priority(&s->world, id, priority, rq->now) < 0) ||
	    (v && wdb_exec(&s->world, "UPDATE conversations SET read = ? WHERE id = ?", "ii",
			   (long long)json_is_true(v), id) < 0) ||
	    (json_object_get(body, "title") &&
	     wdb_exec(&s->world, "UPDATE conversations SET title = ? WHERE id = ?", "ti",
		      json_string_value(json_object_get(body, "title")), id) < 0)) {
		db_failed(rp);
		return;
	}
	reply_conversation(s, id, true, false, rp);
}

static void parts_assignment(struct sim *s, struct api_request *rq, json_t *body, long long admin,
			     struct api_reply *rp)
{
	const char *type = json_string_value(json_object_get(body, "type"));
	long long assignee;
	bool team;
	int rc;

	if (!type || (strcmp(type, "admin") && strcmp(type, "team"))) {
		api_error(rp, 400, "parameter_invalid", "type must be admin or team");
		return;
	}
	team = !strcmp(type, "team");
	if (!api_json_id(json_object_get(body, "assignee_id"), &assignee)) {
		api_error(rp, 400, "parameter_invalid", "assignee_id is required (an id as a string)");
		return;
	}
	rc = assignee == 0 ? 1
	     : team	   ? world_team_exists(&s->world, assignee)
			   : world_admin_exists(&s->world, assignee);
	if (rc < 0) {
		db_failed(rp);
		return;
	}
	if (rc == 0) {
		api_error(rp, 404, "not_found", "Resource Not Found: no %s with id %lld",
			  team ? "team" : "teammate", assignee);
		return;
	}
	if (world_assign(&s->world, rq->ids[0], admin, team, assignee, rq->now) < 0)
		db_failed(rp);
	else
		reply_conversation(s, rq->ids[0], true, false, rp);
}

static void post_parts(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = body_object(rq, rp), *until;
	const char *message_type;
	long long id = rq->ids[0], admin;
	int rc;

	if (!body || !conversation_found(s, id, rp))
		return;
	message_type = json_string_value(json_object_get(body, "message_type"));
	if (!message_type) {
		api_error(rp, 400, "parameter_invalid", "message_type is required");
		return;
	}
	if (strcmp(message_type, "close") && strcmp(message_type, "snoozed") &&
	    strcmp(message_type, "open") && strcmp(message_type, "assignment")) {
		api_error(rp, 400, "parameter_invalid",
			  "message_type must be close, snoozed, open or assignment");
		return;
	}
	if (!body_admin(s, body, &admin, rp))
		return;
	if (!strcmp(message_type, "assignment")) {
		parts_assignment(s, rq, body, admin, rp);
		return;
	}
	if (!strcmp(message_type, "close")) {
		rc = world_close_conversation(&s->world, id, admin,
					      json_string_value(json_object_get(body, "body")), rq->now);
	} else if (!strcmp(message_type, "open")) {
		rc = world_open_conversation(&s->world, id, admin, rq->now);
	} else {
		until = json_object_get(body, "snoozed_until");
		if (!json_is_integer(until) || json_integer_value(until) <= rq->now) {
			api_error(rp, 400, "parameter_invalid",
				  "snoozed_until is required: a unix time in the future");
			return;
		}
		rc = world_snooze(&s->world, id, admin, (time_t)json_integer_value(until), rq->now);
	}
	if (rc < 0)
		db_failed(rp);
	else
		reply_conversation(s, id, true, false, rp);
}

static void tag_change(struct sim *s, struct api_request *rq, struct api_reply *rp, bool add)
{
	json_t *body = body_object(rq, rp);
	long long id = rq->ids[0], tag, admin;
	bool found;

	if (!body || !conversation_found(s, id, rp))
		return;
	if (add) {
		if (!api_json_id(json_object_get(body, "id"), &tag)) {
			api_error(rp, 400, "parameter_invalid", "id is required (a tag id as a string)");
			return;
		}
	} else {
		tag = rq->ids[1];
	}
	if (!body_admin(s, body, &admin, rp))
		return;
	if (world_tag_conversation(&s->world, id, tag, admin, add, rq->now, &found) < 0) {
		db_failed(rp);
		return;
	}
	if (!found) {
		api_error(rp, 404, "not_found", "Tag %lld not found", tag);
		return;
	}
	reply_json(rp, render_tag(&s->world, tag, add ? id : 0));
}

static void post_conversation_tag(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	tag_change(s, rq, rp, true);
}

static void delete_conversation_tag(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	tag_change(s, rq, rp, false);
}

/* ---- contacts ---- */

static void reply_contact(struct api_reply *rp, json_t *body, bool db_error)
{
	if (body)
		reply_json(rp, body);
	else if (db_error)
		db_failed(rp);
	else
		api_error(rp, 404, "not_found", "User Not Found");
}

static void get_contact(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	bool db_error;
	json_t *c = render_contact(&s->world, rq->ids[0], &db_error);

	reply_contact(rp, c, db_error);
}

static void get_contact_companies(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	bool db_error;
	json_t *c = render_contact_companies(&s->world, rq->ids[0], &db_error);

	reply_contact(rp, c, db_error);
}

static void get_contact_tags(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	bool db_error;
	json_t *c = render_contact_tags(&s->world, rq->ids[0], &db_error);

	reply_contact(rp, c, db_error);
}

/* The contact of a write, if it exists (else the 404 or 500 is answered). */
static bool contact_found(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	bool db_error;
	json_t *c = render_contact(&s->world, rq->ids[0], &db_error);

	if (!c)
		reply_contact(rp, NULL, db_error);
	json_decref(c);
	return c != NULL;
}

/* POST /contacts/{id}/tags {"id": tag}: the tag, applied by the token's owner. */
static void post_contact_tag(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = body_object(rq, rp), *tag;
	long long tag_id;
	int rc;

	if (!body || !contact_found(s, rq, rp))
		return;
	if (!api_json_id(json_object_get(body, "id"), &tag_id)) {
		api_error(rp, 400, "parameter_invalid", "id is required (a tag id as a string)");
		return;
	}
	tag = render_tag(&s->world, tag_id, 0);
	if (!tag) {
		api_error(rp, 404, "not_found", "Resource Not Found");
		return;
	}
	rc = wdb_exec(
	    &s->world,
	    "INSERT OR IGNORE INTO contact_tags(contact_id, tag_id, applied_at, applied_by)"
	    " VALUES(?, ?, ?, ?)",
	    "iiii", rq->ids[0], tag_id, (long long)rq->now, s->world.me_admin_id);
	if (rc < 0) {
		json_decref(tag);
		db_failed(rp);
		return;
	}
	json_object_set_new(tag, "applied_at", json_integer((json_int_t)rq->now));
	json_object_set_new(tag, "applied_by",
			    json_pack("{s:s, s:o}", "type", "admin", "id",
				      json_sprintf("%lld", s->world.me_admin_id)));
	reply_json(rp, tag);
}

/* PUT /contacts/{id}: a new name or email (the rest of Intercom's fields are not kept);
 * the contact as it is now. */
static void put_contact(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = body_object(rq, rp), *name, *email;
	bool db_error;

	if (!body || !contact_found(s, rq, rp))
		return;
	name = json_object_get(body, "name");
	email = json_object_get(body, "email");
	if ((name && !json_is_string(name)) || (email && !json_is_string(email))) {
		api_error(rp, 400, "parameter_invalid", "name and email are strings");
		return;
	}
	if ((name && wdb_exec(&s->world, "UPDATE contacts SET name = ? WHERE id = ?", "ti",
			      json_string_value(name), rq->ids[0]) < 0) ||
	    (email && wdb_exec(&s->world, "UPDATE contacts SET email = ? WHERE id = ?", "ti",
			       json_string_value(email), rq->ids[0]) < 0)) {
		db_failed(rp);
		return;
	}
	reply_contact(rp, render_contact(&s->world, rq->ids[0], &db_error), db_error);
}

/* DELETE /contacts/{id}: the contact is gone; its conversations stay (as Intercom keeps
 * them), and GET /contacts/{id} answers 404 from then on. */
static void delete_contact(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	bool db_error;
	json_t *c = render_contact(&s->world, rq->ids[0], &db_error);
	char id[24];

	snprintf(id, sizeof(id), "%lld", rq->ids[0]);
	if (!c) {
		reply_contact(rp, NULL, db_error);
		return;
	}
	json_decref(c);
	if (wdb_exec(&s->world, "INSERT OR IGNORE INTO deleted_contacts(id) VALUES(?)", "i",
		     rq->ids[0]) < 0) {
		db_failed(rp);
		return;
	}
	reply_json(rp, json_pack("{s:s, s:s, s:n, s:b}", "type", "contact", "id", id,
				 "external_id", "deleted", 1));
}

/* ---- help center ---- */

/* Reads a positive integer query argument; def when absent; -1 when invalid. */
static long long query_number(struct api_request *rq, const char *name, long long def, long long max)
{
	const char *v = rq->query(rq->query_ctx, name);
	long long n;

	if (!v)
		return def;
	return util_parse_ll(v, 1, max, &n) == 0 ? n : -1;
}

static json_t *pages_object(long long page, long long per_page, long long total)
{
	return json_pack("{s:s, s:I, s:I, s:I}", "type", "pages", "page", (json_int_t)page,
			 "per_page", (json_int_t)per_page, "total_pages",
			 (json_int_t)((total + per_page - 1) / per_page));
}

static bool paging_args(struct api_request *rq, struct api_reply *rp, long long def_per_page,
			long long max_per_page, long long *page, long long *per_page)
{
	*page = query_number(rq, "page", 1, 1000000);
	*per_page = query_number(rq, "per_page", def_per_page, max_per_page);
	if (*page < 0 || *per_page < 0) {
		api_error(rp, 400, "parameter_invalid", "page must be >= 1 and per_page from 1 to %lld",
			  max_per_page);
		return false;
	}
	return true;
}

static void get_articles(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	long long page, per_page, total = 0;
	sqlite3_stmt *st;
	json_t *data;

	if (!paging_args(rq, rp, ARTICLES_PER_PAGE, ARTICLES_MAX_PER_PAGE, &page, &per_page))
		return;
	st = wdb_query(&s->world, "SELECT count(*) FROM articles", "");
	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		db_failed(rp);
		return;
	}
	total = sqlite3_column_int64(st, 0);
	st = wdb_query(&s->world, "SELECT id FROM articles ORDER BY id LIMIT ? OFFSET ?", "ii",
		       per_page, (page - 1) * per_page);
	data = json_array();
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		json_t *a = render_article(&s->world, sqlite3_column_int64(st, 0), NULL);

		if (a)
			json_array_append_new(data, a);
	}
	reply_json(rp, json_pack("{s:s, s:o, s:I, s:o}", "type", "list", "data", data, "total_count",
				 (json_int_t)total, "pages", pages_object(page, per_page, total)));
}

int api_article_search(struct world *w, const char *phrase, long long limit, long long offset,
		       long long **ids, size_t *n, long long *total)
{
	char *match = phrase ? fts_query(phrase, ARTICLE_SEARCH_MAX_TERMS, false) : NULL;
	sqlite3_stmt *st;
	size_t cap = 0;

	*ids = NULL;
	*n = 0;
	if (!match)
		return 1;
	st = wdb_query(w, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", "t", match);
	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		free(match);
		return -1;
	}
	*total = sqlite3_column_int64(st, 0);
	st = wdb_query(w,
		       "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
		       " ORDER BY bm25(articles_fts, 10.0, 4.0, 1.0) LIMIT ? OFFSET ?",
		       "tii", match, limit, offset);
	free(match);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		xgrow(ids, &cap, *n + 1, sizeof(**ids));
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	return 0;
}

static void get_article_search(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	long long page, per_page, total = 0, *ids;
	json_t *articles;
	size_t i, n;
	int rc;

	if (!paging_args(rq, rp, ARTICLE_SEARCH_PER_PAGE, ARTICLES_MAX_PER_PAGE, &page, &per_page))
		return;
	rc = api_article_search(&s->world, rq->query(rq->query_ctx, "phrase"), per_page,
				(page - 1) * per_page, &ids, &n, &total);
	if (rc > 0) {
		api_error(rp, 400, "parameter_invalid", "phrase is required: words to search for");
		return;
	}
	if (rc < 0) {
		db_failed(rp);
		return;
	}
	articles = json_array();
	for (i = 0; i < n; i++) {
		json_t *a = render_article(&s->world, ids[i], NULL);

		if (a)
			json_array_append_new(articles, a);
	}
	free(ids);
	reply_json(rp, json_pack("{s:s, s:I, s:{s:o, s:[]}, s:o}", "type", "list", "total_count",
				 (json_int_t)total, "data", "articles", articles, "highlights",
				 "pages", pages_object(page, per_page, total)));
}

static void get_article(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	bool db_error;
	json_t *a = render_article(&s->world, rq->ids[0], &db_error);

	if (a)
		reply_json(rp, a);
	else if (db_error)
		db_failed(rp);
	else
		api_error(rp, 404, "not_found", "Article %lld not found", rq->ids[0]);
}

/* GET /teams/{id}/metrics: per admin of the team, the open, idle (open and waiting for an
 * admin's reply longer than idle_threshold seconds, clamped to 1-86400) and snoozed
 * conversations assigned to them. */
static void get_team_metrics(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	const char *v = rq->query(rq->query_ctx, "idle_threshold");
	long long idle = 1800, team = rq->ids[0];
	int index = world_team_index(&s->world, team);
	sqlite3_stmt *st;
	json_t *list;

	if (v && util_parse_ll(v, INT64_MIN, INT64_MAX, &idle) < 0) {
		api_error(rp, 400, "parameter_invalid", "idle_threshold must be an integer");
		return;
	}
	idle = idle < 1 ? 1 : idle > 86400 ? 86400 : idle;
	if (s->opt.no_monitoring) {
		api_error(rp, 403, "api_plan_restricted",
			  "Real-time monitoring is not enabled for your workspace.");
		return;
	}
	if (index < 0) {
		api_error(rp, 404, "team_not_found", "Team not found");
		return;
	}
	st = wdb_query(&s->world,
		       "SELECT a.id,"
		       " (SELECT count(*) FROM conversations c WHERE c.admin_assignee_id = a.id"
		       "  AND c.state = 'open'),"
		       " (SELECT count(*) FROM conversations c WHERE c.admin_assignee_id = a.id"
		       "  AND c.state = 'open' AND c.waiting_since > 0 AND ? - c.waiting_since > ?),"
		       " (SELECT count(*) FROM conversations c WHERE c.admin_assignee_id = a.id"
		       "  AND c.state = 'snoozed')"
		       " FROM admins a WHERE a.team_mask & ? ORDER BY a.id",
		       "iii", (long long)rq->now, idle, 1LL << index);
	if (!st) {
		db_failed(rp);
		return;
	}
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(
		    list, json_pack("{s:s, s:o, s:I, s:I, s:I}", "type", "team_metric", "admin_id",
				    json_sprintf("%lld", (long long)sqlite3_column_int64(st, 0)), "open",
				    (json_int_t)sqlite3_column_int64(st, 1), "idle",
				    (json_int_t)sqlite3_column_int64(st, 2), "snoozed",
				    (json_int_t)sqlite3_column_int64(st, 3)));
	reply_json(rp, json_pack("{s:s, s:o}", "type", "team_metric.list", "data", list));
}

/* ---- the table ---- */

static const struct api_route routes[] = {
	{"GET", "/me", get_me, false},
	{"GET", "/teams", get_teams, false},
	{"GET", "/admins", get_admins, false},
	{"GET", "/tags", get_tags, false},
	{"POST", "/tags", post_tags, true},
	{"POST", "/conversations/search", post_search, false},
	{"GET", "/conversations/{id}", get_conversation, false},
	{"PUT", "/conversations/{id}", put_conversation, true},
	{"POST", "/conversations/{id}/reply", post_reply, true},
	{"POST", "/conversations/{id}/parts", post_parts, true},
	{"POST", "/conversations/{id}/tags", post_conversation_tag, true},
	{"DELETE", "/conversations/{id}/tags/{id}", delete_conversation_tag, true},
	{"GET", "/contacts/{id}", get_contact, false},
	{"GET", "/contacts/{id}/companies", get_contact_companies, false},
	{"DELETE", "/contacts/{id}", delete_contact, true},
	{"GET", "/articles", get_articles, false},
	{"GET", "/articles/search", get_article_search, false},
	{"GET", "/articles/{id}", get_article, false},
	{"GET", "/office_hours_schedules", office_hours_list, false},
	{"GET", "/office_hours_schedules/{id}", office_hours_get, false},
	{"PUT", "/office_hours_schedules/{id}", office_hours_update, true},
	{"GET", "/office_hours_schedules/{id}/office_hours_exceptions", office_hours_exceptions, false},
	{"POST", "/office_hours_schedules/{id}/office_hours_exceptions", office_hours_add_exception,
	 true},
	{"POST", "/_sim/conversations", control_create_conversation, true},
	{"POST", "/_sim/conversations/{id}/customer_reply", control_customer_reply, true},
	{"POST", "/_sim/articles", control_create_article, true},
	{"GET", "/_sim/faults", control_get_faults, false},
	{"POST", "/_sim/faults", control_set_faults, false},
	{"GET", "/_sim/stats", control_stats, false},
	{"POST", "/_sim/conversations/{id}/admin_reply", control_admin_reply, true},
	{"POST", "/_sim/conversations/{id}/assign", control_assign, true},
	{"GET", "/macros", macros_list, false},
	{"GET", "/contacts/{id}/tags", get_contact_tags, false},
	{"POST", "/contacts/{id}/tags", post_contact_tag, true},
	{"PUT", "/contacts/{id}", put_contact, true},
	{"DELETE", "/_sim/conversations/{id}", control_delete_conversation, true},
	{"GET", "/_sim/reply_times", control_reply_times, false},
	{"GET", "/teams/{id}/metrics", get_team_metrics, false},
};

/* Matches path against pattern segment by segment; "{id}" takes an id written the one way
 * Intercom writes it: decimal digits, no sign, no leading zero; "{slug}" takes any
 * non-empty segment (the handler reads it from the path). */
static bool pattern_match(const char *pattern, const char *path, long long ids[2])
{
	int n = 0;

	while (*pattern && *path) {
		if (!strncmp(pattern, "{slug}", 6)) {
			size_t len = strcspn(path, "/");

			if (len == 0)
				return false;
			pattern += 6;
			path += len;
			continue;
		}
		if (!strncmp(pattern, "{id}", 4)) {
			const char *end = path;
			char buf[24];

			while (*end >= '0' && *end <= '9')
				end++;
			if (end == path || end - path >= (long)sizeof(buf) ||
			    (*end && *end != '/') || (*path == '0' && end - path > 1))
				return false;
			memcpy(buf, path, (size_t)(end - path));
			buf[end - path] = '\0';
			if (util_parse_ll(buf, 0, INT64_MAX, &ids[n]) < 0 || n >= 2)
				return false;
			n++;
			pattern += 4;
			path = end;
			continue;
		}
		if (*pattern != *path)
			return false;
		pattern++;
		path++;
	}
	return *pattern == '\0' && (*path == '\0' || (path[0] == '/' && path[1] == '\0'));
}

struct api_route_info api_route_in(const struct api_route *table, size_t n, const char *method,
				   const char *path, struct api_request *rq, const void **route)
{
	struct api_route_info info = {0};
	size_t i;

	*route = NULL;
	for (i = 0; i < n; i++) {
		if (strcmp(table[i].method, method) || !pattern_match(table[i].pattern, path, rq->ids))
			continue;
		info.found = true;
		info.write = table[i].write;
		info.control = !strncmp(table[i].pattern, "/_sim/", 6);
		*route = &table[i];
		break;
	}
	return info;
}

struct api_route_info api_route(const char *method, const char *path, struct api_request *rq,
				const void **route)
{
	return api_route_in(routes, sizeof(routes) / sizeof(routes[0]), method, path, rq, route);
}

void api_run(struct sim *s, const void *route, struct api_request *rq, struct api_reply *rp)
{
	const struct api_route *r = route;

	r->fn(s, rq, rp);
}
