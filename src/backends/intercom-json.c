/* intercom-json.c: Intercom REST API 2.16 answers turned into model records, on jansson
 * values only (the driver does the HTTP; intercom-request.c builds the request bodies). */
#include "build-config.h"

#include "intercom.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "html.h"
#include "replies.h"
#include "util.h"

static void err_set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void err_set(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	if (vsnprintf(err, errlen, fmt, ap) < 0)
		err[0] = '\0';
	va_end(ap);
}

/* Text from the wire goes into messages cut short: a hostile server should not fill a
 * log line. */
#define WIRE_TEXT_MAX 60

static const char *string_of(const json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

static char *string_copy(const json_t *j, const char *key)
{
	const char *s = string_of(j, key);

	return s ? xstrdup(s) : NULL;
}

static bool is_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* A count or id that is not negative: an integer, or a string of digits (no sign, no
 * spaces: strtoll would allow both). */
static int number_parse(const json_t *v, int64_t *out)
{
	long long ll;

	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return -1;
		*out = json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v) || !is_digits(json_string_value(v)))
		return -1;
	if (util_parse_ll(json_string_value(v), 0, INT64_MAX, &ll) < 0)
		return -1;
	*out = ll;
	return 0;
}

static int id_parse(const json_t *v, int64_t *out)
{
	int64_t id;

	if (number_parse(v, &id) < 0 || id == 0)
		return -1;
	*out = id;
	return 0;
}

/* 2.16 says 0 for unassigned, 2.15 said null; some paths send "0". */
static int assignee_parse(const json_t *v, int64_t *out)
{
	if (json_is_null(v)) {
		*out = 0;
		return 0;
	}
	return number_parse(v, out);
}

/* A time in Unix seconds under key. Absent or (when nullable) null reads as 0; absence
 * fails only when required. Returns -1 for a wrong type or a failed requirement. */
static int time_get(const json_t *obj, const char *key, bool nullable, bool required,
		    fl_time *out)
{
	const json_t *v = json_object_get(obj, key);

	*out = 0;
	if (!v)
		return required ? -1 : 0;
	if (json_is_null(v))
		return nullable ? 0 : -1;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	*out = json_integer_value(v);
	return 0;
}

/* The first error of an error.list as "code: message", for the -1 paths of parsers. */
static bool error_list_report(json_t *j, char *err, size_t errlen)
{
	char code[64], msg[256];

	if (intercom_parse_error(j, code, sizeof(code), msg, sizeof(msg)) < 0)
		return false;
	err_set(err, errlen, "the server answered with an error: %s: %s", code, msg);
	return true;
}

/* What a JSON value is, for messages: "an object", "a string", "null"... */
static const char *json_kind(const json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return v ? "null" : "nothing";
	}
}

/* Why id_parse refused the id under key of o, named as where (e.g. "admins[3].id"). */
static void id_report(const json_t *o, const char *where, char *err, size_t errlen)
{
	const json_t *v = json_object_get(o, "id");

	if (!json_is_object(o))
		err_set(err, errlen, "%.*s: expected an object, got %s", WIRE_TEXT_MAX, where,
			json_kind(o));
	else if (json_is_string(v) || json_is_integer(v))
		err_set(err, errlen, "%.*s.id: expected a positive id, got %s that is not one",
			WIRE_TEXT_MAX, where, json_kind(v));
	else
		err_set(err, errlen, "%.*s.id: expected a string or number, got %s", WIRE_TEXT_MAX,
			where, json_kind(v));
}

/* The answer j is not what was expected: an error.list, another type, or (for a list
 * under key, NULL for none) the right type whose list has the wrong type or is missing. */
static void wrong_answer_report(json_t *j, const char *expected, const char *key, char *err,
				size_t errlen)
{
	const char *type = json_is_object(j) ? string_of(j, "type") : NULL;
	const char *bare = strchr(expected, ' ') ? strchr(expected, ' ') + 1 : expected;

	if (error_list_report(j, err, errlen))
		return;
	if (key && type && !strcmp(type, bare))
		err_set(err, errlen, "%s: expected an array, got %s", key,
			json_kind(json_object_get(j, key)));
	else if (!json_is_object(j))
		err_set(err, errlen, "expected %s, got a JSON %s", expected,
			json_is_array(j) ? "array" : "value that is not an object");
	else if (type)
		err_set(err, errlen, "expected %s, got type \"%.*s\"", expected, WIRE_TEXT_MAX,
			type);
	else
		err_set(err, errlen, "expected %s, got an object without its members", expected);
}

/* Fills a record from one element of a list; -1 rejects it. */
typedef int (*record_fill)(json_t *o, void *record);

/* An array of records of size bytes from the JSON array list (NULL: none), leaving out
 * those fill rejects and counting them in *skipped (may be NULL). Returns NULL when
 * none was kept. */
static void *records_parse(const json_t *list, size_t size, record_fill fill, size_t *n,
			   size_t *skipped)
{
	char *records = NULL;
	size_t i, ignored;
	json_t *o;

	if (!skipped)
		skipped = &ignored;
	*n = 0;
	*skipped = 0;
	if (json_array_size(list))
		records = xcalloc(json_array_size(list), size);
	json_array_foreach(list, i, o) {
		if (fill(o, records + *n * size) == 0)
			++*n;
		else
			++*skipped;
	}
	if (*n == 0) {
		free(records);
		records = NULL;
	}
	return records;
}

/*
 * Conversations
 */

