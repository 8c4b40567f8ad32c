/* store.c: the conversations the client holds, found by id (idmap), each queue's order by
 * urgency (a sorted array of pointers cut into blocks, updated one entry at a time) and
 * when each clock next changes state (a min-heap), so that nothing sorts or scans a whole
 * queue per frame or per tick. */
#include "build-config.h"

#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "idmap.h"
#include "util.h"

#define NO_QUEUE     (-1)
#define NOT_IN_HEAP  SIZE_MAX
#define NO_CLOCK_KEY INT64_MAX
/* 4 KiB of pointers: an insert moves at most this much, and 100,000 conversations make
 * a few hundred blocks. */
#define QUEUE_BLOCK 512

/* A conversation's place in one queue: the public entry (its conv a shallow copy of the
 * item's record, which owns the memory), the clock under the queue's policy, and where it
 * sits in the queue's order and in the heap. */
struct store_member {
	struct store_entry e; /* first, so the public view is the member's address */
	struct store_item *item;
	/* The sort key the member was inserted into its queue with: it must stay as it was
	 * until the member is taken out again, or the binary search cannot find it. */
	fl_time key_deadline; /* the deadline while a clock runs, else NO_CLOCK_KEY */
	fl_time key_updated;  /* updated_at when no clock runs, else 0 */
	bool placed;	      /* in its queue's order */
	fl_time due;	      /* when its clock can next change state (heap key) */
	size_t heap_at;	      /* index in the heap, or NOT_IN_HEAP */
	/* The last running deadline, to notice a new one even across paused clocks that
	 * may not say which deadline they pause. */
	enum sla_kind deadline_kind;
	fl_time deadline_started;
	struct store_member *next; /* the item's member in a later queue, or NULL */
};

/* A conversation held: in one queue at least. Its members' e.conv are copies of one
 * struct whose strings and arrays the item owns (released once, with the item). */
struct store_item {
	/* Its places, by queue: one for most conversations, so a list costs less memory
	 * than a slot per queue. */
	struct store_member *members;
	uint64_t seen;				   /* sweep generation of the last upsert */
	/* Read here while the customer's last message was of this time: an answer that says
	 * unread without a later message from the customer predates the agent's look, or the
	 * backend has not heard of it yet. (Not updated_at: the backend counts whole seconds,
	 * and a message in the second of the look would pass for old.) */
	fl_time read_contact_at;
	bool read_here;
};

struct due_heap {
	struct store_member **items;
	size_t n, cap;
};

struct queue_block {
	size_t n;
	struct store_member *items[QUEUE_BLOCK];
};

/* One sorted sequence, most urgent first, in blocks that are never empty. A flat array
 * would move up to 800 KB per insert at 100,000 and make a first sync quadratic. */
struct store_queue {
	struct sla_policy policy;
	struct queue_block **blocks;
	size_t *before; /* items in the blocks before each block */
	size_t n_blocks, cap_blocks, cap_before;
	size_t n;
	size_t n_warning, n_breached;
	/* What belongs: the conversations of its teams, or of every team with all_teams,
	 * that match (all of them without match). */
	bool all_teams;
	store_match_fn match;
	void *match_arg;
};

struct team_queue {
	int64_t team_id;
	int queue;
};

struct store {
	struct store_queue queues[STORE_MAX_QUEUES];
	size_t n_queues;
	struct idmap *ids; /* id -> struct store_member */
	struct due_heap heap;
	struct team_queue *teams; /* few: a linear scan beats a map */
	size_t n_teams, cap_teams;
	uint64_t generation;
	uint64_t version; /* store_version: records, clock states, orders */
};

/* --- due heap ---------------------------------------------------------------------- */

static void heap_set_at(struct due_heap *h, size_t i, struct store_member *it)
{
	h->items[i] = it;
	it->heap_at = i;
}

