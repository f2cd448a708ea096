/*
 * blackhole.c - loopback listeners that never answer, for the tests of
 * connect and operation timeouts.
 *
 *     rig-blackhole SECONDS PORTFILE
 *
 * Binds 127.0.0.1 on a port the kernel picks and, beside PORTFILE, a Unix
 * socket "ldapi"; accepts and holds every connection on both without
 * reading or writing. Also makes two listeners whose queue is full and
 * which never accept: a Unix socket "ldapi-full" (a connect to it is
 * refused with EAGAIN) and a TCP port written to PORTFILE.full (a connect
 * to it is never answered: the kernel drops the SYN). Writes the first
 * port number to PORTFILE last (atomically, via a temporary file) and
 * exits after SECONDS.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Writes PORT to PATH via PATH.tmp and rename; 0 or -1. */
static int bh_write_port(const char *path, unsigned port)
{
	char tmp[4096];
	FILE *f = NULL;
	int rc = -1;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		goto done;
	f = fopen(tmp, "w");
	if (f == NULL)
		goto done;
	if (fprintf(f, "%u\n", port) < 0)
		goto done;
	if (fclose(f) != 0) {
		f = NULL;
		goto done;
	}
	f = NULL;
	if (rename(tmp, path) != 0)
		goto done;
	rc = 0;
done:
	if (f != NULL)
		fclose(f);
	return rc;
}

/* A Unix listener at DIR/NAME with BACKLOG; the descriptor or -1. */
static int bh_unix(const char *dir, const char *name, int backlog,
		   struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (snprintf(sun->sun_path, sizeof(sun->sun_path), "%s/%s", dir,
		     name) >= (int)sizeof(sun->sun_path) ||
	    bind(fd, (struct sockaddr *)sun, sizeof(*sun)) != 0 ||
	    listen(fd, backlog) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Connects to ADDR without blocking until a connect is left waiting
 * (TCP) or refused with EAGAIN (Unix): the listener's queue is full.
 * The sockets stay open for the process's life; 0 or -1. */
static int bh_fill(int family, const struct sockaddr *addr, socklen_t len)
{
	int i;

	for (i = 0; i < 256; i++) {
		struct pollfd pfd;
		int c = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);

		if (c < 0)
			return -1;
		if (connect(c, addr, len) == 0)
			continue;
		if (errno == EAGAIN) {
			close(c);
			return 0;
		}
		if (errno != EINPROGRESS)
			return -1;
		pfd.fd = c;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 200) == 0)
			return 0;
	}
	return -1;
}

/* A TCP listener on 127.0.0.1 with a full queue; its port, or 0. */
static unsigned bh_tcp_full(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, 0) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0 ||
	    bh_fill(AF_INET, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		return 0;
	return ntohs(sa.sin_port);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	struct sockaddr_un sun;
	socklen_t len = sizeof(sa);
	char *end = NULL, *copy, *dir, full_file[4096];
	struct pollfd pfd[2];
	unsigned full_port;
	long secs;
	int fd, ufd, ffd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SECONDS PORTFILE\n", argv[0]);
		return 2;
	}
	errno = 0;
	secs = strtol(argv[1], &end, 10);
	if (errno != 0 || *end != '\0' || secs < 1 || secs > 3600) {
		fprintf(stderr, "%s: bad SECONDS\n", argv[0]);
		return 2;
	}
	/* The default action of SIGALRM ends the process: the time limit. */
	alarm((unsigned)secs);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, 128) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		perror("bind/listen");
		return 1;
	}
	copy = strdup(argv[2]);
	if (copy == NULL)
		return 1;
	dir = dirname(copy);
	ufd = bh_unix(dir, "ldapi", 128, &sun);
	ffd = bh_unix(dir, "ldapi-full", 0, &sun);
	if (ufd < 0 || ffd < 0 ||
	    bh_fill(AF_UNIX, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		perror("unix listeners");
		return 1;
	}
	full_port = bh_tcp_full();
	if (full_port == 0 ||
	    snprintf(full_file, sizeof(full_file), "%s.full", argv[2]) >=
	    (int)sizeof(full_file) || bh_write_port(full_file, full_port) != 0) {
		perror("full listener");
		return 1;
	}
	if (bh_write_port(argv[2], ntohs(sa.sin_port)) != 0) {
		perror(argv[2]);
		return 1;
	}
	pfd[0].fd = fd;
	pfd[1].fd = ufd;
	pfd[0].events = pfd[1].events = POLLIN;
	for (;;) {
		int i;

		if (poll(pfd, 2, -1) < 0)
			continue;
		for (i = 0; i < 2; i++) {
			int c;

			if ((pfd[i].revents & POLLIN) == 0)
				continue;
			c = accept(pfd[i].fd, NULL, NULL);
			/*
			 * Accepted connections stay open and unread until the
			 * time limit; when out of descriptors, the backlog
			 * holds the rest.
			 */
			if (c < 0 && errno != EINTR) {
				if (errno != EMFILE && errno != ENFILE) {
					perror("accept");
					return 1;
				}
				sleep(1);
			}
		}
	}
}