static void state_parse(const json_t *j, struct conversation *c)
{
	static const struct {
		const char *name;
		enum conv_state state;
	} states[] = {{"open", CONV_OPEN}, {"closed", CONV_CLOSED}, {"snoozed", CONV_SNOOZED}};
	const char *s = string_of(j, "state");
	const json_t *open = json_object_get(j, "open");

	for (size_t i = 0; s && i < sizeof(states) / sizeof(states[0]); i++) {
		if (strcmp(s, states[i].name) == 0) {
			c->state = states[i].state;
			return;
		}
	}
	/* Older answers and some webhooks carry only the boolean. */
	if (json_is_boolean(open)) {
		if (!json_is_true(open))
			c->state = CONV_CLOSED;
		else
			c->state = c->snoozed_until ? CONV_SNOOZED : CONV_OPEN;
		return;
	}
	c->state = CONV_OPEN;
	c->unknown |= CONV_UNKNOWN_STATE;
}

/* 2.16's five levels; older answers said "priority" / "not_priority" or a boolean, and
 * those read as high / none. */
static enum conv_priority priority_parse(const json_t *v)
{
	const char *s = json_string_value(v);
	int level = priority_from_word(s);

	if (level >= 0)
		return (enum conv_priority)level;
	if (json_is_true(v) || (s && !strcmp(s, "priority")))
		return PRIORITY_HIGH;
	return PRIORITY_NONE;
}

/* A statistics time: absent inside the object means "not yet"; a wrong type cannot be
 * told, and sets bit when one is given. */
static bool statistics_time(const json_t *stats, const char *key, fl_time *out)
{
	return time_get(stats, key, true, false, out) == 0;
}

static void statistics_parse(const json_t *j, struct conversation *c)
{
	const json_t *stats = json_object_get(j, "statistics");
	bool ok = true;

	c->count_parts = -1;
	if (!json_is_object(stats)) {
		c->unknown |= CONV_UNKNOWN_STATISTICS | CONV_UNKNOWN_FIRST_ADMIN_REPLY |
			      CONV_UNKNOWN_FIRST_CONTACT_REPLY;
		return;
	}
	if (!statistics_time(stats, "first_contact_reply_at", &c->first_contact_reply_at)) {
		c->unknown |= CONV_UNKNOWN_FIRST_CONTACT_REPLY;
		ok = false;
	}
	if (!statistics_time(stats, "first_admin_reply_at", &c->first_admin_reply_at)) {
		c->unknown |= CONV_UNKNOWN_FIRST_ADMIN_REPLY;
		ok = false;
	}
	ok &= statistics_time(stats, "last_admin_reply_at", &c->last_admin_reply_at);
	ok &= statistics_time(stats, "last_contact_reply_at", &c->last_contact_reply_at);
	{
		const json_t *parts = json_object_get(stats, "count_conversation_parts");

		c->count_parts = json_is_integer(parts) && json_integer_value(parts) >= 0
					 ? (int64_t)json_integer_value(parts)
					 : -1;
	}
	if (!ok)
		c->unknown |= CONV_UNKNOWN_STATISTICS;
}

static void source_parse(const json_t *j, struct conversation *c)
{
	const json_t *source = json_object_get(j, "source");
	const json_t *author = json_object_get(source, "author");
	const char *name = string_of(author, "name");
	const char *email = string_of(author, "email");
	const char *body = string_of(source, "body");

	if (name && *name)
		c->customer = xstrdup(name);
	else if (email && *email)
		c->customer = xstrdup(email);
	else
		c->unknown |= CONV_UNKNOWN_CUSTOMER;
	if (body) {
		c->body = model_cut_utf8(body, MODEL_BODY_MAX);
		c->body_is_html = true;
	}
}

static void tags_parse(const json_t *j, struct conversation *c)
{
	const json_t *tags = json_object_get(json_object_get(j, "tags"), "tags");
	size_t i;
	json_t *tag;

	if (!json_is_array(tags) || json_array_size(tags) == 0)
		return;
	c->tag_ids = xcalloc(json_array_size(tags), sizeof(*c->tag_ids));
	json_array_foreach(tags, i, tag) {
		if (id_parse(json_object_get(tag, "id"), &c->tag_ids[c->n_tags]) == 0)
			c->n_tags++;
	}
	if (c->n_tags == 0) {
		free(c->tag_ids);
		c->tag_ids = NULL;
	}
}

/* sla_applied: null or absent is no SLA. The description says the status is null once
 * an SLA was removed by hand (a cancelled event), so an object without one is cancelled. */
static enum backend_sla backend_sla_parse(const json_t *j)
{
	static const struct {
		const char *name;
		enum backend_sla sla;
	} statuses[] = {{"hit", BACKEND_SLA_HIT},
			{"missed", BACKEND_SLA_MISSED},
			{"active", BACKEND_SLA_ACTIVE},
			{"cancelled", BACKEND_SLA_CANCELLED},
			{"canceled", BACKEND_SLA_CANCELLED}};
	const json_t *applied = json_object_get(j, "sla_applied");
	const json_t *status = json_object_get(applied, "sla_status");
	const char *s = json_string_value(status);

	if (!json_is_object(applied))
		return BACKEND_SLA_NONE;
	if (!status || json_is_null(status))
		return BACKEND_SLA_CANCELLED;
	for (size_t i = 0; s && i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(s, statuses[i].name) == 0)
			return statuses[i].sla;
	return BACKEND_SLA_NONE;
}

/* The name of the SLA applied, when there is one (allocates: not for the held check). */
static void sla_name_parse(const json_t *j, struct conversation *c)
{
	const json_t *applied = json_object_get(j, "sla_applied");

	if (json_is_object(applied))
		c->sla_name = string_copy(applied, "sla_name");
}

