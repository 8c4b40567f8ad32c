/* macros.c: the workspace's saved replies as Intercom serves them (GET /macros): a name,
 * body_text with Intercom's placeholders ({{user.first_name|fallback:"there"}}), body the
 * same as HTML with each placeholder as <attribute key="..." default="..."/>, visible_to
 * everyone or specific_teams (visible_to_team_ids), newest update first, pages by a cursor
 * (base64 of the JSON [updated_at, "id"] of a page's last macro). The list holds every
 * macro of the workspace, whoever the token's admin is: visibility is the client's to
 * apply. */
#include "build-config.h"

#include "macros.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "util.h"

#define PER_PAGE     50
#define PER_PAGE_MAX 150

/* team: -1 everyone, else the world team (WORLD_TEAM_*) that sees it. */
static const struct seed {
	long long id;
	const char *name;
	int team;
	const char *html_extra; /* markup the HTML body adds around the text, or NULL */
	const char *body_text;
	int days_ago; /* of its last update */
} seeds[] = {
    {9101, "Greeting", -1, NULL,
     "Hi {{user.first_name|fallback:\"there\"}},\n\nThanks for reaching out. I'm "
     "{{admin.first_name}} and I'll look into this for you.",
     1},
    {9102, "Refund process", -1, NULL,
     "Hi {{ user.name | fallback: 'there' }},\n\nYour refund for order "
     "#{{conversation.custom_attributes.order_number}} is on its way: it reaches the card "
     "of {{user.email}} within 3-5 business days.",
     2},
    {9103, "Password reset", -1, "b",
     "To reset your password, open Settings, then Security, and choose Reset password. The "
     "link goes to {{user.email|fallback:\"your sign-in email\"}}.",
     3},
    {9104, "Outage apology", WORLD_TEAM_REALTIME, "a",
     "Sorry for the trouble, {{user.first_name|fallback:\"there\"}}. Our engineers are on "
     "it; the status page has updates every 15 minutes.",
     4},
    {9105, "Invoice copy", WORLD_TEAM_STANDARD, NULL,
     "Hi {{user.name|fallback:\"there\"}},\n\nI've attached a copy of your last invoice. "
     "{{teammate.name}}, Billing",
     5},
    {9106, "Product demo", -1, NULL,
     "Thank you for your interest in {{product.name|fallback:\"our products\"}}! Would "
     "{{suggested_time|fallback:\"next Tuesday at 2 PM\"}} work for a demo?",
     6},
    {9107, "Closing thanks", -1, NULL,
     "Thank you for reaching out! I'll close this conversation now; reply any time to "
     "open it again.",
     7},
};

static void escape_into(GString *out, const char *s, size_t n)
{
	char *e = g_markup_escape_text(s, (gssize)n);

	g_string_append(out, e);
	g_free(e);
}

/* The HTML body: paragraphs of body_text, placeholders as <attribute/>, and a link or
 * bold words where the seed asks for them. */
static char *html_body(const struct seed *m)
{
	GString *out = g_string_new("<p>");
	const char *p = m->body_text, *open, *close;

	if (m->html_extra && !strcmp(m->html_extra, "b"))
		g_string_append(out, "<b>Security tip:</b> ");
	while ((open = strstr(p, "{{")) != NULL && (close = strstr(open, "}}")) != NULL) {
		char *inner = g_strndup(open + 2, (gsize)(close - open - 2)), *bar, *q;

		escape_into(out, p, (size_t)(open - p));
		bar = strchr(inner, '|');
		if (bar)
			*bar = '\0';
		g_strstrip(inner);
		g_string_append(out, "<attribute key=\"");
		escape_into(out, inner, strlen(inner));
		g_string_append(out, "\"");
		if (bar && (q = strpbrk(bar + 1, "\"'")) != NULL) {
			char *end = strchr(q + 1, *q);

			g_string_append(out, " default=\"");
			escape_into(out, q + 1, end ? (size_t)(end - q - 1) : strlen(q + 1));
			g_string_append(out, "\"");
		}
		g_string_append(out, "/>");
		g_free(inner);
		p = close + 2;
	}
	escape_into(out, p, strlen(p));
	if (m->html_extra && !strcmp(m->html_extra, "a"))
		g_string_append(out, " <a href=\"https://status.example.com\">Status page</a>");
	g_string_append(out, "</p>");
	/* paragraphs: "\n\n" in the text */
	{
		gchar **parts = g_strsplit(out->str, "\n\n", -1);
		gchar *joined = g_strjoinv("</p><p>", parts);
		char *result = xstrdup(joined);

		g_strfreev(parts);
		g_free(joined);
		g_string_free(out, TRUE);
		return result;
	}
}

