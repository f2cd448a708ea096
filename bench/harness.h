/*
 * harness.h - the loop both load programs share: a list of user names,
 * W worker threads each logging users in one after another, one latency
 * per login, a summary line and (optionally) every latency appended to a
 * file so that interleaved runs can be merged afterwards.
 */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include <stddef.h>

/* One login of USER; 0 on success, -1 on failure with a reason in WHY.
 * CTX is the program's own, shared by every worker (read only). */
typedef int (*bh_login_fn)(const void *ctx, const char *user, char *why,
			   size_t why_len);

struct bh_opts {
	const char *users_file;	/* one name a line */
	const char *lat_file;	/* append latencies (us), one a line */
	const char *label;	/* names the summary line */
	long count;		/* measured logins, all workers together */
	long warmup;		/* unmeasured logins per worker first */
	long limit_ms;		/* stop measuring after this long; 0: never */
	int workers;		/* threads */
	unsigned seed;		/* user choice; same seed, same users */
};

/* Fills O with the defaults (count 2000, warmup 20, 1 worker). */
void bh_defaults(struct bh_opts *o);

/* Takes the common option CH with ARG into O: 1 taken, 0 not one of
 * ours, -1 a bad value (message printed). Ours: u: o: l: n: W: w: S: T:
 * (-T MS: a slow setting measures fewer logins, never longer than MS). */
int bh_option(struct bh_opts *o, int ch, const char *arg);

/* The getopt letters bh_option takes. */
#define BH_OPTSTRING "u:o:l:n:W:w:S:T:"

/* Runs the loop and prints one line
 *   BENCH label=L workers=W n=N failed=F wall_us=T busy_us=B rate=R
 *         median_us=M p99_us=P
 * where R is the sum over workers of measured logins per second of that
 * worker's measured time (warm-up excluded) and B = N / R.
 * 0 when every measured login succeeded, 1 when some failed, 2 on a
 * setup error. */
int bh_run(const struct bh_opts *o, bh_login_fn fn, const void *ctx);

#endif
