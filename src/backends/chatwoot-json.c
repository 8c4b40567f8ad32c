/* chatwoot-json.c: Chatwoot's JSON answers read into model records and its request
 * bodies built (chatwoot.h). Hostile input never fails more than the record it is in. */
#include "build-config.h"

#include "chatwoot.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>

#include "articles.h"
#include "html.h"
#include "replies.h"
#include "util.h"

/* Unix seconds of 9999-12-31: a larger time is not a time. */
#define TIME_MAX 253402300799LL

int chatwoot_id(json_t *j, int64_t *out)
{
	long long v;

	*out = 0;
	if (json_is_integer(j) && json_integer_value(j) > 0) {
		*out = json_integer_value(j);
		return 0;
	}
	if (json_is_string(j) && util_parse_ll(json_string_value(j), 1, INT64_MAX, &v) == 0) {
		*out = v;
		return 0;
	}
	return -1;
}

int chatwoot_time(json_t *j, fl_time *out)
{
	long long v;

	*out = 0;
	if (!j || json_is_null(j))
		return 0;
	if (json_is_integer(j)) {
		if (json_integer_value(j) < 0 || json_integer_value(j) > TIME_MAX)
			return -1;
		*out = json_integer_value(j);
		return 0;
	}
	if (json_is_real(j)) {
		double d = json_real_value(j);

		if (!(d >= 0 && d <= (double)TIME_MAX))
			return -1;
		*out = (fl_time)d;
		return 0;
	}
	if (json_is_string(j)) {
		const char *s = json_string_value(j);
		GDateTime *dt;

		if (!s[0])
			return 0;
		if (util_parse_ll(s, 0, TIME_MAX, &v) == 0) {
			*out = v;
			return 0;
		}
		dt = g_date_time_new_from_iso8601(s, NULL);
		if (!dt)
			return -1;
		v = g_date_time_to_unix(dt);
		g_date_time_unref(dt);
		if (v < 0 || v > TIME_MAX)
			return -1;
		*out = v;
		return 0;
	}
	return -1;
}

