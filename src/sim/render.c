/* render.c: the sim's records as Intercom 2.16 JSON objects. */
#include "build-config.h"

#include "render.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "html.h"
#include "util.h"
#include "wdb.h"
#include "world.h"

/* GET /conversations/{id} returns at most this many parts, the most recent. */
#define PARTS_MAX 500

static json_t *id_string(long long id)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", id);
	return json_string(buf);
}

static json_t *text_or_null(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? json_string((const char *)s) : json_null();
}

static const char *text_col(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? (const char *)s : "";
}

static json_t *time_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null()
							   : json_integer(sqlite3_column_int64(st, col));
}

/* Sets key to the column's integer, only when the column is not NULL. */
static void set_time_if(json_t *obj, const char *key, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) != SQLITE_NULL)
		json_object_set_new(obj, key, json_integer(sqlite3_column_int64(st, col)));
}

char *render_html(const char *text)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	const char *p;

	if (!f)
		die("out of memory");
	fputs("<p>", f);
	for (p = text; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\n':
			if (p[1] == '\n') {
				fputs("</p><p>", f);
				while (p[1] == '\n')
					p++;
			} else {
				fputs("<br>", f);
			}
			break;
		default: fputc(*p, f);
		}
	}
	fputs("</p>", f);
	if (fclose(f) != 0)
		die("out of memory");
	return out;
}

/* A body in the form asked for: HTML by default, plain text with display_as=plaintext. */
static json_t *body_json(const char *body, bool is_html, bool plaintext)
{
	char *converted;
	json_t *j;

	if (!body)
		return json_null();
	if (plaintext == !is_html)
		return json_string(body);
	converted = plaintext ? html_to_text(body) : render_html(body);
	j = json_string(converted);
	free(converted);
	return j;
}

/* A random (version 4) UUID, as Intercom's request ids are. */
static void request_id(char out[37])
{
	static unsigned long long counter;
	unsigned char b[16];
	size_t i;

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		/* No entropy at hand: a counter still keeps the ids of this run distinct. */
		unsigned long long n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);

		memset(b, 0, sizeof(b));
		for (i = 0; i < 8; i++)
			b[15 - i] = (unsigned char)(n >> (8 * i));
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i + (i >= 4) + (i >= 6) + (i >= 8) + (i >= 10), 3, "%02x", b[i]);
	out[8] = out[13] = out[18] = out[23] = '-';
	out[36] = '\0';
}

json_t *render_error(const char *code, const char *message)
{
	char id[37];

	request_id(id);
	return json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "type", "error.list", "request_id", id,
			 "errors", "code", code, "message", message);
}

static json_t *conversation_tags(struct world *w, long long id)
{
	sqlite3_stmt *st = wdb_query(w,
				     "SELECT t.id, t.name, ct.applied_at, ct.applied_by"
				     " FROM conversation_tags ct JOIN tags t ON t.id = ct.tag_id"
				     " WHERE ct.conversation_id = ? ORDER BY ct.applied_at, t.id",
				     "i", id);
	json_t *tags = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(tags,
				      json_pack("{s:s, s:o, s:s, s:I, s:{s:s, s:o}}", "type", "tag", "id",
						id_string(sqlite3_column_int64(st, 0)), "name",
						text_col(st, 1), "applied_at",
						(json_int_t)sqlite3_column_int64(st, 2), "applied_by",
						"type", "admin", "id",
						id_string(sqlite3_column_int64(st, 3))));
	return json_pack("{s:s, s:o}", "type", "tag.list", "tags", tags);
}

/* The parts of a conversation: like Intercom, at most the PARTS_MAX most recent, oldest
 * first, with total_count saying how many the conversation has. */
