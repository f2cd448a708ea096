/*
 * fuzz_helper_input.c - cmecf-link's answer reader on arbitrary bytes, as
 * a pipe would give them: every line it accepts is shorter than the
 * buffer and holds no LF; one CR before the LF (CRLF endings) is dropped,
 * any other byte is kept as typed; nothing is read past the line's LF or
 * past the input. The bytes are served from a memfd, read(2) as a pipe is.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "cmecf_link.h"	/* in_read_line, from helper/input.c */

/* A descriptor at offset 0 of a memfd holding DATA[0..SIZE), or -1. */
static int fz_memfd(const void *data, size_t size)
{
	int fd = memfd_create("fuzz_helper_input", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if ((size > 0 && write(fd, data, size) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		(void)close(fd);
		return -1;
	}
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[64];
	off_t at = 0, next;
	int fd, lines = 0;

	if (size == 0)
		return 0;
	/* A fixed case first: CRLF endings give the answer without the CR,
	 * and the next answer is left unread. */
	fd = fz_memfd("yes\r\nno\n", 8);
	FZ_CHECK(fd >= 0 && in_read_line(fd, buf, sizeof(buf)) == 0);
	FZ_CHECK(strcmp(buf, "yes") == 0);
	FZ_CHECK(lseek(fd, 0, SEEK_CUR) == 5);
	(void)close(fd);

	fd = fz_memfd(data, size);
	if (fd < 0)
		return 0;
	while (lines < 1000 && in_read_line(fd, buf, sizeof(buf)) == 0) {
		size_t len = strlen(buf);

		next = lseek(fd, 0, SEEK_CUR);
		FZ_CHECK(len < sizeof(buf));
		FZ_CHECK(memchr(buf, '\n', len) == NULL);
		/* Exactly the line, its CR and its LF were read (no LF: the
		 * line ran to the end of the input). */
		FZ_CHECK(next > at && (size_t)next <= size);
		FZ_CHECK(data[next - 1] == '\n' ? (size_t)(next - at) - 1 == len ||
			 ((size_t)(next - at) - 2 == len && data[next - 2] == '\r')
			 : (size_t)next == size &&
			   ((size_t)(next - at) == len ||
			    ((size_t)(next - at) - 1 == len && data[next - 1] == '\r')));
		at = next;
		lines++;
	}
	(void)close(fd);
	return 0;
}