/* A string member, or NULL. */
static const char *str_of(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* A time member into *out; sets bit in *unknown when it is missing (if missing_bit) or
 * mistyped. */
static void time_member(json_t *obj, const char *key, fl_time *out, unsigned *unknown,
			unsigned bit, bool missing_is_unknown)
{
	json_t *v = json_object_get(obj, key);

	if (!v) {
		*out = 0;
		if (missing_is_unknown)
			*unknown |= bit;
		return;
	}
	if (chatwoot_time(v, out) < 0)
		*unknown |= bit;
}

static enum backend_sla sla_status(const char *s)
{
	if (!s)
		return BACKEND_SLA_CANCELLED;
	if (!strcmp(s, "active"))
		return BACKEND_SLA_ACTIVE;
	if (!strcmp(s, "hit"))
		return BACKEND_SLA_HIT;
	if (!strcmp(s, "missed") || !strcmp(s, "active_with_misses"))
		return BACKEND_SLA_MISSED;
	return BACKEND_SLA_CANCELLED;
}

/* An SLA threshold in seconds (a number up to a year); 0 for anything else. */
static int64_t threshold(json_t *j)
{
	double d;

	if (json_is_integer(j))
		return json_integer_value(j) > 0 && json_integer_value(j) <= 366 * 86400
			   ? json_integer_value(j)
			   : 0;
	if (!json_is_real(j))
		return 0;
	d = json_real_value(j);
	return d >= 1 && d <= 366 * 86400 ? (int64_t)d : 0;
}

/* The id of meta.NAME.id: 0 when meta has no such object or it is null. */
static void meta_assignee(json_t *conv, json_t *meta, const char *name, const char *flat,
			  int64_t *out, unsigned *unknown, unsigned bit)
{
	json_t *who = json_object_get(meta, name), *id;

	*out = 0;
	if (json_is_object(who)) {
		if (chatwoot_id(json_object_get(who, "id"), out) < 0)
			*unknown |= bit;
		return;
	}
	id = json_object_get(conv, flat);
	if (id && !json_is_null(id)) {
		if (!(json_is_integer(id) && json_integer_value(id) == 0) &&
		    chatwoot_id(id, out) < 0)
			*unknown |= bit;
		return;
	}
	if (!json_is_object(meta) && !id)
		*unknown |= bit;
}

static void conv_tags(json_t *labels, chatwoot_label_fn label, void *arg, struct conversation *c)
{
	size_t i;
	json_t *v;

	if (!json_is_array(labels) || !label || json_array_size(labels) == 0)
		return;
	c->tag_ids = xcalloc(json_array_size(labels), sizeof(*c->tag_ids));
	json_array_foreach(labels, i, v) {
		int64_t id = json_is_string(v) ? label(arg, json_string_value(v)) : 0;

		if (id > 0)
			c->tag_ids[c->n_tags++] = id;
	}
	if (!c->n_tags) {
		free(c->tag_ids);
		c->tag_ids = NULL;
	}
}

int chatwoot_parse_conversation(json_t *j, chatwoot_label_fn label, void *arg,
				struct conversation *out)
{
	json_t *meta, *sender, *sla, *last, *attrs, *unread;
	const char *status, *prio, *s;
	unsigned unknown = 0;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(j) || chatwoot_id(json_object_get(j, "id"), &out->id) < 0) {
		out->id = 0;
		return -1;
	}
	status = str_of(j, "status");
	if (status && !strcmp(status, "open"))
		out->state = CONV_OPEN;
	else if (status && !strcmp(status, "snoozed"))
		out->state = CONV_SNOOZED;
	else if (status && (!strcmp(status, "resolved") || !strcmp(status, "pending")))
		out->state = CONV_CLOSED;
	else
		unknown |= CONV_UNKNOWN_STATE;
	time_member(j, "created_at", &out->created_at, &unknown, CONV_UNKNOWN_CREATED, true);
	if (json_object_get(j, "updated_at"))
		time_member(j, "updated_at", &out->updated_at, &unknown, CONV_UNKNOWN_UPDATED, true);
	else
		time_member(j, "last_activity_at", &out->updated_at, &unknown, CONV_UNKNOWN_UPDATED,
			    true);
	time_member(j, "waiting_since", &out->waiting_since, &unknown, CONV_UNKNOWN_WAITING, true);
	time_member(j, "snoozed_until", &out->snoozed_until, &unknown, CONV_UNKNOWN_STATE, false);
	time_member(j, "first_reply_created_at", &out->first_admin_reply_at, &unknown,
		    CONV_UNKNOWN_FIRST_ADMIN_REPLY | CONV_UNKNOWN_STATISTICS, true);
	out->first_contact_reply_at = out->created_at;
	if (unknown & CONV_UNKNOWN_CREATED)
		unknown |= CONV_UNKNOWN_FIRST_CONTACT_REPLY;

	meta = json_object_get(j, "meta");
	meta_assignee(j, meta, "assignee", "assignee_id", &out->admin_assignee_id, &unknown,
		      CONV_UNKNOWN_ASSIGNEE);
	meta_assignee(j, meta, "team", "team_id", &out->team_assignee_id, &unknown,
		      CONV_UNKNOWN_TEAM);
	sender = json_object_get(meta, "sender");
	s = str_of(sender, "name");
	if (!s || !s[0])
		s = str_of(sender, "email");
	if (s && s[0])
		out->customer = xstrdup(s);
	else
		unknown |= CONV_UNKNOWN_CUSTOMER;

	last = json_object_get(j, "last_non_activity_message");
	s = str_of(last, "content");
	if (s)
		out->body = model_cut_utf8(s, MODEL_BODY_MAX);
	/* The customer's last message: the last message's time when it is theirs (type 0,
	 * incoming); else the opening, a bound below it that a new message always passes, so
	 * that a customer writing again is news as on Intercom. */
	out->last_contact_reply_at = out->created_at;
	if (json_is_object(last) &&
	    json_integer_value(json_object_get(last, "message_type")) == 0 &&
	    json_is_integer(json_object_get(last, "message_type"))) {
		fl_time at;

		if (chatwoot_time(json_object_get(last, "created_at"), &at) == 0 &&
		    at > out->last_contact_reply_at)
			out->last_contact_reply_at = at;
	}
	/* The agent's last public reply: the last message's time when it is one (outgoing,
	 * not private). Where a note or nothing tells, waiting_since does: Chatwoot clears it
	 * with a human agent's public reply and sets it with the customer's next message, so
	 * an open conversation with a first reply and no waiting_since was answered after the
	 * customer last wrote, as late as that at least. */
	if (json_is_object(last) && json_is_integer(json_object_get(last, "message_type")) &&
	    json_integer_value(json_object_get(last, "message_type")) == 1 &&
	    json_is_false(json_object_get(last, "private")))
		(void)chatwoot_time(json_object_get(last, "created_at"), &out->last_admin_reply_at);
	if (!(unknown & (CONV_UNKNOWN_WAITING | CONV_UNKNOWN_STATISTICS)) && !out->waiting_since &&
	    out->first_admin_reply_at) {
		fl_time bound = out->first_admin_reply_at > out->last_contact_reply_at
				    ? out->first_admin_reply_at
				    : out->last_contact_reply_at;

		if (out->last_admin_reply_at < bound)
			out->last_admin_reply_at = bound;
	}
	attrs = json_object_get(j, "additional_attributes");
	s = str_of(attrs, "mail_subject");
	if (s && s[0])
		out->title = xstrdup(s);

	conv_tags(json_object_get(j, "labels"), label, arg, out);

	prio = str_of(j, "priority");
	if (prio && priority_from_word(prio) > 0)
		out->priority = (enum conv_priority)priority_from_word(prio);

	sla = json_object_get(j, "applied_sla");
	if (json_is_object(sla)) {
		out->backend_sla = sla_status(str_of(sla, "sla_status"));
		s = str_of(sla, "sla_name");
		if (s)
			out->sla_name = xstrdup(s);
		out->sla_first_target = threshold(json_object_get(sla, "sla_first_response_time_threshold"));
		out->sla_next_target = threshold(json_object_get(sla, "sla_next_response_time_threshold"));
	}
	unread = json_object_get(j, "unread_count");
	out->read = json_is_integer(unread) && json_integer_value(unread) == 0;
	out->unknown = unknown;
	return 0;
}