static void heap_sift_up(struct due_heap *h, size_t i)
{
	struct store_member *it = h->items[i];

	while (i > 0 && h->items[(i - 1) / 2]->due > it->due) {
		heap_set_at(h, i, h->items[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set_at(h, i, it);
}

static void heap_sift_down(struct due_heap *h, size_t i)
{
	struct store_member *it = h->items[i];
	size_t child;

	for (;;) {
		child = 2 * i + 1;
		if (child >= h->n)
			break;
		if (child + 1 < h->n && h->items[child + 1]->due < h->items[child]->due)
			child++;
		if (h->items[child]->due >= it->due)
			break;
		heap_set_at(h, i, h->items[child]);
		i = child;
	}
	heap_set_at(h, i, it);
}

static void heap_remove(struct due_heap *h, struct store_member *it)
{
	size_t i = it->heap_at;
	struct store_member *moved;

	if (i == NOT_IN_HEAP)
		return;
	it->heap_at = NOT_IN_HEAP;
	h->n--;
	if (i == h->n)
		return;
	moved = h->items[h->n];
	heap_set_at(h, i, moved);
	heap_sift_up(h, i);
	heap_sift_down(h, moved->heap_at);
}

/* Puts it in the heap with the given due time, or moves it there. */
static void heap_set(struct due_heap *h, struct store_member *it, fl_time due)
{
	if (it->heap_at == NOT_IN_HEAP) {
		xgrow(&h->items, &h->cap, h->n + 1, sizeof(*h->items));
		it->due = due;
		heap_set_at(h, h->n++, it);
		heap_sift_up(h, it->heap_at);
		return;
	}
	it->due = due;
	heap_sift_up(h, it->heap_at);
	heap_sift_down(h, it->heap_at);
}

/* --- queues ------------------------------------------------------------------------ */

static bool clock_runs(enum sla_state state)
{
	return state == SLA_OK || state == SLA_WARNING || state == SLA_BREACHED;
}

/* Urgency order. A breached deadline is in the past, so "breached first, then soonest
 * deadline" is one comparison of deadlines; clocks that do not run sort after every
 * deadline, most recently updated first. */
static int item_compare(const struct store_member *a, const struct store_member *b)
{
	if (a->key_deadline != b->key_deadline)
		return a->key_deadline < b->key_deadline ? -1 : 1;
	if (a->key_updated != b->key_updated)
		return a->key_updated > b->key_updated ? -1 : 1;
	if (a->e.conv.id != b->e.conv.id)
		return a->e.conv.id < b->e.conv.id ? -1 : 1;
	return 0;
}

/* The first position in b whose item does not sort before it. */
static size_t block_lower_bound(const struct queue_block *b, const struct store_member *it)
{
	size_t lo = 0, hi = b->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (item_compare(b->items[mid], it) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The block it belongs in: the first whose last item does not sort before it, else the
 * last block. The queue must have a block. */
static size_t queue_find_block(const struct store_queue *q, const struct store_member *it)
{
	size_t lo = 0, hi = q->n_blocks, mid;
	const struct queue_block *b;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		b = q->blocks[mid];
		if (item_compare(b->items[b->n - 1], it) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < q->n_blocks ? lo : q->n_blocks - 1;
}

/* Recounts the items before each block from block `from` on. */
static void queue_reindex(struct store_queue *q, size_t from)
{
	size_t k;

	for (k = from; k < q->n_blocks; k++)
		q->before[k] = k ? q->before[k - 1] + q->blocks[k - 1]->n : 0;
}

static void queue_add_block(struct store_queue *q, size_t k, struct queue_block *b)
{
	xgrow(&q->blocks, &q->cap_blocks, q->n_blocks + 1, sizeof(*q->blocks));
	xgrow(&q->before, &q->cap_before, q->n_blocks + 1, sizeof(*q->before));
	memmove(q->blocks + k + 1, q->blocks + k, (q->n_blocks - k) * sizeof(*q->blocks));
	q->blocks[k] = b;
	q->n_blocks++;
}

static void queue_drop_block(struct store_queue *q, size_t k)
{
	free(q->blocks[k]);
	memmove(q->blocks + k, q->blocks + k + 1, (q->n_blocks - k - 1) * sizeof(*q->blocks));
	q->n_blocks--;
}

/* Moves block k + 1's items to the end of block k and drops it. */
static void queue_merge_blocks(struct store_queue *q, size_t k)
{
	struct queue_block *b = q->blocks[k], *next = q->blocks[k + 1];

	memcpy(b->items + b->n, next->items, next->n * sizeof(*b->items));
	b->n += next->n;
	queue_drop_block(q, k + 1);
}

/* Where it is: its block and its place in the block. */
static void queue_locate(const struct store_queue *q, const struct store_member *it, size_t *k,
			 size_t *i)
{
	if (q->n_blocks > 0) {
		*k = queue_find_block(q, it);
		*i = block_lower_bound(q->blocks[*k], it);
		if (*i < q->blocks[*k]->n && q->blocks[*k]->items[*i] == it)
			return;
	}
	die("store: conversation %lld is not where its queue key says", (long long)it->e.conv.id);
}

static size_t queue_position(const struct store_queue *q, const struct store_member *it)
{
	size_t k, i;

	queue_locate(q, it, &k, &i);
	return q->before[k] + i;
}

static struct store_member *queue_item_at(const struct store_queue *q, size_t index)
{
	size_t lo = 0, hi = q->n_blocks, mid;

	/* The last block with no more than index items before it. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (q->before[mid] <= index)
			lo = mid;
		else
			hi = mid;
	}
	return q->blocks[lo]->items[index - q->before[lo]];
}

static void queue_insert(struct store_queue *q, struct store_member *it)
{
	struct queue_block *b, *upper;
	size_t k, first, i;

	if (q->n_blocks == 0)
		queue_add_block(q, 0, xcalloc(1, sizeof(*b)));
	k = first = q->blocks[0]->n ? queue_find_block(q, it) : 0;
	b = q->blocks[k];
	if (b->n == QUEUE_BLOCK) {
		upper = xmalloc(sizeof(*upper));
		upper->n = b->n / 2;
		b->n -= upper->n;
		memcpy(upper->items, b->items + b->n, upper->n * sizeof(*upper->items));
		queue_add_block(q, k + 1, upper);
		if (item_compare(upper->items[0], it) < 0)
			b = q->blocks[++k];
	}
	i = block_lower_bound(b, it);
	memmove(b->items + i + 1, b->items + i, (b->n - i) * sizeof(*b->items));
	b->items[i] = it;
	b->n++;
	q->n++;
	queue_reindex(q, first);
}

static void queue_remove(struct store_queue *q, struct store_member *it)
{
	struct queue_block *b;
	size_t k, i;

	queue_locate(q, it, &k, &i);
	b = q->blocks[k];
	memmove(b->items + i, b->items + i + 1, (b->n - i - 1) * sizeof(*b->items));
	b->n--;
	q->n--;
	/* Merge small neighbours so that blocks stay well filled after churn: no block is
	 * empty, and no two neighbours together fill less than half a block. */
	if (b->n == 0)
		queue_drop_block(q, k);
	else if (k + 1 < q->n_blocks && b->n + q->blocks[k + 1]->n <= QUEUE_BLOCK / 2)
		queue_merge_blocks(q, k);
	else if (k > 0 && q->blocks[k - 1]->n + b->n <= QUEUE_BLOCK / 2)
		queue_merge_blocks(q, --k);
	queue_reindex(q, k);
}

static void queue_release(struct store_queue *q)
{
	size_t k;

	for (k = 0; k < q->n_blocks; k++)
		free(q->blocks[k]);
	free(q->blocks);
	free(q->before);
}

static void queue_count_state(struct store_queue *q, enum sla_state state, int delta)
{
	size_t *n = state == SLA_WARNING ? &q->n_warning
		    : state == SLA_BREACHED ? &q->n_breached
					    : NULL;

	if (n)
		*n = delta > 0 ? *n + 1 : *n - 1;
}

/* Gives a member a new clock: its place and its queue's counts follow. A member whose key
 * stays the same is not moved. */
static void member_place(struct store *s, struct store_member *m, const struct sla_clock *clock)
{
	struct store_queue *q = &s->queues[m->e.queue];
	bool runs = clock_runs(clock->state);
	fl_time deadline = runs ? clock->deadline : NO_CLOCK_KEY;
	fl_time updated = runs ? 0 : m->e.conv.updated_at;
	bool moves = !m->placed || deadline != m->key_deadline || updated != m->key_updated;

	if (moves || clock->state != m->e.clock.state)
		s->version++;
	if (m->placed) {
		queue_count_state(q, m->e.clock.state, -1);
		if (moves)
			queue_remove(q, m);
	}
	m->e.clock = *clock;
	queue_count_state(q, clock->state, +1);
	if (moves) {
		m->key_deadline = deadline;
		m->key_updated = updated;
		queue_insert(q, m);
		m->placed = true;
	}
}

/* --- clocks ------------------------------------------------------------------------ */

/* When a running clock can next change state: when left comes down to the next warning
 * lead time or to 0. sla.c counts a threshold as reached at left == lead; should that
 * ever become "past it", a clock sitting exactly on one is looked at again one business
 * second later rather than never (it costs one extra evaluation per threshold).
 * With business hours, left is business seconds, turned into wall-clock time by
 * sla_hours_add: exact, so a clock waiting out the night is not looked at before
 * morning and none is re-evaluated on a timer. */
static bool clock_next_due(const struct sla_policy *p, const struct conversation *conv,
			   const struct sla_clock *c, fl_time now, fl_time *due)
{
	struct sla_targets t;
	int n_warn;
	int64_t target = INT64_MIN, lead;
	int k;

	if (!clock_runs(c->state))
		return false;
	sla_targets_for(p, conv, &t);
	n_warn = t.n_warn;
	for (k = 0; k <= n_warn; k++) {
		lead = k < n_warn ? t.warn[k] : 0;
		if (lead == c->left && lead - 1 > target)
			target = lead - 1;
		else if (lead < c->left && lead > target)
			target = lead;
	}
	if (target == INT64_MIN)
		return false; /* breached: nothing left to tell for this deadline */
	if (p->hours.enabled)
		*due = sla_hours_add(&p->hours, now, c->left - target);
	else
		*due = c->deadline - target;
	if (*due <= now)
		*due = now + 1;
	return true;
}

/* The clock of a conversation that has just changed, with the snooze bookkeeping: time
 * seen snoozed extends the current deadline; a new deadline starts with none. */
static void member_evaluate_update(struct store *s, struct store_member *m, fl_time now,
				   struct sla_clock *out)
{
	const struct sla_policy *p = &s->queues[m->e.queue].policy;
	struct store_entry *e = &m->e;

	sla_evaluate(p, &e->conv, e->paused, now, out);
	if (out->kind != SLA_KIND_NONE &&
	    (out->kind != m->deadline_kind || out->started != m->deadline_started)) {
		m->deadline_kind = out->kind;
		m->deadline_started = out->started;
		e->paused = 0;
		/* Still snoozed: only the part of the snooze after the new start counts. */
		if (e->snoozed_seen != 0 && e->snoozed_seen < out->started)
			e->snoozed_seen = out->started;
	}
	if (e->conv.state == CONV_SNOOZED) {
		if (e->snoozed_seen == 0)
			e->snoozed_seen = now;
	} else if (e->snoozed_seen != 0) {
		if (p->pause_snoozed && now > e->snoozed_seen)
			e->paused += now - e->snoozed_seen;
		e->snoozed_seen = 0;
	}
	sla_evaluate(p, &e->conv, e->paused, now, out);
}

/* --- the store --------------------------------------------------------------------- */

struct store *store_new(const struct sla_policy *policies, size_t n_queues)
{
	struct store *s;
	size_t i;

	if (!policies || n_queues == 0 || n_queues > STORE_MAX_QUEUES)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	for (i = 0; i < n_queues; i++)
		s->queues[i].policy = policies[i];
	s->n_queues = n_queues;
	s->ids = idmap_new();
	return s;
}

static struct store_member *item_first(const struct store_item *it)
{
	return it->members;
}

/* Its member in queue, or NULL. */
static struct store_member *item_in(const struct store_item *it, int queue)
{
	struct store_member *m = it->members;

	while (m && m->e.queue < queue)
		m = m->next;
	return m && m->e.queue == queue ? m : NULL;
}

/* The record every member shares. */
static struct conversation *item_conv(const struct store_item *it)
{
	return &item_first(it)->e.conv;
}

static void item_free(struct store_item *it)
{
	struct conversation conv = *item_conv(it);
	struct store_member *m, *next;

	for (m = it->members; m; m = next) {
		next = m->next;
		free(m);
	}
	conversation_release(&conv);
	free(it);
}

void store_free(struct store *s)
{
	struct store_item *it;
	size_t cursor = 0, i;

	if (!s)
		return;
	while ((it = idmap_next(s->ids, &cursor)))
		item_free(it);
	for (i = 0; i < s->n_queues; i++)
		queue_release(&s->queues[i]);
	idmap_free(s->ids);
	free(s->heap.items);
	free(s->teams);
	free(s);
}

static bool store_queue_valid(const struct store *s, int queue)
{
	return queue >= 0 && (size_t)queue < s->n_queues;
}

static int store_team_queue(const struct store *s, int64_t team_id)
{
	size_t i;

	for (i = 0; i < s->n_teams; i++)
		if (s->teams[i].team_id == team_id)
			return s->teams[i].queue;
	return NO_QUEUE;
}

/* Whether a record belongs in a queue: its team's queue, or a queue of every team, and the
 * queue's own test. */
static bool queue_wants(const struct store *s, int queue, const struct conversation *c)
{
	const struct store_queue *q = &s->queues[queue];

	if (c->state == CONV_CLOSED)
		return false;
	if (!q->all_teams && store_team_queue(s, c->team_assignee_id) != queue)
		return false;
	return !q->match || q->match(q->match_arg, c);
}

/* The queues a record belongs in, one bit each. */
static unsigned store_wanted(const struct store *s, const struct conversation *c)
{
	unsigned mask = 0;
	size_t q;

	for (q = 0; q < s->n_queues; q++)
		if (queue_wants(s, (int)q, c))
			mask |= 1u << q;
	return mask;
}

static struct store_item *item_new(struct store *s, int64_t id)
{
	struct store_item *it = xcalloc(1, sizeof(*it));

	idmap_put(s->ids, id, it);
	return it;
}

/* A member sharing the record rec (the item's). */
static struct store_member *member_new(struct store_item *it, int queue,
				       const struct conversation *rec)
{
	struct store_member *m = xcalloc(1, sizeof(*m)), **at = &it->members;

	m->e.conv = *rec;
	m->e.queue = queue;
	m->item = it;
	m->heap_at = NOT_IN_HEAP;
	while (*at && (*at)->e.queue < queue)
		at = &(*at)->next;
	m->next = *at;
	*at = m;
	return m;
}

static void member_destroy(struct store *s, struct store_member *m)
{
	struct store_member **at = &m->item->members;

	s->version++;
	heap_remove(&s->heap, m);
	if (m->placed) {
		queue_count_state(&s->queues[m->e.queue], m->e.clock.state, -1);
		queue_remove(&s->queues[m->e.queue], m);
	}
	while (*at != m)
		at = &(*at)->next;
	*at = m->next;
	free(m);
}

/* Every member sees rec (the item's record from now on). */
static void item_share(struct store_item *it, const struct conversation *rec)
{
	struct store_member *m;

	for (m = it->members; m; m = m->next)
		m->e.conv = *rec;
}

static void item_destroy(struct store *s, struct store_item *it)
{
	struct conversation conv = *item_conv(it);

	s->version++;
	idmap_remove(s->ids, conv.id);
	while (it->members)
		member_destroy(s, it->members);
	conversation_release(&conv);
	free(it);
}

/* The held items for which keep() is true, in a new array the caller frees. */
static struct store_item **store_collect(const struct store *s,
					 bool (*keep)(const struct store *, const struct store_item *,
						      const void *),
					 const void *arg, size_t *n_out)
{
	struct store_item **out = xcalloc(idmap_count(s->ids), sizeof(*out));
	struct store_item *it;
	size_t cursor = 0, n = 0;

	while ((it = idmap_next(s->ids, &cursor)))
		if (!keep || keep(s, it, arg))
			out[n++] = it;
	*n_out = n;
	return out;
}

/* Puts an item in the queues it now belongs in and out of the others, without a "now":
 * a member that stays keeps its clock, a new one waits for the next tick, which evaluates
 * it under its queue's policy. An item in no queue leaves the store. */
static void item_refit(struct store *s, struct store_item *it)
{
	struct conversation rec = *item_conv(it);
	unsigned want = store_wanted(s, &rec);
	struct store_member *m;
	struct sla_clock clock;
	size_t q;

	if (!want) {
		item_destroy(s, it);
		return;
	}
	for (q = 0; q < s->n_queues; q++) {
		m = item_in(it, (int)q);
		if (m && !(want & (1u << q))) {
			member_destroy(s, m);
		} else if (!m && (want & (1u << q))) {
			m = member_new(it, (int)q, &rec);
			memset(&clock, 0, sizeof(clock));
			member_place(s, m, &clock);
			heap_set(&s->heap, m, INT64_MIN);
			m->e.dirty = 1;
		}
	}
}

static bool item_of_team(const struct store *s, const struct store_item *it, const void *arg)
{
	(void)s;
	return item_conv(it)->team_assignee_id == *(const int64_t *)arg;
}

/* Refits the items keep() picks (all with NULL): O(n). */
static void store_refit_some(struct store *s,
			     bool (*keep)(const struct store *, const struct store_item *,
					  const void *),
			     const void *arg)
{
	size_t n, i;
	/* Collected first: deleting from the map moves slots under a running scan. */
	struct store_item **items = store_collect(s, keep, arg, &n);

	for (i = 0; i < n; i++)
		item_refit(s, items[i]);
	free(items);
}

void store_set_queue_match(struct store *s, int queue, bool all_teams, store_match_fn match,
			   void *arg)
{
	if (!store_queue_valid(s, queue))
		die("store: match of queue %d of %zu", queue, s->n_queues);
	s->queues[queue].all_teams = all_teams;
	s->queues[queue].match = match;
	s->queues[queue].match_arg = arg;
	store_refit_some(s, NULL, NULL);
}

void store_set_policy(struct store *s, int queue, const struct sla_policy *policy)
{
	size_t n, i;
	struct store_item **items;

	if (!store_queue_valid(s, queue))
		die("store: policy of queue %d of %zu", queue, s->n_queues);
	s->queues[queue].policy = *policy;
	/* As for a move between queues: the next tick evaluates each clock under it. */
	items = store_collect(s, NULL, NULL, &n);
	for (i = 0; i < n; i++) {
		struct store_member *m = item_in(items[i], queue);

		if (!m)
			continue;
		heap_set(&s->heap, m, INT64_MIN);
		m->e.dirty = 1;
	}
	free(items);
}

void store_set_team_queue(struct store *s, int64_t team_id, int queue)
{
	size_t i;

	if (queue != NO_QUEUE && !store_queue_valid(s, queue))
		die("store: team %lld set to queue %d of %zu", (long long)team_id, queue,
		    s->n_queues);
	if (store_team_queue(s, team_id) == queue)
		return;
	for (i = 0; i < s->n_teams && s->teams[i].team_id != team_id; i++)
		;
	if (queue == NO_QUEUE) {
		s->teams[i] = s->teams[--s->n_teams];
	} else {
		if (i == s->n_teams) {
			xgrow(&s->teams, &s->cap_teams, s->n_teams + 1, sizeof(*s->teams));
			s->teams[s->n_teams++].team_id = team_id;
		}
		s->teams[i].queue = queue;
	}
	store_refit_some(s, item_of_team, &team_id);
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Whether two records of one conversation say the same. */
static bool conversation_same(const struct conversation *a, const struct conversation *b)
{
	return conversation_same_clock(a, b) && a->n_tags == b->n_tags &&
	       (!a->n_tags || !memcmp(a->tag_ids, b->tag_ids, a->n_tags * sizeof(*a->tag_ids))) &&
	       same_text(a->title, b->title) && same_text(a->customer, b->customer) &&
	       same_text(a->body, b->body) && same_text(a->sla_name, b->sla_name) &&
	       a->unknown == b->unknown;
}

/* Times that never change once they happened: a record that cannot tell them (search
 * results with statistics null) keeps what an earlier record told. */
static void conversation_keep_known(struct conversation *c, const struct conversation *held)
{
	if ((c->unknown & CONV_UNKNOWN_FIRST_ADMIN_REPLY) &&
	    !(held->unknown & CONV_UNKNOWN_FIRST_ADMIN_REPLY) && held->first_admin_reply_at) {
		c->first_admin_reply_at = held->first_admin_reply_at;
		c->unknown &= ~(unsigned)CONV_UNKNOWN_FIRST_ADMIN_REPLY;
	}
	if ((c->unknown & CONV_UNKNOWN_FIRST_CONTACT_REPLY) &&
	    !(held->unknown & CONV_UNKNOWN_FIRST_CONTACT_REPLY) && held->first_contact_reply_at) {
		c->first_contact_reply_at = held->first_contact_reply_at;
		c->unknown &= ~(unsigned)CONV_UNKNOWN_FIRST_CONTACT_REPLY;
	}
}

enum store_change store_upsert(struct store *s, const struct conversation *c, fl_time now)
{
	struct store_item *it = idmap_get(s->ids, c->id);
	enum store_change change = it ? STORE_UPDATED : STORE_ADDED;
	struct store_member *m;
	struct conversation rec;
	struct sla_clock clock;
	unsigned want;
	size_t q;

	if (it) {
		it->seen = s->generation; /* the backend still has it, even if not newer */
		/* updated_at counts seconds: two changes in one second (assign, then close)
		 * share it, so a record of the same second that says something else is the
		 * later one; polls read the last seconds again (poll_overlap), so a reordered
		 * answer is put right by the next poll. */
		const struct conversation *held = item_conv(it);

		if (c->updated_at < held->updated_at ||
		    (c->updated_at == held->updated_at && conversation_same(c, held)))
			return STORE_UNCHANGED;
	}
	want = store_wanted(s, c);
	if (!want) {
		if (!it)
			return STORE_UNCHANGED;
		item_destroy(s, it);
		return STORE_REMOVED;
	}
	/* a new record: what a filter matches may differ even where nothing moves */
	s->version++;
	/* Copy before releasing: c may point into the record held. */
	conversation_copy(&rec, c);
	if (it) {
		struct conversation *held = item_conv(it);

		conversation_keep_known(&rec, held);
		if (it->read_here && !rec.read && rec.last_contact_reply_at <= it->read_contact_at)
			rec.read = true;
		conversation_release(held);
		item_share(it, &rec);
	} else {
		it = item_new(s, rec.id);
	}
	it->seen = s->generation;
	for (q = 0; q < s->n_queues; q++) {
		m = item_in(it, (int)q);
		if (!(want & (1u << q))) {
			/* It stopped matching the queue (unassigned, retagged, ...). */
			if (m)
				member_destroy(s, m);
			continue;
		}
		if (!m)
			m = member_new(it, (int)q, &rec);
		member_evaluate_update(s, m, now, &clock);
		member_place(s, m, &clock);
		/* Events come from store_tick only, so one reached by this update is told by
		 * the next tick, once: look at it then. */
		heap_set(&s->heap, m, now);
		m->e.dirty = 1;
	}
	return change;
}

bool store_mark_read(struct store *s, int64_t id)
{
	struct store_item *it = idmap_get(s->ids, id);
	struct store_member *m;
	struct conversation rec;

	if (!it || item_conv(it)->read)
		return false;
	rec = *item_conv(it);
	rec.read = true;
	it->read_here = true;
	it->read_contact_at = rec.last_contact_reply_at;
	item_share(it, &rec);
	for (m = it->members; m; m = m->next)
		m->e.dirty = 1;
	s->version++;
	return true;
}

enum store_change store_remove(struct store *s, int64_t id)
{
	struct store_item *it = idmap_get(s->ids, id);

	if (!it)
		return STORE_UNCHANGED;
	item_destroy(s, it);
	return STORE_REMOVED;
}

const struct store_entry *store_get(const struct store *s, int64_t id)
{
	struct store_item *it = idmap_get(s->ids, id);
	struct store_member *m = it ? item_first(it) : NULL;

	return m ? &m->e : NULL;
}

const struct store_entry *store_get_in(const struct store *s, int queue, int64_t id)
{
	struct store_item *it = idmap_get(s->ids, id);

	struct store_member *m = it && store_queue_valid(s, queue) ? item_in(it, queue) : NULL;

	return m ? &m->e : NULL;
}

unsigned store_queues_of(const struct store *s, int64_t id)
{
	struct store_item *it = idmap_get(s->ids, id);
	struct store_member *m;
	unsigned mask = 0;

	for (m = it ? it->members : NULL; m; m = m->next)
		mask |= 1u << m->e.queue;
	return mask;
}

size_t store_count(const struct store *s)
{
	return idmap_count(s->ids);
}

size_t store_queue_count(const struct store *s, int queue)
{
	return store_queue_valid(s, queue) ? s->queues[queue].n : 0;
}

const struct store_entry *store_queue_at(const struct store *s, int queue, size_t index)
{
	if (!store_queue_valid(s, queue) || index >= s->queues[queue].n)
		return NULL;
	return &queue_item_at(&s->queues[queue], index)->e;
}

size_t store_queue_index(const struct store *s, int64_t id)
{
	const struct store_entry *e = store_get(s, id);

	return e ? store_queue_index_in(s, e->queue, id) : (size_t)-1;
}

size_t store_queue_index_in(const struct store *s, int queue, int64_t id)
{
	struct store_item *it = idmap_get(s->ids, id);

	struct store_member *m = it && store_queue_valid(s, queue) ? item_in(it, queue) : NULL;

	return m ? queue_position(&s->queues[queue], m) : (size_t)-1;
}

/* Re-evaluates one member whose due time has come and tells what sla_track says. */
static void member_tick(struct store *s, struct store_member *m, fl_time now, store_event_fn fn,
			void *arg)
{
	const struct sla_policy *p = &s->queues[m->e.queue].policy;
	enum sla_state was = m->e.clock.state;
	struct sla_clock clock;
	enum sla_event ev;
	fl_time due;

	sla_evaluate(p, &m->e.conv, m->e.paused, now, &clock);
	member_place(s, m, &clock);
	/* One call: sla_track tells at most one event per clock (a jump over several
	 * thresholds is told as the last one). */
	ev = sla_track(&m->e.memory, &m->e.clock);
	if (clock_next_due(p, &m->e.conv, &clock, now, &due))
		heap_set(&s->heap, m, due);
	else
		heap_remove(&s->heap, m);
	if (ev != SLA_EVENT_NONE || clock.state != was)
		m->e.dirty = 1;
	/* Last: the member is consistent in every structure before anyone sees it. */
	if (ev != SLA_EVENT_NONE && fn)
		fn(arg, &m->e, ev);
}

void store_tick(struct store *s, fl_time now, store_event_fn fn, void *arg)
{
	while (s->heap.n > 0 && s->heap.items[0]->due <= now)
		member_tick(s, s->heap.items[0], now, fn, arg);
}

void store_sweep_begin(struct store *s)
{
	s->generation++;
}

static bool item_unseen(const struct store *s, const struct store_item *it, const void *arg)
{
	(void)arg;
	return it->seen != s->generation;
}

size_t store_sweep_end(struct store *s)
{
	size_t n, i;
	struct store_item **items = store_collect(s, item_unseen, NULL, &n);

	/* Collected first: deleting from the map moves slots under a running scan. */
	for (i = 0; i < n; i++)
		item_destroy(s, items[i]);
	free(items);
	return n;
}

uint64_t store_version(const struct store *s)
{
	return s->version;
}

void store_queue_counts(const struct store *s, int queue, struct store_counts *out)
{
	memset(out, 0, sizeof(*out));
	if (!store_queue_valid(s, queue))
		return;
	out->open = s->queues[queue].n;
	out->warning = s->queues[queue].n_warning;
	out->breached = s->queues[queue].n_breached;
}

const struct sla_policy *store_policy(const struct store *s, int queue)
{
	if (!store_queue_valid(s, queue))
		die("store: policy of queue %d of %zu", queue, s->n_queues);
	return &s->queues[queue].policy;
}
