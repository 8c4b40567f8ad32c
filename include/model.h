/* model.h: what frontline knows of a conversation, the same for every backend. Drivers
 * fill these records from the wire; the store, the SLA clock and the screen read them. */
#ifndef FRONTLINE_MODEL_H
#define FRONTLINE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Times are Unix seconds (server time); 0 means "none" (never set, or cleared). */
typedef int64_t fl_time;

enum conv_state {
	CONV_OPEN,
	CONV_SNOOZED,
	CONV_CLOSED,
};

/* Bits of conversation.unknown: a field that was missing or had the wrong type on the
 * wire. The record is kept; the field holds its zero value and the screen can say so. */
enum conv_unknown {
	CONV_UNKNOWN_STATE = 1u << 0,
	CONV_UNKNOWN_CREATED = 1u << 1,
	CONV_UNKNOWN_UPDATED = 1u << 2,
	CONV_UNKNOWN_WAITING = 1u << 3,
	CONV_UNKNOWN_ASSIGNEE = 1u << 4,
	CONV_UNKNOWN_TEAM = 1u << 5,
	CONV_UNKNOWN_STATISTICS = 1u << 6,
	CONV_UNKNOWN_CUSTOMER = 1u << 7,
	/* statistics.first_admin_reply_at / first_contact_reply_at cannot be told: the
	 * statistics object is null, missing or malformed, or that time has the wrong type.
	 * Inside a statistics object an absent time means "not yet" (the description types
	 * them as integers, never null). */
	CONV_UNKNOWN_FIRST_ADMIN_REPLY = 1u << 8,
	CONV_UNKNOWN_FIRST_CONTACT_REPLY = 1u << 9,
};

/* Intercom 2.16's priority levels, lowest first. */
enum conv_priority {
	PRIORITY_NONE,
	PRIORITY_LOW,
	PRIORITY_MEDIUM,
	PRIORITY_HIGH,
	PRIORITY_URGENT,
};
#define PRIORITY_LEVELS 5

/* "none", "low", "medium", "high", "urgent"; "?" for a value that is not a level. */
const char *priority_word(enum conv_priority p);
/* The level a word names, or -1. */
int priority_from_word(const char *word);

/* The backend's own SLA summary (Intercom sla_applied), kept and shown beside ours. */
enum backend_sla {
	BACKEND_SLA_NONE,
	BACKEND_SLA_ACTIVE,
	BACKEND_SLA_HIT,
	BACKEND_SLA_MISSED,
	BACKEND_SLA_CANCELLED,
};

/* "none", "active", "hit", "missed", "cancelled". */
const char *backend_sla_word(enum backend_sla s);

struct conversation {
	int64_t id;
	enum conv_state state;
	bool read;
	enum conv_priority priority;
	fl_time created_at;
	fl_time updated_at;
	fl_time waiting_since;
	fl_time snoozed_until;
	fl_time first_contact_reply_at;
	fl_time first_admin_reply_at;
	fl_time last_admin_reply_at;
	fl_time last_contact_reply_at;
	int64_t count_parts;	   /* statistics.count_conversation_parts; -1 unknown */
	int64_t admin_assignee_id; /* 0: unassigned (the wire says null or 0) */
	int64_t team_assignee_id;  /* 0: unassigned */
	char *title;		   /* owned; may be NULL */
	char *customer;		   /* owned; the customer's name, or email, or NULL */
	char *body;		   /* owned; the opening message as sent (HTML when body_is_html),
				      cut to MODEL_BODY_MAX bytes; may be NULL */
	bool body_is_html;
	int64_t *tag_ids;	   /* owned; n_tags entries */
	size_t n_tags;
	enum backend_sla backend_sla;
	char *sla_name; /* owned; the backend SLA's name (sla_applied.sla_name), or NULL */
	/* What the backend's own SLA allows, in seconds (Chatwoot's applied_sla thresholds);
	 * 0 where it does not say. The clock takes them over the queue's targets; a
	 * configured [sla NAME] wins over them. */
	int64_t sla_first_target, sla_next_target;
	unsigned unknown; /* enum conv_unknown bits */
};

/* Longest opening message kept in a record, and longest preview made from it, in bytes. */
#define MODEL_BODY_MAX 1024
#define MODEL_PREVIEW_MAX 200

/* Frees what c holds (not c itself) and zeroes it. */
void conversation_release(struct conversation *c);
/* Deep copy of src into dst (dst's old contents are not freed). */
void conversation_copy(struct conversation *dst, const struct conversation *src);
/* Whether two records of one conversation agree on every member the SLA clock and the
 * queues read: all but the times of creation and update, the texts, the tags and the
 * unknown bits. */
bool conversation_same_clock(const struct conversation *a, const struct conversation *b);

/* Whether c waits on the customer: open, nobody waiting (waiting_since null, as sent) and
 * the agents replied last (statistics.last_admin_reply_at at or after
 * last_contact_reply_at). False whenever the record cannot tell. */
