/*
 * transport.c - the connection to one directory server under one deadline:
 * resolving, connecting and racing the servers, TLS, and every read and
 * write libldap makes, each bounded by the time left.
 *
 * The socket is ours: connected non-blocking under poll(), then handed to
 * libldap with ldap_init_fd(). Every read or write libldap makes on it
 * goes through our own bottom layer, which waits under poll() no longer
 * than the step's end. A TLS handshake (ldaps, StartTLS) is the one step
 * libldap runs to completion on its own, so a watchdog thread also shuts
 * the socket down if it outlives the time left: the handshake then fails
 * instead of hanging. Every wait counts from a deadline, never from a
 * fresh timeout: a signal that interrupts it (the host process's timers)
 * costs no time beyond the deadline. Writes go out with MSG_NOSIGNAL: a
 * server that went away is an error, never a SIGPIPE in the host process.
 *
 * Threads, and what each owns:
 * - the caller's thread owns the dir_conn it is handed, and joins the
 *   watchdog and racer threads below before dir_connect returns;
 * - a resolver thread (resolve_bounded) is detached, because getaddrinfo
 *   cannot be interrupted: when the resolver is silent it outlives the
 *   call that started it, until getaddrinfo returns. It owns its
 *   resolve_job until it drops its reference; the job's lock guards the
 *   reference count and the result, whichever side lets go last frees
 *   it, and the thread touches nothing else;
 * - a TLS watchdog (watchdog_start) owns nothing: it waits on its own
 *   lock and condition and may only shutdown() the socket it was given,
 *   which the caller keeps open until watchdog_stop has joined it;
 * - a racer thread (race_connect) owns its attempt's connection until the
 *   race hands the winner to the caller; the race's lock guards who won,
 *   and a dir_cancel's lock guards the socket an attempt publishes, so a
 *   loser is shut down from outside without touching a reused descriptor.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <openldap.h>

#include "dir_private.h"
#include "secret.h"

#define DIR_DEFAULT_LDAPI "/var/run/slapd/ldapi"
#define DIR_SYSTEM_CA "/etc/ssl/certs/ca-certificates.crt"


/* ---- time -------------------------------------------------------------- */

/* The wait allowed for one step: the smaller of LIMIT_MS and the time left;
 * *which names the limit that would fire. */
long dir_step_ms(const struct dir_deadline *dl, long limit_ms,
		 const char *limit_name, const char **which)
{
	long left = dir_deadline_left_ms(dl);

	if (limit_ms < left) {
		*which = limit_name;
		return limit_ms;
	}
	*which = "login_budget";
	return left;
}

struct timeval dir_ms_to_tv(long ms)
{
	struct timeval tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	return tv;
}

/* ---- the bottom layer: bounded reads and writes, no SIGPIPE ------------ */

/*
 * libldap reads and writes its socket with read(2) and write(2) and
 * starts a read again after EINTR: with a kernel timeout (SO_RCVTIMEO)
 * alone, a host process whose timer fires more often than that timeout
 * would never see it expire. And write(2) raises SIGPIPE when the server
 * has gone away; the host process's handler and signal mask are not ours
 * to change. So the bottom layer of every connection's socket buffer is
 * swapped for a copy of libldap's own whose read and write wait under
 * poll() until the end of the connection's current step, counted from
 * that end after a signal, and whose write is send(MSG_NOSIGNAL): every
 * byte libldap moves on our connections, TLS records included, passes
 * through it, and a dead peer is an EPIPE error, never a signal.
 */
static Sockbuf_IO bounded_tcp_io, bounded_fd_io;
static pthread_once_t bounded_once = PTHREAD_ONCE_INIT;

/* The descriptor under SBIOD, or -1. */
static int sbiod_fd(Sockbuf_IO_Desc *sbiod)
{
	ber_socket_t fd = -1;

	(void)ber_sockbuf_ctrl(sbiod->sbiod_sb, LBER_SB_OPT_GET_FD, &fd);
	return fd;
}

/* Reads at most LEN bytes once the socket is readable within the step;
 * the count, or -1 with errno (ETIMEDOUT when the step is over). */
static ber_slen_t bounded_read(Sockbuf_IO_Desc *sbiod, void *buf, ber_len_t len)
{
	const struct dir_conn *c = sbiod->sbiod_pvt;
	struct dir_deadline until;
	int fd = sbiod_fd(sbiod);

	until.at = c->io_until;
	for (;;) {
		ssize_t n = recv(fd, buf, len, MSG_DONTWAIT);
		int ready;

		if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK &&
			       errno != EINTR))
			return n;
		ready = dir_poll_until(fd, POLLIN, &until);
		if (ready == 0)
			errno = ETIMEDOUT;
		if (ready <= 0)
			return -1;
	}
}

/*
 * Writes at most LEN bytes once the socket is writable, never raising
 * SIGPIPE; the count, or -1 with errno (ETIMEDOUT when the time ran out).
 * A write starts an operation, whose step may not have begun yet: it is
 * bounded by the operation timeout from now and the deadline.
 */
