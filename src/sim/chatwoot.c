/* chatwoot.c: frontline-sim's Chatwoot dialect: the routes of Chatwoot's application API
 * over the same world as the Intercom dialect, with the server's rules (its finders,
 * controllers and models) for lists, writes and the SLA job. The JSON is in
 * chatwoot-render.c. */
#include "build-config.h"

#include "chatwoot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chatwoot-handlers.h"
#include "chatwoot-render.h"
#include "macros.h"
#include "render.h"
#include "sim.h"
#include "util.h"
#include "wdb.h"

/* ConversationFinder's pages (CONVERSATION_RESULTS_PER_PAGE) and the help center's. */
#define ARTICLES_PER_PAGE 25
#define PORTAL_SLUG	  "help"

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS cw_last_seen(conversation_id INTEGER PRIMARY KEY,"
    " agent_last_seen_at INTEGER, assignee_last_seen_at INTEGER);"
    /* the conversation's last part when the agent last saw it: Chatwoot's last-seen times
     * are finer than a second, so a message in the second of the read is still unread */
    "CREATE TABLE IF NOT EXISTS cw_seen_parts(conversation_id INTEGER PRIMARY KEY,"
    " part_id INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS cw_sla_policies(id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE, threshold INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS cw_custom_attributes(conversation_id INTEGER PRIMARY KEY,"
    " attributes TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS cw_inboxes(conversation_id INTEGER PRIMARY KEY,"
    " inbox_id INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS cw_applied_slas(conversation_id INTEGER PRIMARY KEY,"
    " status TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);";

json_t *chatwoot_error_body(const char *message) { return json_pack("{s:s}", "error", message); }

void chatwoot_error_shape(struct api_reply *rp)
{
	const char *msg;
	json_t *body;

	if (!json_is_object(rp->body) ||
	    strcmp(json_string_value(json_object_get(rp->body, "type")) ?: "", "error.list"))
		return;
	msg = json_string_value(
	    json_object_get(json_array_get(json_object_get(rp->body, "errors"), 0), "message"));
	body = chatwoot_error_body(msg ? msg : "error");
	json_decref(rp->body);
	rp->body = body;
}

void cw_reply(struct api_reply *rp, unsigned status, json_t *body)
{
	if (!body) {
		cw_error(rp, 500, "the sim could not read its database");
		return;
	}
	json_decref(rp->body);
	rp->status = status;
	rp->body = body;
}

void cw_db_failed(struct api_reply *rp) { cw_error(rp, 500, "the sim's database failed"); }

/* The account of the path (ids[0]) must be the token's, as Chatwoot's account check. */
bool cw_account_ok(struct api_request *rq, struct api_reply *rp)
{
	if (rq->ids[0] == CHATWOOT_ACCOUNT_ID)
		return true;
	cw_error(rp, 401, "You are not authorized to access this account");
	return false;
}

/* The conversation of display id ids[1] (Current.account.conversations.find_by!). */
static bool conversation_ok(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	int rc;

	if (!cw_account_ok(rq, rp))
		return false;
	rc = world_conversation_exists(&s->world, rq->ids[1]);
	if (rc < 0)
		cw_db_failed(rp);
	else if (rc == 0)
		cw_error(rp, 404, "Resource could not be found");
	return rc == 1;
}

static json_t *body_object(struct api_request *rq)
{
	return json_is_object(rq->body) ? rq->body : NULL;
}

/* A member that Rails would read as an integer: a JSON integer or a string of digits. */
static bool json_number(json_t *v, long long *out) { return api_json_id(v, out); }

/* A member that Rails would cast to a boolean. */
static bool json_flag(json_t *v)
{
	const char *t = json_string_value(v);

	return json_is_true(v) || (t && (!strcmp(t, "true") || !strcmp(t, "1")));
}

/* ---- the SLA job ---- */

/* The status the job gives an applied SLA at time ?1 from its conversation (c). */
#define SLA_STATUS_AT                                                                              \
	"(SELECT CASE WHEN c.state = 'closed' THEN (CASE WHEN a.status <> 'active'"                \
	" OR c.sla_misses > 0 THEN 'missed' ELSE 'hit' END)"                                       \
	" WHEN c.sla_misses > 0 OR (c.first_admin_reply_at IS NULL AND c.created_at +"             \
	" c.sla_target < ?1) OR (c.waiting_since IS NOT NULL AND c.waiting_since +"                \
	" c.sla_target < ?1) THEN 'active_with_misses' ELSE a.status END"                          \
	" FROM conversations c WHERE c.id = a.conversation_id)"

static int sla_job_run(struct world *w, void *arg)
{
	long long at = *(const long long *)arg;

	if (wdb_exec(
		w,
		"INSERT OR IGNORE INTO cw_sla_policies(name, threshold) SELECT sla_name,"
		" max(sla_target) FROM conversations WHERE sla_name IS NOT NULL GROUP BY sla_name",
		"") < 0 ||
	    wdb_exec(w,
		     "INSERT OR IGNORE INTO cw_applied_slas(conversation_id, status, created_at,"
		     " updated_at) SELECT id, 'active', created_at, created_at FROM conversations"
		     " WHERE sla_name IS NOT NULL AND sla_cancelled = 0",
		     "") < 0 ||
	    wdb_exec(w,
		     "UPDATE cw_applied_slas AS a SET status = " SLA_STATUS_AT ", updated_at = ?1"
		     " WHERE a.status IN ('active', 'active_with_misses') AND " SLA_STATUS_AT
		     " <> a.status",
		     "i", at) < 0)
		return -1;
	return 0;
}

/* Each conversation the world made since the last request gets the inbox of its team,
 * and keeps it. */
static int inboxes_assign(struct world *w)
{
	return wdb_exec(
		   w,
		   "INSERT OR IGNORE INTO cw_inboxes(conversation_id, inbox_id) SELECT c.id,"
		   " COALESCE((SELECT o.id FROM office_hours_schedules o WHERE o.team_id ="
		   " c.team_assignee_id), ?1) FROM conversations c WHERE c.id > COALESCE((SELECT"
		   " max(conversation_id) FROM cw_inboxes), 0)",
		   "i", cw_inbox_of_team(w, 0)) < 0
		   ? -1
		   : 0;
}

int chatwoot_advance(struct sim *s, time_t now)
{
	return inboxes_assign(&s->world) < 0 ? -1 : chatwoot_sla_job(s, now);
}

int chatwoot_sla_job(struct sim *s, time_t now)
{
	long long tick = (long long)(now - now % s->opt.sla_job_interval);

	if (s->sla_job_at >= tick || s->opt.no_sla)
		return 0;
	s->sla_job_at = tick;
	return world_transaction(&s->world, sla_job_run, &tick);
}

int chatwoot_open(struct sim *s, time_t now, char *err, size_t errlen)
{
	if (sqlite3_exec(s->world.db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    wdb_exec(&s->world,
		     "INSERT OR IGNORE INTO cw_sla_policies(name, threshold) VALUES(?, ?), (?, ?)",
		     "titi", "Real-time 2m", (long long)WORLD_SLA_REALTIME_SECONDS, "Priority 30m",
		     (long long)WORLD_SLA_PRIORITY_SECONDS) < 0 ||
	    chatwoot_advance(s, now) < 0) {
		snprintf(err, errlen, "cannot set up the Chatwoot dialect: %s",
			 sqlite3_errmsg(s->world.db));
		return -1;
	}
	return 0;
}

/* ---- directory ---- */

static void get_profile(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	(void)rq;
	cw_reply(rp, 200, cw_render_profile(&s->world, s->token));
}

static void get_agents(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	if (cw_account_ok(rq, rp))
		cw_reply(rp, 200, cw_render_agents(&s->world));
}

static void get_teams(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	if (cw_account_ok(rq, rp))
		cw_reply(rp, 200, cw_render_teams(&s->world));
}

static void get_team(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *team;

	if (!cw_account_ok(rq, rp))
		return;
	team = cw_render_team(&s->world, rq->ids[1]);
	if (team)
		cw_reply(rp, 200, team);
	else
		cw_error(rp, 404, "Resource could not be found");
}

static void get_labels(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	if (cw_account_ok(rq, rp))
		cw_reply(rp, 200, cw_render_labels(&s->world));
}

static void get_inboxes(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	if (cw_account_ok(rq, rp))
		cw_reply(rp, 200, cw_render_inboxes(&s->world));
}

/* A label's title as the Label model takes it: downcased, then letters, digits, "-" and
 * "_" only (RegexHelper's UNICODE_CHARACTER_NUMBER_HYPHEN_UNDERSCORE; a byte past ASCII
 * is taken for a letter). NULL when invalid. */
static char *label_title(const char *raw)
{
	char *t = xstrdup(raw), *p;

	for (p = t; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= 'A' && c <= 'Z')
			*p = (char)(c - 'A' + 'a');
		else if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			   c == '-' || c == '_')) {
			free(t);
			return NULL;
		}
	}
	return t;
}

