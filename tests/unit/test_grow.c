/*
 * test_grow.c - grow_for_one: room for one more element, doubling from
 * the first size, and nothing changed when it cannot grow.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>

#include "grow.h"

static void test_doubles(void **state)
{
	size_t cap = 0, n;
	int *v = NULL, *nv;

	(void)state;
	for (n = 0; n < 100; n++) {
		nv = grow_for_one(v, &cap, n, sizeof(*v), 4);
		assert_non_null(nv);
		v = nv;
		v[n] = (int)n;
		assert_true(cap > n);
	}
	assert_int_equal(cap, 128);
	for (n = 0; n < 100; n++)
		assert_int_equal(v[n], (int)n);
	free(v);
}

static void test_room_left_is_kept(void **state)
{
	size_t cap = 8;
	int *v = calloc(8, sizeof(*v));

	(void)state;
	assert_non_null(v);
	assert_ptr_equal(grow_for_one(v, &cap, 7, sizeof(*v), 4), v);
	assert_int_equal(cap, 8);
	free(v);
}

static void test_overflow_refused(void **state)
{
	size_t cap = ((size_t)-1 / 16) + 1;
	char *one = malloc(1);

	(void)state;
	assert_non_null(one);
	/* Doubling would overflow the byte count: refused, nothing changed,
	 * the array still the caller's. */
	assert_null(grow_for_one(one, &cap, cap, 16, 4));
	assert_int_equal(cap, ((size_t)-1 / 16) + 1);
	free(one);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doubles),
		cmocka_unit_test(test_room_left_is_kept),
		cmocka_unit_test(test_overflow_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
