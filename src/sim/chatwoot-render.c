/* chatwoot-render.c: the sim's records as the JSON of Chatwoot's application API (the
 * server's jbuilder views and push_event_data): integer timestamps with 0 for "none",
 * integer message_type, labels as strings, display ids. */
#include "build-config.h"

#include "chatwoot-render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "html.h"
#include "util.h"
#include "wdb.h"
#include "world.h"

/* GET .../messages gives this many messages a page. */
#define MESSAGES_PER_PAGE 20
/* unread_count counts at most this many incoming messages. */
#define UNREAD_MAX 10
/* The help center's one portal. */
#define PORTAL_ID   1
#define PORTAL_SLUG "help"

/* Message types, as the server stores them (message_type_before_type_cast). */
enum cw_message_type { CW_INCOMING = 0, CW_OUTGOING = 1, CW_ACTIVITY = 2 };

static const char *text_col(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? (const char *)s : "";
}

static bool step_row(sqlite3_stmt *st, bool *db_error)
{
	int rc = st ? sqlite3_step(st) : SQLITE_ERROR;

	if (db_error)
		*db_error = rc != SQLITE_ROW && rc != SQLITE_DONE;
	return rc == SQLITE_ROW;
}

/* A time as Rails writes a raw datetime attribute: ISO 8601 in UTC with milliseconds. */
static json_t *iso_time(long long t)
{
	char buf[40];
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	return json_string(buf);
}

long long cw_inbox_of_team(struct world *w, long long team_id)
{
	sqlite3_stmt *st = wdb_query(w,
				     "SELECT id FROM office_hours_schedules"
				     " ORDER BY team_id = ? DESC, id LIMIT 1",
				     "i", team_id);

	return st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
}

long long cw_inbox_of(struct world *w, long long conversation_id)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT inbox_id FROM cw_inboxes WHERE conversation_id = ?",
				     "i", conversation_id);

	if (st && sqlite3_step(st) == SQLITE_ROW)
		return sqlite3_column_int64(st, 0);
	st = wdb_query(w, "SELECT team_assignee_id FROM conversations WHERE id = ?", "i",
		       conversation_id);
	return cw_inbox_of_team(
	    w, st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0);
}

/* The channel of an inbox: the real-time team's is the web widget, the other email. */
static const char *channel_of_inbox(struct world *w, long long inbox)
{
	sqlite3_stmt *st =
	    wdb_query(w, "SELECT team_id FROM office_hours_schedules WHERE id = ?", "i", inbox);
	long long team = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;

	return world_team_index(w, team) == WORLD_TEAM_STANDARD ? "Channel::Email"
								: "Channel::WebWidget";
}

/* ---- people ---- */

#define AGENT_COLUMNS "id, name, email, away"

static json_t *agent_from_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:I, s:s, s:b, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:n}", "id",
			 (json_int_t)sqlite3_column_int64(st, 0), "account_id",
			 (json_int_t)CHATWOOT_ACCOUNT_ID, "availability_status",
			 sqlite3_column_int(st, 3) ? "busy" : "online", "auto_offline", 1,
			 "confirmed", 1, "email", text_col(st, 2), "provider", "email",
			 "available_name", text_col(st, 1), "name", text_col(st, 1), "role",
			 "agent", "thumbnail", "", "custom_role_id");
}

json_t *cw_render_agent(struct world *w, long long admin_id)
{
	sqlite3_stmt *st = wdb_query(
	    w, "SELECT " AGENT_COLUMNS " FROM admins WHERE id = ? AND bot = 0", "i", admin_id);
	json_t *a;

	if (!step_row(st, NULL))
		return NULL;
	a = agent_from_row(st);
	if (admin_id == w->me_admin_id)
		json_object_set_new(a, "role", json_string("administrator"));
	return a;
}

json_t *cw_render_agents(struct world *w)
{
	sqlite3_stmt *st =
	    wdb_query(w, "SELECT " AGENT_COLUMNS " FROM admins WHERE bot = 0 ORDER BY id", "");
	json_t *list = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		json_t *a = agent_from_row(st);

		if (sqlite3_column_int64(st, 0) == w->me_admin_id)
			json_object_set_new(a, "role", json_string("administrator"));
		json_array_append_new(list, a);
	}
	return list;
}

