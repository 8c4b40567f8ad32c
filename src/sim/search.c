/* search.c: the conversation search of the Intercom API: the query language compiled to
 * SQL, sort orders, and cursors that page through a snapshot of the matches. */
#include "build-config.h"

#include "search.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MAX_GROUP_DEPTH 2
#define MAX_IN_VALUES 500

/* Each kind takes the JSON type the description gives its fields ("the value you search
 * for has to match the accepted type, otherwise the query will fail"). */
enum field_kind {
	FIELD_ID,	/* conversation ids: String (of digits) */
	FIELD_INT,	/* assignee ids: Integer; null means 0 (unassigned) */
	FIELD_TIME,	/* unix seconds, may be null */
	FIELD_STATE,	/* open | closed | snoozed */
	FIELD_BOOL,
	FIELD_PRIORITY, /* none ... urgent; "priority" and "not_priority" as aliases */
	FIELD_TAGS,	/* tag ids: String (of digits) */
	FIELD_TEXT,
};

struct field {
	const char *name;
	const char *column;
	enum field_kind kind;
};

static const struct field fields[] = {
	{"id", "c.id", FIELD_ID},
	{"state", "c.state", FIELD_STATE},
	{"open", "(c.state <> 'closed')", FIELD_BOOL},
	{"read", "c.read", FIELD_BOOL},
	{"team_assignee_id", "c.team_assignee_id", FIELD_INT},
	{"admin_assignee_id", "c.admin_assignee_id", FIELD_INT},
	{"created_at", "c.created_at", FIELD_TIME},
	{"updated_at", "c.updated_at", FIELD_TIME},
	{"waiting_since", "c.waiting_since", FIELD_TIME},
	{"snoozed_until", "c.snoozed_until", FIELD_TIME},
	{"statistics.last_assignment_at", "c.last_assignment_at", FIELD_TIME},
	{"tag_ids", NULL, FIELD_TAGS},
	{"priority", "c.priority", FIELD_PRIORITY},
	{"source.body", "c.body", FIELD_TEXT},
	/* The opening message's subject: every conversation here starts with an empty one. */
	{"source.subject", "''", FIELD_TEXT},
	/* The customer, through the live table: a lagging index has no contact column, and a
	 * conversation never changes its customer. */
	{"source.author.name", "(SELECT k.name FROM main.conversations v JOIN contacts k"
			       " ON k.id = v.contact_id WHERE v.id = c.id)", FIELD_TEXT},
	{"source.author.email", "(SELECT k.email FROM main.conversations v JOIN contacts k"
				" ON k.id = v.contact_id WHERE v.id = c.id)", FIELD_TEXT},
	{"contact_ids", "(SELECT v.contact_id FROM main.conversations v WHERE v.id = c.id)",
	 FIELD_ID},
};

const struct search_source search_live = {"conversations", "conversation_tags"};

struct compiler {
	const struct search_source *src;
	FILE *sql;
	json_t *binds;
	char *err;
	size_t errlen;
};

static int fail(struct compiler *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct compiler *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static const struct field *field_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

static bool parse_digits(json_t *v, long long *out)
{
	return json_is_string(v) && util_parse_ll(json_string_value(v), 0, INT64_MAX, out) == 0;
}

/* The description's name for the type a kind takes, for the error message. */
static const char *kind_type(enum field_kind kind)
{
	switch (kind) {
	case FIELD_INT: return "Integer";
	case FIELD_TIME: return "Date (UNIX timestamp)";
	case FIELD_BOOL: return "Boolean";
	default: return "String";
	}
}

static const char *json_type_word(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	default: return "a list or an object";
	}
}

/* Converts one filter value to the JSON value bound in SQL; NULL (with the message) if
 * its type is not the field's or the value is not one the field takes. */
