/* directory.c: looking up teams, teammates and tags by id and by name. */
#include "build-config.h"

#include "directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "util.h"

/* How many admins' emails a message names. */
#define AGENT_EXAMPLES 3

void directory_entry_release(struct directory_entry *e)
{
	free(e->name);
	free(e->email);
	free(e->team_ids);
	memset(e, 0, sizeof(*e));
}

static void entries_free(struct directory_entry *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		directory_entry_release(&list[i]);
	free(list);
}

void directory_release(struct directory *d)
{
	free(d->me_name);
	free(d->me_email);
	free(d->me_refusal);
	entries_free(d->teams, d->n_teams);
	entries_free(d->admins, d->n_admins);
	entries_free(d->tags, d->n_tags);
	memset(d, 0, sizeof(*d));
}

const char *directory_name(const struct directory_entry *list, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i].id == id)
			return list[i].name;
	return NULL;
}

int64_t directory_find(const struct directory_entry *list, size_t n, const char *name)
{
	long long id;
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i].name && !strcasecmp(list[i].name, name))
			return list[i].id;
	if (util_parse_ll(name, 1, INT64_MAX, &id) == 0)
		for (i = 0; i < n; i++)
			if (list[i].id == id)
				return id;
	return 0;
}

/* Collects the teammates and teams who matches: whole (prefix false) or its start. */
static size_t match_assignees(const struct directory *d, const char *who, bool prefix,
			      const struct directory_entry **hits, bool *team, size_t max)
{
	size_t i, n = 0, len = strlen(who);
	long long id = 0;
	bool numeric = util_parse_ll(who, 1, INT64_MAX, &id) == 0;

#define FITS(s) ((s) && (prefix ? !strncasecmp((s), who, len) : !strcasecmp((s), who)))
	for (i = 0; i < d->n_admins && n < max; i++)
		if ((!d->admins[i].bot || !prefix) &&
		    (FITS(d->admins[i].email) || FITS(d->admins[i].name) ||
		     (!prefix && numeric && d->admins[i].id == id))) {
			hits[n] = &d->admins[i];
			team[n++] = false;
		}
	for (i = 0; i < d->n_teams && n < max; i++)
		if (FITS(d->teams[i].name) || (!prefix && numeric && d->teams[i].id == id)) {
			hits[n] = &d->teams[i];
			team[n++] = true;
		}
#undef FITS
	return n;
}

int directory_find_assignee(const struct directory *d, const char *who,
			    enum directory_assignee_kind *kind, int64_t *id, char *err,
			    size_t errlen)
{
	enum { MAX_HITS = 8 };
	const struct directory_entry *hits[MAX_HITS];
	bool team[MAX_HITS];
	size_t n, i, at;
	char *safe;

	char *trimmed;
	int rc;

	while (who && (*who == ' ' || *who == '\t'))
		who++;
	if (who && *who && strchr(" \t", who[strlen(who) - 1])) {
		/* "tom@example.com " as a completion leaves it */
		trimmed = xstrdup(who);
		while (*trimmed && strchr(" \t", trimmed[strlen(trimmed) - 1]))
			trimmed[strlen(trimmed) - 1] = '\0';
		rc = directory_find_assignee(d, trimmed, kind, id, err, errlen);
		free(trimmed);
		return rc;
	}
	if (!who || !*who) {
		snprintf(err, errlen, "assign to whom? me, none, a teammate's email or name, or a team");
		return -1;
	}
	*id = 0;
	if (!strcasecmp(who, "me") || !strcasecmp(who, "none")) {
		*kind = !strcasecmp(who, "me") ? DIRECTORY_ASSIGN_ME : DIRECTORY_ASSIGN_NOBODY;
		*id = *kind == DIRECTORY_ASSIGN_ME ? d->me : 0;
		return 0;
	}
	n = match_assignees(d, who, false, hits, team, MAX_HITS);
	if (!n)
		n = match_assignees(d, who, true, hits, team, MAX_HITS);
	if (n == 1) {
		*kind = team[0] ? DIRECTORY_ASSIGN_TEAM : DIRECTORY_ASSIGN_TEAMMATE;
		*id = hits[0]->id;
		return 0;
	}
	safe = text_sanitize(who, false);
	if (!n) {
		snprintf(err, errlen,
			 "no teammate or team matches \"%s\": give a teammate's email or name, a "
			 "team's name, me or none",
			 safe);
		free(safe);
		return -1;
	}
	at = (size_t)snprintf(err, errlen, "\"%s\" matches more than one; say which:", safe);
	free(safe);
	for (i = 0; i < n && at < errlen; i++) {
		const char *name = hits[i]->email && !team[i] ? hits[i]->email : hits[i]->name;
		char *show = text_sanitize(name ? name : "?", false);

		at += (size_t)snprintf(err + at, errlen - at, "%s %s (%s %lld)", i ? "," : "", show,
				       team[i] ? "team" : "teammate", (long long)hits[i]->id);
		free(show);
	}
	return -1;
}