/* A contact as the sender of a conversation or message. */
static json_t *contact_json(struct world *w, long long id)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT name, email FROM contacts WHERE id = ?", "i", id);

	if (!step_row(st, NULL))
		return json_null();
	return json_pack("{s:{}, s:s, s:s, s:I, s:s, s:n, s:b, s:n, s:s, s:{}, s:I, s:I, s:s}",
			 "additional_attributes", "availability_status", "offline", "email",
			 text_col(st, 1), "id", (json_int_t)id, "name", text_col(st, 0),
			 "phone_number", "blocked", 0, "identifier", "thumbnail", "",
			 "custom_attributes", "last_activity_at", (json_int_t)0, "created_at",
			 (json_int_t)0, "type", "contact");
}

/* An agent as a message's sender (push_event_data of a user). */
static json_t *user_sender(sqlite3_stmt *st, int id_col, int name_col)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
			 (json_int_t)sqlite3_column_int64(st, id_col), "name",
			 text_col(st, name_col), "available_name", text_col(st, name_col),
			 "avatar_url", "", "type", "user", "availability_status", "online",
			 "thumbnail", "");
}

/* ---- teams ---- */

static json_t *team_from_row(struct world *w, sqlite3_stmt *st)
{
	long long id = sqlite3_column_int64(st, 0);
	int index = world_team_index(w, id);
	sqlite3_stmt *m =
	    wdb_query(w, "SELECT team_mask FROM admins WHERE id = ?", "i", w->me_admin_id);
	long long mask = m && sqlite3_step(m) == SQLITE_ROW ? sqlite3_column_int64(m, 0) : 0;

	return json_pack("{s:I, s:s, s:s, s:b, s:I, s:b}", "id", (json_int_t)id, "name",
			 text_col(st, 1), "description", "", "allow_auto_assign", 0, "account_id",
			 (json_int_t)CHATWOOT_ACCOUNT_ID, "is_member",
			 index >= 0 && (mask & (1LL << index)));
}

json_t *cw_render_team(struct world *w, long long team_id)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT id, name FROM teams WHERE id = ?", "i", team_id);

	return step_row(st, NULL) ? team_from_row(w, st) : NULL;
}

json_t *cw_render_teams(struct world *w)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT id, name FROM teams ORDER BY id", "");
	json_t *list = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, team_from_row(w, st));
	return list;
}

json_t *cw_render_profile(struct world *w, const char *token)
{
	sqlite3_stmt *st =
	    wdb_query(w, "SELECT id, name, email FROM admins WHERE id = ?", "i", w->me_admin_id);

	if (!step_row(st, NULL))
		return NULL;
	return json_pack(
	    "{s:s, s:I, s:[{s:I, s:s, s:s, s:s, s:s, s:[], s:s, s:s, s:b, s:n, s:n}], s:s, s:s,"
	    " s:b, s:n, s:n, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:{}, s:s, s:n}",
	    "access_token", token, "account_id", (json_int_t)CHATWOOT_ACCOUNT_ID, "accounts", "id",
	    (json_int_t)CHATWOOT_ACCOUNT_ID, "name", "frontline demo", "status", "active",
	    "active_at", "2026-01-01T00:00:00.000Z", "role", "administrator", "permissions",
	    "availability", "online", "availability_status", "online", "auto_offline", 1,
	    "custom_role_id", "custom_role", "available_name", text_col(st, 1), "avatar_url", "",
	    "confirmed", 1, "display_name", "message_signature", "email", text_col(st, 2),
	    "hmac_identifier", "", "id", (json_int_t)sqlite3_column_int64(st, 0), "name",
	    text_col(st, 1), "provider", "email", "pubsub_token", "frontline-sim", "role",
	    "administrator", "ui_settings", "uid", text_col(st, 2), "type");
}

/* ---- inboxes ---- */

/* A schedule's intervals (minutes of the week from Monday 00:00) as Chatwoot's
 * working_hours: one row a day, day_of_week 0 for Sunday, the day's first interval. */