/* POST .../labels {title, description?, color?, show_on_sidebar?} (or wrapped in
 * "label", as Rails' params wrapper reads it): labels_controller#create; the label, or
 * 422 with the record's errors ({message, attributes}) or a missing parameter's. */
static void post_label(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = body_object(rq), *label, *v;
	const char *raw;
	char *title;
	long long id;
	sqlite3_stmt *st;

	if (!cw_account_ok(rq, rp))
		return;
	label = json_is_object(json_object_get(body, "label")) ? json_object_get(body, "label") : body;
	v = label ? json_object_get(label, "title") : NULL;
	if (!label || !json_object_size(label)) {
		cw_error(rp, 422, "param is missing or the value is empty: label");
		return;
	}
	raw = json_is_string(v) ? json_string_value(v) : "";
	if (!*raw) {
		cw_reply(rp, 422, json_pack("{s:s, s:[s]}", "message", "Title must not be blank",
					    "attributes", "title"));
		return;
	}
	title = label_title(raw);
	if (!title) {
		cw_reply(rp, 422,
			 json_pack("{s:s, s:[s]}", "message", "Title is invalid", "attributes", "title"));
		return;
	}
	st = wdb_query(&s->world, "SELECT id FROM tags WHERE name = ?", "t", title);
	if (st && sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_reset(st);
		free(title);
		cw_reply(rp, 422, json_pack("{s:s, s:[s]}", "message", "Title has already been taken",
					    "attributes", "title"));
		return;
	}
	if (st)
		sqlite3_reset(st);
	if (world_tag_upsert(&s->world, title, 0, &id, rq->now) < 0) {
		free(title);
		cw_db_failed(rp);
		return;
	}
	v = json_object_get(label, "description");
	cw_reply(rp, 200,
		 json_pack("{s:I, s:s, s:s?, s:s, s:b}", "id", (json_int_t)id, "title", title,
			   "description", json_string_value(v),
			   "color", json_is_string(json_object_get(label, "color"))
					? json_string_value(json_object_get(label, "color"))
					: "#1f93ff",
			   "show_on_sidebar", json_flag(json_object_get(label, "show_on_sidebar"))));
	free(title);
}

