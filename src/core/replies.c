/* replies.c: saved replies' placeholders, their fuzzy match, and a paragraph put into a
 * draft. */
#include "build-config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replies.h"
#include "util.h"

struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	xgrow(&b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static bool known(const char *s) { return s && *s; }

/* The first word of a name ("Ann Lee" gives "Ann"), into a new string; NULL for none. */
static char *first_word(const char *name)
{
	size_t n;

	if (!known(name))
		return NULL;
	while (*name == ' ')
		name++;
	n = strcspn(name, " ");
	return n ? xstrndup(name, n) : NULL;
}

/* The value key names, as a new string, or NULL when unknown or empty. */
static char *placeholder_value(const char *key, size_t len, const struct reply_context *ctx)
{
	/* Intercom's names, then Chatwoot's (its message variables) */
	static const char *const customers[] = {"user.", "contact."};
	static const char *const admins[] = {"admin.", "teammate.", "agent."};
	const char *field = NULL, *name = NULL, *email = NULL;
	size_t i;

	if (!ctx)
		return NULL;
	for (i = 0; i < 2 && !field; i++)
		if (len > strlen(customers[i]) &&
		    !strncmp(key, customers[i], strlen(customers[i]))) {
			field = key + strlen(customers[i]);
			name = ctx->user_name;
			email = ctx->user_email;
		}
	for (i = 0; i < 3 && !field; i++)
		if (len > strlen(admins[i]) && !strncmp(key, admins[i], strlen(admins[i]))) {
			field = key + strlen(admins[i]);
			name = ctx->admin_name;
			email = ctx->admin_email;
		}
	if (!field)
		return NULL;
	len -= (size_t)(field - key);
	if (len == 4 && !strncmp(field, "name", 4))
		return known(name) ? xstrdup(name) : NULL;
	if (len == 10 && !strncmp(field, "first_name", 10))
		return first_word(name);
	if (len == 5 && !strncmp(field, "email", 5))
		return known(email) ? xstrdup(email) : NULL;
	return NULL;
}

static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	return p;
}

/* Fills the placeholder between start and end ("user.name|fallback:\"x\"", braces off);
 * false when it is not one (the text then stays as it is). */
static bool fill_one(struct buf *out, const char *start, const char *end,
		     const struct reply_context *ctx)
{
	const char *p = skip_spaces(start, end), *key = p, *fb = NULL;
	size_t key_len, fb_len = 0;
	char *value;

	while (p < end && (isalnum((unsigned char)*p) || *p == '.' || *p == '_'))
		p++;
	key_len = (size_t)(p - key);
	if (!key_len)
		return false;
	p = skip_spaces(p, end);
	if (p < end && *p == '|') {
		/* Intercom's fallback, or the Liquid filter Chatwoot's variables take */
		size_t word = 0;

		p = skip_spaces(p + 1, end);
		if ((size_t)(end - p) >= 9 && !strncmp(p, "fallback", 8))
			word = 8;
		else if ((size_t)(end - p) >= 8 && !strncmp(p, "default", 7))
			word = 7;
		if (!word)
			return false;
		p = skip_spaces(p + word, end);
		if (p >= end || *p != ':')
			return false;
		p = skip_spaces(p + 1, end);
		if (p >= end || (*p != '"' && *p != '\''))
			return false;
		fb = p + 1;
		p = memchr(fb, *p, (size_t)(end - fb));
		if (!p)
			return false;
		fb_len = (size_t)(p - fb);
		p = skip_spaces(p + 1, end);
	}
	if (p != end)
		return false;
	value = placeholder_value(key, key_len, ctx);
	if (value)
		buf_add(out, value, strlen(value));
	else if (fb)
		buf_add(out, fb, fb_len);
	free(value);
	return true;
}

char *replies_fill(const char *body_text, const struct reply_context *ctx)
{
	struct buf out = {NULL, 0, 0};
	const char *p = body_text ? body_text : "", *open, *close;

	buf_add(&out, "", 0);
	while ((open = strstr(p, "{{")) != NULL && (close = strstr(open + 2, "}}")) != NULL) {
		buf_add(&out, p, (size_t)(open - p));
		if (!fill_one(&out, open + 2, close, ctx))
			buf_add(&out, open, (size_t)(close + 2 - open));
		p = close + 2;
	}
	buf_add(&out, p, strlen(p));
	return out.s;
}

int replies_fuzzy_score(const char *pattern, const char *name)
{
	const char *n = name ? name : "";
	int score = 0, run = 0, first = -1;
	size_t i = 0;

	if (!pattern || !*pattern)
		return 0;
	for (; *pattern; pattern++) {
		char want = (char)tolower((unsigned char)*pattern);

		if (want == ' ')
			continue;
		while (n[i] && tolower((unsigned char)n[i]) != want) {
			i++;
			run = 0;
		}
		if (!n[i])
			return -1;
		if (first < 0)
			first = (int)i;
		score += 1 + 4 * run;
		if (i == 0 || !isalnum((unsigned char)n[i - 1]))
			score += 5;
		run++;
		i++;
	}
	return score * 100 - (first > 99 ? 99 : first);
}

char *replies_join_paragraph(const char *draft, const char *add)
{
	const char *d = draft ? draft : "", *a = add ? add : "";
	size_t dn = strlen(d), an;

	while (dn > 0 && strchr(" \t\r\n", d[dn - 1]))
		dn--;
	while (*a == '\n' || *a == '\r')
		a++;
	an = strlen(a);
	while (an > 0 && strchr(" \t\r\n", a[an - 1]))
		an--;
	return xasprintf("%.*s%s%.*s\n", (int)dn, d, dn ? "\n\n" : "", (int)an, a);
}

void saved_reply_release(struct saved_reply *r)
{
	free(r->id);
	free(r->name);
	free(r->text);
	free(r->team_ids);
	memset(r, 0, sizeof(*r));
}

bool replies_visible(const struct saved_reply *r, const int64_t *teams, size_t n_teams)
{
	size_t i, j;

	if (r->everyone)
		return true;
	for (i = 0; i < r->n_team_ids; i++)
		for (j = 0; j < n_teams; j++)
			if (r->team_ids[i] == teams[j])
				return true;
	return false;
}