static json_t *working_hours(const char *intervals)
{
	json_t *stored = json_loads(intervals, 0, NULL), *out = json_array();
	int day;

	for (day = 0; day < 7; day++) {
		int monday_based = (day + 6) % 7;
		long long from = -1, to = -1;
		json_t *pair;
		size_t i;

		json_array_foreach(stored, i, pair)
		{
			long long a = json_integer_value(json_array_get(pair, 0));
			long long b = json_integer_value(json_array_get(pair, 1));

			if (a / 1440 == monday_based && from < 0) {
				from = a % 1440;
				to = b - (long long)monday_based * 1440;
			}
		}
		if (from < 0)
			json_array_append_new(
			    out, json_pack("{s:i, s:b, s:n, s:n, s:n, s:n, s:b}", "day_of_week",
					   day, "closed_all_day", 1, "open_hour", "open_minutes",
					   "close_hour", "close_minutes", "open_all_day", 0));
		else
			json_array_append_new(
			    out,
			    json_pack("{s:i, s:b, s:I, s:I, s:I, s:I, s:b}", "day_of_week", day,
				      "closed_all_day", 0, "open_hour", (json_int_t)(from / 60),
				      "open_minutes", (json_int_t)(from % 60), "close_hour",
				      (json_int_t)(to >= 1440 ? 23 : to / 60), "close_minutes",
				      (json_int_t)(to >= 1440 ? 59 : to % 60), "open_all_day",
				      from == 0 && to >= 1440));
	}
	json_decref(stored);
	return out;
}

json_t *cw_render_inboxes(struct world *w)
{
	sqlite3_stmt *st = wdb_query(w,
				     "SELECT id, name, time_zone_name, intervals, team_id"
				     " FROM office_hours_schedules ORDER BY id",
				     "");
	json_t *list = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		bool realtime =
		    world_team_index(w, sqlite3_column_int64(st, 4)) == WORLD_TEAM_REALTIME;

		json_array_append_new(
		    list,
		    json_pack("{s:I, s:s, s:s, s:I, s:s, s:b, s:n, s:b, s:b, s:b, s:b, s:{}, s:s,"
			      " s:o, s:s, s:b, s:b}",
			      "id", (json_int_t)sqlite3_column_int64(st, 0), "avatar_url", "",
			      "channel_type", realtime ? "Channel::WebWidget" : "Channel::Email",
			      "channel_id", (json_int_t)sqlite3_column_int64(st, 0), "name",
			      text_col(st, 1), "greeting_enabled", 0, "greeting_message",
			      "working_hours_enabled", 1, "enable_email_collect", 1,
			      "csat_survey_enabled", 0, "enable_auto_assignment", 0,
			      "auto_assignment_config", "out_of_office_message",
			      "We are away: we will answer as soon as we are back.",
			      "working_hours", working_hours(text_col(st, 3)), "timezone",
			      text_col(st, 2), "allow_messages_after_resolved", 1,
			      "lock_to_single_conversation", 0));
	}
	return json_pack("{s:o}", "payload", list);
}

/* ---- labels ---- */

json_t *cw_render_labels(struct world *w)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT id, name FROM tags ORDER BY name", "");
	json_t *list = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:b}", "id",
						      (json_int_t)sqlite3_column_int64(st, 0),
						      "title", text_col(st, 1), "description", "",
						      "color", "#1f93ff", "show_on_sidebar", 1));
	return json_pack("{s:o}", "payload", list);
}

/* A conversation's labels as strings, in the order they were applied. */
static json_t *label_names(struct world *w, long long id)
{
	sqlite3_stmt *st = wdb_query(w,
				     "SELECT t.name FROM conversation_tags ct JOIN tags t"
				     " ON t.id = ct.tag_id WHERE ct.conversation_id = ?"
				     " ORDER BY ct.applied_at, t.id",
				     "i", id);
	json_t *list = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, json_string(text_col(st, 0)));
	return list;
}

json_t *cw_render_conversation_labels(struct world *w, long long id)
{
	return json_pack("{s:o}", "payload", label_names(w, id));
}

/* ---- SLA ---- */

json_t *cw_render_sla_policies(struct world *w)
{
	sqlite3_stmt *st =
	    wdb_query(w, "SELECT id, name, threshold FROM cw_sla_policies ORDER BY id", "");
	json_t *list = json_array();

	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:I, s:I, s:n, s:b}", "id",
						      (json_int_t)sqlite3_column_int64(st, 0),
						      "name", text_col(st, 1), "description", "",
						      "first_response_time_threshold",
						      (json_int_t)sqlite3_column_int64(st, 2),
						      "next_response_time_threshold",
						      (json_int_t)sqlite3_column_int64(st, 2),
						      "resolution_time_threshold",
						      "only_during_business_hours", 0));
	return json_pack("{s:o}", "payload", list);
}

