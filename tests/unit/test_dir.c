/*
 * The connection layer against servers that misbehave, made in-process:
 * a closed port, and a listener whose kernel completes the TCP handshake
 * but which never reads or answers. Nothing here needs slapd; the tests
 * under tests/pam/ run the same code against a real one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <dlfcn.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <lber.h>
#include <cmocka.h>

#include "dir_private.h"

/* A TCP listener on loopback with a queue of BACKLOG; its port in *PORT. */
static int
listener_backlog(int *port, int backlog)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, backlog), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static int
listener(int *port)
{
	return listener_backlog(port, 16);
}

/* A port with nothing listening: bind, note the port, close. */
static int
closed_port(void)
{
	int port, fd = listener(&port);

	close(fd);
	return port;
}

/* ---- a server that answers ----------------------------------------------- */

/*
 * Answers every search on every connection it accepts from LFD with an
 * empty success (SearchResultDone), in a thread of its own: what a race
 * needs to see from a live server. Stops when LFD is shut down.
 */
struct answerer {
	int lfd;
	bool stall;	/* send the first bytes of each answer, then stop */
	pthread_t thread;
};

/* Answers the requests on FD until the peer closes or is silent 3 s;
 * with STALL, only the first two bytes of the first answer. */
static void
answer_conn(int fd, bool stall)
{
	unsigned char buf[4096];
	struct pollfd pfd;

	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 3000) == 1) {
		struct berval bv, *out = NULL;
		BerElement *in, *reply;
		ber_int_t msgid = 0;
		ber_tag_t tag;
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0)
			return;
		if (stall) {
			/* A SEQUENCE header, and the rest never comes. */
			(void)send(fd, "\x30\x0c", 2, MSG_NOSIGNAL);
			(void)poll(&pfd, 1, 5000);
			return;
		}
		bv.bv_val = (char *)buf;
		bv.bv_len = (ber_len_t)n;
		in = ber_init(&bv);
		if (in == NULL)
			return;
		tag = ber_scanf(in, "{i", &msgid);
		if (tag != LBER_ERROR)
			tag = ber_peek_tag(in, &bv.bv_len);
		ber_free(in, 1);
		if (tag != LDAP_REQ_SEARCH && tag != LDAP_REQ_BIND)
			return;	/* an unbind, or anything else: done */
		reply = ber_alloc_t(LBER_USE_DER);
		if (reply == NULL)
			return;
		if (ber_printf(reply, "{it{ess}}", msgid,
			       tag == LDAP_REQ_BIND ? LDAP_RES_BIND
						    : LDAP_RES_SEARCH_RESULT,
			       LDAP_SUCCESS, "", "") == -1 ||
		    ber_flatten(reply, &out) != 0 ||
		    send(fd, out->bv_val, out->bv_len, MSG_NOSIGNAL) < 0) {
			ber_free(reply, 1);
			ber_bvfree(out);
			return;
		}
		ber_free(reply, 1);
		ber_bvfree(out);
	}
}

static void *
answerer_main(void *arg)
{
	struct answerer *a = arg;

	for (;;) {
		int fd = accept(a->lfd, NULL, NULL);

		if (fd < 0)
			return NULL;
		answer_conn(fd, a->stall);
		close(fd);
	}
}

static void
answerer_start(struct answerer *a, int lfd)
{
	a->lfd = lfd;
	a->stall = false;
	assert_int_equal(pthread_create(&a->thread, NULL, answerer_main, a), 0);
}

static void
answerer_stop(struct answerer *a)
{
	(void)shutdown(a->lfd, SHUT_RDWR);
	assert_int_equal(pthread_join(a->thread, NULL), 0);
	close(a->lfd);
}

/* A Unix listener at DIR/NAME with BACKLOG; *uri is its ldapi:// URI. */
static int
unix_listener(const char *dir, const char *name, int backlog, char *uri,
	      size_t urilen)
{
	struct sockaddr_un sun;
	const char *c;
	size_t o = 0;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", dir, name);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(fd, backlog), 0);
	o = (size_t)snprintf(uri, urilen, "ldapi://");
	for (c = sun.sun_path; *c != '\0' && o + 4 < urilen; c++)
		o += (size_t)snprintf(uri + o, urilen - o, *c == '/' ? "%%2F" : "%c",
				      *c);
	return fd;
}

