/* cache.c: times the queues' cache (storecache.h) in a real SQLite file, with N records
 * shaped like the sim's (a title, a customer, a 300-byte opening message, two tags):
 * the first write of all N (after a cold start's full sync), a poll's write of K changed
 * records (median and slowest of RUNS), the write after a full sync (K changed, and every
 * cached id checked against the store), and a load of all N. Prints one line:
 * "rewrite_ms A poll_write_ms B poll_write_max_ms C full_write_ms D load_ms E".
 * Usage: cache STATE_DIR N K RUNS */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storecache.h"

#include "bench.h"

static char body[301];

static void record(struct conversation *c, int64_t id, fl_time at)
{
	static int64_t tags[2] = {7, 12};
	static char title[64], customer[32];

	memset(c, 0, sizeof(*c));
	snprintf(title, sizeof(title), "Question number %lld about billing", (long long)id);
	snprintf(customer, sizeof(customer), "Customer %lld", (long long)id);
	c->id = id;
	c->created_at = at - 3600;
	c->updated_at = at;
	c->waiting_since = at - 60;
	c->first_contact_reply_at = at - 3600;
	c->last_contact_reply_at = at - 60;
	c->team_assignee_id = 5001 + id % 2;
	c->title = title;
	c->customer = customer;
	c->body = body;
	c->tag_ids = tags;
	c->n_tags = 2;
}

static bool held_all(void *arg, int64_t id)
{
	(void)arg;
	(void)id;
	return true;
}

static void loaded(void *arg, const struct conversation *c)
{
	(*(long *)arg)++;
	(void)c;
}

static bool use(void *arg, const struct store_cache_state *st, const struct directory *d)
{
	(void)arg;
	(void)st;
	(void)d;
	return true;
}

/* One write of ids [from, from + n) at time at; its time in ms, or -1. */
static double write_some(struct store_cache *sc, long from, long n, fl_time at, bool full)
{
	struct store_cache_state st = {.saved_at = at, .newest = at, .next_after = at - 60};
	struct directory dir = {0};
	struct conversation c;
	char err[512];
	bool rewrite = false;
	double t0 = now_ms();
	long i;

	if (store_cache_begin(sc, &rewrite, err, sizeof(err)) < 0) {
		fprintf(stderr, "cache: %s\n", err);
		return -1;
	}
	for (i = from; i < from + n; i++) {
		record(&c, i + 1, at);
		store_cache_put(sc, &c);
	}
	if (full)
		store_cache_prune(sc, held_all, NULL);
	if (store_cache_commit(sc, "bench", &st, rewrite ? &dir : NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "cache: %s\n", err);
		return -1;
	}
	return now_ms() - t0;
}

int main(int argc, char **argv)
{
	struct store_cache_reader reader = {.use = use, .conversation = loaded};
	struct store_cache_state st;
	struct directory dir;
	struct store_cache *sc;
	double rewrite, full, load, *polls;
	long n, k, runs, i, count = 0;
	char err[512];

	if (argc < 5 || (n = atol(argv[2])) <= 0 || (k = atol(argv[3])) <= 0 ||
	    (runs = atol(argv[4])) <= 0 || k > n) {
		fprintf(stderr, "usage: cache STATE_DIR N K RUNS\n");
		return 2;
	}
	memset(body, 'x', sizeof(body) - 1);
	sc = store_cache_open(argv[1], "bench", err, sizeof(err));
	polls = calloc((size_t)runs, sizeof(*polls));
	if (!sc || !polls) {
		fprintf(stderr, "cache: %s\n", sc ? "out of memory" : err);
		return 1;
	}
	rewrite = write_some(sc, 0, n, 1000000, false);
	for (i = 0; i < runs && rewrite >= 0; i++)
		if ((polls[i] = write_some(sc, (i * k) % (n - k + 1), k, 1000001 + i, false)) < 0)
			return 1;
	full = write_some(sc, 0, k, 1000001 + runs, true);
	reader.arg = &count;
	load = now_ms();
	if (rewrite < 0 || full < 0 ||
	    store_cache_load(sc, "bench", &st, &dir, &reader, err, sizeof(err)) != 1) {
		fprintf(stderr, "cache: cannot load what was written: %s\n", err);
		return 1;
	}
	load = now_ms() - load;
	store_cache_state_release(&st);
	directory_release(&dir);
	if (count != n) {
		fprintf(stderr, "cache: %ld records loaded of %ld\n", count, n);
		return 1;
	}
	qsort(polls, (size_t)runs, sizeof(*polls), compare);
	printf("rewrite_ms %.1f poll_write_ms %.2f poll_write_max_ms %.2f full_write_ms %.1f "
	       "load_ms %.1f\n",
	       rewrite, polls[runs / 2], polls[runs - 1], full, load);
	store_cache_close(sc);
	free(polls);
	return 0;
}
