/* intercom-request.c: the request bodies frontline sends to Intercom REST API 2.16 (the
 * conversation search, replies, state changes, assignments, tags), built as jansson
 * values; the driver does the HTTP. */
#include "build-config.h"

#include "intercom.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Steals value, as json_pack's "o" does. */
static json_t *filter_new(const char *field, const char *op, json_t *value)
{
	if (!value)
		return NULL;
	return json_pack("{s:s, s:s, s:o}", "field", field, "operator", op, "value", value);
}

/* The description types team_assignee_id as Integer in search ("the value you search for
 * has to match the accepted type, otherwise the query will fail"): ids go as numbers. */
static json_t *team_filter_new(const char *op, const int64_t *team_ids, size_t n_teams)
{
	json_t *values = json_array();

	if (!values)
		return NULL;
	for (size_t i = 0; i < n_teams; i++) {
		if (json_array_append_new(values, json_integer((json_int_t)team_ids[i])) < 0) {
			json_decref(values);
			return NULL;
		}
	}
	return filter_new("team_assignee_id", op, values);
}

/* A group of filters: the group, the one filter, or NULL when filters is empty. Steals
 * filters. */
static json_t *group_new(const char *op, json_t *filters)
{
	json_t *one;

	switch (json_array_size(filters)) {
	case 0:
		json_decref(filters);
		return NULL;
	case 1:
		one = json_incref(json_array_get(filters, 0));
		json_decref(filters);
		return one;
	default:
		return json_pack("{s:s, s:o}", "operator", op, "value", filters);
	}
}

/* One AND group of two filters (steals both), or NULL. */
static json_t *pair_new(json_t *a, json_t *b)
{
	if (!a || !b) {
		json_decref(a);
		json_decref(b);
		return NULL;
	}
	return json_pack("{s:s, s:[o, o]}", "operator", "AND", "value", a, b);
}

/* The first filter of a group: what is open (full), or what changed (incremental). */
static json_t *since_new(fl_time updated_after)
{
	return updated_after > 0 ? filter_new("updated_at", ">", json_integer(updated_after))
				 : filter_new("open", "=", json_true());
}

/* What an incremental poll of some teams asks for: their conversations updated after
 * updated_after, whatever their state (closures and snoozes arrive), or any other
 * conversation assigned since (a move out of the teams, or away from the agent, arrives:
 * it no longer matches their filter); with an agent (me), also the agent's own updated
 * since, whatever their team. A full sync asks for the teams' open conversations and, with
 * me, the agent's. Groups of filters inside an OR group: levels never mix. */
static json_t *changes_query_new(fl_time updated_after, const int64_t *team_ids, size_t n_teams,
				 int64_t me)
{
	json_t *groups = json_array();

	if (!groups)
		return NULL;
	if (n_teams && json_array_append_new(groups, pair_new(since_new(updated_after),
							       team_filter_new("IN", team_ids,
									       n_teams))) < 0)
		goto fail;
	if (me && json_array_append_new(
		      groups, pair_new(since_new(updated_after),
				       filter_new("admin_assignee_id", "=",
						  json_integer((json_int_t)me)))) < 0)
		goto fail;
	if (updated_after > 0 &&
	    json_array_append_new(
		groups,
		pair_new(filter_new("statistics.last_assignment_at", ">", json_integer(updated_after)),
			 n_teams ? team_filter_new("NIN", team_ids, n_teams)
				 : filter_new("updated_at", ">", json_integer(updated_after)))) < 0)
		goto fail;
	return group_new("OR", groups);
fail:
	json_decref(groups);
	return NULL;
}