static void iso_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

static json_t *render_macro(struct sim *s, const struct seed *m, time_t updated)
{
	json_t *teams = json_array();
	char created_at[32], updated_at[32], id[24], *html = html_body(m);
	json_t *o;

	if (m->team >= 0)
		json_array_append_new(teams, json_sprintf("%lld", s->world.team_ids[m->team]));
	iso_time(updated - 86400 * 30, created_at, sizeof(created_at));
	iso_time(updated, updated_at, sizeof(updated_at));
	snprintf(id, sizeof(id), "%lld", m->id);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:[ss]}", "type", "macro",
		      "id", id, "name", m->name, "body", html, "body_text", m->body_text,
		      "created_at", created_at, "updated_at", updated_at, "visible_to",
		      m->team >= 0 ? "specific_teams" : "everyone", "visible_to_team_ids", teams,
		      "available_on", "inbox", "messenger");
	free(html);
	return o;
}

/* The macros' last updates: whole days before a fixed day, so they stay put. */
#define UPDATED_BASE 1780000000

static time_t updated_of(const struct seed *m)
{
	return (time_t)UPDATED_BASE - (time_t)m->days_ago * 86400;
}

/* Reads a starting_after cursor: base64 of [updated_at, "id"]. */
static bool cursor_parse(const char *text, double *updated, long long *id)
{
	gsize n = 0;
	guchar *raw = g_base64_decode(text, &n);
	char *copy = raw ? g_strndup((const char *)raw, n) : NULL;
	json_t *j = copy ? json_loads(copy, 0, NULL) : NULL;
	bool ok = json_is_array(j) && json_array_size(j) == 2 &&
		  json_is_number(json_array_get(j, 0)) && json_is_string(json_array_get(j, 1));

	if (ok) {
		*updated = json_number_value(json_array_get(j, 0));
		ok = api_json_id(json_array_get(j, 1), id);
	}
	json_decref(j);
	g_free(copy);
	g_free(raw);
	return ok;
}

static char *cursor_make(time_t updated, long long id)
{
	char *text = xasprintf("[%lld.0, \"%lld\"]", (long long)updated, id);
	gchar *b = g_base64_encode((const guchar *)text, strlen(text));
	char *out = xstrdup(b);

	g_free(b);
	free(text);
	return out;
}

void macros_list(struct sim *s, struct api_request *rq, struct api_reply *rp)
{
	const char *per = rq->query(rq->query_ctx, "per_page");
	const char *after = rq->query(rq->query_ctx, "starting_after");
	long long per_page = PER_PAGE, after_id = 0;
	double after_updated = 0;
	size_t i, n = sizeof(seeds) / sizeof(seeds[0]), shown = 0;
	json_t *data = json_array(), *next = json_null();
	const struct seed *last = NULL;

	if (per && (util_parse_ll(per, 1, PER_PAGE_MAX, &per_page) != 0)) {
		json_decref(data);
		api_error(rp, 400, "parameter_invalid", "per_page must be from 1 to %d", PER_PAGE_MAX);
		return;
	}
	if (after && !cursor_parse(after, &after_updated, &after_id)) {
		json_decref(data);
		api_error(rp, 400, "parameter_invalid", "starting_after is not a cursor this list gave");
		return;
	}
	/* The seeds are in order of update, newest first. */
	for (i = 0; i < n; i++) {
		time_t updated = updated_of(&seeds[i]);

		if (after && ((double)updated > after_updated ||
			      ((double)updated == after_updated && seeds[i].id >= after_id)))
			continue;
		if ((long long)shown == per_page) {
			char *cursor = cursor_make(updated_of(last), last->id);

			json_decref(next);
			next = json_pack("{s:s}", "starting_after", cursor);
			free(cursor);
			break;
		}
		json_array_append_new(data, render_macro(s, &seeds[i], updated));
		last = &seeds[i];
		shown++;
	}
	rp->status = 200;
	json_decref(rp->body);
	rp->body = json_pack("{s:s, s:o, s:{s:s, s:I, s:o}}", "type", "list", "data", data, "pages",
			     "type", "pages", "per_page", (json_int_t)per_page, "next", next);
}

size_t macros_count(void)
{
	return sizeof(seeds) / sizeof(seeds[0]);
}

bool macros_entry(size_t i, struct macro_entry *out)
{
	if (i >= macros_count())
		return false;
	out->id = seeds[i].id;
	out->name = seeds[i].name;
	out->body_text = seeds[i].body_text;
	out->updated = updated_of(&seeds[i]);
	return true;
}
