/* idmap.c: open addressing with linear probing on mixed int64 ids, and backward-shift
 * deletion, so there are no tombstones and lookups stay short after any churn. */
#include "build-config.h"

#include "idmap.h"

#include <stdlib.h>

#include "util.h"

#define IDMAP_MIN_CAP 16

struct idmap_slot {
	int64_t id;
	void *value; /* NULL: the slot is free */
};

struct idmap {
	struct idmap_slot *slots;
	size_t cap; /* a power of two */
	size_t count;
};

/* splitmix64's finalizer: backend ids are often sequential, which would make long runs
 * under linear probing without a mix. */
static uint64_t idmap_hash(int64_t id)
{
	uint64_t x = (uint64_t)id;

	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

struct idmap *idmap_new(void)
{
	struct idmap *m = xcalloc(1, sizeof(*m));

	m->cap = IDMAP_MIN_CAP;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	return m;
}

void idmap_free(struct idmap *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m);
}

/* The slot holding id, or the free slot where it would go. */
static size_t idmap_slot(const struct idmap *m, int64_t id)
{
	size_t mask = m->cap - 1;
	size_t i = idmap_hash(id) & mask;

	while (m->slots[i].value && m->slots[i].id != id)
		i = (i + 1) & mask;
	return i;
}

void *idmap_get(const struct idmap *m, int64_t id)
{
	return m->slots[idmap_slot(m, id)].value;
}

static void idmap_grow(struct idmap *m)
{
	struct idmap_slot *old = m->slots;
	size_t old_cap = m->cap;
	size_t i;

	m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < old_cap; i++)
		if (old[i].value)
			m->slots[idmap_slot(m, old[i].id)] = old[i];
	free(old);
}

void idmap_put(struct idmap *m, int64_t id, void *value)
{
	size_t i = idmap_slot(m, id);

	if (!value)
		die("idmap: a NULL value for id %lld would read as a free slot", (long long)id);

	if (m->slots[i].value) {
		m->slots[i].value = value;
		return;
	}
	/* Keep the load under 70%: probe lengths grow fast past it. */
	if ((m->count + 1) * 10 > m->cap * 7) {
		idmap_grow(m);
		i = idmap_slot(m, id);
	}
	m->slots[i].id = id;
	m->slots[i].value = value;
	m->count++;
}

void *idmap_remove(struct idmap *m, int64_t id)
{
	size_t mask = m->cap - 1;
	size_t i = idmap_slot(m, id);
	void *value = m->slots[i].value;
	size_t j, home;

	if (!value)
		return NULL;
	/* Pull later members of the probe run back into the hole, unless that would put
	 * one before its home slot. */
	for (j = (i + 1) & mask; m->slots[j].value; j = (j + 1) & mask) {
		home = idmap_hash(m->slots[j].id) & mask;
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].value = NULL;
	m->slots[i].id = 0;
	m->count--;
	return value;
}

size_t idmap_count(const struct idmap *m)
{
	return m->count;
}

void *idmap_next(const struct idmap *m, size_t *cursor)
{
	while (*cursor < m->cap) {
		void *value = m->slots[(*cursor)++].value;

		if (value)
			return value;
	}
	return NULL;
}