/* A Community Edition server (--no-sla) has no such route. */
static void get_sla_policies(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	if (s->opt.no_sla)
		cw_error(rp, 404, "Resource Not Found");
	else if (cw_account_ok(rq, rp))
		cw_reply(rp, 200, cw_render_sla_policies(&s->world));
}

/* Chatwoot's time attributes as Rails writes them: ISO 8601 strings. */
static json_t *iso(time_t t)
{
	char buf[40];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	return json_string(buf);
}

/* A saved reply's text as a canned response's: each Intercom placeholder as the Chatwoot
 * variable it is ({{user.first_name|fallback:"there"}} becomes
 * {{ contact.first_name | default: 'there' }}; admin. and teammate. become agent.); other
 * text as it is. A new string. */
static char *liquid_of(const char *text)
{
	static const char *const renames[][2] = {
	    {"user.", "contact."}, {"admin.", "agent."}, {"teammate.", "agent."}};
	const char *p = text, *open, *close, *q, *key, *fb = NULL;
	size_t key_len, fb_len = 0, i, len = 0;
	char *out = NULL, quote;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		die("out of memory");
	while ((open = strstr(p, "{{")) != NULL && (close = strstr(open + 2, "}}")) != NULL) {
		fwrite(p, 1, (size_t)(open - p), f);
		for (key = open + 2; *key == ' '; key++)
			;
		key_len = strcspn(key, " |}");
		q = strchr(key, '|');
		fb = NULL;
		if (q && q < close && (q = strchr(q, ':')) != NULL && q < close) {
			for (q++; *q == ' '; q++)
				;
			quote = *q;
			fb = q + 1;
			q = strchr(fb, quote);
			fb_len = q && q < close ? (size_t)(q - fb) : 0;
		}
		fputs("{{ ", f);
		for (i = 0; i < sizeof(renames) / sizeof(renames[0]); i++)
			if (!strncmp(key, renames[i][0], strlen(renames[i][0])))
				break;
		if (i < sizeof(renames) / sizeof(renames[0])) {
			fputs(renames[i][1], f);
			fwrite(key + strlen(renames[i][0]), 1, key_len - strlen(renames[i][0]), f);
		} else {
			fwrite(key, 1, key_len, f);
		}
		if (fb)
			fprintf(f, " | default: '%.*s'", (int)fb_len, fb);
		fputs(" }}", f);
		p = close + 2;
	}
	fputs(p, f);
	if (fclose(f) != 0)
		die("out of memory");
	return out;
}