static json_t *conversation_parts(struct world *w, long long id, bool plaintext, long long total)
{
	sqlite3_stmt *st = wdb_query(
		w,
		"SELECT p.id, p.part_type, p.body, p.created_at, p.author_type, p.author_id,"
		" p.assigned_type, p.assigned_id, COALESCE(a.name, ct.name), COALESCE(a.email, ct.email),"
		" p.is_html, COALESCE(a.bot, 0), p.tags"
		" FROM (SELECT * FROM parts WHERE conversation_id = ?1 ORDER BY id DESC LIMIT ?2) p"
		" LEFT JOIN admins a ON p.author_type = 'admin' AND a.id = p.author_id"
		" LEFT JOIN contacts ct ON p.author_type = 'user' AND ct.id = p.author_id"
		" ORDER BY p.id",
		"ii", id, (long long)PARTS_MAX);
	json_t *parts = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		long long at = sqlite3_column_int64(st, 3);
		/* The bot's parts are typed as the bot's, as Intercom does. */
		bool bot = sqlite3_column_int(st, 11) != 0;
		json_t *author = json_pack("{s:s, s:o, s:s}", "type", bot ? "bot" : text_col(st, 4), "id",
					   id_string(sqlite3_column_int64(st, 5)), "name",
					   text_col(st, 8));
		json_t *part;

		if (sqlite3_column_type(st, 9) != SQLITE_NULL)
			json_object_set_new(author, "email", json_string(text_col(st, 9)));
		part = json_pack("{s:s, s:o, s:s, s:o, s:I, s:I, s:I, s:o, s:[], s:b}", "type",
				 "conversation_part", "id", id_string(sqlite3_column_int64(st, 0)),
				 "part_type", text_col(st, 1), "body",
				 body_json((const char *)sqlite3_column_text(st, 2),
					   sqlite3_column_int(st, 10) != 0, plaintext),
				 "created_at", (json_int_t)at, "updated_at", (json_int_t)at,
				 "notified_at", (json_int_t)at, "author", author, "attachments",
				 "redacted", 0);
		/* An unassignment names nobody, as Intercom: type nobody_admin, id null. */
		if (sqlite3_column_type(st, 6) != SQLITE_NULL && sqlite3_column_int64(st, 7) == 0)
			json_object_set_new(part, "assigned_to",
					    json_pack("{s:s, s:n}", "type", "nobody_admin", "id"));
		else if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			json_object_set_new(part, "assigned_to",
					    json_pack("{s:s, s:o}", "type", text_col(st, 6), "id",
						      id_string(sqlite3_column_int64(st, 7))));
		if (sqlite3_column_type(st, 12) != SQLITE_NULL) {
			json_t *tags = json_loads(text_col(st, 12), 0, NULL);

			if (json_is_array(tags))
				json_object_set_new(part, "tags", tags);
			else
				json_decref(tags);
		}
		json_array_append_new(parts, part);
	}
	return json_pack("{s:s, s:o, s:I}", "type", "conversation_part.list", "conversation_parts",
			 parts, "total_count", (json_int_t)total);
}

enum conv_col {
	C_ID, C_CREATED, C_UPDATED, C_WAITING, C_SNOOZED, C_STATE, C_READ, C_PRIORITY, C_ADMIN,
	C_TEAM, C_TITLE, C_BODY, C_CONTACT, C_CONTACT_NAME, C_CONTACT_EMAIL, C_FIRST_CONTACT,
	C_LAST_CONTACT, C_FIRST_ADMIN, C_LAST_ADMIN, C_FIRST_CLOSE, C_LAST_CLOSE, C_CLOSED_BY,
	C_REOPENS, C_ASSIGNMENTS, C_PARTS, C_SLA_NAME, C_SLA_HITS, C_SLA_MISSES, C_SLA_CANCELLED,
	C_LAST_ASSIGNMENT
};

static json_t *statistics(sqlite3_stmt *st)
{
	json_t *s = json_pack("{s:s, s:I, s:I, s:I}", "type", "conversation_statistics",
			      "count_reopens", (json_int_t)sqlite3_column_int64(st, C_REOPENS),
			      "count_assignments", (json_int_t)sqlite3_column_int64(st, C_ASSIGNMENTS),
			      "count_conversation_parts",
			      (json_int_t)sqlite3_column_int64(st, C_PARTS));

	set_time_if(s, "first_contact_reply_at", st, C_FIRST_CONTACT);
	set_time_if(s, "last_contact_reply_at", st, C_LAST_CONTACT);
	set_time_if(s, "first_admin_reply_at", st, C_FIRST_ADMIN);
	set_time_if(s, "last_admin_reply_at", st, C_LAST_ADMIN);
	set_time_if(s, "first_close_at", st, C_FIRST_CLOSE);
	set_time_if(s, "last_close_at", st, C_LAST_CLOSE);
	set_time_if(s, "last_assignment_at", st, C_LAST_ASSIGNMENT);
	if (sqlite3_column_type(st, C_FIRST_ADMIN) != SQLITE_NULL)
		json_object_set_new(s, "time_to_admin_reply",
				    json_integer(sqlite3_column_int64(st, C_FIRST_ADMIN) -
						 sqlite3_column_int64(st, C_CREATED)));
	if (sqlite3_column_type(st, C_CLOSED_BY) != SQLITE_NULL)
		json_object_set_new(s, "last_closed_by_id", id_string(sqlite3_column_int64(st, C_CLOSED_BY)));
	return s;
}