/* ---- messages ---- */

/* A conversation's messages: its opening message (the conversation's body, which the world
 * keeps outside its parts) with the conversation's display id as its message id, then
 * its parts with CW_PART_ID_BASE added to theirs, so the opening message sorts first and
 * the two never collide. ?1 is the conversation. */
/* The tags before a tags part: those of the conversation's tags part before it. */
#define TAGS_BEFORE                                                                                \
	"COALESCE((SELECT q.tags FROM parts q WHERE q.conversation_id = p.conversation_id AND"     \
	" q.part_type = 'conversation_tags_updated' AND q.id < p.id ORDER BY q.id DESC LIMIT 1),"  \
	" '[]')"
/* The names of the labels in tags a not in tags b, joined with ", ", for a tags part
 * (NULL for other parts or when there are none): what it added, or what it removed. */
#define LABELS_NOT_IN(a, b)                                                                        \
	"(SELECT group_concat(json_extract(n.value, '$.name'), ', ') FROM json_each(" a ") n"       \
	" WHERE p.part_type = 'conversation_tags_updated' AND json_extract(n.value, '$.name')"     \
	" NOT IN (SELECT json_extract(m.value, '$.name') FROM json_each(" b ") m))"

#define MESSAGE_ROWS                                                                               \
	"SELECT c.id AS mid, 'source', c.body, c.created_at, 'user', c.contact_id, 0, NULL, NULL," \
	" ct.name, c.team_assignee_id, c.admin_assignee_id, NULL, NULL, c.id, NULL, NULL"          \
	" FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE c.id = ?1"           \
	" UNION ALL SELECT p.id + " CW_PART_ID_BASE_TEXT ", p.part_type, p.body, p.created_at,"    \
	" p.author_type, p.author_id, p.is_html, p.assigned_type, p.assigned_id,"                  \
	" COALESCE(a.name, ct.name), c.team_assignee_id, c.admin_assignee_id,"                     \
	" (SELECT name FROM admins WHERE id = p.assigned_id),"                                     \
	" (SELECT name FROM teams WHERE id = p.assigned_id), p.conversation_id,"                   \
	" " LABELS_NOT_IN("p.tags", TAGS_BEFORE) ", " LABELS_NOT_IN(TAGS_BEFORE, "p.tags")          \
	" FROM parts p"                                                                            \
	" JOIN conversations c ON c.id = p.conversation_id"                                        \
	" LEFT JOIN admins a ON p.author_type = 'admin' AND a.id = p.author_id"                    \
	" LEFT JOIN contacts ct ON p.author_type = 'user' AND ct.id = p.author_id"                 \
	" WHERE p.conversation_id = ?1"

enum msg_col {
	M_ID,
	M_TYPE,
	M_BODY,
	M_CREATED,
	M_AUTHOR_TYPE,
	M_AUTHOR,
	M_HTML,
	M_ASSIGNED_TYPE,
	M_ASSIGNED,
	M_AUTHOR_NAME,
	M_TEAM,
	M_ASSIGNEE,
	M_ASSIGNED_ADMIN,
	M_ASSIGNED_TEAM,
	M_CONV,
	M_LABELS_ADDED,
	M_LABELS_REMOVED
};