/* The members a record takes without allocating: all but the title, the customer, the
 * opening message and the tags. */
static int conversation_scalars_parse(json_t *j, struct conversation *out)
{
	memset(out, 0, sizeof(*out));
	if (!json_is_object(j) || id_parse(json_object_get(j, "id"), &out->id) < 0) {
		out->id = 0;
		return -1;
	}
	if (time_get(j, "created_at", false, true, &out->created_at) < 0)
		out->unknown |= CONV_UNKNOWN_CREATED;
	if (time_get(j, "updated_at", false, true, &out->updated_at) < 0)
		out->unknown |= CONV_UNKNOWN_UPDATED;
	if (time_get(j, "waiting_since", true, true, &out->waiting_since) < 0)
		out->unknown |= CONV_UNKNOWN_WAITING;
	/* No bit of its own: a bad snooze time reads as "not snoozed". */
	(void)time_get(j, "snoozed_until", true, false, &out->snoozed_until);
	state_parse(j, out);
	out->read = json_is_true(json_object_get(j, "read"));
	out->priority = priority_parse(json_object_get(j, "priority"));
	if (assignee_parse(json_object_get(j, "admin_assignee_id"), &out->admin_assignee_id) < 0) {
		out->admin_assignee_id = 0;
		out->unknown |= CONV_UNKNOWN_ASSIGNEE;
	}
	if (assignee_parse(json_object_get(j, "team_assignee_id"), &out->team_assignee_id) < 0) {
		out->team_assignee_id = 0;
		out->unknown |= CONV_UNKNOWN_TEAM;
	}
	statistics_parse(j, out);
	out->backend_sla = backend_sla_parse(j);
	return 0;
}

int intercom_parse_conversation(json_t *j, struct conversation *out)
{
	if (conversation_scalars_parse(j, out) < 0)
		return -1;
	out->title = string_copy(j, "title");
	source_parse(j, out);
	tags_parse(j, out);
	sla_name_parse(j, out);
	return 0;
}

/* Whether record o says nothing the held record does not: the held one is newer, or of
 * the same second and the same in every member the clock and the queues read, with as
 * many tags. (Two changes in one second share updated_at: a later record of the same
 * second that says something else is built, and the store takes it.) Reads only id and
 * updated_at unless the held record is of the same second. */
static bool record_held(json_t *o, intercom_held_fn held, void *arg)
{
	const struct conversation *h;
	struct conversation c;
	int64_t id;
	fl_time updated;

	if (id_parse(json_object_get(o, "id"), &id) < 0 ||
	    time_get(o, "updated_at", false, true, &updated) < 0)
		return false;
	h = held(arg, id);
	if (!h || (h->unknown & CONV_UNKNOWN_UPDATED) || updated > h->updated_at)
		return false;
	if (updated < h->updated_at)
		return true;
	return conversation_scalars_parse(o, &c) == 0 && conversation_same_clock(&c, h) &&
	       (c.unknown & ~(unsigned)CONV_UNKNOWN_CUSTOMER) ==
		   (h->unknown & ~(unsigned)CONV_UNKNOWN_CUSTOMER) &&
	       json_array_size(json_object_get(json_object_get(o, "tags"), "tags")) == h->n_tags;
}

/* The records of list that held does not already hold, as a new array (references). */
static json_t *records_unheld(const json_t *list, intercom_held_fn held, void *arg,
			      size_t *n_held)
{
	json_t *out = json_array(), *o;
	size_t i;

	if (!out)
		die("out of memory");
	json_array_foreach(list, i, o) {
		if (record_held(o, held, arg))
			++*n_held;
		else if (json_array_append(out, o) < 0)
			die("out of memory");
	}
	return out;
}

/* The next page's cursor, NULL on the last page, in *out; -1 when pages says there is a
 * next page in a form that cannot be read: ending the search there would take a part of
 * the list for the whole. */
static int next_cursor_of(const json_t *j, char **out)
{
	const json_t *pages = json_object_get(j, "pages");
	const json_t *next = json_object_get(pages, "next");
	const json_t *cursor = json_object_get(next, "starting_after");

	*out = NULL;
	if ((pages && !json_is_object(pages) && !json_is_null(pages)) ||
	    (next && !json_is_object(next) && !json_is_null(next)) ||
	    (cursor && !json_is_string(cursor) && !json_is_null(cursor)))
		return -1;
	if (json_is_string(cursor) && *json_string_value(cursor))
		*out = xstrdup(json_string_value(cursor));
	return 0;
}

static int conversation_fill(json_t *o, void *record)
{
	return intercom_parse_conversation(o, record);
}

int intercom_parse_search_page(json_t *j, struct conversation **items, size_t *n,
			       char **next_cursor, long *total_count, size_t *n_skipped, char *err,
			       size_t errlen)
{
	return intercom_parse_search_changes(j, NULL, NULL, NULL, items, n, next_cursor,
					     total_count, n_skipped, err, errlen);
}