static json_t *convert_value(struct compiler *c, const struct field *f, json_t *v)
{
	long long n;
	const char *s;

	switch (f->kind) {
	case FIELD_ID:
	case FIELD_TAGS:
		if (parse_digits(v, &n))
			return json_integer(n);
		if (json_is_string(v))
			goto bad_value;
		break;
	case FIELD_INT:
		if (json_is_null(v))
			return json_integer(0);
		if (json_is_integer(v))
			return json_integer(json_integer_value(v));
		break;
	case FIELD_TIME:
		if (json_is_null(v))
			return json_null();
		if (json_is_integer(v))
			return json_integer(json_integer_value(v));
		break;
	case FIELD_STATE:
		s = json_string_value(v);
		if (s && (!strcmp(s, "open") || !strcmp(s, "closed") || !strcmp(s, "snoozed")))
			return json_string(s);
		if (s)
			goto bad_value;
		break;
	case FIELD_BOOL:
		if (json_is_boolean(v))
			return json_integer(json_is_true(v));
		break;
	case FIELD_PRIORITY:
		s = json_string_value(v);
		if (!s)
			break;
		if (!strcmp(s, "priority"))
			return json_string("urgent");
		if (!strcmp(s, "not_priority"))
			return json_string("none");
		if (!strcmp(s, "none") || !strcmp(s, "low") || !strcmp(s, "medium") ||
		    !strcmp(s, "high") || !strcmp(s, "urgent"))
			return json_string(s);
		goto bad_value;
	case FIELD_TEXT:
		if (json_is_string(v))
			return json_string(json_string_value(v));
		break;
	}
	fail(c, "the value of %s has to match its type (%s), not %s", f->name, kind_type(f->kind),
	     json_type_word(v));
	return NULL;
bad_value:
	fail(c, "invalid value for field %s", f->name);
	return NULL;
}

static int bind_value(struct compiler *c, const struct field *f, json_t *v)
{
	json_t *b = convert_value(c, f, v);

	if (!b)
		return -1;
	json_array_append_new(c->binds, b);
	return 0;
}

static int compile_list(struct compiler *c, const struct field *f, json_t *v)
{
	size_t i, n = json_array_size(v);

	if (!json_is_array(v) || n == 0 || n > MAX_IN_VALUES)
		return fail(c, "IN and NIN on %s need an array of 1 to %d values", f->name, MAX_IN_VALUES);
	fputc('(', c->sql);
	for (i = 0; i < n; i++) {
		if (json_is_array(json_array_get(v, i)) || json_is_object(json_array_get(v, i)))
			return fail(c, "invalid value in the list for %s", f->name);
		fputs(i ? ", ?" : "?", c->sql);
		if (bind_value(c, f, json_array_get(v, i)) < 0)
			return -1;
	}
	fputc(')', c->sql);
	return 0;
}

static int compile_tags(struct compiler *c, const struct field *f, const char *op, json_t *v)
{
	bool negate = !strcmp(op, "!=") || !strcmp(op, "NIN");
	bool list = !strcmp(op, "IN") || !strcmp(op, "NIN");

	if (!list && strcmp(op, "=") && strcmp(op, "!="))
		return fail(c, "operator %s cannot be used on %s", op, f->name);
	fprintf(c->sql, "(%sEXISTS (SELECT 1 FROM %s t WHERE t.conversation_id = c.id"
			" AND t.tag_id %s",
		negate ? "NOT " : "", c->src->tags, list ? "IN " : "= ");
	if (list ? compile_list(c, f, v) : (fputc('?', c->sql), bind_value(c, f, v)))
		return -1;
	fputs("))", c->sql);
	return 0;
}