/* The SLA the workflow applied, with Intercom's status rules: cancelled once removed,
 * else missed after any late reply, else hit after any reply in time, else active. Like
 * Intercom's, it says "missed" only at the late reply, never while the customer waits. */
static json_t *sla_applied(sqlite3_stmt *st)
{
	const char *status = sqlite3_column_int(st, C_SLA_CANCELLED) ? "cancelled"
			     : sqlite3_column_int(st, C_SLA_MISSES)  ? "missed"
			     : sqlite3_column_int(st, C_SLA_HITS)    ? "hit"
								     : "active";

	if (sqlite3_column_type(st, C_SLA_NAME) == SQLITE_NULL)
		return json_null();
	return json_pack("{s:s, s:s, s:s}", "type", "conversation_sla_summary", "sla_name",
			 text_col(st, C_SLA_NAME), "sla_status", status);
}

/* Steps st to its row: true when there is one; otherwise *db_error (if given) tells a
 * failed query from a missing record. */
static bool step_row(sqlite3_stmt *st, bool *db_error)
{
	int rc = st ? sqlite3_step(st) : SQLITE_ERROR;

	if (db_error)
		*db_error = rc != SQLITE_ROW && rc != SQLITE_DONE;
	return rc == SQLITE_ROW;
}

json_t *render_conversation(struct world *w, long long id, bool with_parts, bool plaintext,
			    bool *db_error)
{
	sqlite3_stmt *st = wdb_query(
		w,
		"SELECT c.id, c.created_at, c.updated_at, c.waiting_since, c.snoozed_until, c.state,"
		" c.read, c.priority, c.admin_assignee_id, c.team_assignee_id, c.title, c.body,"
		" c.contact_id, ct.name, ct.email, c.first_contact_reply_at, c.last_contact_reply_at,"
		" c.first_admin_reply_at, c.last_admin_reply_at, c.first_close_at, c.last_close_at,"
		" c.last_closed_by_id, c.count_reopens, c.count_assignments,"
		" (SELECT count(*) FROM parts p WHERE p.conversation_id = c.id),"
		" c.sla_name, c.sla_hits, c.sla_misses, c.sla_cancelled,"
		" c.last_assignment_at"
		" FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE c.id = ?",
		"i", id);
	json_t *conv, *source, *first_reply;
	long long n_parts;

	if (!step_row(st, db_error))
		return NULL;
	n_parts = sqlite3_column_int64(st, C_PARTS);
	source = json_pack("{s:s, s:o, s:s, s:s, s:o, s:{s:s, s:o, s:s, s:s}, s:[], s:b}", "type",
			   "conversation", "id", id_string(id), "delivered_as", "customer_initiated",
			   "subject", "", "body", body_json(text_col(st, C_BODY), false, plaintext),
			   "author", "type", "user", "id",
			   id_string(sqlite3_column_int64(st, C_CONTACT)), "name",
			   text_col(st, C_CONTACT_NAME), "email", text_col(st, C_CONTACT_EMAIL),
			   "attachments", "redacted", 0);
	first_reply = sqlite3_column_type(st, C_FIRST_CONTACT) == SQLITE_NULL
			      ? json_null()
			      : json_pack("{s:I, s:s, s:n}", "created_at",
					  (json_int_t)sqlite3_column_int64(st, C_FIRST_CONTACT), "type",
					  "conversation", "url");
	conv = json_pack(
		"{s:s, s:o, s:o, s:I, s:I, s:o, s:o, s:b, s:s, s:b, s:s, s:I, s:I, s:o, s:o, s:o,"
		" s:o, s:o, s:o, s:b}",
		"type", "conversation", "id", id_string(id), "title", text_or_null(st, C_TITLE),
		"created_at", (json_int_t)sqlite3_column_int64(st, C_CREATED), "updated_at",
		(json_int_t)sqlite3_column_int64(st, C_UPDATED), "waiting_since",
		time_or_null(st, C_WAITING), "snoozed_until", time_or_null(st, C_SNOOZED), "open",
		strcmp(text_col(st, C_STATE), "closed") != 0, "state", text_col(st, C_STATE), "read",
		sqlite3_column_int(st, C_READ) != 0, "priority", text_col(st, C_PRIORITY),
		"admin_assignee_id", (json_int_t)sqlite3_column_int64(st, C_ADMIN), "team_assignee_id",
		(json_int_t)sqlite3_column_int64(st, C_TEAM), "source", source, "contacts",
		json_pack("{s:s, s:[{s:s, s:o, s:n}]}", "type", "contact.list", "contacts", "type",
			  "contact", "id", id_string(sqlite3_column_int64(st, C_CONTACT)),
			  "external_id"),
		"first_contact_reply", first_reply, "sla_applied", sla_applied(st), "statistics",
		statistics(st), "custom_attributes", json_object(), "ai_agent_participated", 0);
	if (!conv)
		die("cannot build the conversation JSON");
	json_object_set_new(conv, "tags", conversation_tags(w, id));
	if (with_parts)
		json_object_set_new(conv, "conversation_parts",
				    conversation_parts(w, id, plaintext, n_parts));
	return conv;
}

