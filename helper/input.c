/*
 * input.c - the four answers and the confirmation. On a terminal,
 * readpassphrase(3) reads without echo and puts the terminal back when
 * interrupted; from a pipe, one answer per line, bounded, read with
 * read(2) one byte at a time: no stdio buffer ever holds a password or
 * the answers after it, so the caller's buffer is the only copy to wipe.
 */
#include <bsd/readpassphrase.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmecf_link.h"

/* One byte from FD into *C: 1, 0 at end of input, -1 on an error. */
static int in_read_byte(int fd, char *c)
{
	ssize_t got;

	do
		got = read(fd, c, 1);
	while (got < 0 && errno == EINTR);
	return got < 0 ? -1 : (int)got;
}

/* Reads one line from FD into BUF; 0, or -1 on EOF, NUL or overflow.
 * Nothing past the line's LF is read; whatever was read of a refused
 * line is wiped. */
int in_read_line(int fd, char *buf, size_t n)
{
	size_t len = 0;
	char c = '\0';
	int got, result = -1;

	if (n == 0)
		return -1;
	for (;;) {
		got = in_read_byte(fd, &c);
		if (got < 0)
			goto done;
		if (got == 0) {
			if (len == 0)
				goto done;
			break;
		}
		if (c == '\n')
			break;
		if (c == '\0')
			goto done;
		if (len + 1 >= n)
			goto done;
		buf[len++] = c;
	}
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	result = 0;
done:
	secret_wipe(&c, sizeof(c));
	if (result != 0)
		secret_wipe(buf, n);
	return result;
}

/* 0 with the answer in BUF, or -1 (see cmecf_link.h). */
int in_ask(const char *prompt, char *buf, size_t n, bool echo)
{
	if (isatty(STDIN_FILENO)) {
		int flags = RPP_REQUIRE_TTY | (echo ? RPP_ECHO_ON : RPP_ECHO_OFF);
		size_t len;

		if (readpassphrase(prompt, buf, n, flags) == NULL) {
			secret_wipe(buf, n);
			return -1;
		}
		len = strlen(buf);
		if (len + 1 >= n) {	/* readpassphrase cut it: too long */
			secret_wipe(buf, n);
			return -1;
		}
		return 0;
	}
	(void)fputs(prompt, stdout);
	(void)fflush(stdout);
	if (in_read_line(STDIN_FILENO, buf, n) != 0)
		return -1;
	(void)fputs("\n", stdout);
	return 0;
}