/* The list an answer holds under data.payload, payload, or itself. */
static json_t *payload_of(json_t *j)
{
	json_t *data;

	if (json_is_array(j))
		return j;
	data = json_object_get(j, "data");
	if (json_is_array(json_object_get(data, "payload")))
		return json_object_get(data, "payload");
	if (json_is_array(json_object_get(j, "payload")))
		return json_object_get(j, "payload");
	if (json_is_array(data))
		return data;
	return NULL;
}

long chatwoot_list_count(const json_t *j, const char *key)
{
	const json_t *v = json_object_get(json_object_get(json_object_get(j, "data"), "meta"), key);

	return json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= INT32_MAX
		   ? (long)json_integer_value(v)
		   : -1;
}

int chatwoot_parse_conversation_list(json_t *j, chatwoot_label_fn label, void *arg,
				     struct conversation **items, size_t *n, size_t *n_wire,
				     size_t *n_skipped, char *err, size_t errlen)
{
	json_t *list = payload_of(j), *v;
	size_t i, skipped = 0;

	*items = NULL;
	*n = 0;
	if (n_wire)
		*n_wire = 0;
	if (n_skipped)
		*n_skipped = 0;
	if (!list) {
		snprintf(err, errlen, "the backend sent no list of conversations");
		return -1;
	}
	*items = xcalloc(json_array_size(list) + 1, sizeof(**items));
	json_array_foreach(list, i, v) {
		if (chatwoot_parse_conversation(v, label, arg, &(*items)[*n]) == 0)
			(*n)++;
		else
			skipped++;
	}
	if (n_wire)
		*n_wire = json_array_size(list);
	if (n_skipped)
		*n_skipped = skipped;
	if (skipped)
		snprintf(err, errlen, "%zu conversation%s without a usable id left out", skipped,
			 skipped == 1 ? "" : "s");
	return 0;
}

void chatwoot_parts_free(struct thread_part *parts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(parts[i].kind);
		free(parts[i].author);
		free(parts[i].body);
		chatwoot_names_free(parts[i].tags, parts[i].n_tags);
	}
	free(parts);
}

/* A copy of text's part after prefix and before suffix (either may be ""), or NULL when
 * text is not so framed or nothing is between. */
static char *between(const char *text, const char *prefix, const char *suffix)
{
	size_t n = strlen(text), np = strlen(prefix), ns = strlen(suffix);

	if (n <= np + ns || strncmp(text, prefix, np) != 0 || strcmp(text + n - ns, suffix) != 0)
		return NULL;
	return xstrndup(text + np, n - np - ns);
}

/* The agent or team named name (agents first), as an assignment part's target; false when
 * the directory knows neither. */
