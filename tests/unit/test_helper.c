/*
 * test_helper.c - parts of cmecf-link that need no directory: the answer
 * reader (helper/input.c) leaves no copy of a piped password anywhere but
 * the caller's buffer and reads nothing past its line; the environment
 * after priv_clean_env (helper/privs.c) holds only the allowlisted names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmecf_link.h"

extern char **environ;

/* A pipe whose read end holds TEXT and is closed for writing; the read
 * end is returned. */
static int pipe_with(const char *text)
{
	int p[2];
	size_t n = strlen(text);

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], text, n), (ssize_t)n);
	assert_int_equal(close(p[1]), 0);
	return p[0];
}

/* True when no byte of BUF[0..N) is other than 0. */
static bool all_zero(const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (buf[i] != '\0')
			return false;
	return true;
}

/*
 * Piped answers through in_ask, the way the helper reads them: the first
 * answer lands in the caller's buffer and nowhere else. stdin's stdio
 * buffer is never filled (a buffer nobody wipes would keep this password
 * and the ones after it for the whole run), and the later answers are
 * still in the pipe, unread.
 */
static void test_piped_answer_unbuffered(void **state)
{
	char buf[SECRET_MAX_LEN + 2];
	char rest[64] = "";
	int in = pipe_with("Pacer-Secret-1\nEcf-Secret-2\nyes\n");
	int saved_in = dup(STDIN_FILENO), saved_out = dup(STDOUT_FILENO);
	int null = open("/dev/null", O_WRONLY);
	ssize_t got;
	int rc;

	(void)state;
	assert_true(saved_in >= 0 && saved_out >= 0 && null >= 0);
	assert_int_equal(dup2(in, STDIN_FILENO), STDIN_FILENO);
	(void)fflush(stdout);
	assert_int_equal(dup2(null, STDOUT_FILENO), STDOUT_FILENO);
	rc = in_ask("PACER password: ", buf, sizeof(buf), false);
	(void)fflush(stdout);
	assert_int_equal(dup2(saved_out, STDOUT_FILENO), STDOUT_FILENO);

	assert_int_equal(rc, 0);
	assert_string_equal(buf, "Pacer-Secret-1");
	assert_int_equal(__fbufsize(stdin), 0);
	got = read(STDIN_FILENO, rest, sizeof(rest) - 1);
	assert_int_equal(got, (ssize_t)strlen("Ecf-Secret-2\nyes\n"));
	assert_string_equal(rest, "Ecf-Secret-2\nyes\n");

	secret_wipe(buf, sizeof(buf));
	assert_int_equal(dup2(saved_in, STDIN_FILENO), STDIN_FILENO);
	(void)close(saved_in);
	(void)close(saved_out);
	(void)close(null);
	(void)close(in);
}

/* Lines, CRLF endings and a last line without LF; each read stops at its
 * LF (the next line is still there for the next call). */
static void test_read_lines(void **state)
{
	char buf[16];
	int in = pipe_with("jattorney\r\nPacer-Demo-1\n\nlast");

	(void)state;
	assert_int_equal(in_read_line(in, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "jattorney");
	assert_int_equal(in_read_line(in, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "Pacer-Demo-1");
	assert_int_equal(in_read_line(in, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(in_read_line(in, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "last");
	assert_int_equal(in_read_line(in, buf, sizeof(buf)), -1);
	assert_true(all_zero(buf, sizeof(buf)));
	(void)close(in);
}

/* A refused line (too long, a NUL byte, end of input) leaves the buffer
 * wiped whole, not only the part the line filled. */
static void test_refused_line_wiped(void **state)
{
	char buf[8];
	int in, p[2];

	(void)state;
	in = pipe_with("Secret-Too-Long\n");
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(in_read_line(in, buf, sizeof(buf)), -1);
	assert_true(all_zero(buf, sizeof(buf)));
	(void)close(in);

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "Sec\0ret\n", 8), 8);	/* a NUL byte */
	(void)close(p[1]);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(in_read_line(p[0], buf, sizeof(buf)), -1);
	assert_true(all_zero(buf, sizeof(buf)));
	(void)close(p[0]);

	in = pipe_with("");
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(in_read_line(in, buf, sizeof(buf)), -1);
	assert_true(all_zero(buf, sizeof(buf)));
	(void)close(in);
}

/* Cleans with ENVP and compares the environment with WANT (NULL-ended,
 * "NAME=VALUE"); 0 when they hold the same strings, else 1 with what
 * differs on stderr. */
static int env_after_clean(char **envp, const char *const *want)
{
	size_t i, k, n = 0, nwant = 0;

	if (priv_clean_env(envp) != 0) {
		(void)fprintf(stderr, "priv_clean_env failed\n");
		return 1;
	}
	while (want[nwant] != NULL)
		nwant++;
	for (i = 0; environ != NULL && environ[i] != NULL; i++) {
		for (k = 0; k < nwant && strcmp(environ[i], want[k]) != 0; k++)
			;
		if (k == nwant) {
			(void)fprintf(stderr, "left in the environment: %s\n",
				      environ[i]);
			return 1;
		}
		n++;
	}
	if (n != nwant) {
		(void)fprintf(stderr, "%zu names kept, %zu wanted\n", n, nwant);
		return 1;
	}
	return 0;
}

/*
 * The environment after the clean: PATH and the allowlisted names with
 * plain values, nothing else (no LDAP*, no HOME, no look-alike names);
 * values that are not plain are dropped with their names. Run in a child,
 * which the clean leaves with nothing of this process's environment.
 */
static void test_env_allowlist(void **state)
{
	char *envp[] = {
		"LDAPCONF=/tmp/evil.conf", "LDAPRC=evilrc", "LDAPTLS_REQCERT=never",
		"LDAPTLS_CACERT=/tmp/ca", "HOME=/root", "PATH=/tmp/bin",
		"TERMX=1", "LC_ALLX=1", "XTERM=1", "LD_PRELOAD=/tmp/x.so",
		"TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=en_US.UTF-8",
		"LANG=second", "TZ=UTC", NULL,
	};
	static const char *const kept[] = {
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm-256color",
		"LANG=C.UTF-8", "LC_ALL=en_US.UTF-8", NULL,
	};
	char *hostile[] = { "TERM=../../x", "LANG=a b", "LC_ALL=", NULL };
	static const char *const path_only[] = {
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL,
	};
	int status = -1;
	pid_t pid;

	(void)state;
	(void)fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(env_after_clean(envp, kept) != 0 ||
		      env_after_clean(hostile, path_only) != 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_piped_answer_unbuffered),
		cmocka_unit_test(test_read_lines),
		cmocka_unit_test(test_refused_line_wiped),
		cmocka_unit_test(test_env_allowlist),
	};

	return cmocka_run_group_tests_name("helper", tests, NULL, NULL);
}