/* The saved replies as canned responses; short_code is the name in lower case, dashed,
 * the content in Chatwoot's variables. */
static void get_canned_responses(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	struct macro_entry m;
	json_t *list = json_array();
	size_t i, k;

	(void)s;
	if (!cw_account_ok(rq, rp)) {
		json_decref(list);
		return;
	}
	for (i = 0; macros_entry(i, &m); i++) {
		char code[64], *content;

		for (k = 0; m.name[k] && k < sizeof(code) - 1; k++)
			code[k] = m.name[k] == ' '			 ? '-'
				  : m.name[k] >= 'A' && m.name[k] <= 'Z' ? (char)(m.name[k] + 32)
									 : m.name[k];
		code[k] = '\0';
		content = liquid_of(m.body_text);
		json_array_append_new(
		    list, json_pack("{s:I, s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)m.id,
				    "account_id", (json_int_t)CHATWOOT_ACCOUNT_ID, "short_code",
				    code, "content", content, "created_at",
				    iso(m.updated - 86400 * 30), "updated_at", iso(m.updated)));
		free(content);
	}
	cw_reply(rp, 200, list);
}

/* ---- one conversation ---- */

static void reply_conversation(struct sim *s, long long id, struct api_reply *rp)
{
	bool db_error;
	json_t *c = cw_render_conversation(&s->world, id, !s->opt.no_sla, &db_error);

	if (c)
		cw_reply(rp, 200, c);
	else if (db_error)
		cw_db_failed(rp);
	else
		cw_error(rp, 404, "Resource could not be found");
}

static void get_conversation(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	if (conversation_ok(s, rq, rp))
		reply_conversation(s, rq->ids[1], rp);
}

/* GET .../messages: the 20 messages before `before` (a message id), oldest first. */
static void get_messages(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	const char *before = rq->query(rq->query_ctx, "before");
	long long b = 0;
	bool db_error;
	json_t *m;

	if (!conversation_ok(s, rq, rp))
		return;
	if (before && util_parse_ll(before, 0, INT64_MAX, &b) < 0)
		b = 0;
	m = cw_render_messages(&s->world, rq->ids[1], b, &db_error);
	if (m)
		cw_reply(rp, 200, m);
	else
		cw_db_failed(rp);
}

/* The message id of the conversation's newest part. */
static long long last_part(struct sim *s, long long id)
{
	sqlite3_stmt *st =
	    wdb_query(&s->world, "SELECT max(id) FROM parts WHERE conversation_id = ?", "i", id);

	return st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) + CW_PART_ID_BASE
						    : id;
}

/* POST .../messages {content, message_type: "outgoing" (default) or "incoming", private}:
 * an agent's reply or private note (by the token's agent), or a customer's message. */
static void post_message(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = body_object(rq);
	const char *content, *type;
	long long id = rq->ids[1];
	int rc;

	if (!conversation_ok(s, rq, rp))
		return;
	content = json_string_value(json_object_get(body, "content"));
	type = json_string_value(json_object_get(body, "message_type"));
	if (!content || !*content) {
		cw_error(rp, 422, "Content can't be blank");
		return;
	}
	if (type && strcmp(type, "outgoing") && strcmp(type, "incoming")) {
		cw_error(rp, 422, "'%.40s' is not a valid message_type", type);
		return;
	}
	if (type && !strcmp(type, "incoming"))
		rc = world_customer_message(&s->world, id, content, false, rq->now);
	else
		rc = world_admin_reply(&s->world, id, s->world.me_admin_id,
				       json_flag(json_object_get(body, "private")), content, false,
				       rq->now);
	if (rc < 0)
		cw_db_failed(rp);
	else
		cw_reply(rp, 200, cw_render_message(&s->world, id, last_part(s, id)));
}