int intercom_parse_search_changes(json_t *j, intercom_held_fn held, void *held_arg,
				  size_t *n_held, struct conversation **items, size_t *n,
				  char **next_cursor, long *total_count, size_t *n_skipped,
				  char *err, size_t errlen)
{
	const json_t *list = json_object_get(j, "conversations");
	const json_t *total = json_object_get(j, "total_count");
	const char *type = string_of(j, "type");
	size_t skipped, held_here = 0;
	json_t *unheld;

	*items = NULL;
	*n = 0;
	if (n_held)
		*n_held = 0;
	if (next_cursor)
		*next_cursor = NULL;
	if (total_count)
		*total_count = -1;
	if (n_skipped)
		*n_skipped = 0;
	err_set(err, errlen, "%s", "");
	if (!type || strcmp(type, "conversation.list") != 0 || !json_is_array(list)) {
		wrong_answer_report(j, "a conversation.list", "conversations", err, errlen);
		return -1;
	}
	if (next_cursor && next_cursor_of(j, next_cursor) < 0) {
		err_set(err, errlen, "%s",
			"the backend's answer is malformed: its pages do not say where the next "
			"page starts");
		return -1;
	}
	unheld = held ? records_unheld(list, held, held_arg, &held_here) : json_incref((json_t *)list);
	*items = records_parse(unheld, sizeof(**items), conversation_fill, n, &skipped);
	json_decref(unheld);
	if (n_held)
		*n_held = held_here;
	if (total_count && json_is_integer(total))
		*total_count = (long)json_integer_value(total);
	if (n_skipped)
		*n_skipped = skipped;
	if (skipped) {
		char where[64], why[160];
		size_t i;

		/* the first one left out, by its place in the list */
		for (i = 0; i < json_array_size(list); i++) {
			int64_t id;

			if (id_parse(json_object_get(json_array_get(list, i), "id"), &id) < 0)
				break;
		}
		snprintf(where, sizeof(where), "conversations[%zu]", i);
		id_report(json_array_get(list, i), where, why, sizeof(why));
		err_set(err, errlen, "%zu of %zu conversations skipped: %s", skipped,
			json_array_size(list) - held_here, why);
	}
	return 0;
}

/*
 * Conversation parts
 */

void intercom_part_release(struct intercom_part *p)
{
	free(p->id);
	free(p->part_type);
	free(p->author_type);
	free(p->author_name);
	free(p->body);
	free(p->assigned_type);
	for (size_t i = 0; i < p->n_tags; i++)
		free(p->tags[i]);
	free(p->tags);
	memset(p, 0, sizeof(*p));
}

void intercom_parts_free(struct intercom_part *parts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		intercom_part_release(&parts[i]);
	free(parts);
}

static char *wire_id_copy(const json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return NULL;
}

static void part_fill(struct intercom_part *p, const json_t *o, bool body_is_html)
{
	const json_t *author = json_object_get(o, "author");
	const char *name = string_of(author, "name");
	const char *body = string_of(o, "body");

	p->id = wire_id_copy(json_object_get(o, "id"));
	p->author_type = string_copy(author, "type");
	if (id_parse(json_object_get(author, "id"), &p->author_id) < 0)
		p->author_id = 0;
	if (!name || !*name)
		name = string_of(author, "email");
	p->author_name = name && *name ? xstrdup(name) : NULL;
	(void)time_get(o, "created_at", true, false, &p->created_at);
	const json_t *assigned = json_object_get(o, "assigned_to");
	const json_t *tags = json_object_get(o, "tags"), *tag;
	size_t i;

	if (body && *body)
		p->body = body_is_html ? html_to_text(body) : xstrdup(body);
	if (json_is_object(assigned)) {
		p->assigned_type = string_copy(assigned, "type");
		if (id_parse(json_object_get(assigned, "id"), &p->assigned_id) < 0)
			p->assigned_id = 0;
	}
	/* Only a tags change sends its tags: other parts send none, or an empty list. */
	if (json_is_array(tags) && p->part_type && !strcmp(p->part_type, "conversation_tags_updated")) {
		p->has_tags = true;
		p->tags = xcalloc(json_array_size(tags) + 1, sizeof(*p->tags));
		json_array_foreach(tags, i, tag) {
			const char *tag_name = string_of(tag, "name");

			if (tag_name)
				p->tags[p->n_tags++] = xstrdup(tag_name);
		}
	}
}

int intercom_parse_parts(json_t *j, bool body_is_html, struct intercom_part **parts, size_t *n,
			 char *err, size_t errlen)
{
	const json_t *source = json_object_get(j, "source");
	const json_t *list =
		json_object_get(json_object_get(j, "conversation_parts"), "conversation_parts");
	const char *type = string_of(j, "type");
	size_t i, cap;
	json_t *o;

	*parts = NULL;
	*n = 0;
	if (!type || strcmp(type, "conversation") != 0) {
		wrong_answer_report(j, "a conversation", NULL, err, errlen);
		return -1;
	}
	cap = 1 + json_array_size(list);
	*parts = xcalloc(cap, sizeof(**parts));
	if (json_is_object(source) && string_of(source, "body")) {
		struct intercom_part *p = &(*parts)[(*n)++];

		part_fill(p, source, body_is_html);
		p->part_type = xstrdup("source");
		/* The source carries no time of its own: it is the conversation's start. */
		(void)time_get(j, "created_at", true, false, &p->created_at);
	}
	json_array_foreach(list, i, o) {
		struct intercom_part *p;

		if (!json_is_object(o))
			continue;
		p = &(*parts)[(*n)++];
		p->part_type = string_copy(o, "part_type");
		part_fill(p, o, body_is_html);
		p->is_note = p->part_type && strncmp(p->part_type, "note", 4) == 0;
	}
	if (*n == 0) {
		free(*parts);
		*parts = NULL;
	}
	return 0;
}

/*
 * Teammates, teams, tags
 */

void intercom_admin_release(struct intercom_admin *a)
{
	free(a->name);
	free(a->email);
	free(a->team_ids);
	memset(a, 0, sizeof(*a));
}

void intercom_team_release(struct intercom_team *t)
{
	free(t->name);
	memset(t, 0, sizeof(*t));
}