static ber_slen_t bounded_write(Sockbuf_IO_Desc *sbiod, void *buf,
				ber_len_t len)
{
	const struct dir_conn *c = sbiod->sbiod_pvt;
	struct dir_deadline until;
	const char *limit = NULL;
	int fd = sbiod_fd(sbiod);

	dir_deadline_start(&until, dir_step_ms(&c->dl, c->cfg->timeout_ms,
					   "timeout", &limit));
	for (;;) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		int ready;

		if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK &&
			       errno != EINTR))
			return n;
		ready = dir_poll_until(fd, POLLOUT, &until);
		if (ready == 0)
			errno = ETIMEDOUT;
		if (ready <= 0)
			return -1;
	}
}

/* Keeps the connection ARG as the layer's own (liblber stores it only
 * through a setup function). libldap's own setup only sets the socket's
 * descriptor, which ldap_init_fd() has already set. */
static int bounded_setup(Sockbuf_IO_Desc *sbiod, void *arg)
{
	sbiod->sbiod_pvt = arg;
	return 0;
}

static void bounded_init(void)
{
	bounded_tcp_io = ber_sockbuf_io_tcp;
	bounded_tcp_io.sbi_setup = bounded_setup;
	bounded_tcp_io.sbi_read = bounded_read;
	bounded_tcp_io.sbi_write = bounded_write;
	bounded_fd_io = ber_sockbuf_io_fd;
	bounded_fd_io.sbi_setup = bounded_setup;
	bounded_fd_io.sbi_read = bounded_read;
	bounded_fd_io.sbi_write = bounded_write;
}

/* Swaps C's bottom socket layer for the bounded one; 0 or -1. */
static int bounded_install(struct dir_conn *c, bool ipc)
{
	Sockbuf *sb = NULL;
	Sockbuf_IO *orig = ipc ? &ber_sockbuf_io_fd : &ber_sockbuf_io_tcp;

	if (pthread_once(&bounded_once, bounded_init) != 0 ||
	    ldap_get_option(c->ld, LDAP_OPT_SOCKBUF, &sb) != LDAP_OPT_SUCCESS ||
	    sb == NULL || ber_sockbuf_ctrl(sb, LBER_SB_OPT_HAS_IO, orig) != 1 ||
	    ber_sockbuf_remove_io(sb, orig, LBER_SBIOD_LEVEL_PROVIDER) != 0)
		return -1;
	return ber_sockbuf_add_io(sb, ipc ? &bounded_fd_io : &bounded_tcp_io,
				  LBER_SBIOD_LEVEL_PROVIDER, c) == 0 ? 0 : -1;
}

/* ---- cancelling an attempt ----------------------------------------- */

/* Publishes FD on K; -1 when K was already cancelled. */
static int cancel_publish(struct dir_cancel *k, int fd)
{
	int rc = 0;

	if (k == NULL)
		return 0;
	(void)pthread_mutex_lock(&k->lock);
	if (k->cancelled)
		rc = -1;
	else
		k->fd = fd;
	(void)pthread_mutex_unlock(&k->lock);
	return rc;
}

/* Withdraws the published socket before its owner closes it. */
static void cancel_withdraw(struct dir_cancel *k)
{
	if (k == NULL)
		return;
	(void)pthread_mutex_lock(&k->lock);
	k->fd = -1;
	(void)pthread_mutex_unlock(&k->lock);
}

/* Stops the attempt: its socket is shut down, so whatever it waits on
 * (connect, a TLS handshake, a result) fails at once. */
static void cancel_fire(struct dir_cancel *k)
{
	(void)pthread_mutex_lock(&k->lock);
	k->cancelled = true;
	if (k->fd >= 0)
		(void)shutdown(k->fd, SHUT_RDWR);
	(void)pthread_mutex_unlock(&k->lock);
}

/* ---- name resolution, bounded ------------------------------------------ */

/*
 * getaddrinfo() cannot be given a timeout, and a resolver that never
 * answers holds it for resolv.conf's timeout times attempts (10 s by
 * default). So a name is resolved in a detached thread of its own; the
 * caller waits only as long as it may and walks away. Whichever of the
 * two lets go of the job last frees it.
 */
struct resolve_job {
	pthread_mutex_t lock;
	pthread_cond_t done_cv;
	int refs;
	bool done;
	int gai;
	struct addrinfo *ai;
	struct addrinfo hints;
	char host[256];
	char port[16];
};

/* Drops one reference; called with the lock held, returns unlocked. */
static void resolve_release(struct resolve_job *j)
{
	bool last = --j->refs == 0;

	(void)pthread_mutex_unlock(&j->lock);
	if (!last)
		return;
	if (j->ai != NULL)
		freeaddrinfo(j->ai);
	(void)pthread_mutex_destroy(&j->lock);
	(void)pthread_cond_destroy(&j->done_cv);
	free(j);
}

static void *resolve_main(void *arg)
{
	struct resolve_job *j = arg;
	struct addrinfo *ai = NULL;
	int gai = getaddrinfo(j->host, j->port, &j->hints, &ai);

	(void)pthread_mutex_lock(&j->lock);
	j->gai = gai;
	j->ai = gai == 0 ? ai : NULL;
	j->done = true;
	(void)pthread_cond_signal(&j->done_cv);
	resolve_release(j);
	return NULL;
}