static json_t *toggle_answer(struct sim *s, long long id)
{
	sqlite3_stmt *st = wdb_query(
	    &s->world, "SELECT state, snoozed_until FROM conversations WHERE id = ?", "i", id);
	const char *state;

	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return NULL;
	state = (const char *)sqlite3_column_text(st, 0);
	return json_pack("{s:{}, s:{s:b, s:I, s:s, s:o}}", "meta", "payload", "success", 1,
			 "conversation_id", (json_int_t)id, "current_status",
			 !strcmp(state, "closed") ? "resolved" : state, "snoozed_until",
			 sqlite3_column_type(st, 1) == SQLITE_NULL
			     ? json_null()
			     : iso((time_t)sqlite3_column_int64(st, 1)));
}

/* POST .../toggle_status {status, snoozed_until (unix seconds)}: without status, open
 * becomes resolved and anything else open. A snooze without a time lasts until the
 * customer writes. */
static void post_toggle_status(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = body_object(rq), *until_v;
	const char *status = json_string_value(json_object_get(body, "status"));
	long long id = rq->ids[1], me = s->world.me_admin_id, until = 0;
	sqlite3_stmt *st;
	const char *target;
	int rc;

	if (!conversation_ok(s, rq, rp))
		return;
	st = wdb_query(&s->world, "SELECT state FROM conversations WHERE id = ?", "i", id);
	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		cw_db_failed(rp);
		return;
	}
	if (!status)
		target =
		    strcmp((const char *)sqlite3_column_text(st, 0), "open") ? "open" : "closed";
	else if (!(target = cw_world_state(status))) {
		cw_error(rp, 422, "'%.40s' is not a valid status", status);
		return;
	}
	until_v = json_object_get(body, "snoozed_until");
	if (until_v && !json_is_null(until_v) && !json_number(until_v, &until)) {
		cw_error(rp, 422, "snoozed_until must be a unix time in seconds");
		return;
	}
	if (!strcmp(target, "closed"))
		rc = world_close_conversation(&s->world, id, me, NULL, rq->now);
	else if (!strcmp(target, "open"))
		rc = world_open_conversation(&s->world, id, me, rq->now);
	else if (!strcmp(target, "snoozed"))
		rc = world_snooze(&s->world, id, me, (time_t)until, rq->now) < 0 ||
			     (until == 0 && wdb_exec(&s->world,
						     "UPDATE conversations SET"
						     " snoozed_until = NULL WHERE id = ?",
						     "i", id) < 0)
			 ? -1
			 : 0;
	else
		rc = wdb_exec(&s->world,
			      "UPDATE conversations SET state = 'pending', snoozed_until = NULL,"
			      " updated_at = MAX(updated_at, ?1) WHERE id = ?2",
			      "ii", (long long)rq->now, id) < 0
			 ? -1
			 : 0;
	if (rc < 0)
		cw_db_failed(rp);
	else
		cw_reply(rp, 200, toggle_answer(s, id));
}

/* POST .../toggle_priority {priority: low, medium, high, urgent, none or null}: 200, no
 * body. */
static void post_toggle_priority(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	static const char *const levels[] = {"low", "medium", "high", "urgent"};
	json_t *v = json_object_get(body_object(rq), "priority");
	const char *priority = "none";
	size_t i;

	if (!conversation_ok(s, rq, rp))
		return;
	/* null, "" and "none" all clear it (priority.presence; the description lists none). */
	if (v && !json_is_null(v) &&
	    !(json_is_string(v) &&
	      (!*json_string_value(v) || !strcmp(json_string_value(v), "none")))) {
		priority = NULL;
		for (i = 0; json_is_string(v) && i < sizeof(levels) / sizeof(levels[0]); i++)
			if (!strcmp(json_string_value(v), levels[i]))
				priority = levels[i];
		if (!priority) {
			cw_error(rp, 422, "priority must be low, medium, high, urgent or null");
			return;
		}
	}
	if (world_set_priority(&s->world, rq->ids[1], priority, rq->now) < 0) {
		cw_db_failed(rp);
		return;
	}
	json_decref(rp->body);
	rp->body = NULL;
	rp->status = 200;
}

