/* search.c: times help-center searches in the client's local index (articles.db):
 * every query of a list, many times, and prints the median and 99th percentile.
 * Usage: search INDEX RUNS QUERY... */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "articles.h"

#include "bench.h"

#define RESULTS 10

int main(int argc, char **argv)
{
	struct article found[RESULTS];
	struct articles *index;
	char err[256];
	double *times;
	int runs, i, q, n = 0, k;

	if (argc < 4 || (runs = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: search INDEX RUNS QUERY...\n");
		return 2;
	}
	index = articles_open(argv[1], err, sizeof(err));
	if (!index) {
		fprintf(stderr, "search: %s\n", err);
		return 1;
	}
	times = calloc((size_t)runs * (size_t)(argc - 3), sizeof(*times));
	if (!times)
		return 1;
	for (i = 0; i < runs; i++)
		for (q = 3; q < argc; q++) {
			double start = now_ms();
			int got = articles_search(index, argv[q], found, RESULTS);

			times[n++] = now_ms() - start;
			for (k = 0; k < got; k++)
				article_release(&found[k]);
		}
	qsort(times, (size_t)n, sizeof(*times), compare);
	printf("articles %zu searches %d median_ms %.3f p99_ms %.3f\n", articles_count(index), n,
	       times[n / 2], times[(int)(n * 0.99)]);
	free(times);
	articles_close(index);
	return 0;
}
