/* model.c: the lifecycle of a conversation record (deep copy and release of what it owns). */
#include "build-config.h"

#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "directory.h"
#include "html.h"
#include "util.h"

void conversation_release(struct conversation *c)
{
	free(c->title);
	free(c->customer);
	free(c->body);
	free(c->tag_ids);
	free(c->sla_name);
	memset(c, 0, sizeof(*c));
}

static char *string_copy(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void conversation_copy(struct conversation *dst, const struct conversation *src)
{
	*dst = *src;
	dst->title = string_copy(src->title);
	dst->customer = string_copy(src->customer);
	dst->body = string_copy(src->body);
	dst->sla_name = string_copy(src->sla_name);
	/* A record without a tag array has no tags, whatever n_tags says: never let the
	 * copy promise entries it does not hold. */
	dst->tag_ids = NULL;
	dst->n_tags = 0;
	if (src->tag_ids && src->n_tags > 0) {
		dst->tag_ids = xcalloc(src->n_tags, sizeof(*dst->tag_ids));
		memcpy(dst->tag_ids, src->tag_ids, src->n_tags * sizeof(*dst->tag_ids));
		dst->n_tags = src->n_tags;
	}
}

static const char *const priority_words[PRIORITY_LEVELS] = {"none", "low", "medium", "high",
							    "urgent"};

const char *priority_word(enum conv_priority p)
{
	return (unsigned)p < PRIORITY_LEVELS ? priority_words[p] : "?";
}

int priority_from_word(const char *word)
{
	for (int i = 0; word && i < PRIORITY_LEVELS; i++)
		if (!strcmp(word, priority_words[i]))
			return i;
	return -1;
}

const char *backend_sla_word(enum backend_sla s)
{
	static const char *const words[] = {"none", "active", "hit", "missed", "cancelled"};

	return (unsigned)s < sizeof(words) / sizeof(words[0]) ? words[s] : "none";
}

char *conversation_sla_summary(const struct conversation *c)
{
	char *prio = NULL, *sla = NULL, *out;

	if (c->priority != PRIORITY_NONE)
		prio = xasprintf("priority %s", priority_word(c->priority));
	if (c->backend_sla != BACKEND_SLA_NONE)
		sla = xasprintf("SLA %s: %s", c->sla_name && *c->sla_name ? c->sla_name : "?",
				backend_sla_word(c->backend_sla));
	if (!prio || !sla) {
		free(prio);
		return sla ? sla : (c->priority != PRIORITY_NONE
					    ? xasprintf("priority %s", priority_word(c->priority))
					    : NULL);
	}
	out = xasprintf("%s, %s", prio, sla);
	free(prio);
	free(sla);
	return out;
}

bool conversation_same_clock(const struct conversation *a, const struct conversation *b)
{
	return a->state == b->state && a->read == b->read && a->priority == b->priority &&
	       a->waiting_since == b->waiting_since && a->snoozed_until == b->snoozed_until &&
	       a->first_contact_reply_at == b->first_contact_reply_at &&
	       a->first_admin_reply_at == b->first_admin_reply_at &&
	       a->last_admin_reply_at == b->last_admin_reply_at &&
	       a->last_contact_reply_at == b->last_contact_reply_at &&
	       a->admin_assignee_id == b->admin_assignee_id &&
	       a->team_assignee_id == b->team_assignee_id && a->backend_sla == b->backend_sla &&
	       a->sla_first_target == b->sla_first_target &&
	       a->sla_next_target == b->sla_next_target && a->unknown == b->unknown;
}

bool conversation_waiting_on_customer(const struct conversation *c)
{
	if (c->unknown & (CONV_UNKNOWN_STATE | CONV_UNKNOWN_WAITING | CONV_UNKNOWN_STATISTICS))
		return false;
	return c->state == CONV_OPEN && c->waiting_since == 0 && c->last_admin_reply_at != 0 &&
	       c->last_admin_reply_at >= c->last_contact_reply_at;
}

static bool is_preview_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Collapses white space in text (taken over) to single spaces and cuts it to
 * MODEL_PREVIEW_MAX bytes on a character boundary with "…". NULL when nothing is left. */
static char *preview_from_text(char *text)
{
	static const char ellipsis[] = "\xe2\x80\xa6";
	size_t w = 0, cut;

	for (size_t r = 0; text[r]; r++) {
		if (!is_preview_space(text[r])) {
			text[w++] = text[r];
			continue;
		}
		if (w > 0 && text[w - 1] != ' ')
			text[w++] = ' ';
	}
	while (w > 0 && text[w - 1] == ' ')
		w--;
	text[w] = '\0';
	if (w == 0) {
		free(text);
		return NULL;
	}
	if (w <= MODEL_PREVIEW_MAX)
		return text;
	cut = MODEL_PREVIEW_MAX - (sizeof(ellipsis) - 1);
	while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80)
		cut--;
	while (cut > 0 && text[cut - 1] == ' ')
		cut--;
	memcpy(text + cut, ellipsis, sizeof(ellipsis));
	return text;
}

