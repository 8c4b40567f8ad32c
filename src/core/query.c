/* query.c: the queue filter: parsing what the agent typed after `/` into terms, and
 * matching a conversation against them. */
#include "build-config.h"

#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sla.h"

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* ASCII-only folding: the same in every locale, and UTF-8 bytes stay as they are. */
static char fold(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static bool equal_folded(const char *a, const char *b)
{
	while (*a && fold(*a) == fold(*b)) {
		a++;
		b++;
	}
	return fold(*a) == fold(*b);
}

/* Whether needle occurs in haystack, ignoring ASCII case. */
static bool contains_folded(const char *haystack, const char *needle)
{
	size_t i;

	if (!haystack)
		return false;
	for (; *haystack; haystack++) {
		for (i = 0; needle[i] && fold(haystack[i]) == fold(needle[i]); i++)
			;
		if (!needle[i])
			return true;
	}
	return !*needle;
}

/* Copies the next word of *s into word (cap bytes); a word in double quotes may hold
 * spaces. Returns 1 for a plain word, 2 for a quoted one, 0 at the end, -1 if too long
 * or unterminated. */
static int next_word(const char **s, char *word, size_t cap)
{
	const char *p = *s;
	size_t n = 0;
	bool quoted;

	while (is_space(*p))
		p++;
	if (!*p)
		return 0;
	quoted = *p == '"';
	if (quoted)
		p++;
	while (*p && (quoted ? *p != '"' : !is_space(*p))) {
		if (n + 1 >= cap)
			return -1;
		word[n++] = *p++;
	}
	if (quoted) {
		if (*p != '"')
			return -1;
		p++;
	}
	word[n] = '\0';
	*s = p;
	return quoted ? 2 : 1;
}

static int parse_sla(const char *arg, struct query_term *t, char *err, size_t errlen)
{
	if ((arg[0] != '<' && arg[0] != '>') || sla_parse_duration(arg + 1, &t->seconds) != 0 ||
	    t->seconds <= 0) {
		snprintf(err, errlen, "sla: wants < or > and a duration, as in sla:<5m or sla:>1h");
		return -1;
	}
	t->kind = arg[0] == '<' ? QUERY_SLA_UNDER : QUERY_SLA_OVER;
	return 0;
}

/* One key:value or bare word into t. */
static int parse_term(const char *word, struct query_term *t, char *err, size_t errlen)
{
	const char *colon = strchr(word, ':');
	size_t keylen = colon ? (size_t)(colon - word) : 0;
	const char *arg = colon ? colon + 1 : NULL;

	memset(t, 0, sizeof(*t));
	if (!colon) {
		if (equal_folded(word, "unassigned"))
			t->kind = QUERY_UNASSIGNED;
		else if (equal_folded(word, "breached"))
			t->kind = QUERY_BREACHED;
		else if (equal_folded(word, "warning"))
			t->kind = QUERY_WARNING;
		else if (equal_folded(word, "unknown"))
			t->kind = QUERY_UNKNOWN;
		else
			t->kind = QUERY_TEXT;
		snprintf(t->text, sizeof(t->text), "%s", word);
		return 0;
	}
	if (keylen == 3 && strncmp(word, "sla", 3) == 0)
		return parse_sla(arg, t, err, errlen);
	if (keylen == 8 && strncmp(word, "priority", 8) == 0) {
		if (priority_from_word(arg) < 0) {
			snprintf(err, errlen,
				 "priority: wants none, low, medium, high or urgent, as in "
				 "priority:high");
			return -1;
		}
		t->kind = QUERY_PRIORITY;
		t->seconds = priority_from_word(arg);
		return 0;
	}
	if (keylen == 5 && strncmp(word, "state", 5) == 0) {
		t->kind = QUERY_STATE;
		if (equal_folded(arg, "open"))
			t->seconds = CONV_OPEN;
		else if (equal_folded(arg, "snoozed"))
			t->seconds = CONV_SNOOZED;
		else if (equal_folded(arg, "closed"))
			t->seconds = CONV_CLOSED;
		else {
			snprintf(err, errlen,
				 "state: wants open, snoozed or closed, as in state:snoozed");
			return -1;
		}
		return 0;
	}
	if (keylen == 4 && strncmp(word, "team", 4) == 0) {
		if (!*arg) {
			snprintf(err, errlen, "team: wants a name, as in team:Support");
			return -1;
		}
		t->kind = QUERY_TEAM;
		snprintf(t->text, sizeof(t->text), "%s", arg);
		return 0;
	}
	if ((keylen == 3 && strncmp(word, "tag", 3) == 0) ||
	    (keylen == 8 && strncmp(word, "assignee", 8) == 0)) {
		if (!*arg) {
			snprintf(err, errlen, "%.*s: wants a name, as in %.*s:NAME", (int)keylen,
				 word, (int)keylen, word);
			return -1;
		}
		t->kind = keylen == 3		    ? QUERY_TAG
			  : equal_folded(arg, "me") ? QUERY_ASSIGNEE_ME
						    : QUERY_ASSIGNEE;
		snprintf(t->text, sizeof(t->text), "%s", arg);
		return 0;
	}
	snprintf(err, errlen,
		 "unknown filter \"%.*s:\" (tag:, assignee:, team:, state:, sla:, priority:, "
		 "unassigned, "
		 "breached, warning, unknown; \"quote\" text with a colon)",
		 (int)(keylen > 20 ? 20 : keylen), word);
	return -1;
}

int query_parse(const char *text, struct query *q, char *err, size_t errlen)
{
	char word[QUERY_TEXT_MAX];
	const char *p = text ? text : "";
	int r;

	memset(q, 0, sizeof(*q));
	while ((r = next_word(&p, word, sizeof(word))) != 0) {
		struct query_term *t;

		if (r < 0) {
			snprintf(err, errlen, "a term is too long or a quote is not closed");
			goto fail;
		}
		if (q->n_terms == QUERY_MAX_TERMS) {
			snprintf(err, errlen, "at most %d terms", QUERY_MAX_TERMS);
			goto fail;
		}
		t = &q->terms[q->n_terms];
		if (r == 2) {
			t->kind = QUERY_TEXT;
			snprintf(t->text, sizeof(t->text), "%s", word);
		} else if (parse_term(word, t, err, errlen) < 0) {
			goto fail;
		}
		if (t->kind == QUERY_SLA_UNDER || t->kind == QUERY_SLA_OVER)
			q->uses_time = true;
		q->n_terms++;
	}
	return 0;
fail:
	memset(q, 0, sizeof(*q));
	return -1;
}

static bool has_tag(const struct conversation *c, const struct directory *dir, const char *want)
{
	char num[32];
	size_t i;

	for (i = 0; i < c->n_tags; i++) {
		const char *name =
		    dir ? directory_name(dir->tags, dir->n_tags, c->tag_ids[i]) : NULL;

		snprintf(num, sizeof(num), "%lld", (long long)c->tag_ids[i]);
		if ((name && equal_folded(name, want)) || strcmp(num, want) == 0)
			return true;
	}
	return false;
}

/* Whether id (0: nobody) is want: the name list gives it, in any case, or its number. */
static bool id_named(const struct directory_entry *list, size_t n, int64_t id, const char *want)
{
	const char *name;
	char num[32];

	if (!id)
		return false;
	name = list ? directory_name(list, n, id) : NULL;
	snprintf(num, sizeof(num), "%lld", (long long)id);
	return (name && equal_folded(name, want)) || strcmp(num, want) == 0;
}

static bool assigned_to(const struct conversation *c, const struct directory *dir, const char *want)
{
	return id_named(dir ? dir->admins : NULL, dir ? dir->n_admins : 0, c->admin_assignee_id,
			want);
}

static bool in_team(const struct conversation *c, const struct directory *dir, const char *want)
{
	return id_named(dir ? dir->teams : NULL, dir ? dir->n_teams : 0, c->team_assignee_id, want);
}

static bool text_matches(const struct conversation *c, const char *want)
{
	char *preview;
	bool found;

	if (contains_folded(c->customer, want) || contains_folded(c->title, want))
		return true;
	/* The preview costs an HTML parse: only when the cheap fields missed. */
	preview = conversation_preview(c);
	found = contains_folded(preview, want);
	free(preview);
	return found;
}

static bool clock_running(const struct store_entry *e) { return e->clock.state >= SLA_OK; }

/* The terms that read the clock, which a queue gives: a record alone cannot tell them. */
static bool term_of_clock(enum query_kind k)
{
	return k == QUERY_SLA_UNDER || k == QUERY_SLA_OVER || k == QUERY_BREACHED ||
	       k == QUERY_WARNING || k == QUERY_UNKNOWN;
}

bool query_uses_clock(const struct query *q)
{
	size_t i;

	for (i = 0; i < q->n_terms; i++)
		if (term_of_clock(q->terms[i].kind))
			return true;
	return false;
}

/* A term of the record (not of the clock). */
static bool record_term_matches(const struct query_term *t, const struct conversation *c,
				const struct directory *dir, int64_t me)
{
	switch (t->kind) {
	case QUERY_TAG:
		return has_tag(c, dir, t->text);
	case QUERY_ASSIGNEE:
		return assigned_to(c, dir, t->text);
	case QUERY_ASSIGNEE_ME:
		return me != 0 && c->admin_assignee_id == me;
	case QUERY_UNASSIGNED:
		return c->admin_assignee_id == 0;
	case QUERY_PRIORITY:
		return c->priority == t->seconds;
	case QUERY_TEXT:
		return text_matches(c, t->text);
	case QUERY_TEAM:
		return in_team(c, dir, t->text);
	case QUERY_STATE:
		return !(c->unknown & CONV_UNKNOWN_STATE) && c->state == (enum conv_state)t->seconds;
	default:
		return true;
	}
}

static bool term_matches(const struct query_term *t, const struct store_entry *e,
			 const struct directory *dir, int64_t me, fl_time now)
{
	switch (t->kind) {
	case QUERY_SLA_UNDER:
		return clock_running(e) &&
		       (e->clock.state == SLA_BREACHED || e->clock.deadline - now < t->seconds);
	case QUERY_SLA_OVER:
		return clock_running(e) && e->clock.state != SLA_BREACHED &&
		       e->clock.deadline - now > t->seconds;
	case QUERY_BREACHED:
		return e->clock.state == SLA_BREACHED;
	case QUERY_WARNING:
		return e->clock.state == SLA_WARNING;
	case QUERY_UNKNOWN:
		return e->clock.state == SLA_UNKNOWN;
	default:
		return record_term_matches(t, &e->conv, dir, me);
	}
}

bool query_match_record(const struct query *q, const struct conversation *c,
			const struct directory *dir, int64_t me)
{
	size_t i;

	for (i = 0; i < q->n_terms; i++)
		if (!term_of_clock(q->terms[i].kind) && !record_term_matches(&q->terms[i], c, dir, me))
			return false;
	return true;
}

bool query_match(const struct query *q, const struct store_entry *e, const struct directory *dir,
		 int64_t me, fl_time now)
{
	size_t i;

	for (i = 0; i < q->n_terms; i++)
		if (!term_matches(&q->terms[i], e, dir, me, now))
			return false;
	return true;
}
