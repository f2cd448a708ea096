/*
 * test_secret.c - password files: every refusal with its exact reason,
 * newline handling, and the wiping helpers. Files are made in a mkdtemp
 * directory; the owner check needs root to chown a file away (the suite
 * runs as root under make check).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret.h"
#include "unit_files.h"

/* Reads PATH and asserts the exact message "PATH REASON". */
static void expect_refused(const char *path, const char *reason)
{
	char err[PATH_MAX + 128];
	char want[PATH_MAX + 128];
	char *s;

	memset(err, 'x', sizeof(err));
	s = secret_read_file(path, err, sizeof(err));
	if (s != NULL) {
		secret_free(s);
		fail_msg("%s was accepted", path);
	}
	snprintf(want, sizeof(want), "%s %s", path, reason);
	assert_string_equal(err, want);
}

/* Reads PATH and asserts it holds exactly WANT. */
static void expect_secret(const char *path, const char *want)
{
	char err[PATH_MAX + 128] = "";
	char *s;

	s = secret_read_file(path, err, sizeof(err));
	if (s == NULL)
		fail_msg("%s", err);
	assert_string_equal(s, want);
	assert_string_equal(err, "");
	secret_free(s);
}

static void test_good_files(void **state)
{
	char path[PATH_MAX];
	char big[SECRET_MAX_LEN + 3];

	(void)state;
	write_file(path, "plain", "s3cret", 6, 0600);
	expect_secret(path, "s3cret");
	write_file(path, "newline", "s3cret\n", 7, 0600);
	expect_secret(path, "s3cret");
	write_file(path, "crlf", "s3cret\r\n", 8, 0400);
	expect_secret(path, "s3cret");
	/* Only one newline goes; what is before it is the password. */
	write_file(path, "two-newlines", "s3cret\n\n", 8, 0600);
	expect_secret(path, "s3cret\n");
	write_file(path, "inner-newline", "a\nb", 3, 0600);
	expect_secret(path, "a\nb");
	write_file(path, "blanks", " p w ", 5, 0600);
	expect_secret(path, " p w ");
	write_file(path, "lone-cr", "s3cret\r", 7, 0600);
	expect_secret(path, "s3cret\r");
	write_file(path, "mode0000", "x", 1, 0000);
	expect_secret(path, "x");	/* root reads it anyway */

	/* Exactly 512 bytes, with or without a newline, is the longest. */
	memset(big, 'p', sizeof(big));
	big[SECRET_MAX_LEN] = '\0';
	write_file(path, "max", big, SECRET_MAX_LEN, 0600);
	expect_secret(path, big);
	big[SECRET_MAX_LEN] = '\n';
	write_file(path, "max-newline", big, SECRET_MAX_LEN + 1, 0600);
	big[SECRET_MAX_LEN] = '\0';
	expect_secret(path, big);
	memcpy(big + SECRET_MAX_LEN, "\r\n", 2);
	write_file(path, "max-crlf", big, SECRET_MAX_LEN + 2, 0600);
	big[SECRET_MAX_LEN] = '\0';
	expect_secret(path, big);
}