static bool cancel_requested(struct dir_cancel *k)
{
	bool yes;

	if (k == NULL)
		return false;
	(void)pthread_mutex_lock(&k->lock);
	yes = k->cancelled;
	(void)pthread_mutex_unlock(&k->lock);
	return yes;
}

/*
 * getaddrinfo(HOST, PORT, HINTS) within MS milliseconds (and while K is
 * not cancelled). Returns its result with *out owned by the caller
 * (freeaddrinfo), or EAI_AGAIN with *timed_out set when the time ran out.
 */
static int resolve_bounded(const char *host, const char *port,
			   const struct addrinfo *hints, long ms,
			   struct dir_cancel *k, struct addrinfo **out,
			   bool *timed_out)
{
	struct resolve_job *j;
	pthread_condattr_t attr;
	pthread_attr_t tattr;
	pthread_t thread;
	sigset_t all, old;
	struct dir_deadline until;
	int rc, gai;

	*out = NULL;
	*timed_out = false;
	if (strlen(host) >= sizeof(j->host))
		return EAI_NONAME;
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return EAI_MEMORY;
	(void)snprintf(j->host, sizeof(j->host), "%s", host);
	(void)snprintf(j->port, sizeof(j->port), "%s", port);
	j->hints = *hints;
	j->refs = 2;
	if (pthread_condattr_init(&attr) != 0) {
		free(j);
		return EAI_MEMORY;
	}
	(void)pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (pthread_cond_init(&j->done_cv, &attr) != 0) {
		(void)pthread_condattr_destroy(&attr);
		free(j);
		return EAI_MEMORY;
	}
	(void)pthread_condattr_destroy(&attr);
	(void)pthread_mutex_init(&j->lock, NULL);

	(void)pthread_attr_init(&tattr);
	(void)pthread_attr_setdetachstate(&tattr, PTHREAD_CREATE_DETACHED);
	(void)sigfillset(&all);
	(void)pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&thread, &tattr, resolve_main, j);
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	(void)pthread_attr_destroy(&tattr);
	(void)pthread_mutex_lock(&j->lock);
	if (rc != 0) {
		j->refs = 1;
		resolve_release(j);
		return EAI_MEMORY;
	}
	dir_deadline_start(&until, ms);
	while (!j->done && dir_deadline_left_ms(&until) > 0 &&
	       !cancel_requested(k)) {
		/* Short slices, so a cancelled race need not wait it out. */
		struct dir_deadline slice;

		dir_deadline_start(&slice, 20);
		(void)pthread_cond_timedwait(&j->done_cv, &j->lock, &slice.at);
	}
	if (j->done) {
		gai = j->gai;
		*out = j->ai;
		j->ai = NULL;
	} else {
		gai = EAI_AGAIN;
		*timed_out = true;
	}
	resolve_release(j);
	return gai;
}

/* ---- the socket -------------------------------------------------------- */

/* Bounds every blocking read and write on FD to MS milliseconds. */
static void socket_set_timeouts(int fd, long ms)
{
	struct timeval tv = dir_ms_to_tv(ms > 0 ? ms : 1);

	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* Ends C's current step MS from now: the bound of the bottom layer's
 * waits. The kernel timeouts follow unless they are already there: each
 * change costs two system calls on every operation of a login. */
void dir_conn_set_timeouts(struct dir_conn *c, long ms)
{
	struct dir_deadline until;

	dir_deadline_start(&until, ms > 0 ? ms : 0);
	c->io_until = until.at;
	if (ms == c->sock_ms)
		return;
	socket_set_timeouts(c->fd, ms);
	c->sock_ms = ms;
}

/*
 * A Unix socket whose listener's queue is full refuses a non-blocking
 * connect with EAGAIN at once; the connect is tried again every this many
 * milliseconds, while the time allows, as a TCP SYN would be retried.
 */
#define DIR_UNIX_RETRY_MS 10

/*
 * Connects a non-blocking socket to ADDR within MS; returns the descriptor
 * (blocking again) or -1 with errno (ETIMEDOUT when MS ran out). A signal
 * that interrupts the wait costs nothing beyond MS.
 */
static int socket_connect(int family, const struct sockaddr *addr,
			  socklen_t len, long ms, struct dir_cancel *k)
{
	struct dir_deadline until;
	int fd, soerr = 0, flags, ready;
	socklen_t soerr_len = sizeof(soerr);

	dir_deadline_start(&until, ms);
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (cancel_publish(k, fd) != 0) {
		(void)close(fd);
		errno = ECANCELED;
		return -1;
	}
	while (family == AF_UNIX && connect(fd, addr, len) != 0) {
		long left = dir_deadline_left_ms(&until);

		if (errno != EAGAIN && errno != EINTR)
			goto fail;
		if (cancel_requested(k)) {
			errno = ECANCELED;
			goto fail;
		}
		if (left <= 0) {
			errno = ETIMEDOUT;
			goto fail;
		}
		/* A pause that a signal may cut short: the loop counts from
		 * UNTIL, not from the pause. */
		(void)poll(NULL, 0, (int)(left < DIR_UNIX_RETRY_MS ? left
							: DIR_UNIX_RETRY_MS));
	}
	if (family != AF_UNIX && connect(fd, addr, len) != 0) {
		if (errno != EINPROGRESS && errno != EAGAIN && errno != EINTR)
			goto fail;
		ready = dir_poll_until(fd, POLLOUT, &until);
		if (ready == 0)
			errno = ETIMEDOUT;
		if (ready <= 0)
			goto fail;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr,
			       &soerr_len) != 0)
			goto fail;
		if (soerr != 0) {
			errno = soerr;
			goto fail;
		}
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0)
		goto fail;
	/* libldap sets this on sockets it connects itself; without it a TLS
	 * record split across writes waits out a delayed ACK (~40 ms). */
	if (family != AF_UNIX) {
		int one = 1;

		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				 sizeof(one));
	}
	return fd;