/* POST .../assignments {assignee_id} or {team_id}: the agent (or team) now assigned, or
 * null. An id that names nobody unassigns (the server's find_by gives nil). A team that
 * the assigned agent is not in takes the conversation from the agent. */
static void post_assignment(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = body_object(rq), *agent = NULL;
	long long id = rq->ids[1], me = s->world.me_admin_id, who = 0;
	bool team;
	int rc = 0;

	if (!conversation_ok(s, rq, rp))
		return;
	team = !json_object_get(body, "assignee_id") && json_object_get(body, "team_id");
	if (!json_object_get(body, "assignee_id") && !team) {
		cw_reply(rp, 200, json_null());
		return;
	}
	if (!json_number(json_object_get(body, team ? "team_id" : "assignee_id"), &who))
		who = 0;
	if (team) {
		if (who && world_team_exists(&s->world, who) != 1)
			who = 0;
	} else if (who && !(agent = cw_render_agent(&s->world, who))) {
		who = 0;
	}
	rc = world_assign(&s->world, id, me, team, who, rq->now);
	if (rc == 0 && team && who) {
		int index = world_team_index(&s->world, who);

		rc = wdb_exec(&s->world,
			      "UPDATE conversations SET admin_assignee_id = 0 WHERE id = ?1 AND"
			      " admin_assignee_id <> 0 AND NOT EXISTS (SELECT 1 FROM admins WHERE"
			      " id = admin_assignee_id AND team_mask & ?2)",
			      "ii", id, 1LL << index) < 0
			 ? -1
			 : 0;
	}
	if (rc < 0) {
		json_decref(agent);
		cw_db_failed(rp);
		return;
	}
	if (team)
		cw_reply(rp, 200, who ? cw_render_team(&s->world, who) : json_null());
	else
		cw_reply(rp, 200, agent ? agent : json_null());
}

static void get_conversation_labels(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	if (conversation_ok(s, rq, rp))
		cw_reply(rp, 200, cw_render_conversation_labels(&s->world, rq->ids[1]));
}

/* Whether name is among the strings of list. */
static bool listed(json_t *list, const char *name)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v) if (json_is_string(v) &&
					   !strcmp(json_string_value(v), name)) return true;
	return false;
}

/* POST .../labels {labels: [...]}: the conversation's labels become exactly these (a
 * missing list clears them), labels the account lacks are created. */
static void post_conversation_labels(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *wanted = json_object_get(body_object(rq), "labels"), *now_set, *v;
	long long id = rq->ids[1], me = s->world.me_admin_id, tag;
	bool found;
	size_t i;
	int rc = 0;

	if (!conversation_ok(s, rq, rp))
		return;
	if (wanted && !json_is_array(wanted)) {
		cw_error(rp, 422, "labels must be a list of strings");
		return;
	}
	now_set = cw_render_conversation_labels(&s->world, id);
	json_array_foreach(json_object_get(now_set, "payload"), i, v)
	{
		if (rc == 0 && !listed(wanted, json_string_value(v)) &&
		    world_tag_upsert(&s->world, json_string_value(v), 0, &tag, rq->now) == 0)
			rc = world_tag_conversation(&s->world, id, tag, me, false, rq->now, &found);
	}
	json_array_foreach(wanted, i, v)
	{
		if (rc == 0 && json_is_string(v) && *json_string_value(v) &&
		    !listed(json_object_get(now_set, "payload"), json_string_value(v))) {
			rc = world_tag_upsert(&s->world, json_string_value(v), 0, &tag, rq->now);
			if (rc == 0)
				rc = world_tag_conversation(&s->world, id, tag, me, true, rq->now,
							    &found);
		}
	}
	json_decref(now_set);
	if (rc < 0)
		cw_db_failed(rp);
	else
		cw_reply(rp, 200, cw_render_conversation_labels(&s->world, id));
}

/* POST .../custom_attributes {custom_attributes: {...}}: the conversation's custom
 * attributes become these (the action assigns the whole hash). */
