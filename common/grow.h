/*
 * grow.h - room for one more element in a heap array that doubles as it
 * fills (the lists of entries and DNs read from the directory).
 */
#ifndef PACER_GROW_H
#define PACER_GROW_H

#include <stdlib.h>

/*
 * V (an array of ELEM-byte elements with room for *CAP), moved if need
 * be so that it holds at least N + 1, growing from FIRST by doubling; the
 * array to use from now on, or NULL when memory ran out (then V and *CAP
 * are unchanged and V is still the caller's to free).
 */
static inline void *grow_for_one(void *v, size_t *cap, size_t n, size_t elem,
				 size_t first)
{
	size_t want;
	void *nv;

	if (n < *cap)
		return v;
	want = *cap ? *cap * 2 : first;
	if (want <= n || want > (size_t)-1 / elem)
		return NULL;
	nv = realloc(v, want * elem);
	if (nv == NULL)
		return NULL;
	*cap = want;
	return nv;
}

#endif