void intercom_tag_release(struct intercom_tag *t)
{
	free(t->name);
	memset(t, 0, sizeof(*t));
}

void intercom_admins_free(struct intercom_admin *admins, size_t n)
{
	for (size_t i = 0; i < n; i++)
		intercom_admin_release(&admins[i]);
	free(admins);
}

void intercom_teams_free(struct intercom_team *teams, size_t n)
{
	for (size_t i = 0; i < n; i++)
		intercom_team_release(&teams[i]);
	free(teams);
}

void intercom_tags_free(struct intercom_tag *tags, size_t n)
{
	for (size_t i = 0; i < n; i++)
		intercom_tag_release(&tags[i]);
	free(tags);
}

static int admin_fill(json_t *o, void *record)
{
	struct intercom_admin *a = record;
	const json_t *teams = json_object_get(o, "team_ids");
	size_t i;
	json_t *v;

	memset(a, 0, sizeof(*a));
	if (id_parse(json_object_get(o, "id"), &a->id) < 0) {
		a->id = 0;
		return -1;
	}
	a->name = string_copy(o, "name");
	a->email = string_copy(o, "email");
	a->away = json_is_true(json_object_get(o, "away_mode_enabled"));
	a->bot = a->email && !strncasecmp(a->email, "operator+", 9) &&
		 strlen(a->email) > 12 && !strcasecmp(a->email + strlen(a->email) - 12, "@intercom.io");
	if (!json_is_array(teams) || json_array_size(teams) == 0)
		return 0;
	a->team_ids = xcalloc(json_array_size(teams), sizeof(*a->team_ids));
	json_array_foreach(teams, i, v) {
		if (id_parse(v, &a->team_ids[a->n_team_ids]) == 0)
			a->n_team_ids++;
	}
	return 0;
}

/* Teams and tags are both an id and a name. */
static int named_fill(const json_t *o, int64_t *id, char **name)
{
	*name = NULL;
	if (id_parse(json_object_get(o, "id"), id) < 0) {
		*id = 0;
		return -1;
	}
	*name = string_copy(o, "name");
	return 0;
}

static int team_fill(json_t *o, void *record)
{
	struct intercom_team *t = record;

	return named_fill(o, &t->id, &t->name);
}

static int tag_fill(json_t *o, void *record)
{
	struct intercom_tag *t = record;

	return named_fill(o, &t->id, &t->name);
}

int intercom_parse_me(json_t *j, struct intercom_admin *out, char *err, size_t errlen)
{
	const char *type = string_of(j, "type");

	if (!type || strcmp(type, "admin") != 0) {
		memset(out, 0, sizeof(*out));
		wrong_answer_report(j, "an admin", NULL, err, errlen);
		return -1;
	}
	if (admin_fill(j, out) < 0) {
		id_report(j, "admin", err, errlen);
		return -1;
	}
	return 0;
}

/* The array under key, or NULL with a message. */
static const json_t *list_get(json_t *j, const char *key, const char *what, char *err,
			      size_t errlen)
{
	const json_t *list = json_object_get(j, key);

	if (!json_is_array(list)) {
		wrong_answer_report(j, what, key, err, errlen);
		return NULL;
	}
	return list;
}

int intercom_parse_admins(json_t *j, struct intercom_admin **admins, size_t *n, size_t *n_skipped,
			  char *err, size_t errlen)
{
	const json_t *list = list_get(j, "admins", "an admin.list", err, errlen);

	/* Without a list, no records and the counts are zero. */
	*admins = records_parse(list, sizeof(**admins), admin_fill, n, n_skipped);
	return list ? 0 : -1;
}

int intercom_parse_teams(json_t *j, struct intercom_team **teams, size_t *n, size_t *n_skipped,
			 char *err, size_t errlen)
{
	const json_t *list = list_get(j, "teams", "a team.list", err, errlen);

	/* Without a list, no records and the counts are zero. */
	*teams = records_parse(list, sizeof(**teams), team_fill, n, n_skipped);
	return list ? 0 : -1;
}

int intercom_parse_tags(json_t *j, struct intercom_tag **tags, size_t *n, size_t *n_skipped,
			char *err, size_t errlen)
{
	const json_t *list = list_get(j, "data", "a list", err, errlen);

	/* Without a list, no records and the counts are zero. */
	*tags = records_parse(list, sizeof(**tags), tag_fill, n, n_skipped);
	return list ? 0 : -1;
}

int intercom_parse_tag(json_t *j, struct intercom_tag *out, char *err, size_t errlen)
{
	const char *type = string_of(j, "type");

	memset(out, 0, sizeof(*out));
	if (!type || strcmp(type, "tag") != 0) {
		wrong_answer_report(j, "a tag", NULL, err, errlen);
		return -1;
	}
	if (named_fill(j, &out->id, &out->name) < 0) {
		id_report(j, "tag", err, errlen);
		return -1;
	}
	return 0;
}

/*
 * Help center
 */

void intercom_article_release(struct intercom_article *a)
{
	free(a->title);
	free(a->description);
	free(a->url);
	free(a->body);
	memset(a, 0, sizeof(*a));
}

void intercom_articles_free(struct intercom_article *articles, size_t n)
{
	for (size_t i = 0; i < n; i++)
		intercom_article_release(&articles[i]);
	free(articles);
}

