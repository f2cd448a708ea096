/*
 * harness.c - see harness.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

struct bh_users {
	char **name;
	size_t n;
};

struct bh_worker {
	const struct bh_opts *o;
	const struct bh_users *users;
	bh_login_fn fn;
	const void *ctx;
	long quota;
	uint64_t stop_at;	/* us on the monotonic clock; 0: none */
	uint64_t t_first;	/* the first measured login's start */
	uint64_t t_last;	/* the last measured login's end */
	long done;
	long failed;
	uint64_t *lat;		/* us, quota of them */
	uint32_t rng;
	char first_why[256];
};

static uint64_t bh_now_us(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* xorshift32: cheap, per worker, reproducible. */
static uint32_t bh_rand(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

void bh_defaults(struct bh_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->label = "run";
	o->count = 2000;
	o->warmup = 20;
	o->workers = 1;
	o->seed = 1;
}

static int bh_long(const char *arg, long lo, long hi, long *out)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "bad number: %s (%ld..%ld)\n", arg, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

int bh_option(struct bh_opts *o, int ch, const char *arg)
{
	long v;

	switch (ch) {
	case 'u': o->users_file = arg; return 1;
	case 'o': o->lat_file = arg; return 1;
	case 'l': o->label = arg; return 1;
	case 'n':
		if (bh_long(arg, 1, 10000000, &v) != 0)
			return -1;
		o->count = v;
		return 1;
	case 'W':
		if (bh_long(arg, 0, 100000, &v) != 0)
			return -1;
		o->warmup = v;
		return 1;
	case 'w':
		if (bh_long(arg, 1, 256, &v) != 0)
			return -1;
		o->workers = (int)v;
		return 1;
	case 'T':
		if (bh_long(arg, 0, 86400000, &v) != 0)
			return -1;
		o->limit_ms = v;
		return 1;
	case 'S':
		if (bh_long(arg, 1, INT_MAX, &v) != 0)
			return -1;
		o->seed = (unsigned)v;
		return 1;
	default:
		return 0;
	}
}

/* Reads the user list; 0 or -1. The names are the caller's to free. */
static int bh_users_load(const char *path, struct bh_users *u)
{
	FILE *f = NULL;
	char line[256];
	size_t cap = 0;
	int rc = -1;

	memset(u, 0, sizeof(*u));
	f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		goto done;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if (u->n == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			char **nn = realloc(u->name, ncap * sizeof(*nn));

			if (nn == NULL)
				goto done;
			u->name = nn;
			cap = ncap;
		}
		u->name[u->n] = strdup(line);
		if (u->name[u->n] == NULL)
			goto done;
		u->n++;
	}
	if (u->n == 0) {
		fprintf(stderr, "%s: no user names\n", path);
		goto done;
	}
	rc = 0;
done:
	if (f != NULL)
		(void)fclose(f);
	return rc;
}

static void bh_users_free(struct bh_users *u)
{
	for (size_t i = 0; i < u->n; i++)
		free(u->name[i]);
	free(u->name);
	memset(u, 0, sizeof(*u));
}

static void *bh_worker_main(void *arg)
{
	struct bh_worker *w = arg;
	char why[256];

	for (long i = 0; i < w->o->warmup + w->quota; i++) {
		const char *user = w->users->name[bh_rand(&w->rng) % w->users->n];
		uint64_t t0 = bh_now_us();
		int rc;

		if (i == w->o->warmup) {
			w->t_first = t0;
			if (w->o->limit_ms > 0)
				w->stop_at = t0 + (uint64_t)w->o->limit_ms * 1000u;
		}
		if (w->stop_at != 0 && t0 > w->stop_at)
			break;
		why[0] = '\0';
		rc = w->fn(w->ctx, user, why, sizeof(why));
		if (i < w->o->warmup) {
			if (rc != 0 && w->first_why[0] == '\0')
				(void)snprintf(w->first_why, sizeof(w->first_why),
					       "%s (warm-up): %s", user, why);
			continue;
		}
		w->t_last = bh_now_us();
		w->lat[w->done++] = w->t_last - t0;
		if (rc != 0) {
			w->failed++;
			if (w->first_why[0] == '\0')
				(void)snprintf(w->first_why, sizeof(w->first_why),
					       "%s: %s", user, why);
		}
	}
	return NULL;
}

static int bh_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The value at quantile Q of the sorted V[0..n). */
static uint64_t bh_quantile(const uint64_t *v, size_t n, double q)
{
	size_t i = (size_t)(q * (double)n + 0.999999);

	if (i == 0)
		i = 1;
	if (i > n)
		i = n;
	return v[i - 1];
}

int bh_run(const struct bh_opts *o, bh_login_fn fn, const void *ctx)
{
	struct bh_users users;
	struct bh_worker *w = NULL;
	pthread_t *tid = NULL;
	uint64_t *all = NULL, t0, wall;
	long failed = 0;
	double rate = 0.0;
	size_t n = 0;
	int started = 0, rc = 2;
	FILE *lf = NULL;

	if (o->users_file == NULL) {
		fprintf(stderr, "-u USERS is required\n");
		return 2;
	}
	if (bh_users_load(o->users_file, &users) != 0)
		return 2;
	w = calloc((size_t)o->workers, sizeof(*w));
	tid = calloc((size_t)o->workers, sizeof(*tid));
	all = calloc((size_t)o->count, sizeof(*all));
	if (w == NULL || tid == NULL || all == NULL)
		goto done;
	for (int i = 0; i < o->workers; i++) {
		w[i].o = o;
		w[i].users = &users;
		w[i].fn = fn;
		w[i].ctx = ctx;
		w[i].quota = o->count / o->workers + (i < o->count % o->workers);
		w[i].lat = calloc((size_t)w[i].quota + 1, sizeof(uint64_t));
		w[i].rng = (o->seed * 2654435761u) ^ (uint32_t)(i + 1) * 40503u;
		if (w[i].rng == 0)
			w[i].rng = 1;
		if (w[i].lat == NULL)
			goto done;
	}
	t0 = bh_now_us();
	for (; started < o->workers; started++)
		if (pthread_create(&tid[started], NULL, bh_worker_main, &w[started]) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			goto done;
		}
	for (int i = 0; i < started; i++)
		(void)pthread_join(tid[i], NULL);
	started = 0;
	wall = bh_now_us() - t0;

	for (int i = 0; i < o->workers; i++) {
		memcpy(all + n, w[i].lat, (size_t)w[i].done * sizeof(*all));
		n += (size_t)w[i].done;
		failed += w[i].failed;
		if (w[i].done > 0 && w[i].t_last > w[i].t_first)
			rate += (double)w[i].done * 1e6 /
				(double)(w[i].t_last - w[i].t_first);
		if (w[i].first_why[0] != '\0')
			fprintf(stderr, "%s: worker %d: first failure: %s\n",
				o->label, i, w[i].first_why);
	}
	if (o->lat_file != NULL) {
		lf = fopen(o->lat_file, "a");
		if (lf == NULL) {
			fprintf(stderr, "%s: %s\n", o->lat_file, strerror(errno));
			goto done;
		}
		for (size_t i = 0; i < n; i++)
			fprintf(lf, "%" PRIu64 "\n", all[i]);
		if (fclose(lf) != 0) {
			lf = NULL;
			goto done;
		}
		lf = NULL;
	}
	qsort(all, n, sizeof(*all), bh_cmp_u64);
	printf("BENCH label=%s workers=%d n=%zu failed=%ld wall_us=%" PRIu64
	       " busy_us=%.0f rate=%.1f median_us=%" PRIu64 " p99_us=%" PRIu64 "\n",
	       o->label, o->workers, n, failed, wall,
	       rate > 0 ? (double)n * 1e6 / rate : 0.0, rate,
	       bh_quantile(all, n, 0.5), bh_quantile(all, n, 0.99));
	(void)fflush(stdout);
	rc = failed == 0 ? 0 : 1;
done:
	for (int i = 0; i < started; i++)
		(void)pthread_join(tid[i], NULL);
	if (w != NULL)
		for (int i = 0; i < o->workers; i++)
			free(w[i].lat);
	free(w);
	free(tid);
	free(all);
	bh_users_free(&users);
	return rc;
}