/* Fills the queue of the Unix listener at URI's path until a connect is
 * refused with EAGAIN; the held sockets go to FDS (up to MAX). */
static int
unix_fill(const char *dir, const char *name, int *fds, int max)
{
	struct sockaddr_un sun;
	int n = 0;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", dir, name);
	while (n < max) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

		assert_true(fd >= 0);
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
			assert_int_equal(errno, EAGAIN);
			close(fd);
			return n;
		}
		fds[n++] = fd;
	}
	fail_msg("the queue of %s never filled", sun.sun_path);
	return n;
}

static void
cfg_init(struct cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->tls_reqcert = CFG_REQCERT_DEMAND;
	cfg->network_timeout_ms = 500;
	cfg->timeout_ms = 400;
	cfg->login_budget_ms = 3000;
}

/* Allowed lateness: 300 ms, times PACER_TIME_SLACK under valgrind or ASan. */
static long
slack_ms(void)
{
	const char *s = getenv("PACER_TIME_SLACK");
	long k = s != NULL ? strtol(s, NULL, 10) : 1;

	return 300 * (k > 0 && k < 100 ? k : 1);
}

static long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void
test_closed_port_unavailable(void **state)
{
	struct cfg cfg;
	struct dir_deadline dl;
	struct dir_conn *c = NULL;
	struct dir_error err;
	char u1[64], u2[64];
	const char *uris[2] = { u1, u2 };
	size_t next = 0;

	cfg_init(&cfg);
	snprintf(u1, sizeof(u1), "ldap://127.0.0.1:%d", closed_port());
	snprintf(u2, sizeof(u2), "ldaps://127.0.0.1:%d", closed_port());
	memset(&err, 0, sizeof(err));
	dir_deadline_start(&dl, 3000);
	assert_int_equal(dir_connect(&cfg, uris, 2, &next, &dl, &c, &err),
			 DIR_ERR_UNAVAILABLE);
	assert_null(c);
	assert_int_equal(next, 2);
	assert_string_equal(err.server, u2);
}

