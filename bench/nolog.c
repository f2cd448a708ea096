/*
 * nolog.c - an LD_PRELOAD shim for the benchmark only: glibc's syslog
 * entry points that do nothing. The driver run with it shows what a login
 * costs without the log lines the module must write (one per PAM call,
 * each a datagram that wakes the syslog daemon), so docs/performance.md
 * can say how much of the module's cost is the logging contract.
 */
#include <stdarg.h>

void syslog(int pri, const char *fmt, ...);
void vsyslog(int pri, const char *fmt, va_list ap);
void __syslog_chk(int pri, int flag, const char *fmt, ...);
void __vsyslog_chk(int pri, int flag, const char *fmt, va_list ap);

void syslog(int pri, const char *fmt, ...)
{
	(void)pri;
	(void)fmt;
}

void vsyslog(int pri, const char *fmt, va_list ap)
{
	(void)pri;
	(void)fmt;
	(void)ap;
}

void __syslog_chk(int pri, int flag, const char *fmt, ...)
{
	(void)pri;
	(void)flag;
	(void)fmt;
}

void __vsyslog_chk(int pri, int flag, const char *fmt, va_list ap)
{
	(void)pri;
	(void)flag;
	(void)fmt;
	(void)ap;
}