static bool assignee_named(struct thread_part *p, const struct directory *d, const char *name)
{
	int64_t id = d ? directory_find(d->admins, d->n_admins, name) : 0;

	if (id) {
		p->assigned = PART_ASSIGNED_ADMIN;
	} else if (d && (id = directory_find(d->teams, d->n_teams, name)) != 0) {
		p->assigned = PART_ASSIGNED_TEAM;
	} else {
		return false;
	}
	p->assigned_id = id;
	return true;
}

/* What follows prefix in s, or NULL when s does not start with it. */
static const char *strprefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

/* An activity that starts with an agent's name ("Maya Patel added billing, vip"): the
 * agent is its author and the rest what happened, with label changes said as the thread
 * says them ("tags added: billing, vip"). False when it starts with no agent d knows. */
static bool agent_first(struct thread_part *p, const char *text, const struct directory *d)
{
	const char *name, *rest, *labels;
	size_t i, len;

	for (i = 0; d && i < d->n_admins; i++) {
		name = d->admins[i].name;
		len = name ? strlen(name) : 0;
		if (!len || strncmp(text, name, len) != 0 || text[len] != ' ' || !text[len + 1])
			continue;
		rest = text + len + 1;
		p->author = xstrndup(text, len);
		if ((labels = strprefix(rest, "added ")) != NULL ||
		    (labels = strprefix(rest, "removed ")) != NULL)
			p->kind = xasprintf("tag%s %s: %s", strchr(labels, ',') ? "s" : "",
					    labels == rest + 6 ? "added" : "removed", labels);
		else
			p->kind = xstrdup(rest);
		return true;
	}
	return false;
}

/* An activity message as an event. Chatwoot writes them in the account's language; the
 * English ones that say who did what (its activity strings) become the events they are:
 * "Assigned to WHOM by WHO", "WHO self-assigned this conversation", "Conversation
 * unassigned by WHO", "Conversation was marked resolved by WHO", "Conversation was
 * reopened by WHO", "Conversation was snoozed by WHO", and "WHO added LABELS" or
 * "WHO removed LABELS". Any other is kept as said: what happened (up to the last " by ") is
 * its kind, the name after it the author (Chatwoot's own when none is named), so the
 * thread says "-- WHAT by WHO". Authors are found in d by name (d may be NULL). */
static void activity(struct thread_part *p, const char *text, const struct directory *d)
{
	const char *by = NULL, *at;
	char *whom;

	p->from_admin = true;
	if (!text || !text[0]) {
		p->kind = xstrdup("activity");
		p->author = xstrdup("Chatwoot");
		return;
	}
	for (at = strstr(text, " by "); at; at = strstr(at + 1, " by "))
		by = at;
	if ((p->author = between(text, "", " self-assigned this conversation")) != NULL) {
		p->kind = xstrdup(assignee_named(p, d, p->author) ? "assignment"
								   : "self-assigned this conversation");
	} else if (by && by[4] && (whom = between(text, "Assigned to ", by)) != NULL) {
		p->author = xstrdup(by + 4);
		if (assignee_named(p, d, whom)) {
			p->kind = xstrdup("assignment");
			free(whom);
		} else {
			p->kind = xstrndup(text, (size_t)(by - text));
			free(whom);
		}
	} else if (by && by[4] && by > text) {
		p->kind = xstrndup(text, (size_t)(by - text));
		p->author = xstrdup(by + 4);
		if (!strcmp(p->kind, "Conversation unassigned")) {
			free(p->kind);
			p->kind = xstrdup("assignment");
			p->assigned = PART_ASSIGNED_NOBODY;
		} else if (!strcmp(p->kind, "Conversation was marked resolved") ||
			   !strcmp(p->kind, "Conversation was reopened") ||
			   !strcmp(p->kind, "Conversation was snoozed")) {
			free(p->kind);
			p->kind = xstrdup(strstr(text, "resolved") ? "close"
					  : strstr(text, "snoozed") ? "snoozed"
								     : "open");
		}
	} else if (!agent_first(p, text, d)) {
		p->kind = xstrdup(text);
		p->author = xstrdup("Chatwoot");
	}
	if (d && strcmp(p->author, "Chatwoot") != 0)
		p->author_id = directory_find(d->admins, d->n_admins, p->author);
}

