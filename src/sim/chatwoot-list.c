/* chatwoot-list.c: the Chatwoot dialect's conversation lists, as the server's
 * ConversationFinder (GET .../conversations) and filter service (POST
 * .../conversations/filter) give them: newest activity first, fixed pages of 25, every
 * match at once with updated_within, the meta counts. */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chatwoot-handlers.h"
#include "chatwoot-render.h"
#include "sim.h"
#include "util.h"
#include "wdb.h"

/* ConversationFinder's pages (CONVERSATION_RESULTS_PER_PAGE). */
#define CONVERSATIONS_PER_PAGE 25

/* What a list or filter selects; each list is a JSON array of values, or NULL for any. */
struct cw_filter {
	const char *states; /* world states: open, closed, snoozed, pending */
	const char *teams;
	const char *inboxes;
	const char *assignees; /* admin ids, 0 for unassigned */
	const char *labels;
	const char *words; /* ?q=: a LIKE pattern of the messages' text, or NULL */
	bool assigned_only;
	long long updated_after; /* 0: any */
};

/* The WHERE clause of a filter, binding ?1 states, ?2 teams, ?3 inboxes, ?4 labels,
 * ?5 updated_after, ?6 the inbox of conversations without a team, ?7 a pattern the text
 * of a message (the opening one, a reply or a note) must match. Assignees are added by
 * each query. */
#define CW_WHERE                                                                                   \
	" WHERE (?1 IS NULL OR c.state IN (SELECT value FROM json_each(?1)))"                      \
	" AND (?2 IS NULL OR c.team_assignee_id IN (SELECT value FROM json_each(?2)))"             \
	" AND (?3 IS NULL OR COALESCE((SELECT i.inbox_id FROM cw_inboxes i"                        \
	"  WHERE i.conversation_id = c.id), ?6) IN (SELECT value FROM json_each(?3)))"             \
	" AND (?4 IS NULL OR EXISTS (SELECT 1 FROM conversation_tags ct JOIN tags t"               \
	"  ON t.id = ct.tag_id WHERE ct.conversation_id = c.id"                                    \
	"  AND t.name IN (SELECT value FROM json_each(?4))))"                                      \
	" AND (?5 = 0 OR c.updated_at > ?5)"                                                       \
	" AND (?7 IS NULL OR c.body LIKE ?7 OR EXISTS (SELECT 1 FROM parts p"                      \
	"  WHERE p.conversation_id = c.id AND p.part_type IN ('comment', 'note')"                  \
	"  AND p.body LIKE ?7))"

/* Renders one page (page > 0) or, with page 0, every conversation of the filter, newest
 * activity first (none with payload NULL), and the counts of ConversationFinder's meta. */
