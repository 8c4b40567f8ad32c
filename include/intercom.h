/* intercom.h: the Intercom REST API 2.16 on the wire: JSON answers turned into model
 * records, and JSON request bodies built. Pure functions on jansson values: no HTTP, no
 * I/O. Shapes follow ../shared/specs/intercom-api-2.16.yaml and its README's quirks. */
#ifndef FRONTLINE_INTERCOM_H
#define FRONTLINE_INTERCOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "convsearch.h"
#include "model.h"
#include "sla.h"

struct backend_ops;
/* The driver (intercom.c); the registry (backend.c) is the only other file naming it. */
extern const struct backend_ops intercom_backend;

/* Largest page POST /conversations/search serves. */
#define INTERCOM_PER_PAGE_MAX 150

/* Ids on the wire are strings of digits ("ids are strings"), some integers (team_ids,
 * admin_assignee_id): both are accepted everywhere. An id that is neither, or is not
 * positive, makes its record unusable. */

/*
 * Conversations
 */

/*
 * Fills out from a conversation or conversation_list_item object; out's old contents
 * are overwritten, not released. Returns -1 when j is not an object or has no usable id
 * (out is then left zeroed, holding nothing); 0 otherwise. Fields missing or of the
 * wrong type never fail the record: they keep their zero value and set the matching
 * CONV_UNKNOWN_* bit. In detail:
 * - state: "open", "closed" or "snoozed". Otherwise the boolean "open" decides (false:
 *   closed; true: snoozed when snoozed_until is set, else open); without it, the state
 *   is CONV_OPEN with CONV_UNKNOWN_STATE.
 * - priority: none, low, medium, high or urgent; the older "priority" (or true) reads
 *   as high, anything else as none.
 * - waiting_since and snoozed_until may be null (0), but a missing waiting_since sets
 *   CONV_UNKNOWN_WAITING; statistics may lack any of its times ("not yet", 0), but a
 *   missing, null or malformed statistics object, or a time in it of the wrong type,
 *   sets CONV_UNKNOWN_STATISTICS, and CONV_UNKNOWN_FIRST_ADMIN_REPLY /
 *   CONV_UNKNOWN_FIRST_CONTACT_REPLY for the times the clock needs that cannot be told.
 * - admin_assignee_id, team_assignee_id: null, 0 and "0" all mean unassigned (0).
 * - customer: source.author.name, else source.author.email (else CONV_UNKNOWN_CUSTOMER).
 * - body: source.body as sent (HTML), cut to MODEL_BODY_MAX bytes on a character
 *   boundary; body_is_html is set. conversation_preview() makes the row's text from it
 *   when it is shown. Control characters are kept as sent: the screen sanitises.
 * - tag_ids: tags.tags[].id; ids that are not numeric are left out.
 * - backend_sla and sla_name: sla_applied.sla_status and sla_name; no sla_applied object
 *   is NONE; an object whose status is null or absent is CANCELLED (the description: a
 *   status is null once the SLA was removed by hand); an unknown status is NONE.
 */
int intercom_parse_conversation(json_t *j, struct conversation *out);

/*
 * Parses one answer of POST /conversations/search (a conversation.list).
 * On success returns 0 and sets:
 *   *items        newly allocated array of *n records (NULL when *n is 0); the caller
 *                 releases each (conversation_release) and frees the array
 *   *next_cursor  pages.next.starting_after, newly allocated; NULL on the last page
 *   *total_count  total_count, or -1 when absent
 *   *n_skipped    records that could not be kept (not an object, no usable id); they
 *                 are not in items. When non-zero, err also says how many (otherwise
 *                 err is ""), so the caller can log it once per page.
 * Returns -1 with a message in err when j is not a conversation.list at all (an
 * error.list is reported with its code and message); nothing is allocated then.
 * Any out pointer but items and n may be NULL.
 */
int intercom_parse_search_page(json_t *j, struct conversation **items, size_t *n,
			       char **next_cursor, long *total_count, size_t *n_skipped, char *err,
			       size_t errlen);

/*
 * The record the caller holds for id (NULL: none); read during the call only.
 */
typedef const struct conversation *(*intercom_held_fn)(void *arg, int64_t id);