static int compile_text(struct compiler *c, const struct field *f, const char *op, json_t *v)
{
	int i, copies;

	if (!json_is_string(v))
		return fail(c, "%s %s needs a string value", f->name, op);
	if (!strcmp(op, "~")) {
		fprintf(c->sql, "(instr(lower(%s), lower(?)) > 0)", f->column);
		copies = 1;
	} else if (!strcmp(op, "!~")) {
		fprintf(c->sql, "(instr(lower(%s), lower(?)) = 0)", f->column);
		copies = 1;
	} else if (!strcmp(op, "^")) {
		fprintf(c->sql, "(substr(%s, 1, length(?)) = ?)", f->column);
		copies = 2;
	} else if (!strcmp(op, "$")) {
		fprintf(c->sql, "(? = '' OR substr(%s, -length(?)) = ?)", f->column);
		copies = 3;
	} else {
		return -2; /* not a text operator: the caller handles it */
	}
	for (i = 0; i < copies; i++)
		if (bind_value(c, f, v) < 0)
			return -1;
	return 0;
}

static int compile_filter(struct compiler *c, json_t *filter)
{
	const char *key, *name, *op;
	const struct field *f;
	json_t *v, *value;
	int rc;

	json_object_foreach(filter, key, v) {
		if (strcmp(key, "field") && strcmp(key, "operator") && strcmp(key, "value"))
			return fail(c, "unknown key '%s' in a search filter", key);
	}
	name = json_string_value(json_object_get(filter, "field"));
	op = json_string_value(json_object_get(filter, "operator"));
	value = json_object_get(filter, "value");
	if (!name || !op || !value)
		return fail(c, "a search filter needs field, operator and value");
	f = field_find(name);
	if (!f)
		return fail(c, "unknown search field '%s'", name);
	if (f->kind == FIELD_TAGS)
		return compile_tags(c, f, op, value);
	if (f->kind == FIELD_TEXT && (rc = compile_text(c, f, op, value)) != -2)
		return rc;
	if (!strcmp(op, "IN") || !strcmp(op, "NIN")) {
		bool nin = op[0] == 'N';

		if (nin)
			fprintf(c->sql, "(%s IS NULL OR %s NOT IN ", f->column, f->column);
		else
			fprintf(c->sql, "(%s IN ", f->column);
		if (compile_list(c, f, value) < 0)
			return -1;
		fputc(')', c->sql);
		return 0;
	}
	if (!strcmp(op, "=") || !strcmp(op, "!=")) {
		if (json_is_array(value) || json_is_object(value))
			return fail(c, "%s %s needs a single value", name, op);
		fprintf(c->sql, "(%s %s ?)", f->column, op[0] == '=' ? "IS" : "IS NOT");
		return bind_value(c, f, value);
	}
	if (!strcmp(op, ">") || !strcmp(op, "<") || !strcmp(op, ">=") || !strcmp(op, "<=")) {
		if (f->kind != FIELD_ID && f->kind != FIELD_INT && f->kind != FIELD_TIME)
			return fail(c, "operator %s cannot be used on %s", op, name);
		if (json_is_null(value) || json_is_array(value) || json_is_object(value))
			return fail(c, "%s %s needs a number", name, op);
		/* Intercom's ">" and "<" are "greater (or equal)" and "lower (or equal)". */
		fprintf(c->sql, "(%s %c= ?)", f->column, op[0]);
		return bind_value(c, f, value);
	}
	return fail(c, "operator '%s' cannot be used on %s", op, name);
}

