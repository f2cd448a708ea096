/*
 * throttle.c - bounds password guessing through cmecf-link.
 *
 * The person running the helper owns the process after the drop: they can
 * read its timing, kill it at any moment and start as many as they like.
 * So a failure is counted before the password is checked, as pam_faillock
 * does: a record goes into a root-owned file, opened while privileged and
 * kept open across the drop, and is taken out again only once the
 * password was proven (or never reached a server). A run killed after its
 * bind leaves its record: it counts as a failure. Every read-modify-write
 * of the file happens under one exclusive lock, so parallel runs cannot
 * all pass one count. A person can stop (SIGSTOP) their own run while it
 * holds the lock; others then wait THR_LOCK_WAIT_MS and are refused, and
 * the log names the holder: a guess never gets through.
 *
 * The file is an array of fixed-size records. It is rewritten in place,
 * compacted towards its start, then truncated: a run killed in the middle
 * leaves each record at least once (possibly twice, which only counts more),
 * and a record is never lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmecf_link.h"

#define THR_MAGIC "CLF1"
#define THR_KEY_LEN 96		/* "cmecf:" court ":" login, NUL included */
#define THR_MAX_RECORDS 65536	/* 8 MiB; full: every check is refused */
#define THR_LOCK_WAIT_MS 5000	/* the longest a run waits for the lock */

/* One counted check, on disk. */
struct thr_record {
	char magic[4];
	uint32_t uid;		/* the calling real uid */
	int64_t when;		/* CLOCK_REALTIME seconds */
	uint64_t nonce;		/* the run's, to take its own record out */
	char key[THR_KEY_LEN];	/* the account, lowercased */
	char reserved[8];
};

/* The file's records, read under the lock. */
struct thr_table {
	struct thr_record *v;
	size_t n;
};

void thr_init(struct throttle *t)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
}

/* Opens (creating if absent) the state directory and the failure file,
 * checking owner, type and mode of each open descriptor; 0, or -1 with
 * t->err set. Called as root, before the drop. */
