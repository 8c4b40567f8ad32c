/* directory.c: looking up teams, teammates and tags by id and by name. */
#include "build-config.h"

#include "directory.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static void entries_free(struct directory_entry *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i].name);
	free(list);
}

void directory_release(struct directory *d)
{
	free(d->me_name);
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