static json_t *search_query_new(fl_time updated_after, const int64_t *team_ids, size_t n_teams,
				int64_t me, bool open_only)
{
	json_t *filters = json_array();

	if (!filters)
		return NULL;
	if ((updated_after > 0 && (n_teams || me) && !open_only) ||
	    (open_only && updated_after == 0 && me)) {
		json_decref(filters);
		return changes_query_new(open_only ? 0 : updated_after, team_ids, n_teams, me);
	}
	if (open_only && json_array_append_new(filters, filter_new("open", "=", json_true())) < 0)
		goto fail;
	/* Intercom documents ">" on dates as "greater or equal": the overlap the poller
	 * keeps anyway absorbs it. */
	if (updated_after > 0 &&
	    json_array_append_new(filters, filter_new("updated_at", ">",
						      json_integer(updated_after))) < 0)
		goto fail;
	if (n_teams &&
	    json_array_append_new(filters, team_filter_new("IN", team_ids, n_teams)) < 0)
		goto fail;
	return group_new("AND", filters);
fail:
	json_decref(filters);
	return NULL;
}

json_t *intercom_search_request(fl_time updated_after, const int64_t *team_ids, size_t n_teams,
				bool open_only, const char *starting_after, int per_page)
{
	return intercom_search_request_mine(updated_after, team_ids, n_teams, 0, open_only,
					    starting_after, per_page);
}

json_t *intercom_search_request_mine(fl_time updated_after, const int64_t *team_ids,
				     size_t n_teams, int64_t me, bool open_only,
				     const char *starting_after, int per_page)
{
	json_t *query = search_query_new(updated_after, team_ids, n_teams, me, open_only);
	json_t *pagination;

	if (!query)
		return NULL;
	if (per_page <= 0 || per_page > INTERCOM_PER_PAGE_MAX)
		per_page = INTERCOM_PER_PAGE_MAX;
	pagination = json_pack("{s:i}", "per_page", per_page);
	if (!pagination) {
		json_decref(query);
		return NULL;
	}
	if (starting_after &&
	    json_object_set_new(pagination, "starting_after", json_string(starting_after)) < 0) {
		json_decref(query);
		json_decref(pagination);
		return NULL;
	}
	return json_pack("{s:o, s:o}", "query", query, "pagination", pagination);
}

/* The open conversations of one group (steals who) created in [from, until): see
 * intercom_full_part_request. */
static json_t *part_group_new(json_t *who, fl_time from, fl_time until)
{
	/* "o" steals both, even when the pack fails */
	json_t *filters = json_pack("[o, o]", filter_new("open", "=", json_true()), who);

	if (!filters)
		return NULL;
	if (from > 0 && json_array_append_new(filters, filter_new("created_at", ">",
								  json_integer(from - 1))) < 0)
		goto fail;
	if (until > 0 && json_array_append_new(filters, filter_new("created_at", "<",
								   json_integer(until))) < 0)
		goto fail;
	return group_new("AND", filters);
fail:
	json_decref(filters);
	return NULL;
}

json_t *intercom_full_part_request(const int64_t *team_ids, size_t n_teams, int64_t me,
				   fl_time from, fl_time until, const char *starting_after,
				   int per_page)
{
	json_t *groups = json_array(), *query, *pagination;

	if (!groups)
		return NULL;
	if (n_teams && json_array_append_new(groups, part_group_new(team_filter_new("IN", team_ids,
										      n_teams),
								    from, until)) < 0)
		goto fail;
	if (me && json_array_append_new(
		      groups, part_group_new(filter_new("admin_assignee_id", "=",
							json_integer((json_int_t)me)),
					     from, until)) < 0)
		goto fail;
	query = group_new("OR", groups);
	if (!query)
		return NULL;
	if (per_page <= 0 || per_page > INTERCOM_PER_PAGE_MAX)
		per_page = INTERCOM_PER_PAGE_MAX;
	pagination = json_pack("{s:i}", "per_page", per_page);
	if (!pagination || (starting_after && json_object_set_new(pagination, "starting_after",
								  json_string(starting_after)) < 0)) {
		json_decref(query);
		json_decref(pagination);
		return NULL;
	}
	return json_pack("{s:o, s:{s:s, s:s}, s:o}", "query", query, "sort", "field", "created_at",
			 "order", "ascending", "pagination", pagination);
fail:
	json_decref(groups);
	return NULL;
}

