/*
 * deadline.h - one point in time after which nothing waits any more, and
 * a poll() bounded by it. Shared by transport.c (the directory) and
 * proto.c (the module-daemon protocol); no libldap, so the module can
 * link it alone.
 */
#ifndef PACER_DEADLINE_H
#define PACER_DEADLINE_H

#include <time.h>

/* A point on CLOCK_MONOTONIC after which nothing waits any more. */
struct dir_deadline {
	struct timespec at;
};

/* Sets DL to BUDGET_MS from now. */
void dir_deadline_start(struct dir_deadline *dl, long budget_ms);

/* Milliseconds left before DL, rounded up so a wait never ends just short
 * of it; 0 once it has passed. */
long dir_deadline_left_ms(const struct dir_deadline *dl);

/*
 * poll() on FD for EVENTS until UNTIL, starting again with the time left
 * when a signal interrupts it. 1 when ready, 0 when UNTIL passed, -1 on
 * an error (errno set).
 */
int dir_poll_until(int fd, short events, const struct dir_deadline *until);

#endif
