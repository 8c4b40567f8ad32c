/* directory.h: who is who in the workspace (its teams, teammates and tags), as a backend
 * driver fetched it at start-up. Every layer reads it; only a driver fills it. */
#ifndef FRONTLINE_DIRECTORY_H
#define FRONTLINE_DIRECTORY_H

#include <stddef.h>
#include <stdint.h>

struct directory_entry {
	int64_t id;
	char *name; /* owned */
};

struct directory {
	int64_t me;
	char *me_name;
	struct directory_entry *teams, *admins, *tags; /* owned, with their names */
	size_t n_teams, n_admins, n_tags;
};

/* Frees what d holds (not d itself) and zeroes it. */
void directory_release(struct directory *d);
/* The name of id in list, or NULL. */
const char *directory_name(const struct directory_entry *list, size_t n, int64_t id);
/* The id of an entry named (case-insensitively) name, or written as its number; 0 if none. */
int64_t directory_find(const struct directory_entry *list, size_t n, const char *name);

#endif
