/* office-hours.c: the workspace's office hours as Intercom serves them: schedules (open
 * intervals in minutes of the week from Monday 00:00 in the schedule's zone) and their
 * exceptions (a date closed, or open at custom hours), generated per seed (one schedule
 * per team, named after it, in a zone with daylight saving time, and a holiday each), read
 * and changed through /office_hours_schedules. */
#include "build-config.h"

#include "office-hours.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sla.h"
#include "wdb.h"

#define DAY_MINUTES	   1440
#define FIRST_SCHEDULE_ID  7001
#define FIRST_EXCEPTION_ID 7101
#define NAME_MAX_BYTES	   255

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS office_hours_schedules(id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE, time_zone_name TEXT NOT NULL, intervals TEXT NOT NULL,"
    " team_id INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS office_hours_exceptions(id INTEGER PRIMARY KEY,"
    " schedule_id INTEGER NOT NULL, exception_date TEXT NOT NULL, exception_type TEXT NOT NULL,"
    " name TEXT, intervals TEXT, recurring_annually INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);";

/* ---- generation ---- */

/* Monday to Friday from..to, and Saturday sat_from..sat_to when sat_to > sat_from, as
 * minutes of the week. */
static char *week_text(int from, int to, int sat_from, int sat_to)
{
	json_t *list = json_array();
	char *text;
	int d;

	for (d = 0; d < 5; d++)
		json_array_append_new(
		    list, json_pack("[i, i]", d * DAY_MINUTES + from, d * DAY_MINUTES + to));
	if (sat_to > sat_from)
		json_array_append_new(list, json_pack("[i, i]", 5 * DAY_MINUTES + sat_from,
						      5 * DAY_MINUTES + sat_to));
	text = json_dumps(list, JSON_COMPACT);
	json_decref(list);
	return text;
}

static int generate(struct world *w, void *arg)
{
	time_t now = *(const time_t *)arg;
	struct prng r;
	/* Live chat in Warsaw, long days and a Saturday morning; Support in New York, office
	 * hours. The opening hour moves with the seed. */
	int open = 7 + (int)((prng_init(&r, w->params.seed * 0x9e3779b97f4a7c15ULL + 11),
			      prng_below(&r, 3)));
	char *live = week_text(open * 60, 20 * 60, 10 * 60, 14 * 60);
	char *support = week_text((8 + (int)prng_below(&r, 2)) * 60, 17 * 60, 0, 0);
	long long created = (long long)now - 86400 * 120;
	int rc = 0;

	if (!live || !support ||
	    wdb_exec(w, "INSERT INTO office_hours_schedules VALUES(?, ?, ?, ?, ?, ?, ?)",
		     "ittti"
		     "ii",
		     (long long)FIRST_SCHEDULE_ID, "Live chat", "Europe/Warsaw", live,
		     w->team_ids[WORLD_TEAM_REALTIME], created, created) < 0 ||
	    wdb_exec(w, "INSERT INTO office_hours_schedules VALUES(?, ?, ?, ?, ?, ?, ?)",
		     "ittti"
		     "ii",
		     (long long)FIRST_SCHEDULE_ID + 1, "Support", "America/New_York", support,
		     w->team_ids[WORLD_TEAM_STANDARD], created, created) < 0 ||
	    wdb_exec(w, "INSERT INTO office_hours_exceptions VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
		     "iitttt"
		     "iii",
		     (long long)FIRST_EXCEPTION_ID, (long long)FIRST_SCHEDULE_ID + 1, "2026-12-25",
		     "closed", "Christmas Day", NULL, 1LL, created, created) < 0 ||
	    wdb_exec(w, "INSERT INTO office_hours_exceptions VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
		     "iitttt"
		     "iii",
		     (long long)FIRST_EXCEPTION_ID + 1, (long long)FIRST_SCHEDULE_ID, "2026-12-24",
		     "custom_hours", "Christmas Eve", "[[540,780]]", 1LL, created, created) < 0)
		rc = -1;
	free(live);
	free(support);
	return rc;
}

int office_hours_open(struct world *w, time_t now)
{
	sqlite3_stmt *st;

	if (sqlite3_exec(w->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	st = wdb_query(w, "SELECT count(*) FROM office_hours_schedules", "");
	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return -1;
	if (sqlite3_column_int64(st, 0) > 0)
		return 0;
	return world_transaction(w, generate, &now) < 0 ? -1 : 0;
}

/* ---- answers ---- */

static json_t *id_string(long long id)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", id);
	return json_string(buf);
}

/* Stored "[[start, end], ...]" as office_hours_time_interval objects; day_of_week is the
 * day the interval starts on (0 Monday), or day for an exception's (day >= 0). */
static json_t *intervals_render(const unsigned char *text, int day)
{
	json_t *stored = text ? json_loads((const char *)text, 0, NULL) : NULL, *out, *pair;
	size_t i;

	if (!stored)
		return json_null();
	out = json_array();
	json_array_foreach(stored, i, pair)
	{
		json_int_t start = json_integer_value(json_array_get(pair, 0));

		json_array_append_new(
		    out, json_pack("{s:I, s:I, s:I}", "start_minute", start, "end_minute",
				   json_integer_value(json_array_get(pair, 1)), "day_of_week",
				   (json_int_t)(day >= 0 ? day : start / DAY_MINUTES)));
	}
	json_decref(stored);
	return out;
}

static json_t *schedule_render(sqlite3_stmt *st)
{
	json_t *intervals = intervals_render(sqlite3_column_text(st, 3), -1);
	bool all_week =
	    json_array_size(intervals) == 1 &&
	    json_integer_value(json_object_get(json_array_get(intervals, 0), "start_minute")) ==
		0 &&
	    json_integer_value(json_object_get(json_array_get(intervals, 0), "end_minute")) >=
		SLA_WEEK_MINUTES - 1;

	return json_pack("{s:s, s:o, s:s, s:s, s:o, s:b, s:I, s:I}", "type",
			 "office_hours_schedule", "id", id_string(sqlite3_column_int64(st, 0)),
			 "name", (const char *)sqlite3_column_text(st, 1), "time_zone_name",
			 (const char *)sqlite3_column_text(st, 2), "time_intervals", intervals,
			 "twenty_four_seven", all_week, "created_at",
			 (json_int_t)sqlite3_column_int64(st, 4), "updated_at",
			 (json_int_t)sqlite3_column_int64(st, 5));
}

#define SCHEDULE_COLUMNS "id, name, time_zone_name, intervals, created_at, updated_at"

/* 0 Monday ... 6 Sunday of "YYYY-MM-DD" (already checked). */
static int date_weekday(const char *date)
{
	int y, m, d;

	if (sscanf(date, "%d-%d-%d", &y, &m, &d) != 3)
		return 0;
	/* Sakamoto's method gives 0 for Sunday. */
	{
		static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};

		if (m < 3)
			y -= 1;
		return ((y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7 + 6) % 7;
	}
}

static json_t *exception_render(sqlite3_stmt *st)
{
	const char *date = (const char *)sqlite3_column_text(st, 2);
	const unsigned char *name = sqlite3_column_text(st, 4);

	return json_pack(
	    "{s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:b, s:I, s:I}", "type", "office_hours_exception",
	    "id", id_string(sqlite3_column_int64(st, 0)), "office_hours_schedule_id",
	    id_string(sqlite3_column_int64(st, 1)), "exception_date", date, "exception_type",
	    (const char *)sqlite3_column_text(st, 3), "name",
	    name ? json_string((const char *)name) : json_null(), "time_intervals",
	    intervals_render(sqlite3_column_text(st, 5), date_weekday(date)), "recurring_annually",
	    sqlite3_column_int(st, 6) != 0, "created_at", (json_int_t)sqlite3_column_int64(st, 7),
	    "updated_at", (json_int_t)sqlite3_column_int64(st, 8));
}

#define EXCEPTION_COLUMNS                                                                          \
	"id, schedule_id, exception_date, exception_type, name, intervals,"                        \
	" recurring_annually, created_at, updated_at"

static void reply(struct api_reply *rp, unsigned status, json_t *body)
{
	if (!body) {
		api_error(rp, 500, "server_error", "the sim could not read its database");
		return;
	}
	json_decref(rp->body);
	rp->status = status;
	rp->body = body;
}

/* The schedule of the request's first id, as an answer; NULL with a 404 reply if none. */
static json_t *schedule_find(struct sim *s, long long id, struct api_reply *rp)
{
	sqlite3_stmt *st = wdb_query(
	    &s->world, "SELECT " SCHEDULE_COLUMNS " FROM office_hours_schedules WHERE id = ?", "i",
	    id);

	if (st && sqlite3_step(st) == SQLITE_ROW)
		return schedule_render(st);
	api_error(rp, 404, "not_found", "Office hours schedule %lld not found", id);
	return NULL;
}

void office_hours_list(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	sqlite3_stmt *st = wdb_query(
	    &s->world, "SELECT " SCHEDULE_COLUMNS " FROM office_hours_schedules ORDER BY id", "");
	json_t *list = json_array();

	(void)rq;
	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, schedule_render(st));
	reply(rp, 200, json_pack("{s:s, s:o}", "type", "office_hours_schedule.list", "data", list));
}

void office_hours_get(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *j = schedule_find(s, rq->ids[0], rp);

	if (j)
		reply(rp, 200, j);
}

void office_hours_exceptions(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *j = schedule_find(s, rq->ids[0], rp), *list;
	sqlite3_stmt *st;

	if (!j)
		return;
	json_decref(j);
	st = wdb_query(&s->world,
		       "SELECT " EXCEPTION_COLUMNS " FROM office_hours_exceptions"
		       " WHERE schedule_id = ? ORDER BY exception_date, id",
		       "i", rq->ids[0]);
	list = json_array();
	while (st && sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, exception_render(st));
	reply(rp, 200,
	      json_pack("{s:s, s:o}", "type", "office_hours_exception.list", "data", list));
}

/* ---- changes ---- */

/* time_intervals of a request as stored text (new, the caller frees), each interval within
 * 0..limit on a 15-minute boundary (the whole week 0-10079 also goes), start before end;
 * NULL with a 400 reply otherwise. day_of_week is read-only: a request with it fails. */
static char *intervals_parse(json_t *v, int limit, struct api_reply *rp)
{
	json_t *item, *out;
	size_t i;
	char *text;

	if (!json_is_array(v)) {
		api_error(rp, 400, "parameter_invalid", "time_intervals must be an array");
		return NULL;
	}
	out = json_array();
	json_array_foreach(v, i, item)
	{
		json_t *start = json_object_get(item, "start_minute"),
		       *end = json_object_get(item, "end_minute");
		json_int_t a = json_integer_value(start), b = json_integer_value(end);

		if (json_object_get(item, "day_of_week")) {
			api_error(rp, 400, "parameter_invalid", "day_of_week is read-only");
			json_decref(out);
			return NULL;
		}
		if (!json_is_integer(start) || !json_is_integer(end) || a < 0 || b > limit ||
		    a >= b || a % 15 || (b % 15 && !(a == 0 && b == SLA_WEEK_MINUTES - 1))) {
			api_error(
			    rp, 400, "parameter_invalid",
			    "time_intervals[%zu]: start_minute and end_minute must be integers"
			    " from 0 to %d on a 15-minute boundary, start before end",
			    i, limit);
			json_decref(out);
			return NULL;
		}
		json_array_append_new(out, json_pack("[I, I]", a, b));
	}
	text = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	return text;
}

static const char *optional_text(json_t *body, const char *key, bool *bad)
{
	json_t *v = json_object_get(body, key);

	if (v && (!json_is_string(v) || !json_string_length(v) ||
		  json_string_length(v) > NAME_MAX_BYTES))
		*bad = true;
	return json_string_value(v);
}

/* The body of a change to the request's schedule; NULL with a reply when the schedule is
 * unknown (404) or the body is not an object (400). */
static json_t *change_body(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *j = schedule_find(s, rq->ids[0], rp);

	if (!j)
		return NULL;
	json_decref(j);
	if (!json_is_object(rq->body)) {
		api_error(rp, 400, "parameter_invalid", "the request body must be a JSON object");
		return NULL;
	}
	return rq->body;
}

void office_hours_update(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = change_body(s, rq, rp), *j;
	bool bad = false;
	const char *name, *zone;
	char *intervals = NULL;

	if (!body)
		return;
	name = optional_text(body, "name", &bad);
	zone = optional_text(body, "time_zone_name", &bad);
	if (bad || (zone && sla_zone_check(zone) < 0)) {
		api_error(
		    rp, 400, "parameter_invalid",
		    "name and time_zone_name must be non-empty strings, the zone an IANA name");
		return;
	}
	if (json_object_get(body, "time_intervals") &&
	    !(intervals =
		  intervals_parse(json_object_get(body, "time_intervals"), SLA_WEEK_MINUTES, rp)))
		return;
	if (wdb_exec(&s->world,
		     "UPDATE office_hours_schedules SET name = coalesce(?, name),"
		     " time_zone_name = coalesce(?, time_zone_name),"
		     " intervals = coalesce(?, intervals), updated_at = ? WHERE id = ?",
		     "tttii", name, zone, intervals, (long long)rq->now, rq->ids[0]) < 0) {
		api_error(rp, 422, "parameter_invalid", "another schedule is named \"%s\"",
			  name ? name : "");
		free(intervals);
		return;
	}
	free(intervals);
	j = schedule_find(s, rq->ids[0], rp);
	if (j)
		reply(rp, 200, j);
}

void office_hours_add_exception(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = change_body(s, rq, rp), *recurring;
	const char *date, *type, *name;
	char *intervals = NULL, err[128];
	struct sla_hours check;
	bool bad = false, closed;
	long long id;
	sqlite3_stmt *st;

	if (!body)
		return;
	date = json_string_value(json_object_get(body, "exception_date"));
	type = json_string_value(json_object_get(body, "exception_type"));
	name = optional_text(body, "name", &bad);
	recurring = json_object_get(body, "recurring_annually");
	memset(&check, 0, sizeof(check));
	if (!date || strlen(date) != 10 ||
	    sla_hours_add_exception(&check, date, false, NULL, 0, err, sizeof(err)) < 0 || !type ||
	    (strcmp(type, "closed") && strcmp(type, "custom_hours")) || bad ||
	    (recurring && !json_is_boolean(recurring))) {
		api_error(rp, 400, "parameter_invalid",
			  "exception_date (YYYY-MM-DD) and exception_type (closed or custom_hours)"
			  " are required; name a string, recurring_annually a boolean");
		return;
	}
	closed = !strcmp(type, "closed");
	if (!closed && !(intervals = intervals_parse(json_object_get(body, "time_intervals"),
						     DAY_MINUTES, rp)))
		return;
	if (wdb_exec(
		&s->world,
		"INSERT INTO office_hours_exceptions(schedule_id, exception_date, exception_type,"
		" name, intervals, recurring_annually, created_at, updated_at)"
		" VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
		"itttti"
		"ii",
		rq->ids[0], date, type, name, intervals, (long long)json_is_true(recurring),
		(long long)rq->now, (long long)rq->now) < 0) {
		free(intervals);
		api_error(rp, 500, "server_error", "the sim's database failed");
		return;
	}
	free(intervals);
	id = sqlite3_last_insert_rowid(s->world.db);
	st = wdb_query(&s->world,
		       "SELECT " EXCEPTION_COLUMNS " FROM office_hours_exceptions WHERE id = ?",
		       "i", id);
	reply(rp, 201, st && sqlite3_step(st) == SQLITE_ROW ? exception_render(st) : NULL);
}

/* ---- the hours as the response clock reads them ---- */

/* Stored "[[start, end], ...]" into iv (at most max); of a week, the whole week (0-10079,
 * which the API also takes for twenty-four-seven) is 0-10080. Returns the count, or -1. */
static int intervals_load(const unsigned char *text, struct sla_interval *iv, size_t max,
			  bool week)
{
	json_t *stored = text ? json_loads((const char *)text, 0, NULL) : NULL, *pair;
	size_t i;

	if (!stored || json_array_size(stored) > max) {
		json_decref(stored);
		return -1;
	}
	json_array_foreach(stored, i, pair)
	{
		iv[i].start = (int)json_integer_value(json_array_get(pair, 0));
		iv[i].end = (int)json_integer_value(json_array_get(pair, 1));
	}
	if (week && i == 1 && iv[0].start == 0 && iv[0].end == SLA_WEEK_MINUTES - 1)
		iv[0].end = SLA_WEEK_MINUTES;
	json_decref(stored);
	return (int)i;
}

int office_hours_of_team(struct world *w, long long team_id, struct sla_hours *out)
{
	struct sla_interval iv[SLA_MAX_WEEK];
	char err[160], zone[sizeof(out->tz)];
	long long schedule;
	sqlite3_stmt *st;
	int n;

	memset(out, 0, sizeof(*out));
	st = wdb_query(w, "SELECT id, time_zone_name, intervals FROM office_hours_schedules"
			  " WHERE team_id = ? ORDER BY id LIMIT 1",
		       "i", team_id);
	if (!st)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return 0;
	schedule = sqlite3_column_int64(st, 0);
	snprintf(zone, sizeof(zone), "%s", (const char *)sqlite3_column_text(st, 1));
	n = intervals_load(sqlite3_column_text(st, 2), iv, SLA_MAX_WEEK, true);
	if (n < 0 || sla_hours_from_week(out, zone, iv, (size_t)n, err, sizeof(err)) < 0)
		return -1;
	st = wdb_query(w, "SELECT exception_date, recurring_annually, intervals"
			  " FROM office_hours_exceptions WHERE schedule_id = ? ORDER BY id",
		       "i", schedule);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *text = sqlite3_column_text(st, 2);

		n = text ? intervals_load(text, iv, SLA_MAX_RANGES, false) : 0;
		if (n < 0 || sla_hours_add_exception(out, (const char *)sqlite3_column_text(st, 0),
						     sqlite3_column_int(st, 1) != 0, iv, (size_t)n,
						     err, sizeof(err)) < 0)
			return -1;
	}
	return st ? 1 : -1;
}
