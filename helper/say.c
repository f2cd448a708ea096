/*
 * say.c - everything cmecf-link prints for a person. Names, DNs and
 * server diagnostics come from the directory; each line is cleaned for
 * the terminal (common/audit.c) before it is written, so no entry can
 * send escape sequences to whoever runs the helper.
 */
#include <stdarg.h>
#include <stdio.h>

#include "audit.h"
#include "cmecf_link.h"

#define SAY_MAX 4096

/* Formats, cleans and writes to F. */
static void say_v(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	char raw[SAY_MAX], clean[SAY_MAX];

	(void)vsnprintf(raw, sizeof(raw), fmt, ap);
	(void)fprintf(f, "%s%s", prefix,
		      audit_clean_terminal(clean, sizeof(clean), raw));
}

void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say_v(stdout, "", fmt, ap);
	va_end(ap);
}

void say_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say_v(stderr, "cmecf-link: ", fmt, ap);
	va_end(ap);
}