/*
 * intercom_parse_search_page for an incremental poll, whose window reads again what
 * earlier polls brought: a record held already (the held one is newer, or of the same
 * second with the same state, times, assignees, statistics and number of tags) is left
 * out without being built, and counted in *n_held (may be NULL). held NULL keeps all.
 */
int intercom_parse_search_changes(json_t *j, intercom_held_fn held, void *held_arg,
				  size_t *n_held, struct conversation **items, size_t *n,
				  char **next_cursor, long *total_count, size_t *n_skipped,
				  char *err, size_t errlen);

/*
 * Body for POST /conversations/search: an AND group of these filters, or the filter
 * itself when there is one (a group never mixes filters and sub-groups):
 *   open = true                        when open_only (the full sync)
 *   updated_at > updated_after         when updated_after > 0 (incremental: no state
 *                                      filter, so closures, snoozes and reassignments
 *                                      arrive; Intercom's ">" on dates includes equality)
 *   team_assignee_id IN [5001, ...]    when n_teams > 0 (integers: the description types
 *                                      the field Integer, and a string fails the query)
 * An incremental poll of teams (updated_after > 0, n_teams > 0, not open_only) asks
 * instead, in two levels that never mix filters and groups, for
 *   (updated_at > updated_after AND team_assignee_id IN [teams]) OR
 *   (statistics.last_assignment_at > updated_after AND team_assignee_id NIN [teams])
 * so that a conversation moved out of the teams arrives, while the other teams' changes
 * do not.
 * per_page is clamped to 1..INTERCOM_PER_PAGE_MAX, and 0 or less asks for the maximum;
 * pagination.starting_after is set when starting_after is non-NULL.
 * Returns a new reference (json_decref it), or NULL when there is nothing to filter on
 * (no open_only, no updated_after, no team) or starting_after is not valid UTF-8.
 */
json_t *intercom_search_request(fl_time updated_after, const int64_t *team_ids, size_t n_teams,
				bool open_only, const char *starting_after, int per_page);
/* The same, and with me (an admin id, 0 for none) also the agent's conversations of any
 * team, in two levels that never mix filters and groups:
 *   full:        (open = true AND team_assignee_id IN [teams]) OR
 *                (open = true AND admin_assignee_id = me)
 *   incremental: (updated_at > after AND team_assignee_id IN [teams]) OR
 *                (updated_at > after AND admin_assignee_id = me) OR
 *                (statistics.last_assignment_at > after AND team_assignee_id NIN [teams])
 * (without teams, the last group's second filter is updated_at > after), so that one
 * unassigned from the agent arrives too. */
json_t *intercom_search_request_mine(fl_time updated_after, const int64_t *team_ids,
				     size_t n_teams, int64_t me, bool open_only,
				     const char *starting_after, int per_page);

/*
 * One part of a full sync: the open conversations of team_ids (and, with me, the agent's
 * of any team) created from `from` (0: since ever) to before `until` (0: up to now and
 * after), oldest first (sorted by created_at, ascending), so that a part's first page
 * tells where the rest of it starts. Intercom's ">" and "<" on dates may or may not take
 * the bound itself: the query asks for created_at > from - 1 and < until, and the caller
 * keeps only from <= created_at < until. Parts of disjoint ranges never share a
 * conversation, and created_at never changes, so a conversation updated during the sync
 * stays in its part. Returns a new reference, or NULL (no team and no me).
 */
json_t *intercom_full_part_request(const int64_t *team_ids, size_t n_teams, int64_t me,
				   fl_time from, fl_time until, const char *starting_after,
				   int per_page);

/*
 * Body for the agent's search of every conversation (convsearch.h), one page of per_page:
 * an AND group of id = "ID", source.author.email = ADDRESS, state = STATE and, for free
 * text, an OR group of `~` (contains) on source.subject, source.body, source.author.name
 * and source.author.email; the filter itself when there is one.
 */
json_t *intercom_conversation_search_request(const struct convsearch *q, int per_page);

/*
 * A message of GET /conversations/{id}: the opening message (source) and the parts.
 */