json_t *render_partial(json_t *conv, long long id, long partial_every)
{
	if (!conv || partial_every <= 0)
		return conv;
	if (id % partial_every == 0) {
		json_object_set_new(conv, "statistics", json_null());
	} else if (id % partial_every == 1) {
		json_object_del(conv, "statistics");
		json_object_del(conv, "waiting_since");
	}
	return conv;
}

static char *slug(const char *title)
{
	char *s = xmalloc(strlen(title) + 1), *o = s;
	bool dash = false;

	for (; *title; title++) {
		unsigned char ch = (unsigned char)*title;

		if (isalnum(ch) && ch < 128) {
			if (dash && o != s)
				*o++ = '-';
			*o++ = (char)tolower(ch);
			dash = false;
		} else {
			dash = true;
		}
	}
	*o = '\0';
	return s;
}

json_t *render_article(struct world *w, long long id, bool *db_error)
{
	sqlite3_stmt *st = wdb_query(w,
				     "SELECT title, description, body, author_id, created_at, updated_at"
				     " FROM articles WHERE id = ?",
				     "i", id);
	char *url, *s;
	json_t *a;

	if (!step_row(st, db_error))
		return NULL;
	s = slug(text_col(st, 0));
	url = xasprintf("https://help.example.com/en/articles/%lld-%s", id, s);
	free(s);
	a = json_pack("{s:s, s:o, s:s, s:s, s:s, s:o, s:I, s:s, s:I, s:I, s:s, s:[], s:s, s:b}",
		      "type", "article", "id", id_string(id), "workspace_id", "frontline-sim",
		      "title", text_col(st, 0), "description", text_col(st, 1), "body",
		      body_json(text_col(st, 2), false, false), "author_id",
		      (json_int_t)sqlite3_column_int64(st, 3), "state", "published", "created_at",
		      (json_int_t)sqlite3_column_int64(st, 4), "updated_at",
		      (json_int_t)sqlite3_column_int64(st, 5), "url", url, "parent_ids",
		      "default_locale", "en", "has_unpublished_changes", 0);
	free(url);
	if (!a)
		die("cannot build the article JSON");
	return a;
}

/* A tag as a tagging lists it: id, name (columns 0, 1), applied_at and by (2, 3). */
static json_t *render_tag_row(sqlite3_stmt *st)
{
	return json_pack("{s:s, s:o, s:s, s:I, s:{s:s, s:o}}", "type", "tag", "id",
			 id_string(sqlite3_column_int64(st, 0)), "name", text_col(st, 1),
			 "applied_at", (json_int_t)sqlite3_column_int64(st, 2), "applied_by",
			 "type", "admin", "id", id_string(sqlite3_column_int64(st, 3)));
}

json_t *render_tag(struct world *w, long long id, long long conversation_id)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT name FROM tags WHERE id = ?", "i", id);
	json_t *tag;

	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return NULL;
	tag = json_pack("{s:s, s:o, s:s}", "type", "tag", "id", id_string(id), "name", text_col(st, 0));
	if (conversation_id > 0) {
		st = wdb_query(w, "SELECT applied_at, applied_by FROM conversation_tags"
				  " WHERE conversation_id = ? AND tag_id = ?",
			       "ii", conversation_id, id);
		if (st && sqlite3_step(st) == SQLITE_ROW) {
			json_object_set_new(tag, "applied_at", json_integer(sqlite3_column_int64(st, 0)));
			json_object_set_new(tag, "applied_by",
					    json_pack("{s:s, s:o}", "type", "admin", "id",
						      id_string(sqlite3_column_int64(st, 1))));
		}
	}
	return tag;
}

