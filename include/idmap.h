/* idmap.h: a hash map from 64-bit ids to pointers, for finding records by backend id in
 * constant time however many come and go. The map never owns the values. */
#ifndef FRONTLINE_IDMAP_H
#define FRONTLINE_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct idmap;

struct idmap *idmap_new(void);
/* Frees the map, not the values. */
void idmap_free(struct idmap *m);

/* The value held for id, or NULL. */
void *idmap_get(const struct idmap *m, int64_t id);
/* Holds value (not NULL) for id, replacing any value held before. */
void idmap_put(struct idmap *m, int64_t id, void *value);
/* Forgets id; returns the value it held, or NULL. */
void *idmap_remove(struct idmap *m, int64_t id);
size_t idmap_count(const struct idmap *m);

/* Walks the values in no particular order: *cursor starts at 0; returns NULL at the end.
 * The map must not change during a walk. */
void *idmap_next(const struct idmap *m, size_t *cursor);

#endif