/* What an activity message says for a part that is not a message. */
static char *activity_text(sqlite3_stmt *st)
{
	const char *type = text_col(st, M_TYPE), *who = text_col(st, M_AUTHOR_NAME);

	if (!strcmp(type, "close"))
		return xasprintf("Conversation was marked resolved by %s", who);
	if (!strcmp(type, "open"))
		return xasprintf("Conversation was reopened by %s", who);
	if (!strcmp(type, "snoozed"))
		return xasprintf("Conversation was snoozed by %s", who);
	if (!strcmp(type, "assignment") && sqlite3_column_int64(st, M_ASSIGNED) == 0)
		return xasprintf("Conversation unassigned by %s", who);
	if (!strcmp(type, "assignment") && !strcmp(text_col(st, M_ASSIGNED_TYPE), "team"))
		return xasprintf("Assigned to %s by %s", text_col(st, M_ASSIGNED_TEAM), who);
	/* as Chatwoot says it when the agent is the one who assigns */
	if (!strcmp(type, "assignment") && !strcmp(text_col(st, M_AUTHOR_TYPE), "admin") &&
	    sqlite3_column_int64(st, M_ASSIGNED) == sqlite3_column_int64(st, M_AUTHOR))
		return xasprintf("%s self-assigned this conversation", who);
	if (!strcmp(type, "assignment"))
		return xasprintf("Assigned to %s by %s", text_col(st, M_ASSIGNED_ADMIN), who);
	/* one tag change a part: Chatwoot's "added" or "removed" message for it */
	if (sqlite3_column_type(st, M_LABELS_ADDED) != SQLITE_NULL)
		return xasprintf("%s added %s", who, text_col(st, M_LABELS_ADDED));
	if (sqlite3_column_type(st, M_LABELS_REMOVED) != SQLITE_NULL)
		return xasprintf("%s removed %s", who, text_col(st, M_LABELS_REMOVED));
	return xasprintf("%s updated the labels", who);
}

static json_t *message_from_row(struct world *w, sqlite3_stmt *st)
{
	const char *type = text_col(st, M_TYPE);
	bool contact = !strcmp(text_col(st, M_AUTHOR_TYPE), "user");
	bool note = !strcmp(type, "note"), comment = !strcmp(type, "comment");
	int message_type = contact ? CW_INCOMING : (comment || note) ? CW_OUTGOING : CW_ACTIVITY;
	long long created = sqlite3_column_int64(st, M_CREATED);
	char *content;
	json_t *m;

	if (message_type == CW_ACTIVITY)
		content = activity_text(st);
	else if (sqlite3_column_int(st, M_HTML))
		content = html_to_text(text_col(st, M_BODY));
	else
		content = xstrdup(text_col(st, M_BODY));
	m = json_pack("{s:I, s:s, s:I, s:I, s:I, s:i, s:I, s:o, s:b, s:s, s:n, s:s, s:{}, s:{},"
		      " s:{}, s:s, s:{}, s:{s:o, s:I, s:{s:n}}}",
		      "id", (json_int_t)sqlite3_column_int64(st, M_ID), "content", content,
		      "account_id", (json_int_t)CHATWOOT_ACCOUNT_ID, "inbox_id",
		      (json_int_t)cw_inbox_of(w, sqlite3_column_int64(st, M_CONV)),
		      "conversation_id", (json_int_t)sqlite3_column_int64(st, M_CONV),
		      "message_type", message_type, "created_at", (json_int_t)created, "updated_at",
		      iso_time(created), "private", note, "status", "sent", "source_id",
		      "content_type", "text", "content_attributes", "external_source_ids",
		      "additional_attributes", "processed_message_content", content, "sentiment",
		      "conversation", "assignee_id",
		      sqlite3_column_int64(st, M_ASSIGNEE)
			  ? json_integer(sqlite3_column_int64(st, M_ASSIGNEE))
			  : json_null(),
		      "last_activity_at", (json_int_t)created, "contact_inbox", "source_id");
	free(content);
	if (!m)
		die("cannot build the message JSON");
	if (message_type == CW_ACTIVITY) {
		json_object_set_new(m, "sender_type", json_null());
		json_object_set_new(m, "sender_id", json_null());
		return m;
	}
	json_object_set_new(m, "sender_type", json_string(contact ? "Contact" : "User"));
	json_object_set_new(m, "sender_id", json_integer(sqlite3_column_int64(st, M_AUTHOR)));
	json_object_set_new(m, "sender",
			    contact ? contact_json(w, sqlite3_column_int64(st, M_AUTHOR))
				    : user_sender(st, M_AUTHOR, M_AUTHOR_NAME));
	return m;
}

json_t *cw_render_message(struct world *w, long long conversation_id, long long message_id)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT * FROM (" MESSAGE_ROWS ") WHERE mid = ?2", "ii",
				     conversation_id, message_id);

	return step_row(st, NULL) ? message_from_row(w, st) : NULL;
}

/* The message id of the conversation's last message (any: true) or last message that is
 * not an activity. */
static long long last_message(struct world *w, long long id, bool any)
{
	sqlite3_stmt *st = wdb_query(w,
				     "SELECT id + " CW_PART_ID_BASE_TEXT " FROM parts"
				     " WHERE conversation_id = ?1 AND (?2 OR"
				     " part_type IN ('comment', 'note')) ORDER BY id DESC LIMIT 1",
				     "ii", id, (long long)any);

	return st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : id;
}

