/* backend.c: what every backend driver shares: the directory of teams, teammates and
 * tags, and conversation threads. */
#include "build-config.h"

#include "backend.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static void named_free(struct named_id *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i].name);
	free(list);
}

void directory_release(struct directory *d)
{
	free(d->me_name);
	named_free(d->teams, d->n_teams);
	named_free(d->admins, d->n_admins);
	named_free(d->tags, d->n_tags);
	memset(d, 0, sizeof(*d));
}

const char *directory_name(const struct named_id *list, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i].id == id)
			return list[i].name;
	return NULL;
}

int64_t directory_find(const struct named_id *list, size_t n, const char *name)
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

void thread_release(struct thread *t)
{
	size_t i;

	conversation_release(&t->conv);
	for (i = 0; i < t->n_parts; i++) {
		free(t->parts[i].kind);
		free(t->parts[i].author);
		free(t->parts[i].body);
	}
	free(t->parts);
	memset(t, 0, sizeof(*t));
}
