/*
 * deadline.c - deadlines on CLOCK_MONOTONIC and a poll() bounded by one.
 * Every wait counts from a deadline, never from a fresh timeout: a signal
 * that interrupts it costs no time beyond the deadline.
 */
#include <errno.h>
#include <poll.h>

#include "deadline.h"

void dir_deadline_start(struct dir_deadline *dl, long budget_ms)
{
	(void)clock_gettime(CLOCK_MONOTONIC, &dl->at);
	dl->at.tv_sec += budget_ms / 1000;
	dl->at.tv_nsec += (budget_ms % 1000) * 1000000L;
	if (dl->at.tv_nsec >= 1000000000L) {
		dl->at.tv_sec++;
		dl->at.tv_nsec -= 1000000000L;
	}
}

long dir_deadline_left_ms(const struct dir_deadline *dl)
{
	struct timespec now;
	long long ns;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (long long)(dl->at.tv_sec - now.tv_sec) * 1000000000LL +
	     (dl->at.tv_nsec - now.tv_nsec);
	if (ns <= 0)
		return 0;
	return (long)((ns + 999999LL) / 1000000LL);
}

int dir_poll_until(int fd, short events, const struct dir_deadline *until)
{
	struct pollfd pfd;

	pfd.fd = fd;
	pfd.events = events;
	for (;;) {
		long ms = dir_deadline_left_ms(until);
		int n;

		if (ms <= 0)
			return 0;
		pfd.revents = 0;
		n = poll(&pfd, 1, (int)(ms < 1000000L ? ms : 1000000L));
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}