fail:
	soerr = errno;
	cancel_withdraw(k);
	(void)close(fd);
	errno = soerr;
	return -1;
}

/* ---- the watchdog ------------------------------------------------------ */

struct watchdog {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct timespec at;
	int fd;
	bool done;
	bool fired;
};

static void *watchdog_main(void *arg)
{
	struct watchdog *w = arg;

	(void)pthread_mutex_lock(&w->lock);
	while (!w->done) {
		int rc = pthread_cond_timedwait(&w->wake, &w->lock, &w->at);

		if (rc == ETIMEDOUT && !w->done) {
			(void)shutdown(w->fd, SHUT_RDWR);
			w->fired = true;
			break;
		}
	}
	(void)pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Starts a watchdog that shuts FD down MS from now; 0 or -1. Signals are
 * blocked in its thread so the host process's handlers never run there. */
static int watchdog_start(struct watchdog *w, int fd, long ms)
{
	pthread_condattr_t attr;
	sigset_t all, old;
	struct dir_deadline dl;
	int rc;

	memset(w, 0, sizeof(*w));
	w->fd = fd;
	dir_deadline_start(&dl, ms);
	w->at = dl.at;
	if (pthread_condattr_init(&attr) != 0)
		return -1;
	if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&w->wake, &attr) != 0) {
		(void)pthread_condattr_destroy(&attr);
		return -1;
	}
	(void)pthread_condattr_destroy(&attr);
	if (pthread_mutex_init(&w->lock, NULL) != 0) {
		(void)pthread_cond_destroy(&w->wake);
		return -1;
	}
	(void)sigfillset(&all);
	(void)pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, watchdog_main, w);
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		(void)pthread_mutex_destroy(&w->lock);
		(void)pthread_cond_destroy(&w->wake);
		return -1;
	}
	return 0;
}

/* Stops the watchdog; returns true when it had fired. */
static bool watchdog_stop(struct watchdog *w)
{
	bool fired;

	(void)pthread_mutex_lock(&w->lock);
	w->done = true;
	(void)pthread_cond_signal(&w->wake);
	(void)pthread_mutex_unlock(&w->lock);
	(void)pthread_join(w->thread, NULL);
	fired = w->fired;
	(void)pthread_mutex_destroy(&w->lock);
	(void)pthread_cond_destroy(&w->wake);
	return fired;
}

/* ---- connecting -------------------------------------------------------- */

static int reqcert_to_ldap(enum cfg_reqcert r)
{
	switch (r) {
	case CFG_REQCERT_NEVER:	return LDAP_OPT_X_TLS_NEVER;
	case CFG_REQCERT_ALLOW:	return LDAP_OPT_X_TLS_ALLOW;
	case CFG_REQCERT_TRY:	return LDAP_OPT_X_TLS_TRY;
	case CFG_REQCERT_DEMAND: return LDAP_OPT_X_TLS_DEMAND;
	}
	return LDAP_OPT_X_TLS_DEMAND;
}

/*
 * Every option on our own handle. The TLS ones are set explicitly even
 * where they repeat a default, so that nothing from ldap.conf, ~/.ldaprc or
 * LDAP* variables of the host process decides how a certificate is checked.
 */