static int article_fill(json_t *o, void *record)
{
	struct intercom_article *a = record;
	const char *body = string_of(o, "body");

	memset(a, 0, sizeof(*a));
	if (id_parse(json_object_get(o, "id"), &a->id) < 0) {
		a->id = 0;
		return -1;
	}
	a->title = string_copy(o, "title");
	a->description = string_copy(o, "description");
	a->url = string_copy(o, "url");
	if (body)
		a->body = html_to_text(body);
	(void)time_get(o, "updated_at", true, false, &a->updated_at);
	return 0;
}

int intercom_parse_article(json_t *j, struct intercom_article *out, char *err, size_t errlen)
{
	const char *type = string_of(j, "type");

	memset(out, 0, sizeof(*out));
	if (!type || strcmp(type, "article") != 0) {
		wrong_answer_report(j, "an article", NULL, err, errlen);
		return -1;
	}
	if (article_fill(j, out) < 0) {
		id_report(j, "article", err, errlen);
		return -1;
	}
	return 0;
}

static long page_number_of(const json_t *j, const char *key)
{
	const json_t *v = json_object_get(json_object_get(j, "pages"), key);

	return json_is_integer(v) ? (long)json_integer_value(v) : 0;
}

int intercom_parse_articles(json_t *j, struct intercom_article **articles, size_t *n,
			    long *page, long *total_pages, size_t *n_skipped, char *err,
			    size_t errlen)
{
	const json_t *data = json_object_get(j, "data");
	/* GET /articles lists under "data", GET /articles/search under "data.articles". */
	const json_t *list = json_is_object(data) ? json_object_get(data, "articles") : data;

	if (page)
		*page = 0;
	if (total_pages)
		*total_pages = 0;
	if (!json_is_array(list)) {
		wrong_answer_report(j, "a list of articles", NULL, err, errlen);
		list = NULL;
	}
	*articles = records_parse(list, sizeof(**articles), article_fill, n, n_skipped);
	if (!list)
		return -1;
	if (page)
		*page = page_number_of(j, "page");
	if (total_pages)
		*total_pages = page_number_of(j, "total_pages");
	return 0;
}

/*
 * Errors
 */

static void bounded_copy(char *dst, size_t len, const char *src)
{
	if (!dst || len == 0)
		return;
	if (snprintf(dst, len, "%s", src ? src : "") < 0)
		dst[0] = '\0';
}

int intercom_parse_error(json_t *j, char *code, size_t codelen, char *msg, size_t msglen)
{
	const json_t *errors = json_object_get(j, "errors");
	const char *type = string_of(j, "type");
	size_t i, used = 0;
	json_t *e;

	bounded_copy(code, codelen, "");
	bounded_copy(msg, msglen, "");
	if (!type || strcmp(type, "error.list") != 0 || !json_is_array(errors) ||
	    json_array_size(errors) == 0)
		return -1;
	bounded_copy(code, codelen, string_of(json_array_get(errors, 0), "code"));
	json_array_foreach(errors, i, e) {
		const char *m = string_of(e, "message");
		int wrote;

		if (!m || !msg || used + 1 >= msglen)
			continue;
		wrote = snprintf(msg + used, msglen - used, "%s%s", used ? "; " : "", m);
		if (wrote < 0)
			break;
		used += (size_t)wrote < msglen - used ? (size_t)wrote : msglen - used - 1;
	}
	return 0;
}

long intercom_parts_missing(json_t *j)
{
	const json_t *parts = json_object_get(j, "conversation_parts");
	const json_t *total = json_object_get(parts, "total_count");
	long long sent = (long long)json_array_size(json_object_get(parts, "conversation_parts"));

	if (!json_is_integer(total))
		total = json_object_get(json_object_get(j, "statistics"), "count_conversation_parts");
	if (!json_is_integer(total) || json_integer_value(total) <= sent)
		return 0;
	return (long)(json_integer_value(total) - sent);
}

/* The request_id of an error.list when it looks like one (letters, digits, '-', '_');
 * "" otherwise, so nothing odd from the server reaches a message through it. */
static void request_id_of(json_t *j, char *out, size_t outlen)
{
	const char *id = string_of(j, "request_id");
	size_t n;

	bounded_copy(out, outlen, "");
	if (!id || !id[0] || strlen(id) >= outlen)
		return;
	for (n = 0; id[n]; n++)
		if (!(id[n] >= '0' && id[n] <= '9') && !(id[n] >= 'a' && id[n] <= 'z') &&
		    !(id[n] >= 'A' && id[n] <= 'Z') && id[n] != '-' && id[n] != '_')
			return;
	bounded_copy(out, outlen, id);
}

/* Whether path (a request path, maybe with a query) is prefix or prefix/... */
static bool path_under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(path, prefix, n) && (!path[n] || path[n] == '/' || path[n] == '?');
}

const char *intercom_permission_for(const char *method, const char *path)
{
	bool read = method && !strcmp(method, "GET");

	if (!method || !path)
		return NULL;
	if (path_under(path, "/conversations/search"))
		return "Read conversations";
	if (path_under(path, "/conversations"))
		return read ? "Read conversations" : "Write conversations";
	if (path_under(path, "/tags"))
		return read ? "Read tags" : "Write tags";
	if (path_under(path, "/me"))
		return "Read one admin";
	if (path_under(path, "/admins") || path_under(path, "/teams"))
		return "Read admins";
	if (path_under(path, "/articles"))
		return read ? "Read and list articles" : "Read and write articles";
	return NULL;
}