static int cw_select(struct sim *s, const struct cw_filter *f, long long page, json_t **payload,
		     json_t **meta)
{
	struct world *w = &s->world;
	long long inbox0 = cw_inbox_of_team(w, 0);
	sqlite3_stmt *st =
	    wdb_query(w,
		      "SELECT count(*), COALESCE(sum(c.admin_assignee_id = ?8), 0),"
		      " COALESCE(sum(c.admin_assignee_id = 0), 0) FROM conversations c" CW_WHERE,
		      "tttti"
		      "iti",
		      f->states, f->teams, f->inboxes, f->labels, f->updated_after, inbox0,
		      f->words, w->me_admin_id);
	long long all, mine, unassigned;
	long long *ids = NULL;
	size_t n = 0, cap = 0, i;

	if (!st || sqlite3_step(st) != SQLITE_ROW)
		return -1;
	all = sqlite3_column_int64(st, 0);
	mine = sqlite3_column_int64(st, 1);
	unassigned = sqlite3_column_int64(st, 2);
	*meta = json_pack("{s:I, s:I, s:I, s:I}", "mine_count", (json_int_t)mine,
			  "unassigned_count", (json_int_t)unassigned, "assigned_count",
			  (json_int_t)(all - unassigned), "all_count", (json_int_t)all);
	if (!payload)
		return 0;
	st = wdb_query(
	    w,
	    "SELECT c.id FROM conversations c" CW_WHERE
	    " AND (?8 IS NULL OR c.admin_assignee_id IN (SELECT value FROM json_each(?8)))"
	    " AND (?9 = 0 OR c.admin_assignee_id <> 0)"
	    " ORDER BY COALESCE((SELECT max(p.created_at) FROM parts p"
	    "  WHERE p.conversation_id = c.id), c.created_at) DESC, c.id DESC"
	    " LIMIT ?10 OFFSET ?11",
	    "tttti"
	    "ittiii",
	    f->states, f->teams, f->inboxes, f->labels, f->updated_after, inbox0, f->words,
	    f->assignees, (long long)f->assigned_only,
	    page > 0 ? (long long)CONVERSATIONS_PER_PAGE : -1LL,
	    page > 0 ? (page - 1) * CONVERSATIONS_PER_PAGE : 0LL);
	if (!st) {
		json_decref(*meta);
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		xgrow(&ids, &cap, n + 1, sizeof(*ids));
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	*payload = json_array();
	for (i = 0; i < n; i++) {
		json_t *c = cw_render_conversation(w, ids[i], !s->opt.no_sla, NULL);

		if (c)
			json_array_append_new(*payload, c);
	}
	free(ids);
	return 0;
}

/* A status as the world keeps it (resolved is closed); NULL for one Chatwoot lacks. */
const char *cw_world_state(const char *status)
{
	static const char *const map[][2] = {{"open", "open"},
					     {"resolved", "closed"},
					     {"snoozed", "snoozed"},
					     {"pending", "pending"}};
	size_t i;

	for (i = 0; status && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(status, map[i][0]))
			return map[i][1];
	return NULL;
}

/* A one-value JSON array of a text, in buf. */
static const char *one_text(char *buf, size_t len, const char *v)
{
	json_t *a = json_pack("[s]", v);
	char *t = json_dumps(a, JSON_COMPACT);

	snprintf(buf, len, "%s", t ? t : "[]");
	free(t);
	json_decref(a);
	return buf;
}

/* The query of GET .../conversations (and .../conversations/meta) as a filter. */
struct list_query {
	struct cw_filter f;
	long long page; /* 0: every match (updated_within) */
	char states[64], teams[48], inboxes[48], assignees[48];
	char *labels, *pattern; /* owned */
};

static void list_query_release(struct list_query *q)
{
	free(q->labels);
	free(q->pattern);
}

/* Reads ConversationFinder's parameters: status (default open; all for every one; not
 * applied with q), assignee_type, team_id, inbox_id, labels[], q; pages of 25 by page,
 * except that with updated_within (seconds) every match is given and page is ignored.
 * False with the reply set when the team does not exist (the finder's find raises). */
static bool list_query_parse(struct sim *s, struct api_request *rq, struct api_reply *rp,
			     struct list_query *q)
{
	const char *status = rq->query(rq->query_ctx, "status");
	const char *assignee = rq->query(rq->query_ctx, "assignee_type");
	const char *team = rq->query(rq->query_ctx, "team_id");
	const char *inbox = rq->query(rq->query_ctx, "inbox_id");
	const char *words = rq->query(rq->query_ctx, "q");
	const char *within = rq->query(rq->query_ctx, "updated_within");
	const char *page_arg = rq->query(rq->query_ctx, "page");
	struct cw_filter *f = &q->f;
	json_t *label_list;
	long long n;

	memset(q, 0, sizeof(*q));
	q->page = 1;
	/* Rails reads labels[]=a&labels[]=b as a list, labels=a as one. */
	label_list = rq->query_values(rq->query_ctx, "labels[]");
	if (json_array_size(label_list) == 0 && rq->query(rq->query_ctx, "labels"))
		json_array_append_new(label_list, json_string(rq->query(rq->query_ctx, "labels")));
	if (json_array_size(label_list) > 0)
		f->labels = q->labels = json_dumps(label_list, JSON_COMPACT);
	json_decref(label_list);
	/* With q the status is not filtered; q matches the text of a message, as ILIKE. */
	if (words && *words)
		f->words = q->pattern = xasprintf("%%%s%%", words);
	if (!f->words && (!status || strcmp(status, "all")))
		f->states = one_text(q->states, sizeof(q->states),
				     cw_world_state(status ? status : "open") ?: "none");
	if (team) {
		if (util_parse_ll(team, 1, INT64_MAX, &n) < 0 ||
		    world_team_exists(&s->world, n) != 1) {
			cw_error(rp, 404, "Resource could not be found");
			return false;
		}
		snprintf(q->teams, sizeof(q->teams), "[%lld]", n);
		f->teams = q->teams;
	}
	if (inbox) {
		if (util_parse_ll(inbox, 0, INT64_MAX, &n) < 0)
			n = 0;
		snprintf(q->inboxes, sizeof(q->inboxes), "[%lld]", n);
		f->inboxes = q->inboxes;
	}
	if (assignee && !strcmp(assignee, "me")) {
		snprintf(q->assignees, sizeof(q->assignees), "[%lld]", s->world.me_admin_id);
		f->assignees = q->assignees;
	} else if (assignee && !strcmp(assignee, "unassigned")) {
		f->assignees = "[0]";
	} else if (assignee && !strcmp(assignee, "assigned")) {
		f->assigned_only = true;
	}
	if (within && *within) {
		/* Rails' to_i: leading digits, else 0 (everything updated up to now). */
		f->updated_after = (long long)rq->now - strtoll(within, NULL, 10);
		q->page = 0;
	} else if (page_arg && (util_parse_ll(page_arg, 1, 1000000, &q->page) < 0)) {
		q->page = 1;
	}
	return true;
}

/* GET .../conversations: {data: {meta, payload}}. */
void cw_get_conversations(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	struct list_query q;
	json_t *payload, *meta;
	int rc;

	if (!cw_account_ok(rq, rp))
		return;
	if (list_query_parse(s, rq, rp, &q)) {
		rc = cw_select(s, &q.f, q.page, &payload, &meta);
		if (rc < 0)
			cw_db_failed(rp);
		else
			cw_reply(
			    rp, 200,
			    json_pack("{s:{s:o, s:o}}", "data", "meta", meta, "payload", payload));
	}
	list_query_release(&q);
}

/* GET .../conversations/meta: the counts alone, {meta}. */
void cw_get_conversations_meta(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	struct list_query q;
	json_t *meta;

	if (!cw_account_ok(rq, rp))
		return;
	if (list_query_parse(s, rq, rp, &q)) {
		if (cw_select(s, &q.f, q.page, NULL, &meta) < 0)
			cw_db_failed(rp);
		else
			cw_reply(rp, 200, json_pack("{s:o}", "meta", meta));
	}
	list_query_release(&q);
}

/* One condition of POST .../conversations/filter into f: its values as a JSON array. */
static bool filter_condition(struct sim *s, json_t *cond, struct cw_filter *f, char **owned,
			     struct api_reply *rp)
{
	const char *key = json_string_value(json_object_get(cond, "attribute_key"));
	const char *op = json_string_value(json_object_get(cond, "filter_operator"));
	json_t *values = json_object_get(cond, "values"), *v, *list;
	const char **slot;
	size_t i;

	if (!key || !json_is_array(values)) {
		cw_error(rp, 422, "Invalid attribute key");
		return false;
	}
	if (!op || strcmp(op, "equal_to")) {
		cw_error(rp, 422, "Invalid operator. The allowed operators for %s are [equal_to].",
			 key);
		return false;
	}
	slot = !strcmp(key, "status")	     ? &f->states
	       : !strcmp(key, "team_id")     ? &f->teams
	       : !strcmp(key, "inbox_id")    ? &f->inboxes
	       : !strcmp(key, "assignee_id") ? &f->assignees
	       : !strcmp(key, "labels")	     ? &f->labels
					     : NULL;
	if (!slot) {
		cw_error(rp, 422, "Invalid attribute key - [%s]", key);
		return false;
	}
	list = json_array();
	json_array_foreach(values, i, v)
	{
		long long id;

		if (slot == &f->states)
			json_array_append_new(
			    list, json_string(cw_world_state(json_string_value(v)) ?: "none"));
		else if (slot == &f->labels && json_is_string(v))
			json_array_append(list, v);
		else if (slot != &f->labels && api_json_id(v, &id))
			json_array_append_new(list, json_integer(id));
	}
	(void)s;
	*owned = json_dumps(list, JSON_COMPACT);
	json_decref(list);
	*slot = *owned;
	return true;
}

#define FILTER_CONDITIONS_MAX 5

/* POST .../conversations/filter: {"payload": [{attribute_key, filter_operator, values,
 * query_operator}]}, conditions joined by AND (status, team_id, inbox_id, assignee_id,
 * labels with equal_to); pages of 25. */
void cw_post_filter(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	json_t *body = json_is_object(rq->body) ? rq->body : NULL, *conds, *cond, *payload, *meta;
	const char *page_arg = rq->query(rq->query_ctx, "page");
	char *owned[FILTER_CONDITIONS_MAX] = {0};
	struct cw_filter f = {0};
	long long page = 1;
	size_t i;
	bool ok = true;

	if (!cw_account_ok(rq, rp))
		return;
	conds = json_object_get(body, "payload");
	if (!json_is_array(conds) || json_array_size(conds) > FILTER_CONDITIONS_MAX) {
		cw_error(rp, 422, "payload must be a list of at most %d conditions",
			 FILTER_CONDITIONS_MAX);
		return;
	}
	json_array_foreach(conds, i, cond)
	{
		const char *qop = json_string_value(json_object_get(cond, "query_operator"));

		if (i + 1 < json_array_size(conds) && qop && strcmp(qop, "and") &&
		    strcmp(qop, "AND")) {
			cw_error(rp, 422, "the sim joins filter conditions with and only");
			ok = false;
		}
		if (ok)
			ok = filter_condition(s, cond, &f, &owned[i], rp);
		if (!ok)
			break;
	}
	if (page_arg && util_parse_ll(page_arg, 1, 1000000, &page) < 0)
		page = 1;
	if (ok && cw_select(s, &f, page, &payload, &meta) < 0)
		cw_db_failed(rp);
	else if (ok)
		cw_reply(rp, 200, json_pack("{s:o, s:o}", "meta", meta, "payload", payload));
	for (i = 0; i < FILTER_CONDITIONS_MAX; i++)
		free(owned[i]);
}
