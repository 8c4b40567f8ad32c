/* util-unit.c: growing arrays: geometric room, the contents kept, and sizes that overflow
 * or cannot be had refused with the array left as it was. */
#include "build-config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

/* A sanitizer build aborts on an allocation it cannot make unless told to fail it as the
 * C library does; the test of running out of memory needs the failure. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static void test_grow_geometric(void **state)
{
	int64_t *a = NULL;
	size_t cap = 0, n, changes = 0, last = 0;

	(void)state;
	assert_int_equal(util_grow(&a, &cap, 1, sizeof(*a)), 0);
	assert_non_null(a);
	assert_int_equal(cap, UTIL_GROW_MIN);
	for (n = 0; n < 10000; n++) {
		assert_int_equal(util_grow(&a, &cap, n + 1, sizeof(*a)), 0);
		assert_true(cap >= n + 1);
		if (cap != last)
			changes++;
		last = cap;
		a[n] = (int64_t)n * 7;
	}
	/* 8, 16, ..., 16384: doubling, not one more each time. */
	assert_int_equal(cap, 16384);
	assert_int_equal(changes, 12);
	for (n = 0; n < 10000; n++)
		assert_int_equal(a[n], (int64_t)n * 7);
	free(a);
}

static void test_grow_enough_and_jumps(void **state)
{
	char *s = NULL, *before;
	size_t cap = 0;

	(void)state;
	/* A need far past double the room gets the first power-of-two multiple that holds it. */
	assert_int_equal(util_grow(&s, &cap, 1000, 1), 0);
	assert_int_equal(cap, 1024);
	memset(s, 'x', 1000);
	before = s;
	/* Room enough already: nothing moves. */
	assert_int_equal(util_grow(&s, &cap, 1024, 1), 0);
	assert_int_equal(util_grow(&s, &cap, 0, 1), 0);
	assert_ptr_equal(s, before);
	assert_int_equal(cap, 1024);
	assert_int_equal(util_grow(&s, &cap, 1025, 1), 0);
	assert_int_equal(cap, 2048);
	assert_int_equal(s[999], 'x');
	free(s);
}

static void test_grow_overflow(void **state)
{
	int64_t *a = NULL, *before;
	size_t cap = 0;
	struct big {
		char bytes[4096];
	} *b = NULL;
	size_t bcap = 0;

	(void)state;
	assert_int_equal(util_grow(&a, &cap, 3, sizeof(*a)), 0);
	a[2] = 42;
	before = a;
	/* need * size past SIZE_MAX, then past the largest object: refused before any
	 * allocation, the array untouched. */
	errno = 0;
	assert_int_equal(util_grow(&a, &cap, SIZE_MAX / sizeof(*a) + 1, sizeof(*a)), -1);
	assert_int_equal(errno, EOVERFLOW);
	errno = 0;
	assert_int_equal(util_grow(&a, &cap, SIZE_MAX, sizeof(*a)), -1);
	assert_int_equal(errno, EOVERFLOW);
	errno = 0;
	assert_int_equal(util_grow(&a, &cap, (size_t)PTRDIFF_MAX / sizeof(*a) + 1, sizeof(*a)), -1);
	assert_int_equal(errno, EOVERFLOW);
	assert_ptr_equal(a, before);
	assert_int_equal(cap, UTIL_GROW_MIN);
	assert_int_equal(a[2], 42);
	errno = 0;
	assert_int_equal(util_grow(&b, &bcap, SIZE_MAX / 4096 + 1, sizeof(*b)), -1);
	assert_int_equal(errno, EOVERFLOW);
	assert_null(b);
	assert_int_equal(bcap, 0);
	free(a);
}

static void test_grow_out_of_memory(void **state)
{
	int64_t *a = NULL, *before;
	size_t cap = 0;

	(void)state;
	assert_int_equal(util_grow(&a, &cap, 5, sizeof(*a)), 0);
	a[4] = -1;
	before = a;
	/* The largest object there can be: no machine has it to give. */
	errno = 0;
	assert_int_equal(util_grow(&a, &cap, (size_t)PTRDIFF_MAX / sizeof(*a), sizeof(*a)), -1);
	assert_int_equal(errno, ENOMEM);
	assert_ptr_equal(a, before);
	assert_int_equal(cap, UTIL_GROW_MIN);
	assert_int_equal(a[4], -1);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grow_geometric),
	    cmocka_unit_test(test_grow_enough_and_jumps),
	    cmocka_unit_test(test_grow_overflow),
	    cmocka_unit_test(test_grow_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