static json_t *team_ids_of(struct world *w, long long mask)
{
	json_t *ids = json_array();
	int i;

	for (i = 0; i < WORLD_TEAMS; i++)
		if (mask & (1LL << i))
			json_array_append_new(ids, json_integer(w->team_ids[i]));
	return ids;
}

#define ADMIN_COLUMNS "id, name, email, job_title, team_mask, away, bot"

/* A row of ADMIN_COLUMNS. The bot is typed "admin" like everyone, without an inbox seat. */
static json_t *admin_from_row(struct world *w, sqlite3_stmt *st)
{
	return json_pack("{s:s, s:o, s:s, s:s, s:s, s:b, s:b, s:b, s:o}", "type", "admin", "id",
			 id_string(sqlite3_column_int64(st, 0)), "name", text_col(st, 1), "email",
			 text_col(st, 2), "job_title", text_col(st, 3), "away_mode_enabled",
			 sqlite3_column_int(st, 5) != 0, "away_mode_reassign", 0, "has_inbox_seat",
			 sqlite3_column_int(st, 6) == 0, "team_ids",
			 team_ids_of(w, sqlite3_column_int64(st, 4)));
}

json_t *render_admin(struct world *w, long long id, bool with_app)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT " ADMIN_COLUMNS " FROM admins"
					" WHERE id = ?",
				     "i", id);
	json_t *a;

	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return NULL;
	a = admin_from_row(w, st);
	if (with_app) {
		json_object_set_new(a, "avatar", json_pack("{s:s, s:n}", "type", "avatar", "image_url"));
		json_object_set_new(a, "email_verified", json_true());
		json_object_set_new(a, "app",
				    json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:b}", "type", "app",
					      "id_code", "frontlinesim", "name", "frontline demo",
					      "region", "US", "timezone", "UTC", "created_at",
					      (json_int_t)1700000000, "identity_verification", 0));
	}
	return a;
}

json_t *render_admins(struct world *w)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT " ADMIN_COLUMNS " FROM admins"
					" ORDER BY id",
				     "");
	json_t *list = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, admin_from_row(w, st));
	return json_pack("{s:s, s:o}", "type", "admin.list", "admins", list);
}

json_t *render_teams(struct world *w)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT id, name FROM teams ORDER BY id", "");
	json_t *list = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		long long team = sqlite3_column_int64(st, 0);
		int index = world_team_index(w, team);
		json_t *admins = json_array();
		sqlite3_stmt *a = wdb_query(w, "SELECT id FROM admins WHERE team_mask & ? ORDER BY id",
					    "i", index < 0 ? 0LL : 1LL << index);

		while (a && sqlite3_step(a) == SQLITE_ROW)
			json_array_append_new(admins, json_integer(sqlite3_column_int64(a, 0)));
		json_array_append_new(list, json_pack("{s:s, s:o, s:s, s:o}", "type", "team", "id",
						      id_string(team), "name", text_col(st, 1),
						      "admin_ids", admins));
	}
	return json_pack("{s:s, s:o}", "type", "team.list", "teams", list);
}

json_t *render_tags(struct world *w)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT id, name FROM tags ORDER BY id", "");
	json_t *list = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:s, s:o, s:s}", "type", "tag", "id",
						      id_string(sqlite3_column_int64(st, 0)), "name",
						      text_col(st, 1)));
	return json_pack("{s:s, s:o}", "type", "list", "data", list);
}

static json_t *contact_url(long long id, const char *tail)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "/contacts/%lld/%s", id, tail);
	return json_string(buf);
}

/* A contact's tags as its object lists them: at most 10 references (type, id, url), no
 * names; *total gets how many it has. */
static json_t *contact_tag_refs(struct world *w, long long id, size_t *total)
{
	sqlite3_stmt *st = wdb_query(w,
				     "SELECT tag_id FROM contact_tags WHERE contact_id = ?"
				     " ORDER BY applied_at, tag_id",
				     "i", id);
	json_t *list = json_array();
	char url[64];

	*total = 0;
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		if (++*total > 10)
			continue;
		snprintf(url, sizeof(url), "/tags/%lld", sqlite3_column_int64(st, 0));
		json_array_append_new(list, json_pack("{s:s, s:o, s:s}", "type", "tag", "id",
						      id_string(sqlite3_column_int64(st, 0)), "url",
						      url));
	}
	return list;
}