struct intercom_part {
	char *id;	   /* the part's id as sent (the source's id for the source); may be NULL */
	char *part_type;   /* "comment", "note", "close", "assignment"...; "source" for the
			      opening message; may be NULL */
	bool is_note;	   /* an internal note: never seen by the customer */
	char *author_type; /* "admin", "user", "lead", "bot", "team"...; may be NULL */
	char *author_name; /* name, else email; may be NULL */
	int64_t author_id; /* 0 when absent */
	fl_time created_at;
	char *body; /* plain text; NULL when the part has no body (close, assignment...) */
	char *assigned_type; /* assigned_to.type: "admin", "team", "nobody_admin"...; may be NULL */
	int64_t assigned_id; /* assigned_to.id; 0 when null */
	bool has_tags;	     /* the part sent a tags list */
	char **tags;	     /* its names: n_tags of them */
	size_t n_tags;
};

void intercom_part_release(struct intercom_part *p);
/* Releases n parts and frees the array. */
void intercom_parts_free(struct intercom_part *parts, size_t n);

/*
 * Parses the conversation's messages in order: the source first (when it has a body),
 * then conversation_parts.conversation_parts[]. body_is_html: false when the request
 * asked for ?display_as=plaintext (bodies are kept as they are), true for HTML bodies
 * (converted with html_to_text). Returns 0 with a newly allocated array (NULL when
 * *n is 0; free with intercom_parts_free); -1 with a message when j is not a
 * conversation.
 */
int intercom_parse_parts(json_t *j, bool body_is_html, struct intercom_part **parts, size_t *n,
			 char *err, size_t errlen);

/*
 * How many parts a GET /conversations/{id} answer left out: Intercom sends at most the
 * 500 most recent, and conversation_parts.total_count (else statistics.
 * count_conversation_parts) says how many there are. 0 when nothing is missing or the
 * answer does not say.
 */
long intercom_parts_missing(json_t *j);

/*
 * Teammates, teams, tags
 */

struct intercom_admin {
	int64_t id;
	char *name;  /* may be NULL */
	char *email; /* may be NULL */
	bool away;   /* away_mode_enabled */
	bool bot;    /* a bot: Intercom lists its bots (Operator, Fin) as admins with an
		      * operator+APP@intercom.io address */
	int64_t *team_ids;
	size_t n_team_ids;
};

struct intercom_team {
	int64_t id;
	char *name; /* may be NULL */
};

struct intercom_tag {
	int64_t id;
	char *name; /* may be NULL */
};

void intercom_admin_release(struct intercom_admin *a);
void intercom_team_release(struct intercom_team *t);
void intercom_tag_release(struct intercom_tag *t);
/* Release n entries and free the array. */
void intercom_admins_free(struct intercom_admin *admins, size_t n);
void intercom_teams_free(struct intercom_team *teams, size_t n);
void intercom_tags_free(struct intercom_tag *tags, size_t n);

/* GET /me (admin_with_app). Returns 0, or -1 with a message when there is no admin with
 * a usable id (out is then zeroed). Release out with intercom_admin_release. */
int intercom_parse_me(json_t *j, struct intercom_admin *out, char *err, size_t errlen);

/*
 * List answers: GET /admins (admin.list, "admins"), GET /teams (team.list, "teams"),
 * GET /tags (list, "data"). Return 0 with a newly allocated array of *n entries (NULL
 * when empty; free with the matching _free), entries without a usable id left out and
 * counted in *n_skipped (may be NULL); -1 with a message when j has no such list.
 */
int intercom_parse_admins(json_t *j, struct intercom_admin **admins, size_t *n, size_t *n_skipped,
			  char *err, size_t errlen);
int intercom_parse_teams(json_t *j, struct intercom_team **teams, size_t *n, size_t *n_skipped,
			 char *err, size_t errlen);
int intercom_parse_tags(json_t *j, struct intercom_tag **tags, size_t *n, size_t *n_skipped,
			char *err, size_t errlen);

/* POST /tags answers the tag itself. Returns 0, or -1 with a message. */
int intercom_parse_tag(json_t *j, struct intercom_tag *out, char *err, size_t errlen);

/*
 * Help center
 */

struct intercom_article {
	int64_t id;
	char *title;	   /* may be NULL */
	char *description; /* may be NULL */
	char *url;	   /* may be NULL */
	char *body;	   /* plain text (html_to_text); may be NULL */
	fl_time updated_at;
};

void intercom_article_release(struct intercom_article *a);
void intercom_articles_free(struct intercom_article *articles, size_t n);

/* GET /articles/{id}. Returns 0, or -1 with a message when j is not an article with a
 * usable id (out is then zeroed). */