bool conversation_waiting_on_customer(const struct conversation *c);

/* One line of the opening message for a queue row: plain text, white space collapsed,
 * cut to MODEL_PREVIEW_MAX bytes on a character boundary with "…". Made on demand, since
 * turning HTML into text costs more than the rest of a record: only shown rows pay.
 * Returns a new string, or NULL when there is no text. */
char *conversation_preview(const struct conversation *c);

/* The priority and the backend's SLA of c as one line for the conversation view and
 * `show`: "priority high, SLA Real-time 2m: missed"; NULL when c has neither. The name
 * is as sent: the caller sanitises before it reaches a terminal. A new string. */
char *conversation_sla_summary(const struct conversation *c);

/* A copy of s cut to at most max bytes on a UTF-8 character boundary. */
char *model_cut_utf8(const char *s, size_t max);

/* One entry of a conversation's thread, for `show` and the conversation view. */
struct thread_part {
	char *kind;   /* owned: "comment", "note", "close", "assignment", ... */
	char *author; /* owned; may be NULL */
	int64_t author_id; /* 0 when unknown */
	bool from_admin;
	fl_time at;
	char *body; /* owned plain text; may be NULL */
	/* Whom an assignment part assigned the conversation to (assigned_to on the wire). */
	enum part_assigned {
		PART_ASSIGNED_UNSAID, /* the part did not say (or changed no assignment) */
		PART_ASSIGNED_ADMIN,
		PART_ASSIGNED_TEAM,
		PART_ASSIGNED_NOBODY, /* an unassignment */
	} assigned;
	int64_t assigned_id;
	/* The conversation's tags after the part, when it said (a tags change does). */
	bool has_tags;
	char **tags; /* owned: n_tags names */
	size_t n_tags;
};

/* A conversation with its parts, oldest first. */
struct thread {
	struct conversation conv;
	struct thread_part *parts; /* owned */
	size_t n_parts;
	/* Parts the backend left out: the oldest after the opening message (Intercom sends
	 * only the 500 most recent). 0 when the thread is whole. */
	long n_missing;
	char *contact_id; /* owned: the customer's contact (the backend's id), or NULL */
};

/* Frees what t holds (not t itself) and zeroes it. */
void thread_release(struct thread *t);

/* Where the parts left out belong: before parts[thread_gap_index(t)], i.e. after the
 * opening message when it is there. */
size_t thread_gap_index(const struct thread *t);
/* What to show there, e.g. "312 earlier parts not shown: Intercom sends only the most
 * recent 500"; NULL when nothing is missing. The caller frees it. */
char *thread_gap_text(const struct thread *t);

struct directory;
/* What the event part t->parts[i] did, in words, with names from d (may be NULL):
 * "assigned to Tom Becker by Maya Patel", "assigned to team Billing by ...", "unassigned
 * by ...", "tag added: vip by ...", "snoozed until 2026-03-02 09:00 by ...", "closed by
 * ...". The names are as sent: the caller sanitises. A new string. */
char *thread_event_text(const struct thread *t, size_t i, const struct directory *d);
/* The head of t->parts[i] as the conversation view shows it: "<< Alice (customer)  WHEN",
 * ">> Tom Becker (agent)  WHEN", "## NOTE  Tom Becker  WHEN" or "-- EVENT  WHEN" (the
 * event in thread_event_text's words). Not sanitised. A new string. */
char *thread_part_head(const struct thread *t, size_t i, const struct directory *d);
/* Whether t->parts[i] is a message (the opening one, a reply or a note), not an event. */
bool thread_part_is_message(const struct thread_part *part);

/* One earlier conversation of a customer, for the customer panel and `show`. */
struct customer_conversation {
	int64_t id;
	enum conv_state state;
	fl_time created_at;
	char *title; /* owned: the title, else the opening message as plain text; may be NULL */
};

/* Who a conversation's customer is, as the backend's contact tells it. Every text is as
 * sent (the caller sanitises); each may be NULL when the backend does not know it. */
struct customer {
	char *contact_id;
	bool missing; /* the backend has no such contact (deleted): nothing else is set */
	char *name, *email, *company, *plan, *city, *region, *country;
	struct customer_conversation *previous; /* owned; newest first */
	size_t n_previous;
	char **tags; /* owned: the contact's tag names, as applied (oldest first) */
	size_t n_tags;
};

/* Frees what c holds (not c itself) and zeroes it. */
void customer_release(struct customer *c);

/* The customer's time zone, guessed from the city: Intercom's contact has no time zone,
 * only location.{city, region, country}, so the zone is the tz database's zone named
 * after the city (zone1970.tab under $TZDIR or /usr/share/zoneinfo: "New York" is
 * America/New_York). NULL when the city names no zone. A new string. */
char *customer_time_zone(const char *city);
/* The wall-clock time now in zone, "14:05 Tue"; NULL when the zone cannot be loaded. */
char *customer_local_time(const char *zone, fl_time now);

#endif
