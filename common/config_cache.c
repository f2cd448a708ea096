/*
 * config_cache.c - parsed configuration files, keyed by what stat() says
 * of them. A file is the same file while its device, inode, size, mode,
 * owner, modification time and change time are: writing it changes the
 * times, chmod and chown change the change time, and replacing it (as
 * editors and configuration management do) changes the inode.
 *
 * A copy is only handed to the identity that read the file: a process
 * that changed its effective uid since reads the file again (and is
 * refused if it may not).
 *
 * A few slots, since one process may serve several PAM services with
 * their own config=. The lock is only ever tried: a thread that finds it
 * busy (or a child forked while another thread held it) parses the file
 * as if nothing were cached, so the cache can slow nothing down and
 * deadlock nothing.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config_cache.h"

#define CACHE_SLOTS 4
#define CACHE_SETTLE_NS 2000000000LL	/* see cfg_cache_put() */

struct cache_slot {
	char *path;		/* NULL: slot empty */
	struct stat st;
	uid_t euid;		/* who read it: a process that changed identity
				 * since must be able to read the file itself */
	struct cfg cfg;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache_slot cache[CACHE_SLOTS];
static size_t cache_next;	/* the slot the next new file takes */
static unsigned long cache_hits;

static bool same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size && a->st_mode == b->st_mode &&
	       a->st_uid == b->st_uid && a->st_gid == b->st_gid &&
	       same_time(&a->st_mtim, &b->st_mtim) &&
	       same_time(&a->st_ctim, &b->st_ctim);
}

static long long ns_of(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* True when the file's last change is at least CACHE_SETTLE_NS old. */
static bool settled(const struct stat *st)
{
	struct timespec now;
	long long last = ns_of(&st->st_mtim);

	if (ns_of(&st->st_ctim) > last)
		last = ns_of(&st->st_ctim);
	if (clock_gettime(CLOCK_REALTIME, &now) != 0)
		return false;
	return ns_of(&now) - last >= CACHE_SETTLE_NS;
}

bool cfg_cache_get(const char *path, const struct stat *st, struct cfg *out)
{
	bool hit = false;
	size_t i;

	if (pthread_mutex_trylock(&cache_lock) != 0)
		return false;
	for (i = 0; i < CACHE_SLOTS && !hit; i++) {
		if (cache[i].path == NULL || strcmp(cache[i].path, path) != 0 ||
		    cache[i].euid != geteuid() || !same_file(&cache[i].st, st))
			continue;
		hit = cfg_copy(out, &cache[i].cfg) == 0;
	}
	if (hit)
		cache_hits++;
	(void)pthread_mutex_unlock(&cache_lock);
	return hit;
}

void cfg_cache_put(const char *path, const struct stat *st,
		   const struct cfg *cfg)
{
	struct cache_slot *slot = NULL;
	char *copy_path;
	struct cfg copy;
	size_t i;

	if (!settled(st))
		return;
	copy_path = strdup(path);
	if (copy_path == NULL)
		return;
	if (cfg_copy(&copy, cfg) != 0) {
		free(copy_path);
		return;
	}
	if (pthread_mutex_trylock(&cache_lock) != 0) {
		cfg_free(&copy);
		free(copy_path);
		return;
	}
	/* The path's own slot if it has one (the file changed), else the
	 * next one round the ring. */
	for (i = 0; i < CACHE_SLOTS && slot == NULL; i++)
		if (cache[i].path != NULL && strcmp(cache[i].path, path) == 0)
			slot = &cache[i];
	if (slot == NULL) {
		slot = &cache[cache_next];
		cache_next = (cache_next + 1) % CACHE_SLOTS;
	}
	free(slot->path);
	cfg_free(&slot->cfg);
	slot->path = copy_path;
	slot->st = *st;
	slot->euid = geteuid();
	slot->cfg = copy;
	(void)pthread_mutex_unlock(&cache_lock);
}

unsigned long cfg_cache_hits(void)
{
	unsigned long n = 0;

	if (pthread_mutex_lock(&cache_lock) == 0) {
		n = cache_hits;
		(void)pthread_mutex_unlock(&cache_lock);
	}
	return n;
}