void intercom_describe_failure(const struct intercom_failure *f, char *err, size_t errlen)
{
	char code[64], msg[200], rid[72], tail[96];
	const char *permission;
	json_t *j = f->body ? json_loadb(f->body, f->len, 0, NULL) : NULL;
	bool listed = j && intercom_parse_error(j, code, sizeof(code), msg, sizeof(msg)) == 0;

	request_id_of(j, rid, sizeof(rid));
	json_decref(j);
	if (!listed)
		code[0] = msg[0] = '\0';
	/* Intercom's support asks for the request id: every message carries it. */
	if (rid[0])
		snprintf(tail, sizeof(tail), " (Intercom request_id %s)", rid);
	else
		tail[0] = '\0';
	if (f->status == 401) {
		bool default_host = f->base_url && !strcmp(f->base_url, INTERCOM_DEFAULT_URL);

		err_set(err, errlen,
			"the backend refused the token (401 unauthorized): check FRONTLINE_TOKEN or "
			"token_command%s%s",
			default_host ? "; a workspace hosted in Europe or Australia answers at "
				       "https://api.eu.intercom.io or https://api.au.intercom.io: "
				       "set region = eu or au in [backend]"
				     : "",
			tail);
	} else if (f->status == 403 && !strcmp(code, "api_plan_restricted")) {
		err_set(err, errlen,
			"the workspace's Intercom plan does not include this (403 "
			"api_plan_restricted)%s%s%s",
			msg[0] ? ": " : "", msg, tail);
	} else if (f->status == 403) {
		permission = intercom_permission_for(f->method, f->path);
		if (permission)
			err_set(err, errlen,
				"Intercom refused this (403 forbidden): the access token lacks the "
				"\"%s\" permission; add it to the app in Intercom's Developer Hub, "
				"then use the new token%s%s%s",
				permission, msg[0] ? ": " : "", msg, tail);
		else
			err_set(err, errlen,
				"Intercom refused this (403 forbidden): the access token lacks a "
				"permission%s%s%s",
				msg[0] ? ": " : "", msg, tail);
	} else if (f->status == 400 && !strcmp(code, "intercom_version_invalid")) {
		err_set(err, errlen,
			"the backend does not accept Intercom-Version %s, the API version this "
			"frontline speaks (%s): update frontline, and check that url in [backend] "
			"is Intercom's API%s",
			f->api_version ? f->api_version : "(none)", msg[0] ? msg : code, tail);
	} else if (listed) {
		err_set(err, errlen, "the backend answered %ld %.60s: %.160s%s", f->status, code, msg,
			tail);
	} else {
		err_set(err, errlen, "the backend answered HTTP %ld%s", f->status, tail);
	}
}

/*
 * Office hours
 */

/* time_intervals as intervals (null: none); -1 when it is neither null nor an array of
 * objects with integer start_minute and end_minute. */
static int intervals_get(const json_t *o, struct sla_interval *iv, size_t max, size_t *n)
{
	const json_t *list = json_object_get(o, "time_intervals"), *item;
	size_t i;

	*n = 0;
	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list) || json_array_size(list) > max)
		return -1;
	json_array_foreach(list, i, item)
	{
		const json_t *start = json_object_get(item, "start_minute"),
			     *end = json_object_get(item, "end_minute");

		if (!json_is_integer(start) || !json_is_integer(end) ||
		    json_integer_value(start) < INT_MIN || json_integer_value(start) > INT_MAX ||
		    json_integer_value(end) < INT_MIN || json_integer_value(end) > INT_MAX)
			return -1;
		iv[i].start = (int)json_integer_value(start);
		iv[i].end = (int)json_integer_value(end);
	}
	*n = json_array_size(list);
	return 0;
}

static int schedule_fill(json_t *o, void *record)
{
	struct sla_schedule *s = record;
	struct sla_interval iv[SLA_MAX_WEEK], whole = {0, SLA_WEEK_MINUTES};
	const char *name = string_of(o, "name"), *zone = string_of(o, "time_zone_name");
	size_t n;

	if (id_parse(json_object_get(o, "id"), &s->id) < 0 || !name || !*name ||
	    strlen(name) >= sizeof(s->name))
		return -1;
	memcpy(s->name, name, strlen(name) + 1);
	if (intervals_get(o, iv, SLA_MAX_WEEK, &n) < 0) {
		err_set(s->problem, sizeof(s->problem),
			"its time_intervals are not a list of at most %d minute ranges",
			SLA_MAX_WEEK);
		return 0;
	}
	if (json_is_true(json_object_get(o, "twenty_four_seven"))) {
		iv[0] = whole;
		n = 1;
	}
	if (sla_hours_from_week(&s->hours, zone ? zone : "", iv, n, s->problem,
				sizeof(s->problem)) < 0)
		return 0;
	if (!s->hours.enabled)
		err_set(s->problem, sizeof(s->problem), "it is never open");
	return 0;
}

int intercom_parse_schedules(json_t *j, struct sla_schedule **out, size_t *n, char *err,
			     size_t errlen)
{
	const json_t *list = list_get(j, "data", "an office_hours_schedule.list", err, errlen);

	*out = records_parse(list, sizeof(**out), schedule_fill, n, NULL);
	return list ? 0 : -1;
}

static int team_metric_fill(json_t *o, void *record)
{
	struct team_metric *m = record;
	json_t *v;

	if (id_parse(json_object_get(o, "admin_id"), &m->admin) < 0)
		return -1;
	v = json_object_get(o, "open");
	m->open = json_is_integer(v) && json_integer_value(v) > 0 ? (long)json_integer_value(v) : 0;
	v = json_object_get(o, "idle");
	m->idle = json_is_integer(v) && json_integer_value(v) > 0 ? (long)json_integer_value(v) : 0;
	v = json_object_get(o, "snoozed");
	m->snoozed =
	    json_is_integer(v) && json_integer_value(v) > 0 ? (long)json_integer_value(v) : 0;
	return 0;
}