static int handle_set_options(struct dir_conn *c, bool tls)
{
	const struct cfg *cfg = c->cfg;
	int version = LDAP_VERSION3, reqcert, zero = 0;
	int min_proto = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
	struct timeval net = dir_ms_to_tv(cfg->network_timeout_ms);
	struct timeval op = dir_ms_to_tv(cfg->timeout_ms);
	const char *ca =
		cfg->tls_cacert != NULL ? cfg->tls_cacert : DIR_SYSTEM_CA;

	if (ldap_set_option(c->ld, LDAP_OPT_PROTOCOL_VERSION, &version) != 0 ||
	    ldap_set_option(c->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != 0 ||
	    /* A wait for a result that a signal interrupts goes on with the
	     * time left, instead of failing as if the server were down. */
	    ldap_set_option(c->ld, LDAP_OPT_RESTART, LDAP_OPT_ON) != 0 ||
	    ldap_set_option(c->ld, LDAP_OPT_NETWORK_TIMEOUT, &net) != 0 ||
	    ldap_set_option(c->ld, LDAP_OPT_TIMEOUT, &op) != 0)
		return -1;
	if (!tls)
		return 0;
	reqcert = reqcert_to_ldap(cfg->tls_reqcert);
	if (ldap_set_option(c->ld, LDAP_OPT_X_TLS_REQUIRE_CERT,
			    &reqcert) != 0 ||
	    ldap_set_option(c->ld, LDAP_OPT_X_TLS_CACERTFILE, ca) != 0 ||
	    ldap_set_option(c->ld, LDAP_OPT_X_TLS_CACERTDIR, NULL) != 0 ||
	    ldap_set_option(c->ld, LDAP_OPT_X_TLS_CERTFILE, NULL) != 0 ||
	    ldap_set_option(c->ld, LDAP_OPT_X_TLS_KEYFILE, NULL) != 0 ||
	    ldap_set_option(c->ld, LDAP_OPT_X_TLS_PROTOCOL_MIN,
			    &min_proto) != 0)
		return -1;
	/* TLS options on a handle take effect only with a context of its own. */
	if (ldap_set_option(c->ld, LDAP_OPT_X_TLS_NEWCTX, &zero) != 0)
		return -1;
	return 0;
}

/* Runs ldaps' handshake or StartTLS under the watchdog. */
static enum dir_status conn_start_tls(struct dir_conn *c, bool starttls,
				      struct dir_error *err)
{
	struct watchdog w;
	const char *limit = NULL;
	long ms = dir_step_ms(&c->dl, c->cfg->timeout_ms, "timeout", &limit);
	int rc;
	bool fired;

	if (ms <= 0)
		return dir_set_error(err, DIR_ERR_TIMEOUT, c->server, 0,
				     "login_budget",
				     "no time left for the TLS handshake");
	/* The watchdog, not the socket's own timeout, ends a silent handshake:
	 * then a timeout is always reported as one. */
	dir_conn_set_timeouts(c, ms + 250);
	if (watchdog_start(&w, c->fd, ms) != 0)
		return dir_set_error(err, DIR_ERR_NOMEM, c->server, 0, NULL,
			    "cannot start the TLS watchdog");
	rc = starttls ? ldap_start_tls_s(c->ld, NULL, NULL)
		      : ldap_install_tls(c->ld);
	fired = watchdog_stop(&w);
	/* libldap's own operation timeout may end StartTLS a moment before
	 * the watchdog: the same limit fired. */
	if (fired || rc == LDAP_TIMEOUT) {
		c->broken = true;
		return dir_set_error(
			err, DIR_ERR_TIMEOUT, c->server, rc, limit,
			starttls ? "StartTLS did not complete in time"
				 : "TLS handshake did not complete in time");
	}
	if (rc != LDAP_SUCCESS) {
		char *diag = NULL;
		char detail[256];

		(void)ldap_get_option(c->ld, LDAP_OPT_DIAGNOSTIC_MESSAGE,
				      &diag);
		(void)snprintf(detail, sizeof(detail), "%s: %s%s%s",
			       starttls ? "StartTLS failed"
					: "TLS handshake failed",
			       ldap_err2string(rc), diag != NULL ? ": " : "",
			       diag != NULL ? diag : "");
		ldap_memfree(diag);
		c->broken = true;
		/* A refused StartTLS or a bad certificate is final for this
		 * server: never retried in plaintext. */
		return dir_set_error(err, DIR_ERR_TLS, c->server, rc, NULL,
				     detail);
	}
	/* Only a certificate checked to the end makes the channel fit for a
	 * password (the configuration refuses anything weaker unless
	 * allow_plaintext is set). */
	c->secure = c->cfg->tls_reqcert == CFG_REQCERT_DEMAND;
	return DIR_OK;
}

/* Opens the socket for the parsed URL LUD; the descriptor or -1 with err. */
static int open_socket(struct dir_conn *c, LDAPURLDesc *lud, bool ldapi,
		       struct dir_error *err)
{
	const char *limit = NULL;
	long ms = dir_step_ms(&c->dl, c->cfg->network_timeout_ms,
			      "network_timeout", &limit);
	int fd = -1, saved = 0;

	if (ms <= 0) {
		dir_set_error(err, DIR_ERR_TIMEOUT, c->server, 0,
			      "login_budget", "no time left to connect");
		return -1;
	}
	if (ldapi) {
		struct sockaddr_un sun;
		const char *path =
			lud->lud_host != NULL && *lud->lud_host != '\0'
				? lud->lud_host
				: DIR_DEFAULT_LDAPI;

		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(path) >= sizeof(sun.sun_path)) {
			dir_set_error(err, DIR_ERR_UNAVAILABLE, c->server, 0,
				      NULL, "ldapi socket path too long");
			return -1;
		}
		memcpy(sun.sun_path, path, strlen(path));
		fd = socket_connect(AF_UNIX, (struct sockaddr *)&sun,
				    sizeof(sun), ms, c->cancel);
		saved = errno;
	} else {
		struct addrinfo hints, *ai = NULL, *p;
		char port[16];
		int port_no =
			lud->lud_port > 0
				? lud->lud_port
				: (strcmp(lud->lud_scheme, "ldaps") == 0 ? 636
									 : 389);
		int gai;

		(void)snprintf(port, sizeof(port), "%d", port_no);
		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_NUMERICSERV | AI_NUMERICHOST;
		gai = getaddrinfo(lud->lud_host, port, &hints, &ai);
		if (gai == EAI_NONAME) {
			bool timed_out = false;

			hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
			gai = resolve_bounded(lud->lud_host, port, &hints, ms,
					      c->cancel, &ai, &timed_out);
			if (timed_out) {
				dir_set_error(
					err, DIR_ERR_TIMEOUT, c->server, 0,
					limit,
					"the name resolver did not answer in time");
				return -1;
			}
		}
		if (gai != 0) {
			dir_set_error(err, DIR_ERR_UNAVAILABLE, c->server, 0,
				      NULL, gai_strerror(gai));
			return -1;
		}
		saved = EHOSTUNREACH;
		for (p = ai; p != NULL && fd < 0; p = p->ai_next) {
			ms = dir_step_ms(&c->dl, c->cfg->network_timeout_ms,
				     "network_timeout", &limit);
			if (ms <= 0)
				break;
			fd = socket_connect(p->ai_family, p->ai_addr,
					    p->ai_addrlen, ms, c->cancel);
			saved = errno;
		}
		freeaddrinfo(ai);
	}
	if (fd < 0) {
		if (saved == ETIMEDOUT)
			dir_set_error(err, DIR_ERR_TIMEOUT, c->server, 0, limit,
			     "no answer to connect");
		else
			dir_set_error(err, DIR_ERR_UNAVAILABLE, c->server, 0,
				      NULL, strerror(saved));
	}
	return fd;
}