/* Each TLS path against a listener that never answers ends in time. */
static void
check_blackhole(const char *scheme, bool starttls)
{
	struct cfg cfg;
	struct dir_deadline dl;
	struct dir_conn *c = NULL;
	struct dir_error err;
	struct timespec t0;
	char uri[64];
	const char *uris[1] = { uri };
	size_t next = 0;
	int port, lfd = listener(&port);

	cfg_init(&cfg);
	cfg.starttls = starttls;
	snprintf(uri, sizeof(uri), "%s://127.0.0.1:%d", scheme, port);
	memset(&err, 0, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dir_deadline_start(&dl, 3000);
	assert_int_equal(dir_connect(&cfg, uris, 1, &next, &dl, &c, &err),
			 DIR_ERR_TIMEOUT);
	assert_null(c);
	assert_string_equal(err.limit, "timeout");
	assert_string_equal(err.server, uri);
	assert_true(elapsed_ms(&t0) < 400 + slack_ms());
	close(lfd);
}

static void
test_ldaps_handshake_blackhole(void **state)
{
	check_blackhole("ldaps", false);
}

static void
test_starttls_blackhole(void **state)
{
	check_blackhole("ldap", true);
}

static void
test_budget_is_the_limit_that_fires(void **state)
{
	struct cfg cfg;
	struct dir_deadline dl;
	struct dir_conn *c = NULL;
	struct dir_error err;
	char uri[64];
	const char *uris[1] = { uri };
	size_t next = 0;
	int port, lfd = listener(&port);

	cfg_init(&cfg);
	cfg.timeout_ms = 5000;
	snprintf(uri, sizeof(uri), "ldaps://127.0.0.1:%d", port);
	memset(&err, 0, sizeof(err));
	dir_deadline_start(&dl, 300);
	assert_int_equal(dir_connect(&cfg, uris, 1, &next, &dl, &c, &err),
			 DIR_ERR_TIMEOUT);
	assert_string_equal(err.limit, "login_budget");
	close(lfd);
}

static void
test_bind_refusals_before_the_wire(void **state)
{
	struct cfg cfg;
	struct dir_deadline dl;
	struct dir_conn *c = NULL;
	struct dir_error err;
	struct timespec t0;
	char uri[64], big[600], buf[16];
	const char *uris[1] = { uri };
	size_t next = 0;
	int port, lfd = listener(&port), afd;

	cfg_init(&cfg);
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", port);
	dir_deadline_start(&dl, 3000);
	assert_int_equal(dir_connect(&cfg, uris, 1, &next, &dl, &c, &err), DIR_OK);
	afd = accept(lfd, NULL, NULL);
	assert_true(afd >= 0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(dir_bind(c, "uid=a,dc=t", "", NULL, &err), DIR_ERR_INVALID);
	assert_int_equal(dir_bind(c, "uid=a,dc=t", NULL, NULL, &err), DIR_ERR_INVALID);
	assert_int_equal(dir_bind(c, "", "pw", NULL, &err), DIR_ERR_INVALID);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(dir_bind(c, "uid=a,dc=t", big, NULL, &err), DIR_ERR_INVALID);
	/* ldap:// without StartTLS and allow_plaintext no: refused. */
	assert_int_equal(dir_bind(c, "uid=a,dc=t", "secret", NULL, &err),
			 DIR_ERR_INSECURE);
	assert_true(elapsed_ms(&t0) < slack_ms());
	/* Nothing at all reached the server. */
	fcntl(afd, F_SETFL, O_NONBLOCK);
	assert_int_equal(recv(afd, buf, sizeof(buf), 0), -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);

	/* Allowed plaintext: the bind goes out and times out in time. */
	cfg.allow_plaintext = true;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(dir_bind(c, "uid=a,dc=t", "secret", NULL, &err), DIR_ERR_TIMEOUT);
	assert_true(elapsed_ms(&t0) < 400 + slack_ms());
	assert_true(recv(afd, buf, sizeof(buf), 0) > 0);
	/* After a timeout the connection is not used again. */
	assert_int_equal(dir_bind(c, "uid=a,dc=t", "secret", NULL, &err),
			 DIR_ERR_UNAVAILABLE);
	dir_close(c);
	close(afd);
	close(lfd);
}

static void
test_bad_uris(void **state)
{
	static const char *const bad[] = {
		"http://127.0.0.1/", "ldap://", "not a uri",
		"ldapi://%2Ftmp%2Faaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"ldapi://%2Fnonexistent%2Fsocket",
	};
	struct cfg cfg;
	struct dir_deadline dl;
	struct dir_conn *c = NULL;
	struct dir_error err;
	size_t i;

	cfg_init(&cfg);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *uris[1] = { bad[i] };
		size_t next = 0;

		dir_deadline_start(&dl, 1000);
		assert_int_not_equal(dir_connect(&cfg, uris, 1, &next, &dl, &c, &err),
				     DIR_OK);
		assert_null(c);
	}
}

/* A silent first server costs the head start, not its timeout. */
static void
test_race_past_a_silent_server(void **state)
{
	struct cfg cfg;
	struct dir_deadline dl;
	struct dir_conn *c = NULL;
	struct dir_error err;
	struct timespec t0;
	char u1[64], u2[64];
	const char *uris[2] = { u1, u2 };
	size_t next = 0;
	int p1, p2, l1 = listener(&p1), l2 = listener(&p2);
	struct answerer ans;
	long ms;

	answerer_start(&ans, l2);
	cfg_init(&cfg);
	cfg.timeout_ms = 2000;
	/* The first completes TCP but never the TLS handshake; the second
	 * (plain ldap://) is connected as soon as it answers. */
	snprintf(u1, sizeof(u1), "ldaps://127.0.0.1:%d", p1);
	snprintf(u2, sizeof(u2), "ldap://127.0.0.1:%d", p2);
	memset(&err, 0, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dir_deadline_start(&dl, 3000);
	assert_int_equal(dir_connect(&cfg, uris, 2, &next, &dl, &c, &err), DIR_OK);
	ms = elapsed_ms(&t0);
	assert_non_null(c);
	assert_string_equal(dir_server(c), u2);
	assert_int_equal(next, 2);
	assert_true(ms >= 100);
	assert_true(ms < 150 + slack_ms());
	dir_close(c);

	/* A refused first server: the second starts at once. */
	snprintf(u1, sizeof(u1), "ldaps://127.0.0.1:%d", closed_port());
	next = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dir_deadline_start(&dl, 3000);
	assert_int_equal(dir_connect(&cfg, uris, 2, &next, &dl, &c, &err), DIR_OK);
	assert_true(elapsed_ms(&t0) < 100 + slack_ms() / 3);
	assert_string_equal(dir_server(c), u2);
	dir_close(c);

	/* Both silent: the budget ends it, naming the limit. */
	answerer_stop(&ans);
	l2 = listener(&p2);
	snprintf(u1, sizeof(u1), "ldaps://127.0.0.1:%d", p1);
	snprintf(u2, sizeof(u2), "ldaps://127.0.0.1:%d", p2);
	next = 0;
	memset(&err, 0, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dir_deadline_start(&dl, 500);
	assert_int_not_equal(dir_connect(&cfg, uris, 2, &next, &dl, &c, &err), DIR_OK);
	assert_null(c);
	assert_int_equal(err.status, DIR_ERR_TIMEOUT);
	assert_true(elapsed_ms(&t0) < 500 + slack_ms());
	close(l1);
	close(l2);
}

/*
 * A server that went away between two writes: the next write fails with
 * EPIPE and must not raise SIGPIPE, whose default action would kill the
 * host process (sshd, login...). Made certain over ldapi: the test takes
 * the connection off the listener's queue and closes it before the bind
 * is written; on a Unix socket whose peer is gone every write is EPIPE.
 */
static void
test_write_to_a_closed_peer_raises_no_sigpipe(void **state)
{
	struct sockaddr_un sun;
	struct cfg cfg;
	struct dir_deadline dl;
	struct dir_conn *c = NULL;
	struct dir_error err;
	struct sigaction dfl, old;
	sigset_t pending;
	char dir[] = "/tmp/test_dir.XXXXXX";
	char uri[256];
	const char *uris[1] = { uri };
	size_t next = 0;
	int lfd, sfd;

	assert_non_null(mkdtemp(dir));
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/ldapi", dir);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	snprintf(uri, sizeof(uri), "ldapi://%%2Ftmp%%2F%s%%2Fldapi", dir + 5);

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	assert_int_equal(sigaction(SIGPIPE, &dfl, &old), 0);
	cfg_init(&cfg);
	memset(&err, 0, sizeof(err));
	dir_deadline_start(&dl, 3000);
	assert_int_equal(dir_connect(&cfg, uris, 1, &next, &dl, &c, &err), DIR_OK);
	sfd = accept(lfd, NULL, NULL);
	assert_true(sfd >= 0);
	close(sfd);

	assert_int_equal(dir_bind(c, "uid=jattorney,ou=pacer,dc=courts,dc=test",
				  "Pacer-Demo-1", NULL, &err), DIR_ERR_UNAVAILABLE);
	dir_close(c);
	/* Still here: SIGPIPE was not delivered. Nor is it left pending. */
	assert_int_equal(sigpending(&pending), 0);
	assert_int_equal(sigismember(&pending, SIGPIPE), 0);
	assert_int_equal(sigaction(SIGPIPE, &old, NULL), 0);
	close(lfd);
	assert_int_equal(unlink(sun.sun_path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/*
 * A first server that never answers, over a transport with no handshake
 * to wait on: the kernel accepts for it, or its queue is full. The race
 * goes past it after the head start, not after its timeout (2 s here).
 */
static void
check_race_past(const char *u1, const char *why)
{
	struct cfg cfg;
	struct dir_deadline dl;
	struct dir_conn *c = NULL;
	struct dir_error err;
	struct timespec t0;
	struct answerer ans;
	char u2[64];
	const char *uris[2] = { u1, u2 };
	size_t next = 0;
	int p2, l2 = listener(&p2);
	long ms;

	answerer_start(&ans, l2);
	cfg_init(&cfg);
	cfg.network_timeout_ms = 2000;
	cfg.timeout_ms = 2000;
	snprintf(u2, sizeof(u2), "ldap://127.0.0.1:%d", p2);
	memset(&err, 0, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dir_deadline_start(&dl, 3000);
	assert_int_equal(dir_connect(&cfg, uris, 2, &next, &dl, &c, &err), DIR_OK);
	ms = elapsed_ms(&t0);
	if (strcmp(dir_server(c), u2) != 0)
		fail_msg("%s: won by %s", why, dir_server(c));
	if (ms >= 150 + slack_ms())
		fail_msg("%s: %ld ms", why, ms);
	dir_close(c);
	answerer_stop(&ans);
}

static void
test_race_past_silent_servers(void **state)
{
	char dir[] = "/tmp/test_dir.XXXXXX";
	char hole[256], full[256], plain[64], path[300];
	int lh, lf, lp, pp, held[256], n, i;

	assert_non_null(mkdtemp(dir));
	lh = unix_listener(dir, "hole", 16, hole, sizeof(hole));
	lf = unix_listener(dir, "full", 0, full, sizeof(full));
	n = unix_fill(dir, "full", held, 256);
	lp = listener(&pp);
	snprintf(plain, sizeof(plain), "ldap://127.0.0.1:%d", pp);
	check_race_past(hole, "ldapi, accepts and never answers");
	check_race_past(full, "ldapi, its queue full");
	check_race_past(plain, "ldap://, accepts and never answers");
	for (i = 0; i < n; i++)
		close(held[i]);
	close(lh);
	close(lf);
	close(lp);
	snprintf(path, sizeof(path), "%s/hole", dir);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/full", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* ---- a host process with a busy timer ------------------------------------ */

static volatile sig_atomic_t ticks;

/* SIGALRM every 50 ms, as a host process's timer might send, for at most
 * 4 s: a wait that starts again from scratch after each one then ends
 * late instead of never. */
static void
tick(int sig)
{
	(void)sig;
	if (++ticks >= 80) {
		struct itimerval off;

		memset(&off, 0, sizeof(off));
		(void)setitimer(ITIMER_REAL, &off, NULL);
	}
}

static void
ticker(bool on)
{
	struct sigaction sa;
	struct itimerval it;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on ? tick : SIG_IGN;
	sa.sa_flags = SA_RESTART;
	assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
	memset(&it, 0, sizeof(it));
	if (on) {
		it.it_interval.tv_usec = 50000;
		it.it_value.tv_usec = 50000;
	}
	if (on)
		ticks = 0;
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
}

/* A TCP listener whose queue is full: a connect to it is never answered
 * (the kernel drops the SYN). The held sockets go to FDS. */
static int
full_listener(int *port, int *fds, int max, int *n)
{
	int fd = listener_backlog(port, 0);
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((unsigned short)*port);
	for (*n = 0; *n < max; (*n)++) {
		struct pollfd pfd;
		int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

		assert_true(c >= 0);
		fds[*n] = c;
		if (connect(c, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			continue;
		assert_int_equal(errno, EINPROGRESS);
		pfd.fd = c;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 300) == 0) {
			(*n)++;
			return fd;	/* this one waits: the queue is full */
		}
	}
	fail_msg("the queue of port %d never filled", *port);
	return fd;
}

/*
 * Every wait of a connection ends at its limit while SIGALRM arrives
 * every 50 ms with SA_RESTART: the connect, a TLS handshake, the wait for
 * a result and a read of a half-sent answer. Each is a timeout, never a
 * "server down" made up from an interrupted wait.
 */
static void
test_signals_connect(void **state)
{
	struct cfg cfg;
	struct dir_deadline dl;
	struct dir_conn *c = NULL;
	struct dir_error err;
	struct timespec t0;
	char uri[64];
	const char *uris[1] = { uri };
	size_t next = 0;
	int port, lfd, held[64], n, i;
	long ms;

	cfg_init(&cfg);
	lfd = full_listener(&port, held, 64, &n);
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", port);
	ticker(true);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dir_deadline_start(&dl, 3000);
	assert_int_equal(dir_connect(&cfg, uris, 1, &next, &dl, &c, &err),
			 DIR_ERR_TIMEOUT);
	ms = elapsed_ms(&t0);
	ticker(false);
	if (ms >= 500 + slack_ms())
		fail_msg("connect: %ld ms", ms);
	assert_true(ticks >= 3);
	assert_string_equal(err.limit, "network_timeout");
	for (i = 0; i < n; i++)
		close(held[i]);
	close(lfd);
}

static void
test_signals_tls(void **state)
{
	struct cfg cfg;
	struct dir_deadline dl;
	struct dir_conn *c = NULL;
	struct dir_error err;
	struct timespec t0;
	char uri[64];
	const char *uris[1] = { uri };
	size_t next = 0;
	int port, lfd = listener(&port);
	long ms;

	cfg_init(&cfg);
	snprintf(uri, sizeof(uri), "ldaps://127.0.0.1:%d", port);
	ticker(true);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dir_deadline_start(&dl, 3000);
	assert_int_equal(dir_connect(&cfg, uris, 1, &next, &dl, &c, &err),
			 DIR_ERR_TIMEOUT);
	ms = elapsed_ms(&t0);
	ticker(false);
	if (ms >= 400 + slack_ms())
		fail_msg("TLS handshake: %ld ms", ms);
	assert_true(ticks >= 3);
	close(lfd);
}

/* A plain bind to a server that answers as STALL says, under the ticker:
 * a timeout within the operation timeout. */
static void
check_signals_bind(bool answer, bool stall, const char *what)
{
	struct cfg cfg;
	struct dir_deadline dl;
	struct dir_conn *c = NULL;
	struct dir_error err;
	struct timespec t0;
	struct answerer ans;
	char uri[64];
	const char *uris[1] = { uri };
	size_t next = 0;
	int port, lfd = listener(&port);
	long ms;

	cfg_init(&cfg);
	cfg.allow_plaintext = true;
	if (answer) {
		answerer_start(&ans, lfd);
		ans.stall = stall;
	}
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", port);
	dir_deadline_start(&dl, 3000);
	assert_int_equal(dir_connect(&cfg, uris, 1, &next, &dl, &c, &err), DIR_OK);
	ticker(true);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&err, 0, sizeof(err));
	(void)dir_bind(c, "uid=a,dc=t", "secret", NULL, &err);
	ms = elapsed_ms(&t0);
	ticker(false);
	dir_close(c);
	if (err.status != DIR_ERR_TIMEOUT)
		fail_msg("%s: %s (%s) after %ld ms", what,
			 dir_status_name(err.status), err.detail, ms);
	if (ms >= 400 + slack_ms())
		fail_msg("%s: %ld ms", what, ms);
	assert_true(ticks >= 3);
	if (answer)
		answerer_stop(&ans);
	else
		close(lfd);
}

static void
test_signals_result(void **state)
{
	check_signals_bind(false, false, "no answer");
}

static void
test_signals_half_answer(void **state)
{
	check_signals_bind(true, true, "half an answer");
}

/* ---- long host names ------------------------------------------------------ */

/* Names longer than 100 bytes resolve to the loopback address here, so a
 * long name (a certificate's) can be connected to. */
int
getaddrinfo(const char *node, const char *service,
	    const struct addrinfo *hints, struct addrinfo **res)
{
	int (*real)(const char *, const char *, const struct addrinfo *,
		    struct addrinfo **);

	*(void **)&real = dlsym(RTLD_NEXT, "getaddrinfo");
	if (real == NULL)
		return EAI_FAIL;
	if (node != NULL && strlen(node) > 100) {
		if (hints != NULL && (hints->ai_flags & AI_NUMERICHOST) != 0)
			return EAI_NONAME;
		node = "127.0.0.1";
	}
	return real(node, service, hints, res);
}

/* The name libldap checks a certificate against is the URI's whole host
 * name, however long; never one cut to fit a buffer. */
static void
test_long_host_name_is_kept_whole(void **state)
{
	struct cfg cfg;
	struct dir_deadline dl;
	struct dir_conn *c = NULL;
	struct dir_error err;
	struct answerer ans;
	char host[254], uri[300];
	char *got = NULL;
	const char *uris[1] = { uri };
	size_t next = 0, i;
	int port, lfd = listener(&port);

	/* 253 bytes: the longest DNS name, in labels of 49 and a dot. */
	for (i = 0; i < sizeof(host) - 1; i++)
		host[i] = i % 50 == 49 ? '.' : 'a' + (char)(i % 26);
	host[sizeof(host) - 1] = '\0';
	answerer_start(&ans, lfd);
	cfg_init(&cfg);
	snprintf(uri, sizeof(uri), "ldap://%s:%d", host, port);
	dir_deadline_start(&dl, 3000);
	assert_int_equal(dir_connect(&cfg, uris, 1, &next, &dl, &c, &err), DIR_OK);
	assert_int_equal(ldap_get_option(dir_handle(c), LDAP_OPT_URI, &got),
			 LDAP_OPT_SUCCESS);
	assert_non_null(got);
	if (strstr(got, host) == NULL)
		fail_msg("libldap was given %s", got);
	ldap_memfree(got);
	dir_close(c);
	answerer_stop(&ans);
}

static void
test_status_map(void **state)
{
	assert_int_equal(dir_status_from_ldap(0), DIR_OK);
	assert_int_equal(dir_status_from_ldap(49), DIR_ERR_CREDENTIALS);
	assert_int_equal(dir_status_from_ldap(32), DIR_ERR_NO_ENTRY);
	assert_int_equal(dir_status_from_ldap(-1), DIR_ERR_UNAVAILABLE);
	assert_int_equal(dir_status_from_ldap(-5), DIR_ERR_TIMEOUT);
	assert_int_equal(dir_status_from_ldap(122), DIR_ERR_CONFLICT);
	assert_int_equal(dir_status_from_ldap(20), DIR_ERR_CONFLICT);
	assert_int_equal(dir_status_from_ldap(19), DIR_ERR_POLICY);
	assert_int_equal(dir_status_from_ldap(-10), DIR_ERR_NOMEM);
	assert_int_equal(dir_status_from_ldap(80), DIR_ERR_PROTOCOL);
	assert_true(dir_status_retryable(DIR_ERR_TIMEOUT));
	assert_false(dir_status_retryable(DIR_ERR_CREDENTIALS));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_closed_port_unavailable),
		cmocka_unit_test(test_ldaps_handshake_blackhole),
		cmocka_unit_test(test_starttls_blackhole),
		cmocka_unit_test(test_budget_is_the_limit_that_fires),
		cmocka_unit_test(test_bind_refusals_before_the_wire),
		cmocka_unit_test(test_bad_uris),
		cmocka_unit_test(test_race_past_a_silent_server),
		cmocka_unit_test(test_write_to_a_closed_peer_raises_no_sigpipe),
		cmocka_unit_test(test_race_past_silent_servers),
		cmocka_unit_test(test_signals_connect),
		cmocka_unit_test(test_signals_tls),
		cmocka_unit_test(test_signals_result),
		cmocka_unit_test(test_signals_half_answer),
		cmocka_unit_test(test_long_host_name_is_kept_whole),
		cmocka_unit_test(test_status_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
