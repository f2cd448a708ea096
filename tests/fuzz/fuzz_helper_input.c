/*
 * fuzz_helper_input.c - cmecf-link's answer reader on arbitrary bytes, as
 * a pipe would give them: every line it accepts is shorter than the
 * buffer and holds no LF; one CR before the LF (CRLF endings) is dropped,
 * any other byte is kept as typed; nothing reads past the input.
 */
#include "fuzz_common.h"
#include "cmecf_link.h"	/* in_read_line, from helper/input.c */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[64];
	FILE *in;
	int lines = 0;

	if (size == 0)
		return 0;
	/* A fixed case first: CRLF endings give the answer without the CR. */
	in = fmemopen((void *)"yes\r\n", 5, "r");
	FZ_CHECK(in != NULL && in_read_line(in, buf, sizeof(buf)) == 0);
	FZ_CHECK(strcmp(buf, "yes") == 0);
	(void)fclose(in);

	in = fmemopen((void *)data, size, "r");
	if (in == NULL)
		return 0;
	while (lines < 1000 && in_read_line(in, buf, sizeof(buf)) == 0) {
		size_t len = strlen(buf);

		FZ_CHECK(len < sizeof(buf));
		FZ_CHECK(memchr(buf, '\n', len) == NULL);
		lines++;
	}
	(void)fclose(in);
	return 0;
}
