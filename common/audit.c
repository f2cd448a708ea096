/*
 * audit.c - making untrusted text safe to put in a log line.
 *
 * A user chooses their login name, and a directory entry's cn can hold
 * anything; either may end up in a syslog line. Everything that could end
 * the line early, forge a field or confuse a terminal becomes '?'.
 */
#include <stdbool.h>
#include <string.h>

#include "audit.h"

/* True for the bytes a log field may carry as they are. */
static bool audit_byte_is_safe(unsigned char c)
{
	if (c < 0x20 || c >= 0x7f)
		return false;	/* controls, DEL and every non-ASCII byte */
	return c != '"' && c != '\\';
}

/* Returns DST, always terminated when N > 0; see audit.h. */
char *audit_clean(char *dst, size_t n, const char *src)
{
	size_t len;
	size_t keep;
	size_t i;
	bool cut = false;

	if (dst == NULL || n == 0)
		return dst;
	if (src == NULL)
		src = "-";

	len = strnlen(src, n);	/* no need to measure past what fits */
	keep = len;
	if (len > n - 1) {
		cut = true;
		/* Room for "..." when the buffer allows it; else a bare cut. */
		keep = n - 1 >= 3 ? n - 1 - 3 : n - 1;
	}
	for (i = 0; i < keep; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = audit_byte_is_safe(c) ? (char)c : '?';
	}
	if (cut && n - 1 >= 3) {
		memcpy(dst + keep, "...", 3);
		keep += 3;
	}
	dst[keep] = '\0';
	return dst;
}