static void post_custom_attributes(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *attrs = json_object_get(body_object(rq), "custom_attributes");
	char *text;
	int rc;

	if (!conversation_ok(s, rq, rp))
		return;
	if (!json_is_object(attrs)) {
		cw_error(rp, 422, "custom_attributes must be an object");
		return;
	}
	text = json_dumps(attrs, JSON_COMPACT);
	rc =
	    text
		? wdb_exec(
		      &s->world,
		      "INSERT INTO cw_custom_attributes(conversation_id, attributes) VALUES(?1, ?2)"
		      " ON CONFLICT(conversation_id) DO UPDATE SET attributes = "
		      "excluded.attributes",
		      "it", rq->ids[1], text)
		: -1;
	free(text);
	if (rc < 0 ||
	    wdb_exec(&s->world,
		     "UPDATE conversations SET updated_at = MAX(updated_at, ?1) WHERE id = ?2",
		     "ii", (long long)rq->now, rq->ids[1]) < 0) {
		cw_db_failed(rp);
		return;
	}
	cw_reply(rp, 200, json_pack("{s:O}", "custom_attributes", attrs));
}

/* POST .../update_last_seen: the agent has read the conversation; 204, no body. */
static void post_update_last_seen(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	long long id = rq->ids[1];

	if (!conversation_ok(s, rq, rp))
		return;
	if (wdb_exec(
		&s->world,
		"INSERT INTO cw_last_seen(conversation_id, agent_last_seen_at,"
		" assignee_last_seen_at) SELECT id, ?2, CASE WHEN admin_assignee_id = ?3 THEN ?2"
		" END FROM conversations WHERE id = ?1 ON CONFLICT(conversation_id) DO UPDATE"
		" SET agent_last_seen_at = excluded.agent_last_seen_at, assignee_last_seen_at ="
		" COALESCE(excluded.assignee_last_seen_at, assignee_last_seen_at)",
		"iii", id, (long long)rq->now, s->world.me_admin_id) < 0 ||
	    wdb_exec(&s->world,
		     "INSERT OR REPLACE INTO cw_seen_parts(conversation_id, part_id) VALUES(?1,"
		     " (SELECT COALESCE(max(id), 0) FROM parts WHERE conversation_id = ?1))",
		     "i", id) < 0 ||
	    wdb_exec(&s->world, "UPDATE conversations SET read = 1 WHERE id = ?", "i", id) < 0) {
		cw_db_failed(rp);
		return;
	}
	json_decref(rp->body);
	rp->body = NULL;
	rp->status = 204;
}

/* ---- help center ---- */

static bool portal_ok(struct api_request *rq, struct api_reply *rp)
{
	const char *p = strstr(rq->path, "/portals/");

	if (!cw_account_ok(rq, rp))
		return false;
	if (p && !strncmp(p + 9, PORTAL_SLUG "/", sizeof(PORTAL_SLUG)))
		return true;
	cw_error(rp, 404, "Resource could not be found");
	return false;
}

static void get_portals(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	if (cw_account_ok(rq, rp))
		cw_reply(rp, 200,
			 json_pack("{s:[o], s:{s:I, s:I}}", "payload", cw_render_portal(&s->world),
				   "meta", "current_page", (json_int_t)1, "portals_count",
				   (json_int_t)1));
}

/* GET .../portals/{slug}/articles?query=&page=: the portal's articles (25 a page), those
 * matching query best first, else in order. */
