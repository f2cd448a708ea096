/*
 * unit_files.h - the scratch directory of a unit test that works on real
 * files (cfg_load, secret_read_file): made before the group runs, removed
 * after it, and a way to write a file of given bytes and mode into it.
 * Include after <cmocka.h>; each test program has its own copy.
 */
#ifndef PACER_UNIT_FILES_H
#define PACER_UNIT_FILES_H

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];

/* Group setup: a fresh /tmp/pacer-unit.XXXXXX in tmpdir. */
static int make_tmpdir(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/pacer-unit.XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

/* Group teardown: tmpdir and everything in it. */
static int remove_tmpdir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes LEN bytes of TEXT to tmpdir/NAME with MODE; the path in OUT
 * (PATH_MAX bytes). */
static void write_file(char *out, const char *name, const char *text,
		       size_t len, mode_t mode)
{
	int fd;

	snprintf(out, PATH_MAX, "%s/%s", tmpdir, name);
	(void)unlink(out);
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

#endif