char *conversation_preview(const struct conversation *c)
{
	if (!c->body)
		return NULL;
	return preview_from_text(c->body_is_html ? html_to_text(c->body) : xstrdup(c->body));
}

char *model_cut_utf8(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len <= max)
		return xstrdup(s);
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return xstrndup(s, max);
}

size_t thread_gap_index(const struct thread *t)
{
	return t->n_parts > 0 && t->parts[0].kind && !strcmp(t->parts[0].kind, "source");
}

char *thread_gap_text(const struct thread *t)
{
	size_t shown = t->n_parts - thread_gap_index(t);

	if (t->n_missing <= 0)
		return NULL;
	return xasprintf("%ld earlier part%s not shown: Intercom sends only the %zu most recent of "
			 "%ld",
			 t->n_missing, t->n_missing == 1 ? "" : "s", shown,
			 t->n_missing + (long)shown);
}

/* Whether name is among the n names of list. */
static bool name_in(char *const *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

/* The names of a that b lacks, joined by ", " into out; how many. */
static size_t names_missing(GString *out, const struct thread_part *a, char *const *b, size_t nb)
{
	size_t i, n = 0;

	for (i = 0; i < a->n_tags; i++)
		if (!name_in(b, nb, a->tags[i]))
			g_string_append_printf(out, "%s%s", n++ ? ", " : "", a->tags[i]);
	return n;
}

/* A tags change: what it added and removed, against the tags the part before it left. */
static void tags_event(GString *s, const struct thread *t, size_t i)
{
	const struct thread_part *part = &t->parts[i], *before = NULL;
	GString *added = g_string_new(NULL), *removed = g_string_new(NULL);
	size_t n_added, n_removed = 0, k;

	for (k = i; k > 0 && !before; k--)
		if (t->parts[k - 1].has_tags)
			before = &t->parts[k - 1];
	if (!before) {
		/* the first change told: the tags before it are not known */
		g_string_append(s, part->n_tags ? "tags set to " : "tags cleared");
		for (k = 0; k < part->n_tags; k++)
			g_string_append_printf(s, "%s%s", k ? ", " : "", part->tags[k]);
	} else {
		n_added = names_missing(added, part, before->tags, before->n_tags);
		n_removed = names_missing(removed, before, part->tags, part->n_tags);
		if (n_added)
			g_string_append_printf(s, "tag%s added: %s", n_added > 1 ? "s" : "", added->str);
		if (n_removed)
			g_string_append_printf(s, "%stag%s removed: %s", n_added ? "; " : "",
					       n_removed > 1 ? "s" : "", removed->str);
		if (!n_added && !n_removed)
			g_string_append(s, "tags unchanged");
	}
	g_string_free(added, TRUE);
	g_string_free(removed, TRUE);
}

/* t as the thread shows times: "2026-03-02 09:00" in local time, "?" when unknown. */
static void format_when(fl_time t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !localtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M", &tm))
		snprintf(buf, len, "?");
}

/* Whether no later part of t than i is a snooze. */
static bool last_snooze(const struct thread *t, size_t i)
{
	size_t k;

	for (k = i + 1; k < t->n_parts; k++)
		if (t->parts[k].kind && !strcmp(t->parts[k].kind, "snoozed"))
			return false;
	return true;
}

char *thread_event_text(const struct thread *t, size_t i, const struct directory *d)
{
	const struct thread_part *part = &t->parts[i];
	const char *kind = part->kind ? part->kind : "?", *name;
	const char *who = part->author ? part->author : part->from_admin ? "agent" : "customer";
	GString *s = g_string_new(NULL);

	if (!strcmp(kind, "assignment") && part->assigned == PART_ASSIGNED_NOBODY) {
		g_string_append(s, "unassigned");
	} else if (!strcmp(kind, "assignment") && part->assigned == PART_ASSIGNED_ADMIN) {
		name = d ? directory_name(d->admins, d->n_admins, part->assigned_id) : NULL;
		if (name)
			g_string_append_printf(s, "assigned to %s", name);
		else
			g_string_append_printf(s, "assigned to teammate %lld",
					       (long long)part->assigned_id);
	} else if (!strcmp(kind, "assignment") && part->assigned == PART_ASSIGNED_TEAM) {
		name = d ? directory_name(d->teams, d->n_teams, part->assigned_id) : NULL;
		if (name)
			g_string_append_printf(s, "assigned to team %s", name);
		else
			g_string_append_printf(s, "assigned to team %lld", (long long)part->assigned_id);
	} else if (!strcmp(kind, "conversation_tags_updated") || part->has_tags) {
		tags_event(s, t, i);
	} else if (!strcmp(kind, "snoozed") && t->conv.state == CONV_SNOOZED &&
		   t->conv.snoozed_until && last_snooze(t, i)) {
		char when[32];

		format_when(t->conv.snoozed_until, when, sizeof(when));
		g_string_append_printf(s, "snoozed until %s", when);
	} else if (!strcmp(kind, "close")) {
		g_string_append(s, "closed");
	} else if (!strcmp(kind, "open")) {
		g_string_append(s, "reopened");
	} else {
		g_string_append(s, kind);
	}
	g_string_append_printf(s, " by %s", who);
	return g_string_free(s, FALSE);
}

bool thread_part_is_message(const struct thread_part *part)
{
	return part->kind && (!strcmp(part->kind, "comment") || !strcmp(part->kind, "source") ||
			      !strcmp(part->kind, "note"));
}

char *thread_part_head(const struct thread *t, size_t i, const struct directory *d)
{
	const struct thread_part *part = &t->parts[i];
	const char *who = part->author ? part->author : part->from_admin ? "agent" : "customer";
	char when[32], *event, *head;

	format_when(part->at, when, sizeof(when));
	if (part->kind && !strcmp(part->kind, "note"))
		return xasprintf("## NOTE  %s  %s", who, when);
	if (thread_part_is_message(part))
		return xasprintf(part->from_admin ? ">> %s (agent)  %s" : "<< %s (customer)  %s", who,
				 when);
	event = thread_event_text(t, i, d);
	head = xasprintf("-- %s  %s", event, when);
	free(event);
	return head;
}

void thread_release(struct thread *t)
{
	size_t i, k;

	conversation_release(&t->conv);
	for (i = 0; i < t->n_parts; i++) {
		free(t->parts[i].kind);
		free(t->parts[i].author);
		free(t->parts[i].body);
		for (k = 0; k < t->parts[i].n_tags; k++)
			free(t->parts[i].tags[k]);
		free(t->parts[i].tags);
	}
	free(t->parts);
	free(t->contact_id);
	memset(t, 0, sizeof(*t));
}

void customer_release(struct customer *c)
{
	size_t i;

	free(c->contact_id);
	free(c->name);
	free(c->email);
	free(c->company);
	free(c->plan);
	free(c->city);
	free(c->region);
	free(c->country);
	for (i = 0; i < c->n_previous; i++)
		free(c->previous[i].title);
	free(c->previous);
	for (i = 0; i < c->n_tags; i++)
		free(c->tags[i]);
	free(c->tags);
	memset(c, 0, sizeof(*c));
}

char *customer_time_zone(const char *city)
{
	const char *dir = getenv("TZDIR");
	char *path, *want, *found = NULL, line[512];
	FILE *f;

	if (!city || !*city)
		return NULL;
	want = g_strdelimit(g_strdup(city), " ", '_');
	path = g_build_filename(dir && *dir ? dir : "/usr/share/zoneinfo", "zone1970.tab", NULL);
	f = fopen(path, "r");
	g_free(path);
	while (f && !found && fgets(line, sizeof(line), f)) {
		gchar **fields = line[0] == '#' ? NULL : g_strsplit(g_strchomp(line), "\t", 4);
		const char *zone = fields && fields[0] && fields[1] ? fields[2] : NULL;
		const char *last = zone ? strrchr(zone, '/') : NULL;

		if (last && !strcmp(last + 1, want))
			found = xstrdup(zone);
		g_strfreev(fields);
	}
	if (f)
		fclose(f);
	g_free(want);
	return found;
}

char *customer_local_time(const char *zone, fl_time now)
{
	GTimeZone *tz = zone ? g_time_zone_new_identifier(zone) : NULL;
	GDateTime *t = tz ? g_date_time_new_from_unix_utc((gint64)now) : NULL;
	GDateTime *local = t ? g_date_time_to_timezone(t, tz) : NULL;
	gchar *text = local ? g_date_time_format(local, "%H:%M %a") : NULL;
	char *out = text ? xstrdup(text) : NULL;

	g_free(text);
	if (local)
		g_date_time_unref(local);
	if (t)
		g_date_time_unref(t);
	if (tz)
		g_time_zone_unref(tz);
	return out;
}
