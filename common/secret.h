/*
 * secret.h - reading password files safely, and wiping secrets.
 */
#ifndef PACER_SECRET_H
#define PACER_SECRET_H

#include <stddef.h>

#define SECRET_MAX_LEN 512	/* a password longer than this is refused */

/*
 * Reads the secret in PATH: opened with O_NOFOLLOW, then the open
 * descriptor is fstat'ed: a regular file owned by uid 0, with no group or
 * other permission bits, at most SECRET_MAX_LEN bytes, no NUL byte. One
 * trailing newline is dropped. Returns a heap string the caller wipes with
 * secret_free(), or NULL with the reason in err (which names PATH).
 */
char *secret_read_file(const char *path, char *err, size_t errlen);

/* Wipes and frees a NUL-terminated secret; NULL-safe. */
void secret_free(char *secret);

/* Wipes LEN bytes at P in a way the compiler may not elide. */
void secret_wipe(void *p, size_t len);

#endif