/* A few human admins' emails, ", "-separated, made safe to show; "" when none. */
static char *human_examples(const struct directory *d, size_t *n_humans)
{
	char *list = xstrdup(""), *next;
	size_t i, shown = 0;

	*n_humans = 0;
	for (i = 0; i < d->n_admins; i++) {
		const struct directory_entry *a = &d->admins[i];

		if (a->bot)
			continue;
		++*n_humans;
		if (shown < AGENT_EXAMPLES && a->email && *a->email) {
			char *safe = text_sanitize(a->email, false);

			next = xasprintf("%s%s%s", list, shown ? ", " : "", safe);
			free(safe);
			free(list);
			list = next;
			shown++;
		}
	}
	return list;
}

static void agent_set(struct directory *d, const struct directory_entry *a,
		      enum directory_agent_source source)
{
	d->me = a->id;
	free(d->me_name);
	free(d->me_email);
	d->me_name = a->name ? xstrdup(a->name) : NULL;
	d->me_email = a->email ? xstrdup(a->email) : NULL;
	d->me_away = a->away;
	d->me_bot = a->bot;
	d->me_source = source;
	free(d->me_refusal);
	d->me_refusal = NULL;
}

int directory_choose_agent(struct directory *d, const struct directory_entry *owner,
			   const char *wanted, bool from_env, char *err, size_t errlen)
{
	const char *where = from_env ? "$FRONTLINE_ADMIN" : "admin = under [backend]";
	size_t i, humans;
	long long id;
	char *examples, *safe;

	if (wanted && *wanted) {
		bool numeric = util_parse_ll(wanted, 1, INT64_MAX, &id) == 0;

		for (i = 0; i < d->n_admins; i++) {
			const struct directory_entry *a = &d->admins[i];

			if ((numeric && a->id == id) ||
			    (!numeric && a->email && !strcasecmp(a->email, wanted))) {
				agent_set(d, a, from_env ? DIRECTORY_AGENT_ENV : DIRECTORY_AGENT_CONFIG);
				return 0;
			}
		}
		examples = human_examples(d, &humans);
		safe = text_sanitize(wanted, false);
		snprintf(err, errlen,
			 "no admin of the workspace has the %s \"%s\" (%s); give an admin's email "
			 "or id%s%s",
			 numeric ? "id" : "email", safe, where, *examples ? ", e.g. " : "", examples);
		free(safe);
		free(examples);
		return -1;
	}
	examples = human_examples(d, &humans);
	for (i = 0; i < d->n_admins; i++)
		if (!d->admins[i].bot && d->admins[i].id != owner->id)
			break;
	if (i == d->n_admins) {
		/* nobody else to be: the token's owner, as /me has it */
		agent_set(d, owner, DIRECTORY_AGENT_OWNER);
	} else {
		d->me = 0;
		d->me_source = DIRECTORY_AGENT_NONE;
		free(d->me_refusal);
		d->me_refusal = xasprintf(
		    "writes refused: frontline does not know which of the %zu human admins you "
		    "are; set admin = EMAIL under [backend] in the configuration, or "
		    "$FRONTLINE_ADMIN (e.g. %s%s)",
		    humans, examples, humans > AGENT_EXAMPLES ? ", ..." : "");
	}
	free(examples);
	return 0;
}

int directory_token_agent(struct directory *d, const struct directory_entry *owner,
			  const char *wanted, bool from_env, char *err, size_t errlen)
{
	long long id;
	char *safe;

	if (wanted && *wanted) {
		bool numeric = util_parse_ll(wanted, 1, INT64_MAX, &id) == 0;

		if (numeric ? owner->id != id
			    : !owner->email || strcasecmp(owner->email, wanted) != 0) {
			safe = text_sanitize(wanted, false);
			snprintf(err, errlen,
				 "%s names \"%s\", but this backend writes as the agent whose access "
				 "token frontline uses (%s): remove %s, or use that agent's token",
				 from_env ? "$FRONTLINE_ADMIN" : "admin = under [backend]", safe,
				 owner->email ? owner->email : "its profile has no email",
				 from_env ? "it" : "the line");
			free(safe);
			return -1;
		}
	}
	agent_set(d, owner, !wanted || !*wanted ? DIRECTORY_AGENT_TOKEN
			    : from_env		? DIRECTORY_AGENT_ENV
						: DIRECTORY_AGENT_CONFIG);
	return 0;
}

const char *directory_agent_why(const struct directory *d)
{
	switch (d->me_source) {
	case DIRECTORY_AGENT_CONFIG: return "admin = in the configuration";
	case DIRECTORY_AGENT_ENV: return "$FRONTLINE_ADMIN";
	case DIRECTORY_AGENT_OWNER: return "the token's owner, the only human admin";
	case DIRECTORY_AGENT_TOKEN: return "the token's own agent, the only one it writes as";
	case DIRECTORY_AGENT_NONE: break;
	}
	return "nobody: several human admins and none named";
}