/* Whether the contact exists (not deleted); *db_error says when the database failed. */
static bool contact_exists(struct world *w, long long id, bool *db_error)
{
	json_t *contact = render_contact(w, id, db_error);

	json_decref(contact);
	return contact != NULL;
}

json_t *render_contact_tags(struct world *w, long long id, bool *db_error)
{
	json_t *list;
	sqlite3_stmt *st;

	if (!contact_exists(w, id, db_error))
		return NULL;
	st = wdb_query(w,
		       "SELECT t.id, t.name, ct.applied_at, ct.applied_by FROM contact_tags ct"
		       " JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = ?"
		       " ORDER BY ct.applied_at, t.id",
		       "i", id);
	list = json_array();
	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, render_tag_row(st));
	return json_pack("{s:s, s:o}", "type", "list", "data", list);
}

json_t *render_contact(struct world *w, long long id, bool *db_error)
{
	sqlite3_stmt *st = wdb_query(
	    w,
	    "SELECT ct.name, ct.email, p.company_id, p.city, p.region, p.country,"
	    " COALESCE(p.created_at, 0),"
	    " (SELECT max(updated_at) FROM conversations WHERE contact_id = ct.id)"
	    " FROM contacts ct LEFT JOIN contact_profiles p ON p.contact_id = ct.id WHERE ct.id = ?"
	    " AND ct.id NOT IN (SELECT id FROM deleted_contacts)",
	    "i", id);
	const char *email;
	json_t *companies, *tags;
	size_t n_tags;
	int rc = st ? sqlite3_step(st) : SQLITE_ERROR;

	if (db_error)
		*db_error = rc != SQLITE_ROW && rc != SQLITE_DONE;
	if (rc != SQLITE_ROW)
		return NULL;
	email = text_col(st, 1);
	companies = json_array();
	if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
		char url[64];

		snprintf(url, sizeof(url), "/companies/%lld", sqlite3_column_int64(st, 2));
		json_array_append_new(companies,
				      json_pack("{s:o, s:s, s:s}", "id",
						id_string(sqlite3_column_int64(st, 2)), "type",
						"company", "url", url));
	}
	tags = contact_tag_refs(w, id, &n_tags);
	return json_pack(
	    "{s:s, s:o, s:s, s:s, s:s, s:s, s:I, s:I, s:{}, s:{s:s, s:o, s:o, s:I, s:b},"
	    " s:{s:s, s:o, s:o, s:I, s:b}, s:{s:s, s:o, s:o, s:o}}",
	    "type", "contact", "id", id_string(id), "role", "user", "name", text_col(st, 0),
	    "email", email, "email_domain", strchr(email, '@') ? strchr(email, '@') + 1 : "",
	    "created_at", (json_int_t)sqlite3_column_int64(st, 6), "updated_at",
	    (json_int_t)sqlite3_column_int64(st, 7), "custom_attributes", "tags", "type", "list",
	    "data", tags, "url", contact_url(id, "tags"), "total_count", (json_int_t)n_tags,
	    "has_more", n_tags > json_array_size(tags), "companies", "type", "list", "data",
	    companies, "url", contact_url(id, "companies"), "total_count",
	    (json_int_t)json_array_size(companies), "has_more", 0, "location", "type", "location",
	    "country", text_or_null(st, 5), "region", text_or_null(st, 4), "city",
	    text_or_null(st, 3));
}

json_t *render_contact_companies(struct world *w, long long id, bool *db_error)
{
	json_t *list;
	sqlite3_stmt *st;

	if (!contact_exists(w, id, db_error))
		return NULL;
	st = wdb_query(w,
		       "SELECT co.id, co.name, co.plan FROM contact_profiles p"
		       " JOIN companies co ON co.id = p.company_id WHERE p.contact_id = ?",
		       "i", id);
	list = json_array();
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		json_t *company = json_pack("{s:s, s:o, s:s, s:{}, s:{}}", "type", "company", "id",
					    id_string(sqlite3_column_int64(st, 0)), "name",
					    text_col(st, 1), "plan", "custom_attributes");

		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			json_object_set_new(json_object_get(company, "plan"), "name",
					    json_string(text_col(st, 2)));
		json_array_append_new(list, company);
	}
	return json_pack("{s:s, s:o, s:I}", "type", "list", "companies", list, "total_count",
			 (json_int_t)json_array_size(list));
}