static int compile_node(struct compiler *c, json_t *node, int depth)
{
	const char *key, *op;
	json_t *v, *items;
	size_t i;

	if (!json_is_object(node))
		return fail(c, "a search query must be an object");
	if (json_object_get(node, "field"))
		return compile_filter(c, node);
	if (depth >= MAX_GROUP_DEPTH)
		return fail(c, "search groups nest at most %d levels deep", MAX_GROUP_DEPTH);
	json_object_foreach(node, key, v) {
		if (strcmp(key, "operator") && strcmp(key, "value"))
			return fail(c, "unknown key '%s' in a search group", key);
	}
	op = json_string_value(json_object_get(node, "operator"));
	items = json_object_get(node, "value");
	if (!op || (strcmp(op, "AND") && strcmp(op, "OR")))
		return fail(c, "a search group's operator must be AND or OR");
	if (!json_is_array(items) || json_array_size(items) == 0)
		return fail(c, "a search group's value must be a non-empty array");
	/* The description's group holds an array of filters or an array of groups. */
	json_array_foreach(items, i, v) {
		if (json_is_object(v) && (json_object_get(v, "field") != NULL) !=
					     (json_object_get(json_array_get(items, 0), "field") != NULL))
			return fail(c, "a search group's value holds filters or groups, not both");
	}
	fputc('(', c->sql);
	json_array_foreach(items, i, v) {
		if (i)
			fprintf(c->sql, " %s ", op);
		if (compile_node(c, v, depth + 1) < 0)
			return -1;
	}
	fputc(')', c->sql);
	return 0;
}

int search_compile(json_t *query, const struct search_source *src, struct search_sql *out,
		   char *err, size_t errlen)
{
	struct compiler c = {.src = src, .binds = json_array(), .err = err, .errlen = errlen};
	size_t len;
	int rc;

	out->where = NULL;
	out->binds = NULL;
	c.sql = open_memstream(&out->where, &len);
	if (!c.sql || !c.binds)
		die("out of memory");
	rc = compile_node(&c, query, 0);
	if (fclose(c.sql) != 0)
		die("out of memory");
	out->binds = c.binds;
	if (rc < 0) {
		search_sql_release(out);
		return -1;
	}
	return 0;
}

void search_sql_release(struct search_sql *q)
{
	free(q->where);
	json_decref(q->binds);
	q->where = NULL;
	q->binds = NULL;
}

int search_bind(sqlite3_stmt *st, const struct search_sql *q, int first)
{
	size_t i;
	json_t *v;
	int rc = SQLITE_OK;

	json_array_foreach(q->binds, i, v) {
		if (json_is_integer(v))
			rc = sqlite3_bind_int64(st, first, json_integer_value(v));
		else if (json_is_string(v))
			rc = sqlite3_bind_text(st, first, json_string_value(v), -1, SQLITE_TRANSIENT);
		else
			rc = sqlite3_bind_null(st, first);
		if (rc != SQLITE_OK)
			return -1;
		first++;
	}
	return first;
}

const char *search_order(json_t *sort, char *err, size_t errlen)
{
	static const struct {
		const char *field;
		const char *asc, *desc;
	} orders[] = {
		{"id", "c.id ASC", "c.id DESC"},
		{"created_at", "c.created_at ASC, c.id ASC", "c.created_at DESC, c.id DESC"},
		{"updated_at", "c.updated_at ASC, c.id ASC", "c.updated_at DESC, c.id DESC"},
		{"waiting_since", "c.waiting_since ASC, c.id ASC", "c.waiting_since DESC, c.id DESC"},
		{"priority", "(c.priority <> 'none') ASC, c.id ASC", "(c.priority <> 'none') DESC, c.id ASC"},
	};
	const char *field, *order;
	size_t i;

	if (!sort || json_is_null(sort))
		return orders[0].asc;
	field = json_string_value(json_object_get(sort, "field"));
	order = json_string_value(json_object_get(sort, "order"));
	if (!json_is_object(sort) || !field) {
		snprintf(err, errlen, "sort needs a field");
		return NULL;
	}
	if (order && strcmp(order, "ascending") && strcmp(order, "descending")) {
		snprintf(err, errlen, "sort order must be ascending or descending");
		return NULL;
	}
	for (i = 0; i < sizeof(orders) / sizeof(orders[0]); i++)
		if (!strcmp(orders[i].field, field))
			return order && !strcmp(order, "descending") ? orders[i].desc : orders[i].asc;
	snprintf(err, errlen, "cannot sort by '%s'", field);
	return NULL;
}

/* ---- cursors ---- */

