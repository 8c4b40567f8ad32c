/* replies.h: saved replies: placeholders filled from the conversation's customer and the
 * agent, the fuzzy match that picks one by name, and a reply's text put into a draft as a
 * paragraph of its own. Pure logic, no I/O. */
#ifndef FRONTLINE_REPLIES_H
#define FRONTLINE_REPLIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A saved reply: a backend's macro or one of the agent's own. */
struct saved_reply {
	char *id;	   /* owned; the backend's id, or NULL for a personal one */
	char *name;	   /* owned */
	char *text;	   /* owned; plain text with Intercom's placeholders */
	bool everyone;	   /* visible to every teammate */
	int64_t *team_ids; /* owned; else visible to these teams' members */
	size_t n_team_ids;
};

/* Frees what r holds (not r itself) and zeroes it. */
void saved_reply_release(struct saved_reply *r);
/* Whether r is visible to an agent in the teams given. */
bool replies_visible(const struct saved_reply *r, const int64_t *teams, size_t n_teams);

/* What the placeholders may name; NULL or "" is unknown. */
struct reply_context {
	const char *user_name;	/* the customer's name */
	const char *user_email; /* the customer's email */
	const char *admin_name; /* the agent's full name */
	const char *admin_email;
};

/* body_text with each Intercom placeholder, {{user.name|fallback:"there"}} (spaces around
 * the bar and the colon, and single quotes, allowed), or Chatwoot variable,
 * {{ contact.first_name | default: 'there' }}, replaced: user.name, user.first_name,
 * user.email (contact.* the same), admin.name / admin.first_name / admin.email
 * (teammate.* and agent.* the same) by their values; when the value is empty or unknown, or the placeholder names anything else,
 * by its fallback, or by nothing when it has none. Text outside placeholders stays as it
 * is. Returns a new string; the caller frees it. NULL gives "". */
char *replies_fill(const char *body_text, const struct reply_context *ctx);

/* How well pattern matches name as a subsequence, case-insensitively: -1 when it does
 * not; else higher for consecutive matches, matches at the start of words and an earlier
 * first match. An empty pattern matches everything with 0. */
int replies_fuzzy_score(const char *pattern, const char *name);

/* draft with add appended as a paragraph of its own: the draft's trailing white space
 * becomes one blank line (none when the draft is blank), and the result ends with a
 * newline. Returns a new string; the caller frees it. */
char *replies_join_paragraph(const char *draft, const char *add);

#endif
