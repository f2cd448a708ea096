/*
 * input.c - the four answers and the confirmation. On a terminal,
 * readpassphrase(3) reads without echo and puts the terminal back when
 * interrupted; from a pipe, one answer per line, bounded.
 */
#include <bsd/readpassphrase.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmecf_link.h"

/* Reads one line from IN into BUF; 0, or -1 on EOF, NUL or overflow.
 * Whatever was read of a refused line is wiped. */
int in_read_line(FILE *in, char *buf, size_t n)
{
	size_t len = 0;
	int c;
	int result = -1;

	for (;;) {
		c = getc(in);
		if (c == EOF) {
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
		buf[len++] = (char)c;
	}
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	result = 0;
done:
	if (result != 0)
		secret_wipe(buf, n);
	return result;
}

/* 0 with the answer in BUF, or -1 (see cmecf_link.h). */
int in_ask(const char *prompt, char *buf, size_t n, bool echo)
{
	if (isatty(STDIN_FILENO)) {
		size_t len;

		if (readpassphrase(prompt, buf, n, RPP_REQUIRE_TTY |
				   (echo ? RPP_ECHO_ON : RPP_ECHO_OFF)) == NULL) {
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
	if (in_read_line(stdin, buf, n) != 0)
		return -1;
	(void)fputs("\n", stdout);
	return 0;
}