int intercom_parse_article(json_t *j, struct intercom_article *out, char *err, size_t errlen);

/*
 * GET /articles (a list: "data"[], paged by number) and GET /articles/search
 * ("data"."articles"[]): both are read by this function. Returns 0 with a newly
 * allocated array (free with intercom_articles_free), *page and *total_pages from
 * "pages" (0 when absent; either may be NULL), articles without a usable id left out and
 * counted in *n_skipped (may be NULL); -1 with a message when j holds no article list.
 */
int intercom_parse_articles(json_t *j, struct intercom_article **articles, size_t *n, long *page,
			    long *total_pages, size_t *n_skipped, char *err, size_t errlen);

/*
 * GET /macros: the saved replies of a page ("data"[]), text from body_text (Intercom's
 * placeholders) or else the HTML body as text; NULL when neither is given (a long list
 * may leave the bodies out). *next: the cursor of the next page (pages.next.starting_after),
 * newly allocated, or NULL on the last page. Returns 0 with a new array (free each with
 * saved_reply_release, then the array), macros without an id or name left out; -1 with a
 * message when j holds no list.
 */
struct saved_reply;
int intercom_parse_macros(json_t *j, struct saved_reply **macros, size_t *n, char **next,
			  char *err, size_t errlen);

/*
 * Errors
 */

/* From an error.list: the first error's code and the messages of all errors joined
 * with "; " (both truncated to fit). Returns 0, or -1 when j is not an error.list
 * (code and msg are then ""). */
int intercom_parse_error(json_t *j, char *code, size_t codelen, char *msg, size_t msglen);

/* The API host of a US workspace, frontline's default; EU and AU workspaces answer at
 * https://api.eu.intercom.io and https://api.au.intercom.io. */
#define INTERCOM_DEFAULT_URL "https://api.intercom.io"

/* The Developer Hub permission (OAuth scope) a request needs, by its method and path, as
 * Intercom names it ("Write conversations"); NULL for a path it does not know. */
const char *intercom_permission_for(const char *method, const char *path);

/* A failed answer and the request it answers. */
struct intercom_failure {
	long status;		 /* HTTP status */
	const char *body;	 /* the answer (an error.list, or anything); may be NULL */
	size_t len;
	const char *method;	 /* the request: method and path; may be NULL */
	const char *path;
	const char *base_url;	 /* the API base URL asked */
	const char *api_version; /* the Intercom-Version sent */
};

/*
 * Says in err what an answer of 300 or more means, in words an agent can act on, ending
 * with Intercom's request_id when the error.list has one. 401: check the token, and on
 * the default (US) host, the EU and AU hosts and the region key; 403: the permission the
 * request needs (intercom_permission_for); 400 intercom_version_invalid: the version
 * sent and what to do; otherwise the error.list's code and messages, or the status.
 */
void intercom_describe_failure(const struct intercom_failure *f, char *err, size_t errlen);

/*
 * Request bodies for writes. Each returns a new reference (json_decref it), or NULL on
 * invalid input: an admin_id or tag_id that is not positive, or as said per function.
 * Ids go out as strings, as the description types them.
 */

enum intercom_reply_kind {
	INTERCOM_REPLY_COMMENT, /* seen by the customer */
	INTERCOM_REPLY_NOTE,	/* internal */
};

/*
 * The agent's plain text as Intercom HTML, so it arrives verbatim: &, < and > are
 * escaped, the whole text is one <p>, and every line break (LF, CRLF or CR) is a <br>,
 * blank lines included. Returns a newly allocated string.
 */
char *intercom_text_to_html(const char *text);

/* POST /conversations/search for every conversation of a contact, newest first. */
json_t *intercom_contact_search_request(const char *contact_id, int per_page);
/* The id of a conversation's (first) contact, newly allocated; NULL when there is none. */
char *intercom_conversation_contact(json_t *j);
/* GET /contacts/{id}: name, email and location into out (texts as sent). -1 with a
 * message in err when j is not a contact. */
int intercom_parse_contact(json_t *j, struct customer *out, char *err, size_t errlen);
/* How many tags a contact (GET /contacts/{id}) says it has (tags.total_count, else the
 * references it lists); -1 when it does not say (then ask GET /contacts/{id}/tags). */