void search_cursors_init(struct search_cursors *c)
{
	memset(c, 0, sizeof(*c));
	c->next_id = 1;
}

static void snapshot_clear(struct search_snapshot *s)
{
	free(s->ids);
	search_sql_release(&s->sql);
	memset(s, 0, sizeof(*s));
}

void search_cursors_release(struct search_cursors *c)
{
	size_t i;

	for (i = 0; i < SEARCH_SNAPSHOTS; i++)
		snapshot_clear(&c->slots[i]);
}

void search_cursor_format(char *buf, size_t len, unsigned long long snapshot, size_t offset)
{
	snprintf(buf, len, "fl%016llx%08zx", snapshot, offset);
}

int search_cursor_parse(const char *s, unsigned long long *snapshot, size_t *offset)
{
	char hex[17];
	size_t i;

	if (!s || strlen(s) != 26 || s[0] != 'f' || s[1] != 'l')
		return -1;
	for (i = 2; i < 26; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return -1;
	memcpy(hex, s + 2, 16);
	hex[16] = '\0';
	*snapshot = strtoull(hex, NULL, 16);
	*offset = (size_t)strtoull(s + 18, NULL, 16);
	return 0;
}

static struct search_snapshot *snapshot_find(struct search_cursors *c, unsigned long long id,
					     time_t now)
{
	size_t i;

	for (i = 0; i < SEARCH_SNAPSHOTS; i++)
		if (c->slots[i].id == id && id != 0 && now - c->slots[i].created <= SEARCH_SNAPSHOT_TTL)
			return &c->slots[i];
	return NULL;
}

/* The slot to reuse: an empty one, else the oldest. */
static struct search_snapshot *snapshot_slot(struct search_cursors *c)
{
	struct search_snapshot *oldest = &c->slots[0];
	size_t i;

	for (i = 0; i < SEARCH_SNAPSHOTS; i++) {
		if (c->slots[i].id == 0)
			return &c->slots[i];
		if (c->slots[i].created < oldest->created)
			oldest = &c->slots[i];
	}
	snapshot_clear(oldest);
	return oldest;
}

/* All ids matching q in order; -1 on a database error. */
static int collect_ids(sqlite3 *db, const struct search_source *src, const struct search_sql *q,
		       const char *order, long long **ids, size_t *n)
{
	char *sql = xasprintf("SELECT c.id FROM %s c WHERE %s ORDER BY %s", src->conversations,
			      q->where, order);
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK || search_bind(st, q, 1) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (util_grow(ids, &cap, *n + 1, sizeof(**ids)) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		return -1;
	}
	return 0;
}

/* Keeps the ids of ids[from, from+count) that still match q, in order. */
static int refilter(sqlite3 *db, const struct search_source *src, const struct search_sql *q,
		    const long long *ids, size_t count, struct search_page *page)
{
	char *sql = xasprintf("SELECT 1 FROM %s c WHERE c.id = ? AND %s", src->conversations,
			      q->where);
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return -1;
	page->ids = xcalloc(count, sizeof(*page->ids));
	for (i = 0; i < count; i++) {
		sqlite3_reset(st);
		if (sqlite3_bind_int64(st, 1, ids[i]) != SQLITE_OK || search_bind(st, q, 2) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			page->ids[page->n_ids++] = ids[i];
		else if (rc != SQLITE_DONE) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return 0;
}

static int request_per_page(json_t *request, long *per_page, const char **cursor, char *err,
			    size_t errlen)
{
	json_t *pagination = json_object_get(request, "pagination");
	json_t *pp = json_object_get(pagination, "per_page");
	json_t *sa = json_object_get(pagination, "starting_after");

	*per_page = 20;
	*cursor = NULL;
	if (pagination && !json_is_null(pagination) && !json_is_object(pagination)) {
		snprintf(err, errlen, "pagination must be an object");
		return -1;
	}
	if (pp) {
		if (!json_is_integer(pp) || json_integer_value(pp) < 1 ||
		    json_integer_value(pp) > SEARCH_MAX_PER_PAGE) {
			snprintf(err, errlen, "per_page must be an integer from 1 to %d",
				 SEARCH_MAX_PER_PAGE);
			return -1;
		}
		*per_page = (long)json_integer_value(pp);
	}
	if (sa && !json_is_null(sa)) {
		if (!json_is_string(sa)) {
			snprintf(err, errlen, "starting_after must be a string");
			return -1;
		}
		*cursor = json_string_value(sa);
	}
	return 0;
}

static void fill_paging(struct search_page *page, size_t offset, size_t total, long per_page,
			unsigned long long snapshot)
{
	page->total = total;
	page->per_page = per_page;
	page->page = (long)(offset / (size_t)per_page) + 1;
	page->total_pages = (long)((total + (size_t)per_page - 1) / (size_t)per_page);
	page->next[0] = '\0';
	if (offset + (size_t)per_page < total)
		search_cursor_format(page->next, sizeof(page->next), snapshot, offset + (size_t)per_page);
}

static int first_page(sqlite3 *db, struct search_cursors *c, const struct search_source *src,
		      json_t *request, long per_page, time_t now, struct search_page *page, char *err,
		      size_t errlen)
{
	struct search_sql q;
	struct search_snapshot *s;
	const char *order;
	long long *ids;
	size_t n, count;
	unsigned long long snap = 0;
	json_t *query = json_object_get(request, "query");

	if (!query) {
		snprintf(err, errlen, "query is required");
		return 1;
	}
	order = search_order(json_object_get(request, "sort"), err, errlen);
	if (!order || search_compile(query, src, &q, err, errlen) < 0)
		return 1;
	if (collect_ids(db, src, &q, order, &ids, &n) < 0) {
		search_sql_release(&q);
		return -1;
	}
	count = n < (size_t)per_page ? n : (size_t)per_page;
	page->ids = xcalloc(count, sizeof(*page->ids));
	if (count)
		memcpy(page->ids, ids, count * sizeof(*ids));
	page->n_ids = count;
	if (n > count) {
		s = snapshot_slot(c);
		s->id = snap = c->next_id++;
		s->ids = ids;
		s->n = n;
		s->sql = q;
		s->src = src;
		s->created = now;
	} else {
		free(ids);
		search_sql_release(&q);
	}
	fill_paging(page, 0, n, per_page, snap);
	return 0;
}

int search_run(sqlite3 *db, struct search_cursors *c, const struct search_source *src,
	       json_t *request, time_t now, struct search_page *page, char *err, size_t errlen)
{
	struct search_snapshot *s;
	unsigned long long snap;
	const char *cursor;
	size_t offset, count;
	long per_page;

	memset(page, 0, sizeof(*page));
	if (!json_is_object(request)) {
		snprintf(err, errlen, "the request body must be a JSON object");
		return 1;
	}
	if (request_per_page(request, &per_page, &cursor, err, errlen) < 0)
		return 1;
	if (!cursor)
		return first_page(db, c, src, request, per_page, now, page, err, errlen);
	if (search_cursor_parse(cursor, &snap, &offset) < 0) {
		snprintf(err, errlen, "starting_after is not a cursor this server gave out");
		return 1;
	}
	s = snapshot_find(c, snap, now);
	if (!s || offset > s->n) {
		snprintf(err, errlen, "the cursor has expired; start the search again");
		return 1;
	}
	count = s->n - offset < (size_t)per_page ? s->n - offset : (size_t)per_page;
	if (refilter(db, s->src, &s->sql, s->ids + offset, count, page) < 0) {
		search_page_release(page);
		return -1;
	}
	fill_paging(page, offset, s->n, per_page, snap);
	return 0;
}

void search_page_release(struct search_page *page)
{
	free(page->ids);
	page->ids = NULL;
	page->n_ids = 0;
}