static void test_refusals(void **state)
{
	char path[PATH_MAX];
	char link[PATH_MAX];
	char big[SECRET_MAX_LEN + 64];

	(void)state;
	write_file(path, "target", "s3cret\n", 7, 0600);
	snprintf(link, sizeof(link), "%s/link", tmpdir);
	assert_int_equal(symlink(path, link), 0);
	expect_refused(link, "is a symbolic link");
	snprintf(link, sizeof(link), "%s/dangling", tmpdir);
	assert_int_equal(symlink("/nonexistent/x", link), 0);
	expect_refused(link, "is a symbolic link");

	write_file(path, "group-readable", "s3cret\n", 7, 0640);
	expect_refused(path, "is readable by group or others (mode 0640)");
	write_file(path, "world-readable", "s3cret\n", 7, 0604);
	expect_refused(path, "is readable by group or others (mode 0604)");
	write_file(path, "group-writable", "s3cret\n", 7, 0620);
	expect_refused(path, "is accessible by group or others (mode 0620)");
	write_file(path, "other-exec", "s3cret\n", 7, 0601);
	expect_refused(path, "is accessible by group or others (mode 0601)");

	write_file(path, "not-root", "s3cret\n", 7, 0600);
	assert_int_equal(chown(path, 65534, 65534), 0);
	if (geteuid() != 0)
		fail_msg("this suite runs as root (the owner check needs it)");
	expect_refused(path, "is owned by uid 65534, not root");
	assert_int_equal(chown(path, 1000, 0), 0);
	expect_refused(path, "is owned by uid 1000, not root");

	write_file(path, "empty", "", 0, 0600);
	expect_refused(path, "is empty");
	write_file(path, "only-newline", "\n", 1, 0600);
	expect_refused(path, "is empty");
	write_file(path, "only-crlf", "\r\n", 2, 0600);
	expect_refused(path, "is empty");

	memset(big, 'p', sizeof(big));
	write_file(path, "513", big, SECRET_MAX_LEN + 1, 0600);
	expect_refused(path, "is longer than 512 bytes");
	big[SECRET_MAX_LEN + 1] = '\n';
	write_file(path, "513-newline", big, SECRET_MAX_LEN + 2, 0600);
	expect_refused(path, "is longer than 512 bytes");
	write_file(path, "huge", big, sizeof(big), 0600);
	expect_refused(path, "is longer than 512 bytes");

	write_file(path, "nul", "ab\0cd\n", 6, 0600);
	expect_refused(path, "contains a NUL byte");

	expect_refused(tmpdir, "is not a regular file");
	snprintf(path, sizeof(path), "%s/fifo", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	expect_refused(path, "is not a regular file");	/* and does not hang */
	expect_refused("/dev/null", "is not a regular file");
}

static void test_open_errors(void **state)
{
	char path[PATH_MAX];
	char err[PATH_MAX + 128];
	char small[12];

	(void)state;
	snprintf(path, sizeof(path), "%s/missing", tmpdir);
	assert_null(secret_read_file(path, err, sizeof(err)));
	{
		char want[PATH_MAX + 128];

		snprintf(want, sizeof(want), "cannot open %s: %s", path,
			 strerror(ENOENT));
		assert_string_equal(err, want);
	}
	assert_null(secret_read_file("", err, sizeof(err)));
	assert_string_equal(err, "no password file given");
	assert_null(secret_read_file(NULL, err, sizeof(err)));
	/* A short buffer is cut and terminated; a NULL one is fine too. */
	assert_null(secret_read_file(path, small, sizeof(small)));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_null(secret_read_file(path, NULL, 0));
}

static void test_no_secret_in_messages(void **state)
{
	char path[PATH_MAX];
	char err[PATH_MAX + 128];

	(void)state;
	write_file(path, "leaky", "Hunter2Secret\n", 14, 0644);
	assert_null(secret_read_file(path, err, sizeof(err)));
	assert_null(strstr(err, "Hunter2"));
	write_file(path, "leaky-nul", "Hunter2\0Secret", 14, 0600);
	assert_null(secret_read_file(path, err, sizeof(err)));
	assert_null(strstr(err, "Hunter2"));
}

static void test_wipe(void **state)
{
	unsigned char buf[32];
	char *s;
	size_t i;

	(void)state;
	memset(buf, 0xa5, sizeof(buf));
	secret_wipe(buf + 4, 8);
	for (i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], i >= 4 && i < 12 ? 0 : 0xa5);
	secret_wipe(NULL, 10);
	secret_wipe(buf, 0);
	assert_int_equal(buf[0], 0xa5);

	s = strdup("password");
	assert_non_null(s);
	secret_free(s);
	secret_free(NULL);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_files),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_no_secret_in_messages),
		cmocka_unit_test(test_wipe),
	};

	return cmocka_run_group_tests_name("secret", tests, make_tmpdir,
					   remove_tmpdir);
}
