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

/* Length of the valid UTF-8 sequence at S (at most LEFT bytes) whose code
 * point a terminal shows as text, or 0: C1 controls and the bidirectional
 * overrides and isolates (which reorder what is shown around them) are
 * not text. */
static size_t audit_printable_utf8(const unsigned char *s, size_t left)
{
	unsigned long cp;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > left)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;		/* overlong or out of range */
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;		/* surrogates */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;		/* C1 controls (CSI is U+009B) */
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x061c)
		return 0;		/* bidi controls */
	return len;
}

/* Returns DST, always terminated when N > 0; see audit.h. */
char *audit_clean_terminal(char *dst, size_t n, const char *src)
{
	const unsigned char *s =
		(const unsigned char *)(src != NULL ? src : "-");
	size_t in = 0, out = 0, len = strlen((const char *)s), k;

	if (dst == NULL || n == 0)
		return dst;
	while (in < len && out + 1 < n) {
		unsigned char c = s[in];

		if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
			dst[out++] = (char)c;
			in++;
			continue;
		}
		k = c >= 0x80 ? audit_printable_utf8(s + in, len - in) : 0;
		if (k == 0) {
			dst[out++] = '?';
			in++;
			continue;
		}
		if (out + k >= n)
			break;		/* never cut a character in two */
		memcpy(dst + out, s + in, k);
		out += k;
		in += k;
	}
	dst[out] = '\0';
	return dst;
}
