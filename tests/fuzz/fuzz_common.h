/*
 * fuzz_common.h - what the fuzz targets share: a check that aborts (so
 * libFuzzer records the input) and a NUL-terminated copy of a slice.
 */
#ifndef PACER_FUZZ_COMMON_H
#define PACER_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property that must hold for every input; a violation is a crash. */
#define FZ_CHECK(cond) do { \
	if (!(cond)) { \
		(void)fprintf(stderr, "%s:%d: property failed: %s\n", \
			      __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* A malloc'ed NUL-terminated copy of DATA[0..N); aborts on ENOMEM so that
 * a target never runs on a half-made input. The caller frees it. */
static inline char *fz_strndup(const uint8_t *data, size_t n)
{
	char *s = malloc(n + 1);

	FZ_CHECK(s != NULL);
	if (n > 0)
		memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

#endif