/*
 * Proves that the server behind C answers LDAP, not only that its kernel
 * accepted the connection: a base read of the root DSE asking for no
 * attribute, within the operation timeout and the deadline. Any result,
 * a refusal included, is an answer: DIR_OK; else why not, in err.
 */
static enum dir_status conn_probe(struct dir_conn *c, struct dir_error *err)
{
	static char *const no_attrs[] = { LDAP_NO_ATTRS, NULL };
	LDAPMessage *res = NULL;
	const char *limit = NULL;
	int msgid = -1;
	enum dir_status st;

	/* The request is written under this step's bound too. */
	dir_conn_set_timeouts(
		c, dir_step_ms(&c->dl, c->cfg->timeout_ms, "timeout", &limit));
	st = dir_search_send(c, "", LDAP_SCOPE_BASE, "(objectClass=*)",
			     no_attrs, 1, &msgid, err);
	if (st != DIR_OK)
		return st;
	st = dir_wait(c, msgid, LDAP_MSG_ALL, &res, err);
	if (res != NULL)
		(void)ldap_msgfree(res);
	return st;
}

/*
 * One URI: socket, handle, options, TLS and, when racing (CANCEL not
 * NULL), one answered request. DIR_OK with *out, or err set.
 */
static enum dir_status connect_one(const struct cfg *cfg, const char *uri,
				   const struct dir_deadline *dl,
				   struct dir_cancel *cancel,
				   struct dir_conn **out, struct dir_error *err)
{
	LDAPURLDesc *lud = NULL;
	struct dir_conn *c;
	enum dir_status st = DIR_ERR_PROTOCOL;
	bool ldapi, ldaps, tls;
	char *url = NULL;
	const char *limit = NULL;
	int n;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return dir_set_error(err, DIR_ERR_NOMEM, uri, 0, NULL,
				     "out of memory");
	c->fd = -1;
	c->cfg = cfg;
	c->dl = *dl;
	c->cancel = cancel;
	(void)snprintf(c->server, sizeof(c->server), "%s", uri);

	if (ldap_url_parse(uri, &lud) != LDAP_URL_SUCCESS ||
	    lud->lud_scheme == NULL) {
		st = dir_set_error(err, DIR_ERR_PROTOCOL, uri, 0, NULL,
				   "not an LDAP URI");
		goto done;
	}
	ldapi = strcmp(lud->lud_scheme, "ldapi") == 0;
	ldaps = strcmp(lud->lud_scheme, "ldaps") == 0;
	if (!ldapi && !ldaps && strcmp(lud->lud_scheme, "ldap") != 0) {
		st = dir_set_error(err, DIR_ERR_PROTOCOL, uri, 0, NULL,
				   "unsupported URI scheme");
		goto done;
	}
	if (!ldapi && (lud->lud_host == NULL || *lud->lud_host == '\0')) {
		st = dir_set_error(err, DIR_ERR_PROTOCOL, uri, 0, NULL,
				   "URI names no host");
		goto done;
	}
	tls = ldaps || (!ldapi && cfg->starttls);

	c->fd = open_socket(c, lud, ldapi, err);
	if (c->fd < 0) {
		st = err != NULL ? err->status : DIR_ERR_UNAVAILABLE;
		goto done;
	}
	dir_conn_set_timeouts(
		c, dir_step_ms(&c->dl, cfg->timeout_ms, "timeout", &limit));

