/*
 * audit.h - making untrusted text safe to put in a log line.
 */
#ifndef PACER_AUDIT_H
#define PACER_AUDIT_H

#include <stddef.h>

/*
 * Copies SRC into DST (size N, always terminated), replacing control
 * characters, '"', '\\' and non-ASCII bytes with '?' so a user-chosen
 * string cannot forge or split a syslog line; long input is cut with
 * "...". SRC NULL gives "-". Returns DST.
 */
char *audit_clean(char *dst, size_t n, const char *src);

/*
 * Copies SRC into DST (size N, always terminated) for a person's
 * terminal: printable ASCII, newlines, tabs and valid UTF-8 text stay (a
 * name may be "José"); every other control byte, C1 control (CSI
 * included), bidirectional override and invalid UTF-8 byte becomes '?', so
 * text from the directory cannot move the cursor, recolour, retitle or
 * reorder what the person reads. Long input is cut at a character
 * boundary. SRC NULL gives "-". Returns DST.
 */
char *audit_clean_terminal(char *dst, size_t n, const char *src);

/* Cleans to a stack buffer of this size (enough for a name or a DN). */
#define AUDIT_FIELD_LEN 160

#endif
