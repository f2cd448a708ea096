/*
 * secret.c - reading password files safely, and wiping secrets.
 *
 * The file is opened once, without following a final symbolic link, and
 * every check is made on the open descriptor (fstat), so nothing can be
 * swapped between the check and the read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret.h"

/* Room for the longest secret, "\r\n" and one more byte to see overflow. */
#define SECRET_BUF_LEN (SECRET_MAX_LEN + 3)

/* Wipes LEN bytes at P; explicit_bzero is never elided by the compiler. */
void secret_wipe(void *p, size_t len)
{
	if (p != NULL && len > 0)
		explicit_bzero(p, len);
}

/* Wipes the string and its terminator, then frees it; NULL-safe. */
void secret_free(char *secret)
{
	if (secret == NULL)
		return;
	secret_wipe(secret, strlen(secret) + 1);
	free(secret);
}

/* Checks the open descriptor's type, owner, mode and size; 0 or -1. */
static int secret_check_fd(int fd, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		(void)snprintf(err, errlen, "cannot stat %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		(void)snprintf(err, errlen, "%s is not a regular file", path);
		return -1;
	}
	if (st.st_uid != 0) {
		(void)snprintf(err, errlen, "%s is owned by uid %lu, not root",
			       path, (unsigned long)st.st_uid);
		return -1;
	}
	if ((st.st_mode & 044) != 0) {
		(void)snprintf(err, errlen,
			 "%s is readable by group or others (mode %04o)", path,
			 (unsigned)(st.st_mode & 07777));
		return -1;
	}
	if ((st.st_mode & 077) != 0) {
		(void)snprintf(err, errlen,
			 "%s is accessible by group or others (mode %04o)",
			 path, (unsigned)(st.st_mode & 07777));
		return -1;
	}
	if (st.st_size > SECRET_MAX_LEN + 2) {
		(void)snprintf(err, errlen, "%s is longer than %d bytes", path,
			 SECRET_MAX_LEN);
		return -1;
	}
	return 0;
}

/* Returns a heap copy the caller frees with secret_free(), or NULL. */
char *secret_read_file(const char *path, char *err, size_t errlen)
{
	char buf[SECRET_BUF_LEN];
	char dummy[1];
	char *result = NULL;
	size_t len = 0;
	ssize_t got;
	int fd = -1;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	else
		errlen = 0;	/* snprintf with size 0 writes nothing */
	if (path == NULL || path[0] == '\0') {
		(void)snprintf(err, errlen, "no password file given");
		goto done;
	}

	/* O_NONBLOCK: a FIFO put in the file's place must not hang us. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY |
		  O_NONBLOCK);
	if (fd < 0) {
		if (errno == ELOOP)
			(void)snprintf(err, errlen, "%s is a symbolic link",
				       path);
		else
			(void)snprintf(err, errlen, "cannot open %s: %s", path,
				 strerror(errno));
		goto done;
	}
	if (secret_check_fd(fd, path, err, errlen) != 0)
		goto done;

	/* Read to end of file; the file may have grown since fstat. */
	while (len < sizeof(buf)) {
		got = read(fd, buf + len, sizeof(buf) - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			(void)snprintf(err, errlen, "cannot read %s: %s", path,
				 strerror(errno));
			goto done;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (len == sizeof(buf)) {
		do
			got = read(fd, dummy, sizeof(dummy));
		while (got < 0 && errno == EINTR);
		secret_wipe(dummy, sizeof(dummy));
		if (got != 0) {
			(void)snprintf(err, errlen,
				       "%s is longer than %d bytes", path,
				       SECRET_MAX_LEN);
			goto done;
		}
	}

	if (memchr(buf, '\0', len) != NULL) {
		(void)snprintf(err, errlen, "%s contains a NUL byte", path);
		goto done;
	}
	if (len > 0 && buf[len - 1] == '\n') {
		len--;
		if (len > 0 && buf[len - 1] == '\r')
			len--;
	}
	if (len == 0) {
		(void)snprintf(err, errlen, "%s is empty", path);
		goto done;
	}
	if (len > SECRET_MAX_LEN) {
		(void)snprintf(err, errlen, "%s is longer than %d bytes", path,
			 SECRET_MAX_LEN);
		goto done;
	}

	result = malloc(len + 1);
	if (result == NULL) {
		(void)snprintf(err, errlen, "cannot read %s: out of memory",
			       path);
		goto done;
	}
	memcpy(result, buf, len);
	result[len] = '\0';

done:
	secret_wipe(buf, sizeof(buf));
	if (fd >= 0)
		(void)close(fd);
	return result;
}