	/* libldap checks the certificate against the host of this URL: it
	 * is built whole, whatever the name's length, never cut to fit. */
	if (ldapi)
		n = asprintf(&url, "%s", uri);
	else
		n = asprintf(&url, strchr(lud->lud_host, ':') != NULL
				   ? "ldap://[%s]:%d" : "ldap://%s:%d",
			     lud->lud_host, lud->lud_port > 0 ? lud->lud_port
				   : (ldaps ? 636 : 389));
	if (n < 0) {
		url = NULL;
		st = dir_set_error(err, DIR_ERR_NOMEM, uri, 0, NULL,
				   "out of memory");
		goto done;
	}
	if (ldap_init_fd(c->fd, ldapi ? LDAP_PROTO_IPC : LDAP_PROTO_TCP, url,
			 &c->ld) != LDAP_SUCCESS) {
		cancel_withdraw(c->cancel);
		(void)close(c->fd);
		c->fd = -1;
		st = dir_set_error(err, DIR_ERR_NOMEM, uri, 0, NULL,
				   "ldap_init_fd failed");
		goto done;
	}
	if (bounded_install(c, ldapi) != 0) {
		st = dir_set_error(err, DIR_ERR_NOMEM, uri, 0, NULL,
			  "cannot set up the connection's socket layer");
		goto done;
	}
	if (handle_set_options(c, tls) != 0) {
		st = dir_set_error(err, DIR_ERR_TLS, uri, 0, NULL,
			  "cannot set the connection's options (TLS settings)");
		goto done;
	}
	c->secure = ldapi;
	if (tls) {
		st = conn_start_tls(c, !ldaps, err);
		if (st != DIR_OK)
			goto done;
	}
	/* In a race, a server has won only once it has answered. */
	if (cancel != NULL) {
		st = conn_probe(c, err);
		if (st != DIR_OK)
			goto done;
	}
	st = DIR_OK;
done:
	free(url);
	if (lud != NULL)
		ldap_free_urldesc(lud);
	/* From here the socket belongs to the connection (or is closed). */
	cancel_withdraw(c->cancel);
	c->cancel = NULL;
	if (st == DIR_OK)
		*out = c;
	else
		dir_close(c);
	return st;
}

/* ---- racing the servers (RFC 8305's idea, for directory servers) ------ */

/*
 * How long the first server has before the next one is tried beside it.
 * A healthy server on a LAN completes connect and TLS well within this.
 */
#define DIR_RACE_HEAD_START_MS 150

struct race;

/* One server's attempt, run in a thread of its own. */
struct racer {
	struct race *race;
	const struct cfg *cfg;
	const char *uri;
	const struct dir_deadline *dl;
	struct dir_cancel cancel;
	pthread_t thread;
	bool started;
	bool done;
	enum dir_status st;
	struct dir_conn *conn;
	struct dir_error err;
};

struct race {
	pthread_mutex_t lock;
	pthread_cond_t wake;
};

static void *racer_main(void *arg)
{
	struct racer *r = arg;
	struct dir_conn *c = NULL;
	struct dir_error err;
	enum dir_status st;

	memset(&err, 0, sizeof(err));
	st = connect_one(r->cfg, r->uri, r->dl, &r->cancel, &c, &err);
	(void)pthread_mutex_lock(&r->race->lock);
	r->st = st;
	r->conn = c;
	r->err = err;
	r->done = true;
	(void)pthread_cond_broadcast(&r->race->wake);
	(void)pthread_mutex_unlock(&r->race->lock);
	return NULL;
}

/* Starts R's thread with every signal blocked in it; 0 or -1. */
static int racer_start(struct racer *r)
{
	sigset_t all, old;
	int rc;

	(void)sigfillset(&all);
	(void)pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&r->thread, NULL, racer_main, r);
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	r->started = rc == 0;
	return rc == 0 ? 0 : -1;
}