int chatwoot_parse_messages(json_t *j, const struct directory *d, struct thread_part **parts,
			    size_t *n, int64_t *oldest, char *err, size_t errlen)
{
	json_t *list = payload_of(j), *v;
	size_t i;

	*parts = NULL;
	*n = 0;
	*oldest = 0;
	if (!list) {
		snprintf(err, errlen, "the backend sent no list of messages");
		return -1;
	}
	*parts = xcalloc(json_array_size(list) + 1, sizeof(**parts));
	json_array_foreach(list, i, v) {
		struct thread_part *p = &(*parts)[*n];
		json_t *type = json_object_get(v, "message_type"), *sender;
		int64_t id;
		const char *s, *stype;
		bool private_note;

		if (!json_is_object(v) || !json_is_integer(type) || json_integer_value(type) < 0 ||
		    json_integer_value(type) > CHATWOOT_TEMPLATE)
			continue;
		if (chatwoot_id(json_object_get(v, "id"), &id) == 0 && (!*oldest || id < *oldest))
			*oldest = id;
		private_note = json_is_true(json_object_get(v, "private"));
		switch (json_integer_value(type)) {
		case CHATWOOT_INCOMING: p->kind = xstrdup("comment"); break;
		case CHATWOOT_OUTGOING:
		case CHATWOOT_TEMPLATE:
			p->kind = xstrdup(private_note ? "note" : "comment");
			p->from_admin = true;
			break;
		default: activity(p, str_of(v, "content"), d); break;
		}
		sender = json_object_get(v, "sender");
		s = str_of(sender, "name");
		if (!s || !s[0])
			s = str_of(sender, "available_name");
		if (!p->author)
			p->author = dup_or_null(s);
		/* an activity's author is found by name; it has no sender */
		if (!p->author_id)
			(void)chatwoot_id(json_object_get(sender, "id"), &p->author_id);
		if (!p->author_id)
			(void)chatwoot_id(json_object_get(v, "sender_id"), &p->author_id);
		stype = str_of(v, "sender_type");
		if (stype && !strcasecmp(stype, "contact"))
			p->from_admin = false;
		if (chatwoot_time(json_object_get(v, "created_at"), &p->at) < 0)
			p->at = 0;
		s = str_of(v, "content");
		if (json_integer_value(type) != CHATWOOT_ACTIVITY)
			p->body = dup_or_null(s);
		(*n)++;
	}
	/* Chatwoot sends the page oldest first; a server sending newest first is put right. */
	if (*n > 1 && (*parts)[0].at > (*parts)[*n - 1].at) {
		for (i = 0; i < *n / 2; i++) {
			struct thread_part t = (*parts)[i];

			(*parts)[i] = (*parts)[*n - 1 - i];
			(*parts)[*n - 1 - i] = t;
		}
	}
	return 0;
}

static void entry_basic(json_t *v, struct directory_entry *e)
{
	const char *s = str_of(v, "name");

	if (!s || !s[0])
		s = str_of(v, "available_name");
	e->name = xstrdup(s ? s : "");
	e->email = dup_or_null(str_of(v, "email"));
}

int chatwoot_parse_profile(json_t *j, int64_t account_id, struct directory_entry *out,
			   char *err, size_t errlen)
{
	json_t *accounts = json_object_get(j, "accounts"), *v;
	size_t i, used = 0;
	char ids[160];

	memset(out, 0, sizeof(*out));
	if (!json_is_object(j) || chatwoot_id(json_object_get(j, "id"), &out->id) < 0) {
		out->id = 0;
		snprintf(err, errlen, "the backend's profile has no usable id");
		return -1;
	}
	if (json_is_array(accounts) && account_id > 0) {
		bool found = false;

		ids[0] = '\0';
		json_array_foreach(accounts, i, v) {
			int64_t id;

			if (chatwoot_id(json_object_get(v, "id"), &id) < 0)
				continue;
			if (id == account_id)
				found = true;
			if (used < sizeof(ids)) {
				int k = snprintf(ids + used, sizeof(ids) - used, "%s%" PRId64,
						 used ? ", " : "", id);

				used += k > 0 ? (size_t)k : 0;
			}
		}
		if (!found) {
			snprintf(err, errlen,
				 "the token's user is not in account %" PRId64 "; set account_id "
				 "under [backend] to one of its accounts: %s",
				 account_id, ids[0] ? ids : "none");
			out->id = 0;
			return -1;
		}
	}
	entry_basic(j, out);
	return 0;
}

enum list_kind { LIST_AGENTS, LIST_TEAMS, LIST_LABELS };