static void get_articles(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	const char *query = rq->query(rq->query_ctx, "query");
	const char *page_arg = rq->query(rq->query_ctx, "page");
	long long page = 1, total = 0, all = 0, *ids = NULL;
	size_t n = 0, cap = 0, i;
	sqlite3_stmt *st;
	json_t *list;
	int rc = 0;

	if (!portal_ok(rq, rp))
		return;
	if (page_arg && util_parse_ll(page_arg, 1, 1000000, &page) < 0)
		page = 1;
	st = wdb_query(&s->world, "SELECT count(*) FROM articles", "");
	if (st && sqlite3_step(st) == SQLITE_ROW)
		all = sqlite3_column_int64(st, 0);
	if (query && *query)
		rc = api_article_search(&s->world, query, ARTICLES_PER_PAGE,
					(page - 1) * ARTICLES_PER_PAGE, &ids, &n, &total);
	if (rc < 0) {
		cw_db_failed(rp);
		return;
	}
	if (!query || !*query) {
		total = all;
		st = wdb_query(&s->world, "SELECT id FROM articles ORDER BY id LIMIT ? OFFSET ?",
			       "ii", (long long)ARTICLES_PER_PAGE, (page - 1) * ARTICLES_PER_PAGE);
		while (st && sqlite3_step(st) == SQLITE_ROW) {
			xgrow(&ids, &cap, n + 1, sizeof(*ids));
			ids[n++] = sqlite3_column_int64(st, 0);
		}
	}
	list = json_array();
	for (i = 0; i < n; i++) {
		json_t *a = cw_render_article(&s->world, ids[i], NULL);

		if (a)
			json_array_append_new(list, a);
	}
	free(ids);
	cw_reply(rp, 200,
		 json_pack("{s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}}", "payload", list, "meta",
			   "all_articles_count", (json_int_t)all, "archived_articles_count",
			   (json_int_t)0, "articles_count", (json_int_t)total, "current_page",
			   (json_int_t)page, "draft_articles_count", (json_int_t)0,
			   "mine_articles_count", (json_int_t)0, "published_count",
			   (json_int_t)all));
}

static void get_article(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	bool db_error;
	json_t *a;

	if (!portal_ok(rq, rp))
		return;
	a = cw_render_article(&s->world, rq->ids[1], &db_error);
	if (a)
		cw_reply(rp, 200, json_pack("{s:o}", "payload", a));
	else if (db_error)
		cw_db_failed(rp);
	else
		cw_error(rp, 404, "Resource could not be found");
}

/* ---- the table ---- */

#define ACCOUNT	     "/api/v1/accounts/{id}"
#define CONVERSATION ACCOUNT "/conversations/{id}"

static const struct api_route routes[] = {
    {"GET", "/api/v1/profile", get_profile, false},
    {"GET", ACCOUNT "/agents", get_agents, false},
    {"GET", ACCOUNT "/teams", get_teams, false},
    {"GET", ACCOUNT "/teams/{id}", get_team, false},
    {"GET", ACCOUNT "/labels", get_labels, false},
    {"POST", ACCOUNT "/labels", post_label, true},
    {"GET", ACCOUNT "/inboxes", get_inboxes, false},
    {"GET", ACCOUNT "/canned_responses", get_canned_responses, false},
    {"GET", ACCOUNT "/sla_policies", get_sla_policies, false},
    {"GET", ACCOUNT "/conversations", cw_get_conversations, false},
    {"GET", ACCOUNT "/conversations/meta", cw_get_conversations_meta, false},
    {"POST", ACCOUNT "/conversations/filter", cw_post_filter, false},
    {"GET", CONVERSATION, get_conversation, false},
    {"GET", CONVERSATION "/messages", get_messages, false},
    {"POST", CONVERSATION "/messages", post_message, true},
    {"POST", CONVERSATION "/toggle_status", post_toggle_status, true},
    {"POST", CONVERSATION "/toggle_priority", post_toggle_priority, true},
    {"POST", CONVERSATION "/assignments", post_assignment, true},
    {"GET", CONVERSATION "/labels", get_conversation_labels, false},
    {"POST", CONVERSATION "/labels", post_conversation_labels, true},
    {"POST", CONVERSATION "/update_last_seen", post_update_last_seen, true},
    {"POST", CONVERSATION "/custom_attributes", post_custom_attributes, true},
    {"GET", ACCOUNT "/portals", get_portals, false},
    {"GET", ACCOUNT "/portals/{slug}/articles", get_articles, false},
    {"GET", ACCOUNT "/portals/{slug}/articles/{id}", get_article, false},
};

struct api_route_info chatwoot_route(const char *method, const char *path, struct api_request *rq,
				     const void **route)
{
	struct api_route_info info;

	/* The same world as Intercom shows it, for tests to read and set the stage in one
	 * form whatever the dialect; a control endpoint (with --control only). */
	if (!strncmp(path, SIM_INTERCOM_VIEW "/", sizeof(SIM_INTERCOM_VIEW))) {
		info = api_route(method, path + sizeof(SIM_INTERCOM_VIEW) - 1, rq, route);
		info.control = true;
		return info;
	}
	if (!strncmp(path, "/_sim/", 6))
		return api_route(method, path, rq, route);
	return api_route_in(routes, sizeof(routes) / sizeof(routes[0]), method, path, rq, route);
}