static void ts_add_ms(struct timespec *t, long ms)
{
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static bool ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/*
 * Tries URIS[0..N) side by side: the first starts at once, each next one
 * when the one before has failed or has had DIR_RACE_HEAD_START_MS. The
 * first to finish connecting (TLS included) wins; the others are shut
 * down and joined before this returns, and their connections closed.
 * *won is the index of the winner.
 */
static enum dir_status race_connect(const struct cfg *cfg,
				    const char *const *uris, size_t n,
				    const struct dir_deadline *dl,
				    struct dir_conn **out, size_t *won,
				    struct dir_error *err)
{
	struct race race;
	struct racer rs[CFG_MAX_URIS];
	pthread_condattr_t attr;
	struct timespec now, next_start;
	size_t i, started = 0, finished = 0, winner = n, failed = n;
	enum dir_status st;

	if (n > CFG_MAX_URIS)
		n = CFG_MAX_URIS;
	if (pthread_condattr_init(&attr) != 0)
		return dir_set_error(err, DIR_ERR_NOMEM, uris[0], 0, NULL,
				     "cannot race");
	if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&race.wake, &attr) != 0) {
		(void)pthread_condattr_destroy(&attr);
		return dir_set_error(err, DIR_ERR_NOMEM, uris[0], 0, NULL,
				     "cannot race");
	}
	(void)pthread_condattr_destroy(&attr);
	if (pthread_mutex_init(&race.lock, NULL) != 0) {
		(void)pthread_cond_destroy(&race.wake);
		return dir_set_error(err, DIR_ERR_NOMEM, uris[0], 0, NULL,
				     "cannot race");
	}
	memset(rs, 0, sizeof(rs));
	for (i = 0; i < n; i++) {
		rs[i].race = &race;
		rs[i].cfg = cfg;
		rs[i].uri = uris[i];
		rs[i].dl = dl;
		rs[i].cancel.fd = -1;
		(void)pthread_mutex_init(&rs[i].cancel.lock, NULL);
	}

	(void)clock_gettime(CLOCK_MONOTONIC, &next_start);
	(void)pthread_mutex_lock(&race.lock);
	for (;;) {
		(void)clock_gettime(CLOCK_MONOTONIC, &now);
		/* Start the next server: its head start is over, or every
		 * server started so far has already failed. */
		if (started < n && (!ts_before(&now, &next_start) ||
				    started == finished)) {
			if (dir_deadline_left_ms(dl) <= 0)
				break;
			if (racer_start(&rs[started]) != 0) {
				rs[started].done = true;
				rs[started].st = dir_set_error(
					&rs[started].err, DIR_ERR_NOMEM,
					uris[started], 0, NULL,
					"cannot start a thread");
			}
			started++;
			next_start = now;
			ts_add_ms(&next_start, DIR_RACE_HEAD_START_MS);
			continue;
		}
		finished = 0;
		for (i = 0; i < started; i++) {
			if (!rs[i].done)
				continue;
			finished++;
			if (rs[i].st == DIR_OK && winner == n)
				winner = i;
			else if (rs[i].st != DIR_OK)
				failed = i;
		}
		if (winner < n || (finished == n) ||
		    dir_deadline_left_ms(dl) <= 0)
			break;
		if (started < n && finished == started)
			continue;
		{
			struct timespec until = dl->at;

			if (started < n && ts_before(&next_start, &until))
				until = next_start;
			(void)pthread_cond_timedwait(&race.wake, &race.lock,
						     &until);
		}
	}
	(void)pthread_mutex_unlock(&race.lock);

	for (i = 0; i < started; i++)
		if (i != winner)
			cancel_fire(&rs[i].cancel);
	for (i = 0; i < started; i++)
		if (rs[i].started)
			(void)pthread_join(rs[i].thread, NULL);
	for (i = 0; i < n; i++) {
		if (i != winner && rs[i].conn != NULL)
			dir_close(rs[i].conn);
		(void)pthread_mutex_destroy(&rs[i].cancel.lock);
	}
	(void)pthread_mutex_destroy(&race.lock);
	(void)pthread_cond_destroy(&race.wake);

	if (winner < n) {
		*out = rs[winner].conn;
		*won = winner;
		return DIR_OK;
	}
	*won = started > 0 ? started - 1 : 0;
	/* Nobody won: report a server's own failure when one failed before
	 * the deadline stopped the rest, else the budget that ran out. */
	if (failed < n && rs[failed].err.status != DIR_OK &&
	    !(rs[failed].st == DIR_ERR_TLS && dir_deadline_left_ms(dl) <= 0)) {
		st = rs[failed].st;
		if (err != NULL)
			*err = rs[failed].err;
		return st;
	}
	return dir_set_error(err, DIR_ERR_TIMEOUT, uris[0], 0, "login_budget",
		    "no server completed connect and TLS in time");
}

enum dir_status dir_connect(const struct cfg *cfg, const char *const *uris,
			    size_t n_uris, size_t *next,
			    const struct dir_deadline *dl,
			    struct dir_conn **out, struct dir_error *err)
{
	enum dir_status st = DIR_ERR_UNAVAILABLE;
	size_t i = *next, won = 0;

	*out = NULL;
	if (*next >= n_uris)
		return dir_set_error(err, DIR_ERR_UNAVAILABLE, "", 0, NULL,
			    "no directory server left to try");
	if (dir_deadline_left_ms(dl) <= 0)
		return dir_set_error(err, DIR_ERR_TIMEOUT, uris[i], 0,
				     "login_budget", "no time left");
	if (n_uris - i == 1) {
		/* One server: no race, no thread beyond the TLS watchdog. */
		st = connect_one(cfg, uris[i], dl, NULL, out, err);
		*next = i + 1;
	} else {
		st = race_connect(cfg, uris + i, n_uris - i, dl, out, &won,
				  err);
		*next = st == DIR_OK ? i + won + 1 : n_uris;
	}
	return st;
}

void dir_close(struct dir_conn *c)
{
	if (c == NULL)
		return;
	if (c->ld != NULL)
		(void)ldap_unbind_ext(c->ld, NULL, NULL);	/* closes c->fd */
	else if (c->fd >= 0)
		(void)close(c->fd);
	free(c);
}

const char *dir_server(const struct dir_conn *c)
{
	return c->server;
}

LDAP *dir_handle(struct dir_conn *c)
{
	return c->ld;
}

bool dir_broken(const struct dir_conn *c)
{
	return c->broken;
}

void dir_set_deadline(struct dir_conn *c, const struct dir_deadline *dl)
{
	c->dl = *dl;
}