/* ---- conversations ---- */

enum conv_col {
	C_ID,
	C_CREATED,
	C_UPDATED,
	C_WAITING,
	C_SNOOZED,
	C_STATE,
	C_PRIORITY,
	C_ADMIN,
	C_TEAM,
	C_CONTACT,
	C_FIRST_ADMIN,
	C_SLA_NAME,
	C_SLA_TARGET,
	C_SLA_CANCELLED,
	C_LAST_ACTIVITY,
	C_SEEN,
	C_ASSIGNEE_SEEN,
	C_UNREAD,
	C_SLA_STATUS,
	C_SLA_ID,
	C_SLA_CREATED,
	C_SLA_UPDATED,
	C_TITLE,
	C_CUSTOM
};

/* The applied SLA (push_event_data of AppliedSla) with the status the SLA job last gave. */
static json_t *applied_sla(sqlite3_stmt *st)
{
	long long target = sqlite3_column_int64(st, C_SLA_TARGET);

	return json_pack("{s:I, s:I, s:s, s:I, s:I, s:s, s:s, s:I, s:I, s:b, s:n}", "id",
			 (json_int_t)sqlite3_column_int64(st, C_ID), "sla_id",
			 (json_int_t)sqlite3_column_int64(st, C_SLA_ID), "sla_status",
			 text_col(st, C_SLA_STATUS), "created_at",
			 (json_int_t)sqlite3_column_int64(st, C_SLA_CREATED), "updated_at",
			 (json_int_t)sqlite3_column_int64(st, C_SLA_UPDATED), "sla_description", "",
			 "sla_name", text_col(st, C_SLA_NAME), "sla_first_response_time_threshold",
			 (json_int_t)target, "sla_next_response_time_threshold", (json_int_t)target,
			 "sla_only_during_business_hours", 0, "sla_resolution_time_threshold");
}

static const char *status_of(const char *state)
{
	return !strcmp(state, "closed") ? "resolved" : state;
}

