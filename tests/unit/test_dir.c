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
#include <sys/socket.h>
#include <sys/un.h>
#include <cmocka.h>

#include "dir.h"

static int
listener(int *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 16), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* A port with nothing listening: bind, note the port, close. */
static int
closed_port(void)
{
	int port, fd = listener(&port);

	close(fd);
	return port;
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
	long ms;

	cfg_init(&cfg);
	cfg.timeout_ms = 2000;
	/* The first completes TCP but never the TLS handshake; the second
	 * (plain ldap://) is connected as soon as TCP is. */
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
		cmocka_unit_test(test_status_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