int intercom_parse_team_metrics(json_t *j, struct team_metric **out, size_t *n, char *err,
				size_t errlen)
{
	const json_t *list = list_get(j, "data", "a team_metric.list", err, errlen);

	*out = records_parse(list, sizeof(**out), team_metric_fill, n, NULL);
	return list ? 0 : -1;
}

int intercom_parse_exceptions(json_t *j, struct sla_schedule *s, char *err, size_t errlen)
{
	const json_t *list = list_get(j, "data", "an office_hours_exception.list", err, errlen), *o;
	struct sla_interval iv[SLA_MAX_RANGES];
	const char *type;
	size_t i, n;

	if (!list)
		return -1;
	json_array_foreach(list, i, o)
	{
		type = string_of(o, "exception_type");
		if (s->problem[0])
			break;
		if (!type || (strcmp(type, "closed") && strcmp(type, "custom_hours"))) {
			err_set(s->problem, sizeof(s->problem), "an exception of unknown type");
			break;
		}
		if (!strcmp(type, "closed"))
			n = 0;
		else if (intervals_get(o, iv, SLA_MAX_RANGES, &n) < 0) {
			err_set(s->problem, sizeof(s->problem),
				"an exception's time_intervals are not a list of at most %d ranges",
				SLA_MAX_RANGES);
			break;
		}
		sla_hours_add_exception(&s->hours, string_of(o, "exception_date"),
					json_is_true(json_object_get(o, "recurring_annually")), iv,
					n, s->problem, sizeof(s->problem));
	}
	return 0;
}

/*
 * Saved replies
 */

static int macro_fill(json_t *o, void *record)
{
	struct saved_reply *r = record;
	const json_t *teams = json_object_get(o, "visible_to_team_ids");
	const char *html = string_of(o, "body"), *visible = string_of(o, "visible_to");
	size_t i;
	json_t *v;

	memset(r, 0, sizeof(*r));
	r->id = string_copy(o, "id");
	r->name = string_copy(o, "name");
	if (!r->id || !r->name) {
		saved_reply_release(r);
		return -1;
	}
	r->text = string_copy(o, "body_text");
	if (!r->text && html)
		r->text = html_to_text(html);
	/* anything but specific_teams is for everyone */
	r->everyone = !visible || strcmp(visible, "specific_teams") != 0;
	if (!json_is_array(teams) || json_array_size(teams) == 0)
		return 0;
	r->team_ids = xcalloc(json_array_size(teams), sizeof(*r->team_ids));
	json_array_foreach(teams, i, v) {
		if (id_parse(v, &r->team_ids[r->n_team_ids]) == 0)
			r->n_team_ids++;
	}
	return 0;
}

int intercom_parse_macros(json_t *j, struct saved_reply **macros, size_t *n, char **next,
			  char *err, size_t errlen)
{
	const json_t *list = list_get(j, "data", "a list", err, errlen);
	const json_t *pages = json_object_get(j, "pages");
	const json_t *after = json_object_get(json_object_get(pages, "next"), "starting_after");

	*macros = records_parse(list, sizeof(**macros), macro_fill, n, NULL);
	*next = list && json_is_string(after) && *json_string_value(after)
			? xstrdup(json_string_value(after))
			: NULL;
	return list ? 0 : -1;
}

/* ---- contacts ---- */

char *intercom_conversation_contact(json_t *j)
{
	json_t *list = json_object_get(json_object_get(j, "contacts"), "contacts");

	return wire_id_copy(json_object_get(json_array_get(list, 0), "id"));
}

int intercom_parse_contact(json_t *j, struct customer *out, char *err, size_t errlen)
{
	const json_t *location = json_object_get(j, "location");
	const char *type = string_of(j, "type");

	if (!type || strcmp(type, "contact")) {
		snprintf(err, errlen, "the backend sent something other than a contact");
		return -1;
	}
	out->name = string_copy(j, "name");
	out->email = string_copy(j, "email");
	out->city = string_copy(location, "city");
	out->region = string_copy(location, "region");
	out->country = string_copy(location, "country");
	return 0;
}

long intercom_contact_tag_count(json_t *j)
{
	const json_t *tags = json_object_get(j, "tags"),
		     *total = json_object_get(tags, "total_count");

	if (json_is_integer(total) && json_integer_value(total) >= 0)
		return (long)json_integer_value(total);
	if (json_is_array(json_object_get(tags, "data")))
		return (long)json_array_size(json_object_get(tags, "data"));
	return -1;
}

int intercom_parse_contact_tags(json_t *j, struct customer *out, char *err, size_t errlen)
{
	struct intercom_tag *tags;
	size_t n, i;

	if (intercom_parse_tags(j, &tags, &n, NULL, err, errlen) < 0)
		return -1;
	out->tags = xcalloc(n ? n : 1, sizeof(*out->tags));
	for (i = 0; i < n; i++)
		if (tags[i].name)
			out->tags[out->n_tags++] = xstrdup(tags[i].name);
	intercom_tags_free(tags, n);
	return 0;
}

int intercom_parse_contact_companies(json_t *j, struct customer *out, char *err, size_t errlen)
{
	const json_t *first = json_array_get(json_object_get(j, "companies"), 0);

	if (!json_is_array(json_object_get(j, "companies"))) {
		snprintf(err, errlen, "the backend sent a company list without companies");
		return -1;
	}
	out->company = string_copy(first, "name");
	out->plan = string_copy(json_object_get(first, "plan"), "name");
	return 0;
}