long intercom_contact_tag_count(json_t *j);
/* GET /contacts/{id}/tags: the names of the contact's tags into out->tags. */
int intercom_parse_contact_tags(json_t *j, struct customer *out, char *err, size_t errlen);
/* GET /contacts/{id}/companies: the first company's name and plan into out. */
int intercom_parse_contact_companies(json_t *j, struct customer *out, char *err, size_t errlen);

/* POST /conversations/{id}/reply: {"message_type","type":"admin","admin_id","body"},
 * body from intercom_text_to_html. NULL when text is NULL, empty, or not UTF-8. */
json_t *intercom_reply_request(enum intercom_reply_kind kind, int64_t admin_id, const char *text);

/* POST /conversations/{id}/parts bodies. */
json_t *intercom_close_request(int64_t admin_id);
/* NULL when snoozed_until is not positive. */
json_t *intercom_snooze_request(int64_t admin_id, fl_time snoozed_until);
json_t *intercom_open_request(int64_t admin_id);
/* Assignment to an admin (assign to me: assignee_id = admin_id; 0 unassigns; negative
 * gives NULL). */
json_t *intercom_assign_request(int64_t admin_id, int64_t assignee_id);
/* An assignment to a team (team) or a teammate; assignee_id 0: to nobody. */
json_t *intercom_assign_to_request(int64_t admin_id, bool team, int64_t assignee_id);
/* PUT /conversations/{id} marking it read. */
json_t *intercom_read_request(void);

/* POST /conversations/{id}/tags: {"id":"TAG","admin_id":"ID"}. */
json_t *intercom_tag_add_request(int64_t admin_id, int64_t tag_id);
/* DELETE /conversations/{id}/tags/{tag_id}: {"admin_id":"ID"}. */
json_t *intercom_tag_remove_request(int64_t admin_id);
/* PUT /conversations/{id}: {"priority":"high"}. The 2.16 description's update request
 * does not list priority, though the conversation carries it with these five levels: the
 * driver checks the answer's priority, so a workspace that ignores it is told, not
 * trusted. NULL unless level is none, low, medium, high or urgent. */
json_t *intercom_priority_request(const char *level);
/* POST /tags: {"name"}. NULL when name is NULL, empty, or not UTF-8. */
json_t *intercom_tag_create_request(const char *name);

/*
 * Office hours
 */

/*
 * Parses GET /office_hours_schedules (an office_hours_schedule.list): each schedule's
 * time_intervals (minutes of the week from Monday 00:00 in time_zone_name;
 * twenty_four_seven means the whole week) into its hours (sla_hours_from_week). A
 * schedule whose intervals or zone cannot be used is kept with problem saying why; one
 * without a usable id or name is left out. Returns 0 with a newly allocated array (NULL
 * when *n is 0; the caller frees it), or -1 with a message when j is not such a list.
 */
int intercom_parse_schedules(json_t *j, struct sla_schedule **out, size_t *n, char *err,
			     size_t errlen);

/*
 * A team_metric.list (GET /teams/{id}/metrics): each admin's open, idle and snoozed counts;
 * an entry without a usable admin_id is left out, a missing count is 0. Returns 0 with a
 * newly allocated array (NULL when *n is 0; the caller frees it), or -1 with a message
 * when j is not such a list.
 */
struct team_metric;
int intercom_parse_team_metrics(json_t *j, struct team_metric **out, size_t *n, char *err,
				size_t errlen);

/*
 * Adds the exceptions of GET /office_hours_schedules/{id}/office_hours_exceptions (an
 * office_hours_exception.list) to s->hours: closed dates, and custom_hours with their
 * time_intervals (minutes from that midnight). An exception that cannot be used sets
 * s->problem. Returns 0, or -1 with a message when j is not such a list.
 */
int intercom_parse_exceptions(json_t *j, struct sla_schedule *s, char *err, size_t errlen);

/*
 * Body for one page of a report: the conversations created in [since, until], whatever
 * their team or state (closed ones too), with pagination as intercom_search_request's.
 * Intercom's date bounds include equality: the caller drops what was created at until.
 * updated_after > 0 keeps only those updated after it (updated_at >): a cached report's
 * changes. Returns a new reference, or NULL (out of memory, starting_after not UTF-8).
 */
json_t *intercom_report_request(fl_time since, fl_time until, fl_time updated_after,
				const char *starting_after, int per_page);

#endif