json_t *intercom_contact_search_request(const char *contact_id, int per_page)
{
	return json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s}, s:{s:i}}", "query", "field",
			 "contact_ids", "operator", "=", "value", contact_id, "sort", "field",
			 "created_at", "order", "descending", "pagination", "per_page", per_page);
}

char *intercom_text_to_html(const char *text)
{
	size_t len = strlen(text);
	/* "<p>" + "</p>" + NUL, and each byte at worst "&amp;". */
	char *html = xmalloc(len * 5 + 8);
	char *w = html;

	w = stpcpy(w, "<p>");
	for (const char *r = text; *r; r++) {
		switch (*r) {
		case '&':
			w = stpcpy(w, "&amp;");
			break;
		case '<':
			w = stpcpy(w, "&lt;");
			break;
		case '>':
			w = stpcpy(w, "&gt;");
			break;
		case '\r':
			if (r[1] == '\n')
				r++;
			w = stpcpy(w, "<br>");
			break;
		case '\n':
			w = stpcpy(w, "<br>");
			break;
		default:
			*w++ = *r;
		}
	}
	stpcpy(w, "</p>");
	return html;
}

/* Ids go out as strings ("admin_id and tag id in request bodies are strings"). */
#define ID_BUF 24

static bool id_format(char *buf, int64_t id)
{
	return id > 0 && snprintf(buf, ID_BUF, "%" PRId64, id) > 0;
}

json_t *intercom_reply_request(enum intercom_reply_kind kind, int64_t admin_id, const char *text)
{
	char admin[ID_BUF];
	char *html;
	json_t *body;

	if (!text || !*text || !id_format(admin, admin_id))
		return NULL;
	html = intercom_text_to_html(text);
	body = json_pack("{s:s, s:s, s:s, s:s}", "message_type",
			 kind == INTERCOM_REPLY_NOTE ? "note" : "comment", "type", "admin",
			 "admin_id", admin, "body", html);
	free(html);
	return body;
}

json_t *intercom_close_request(int64_t admin_id)
{
	char admin[ID_BUF];

	if (!id_format(admin, admin_id))
		return NULL;
	return json_pack("{s:s, s:s, s:s}", "message_type", "close", "type", "admin", "admin_id",
			 admin);
}

json_t *intercom_snooze_request(int64_t admin_id, fl_time snoozed_until)
{
	char admin[ID_BUF];

	if (!id_format(admin, admin_id) || snoozed_until <= 0)
		return NULL;
	return json_pack("{s:s, s:s, s:I}", "message_type", "snoozed", "admin_id", admin,
			 "snoozed_until", (json_int_t)snoozed_until);
}

json_t *intercom_open_request(int64_t admin_id)
{
	char admin[ID_BUF];

	if (!id_format(admin, admin_id))
		return NULL;
	return json_pack("{s:s, s:s}", "message_type", "open", "admin_id", admin);
}

json_t *intercom_assign_request(int64_t admin_id, int64_t assignee_id)
{
	return intercom_assign_to_request(admin_id, false, assignee_id);
}

json_t *intercom_assign_to_request(int64_t admin_id, bool team, int64_t assignee_id)
{
	char admin[ID_BUF], assignee[ID_BUF];

	if (!id_format(admin, admin_id) || assignee_id < 0)
		return NULL;
	if (snprintf(assignee, sizeof(assignee), "%" PRId64, assignee_id) < 0)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s}", "message_type", "assignment", "type",
			 team ? "team" : "admin", "admin_id", admin, "assignee_id", assignee);
}

json_t *intercom_tag_add_request(int64_t admin_id, int64_t tag_id)
{
	char admin[ID_BUF], tag[ID_BUF];

	if (!id_format(admin, admin_id) || !id_format(tag, tag_id))
		return NULL;
	return json_pack("{s:s, s:s}", "id", tag, "admin_id", admin);
}

json_t *intercom_tag_remove_request(int64_t admin_id)
{
	char admin[ID_BUF];

	if (!id_format(admin, admin_id))
		return NULL;
	return json_pack("{s:s}", "admin_id", admin);
}