json_t *cw_render_conversation(struct world *w, long long id, bool with_sla, bool *db_error)
{
	sqlite3_stmt *st = wdb_query(
	    w,
	    "SELECT c.id, c.created_at, c.updated_at, c.waiting_since, c.snoozed_until, c.state,"
	    " c.priority, c.admin_assignee_id, c.team_assignee_id, c.contact_id,"
	    " c.first_admin_reply_at, c.sla_name, c.sla_target, c.sla_cancelled,"
	    " COALESCE((SELECT max(p.created_at) FROM parts p WHERE p.conversation_id = c.id),"
	    "  c.created_at),"
	    " COALESCE(s.agent_last_seen_at, 0), COALESCE(s.assignee_last_seen_at, 0),"
	    " (c.created_at > COALESCE(s.agent_last_seen_at, 0)) + (SELECT count(*) FROM"
	    "  (SELECT 1 FROM parts p WHERE p.conversation_id = c.id AND p.author_type = 'user'"
	    "  AND (CASE WHEN sp.part_id IS NULL THEN p.created_at > COALESCE(s.agent_last_seen_at,"
	    "  0) ELSE p.id > sp.part_id END) LIMIT ?2)),"
	    " COALESCE(a.status, 'active'), COALESCE(pol.id, 0),"
	    " COALESCE(a.created_at, c.created_at), COALESCE(a.updated_at, c.created_at),"
	    " c.title, (SELECT attributes FROM cw_custom_attributes WHERE conversation_id = c.id)"
	    " FROM conversations c LEFT JOIN cw_last_seen s ON s.conversation_id = c.id"
	    " LEFT JOIN cw_seen_parts sp ON sp.conversation_id = c.id"
	    " LEFT JOIN cw_applied_slas a ON a.conversation_id = c.id"
	    " LEFT JOIN cw_sla_policies pol ON pol.name = c.sla_name WHERE c.id = ?1",
	    "ii", id, (long long)UNREAD_MAX);
	json_t *meta, *conv, *assignee, *team, *last;
	long long team_id, last_any, last_message_id, unread, inbox;
	bool sla;

	if (!step_row(st, db_error))
		return NULL;
	team_id = sqlite3_column_int64(st, C_TEAM);
	inbox = cw_inbox_of(w, id);
	unread = sqlite3_column_int64(st, C_UNREAD);
	sla = with_sla && sqlite3_column_type(st, C_SLA_NAME) != SQLITE_NULL &&
	      !sqlite3_column_int(st, C_SLA_CANCELLED);
	conv = json_pack(
	    "{s:I, s:I, s:s, s:{}, s:I, s:I, s:b, s:I, s:{}, s:I, s:b, s:s, s:I, s:f, s:I,"
	    " s:I, s:I, s:I, s:I}",
	    "id", (json_int_t)id, "account_id", (json_int_t)CHATWOOT_ACCOUNT_ID, "uuid", "",
	    "additional_attributes", "agent_last_seen_at",
	    (json_int_t)sqlite3_column_int64(st, C_SEEN), "assignee_last_seen_at",
	    (json_int_t)sqlite3_column_int64(st, C_ASSIGNEE_SEEN), "can_reply", 1,
	    "contact_last_seen_at", (json_int_t)0, "custom_attributes", "inbox_id",
	    (json_int_t)inbox, "muted", 0, "status", status_of(text_col(st, C_STATE)), "created_at",
	    (json_int_t)sqlite3_column_int64(st, C_CREATED), "updated_at",
	    (double)sqlite3_column_int64(st, C_UPDATED), "timestamp",
	    (json_int_t)sqlite3_column_int64(st, C_LAST_ACTIVITY), "first_reply_created_at",
	    (json_int_t)sqlite3_column_int64(st, C_FIRST_ADMIN), "unread_count",
	    (json_int_t)(unread > UNREAD_MAX ? UNREAD_MAX : unread), "last_activity_at",
	    (json_int_t)sqlite3_column_int64(st, C_LAST_ACTIVITY), "waiting_since",
	    (json_int_t)sqlite3_column_int64(st, C_WAITING));
	if (!conv)
		die("cannot build the conversation JSON");
	json_object_set_new(
	    conv, "uuid", json_sprintf("00000000-0000-4000-8000-%012llx", (unsigned long long)id));
	/* An email's subject (the inbox it arrived in is an email channel); a chat has none. */
	if (!strcmp(channel_of_inbox(w, inbox), "Channel::Email") && text_col(st, C_TITLE)[0])
		json_object_set_new(json_object_get(conv, "additional_attributes"), "mail_subject",
				    json_string(text_col(st, C_TITLE)));
	json_object_set_new(conv, "labels", label_names(w, id));
	if (sqlite3_column_type(st, C_CUSTOM) != SQLITE_NULL) {
		json_t *custom = json_loads(text_col(st, C_CUSTOM), 0, NULL);

		if (json_is_object(custom))
			json_object_set_new(conv, "custom_attributes", custom);
		else
			json_decref(custom);
	}
	json_object_set_new(conv, "snoozed_until",
			    sqlite3_column_type(st, C_SNOOZED) == SQLITE_NULL
				? json_null()
				: iso_time(sqlite3_column_int64(st, C_SNOOZED)));
	json_object_set_new(conv, "priority",
			    strcmp(text_col(st, C_PRIORITY), "none")
				? json_string(text_col(st, C_PRIORITY))
				: json_null());
	json_object_set_new(conv, "sla_policy_id",
			    sla ? json_integer(sqlite3_column_int64(st, C_SLA_ID)) : json_null());
	if (sla)
		json_object_set_new(conv, "applied_sla", applied_sla(st));
	json_object_set_new(conv, "sla_events", json_array());

	meta = json_pack("{s:o, s:s, s:b}", "sender",
			 contact_json(w, sqlite3_column_int64(st, C_CONTACT)), "channel",
			 channel_of_inbox(w, inbox), "hmac_verified", 0);
	assignee = cw_render_agent(w, sqlite3_column_int64(st, C_ADMIN));
	if (assignee)
		json_object_set_new(meta, "assignee", assignee);
	team = team_id ? cw_render_team(w, team_id) : NULL;
	if (team)
		json_object_set_new(meta, "team", team);
	json_object_set_new(conv, "meta", meta);

	last_any = last_message(w, id, true);
	last_message_id = last_message(w, id, false);
	last = cw_render_message(w, id, last_any);
	json_object_set_new(conv, "messages", last ? json_pack("[o]", last) : json_array());
	last = cw_render_message(w, id, last_message_id);
	json_object_set_new(conv, "last_non_activity_message", last ? last : json_null());
	return conv;
}