int thr_open(struct throttle *t)
{
	struct stat st;
	int dfd, fd;

	if (mkdir(THR_STATE_DIR, 0700) != 0 && errno != EEXIST) {
		(void)snprintf(t->err, sizeof(t->err), "cannot create %s: %s",
			       THR_STATE_DIR, strerror(errno));
		return -1;
	}
	dfd = open(THR_STATE_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		   O_CLOEXEC);
	if (dfd < 0 || fstat(dfd, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != 0 || (st.st_mode & 022) != 0) {
		(void)snprintf(t->err, sizeof(t->err), "%s must be a directory "
			       "owned by root and writable by root only",
			       THR_STATE_DIR);
		if (dfd >= 0)
			(void)close(dfd);
		return -1;
	}
	fd = openat(dfd, THR_STATE_FILE, O_RDWR | O_CREAT | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
	(void)close(dfd);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != 0 || (st.st_mode & 077) != 0 || st.st_nlink != 1) {
		(void)snprintf(t->err, sizeof(t->err), "%s/%s must be a "
			       "regular file owned by root, mode 0600",
			       THR_STATE_DIR, THR_STATE_FILE);
		if (fd >= 0)
			(void)close(fd);
		return -1;
	}
	t->fd = fd;
	return 0;
}

void thr_close(struct throttle *t)
{
	if (t->fd >= 0)
		(void)close(t->fd);
	t->fd = -1;
}

/* Sets (F_WRLCK) or clears (F_UNLCK) a POSIX lock on the whole file, or
 * with F_GETLK asks who holds it; fcntl's result. POSIX rather than flock
 * locks, because F_GETLK names the holder's pid for the log. */
static int thr_fcntl_lock(int fd, int cmd, short type, pid_t *holder)
{
	struct flock fl;
	int rc;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	rc = fcntl(fd, cmd, &fl);
	if (holder != NULL)
		*holder = rc == 0 && fl.l_type != F_UNLCK ? fl.l_pid : 0;
	return rc;
}

/* Takes the file's lock, waiting at most THR_LOCK_WAIT_MS (a run stopped
 * while it holds the lock delays the others no longer); 0, or -1 with
 * *HOLDER the pid that held it (0 when unknown). */
static int thr_lock(int fd, pid_t *holder)
{
	struct timespec pause = { 0, 10 * 1000000L };
	int waited;

	*holder = 0;
	for (waited = 0; waited < THR_LOCK_WAIT_MS; waited += 10) {
		if (thr_fcntl_lock(fd, F_SETLK, F_WRLCK, NULL) == 0)
			return 0;
		if (errno != EACCES && errno != EAGAIN && errno != EINTR)
			return -1;
		(void)nanosleep(&pause, NULL);
	}
	(void)thr_fcntl_lock(fd, F_GETLK, F_WRLCK, holder);
	return -1;
}

static void thr_unlock(int fd)
{
	(void)thr_fcntl_lock(fd, F_SETLK, F_UNLCK, NULL);
}

/* True when R is a well-formed record that still counts at NOW. */
static bool thr_record_live(const struct thr_record *rec, time_t now,
			    long window)
{
	if (memcmp(rec->magic, THR_MAGIC, 4) != 0)
		return false;
	if (memchr(rec->key, '\0', sizeof(rec->key)) == NULL ||
	    rec->key[0] == '\0')
		return false;
	/* A record from the future (a clock set back) counts for at most
	 * one window ahead, never for ever. */
	return rec->when > (int64_t)now - window &&
	       rec->when <= (int64_t)now + window;
}

/* Reads the live records into *TAB (malloc'ed, room for one more);
 * 0 or -1 on an I/O error. */
static int thr_read(int fd, time_t now, long window, struct thr_table *tab)
{
	struct stat st;
	size_t cap, n, i, keep = 0;
	ssize_t got;

	tab->v = NULL;
	tab->n = 0;
	if (fstat(fd, &st) != 0)
		return -1;
	n = (size_t)st.st_size / sizeof(struct thr_record);
	if (n > THR_MAX_RECORDS)
		n = THR_MAX_RECORDS;
	cap = n + 1;
	tab->v = calloc(cap, sizeof(struct thr_record));
	if (tab->v == NULL)
		return -1;
	if (n > 0) {
		got = pread(fd, tab->v, n * sizeof(struct thr_record), 0);
		if (got < 0)
			return -1;
		n = (size_t)got / sizeof(struct thr_record);
	}
	for (i = 0; i < n; i++)
		if (thr_record_live(&tab->v[i], now, window))
			tab->v[keep++] = tab->v[i];
	tab->n = keep;
	return 0;
}

/* Writes *TAB over the file from its start, truncates and syncs; 0 or -1. */
static int thr_write(int fd, const struct thr_table *tab)
{
	size_t len = tab->n * sizeof(struct thr_record);
	const char *p = (const char *)tab->v;
	size_t done = 0;
	ssize_t w;

	while (done < len) {
		w = pwrite(fd, p + done, len - done, (off_t)done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	if (ftruncate(fd, (off_t)len) != 0 || fsync(fd) != 0)
		return -1;
	return 0;
}

/* Counts the records matching KEY (or, with KEY NULL, UID); sets *OLDEST
 * to the earliest time among them. */
static long thr_count(const struct thr_table *tab, const char *key, uid_t uid,
		      int64_t *oldest)
{
	long n = 0;
	size_t i;

	*oldest = INT64_MAX;
	for (i = 0; i < tab->n; i++) {
		const struct thr_record *rec = &tab->v[i];

		if (key != NULL ? strcmp(rec->key, key) != 0 : rec->uid != uid)
			continue;
		n++;
		if (rec->when < *oldest)
			*oldest = rec->when;
	}
	return n;
}

/* Writes the lowercased key of an account into BUF; 0, or -1 when it does
 * not fit. */
int thr_key(char *buf, size_t n, const char *kind, const char *court,
	    const char *name)
{
	int len;
	size_t i;

	len = court != NULL ? snprintf(buf, n, "%s:%s:%s", kind, court, name)
			    : snprintf(buf, n, "%s:%s", kind, name);
	if (len < 0 || (size_t)len >= n || (size_t)len >= THR_KEY_LEN)
		return -1;
	/* Directory names match without regard to case: so does the count. */
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] = (char)(buf[i] - 'A' + 'a');
	return 0;
}

/*
 * Counts one check of KEY's password by RUID, before it is made. Returns
 * THR_GO with the record written and synced, THR_ACCOUNT_LOCKED or
 * THR_UID_LOCKED with *retry the time the oldest failure leaves the
 * window, THR_BUSY when the lock could not be had in time, THR_ERROR on
 * an I/O error or a full file (t->err says which).
 */
enum thr_verdict thr_begin(struct throttle *t, const struct cfg *cfg,
			   uid_t ruid, const char *key, time_t *retry)
{
	enum thr_verdict v = THR_ERROR;
	struct thr_table tab = { NULL, 0 };
	struct thr_record *rec;
	time_t now = time(NULL);
	int64_t oldest;
	pid_t holder;

	*retry = 0;
	if (t->fd < 0 || strlen(key) >= THR_KEY_LEN) {
		(void)snprintf(t->err, sizeof(t->err), "no failure file open");
		return THR_ERROR;
	}
	if (thr_lock(t->fd, &holder) != 0) {
		(void)snprintf(t->err, sizeof(t->err), "%s/%s stayed locked "
			       "for %d ms by pid %ld", THR_STATE_DIR,
			       THR_STATE_FILE, THR_LOCK_WAIT_MS, (long)holder);
		return THR_BUSY;
	}
	if (thr_read(t->fd, now, cfg->link_lockout_s, &tab) != 0) {
		(void)snprintf(t->err, sizeof(t->err), "cannot read %s/%s: %s",
			       THR_STATE_DIR, THR_STATE_FILE, strerror(errno));
		goto done;
	}
	if (thr_count(&tab, key, 0, &oldest) >= cfg->link_max_failures) {
		*retry = (time_t)(oldest + cfg->link_lockout_s);
		v = THR_ACCOUNT_LOCKED;
		goto done;
	}
	if (ruid != 0 && cfg->link_max_failures_uid > 0 &&
	    thr_count(&tab, NULL, ruid, &oldest) >=
	    cfg->link_max_failures_uid) {
		*retry = (time_t)(oldest + cfg->link_lockout_s);
		v = THR_UID_LOCKED;
		goto done;
	}
	if (tab.n >= THR_MAX_RECORDS) {
		(void)snprintf(t->err, sizeof(t->err), "%s/%s holds %d "
			       "failures in the window", THR_STATE_DIR,
			       THR_STATE_FILE, THR_MAX_RECORDS);
		goto done;
	}
	rec = &tab.v[tab.n++];
	memset(rec, 0, sizeof(*rec));
	memcpy(rec->magic, THR_MAGIC, 4);
	rec->uid = (uint32_t)ruid;
	rec->when = (int64_t)now;
	arc4random_buf(&rec->nonce, sizeof(rec->nonce));
	rec->nonce |= 1;	/* 0 means "none pending" */
	(void)snprintf(rec->key, sizeof(rec->key), "%s", key);
	if (thr_write(t->fd, &tab) != 0) {
		(void)snprintf(t->err, sizeof(t->err), "cannot write %s/%s: %s",
			       THR_STATE_DIR, THR_STATE_FILE, strerror(errno));
		goto done;
	}
	t->nonce = rec->nonce;
	v = THR_GO;
done:
	free(tab.v);
	thr_unlock(t->fd);
	return v;
}

/* Takes this run's pending record out: the password was proven, or never
 * reached a server. 0, or -1 (the record stays, and counts). */
int thr_settle(struct throttle *t)
{
	struct thr_table tab = { NULL, 0 };
	size_t i, keep = 0;
	int rc = -1;
	pid_t holder;

	if (t->nonce == 0)
		return 0;
	if (t->fd < 0 || thr_lock(t->fd, &holder) != 0)
		return -1;
	/* Any window the configuration allows: records are only removed
	 * here, never aged. */
	if (thr_read(t->fd, time(NULL), CFG_LINK_LOCKOUT_MAX, &tab) == 0) {
		for (i = 0; i < tab.n; i++)
			if (tab.v[i].nonce != t->nonce)
				tab.v[keep++] = tab.v[i];
		tab.n = keep;
		rc = thr_write(t->fd, &tab);
	}
	free(tab.v);
	thr_unlock(t->fd);
	if (rc == 0)
		t->nonce = 0;
	return rc;
}
