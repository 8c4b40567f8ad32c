/* chatwoot.h: the Chatwoot Application API on the wire: JSON answers turned into model
 * records, and JSON request bodies built. Pure functions on jansson values: no HTTP, no
 * I/O. Shapes follow ../shared/specs/chatwoot-application-api.json and its README; what
 * that file leaves out (labels, updated_within, SLA policies, article search) follows
 * what the server answers. */
#ifndef FRONTLINE_CHATWOOT_H
#define FRONTLINE_CHATWOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "directory.h"
#include "model.h"
#include "sla.h"

struct backend_ops;
struct saved_reply;
struct article;

/* The driver (chatwoot.c); the registry (backend.c) is the only other file naming it. */
extern const struct backend_ops chatwoot_backend;

/* The fixed page of GET /conversations: a shorter page is the last. */
#define CHATWOOT_PAGE_SIZE 25
/* The messages GET .../messages sends at most per page (older ones with ?before=ID). */
#define CHATWOOT_MESSAGES_PAGE 20

/* Message types (integers on the wire). */
enum chatwoot_message_type {
	CHATWOOT_INCOMING = 0, /* from the contact */
	CHATWOOT_OUTGOING = 1, /* from an agent (or a bot) */
	CHATWOOT_ACTIVITY = 2, /* an event: "Conversation was resolved by ..." */
	CHATWOOT_TEMPLATE = 3,
};

/* An id: a positive integer, or a string of digits. Returns 0, or -1 (and *out 0) for
 * anything else. */
int chatwoot_id(json_t *j, int64_t *out);
/* A time: Unix seconds as an integer (or a real, or a string of digits), or an ISO 8601
 * string; 0 and null mean "none" (0). Returns 0, or -1 (and *out 0) for a wrong type, a
 * negative value or one past year 9999. */
int chatwoot_time(json_t *j, fl_time *out);

/* The id of a label named title, or 0 when it has none (it is then left out). */
typedef int64_t (*chatwoot_label_fn)(void *arg, const char *title);

/*
 * Fills out from a conversation object (of a list's payload, or GET /conversations/{id});
 * out's old contents are overwritten, not released. Returns -1 when j is not an object
 * or has no usable id (the display id: what every path takes); 0 otherwise. Missing or
 * mistyped fields keep their zero value and set CONV_UNKNOWN_* bits:
 * - status: open, snoozed, resolved (closed); pending (a bot holds it: not the agents'
 *   yet) reads as closed, so it leaves the queues; anything else is open with
 *   CONV_UNKNOWN_STATE.
 * - waiting_since, snoozed_until, first_reply_created_at: 0 or null is "none".
 * - first_contact_reply_at is created_at (a conversation opens with the contact's
 *   message); first_admin_reply_at is first_reply_created_at.
 * - assignee and team: meta.assignee.id and meta.team.id (absent: unassigned), else
 *   assignee_id / team_id; no meta object sets CONV_UNKNOWN_ASSIGNEE | CONV_UNKNOWN_TEAM.
 * - customer: meta.sender.name, else its email; body: last_non_activity_message.content
 *   (plain text); title: additional_attributes.mail_subject.
 * - labels (strings) become tag_ids through label (may be NULL: none kept).
 * - applied_sla: sla_status (active, hit, missed, active_with_misses read as missed) and
 *   sla_name; present without a status: cancelled. Its thresholds
 *   (sla_first_response_time_threshold, sla_next_response_time_threshold: seconds, up to
 *   a year; null or anything else is none) are sla_first_target and sla_next_target. The
 *   status lags (Chatwoot's SLA job sets it now and then); the thresholds do not.
 * - read: unread_count is 0.
 */
int chatwoot_parse_conversation(json_t *j, chatwoot_label_fn label, void *arg,
				struct conversation *out);

/* A GET /conversations answer's count of key under data.meta ("all_count", "mine_count":
 * the conversations the filters match, on every page), or -1 when it does not say. */
long chatwoot_list_count(const json_t *j, const char *key);

/*
 * A GET /conversations answer: data.payload[] (payload[] and a bare array are read
 * too). Returns 0 with a new array of *n records (free each with conversation_release,
 * then the array), unusable entries left out and counted in *n_skipped (may be NULL), and
 * *n_wire, how many entries the page held (the page is the last when that is less than
 * CHATWOOT_PAGE_SIZE; may be NULL); -1 with a message when j holds no list.
 */
int chatwoot_parse_conversation_list(json_t *j, chatwoot_label_fn label, void *arg,
				     struct conversation **items, size_t *n, size_t *n_wire,
				     size_t *n_skipped, char *err, size_t errlen);

/*
 * GET /conversations/{id}/messages: payload[] as thread parts, oldest first. message_type
 * 0 is the customer's comment, 1 an agent's comment (a note when private is true), 2 an
 * activity (an event: an assignment, close, reopen, snooze or label change when its
 * English text says so, with the names found in d, which may be NULL; else its content up
 * to the last " by " is the kind, the name after it the author, or Chatwoot), 3 a
 * template; other values are left out. *oldest: the smallest message id seen (0 when none), to ask for older ones with
 * ?before=. Returns 0 with a new array (free with chatwoot_parts_free), -1 with a
 * message when j holds no list.
 */