static int parse_entries(json_t *j, int kind, struct directory_entry **out, size_t *n, char *err,
			 size_t errlen)
{
	json_t *list = kind == LIST_LABELS ? payload_of(j) : (json_is_array(j) ? j : payload_of(j));
	json_t *v;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!list) {
		snprintf(err, errlen, "the backend sent no list of %s",
			 kind == LIST_AGENTS ? "agents" : kind == LIST_TEAMS ? "teams" : "labels");
		return -1;
	}
	*out = xcalloc(json_array_size(list) + 1, sizeof(**out));
	json_array_foreach(list, i, v) {
		struct directory_entry *e = &(*out)[*n];
		const char *s;

		if (!json_is_object(v) || chatwoot_id(json_object_get(v, "id"), &e->id) < 0) {
			e->id = 0;
			continue;
		}
		if (kind == LIST_LABELS) {
			s = str_of(v, "title");
			e->name = xstrdup(s ? s : "");
		} else {
			entry_basic(v, e);
		}
		if (kind == LIST_AGENTS) {
			s = str_of(v, "availability_status");
			e->away = s && (!strcmp(s, "busy") || !strcmp(s, "offline"));
			s = str_of(v, "type");
			e->bot = s && !strcasecmp(s, "agent_bot");
		}
		if (kind != LIST_AGENTS)
			free(e->email), e->email = NULL;
		(*n)++;
	}
	return 0;
}

int chatwoot_parse_agents(json_t *j, struct directory_entry **out, size_t *n, char *err,
			  size_t errlen)
{
	return parse_entries(j, LIST_AGENTS, out, n, err, errlen);
}

int chatwoot_parse_teams(json_t *j, struct directory_entry **out, size_t *n, char *err,
			 size_t errlen)
{
	return parse_entries(j, LIST_TEAMS, out, n, err, errlen);
}

int chatwoot_parse_labels(json_t *j, struct directory_entry **out, size_t *n, char *err,
			  size_t errlen)
{
	return parse_entries(j, LIST_LABELS, out, n, err, errlen);
}

int chatwoot_parse_member_ids(json_t *j, int64_t **ids, size_t *n, char *err, size_t errlen)
{
	json_t *list = json_is_array(j) ? j : payload_of(j), *v;
	size_t i;

	*ids = NULL;
	*n = 0;
	if (!list) {
		snprintf(err, errlen, "the backend sent no list of team members");
		return -1;
	}
	*ids = xcalloc(json_array_size(list) + 1, sizeof(**ids));
	json_array_foreach(list, i, v) {
		if (chatwoot_id(json_object_get(v, "id"), &(*ids)[*n]) == 0)
			(*n)++;
	}
	return 0;
}

void chatwoot_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

int chatwoot_parse_label_names(json_t *j, char ***names, size_t *n, char *err, size_t errlen)
{
	json_t *list = payload_of(j), *v;
	size_t i;

	*names = NULL;
	*n = 0;
	if (!list) {
		snprintf(err, errlen, "the backend sent no list of labels");
		return -1;
	}
	*names = xcalloc(json_array_size(list) + 1, sizeof(**names));
	json_array_foreach(list, i, v) {
		if (json_is_string(v) && !chatwoot_names_have(*names, *n, json_string_value(v)))
			(*names)[(*n)++] = xstrdup(json_string_value(v));
	}
	return 0;
}

bool chatwoot_names_have(char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(names[i], name))
			return true;
	return false;
}

char **chatwoot_names_change(char *const *names, size_t n, const char *name, bool add,
			     size_t *n_out)
{
	char **out = xcalloc(n + 2, sizeof(*out));
	size_t i;

	*n_out = 0;
	for (i = 0; i < n; i++) {
		if (chatwoot_names_have(out, *n_out, names[i]))
			continue;
		if (!add && !strcasecmp(names[i], name))
			continue;
		out[(*n_out)++] = xstrdup(names[i]);
	}
	if (add && !chatwoot_names_have(out, *n_out, name))
		out[(*n_out)++] = xstrdup(name);
	return out;
}

