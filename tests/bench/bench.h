/* bench.h: what the benchmark programs share: a monotonic clock in milliseconds and an
 * order of doubles for qsort (medians and percentiles). */
#ifndef FRONTLINE_BENCH_H
#define FRONTLINE_BENCH_H

#include <time.h>

static inline double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static inline int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#endif