int chatwoot_parse_messages(json_t *j, const struct directory *d, struct thread_part **parts,
			    size_t *n, int64_t *oldest, char *err, size_t errlen);
void chatwoot_parts_free(struct thread_part *parts, size_t n);

/* GET /api/v1/profile: the token's owner (id, name, email). Returns 0, or -1 with a
 * message when it has no usable id; a profile whose accounts[] does not list account_id
 * is refused with a message naming the accounts it has. */
int chatwoot_parse_profile(json_t *j, int64_t account_id, struct directory_entry *out,
			   char *err, size_t errlen);

/*
 * Lists for the directory: GET /agents (a bare array; name, else available_name; email;
 * availability_status busy or offline is away; a bot by its type), GET /teams (a bare
 * array), GET /labels (payload[] of {id, title}). Return 0 with a new array of *n entries
 * (free each with directory_entry_release, then the array), entries without a usable id
 * left out; -1 with a message when j is no such list.
 */
int chatwoot_parse_agents(json_t *j, struct directory_entry **out, size_t *n, char *err,
			  size_t errlen);
int chatwoot_parse_teams(json_t *j, struct directory_entry **out, size_t *n, char *err,
			 size_t errlen);
int chatwoot_parse_labels(json_t *j, struct directory_entry **out, size_t *n, char *err,
			  size_t errlen);
/* GET /teams/{id}/team_members: the agents' ids (a bare array of agents). */
int chatwoot_parse_member_ids(json_t *j, int64_t **ids, size_t *n, char *err, size_t errlen);

/* GET or POST /conversations/{id}/labels: payload[] of names. Returns 0 with a new array
 * of copies (free with chatwoot_names_free), non-strings left out; -1 with a message. */
int chatwoot_parse_label_names(json_t *j, char ***names, size_t *n, char *err, size_t errlen);
void chatwoot_names_free(char **names, size_t n);
/* names with name added (add) or removed, as a new array (free with chatwoot_names_free);
 * the order is kept and a name is never twice (labels compare case-insensitively). */
char **chatwoot_names_change(char *const *names, size_t n, const char *name, bool add,
			     size_t *n_out);
/* Whether a set holds name (case-insensitively). */
bool chatwoot_names_have(char *const *names, size_t n, const char *name);

/* GET /canned_responses (a bare array): short_code is the name, content the text; the
 * account's, so every agent sees them. Returns 0 with a new array (free each with
 * saved_reply_release, then the array), entries without an id or short_code left out. */
int chatwoot_parse_canned(json_t *j, struct saved_reply **out, size_t *n, char *err,
			  size_t errlen);

/* GET /inboxes (payload[]): each inbox's working hours as a schedule named after the
 * inbox, in its timezone. working_hours_enabled false is open all week; a day
 * closed_all_day is closed, open_all_day open the whole day, else open_hour:open_minutes
 * to close_hour:close_minutes. A zone the clock cannot load, or hours out of range, keep
 * the schedule with problem saying why. Returns 0 with a new array (NULL when empty), or
 * -1 with a message. */
int chatwoot_parse_inboxes(json_t *j, struct sla_schedule **out, size_t *n, char *err,
			   size_t errlen);

/* GET /portals (payload[]): the slugs of the help center's portals. */
int chatwoot_parse_portals(json_t *j, char ***slugs, size_t *n, char *err, size_t errlen);
/* GET /portals/{slug}/articles (payload[]): articles (title, description, content as
 * plain text, updated_at); base (may be NULL) makes each one's url from its slug. */
int chatwoot_parse_articles(json_t *j, const char *base, struct article **out, size_t *n,
			    char *err, size_t errlen);

/* An error answer in words: {"error": "..."}, {"message": "..."}, {"errors": [...]} (each
 * a string or an object with a message), or {"description"}; "" when the body says
 * nothing readable. Control characters become '?'. */
void chatwoot_error_text(const char *body, size_t len, char *msg, size_t msglen);

/*
 * Request bodies. Each returns a new reference, or NULL on invalid input.
 */
/* POST /messages: {"content","message_type":"outgoing","private"}; NULL for an empty or
 * non-UTF-8 text. */
json_t *chatwoot_message_request(const char *text, bool private_note);
/* POST /toggle_status: {"status"} (open, resolved, snoozed), and snoozed_until (Unix
 * seconds) for snoozed; NULL for another status, or snoozed without a positive time. */
json_t *chatwoot_status_request(const char *status, fl_time snoozed_until);
/* POST /assignments: {"assignee_id": id} (0: null, unassigned) or {"team_id": id}; NULL
 * for a negative id or a team of 0. */
json_t *chatwoot_assign_request(bool team, int64_t id);
/* POST /labels: {"labels": [names]}, the whole set. */
json_t *chatwoot_labels_request(char *const *names, size_t n);
/* POST /toggle_priority: {"priority": level} (none, low, medium, high, urgent, as the
 * description lists them); NULL for a word that is no level. */
json_t *chatwoot_priority_request(const char *level);
/* POST /labels (the account's): {"title": name}; NULL for an empty or non-UTF-8 name. */
json_t *chatwoot_label_create_request(const char *name);

#endif