json_t *intercom_priority_request(const char *level)
{
	if (priority_from_word(level) < 0)
		return NULL;
	return json_pack("{s:s}", "priority", level);
}

json_t *intercom_read_request(void) { return json_pack("{s:b}", "read", 1); }

json_t *intercom_tag_create_request(const char *name)
{
	if (!name || !*name)
		return NULL;
	return json_pack("{s:s}", "name", name);
}

/* ---- the agent's conversation search ---- */

static json_t *filter(const char *field, const char *op, json_t *value)
{
	return json_pack("{s:s, s:s, s:o}", "field", field, "operator", op, "value", value);
}

json_t *intercom_conversation_search_request(const struct convsearch *q, int per_page)
{
	static const char *const state_words[] = {
	    [CONV_OPEN] = "open", [CONV_SNOOZED] = "snoozed", [CONV_CLOSED] = "closed"};
	static const char *const text_fields[] = {"source.subject", "source.body",
						  "source.author.name", "source.author.email"};
	json_t *all = json_array(), *filters = json_array(), *query;

	if (!all || !filters) {
		json_decref(all);
		json_decref(filters);
		return NULL;
	}
	if (q->id[0])
		json_array_append_new(filters, filter("id", "=", json_string(q->id)));
	if (q->email[0])
		json_array_append_new(filters, filter("source.author.email", "=", json_string(q->email)));
	if (q->has_state)
		json_array_append_new(filters, filter("state", "=", json_string(state_words[q->state])));
	/* A group holds filters or groups, never both: with text beside them, the filters
	 * go into a group of their own. */
	if (!q->text[0])
		json_array_extend(all, filters);
	else if (json_array_size(filters))
		json_array_append_new(all, json_pack("{s:s, s:O}", "operator", "AND", "value", filters));
	json_decref(filters);
	if (q->text[0]) {
		json_t *any = json_array();

		for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++)
			json_array_append_new(any, filter(text_fields[i], "~", json_string(q->text)));
		json_array_append_new(all, json_pack("{s:s, s:o}", "operator", "OR", "value", any));
	}
	if (json_array_size(all) == 1) {
		query = json_incref(json_array_get(all, 0));
		json_decref(all);
	} else {
		query = json_pack("{s:s, s:o}", "operator", "AND", "value", all);
	}
	if (per_page <= 0 || per_page > INTERCOM_PER_PAGE_MAX)
		per_page = INTERCOM_PER_PAGE_MAX;
	/* The description gives the conversation search no sort (the contact search has
	 * one): the driver orders what arrives. */
	return json_pack("{s:o, s:{s:i}}", "query", query, "pagination", "per_page", per_page);
}

/* ---- a report's pages: conversations created in a range ---- */

/* created_at > since AND created_at < until: Intercom's ">" and "<" on dates include
 * the bound itself, so the caller drops what was created at until. */
static json_t *intercom_created_range_query(fl_time since, fl_time until)
{
	return json_pack("{s:s, s:[o, o]}", "operator", "AND", "value",
			 filter_new("created_at", ">", json_integer(since)),
			 filter_new("created_at", "<", json_integer(until)));
}

json_t *intercom_report_request(fl_time since, fl_time until, fl_time updated_after,
				const char *starting_after, int per_page)
{
	json_t *body = intercom_created_range_query(since, until);
	json_t *pagination;

	if (body && updated_after > 0 &&
	    json_array_append_new(json_object_get(body, "value"),
				  filter_new("updated_at", ">", json_integer(updated_after))) < 0) {
		json_decref(body);
		return NULL;
	}

	if (per_page <= 0 || per_page > INTERCOM_PER_PAGE_MAX)
		per_page = INTERCOM_PER_PAGE_MAX;
	pagination = json_pack("{s:i}", "per_page", per_page);
	if (!body || !pagination ||
	    (starting_after &&
	     json_object_set_new(pagination, "starting_after", json_string(starting_after)) < 0)) {
		json_decref(body);
		json_decref(pagination);
		return NULL;
	}
	return json_pack("{s:o, s:o}", "query", body, "pagination", pagination);
}