json_t *cw_render_messages(struct world *w, long long id, long long before, bool *db_error)
{
	sqlite3_stmt *st = wdb_query(
	    w, "SELECT contact_id, admin_assignee_id FROM conversations WHERE id = ?", "i", id);
	json_t *meta, *list, *assignee;
	long long contact, admin;

	if (!step_row(st, db_error))
		return NULL;
	contact = sqlite3_column_int64(st, 0);
	admin = sqlite3_column_int64(st, 1);
	meta = json_pack(
	    "{s:o, s:{}, s:o, s:o, s:o}", "labels", label_names(w, id), "additional_attributes",
	    "contact", contact_json(w, contact), "agent_last_seen_at",
	    sqlite3_column_type(st, 2) == SQLITE_NULL ? json_null()
						      : iso_time(sqlite3_column_int64(st, 2)),
	    "assignee_last_seen_at",
	    sqlite3_column_type(st, 3) == SQLITE_NULL ? json_null()
						      : iso_time(sqlite3_column_int64(st, 3)));
	assignee = cw_render_agent(w, admin);
	if (assignee)
		json_object_set_new(meta, "assignee", assignee);
	st = wdb_query(w,
		       "SELECT * FROM (SELECT * FROM (" MESSAGE_ROWS ") WHERE ?2 = 0 OR mid < ?2"
		       " ORDER BY 1 DESC LIMIT ?3) ORDER BY 1",
		       "iii", id, before, (long long)MESSAGES_PER_PAGE);
	list = json_array();
	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, message_from_row(w, st));
	return json_pack("{s:o, s:o}", "meta", meta, "payload", list);
}

/* ---- help center ---- */

json_t *cw_render_article(struct world *w, long long id, bool *db_error)
{
	sqlite3_stmt *st =
	    wdb_query(w,
		      "SELECT a.title, a.description, a.body, a.updated_at, ad.id, ad.name"
		      " FROM articles a LEFT JOIN admins ad ON ad.id = a.author_id"
		      " WHERE a.id = ?",
		      "i", id);
	json_t *a;

	if (!step_row(st, db_error))
		return NULL;
	a = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:{}, s:I, s:s,"
		      " s:{s:I, s:s, s:s}}",
		      "id", (json_int_t)id, "slug", "", "title", text_col(st, 0), "content",
		      text_col(st, 2), "description", text_col(st, 1), "status", "published",
		      "position", (json_int_t)id, "account_id", (json_int_t)CHATWOOT_ACCOUNT_ID,
		      "updated_at", (json_int_t)sqlite3_column_int64(st, 3), "meta", "views",
		      (json_int_t)0, "locale", "en", "author", "id",
		      (json_int_t)sqlite3_column_int64(st, 4), "name", text_col(st, 5),
		      "available_name", text_col(st, 5));
	if (!a)
		die("cannot build the article JSON");
	json_object_set_new(a, "slug", json_sprintf("%lld-article", id));
	return a;
}

json_t *cw_render_portal(struct world *w)
{
	sqlite3_stmt *st = wdb_query(w, "SELECT count(*) FROM articles", "");
	long long n = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;

	return json_pack("{s:I, s:b, s:s, s:{s:[{s:s}], s:s}, s:n, s:s, s:s, s:s, s:s, s:s,"
			 " s:I, s:{s:I, s:I, s:I, s:I, s:I, s:s}}",
			 "id", (json_int_t)PORTAL_ID, "archived", 0, "color", "#1f93ff", "config",
			 "allowed_locales", "code", "en", "default_locale", "en", "custom_domain",
			 "header_text", "Help", "homepage_link", "https://help.example.com", "name",
			 "Help center", "slug", PORTAL_SLUG, "page_title", "Help center",
			 "account_id", (json_int_t)CHATWOOT_ACCOUNT_ID, "meta",
			 "all_articles_count", (json_int_t)n, "archived_articles_count",
			 (json_int_t)0, "published_count", (json_int_t)n, "draft_articles_count",
			 (json_int_t)0, "categories_count", (json_int_t)0, "default_locale", "en");
}