int chatwoot_parse_canned(json_t *j, struct saved_reply **out, size_t *n, char *err,
			  size_t errlen)
{
	json_t *list = json_is_array(j) ? j : payload_of(j), *v;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!list) {
		snprintf(err, errlen, "the backend sent no list of canned responses");
		return -1;
	}
	*out = xcalloc(json_array_size(list) + 1, sizeof(**out));
	json_array_foreach(list, i, v) {
		int64_t id;
		const char *code = str_of(v, "short_code"), *text = str_of(v, "content");

		if (chatwoot_id(json_object_get(v, "id"), &id) < 0 || !code || !code[0])
			continue;
		(*out)[*n].id = xasprintf("%" PRId64, id);
		(*out)[*n].name = xstrdup(code);
		(*out)[*n].text = dup_or_null(text);
		(*out)[*n].everyone = true;
		(*n)++;
	}
	return 0;
}

/* Minutes of the week from Monday 00:00 of a Chatwoot day (0 Sunday .. 6 Saturday). */
static int week_start(int day)
{
	return ((day + 6) % 7) * 1440;
}

/* One inbox's hours into s. */
static void inbox_hours(json_t *inbox, struct sla_schedule *s)
{
	struct sla_interval iv[16];
	size_t n = 0, i;
	json_t *hours = json_object_get(inbox, "working_hours"), *v;
	const char *tz = str_of(inbox, "timezone");
	char err[160];

	if (!tz || !tz[0])
		tz = "UTC";
	if (!json_is_true(json_object_get(inbox, "working_hours_enabled"))) {
		iv[n++] = (struct sla_interval){0, 10080};
	} else if (!json_is_array(hours)) {
		snprintf(s->problem, sizeof(s->problem), "working hours enabled but not sent");
		return;
	} else {
		json_array_foreach(hours, i, v) {
			json_t *day = json_object_get(v, "day_of_week");
			long long d, oh, om, ch, cm;
			int start, end;

			if (!json_is_integer(day) || (d = json_integer_value(day)) < 0 || d > 6) {
				snprintf(s->problem, sizeof(s->problem), "a day of the week out of range");
				return;
			}
			if (json_is_true(json_object_get(v, "closed_all_day")))
				continue;
			if (json_is_true(json_object_get(v, "open_all_day"))) {
				start = 0;
				end = 1440;
			} else {
				oh = json_integer_value(json_object_get(v, "open_hour"));
				om = json_integer_value(json_object_get(v, "open_minutes"));
				ch = json_integer_value(json_object_get(v, "close_hour"));
				cm = json_integer_value(json_object_get(v, "close_minutes"));
				if (oh < 0 || oh > 24 || om < 0 || om > 59 || ch < 0 || ch > 24 || cm < 0 ||
				    cm > 59) {
					snprintf(s->problem, sizeof(s->problem), "hours out of range");
					return;
				}
				start = (int)(oh * 60 + om);
				end = (int)(ch * 60 + cm);
				if (end > 1440 || end <= start)
					continue;
			}
			if (n < sizeof(iv) / sizeof(iv[0]))
				iv[n++] = (struct sla_interval){week_start((int)d) + start,
								week_start((int)d) + end};
		}
	}
	if (sla_hours_from_week(&s->hours, tz, iv, n, err, sizeof(err)) < 0)
		snprintf(s->problem, sizeof(s->problem), "%s", err);
}

int chatwoot_parse_inboxes(json_t *j, struct sla_schedule **out, size_t *n, char *err,
			   size_t errlen)
{
	json_t *list = payload_of(j), *v;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!list) {
		snprintf(err, errlen, "the backend sent no list of inboxes");
		return -1;
	}
	if (json_array_size(list) == 0)
		return 0;
	*out = xcalloc(json_array_size(list), sizeof(**out));
	json_array_foreach(list, i, v) {
		struct sla_schedule *s = &(*out)[*n];
		const char *name = str_of(v, "name");

		if (chatwoot_id(json_object_get(v, "id"), &s->id) < 0 || !name || !name[0]) {
			memset(s, 0, sizeof(*s));
			continue;
		}
		snprintf(s->name, sizeof(s->name), "%s", name);
		inbox_hours(v, s);
		(*n)++;
	}
	return 0;
}

int chatwoot_parse_portals(json_t *j, char ***slugs, size_t *n, char *err, size_t errlen)
{
	json_t *list = payload_of(j), *v;
	size_t i;

	*slugs = NULL;
	*n = 0;
	if (!list) {
		snprintf(err, errlen, "the backend sent no list of portals");
		return -1;
	}
	*slugs = xcalloc(json_array_size(list) + 1, sizeof(**slugs));
	json_array_foreach(list, i, v) {
		const char *slug = str_of(v, "slug");

		if (slug && slug[0])
			(*slugs)[(*n)++] = xstrdup(slug);
	}
	return 0;
}

int chatwoot_parse_articles(json_t *j, const char *base, struct article **out, size_t *n,
			    char *err, size_t errlen)
{
	json_t *list = payload_of(j), *v;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!list) {
		snprintf(err, errlen, "the backend sent no list of articles");
		return -1;
	}
	*out = xcalloc(json_array_size(list) + 1, sizeof(**out));
	json_array_foreach(list, i, v) {
		struct article *a = &(*out)[*n];
		const char *s;

		if (chatwoot_id(json_object_get(v, "id"), &a->id) < 0)
			continue;
		s = str_of(v, "title");
		a->title = xstrdup(s ? s : "");
		a->description = dup_or_null(str_of(v, "description"));
		s = str_of(v, "content");
		a->body = s ? html_to_text(s) : NULL;
		if (!a->body)
			a->body = xstrdup("");
		s = str_of(v, "slug");
		if (base && s)
			a->url = xasprintf("%s/%s", base, s);
		(void)chatwoot_time(json_object_get(v, "updated_at"), &a->updated_at);
		(*n)++;
	}
	return 0;
}

/* Copies s into msg (appending after "; " when msg has text), control characters as '?'. */
static void msg_add(char *msg, size_t msglen, const char *s)
{
	size_t used = strlen(msg), i;

	if (!s || !s[0])
		return;
	if (used && used + 2 < msglen) {
		memcpy(msg + used, "; ", 3);
		used += 2;
	}
	for (i = 0; s[i] && used + 1 < msglen; i++)
		msg[used++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	msg[used] = '\0';
}

void chatwoot_error_text(const char *body, size_t len, char *msg, size_t msglen)
{
	json_t *j = body ? json_loadb(body, len, 0, NULL) : NULL, *errors, *v;
	size_t i;

	if (msglen == 0)
		return;
	msg[0] = '\0';
	if (!json_is_object(j)) {
		json_decref(j);
		return;
	}
	msg_add(msg, msglen, str_of(j, "error"));
	if (!msg[0])
		msg_add(msg, msglen, str_of(j, "message"));
	errors = json_object_get(j, "errors");
	json_array_foreach(errors, i, v) {
		msg_add(msg, msglen, json_is_string(v) ? json_string_value(v) : str_of(v, "message"));
	}
	if (!msg[0])
		msg_add(msg, msglen, str_of(j, "description"));
	json_decref(j);
}

json_t *chatwoot_message_request(const char *text, bool private_note)
{
	json_t *content = text && text[0] ? json_string(text) : NULL;

	if (!content)
		return NULL;
	return json_pack("{s:o, s:s, s:b}", "content", content, "message_type", "outgoing",
			 "private", private_note);
}

json_t *chatwoot_status_request(const char *status, fl_time snoozed_until)
{
	if (!status)
		return NULL;
	if (!strcmp(status, "snoozed"))
		return snoozed_until > 0 ? json_pack("{s:s, s:I}", "status", status, "snoozed_until",
						     (json_int_t)snoozed_until)
					 : NULL;
	if (strcmp(status, "open") && strcmp(status, "resolved"))
		return NULL;
	return json_pack("{s:s}", "status", status);
}

json_t *chatwoot_assign_request(bool team, int64_t id)
{
	if (id < 0 || (team && id == 0))
		return NULL;
	if (team)
		return json_pack("{s:I}", "team_id", (json_int_t)id);
	return id ? json_pack("{s:I}", "assignee_id", (json_int_t)id)
		  : json_pack("{s:n}", "assignee_id");
}

json_t *chatwoot_labels_request(char *const *names, size_t n)
{
	json_t *list = json_array(), *body;
	size_t i;

	if (!list)
		return NULL;
	for (i = 0; i < n; i++) {
		json_t *s = json_string(names[i]);

		if (!s) {
			json_decref(list);
			return NULL;
		}
		json_array_append_new(list, s);
	}
	body = json_pack("{s:o}", "labels", list);
	return body;
}

json_t *chatwoot_priority_request(const char *level)
{
	int p = level ? priority_from_word(level) : -1;

	return p < 0 ? NULL : json_pack("{s:s}", "priority", priority_word((enum conv_priority)p));
}

json_t *chatwoot_label_create_request(const char *name)
{
	json_t *title = name && name[0] ? json_string(name) : NULL;

	return title ? json_pack("{s:o}", "title", title) : NULL;
}
